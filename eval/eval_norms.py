"""Accuracy of the norm extractor on the shared development corpus (`make eval`).

Reads ../shared/corpus/norms-dev/ next to the repository: spij_normas.json (real norm records:
type and number as SPIJ prints them) and variants.tsv (real spellings from real pages with their
canonical key). Prints the accuracy of every literal field and exits 1 when one falls below its
floor in eval/floors.toml [norms]. Exits 0 with "skipped" when the corpus is absent (a fresh
clone has no ../shared).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract.norms import display_for_key, find_norms
from pipeline.models import NormMention

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "norms-dev"
FLOORS = Path(__file__).resolve().parent / "floors.toml"

# SPIJ files some records under categories that are not norm types with a number of their own:
# errata notices, annexes, treaties (printed without a number). They are not scored.
NOT_SCORED = {"FE DE ERRATAS", "ANEXO", "TRATADO", "CONVENIO", "ACUERDO"}
# SPIJ's category → the type code the grammar should give. "RESOLUCION <BODY>" categories
# (RESOLUCION SBS, RESOLUCION OSINERGMIN, ...) are printed that way and are generic resolutions.
SPIJ_CODES = {
    "LEY": "LEY",
    "DECRETO SUPREMO": "DS",
    "DECRETO DE URGENCIA": "DU",
    "DECRETO DE ALCALDIA": "DA",
    "DECRETOS VARIOS": "DEC",
    "RESOLUCION MINISTERIAL": "RM",
    "RESOLUCION SUPREMA": "RS",
    "RESOLUCION LEGISLATIVA": "RL",
    "RESOLUCION DIRECTORAL": "RD",
    "RESOLUCION VICEMINISTERIAL": "RVM",
    "RESOLUCION JEFATURAL": "RJ",
    "RESOLUCION EJECUTIVA": "RE",
    "RESOLUCION ADMINISTRATIVA": "RA",
    "RESOLUCION DE CONTRALORIA": "RC",
    "CIRCULAR": "CIR",
}
# Category names SPIJ invents ("VARIAS" = miscellaneous) are printed as the plain type word.
PRINTED_TYPE = {"RESOLUCION VARIAS": "RESOLUCION", "DECRETOS VARIOS": "DECRETO"}
# The gold parts of a SPIJ number, read independently of the grammar: marker, number, year
# (a legislative period keeps its first year), then everything after the separator is the issuer.
GOLD_NUMBER = re.compile(
    r"(?:N\.?\s*[º°]\s*)?(?P<number>[A-Z]{0,2}-?[0-9]+)"
    r"(?:[ -](?P<year>[0-9]{4})(?:-[0-9]{4})?)?(?:[-/](?P<issuer>.+))?"
)


@dataclass
class Score:
    """Counts per field for one test set, with the first failures kept for reading."""

    name: str
    total: int = 0
    right: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, checks: dict[str, bool], context: str) -> None:
        self.total += 1
        for name, ok in checks.items():
            self.right[name] = self.right.get(name, 0) + int(ok)
        if not all(checks.values()) and len(self.failures) < 8:
            wrong = ", ".join(name for name, ok in checks.items() if not ok)
            self.failures.append(f"{context!r}: {wrong}")

    def rates(self) -> Iterator[tuple[str, float, int]]:
        for name, right in self.right.items():
            yield f"{self.name}.{name}", right / self.total if self.total else 0.0, right


def mention_at(text: str, start: int) -> NormMention | None:
    return next((m for m in find_norms(text) if m.start == start), None)


def is_scored(category: str) -> bool:
    if category in NOT_SCORED:
        return False
    return category in SPIJ_CODES or category.startswith("RESOLUCION")


def expected_fields(category: str, gold: re.Match[str]) -> dict[str, str]:
    number = gold["number"]
    return {
        "type": SPIJ_CODES.get(category, "RES"),
        "number": str(int(number)) if number.isdigit() else number,
        "year": gold["year"] or "",
        "issuer": (gold["issuer"] or "").upper(),
    }


def score_spij(records: list[dict[str, str]], form: str, build: Callable[[str, str], str]) -> Score:
    score = Score(f"spij_{form}")
    for record in records:
        category = record["type"].strip()
        printed = record["number"].strip()
        gold = GOLD_NUMBER.fullmatch(printed)
        if not is_scored(category) or gold is None:
            continue  # not a norm type, or "Nº" with no number: nothing to find
        type_text = PRINTED_TYPE.get(category, category)
        text = build(type_text, printed)
        start = text.lower().index(type_text.lower())
        mention = mention_at(text, start)
        checks = {"found": mention is not None}
        for name, value in expected_fields(category, gold).items():
            checks[name] = mention is not None and getattr(mention, name) == value
        literal_end = start + len(f"{type_text} {printed}")
        checks["span"] = mention is not None and mention.end == literal_end
        score.add(checks, f"{type_text} {printed}")
    return score


def score_variants(rows: list[dict[str, str]]) -> Score:
    score = Score("variants")
    for row in rows:
        raw = row["raw_string"]
        literal = raw.strip("[]")  # "[DS 145-2021-PCM]": the brackets belong to the headline
        mentions = find_norms(raw)
        mention = mentions[0] if mentions else None
        checks = {
            "found": mention is not None,
            "key": mention is not None and mention.key == row["canonical_key"],
            "display": mention is not None and mention.display == row["canonical_display"],
            "raw": mention is not None and mention.raw == literal,
            "display_for_key": _same_norm_display(row),
        }
        score.add(checks, raw)
    return score


def _same_norm_display(row: dict[str, str]) -> bool:
    # display_for_key cannot know the printed zero padding ("0267"): compare without it.
    def unpadded(text: str) -> str:
        return re.sub(r"(?<=N° )0+(?=[0-9])", "", text)

    return unpadded(display_for_key(row["canonical_key"])) == unpadded(row["canonical_display"])


def sentence_case(type_text: str) -> str:
    """How running text prints a type: "Resolución Ministerial", but "Resolución OSINERGMIN"."""
    if type_text in SPIJ_CODES or type_text in PRINTED_TYPE.values():
        return type_text.title()
    head, _, body = type_text.partition(" ")
    return f"{head.title()} {body}"


def report(scores: list[Score], floors: dict[str, float]) -> int:
    status = 0
    for score in scores:
        print(f"{score.name}: {score.total} cases")
        for name, rate, right in score.rates():
            floor = floors.get(name)
            below = floor is not None and rate < floor
            status |= int(below)
            mark = f" BELOW FLOOR {floor:.3f}" if below else ""
            print(f"  {name:<32} {rate:7.3%}  ({right}/{score.total}){mark}")
        for failure in score.failures:
            print(f"    wrong: {failure}")
    missing = sorted(set(floors) - {name for s in scores for name, _, _ in s.rates()})
    for name in missing:
        print(f"  floor {name} names no measured field")
        status = 1
    return status


def main() -> int:
    if not CORPUS.is_dir():
        print(f"norms: skipped: corpus not found at {CORPUS}")
        return 0
    records = json.loads((CORPUS / "spij_normas.json").read_text(encoding="utf-8"))
    with (CORPUS / "variants.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    scores = [
        # The gazette header: type on one line, number on the next, the sumilla below.
        score_spij(records, "header", lambda t, n: f"{t}\n{n}\n\nAprueban disposiciones."),
        # Running text: the mention inside a sentence, followed by a comma.
        score_spij(records, "inline", lambda t, n: f"Según la {sentence_case(t)} {n}, se aplica."),
        score_variants(rows),
    ]
    floors = tomllib.loads(FLOORS.read_text(encoding="utf-8")).get("norms", {})
    return report(scores, {str(k): float(v) for k, v in floors.items()})


if __name__ == "__main__":
    sys.exit(main())
