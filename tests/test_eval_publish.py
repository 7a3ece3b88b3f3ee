"""The publishing eval: every floor is measured, and each demo page is drafted for its own entry."""

from __future__ import annotations

import json
import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import eval_publish


def test_a_floor_nothing_measured_fails_unless_its_corpus_is_absent() -> None:
    floors = {"demo.draft.made": 1.0, "demo.draft.renamed": 1.0, "spij.draft.made": 0.9}
    shares = {"demo.draft.made": 1.0}
    assert list(eval_publish.check(shares, floors, {"spij"})) == [
        "FAIL: the floor demo.draft.renamed names nothing measured"
    ]
    assert len(list(eval_publish.check(shares, floors))) == 2
    assert list(eval_publish.check({"demo.draft.made": 0.5}, {"demo.draft.made": 1.0})) == [
        "FAIL: demo.draft.made 0.500 below the floor 1.000"
    ]


def test_each_demo_page_is_drafted_against_its_own_entry() -> None:
    expected = json.loads((ROOT / "demo" / "expected.json").read_text(encoding="utf-8"))
    entries = eval_publish.seeds()
    pages = [
        want
        for want in expected.values()
        if want["policy"] and set(want["norms"]) & set(entries[want["policy"]].norms)
    ]
    tally = eval_publish.Tally()
    eval_publish.demo(tally)
    assert tally.counts["demo.draft.made"] == [len(pages), len(pages)]
    assert {entries[w["policy"]].country for w in pages} == {"PE", "HN", "BR", "CI"}
    assert tally.counts["demo.draft.traceable"] == [len(pages), len(pages)]
