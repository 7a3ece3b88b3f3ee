"""Publication-date accuracy on the development corpus (../shared/corpus/dates-dev).

Run by `make eval`. Prints one line per page and the accuracy; exits 0 with "skipped" when the
corpus is absent (a fresh clone has no ../shared), 1 when accuracy is below the [dates] floor in
eval/floors.toml.
"""

from __future__ import annotations

import csv
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dates-dev"
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_document  # noqa: E402 - after the path set-up above


def floor() -> float:
    path = ROOT / "eval" / "floors.toml"
    if not path.exists():
        return 0.0
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("dates", {})
    return float(table.get("accuracy", 0.0))


def main() -> int:
    labels = CORPUS / "labels.tsv"
    if not labels.exists():
        print("skipped: corpus not found")
        return 0
    with labels.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    right, started = 0, time.perf_counter()
    for row in rows:
        body = (CORPUS / "pages" / row["file"]).read_bytes()
        got = extract_document(body, url=row["url"], content_type="text/html").published
        value = got.value.isoformat() if got else "-"
        ok = value == row["gold_date"]
        right += ok
        method = got.method.value if got else "-"
        mark = "ok  " if ok else "MISS"
        print(f"{mark} {row['file']:<28} gold {row['gold_date']} got {value} ({method})")
    accuracy = right / len(rows) if rows else 0.0
    per_doc = (time.perf_counter() - started) / max(len(rows), 1) * 1000
    print(f"dates: {right}/{len(rows)} right, accuracy {accuracy:.3f}, {per_doc:.0f} ms/doc")
    if accuracy < floor():
        print(f"FAIL: below the floor {floor():.3f} in eval/floors.toml [dates]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
