"""Review stage: the queue of matches as editors browse it — filters read from untrusted query
parameters into a QueueFilter (unknown statuses, kinds and sort keys fall back to the defaults,
score bounds that are not numbers from 0 to 100 are dropped), and the neighbours of a match in
that queue (for j / k and for "next" after a decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from ..store.decisions import Database
from ..store.queue import KINDS, SORTS, STATUSES, QueueFilter, queue_ids

# Longer than any real policy id, source id or search phrase; bounds what reaches a query.
_MAX_PARAM = 200
PAGE_SIZE = 50
# Query parameter names of the filter's fields, where they differ (scores travel as percents,
# as the pages show them).
_PARAMS = {"search": "q", "min_score": "min", "max_score": "max"}


def parse_filter(params: Mapping[str, str]) -> QueueFilter:
    """A QueueFilter from query parameters; anything unexpected becomes the default."""
    status = params.get("status", "pending")
    sort = params.get("sort", "uncertain")
    kind = params.get("kind", "")
    return QueueFilter(
        status=status if status in STATUSES else "pending",
        country=_text(params.get("country")).upper(),
        policy=_text(params.get("policy")),
        source=_text(params.get("source")),
        search=_text(params.get("q")),
        sort=sort if sort in SORTS else "uncertain",
        kind=kind if kind in KINDS else "",
        min_score=_percent(params.get("min")),
        max_score=_percent(params.get("max")),
    )


def _text(value: str | None) -> str:
    return (value or "").strip()[:_MAX_PARAM]


def _percent(value: str | None) -> float | None:
    """A score bound typed in percent ("55", "55.5", "55%"), as a 0..1 fraction; anything
    else (empty, not a number, out of 0-100) is no bound."""
    text = _text(value).rstrip("%").strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return round(number / 100, 4) if 0 <= number <= 100 else None


def _param(name: str, value: object) -> str:
    if name in ("min_score", "max_score") and isinstance(value, float):
        return f"{value * 100:g}"
    return str(value)


def filter_query(f: QueueFilter) -> str:
    """The query string that reproduces `f` (defaults left out), for links and redirects."""
    default = QueueFilter()
    pairs = [
        (_PARAMS.get(fl.name, fl.name), _param(fl.name, getattr(f, fl.name)))
        for fl in fields(f)
        if getattr(f, fl.name) != getattr(default, fl.name)
    ]
    return urlencode(pairs)


def page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 100_000))
    except ValueError:
        return 1


@dataclass(frozen=True)
class Neighbours:
    previous: int | None
    next: int | None
    position: int  # 1-based; 0 when the match is not (or no longer) in this queue
    total: int


def neighbours(db: Database, f: QueueFilter, match_id: int) -> Neighbours:
    ids = queue_ids(db, f)
    if match_id not in ids:
        return Neighbours(None, ids[0] if ids else None, 0, len(ids))
    i = ids.index(match_id)
    return Neighbours(
        ids[i - 1] if i > 0 else None,
        ids[i + 1] if i + 1 < len(ids) else None,
        i + 1,
        len(ids),
    )
