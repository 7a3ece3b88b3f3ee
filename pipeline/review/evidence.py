"""Review stage: the evidence of a match as an editor reads it. The document's text is cut into
pieces, each carrying what it is — the policy's own norm, another norm, the policy's name or a
phrase of it, a date — and each reason of the score gets an excerpt around the words that
produced it and an anchor to them in the text.

Pure: takes a match (its reasons' spans, from the linker) and the policy's norm keys; gives
records. No HTML is built here: the template escapes every piece like any other text, so hostile
text never becomes markup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..models import EvidenceMark, Extraction

# Long enough for any gazette norm; a 5 MB page would make the review screen unusable anyway.
MAX_TEXT = 200_000
# Characters of context on each side of a reason's words in its excerpt: about two lines.
CONTEXT = 140
# What each kind of piece is called in the legend and on hover; the order is the order of
# precedence when spans overlap (an own norm inside the policy's name is shown as the norm).
KINDS = {
    "own": "this entry's norm",
    "alias": "the entry's name or a phrase of it",
    "other": "another norm",
    "date": "a date",
}


@dataclass(frozen=True)
class Piece:
    text: str
    kinds: tuple[str, ...] = ()  # what the piece is, most telling first ("" pieces are plain)
    label: str = ""  # shown on hover: what the mention was read as
    anchor: str = ""  # an id for the first piece of a reason's evidence


@dataclass(frozen=True)
class ReasonView:
    text: str
    kind: str  # "own" | "alias" | "" (no span: e.g. an ambiguity)
    excerpt: tuple[Piece, ...]  # the words that produced it, with context
    target: str  # "#ev-N" when the words are in the text below, else ""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    label: str = ""
    anchor: str = ""


def text_spans(
    extraction: Extraction, marks: Sequence[EvidenceMark], own_keys: Collection[str]
) -> list[Span]:
    """Every span worth marking in the text: norms (own or other), the linker's evidence, dates."""
    spans = [
        Span(n.start, n.end, "own" if n.key in own_keys else "other", f"{n.display} ({n.key})")
        for n in extraction.norms
    ]
    spans += [
        Span(d.start, d.end, "date", f"{d.kind.value} date {d.value.isoformat()}")
        for d in extraction.dates
        if d.start is not None and d.end is not None
    ]
    anchored: set[int] = set()
    for mark in marks:
        if mark.field != "text":
            continue
        anchor = "" if mark.reason in anchored else f"ev-{mark.reason}"
        anchored.add(mark.reason)
        kind = "alias" if mark.kind == "alias" else "own"
        spans.append(Span(mark.start, mark.end, kind, "evidence for the score", anchor))
    return spans


def pieces(text: str, spans: Sequence[Span], start: int = 0, end: int | None = None) -> list[Piece]:
    """text[start:end] as pieces: a sweep over the spans' boundaries, so overlapping spans
    combine (a piece inside a norm and the policy's name is both), in one pass."""
    end = len(text) if end is None else end
    inside = sorted(
        (s for s in spans if s.start < end and s.end > start and 0 <= s.start < s.end),
        key=lambda s: s.start,
    )
    cuts = sorted({start, end, *(max(s.start, start) for s in inside),
                   *(min(s.end, end) for s in inside)})  # fmt: skip
    out: list[Piece] = []
    active: list[Span] = []
    following = 0
    for a, b in itertools.pairwise(cuts):
        while following < len(inside) and inside[following].start <= a:
            active.append(inside[following])
            following += 1
        active = [s for s in active if s.end > a]
        out.append(_piece(text[a:b], active, a))
    return _merge_plain(out)


def _piece(text: str, over: Sequence[Span], at: int) -> Piece:
    kinds = tuple(k for k in KINDS if any(s.kind == k for s in over))
    if "own" in kinds and "other" in kinds:  # the linker read this mention as the norm
        kinds = tuple(k for k in kinds if k != "other")
    label = "; ".join(dict.fromkeys(s.label for s in over if s.label))
    anchor = next((s.anchor for s in over if s.anchor and s.start == at), "")
    return Piece(text, kinds, label, anchor)


def _merge_plain(items: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in items:
        if merged and not piece.kinds and not merged[-1].kinds:
            merged[-1] = Piece(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Context around [start, end), cut at spaces so no word is halved."""
    a = max(0, start - CONTEXT)
    b = min(len(text), end + CONTEXT)
    if a > 0:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < len(text):
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return a, b


def reason_views(
    extraction: Extraction | None,
    reasons: Sequence[str],
    marks: Sequence[EvidenceMark],
    spans: Sequence[Span],
) -> list[ReasonView]:
    """Each reason with its excerpt (the first place its evidence stands) and its anchor."""
    first: dict[int, EvidenceMark] = {}
    for mark in marks:
        first.setdefault(mark.reason, mark)
    views = []
    for i, reason in enumerate(reasons):
        found = first.get(i)
        if extraction is None or found is None:
            views.append(ReasonView(reason, "", (), ""))
            continue
        mark = found
        kind = "alias" if mark.kind == "alias" else "own"
        if mark.field == "text" and mark.end <= min(len(extraction.text), MAX_TEXT):
            a, b = _window(extraction.text, mark.start, mark.end)
            own = [Span(s.start, s.end, s.kind, s.label) for s in spans]  # no ids twice
            excerpt = _ellipsis(pieces(extraction.text, own, a, b), a, b, extraction.text)
            views.append(ReasonView(reason, kind, tuple(excerpt), f"#ev-{i}"))
        else:
            title = extraction.title
            marked = [Span(mark.start, mark.end, kind, "evidence for the score")]
            views.append(ReasonView(reason, kind, tuple(pieces(title, marked)), ""))
    return views


def _ellipsis(items: list[Piece], a: int, b: int, text: str) -> list[Piece]:
    if a > 0:
        items.insert(0, Piece("… "))
    if b < len(text):
        items.append(Piece(" …"))
    return _merge_plain([Piece(_one_line(p.text), p.kinds, p.label) for p in items])


_BREAKS = re.compile(r"\s*\n\s*")


def _one_line(text: str) -> str:
    """An excerpt reads as one passage: line breaks of the source become separators."""
    return _BREAKS.sub(" · ", text)
