"""Review stage: the queue page (filters, progress, one page of matches, the bulk form) and the
list of policy entries.

Takes a database, the viewer and query parameters (untrusted strings); gives template contexts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..store.decisions import Database
from ..store.queue import (
    KINDS,
    SORTS,
    STATUSES,
    filter_choices,
    list_queue,
    policy_rows,
    status_counts,
)
from . import decisions
from .clock import Viewer
from .pages import progress
from .queue import PAGE_SIZE, filter_query, page_number, parse_filter

QUEUE_KEYS = ("j", "k", "Enter")
POLICIES_PAGE = 100
# Statuses whose matches a bulk decision may take: what still waits for an editor's word.
BULK_STATUSES = ("pending", "stale", "auto")


def queue_page(db: Database, viewer: Viewer, params: Mapping[str, str]) -> dict[str, Any]:
    f = parse_filter(params)
    page = page_number(params.get("page"))
    items = list_queue(db, f, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    counts = status_counts(db, f)
    return {
        "filter": f,
        "items": items[:PAGE_SIZE],
        "page": page,
        "more": len(items) > PAGE_SIZE,
        "counts": counts,
        "choices": filter_choices(db),
        "kinds": KINDS,
        "queue": filter_query(f),
        "queue_pairs": parse_qsl(filter_query(f)),
        "statuses": STATUSES,
        "sorts": list(SORTS),
        "progress": progress(db, f, viewer),
        "bulk": f.status in BULK_STATUSES and counts[f.status] > 0,
        "shown": counts[f.status],
        "reasons": decisions.REJECT_REASONS,
        "keys": QUEUE_KEYS,
    }


def policies_page(db: Database, viewer: Viewer, params: Mapping[str, str]) -> dict[str, Any]:
    country = params.get("country", "").strip().upper()[:2]
    search = params.get("q", "").strip()[:200]
    page = page_number(params.get("page"))
    rows = policy_rows(db, country, search, POLICIES_PAGE + 1, (page - 1) * POLICIES_PAGE)
    query = urlencode([(k, v) for k, v in (("country", country), ("q", search)) if v])
    return {
        "rows": rows[:POLICIES_PAGE],
        "countries": filter_choices(db)["country"],
        "country": country,
        "search": search,
        "page": page,
        "more": len(rows) > POLICIES_PAGE,
        "query": query,
        "keys": (),
    }
