"""Accuracy of the country grammars on real spellings (`make eval`).

Reads eval/norms/<cc>.tsv: words around a citation as a real gazette, government or press page
printed them, the key the country's grammar must give first ("-" when the words name no norm),
and the page it came from. Per country it prints
    key        the first mention's key is the expected one (rows that name a norm)
    rejected   nothing is found (rows that name none: bills, gazette issues, laws by name)
    any        find_norms_any, reading the row as a page of unknown country in the grammar's
               language, offers the expected key among its readings
and exits 1 when one falls below its floor in eval/floors.toml [countries]. The rows live in the
repository, so this runs on a fresh clone too (unlike the shared corpora).
"""

from __future__ import annotations

import csv
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract.norms import find_norms, find_norms_any
from pipeline.extract.scanner import grammar_for

ROWS = Path(__file__).resolve().parent / "norms"
FLOORS = Path(__file__).resolve().parent / "floors.toml"


@dataclass
class Tally:
    country: str
    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, ok: bool, context: str) -> None:
        self.total[name] = self.total.get(name, 0) + 1
        self.right[name] = self.right.get(name, 0) + int(ok)
        if not ok and len(self.misses) < 6:
            self.misses.append(f"{name}: {context}")

    def rates(self) -> dict[str, float]:
        return {n: self.right[n] / self.total[n] for n in self.total}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        if not row["source"].startswith(("http://", "https://")):
            raise SystemExit(f"{path.name}: a row without its source: {row['text'][:60]!r}")
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


def score(country: str, rows: list[dict[str, str]]) -> Tally:
    tally = Tally(country)
    language = grammar_for(country).language
    for row in rows:
        text, expected = row["text"], row["key"]
        found = find_norms(text, country)
        if expected == "-":
            tally.add("rejected", not found, f"{text[:70]!r} gave {found[0].key if found else ''}")
            continue
        first = found[0].key if found else "nothing"
        tally.add("key", first == expected, f"{text[:70]!r} gave {first}, not {expected}")
        offered = {m.key for m in find_norms_any(text, language)}
        tally.add("any", expected in offered, f"{text[:70]!r} not offered {expected}")
    return tally


def report(tallies: list[Tally], floors: dict[str, float]) -> int:
    status = 0
    measured: set[str] = set()
    for tally in tallies:
        cc = tally.country.lower()
        cases = sum(tally.total.values()) - tally.total.get("any", 0)
        print(f"{tally.country}: {cases} real spellings")
        for name, rate in sorted(tally.rates().items()):
            label = f"{cc}.{name}"
            measured.add(label)
            floor = floors.get(label)
            below = floor is not None and rate < floor
            status |= int(below)
            mark = f" BELOW FLOOR {floor:.3f}" if below else ""
            print(f"  {label:<16} {rate:7.1%}  ({tally.right[name]}/{tally.total[name]}){mark}")
        for miss in tally.misses:
            print(f"    miss {miss}")
    for label in sorted(set(floors) - measured):
        print(f"  floor {label} names no measured field")
        status = 1
    return status


def main() -> int:
    files = sorted(ROWS.glob("*.tsv"))
    tallies = [score(path.stem.upper(), read_rows(path)) for path in files]
    floors = tomllib.loads(FLOORS.read_text(encoding="utf-8")).get("countries", {})
    return report(tallies, {str(k): float(v) for k, v in floors.items()})


if __name__ == "__main__":
    sys.exit(main())
