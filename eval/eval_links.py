"""Linking accuracy on the project's own labelled sets: eval/links/cases.jsonl against
eval/links/policies.json plus every demo page against the demo's four seeds ([links] floors), and
the multilingual set eval/links/multilingual.jsonl (es, pt, fr, en pages over entries of Honduras,
Brazil, Côte d'Ivoire, Mexico, Peru and Colombia; each page's country told from its URL and text,
as `pipeline add` would) against eval/links/multilingual-policies.json ([links_multilingual]).

Run by `make eval`. The headline is the precision of auto-accepted links (what is published
without a human look); recall counts a relevant pair found when it is auto-accepted or queued for
review. Exits 1 below a floor in eval/floors.toml. Needs no external corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "demo"))

from serve import file_for_url  # noqa: E402

from pipeline.config import LinkSettings  # noqa: E402
from pipeline.extract import extract_document  # noqa: E402
from pipeline.link import PolicyIndex, link_document  # noqa: E402
from pipeline.models import (  # noqa: E402
    CountryMethod,
    DateKind,
    DateMention,
    DateMethod,
    DocumentCountry,
    Extraction,
    MatchStatus,
)
from pipeline.policies import read_policy_file  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    extraction: Extraction
    relevant: frozenset[str]


def labelled_cases(path: Path) -> Iterator[Case]:
    """Each case as a page: its title heading its text, at its URL (".test" when it has none:
    no country there), in its country when the case gives one, else told from URL and text."""
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        body = f"{case['title']}\n\n{case['text']}\n".encode()
        url = case.get("url") or f"https://eval.test/{case['id']}"
        found = extract_document(body, url=url, country=case.get("country", ""))
        if case.get("published"):
            stamp = DateMention(
                dt.date.fromisoformat(case["published"]), DateKind.PUBLISHED, DateMethod.META
            )
            found = replace(found, published=stamp)
        told = found.country.code or "??"
        yield Case(f"{case['id']} [{told}]", found, frozenset(case["relevant"]))


def demo_cases() -> Iterator[Case]:
    expected = json.loads((ROOT / "demo" / "expected.json").read_text(encoding="utf-8"))
    for url, want in sorted(expected.items()):
        path = file_for_url(ROOT / "demo" / "web", url)
        assert path is not None, f"demo/expected.json names {url}, which demo/web does not serve"
        # As `make demo` reads them: a page an entry lists, or a source with a country gives,
        # is read in that country; the pages of sources without one are told by host or text.
        country = DocumentCountry()
        if want["country_method"] == "source":
            country = DocumentCountry(want["country"], CountryMethod.SOURCE, "the demo's sources")
        found = extract_document(
            path.read_bytes(), url=url, content_type="text/html", country=country
        )
        yield Case(
            url.split("://", 1)[1],
            found,
            frozenset([want["policy"]] if want["policy"] else []),
        )


def evaluate(cases: Iterator[Case], index: PolicyIndex) -> dict[str, int]:
    totals = {"relevant": 0, "found": 0, "auto": 0, "auto_right": 0, "queued": 0, "queued_right": 0}
    for case in cases:
        matches = link_document(case.extraction, index, LinkSettings())
        totals["relevant"] += len(case.relevant)
        for m in matches:
            right = m.policy_id in case.relevant
            kind = "auto" if m.status is MatchStatus.AUTO else "queued"
            totals[kind] += 1
            totals[f"{kind}_right"] += right
            totals["found"] += right
            mark = "ok " if right else "BAD" if kind == "auto" else "q? "
            print(f"{mark} {case.name[:60]:60} {m.policy_id:14} {m.status.value:7} {m.score:.2f}")
        missed = case.relevant - {m.policy_id for m in matches}
        for policy_id in sorted(missed):
            print(f"MISS {case.name[:59]:59} {policy_id}")
    return totals


def ratios(t: dict[str, int]) -> dict[str, float]:
    return {
        "auto_precision": t["auto_right"] / t["auto"] if t["auto"] else 1.0,
        "recall_with_queue": t["found"] / t["relevant"] if t["relevant"] else 1.0,
        "auto_recall": t["auto_right"] / t["relevant"] if t["relevant"] else 1.0,
        "queue_precision": t["queued_right"] / t["queued"] if t["queued"] else 1.0,
    }


def report(section: str, totals: dict[str, int], floors: dict[str, float]) -> bool:
    """Print one set's figures against its floors; True when one is below."""
    print(f"{section}: {totals['auto']} auto-accepted, {totals['queued']} queued,", end=" ")
    print(f"{totals['relevant']} relevant pairs")
    failed = False
    for name, value in ratios(totals).items():
        floor = floors.get(name, 0.0)
        failed |= value < floor
        below = "  BELOW FLOOR" if value < floor else ""
        print(f"  {name:18} {value:.3f}  (floor {floor:.3f}){below}")
    return failed


def main() -> int:
    links = ROOT / "eval" / "links"
    own = PolicyIndex(read_policy_file(links / "policies.json"))
    seeds = sorted((ROOT / "db" / "seed").glob("*.json"))
    seed = PolicyIndex([p for path in seeds for p in read_policy_file(path)])
    totals = evaluate(labelled_cases(links / "cases.jsonl"), own)
    for key, value in evaluate(demo_cases(), seed).items():
        totals[key] += value
    multilingual = PolicyIndex(read_policy_file(links / "multilingual-policies.json"))
    languages = evaluate(labelled_cases(links / "multilingual.jsonl"), multilingual)
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text(encoding="utf-8"))
    failed = report("links", totals, floors["links"])
    failed |= report("links_multilingual", languages, floors["links_multilingual"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
