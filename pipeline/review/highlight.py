"""Review stage: the document text cut into segments at its norm and date mentions, so a template
can mark them up. Pure: no HTML is built here — each segment is escaped by the template like any
other text, so hostile text can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Extraction

# Long enough for any gazette norm; a 5 MB page would make the review screen unusable anyway.
MAX_TEXT = 200_000


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # "" plain, "norm" or "date"
    label: str = ""  # what the mention was read as, shown on hover


def segments(extraction: Extraction) -> list[Segment]:
    """The text as plain and highlighted segments, in order; overlapping spans keep the first."""
    text = extraction.text[:MAX_TEXT]
    spans: list[tuple[int, int, str, str]] = [
        (n.start, n.end, "norm", f"{n.display} ({n.key})") for n in extraction.norms
    ]
    spans += [
        (d.start, d.end, "date", f"{d.kind.value} date {d.value.isoformat()}")
        for d in extraction.dates
        if d.start is not None and d.end is not None
    ]
    out: list[Segment] = []
    pos = 0
    for start, end, kind, label in sorted(spans):
        if start < pos or not 0 <= start < end <= len(text):  # overlapping or out of range
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], kind, label))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
