"""The evidence view's pieces (overlapping spans combine, anchors once per reason, excerpts cut
at spaces) and the clock (zones only from the tz database; local wording of stored stamps)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from support import extraction

from pipeline.models import EvidenceMark
from pipeline.review.clock import Viewer, zone
from pipeline.review.evidence import Span, pieces, reason_views, text_spans


def test_overlapping_spans_combine_and_the_own_norm_wins_over_other() -> None:
    text = "El Mecanismo del DS 004-2021-JUS funciona."
    spans = [Span(3, 32, "alias"), Span(17, 32, "other"), Span(17, 32, "own", "", "ev-0")]
    out = pieces(text, spans)
    assert [(p.text, p.kinds) for p in out] == [
        ("El ", ()),
        ("Mecanismo del ", ("alias",)),
        ("DS 004-2021-JUS", ("own", "alias")),
        (" funciona.", ()),
    ]
    assert [p.anchor for p in out] == ["", "", "ev-0", ""]


def test_marks_anchor_once_per_reason_and_excerpts_cut_at_spaces() -> None:
    text = "palabra " * 40 + "Decreto Supremo N° 004-2021-JUS" + " cola" * 60
    doc = extraction("t", text)
    start = text.index("Decreto")
    marks = [EvidenceMark(0, "norm", "text", start, start + 31),
             EvidenceMark(0, "norm", "text", 0, 7)]  # fmt: skip
    spans = text_spans(doc, marks, {"DS|4|2021|JUS"})
    assert [s.anchor for s in spans if s.anchor] == ["ev-0"]
    (view,) = reason_views(doc, ["cites it"], marks, spans)
    joined = "".join(p.text for p in view.excerpt)
    assert joined.startswith("… palabra") and joined.endswith("cola …")
    assert view.target == "#ev-0" and view.kind == "own"
    assert not any(p.anchor for p in view.excerpt), "ids live in the text only"


def test_zones_come_only_from_the_tz_database() -> None:
    assert zone("America/Lima") == zoneinfo.ZoneInfo("America/Lima")
    for bad in ("../../etc/passwd", "/etc/localtime", "Nowhere/City", "", "x" * 500, None):
        assert zone(bad) is None


def test_a_stored_stamp_reads_in_the_viewers_zone() -> None:
    lima = Viewer("ana", zoneinfo.ZoneInfo("America/Lima"))
    assert lima.when("2026-12-05T03:10:00+00:00") == "4 Dec 2026, 22:10 -05"
    assert lima.when("not a stamp") == "not a stamp"
    midnight = dt.datetime.fromisoformat(lima.start_of_today())
    assert midnight.astimezone(lima.tz).hour == 0
