"""The store: the only package that speaks SQL (SQLite through sqlite-utils).

Rows ↔ records live here; every other stage hands records in and gets records out.
"""

from .db import connect, now, transaction
from .documents import (
    CurrentExtraction,
    StoredVersion,
    conditional_headers,
    current_extractions,
    ensure_document,
    has_extraction,
    listed_urls,
    save_extraction,
    store_version,
)
from .matches import SaveResult, queue_counts, save_matches
from .migrations import dump_schema, migrate
from .policies import ImportResult, import_policies, load_policies

__all__ = [
    "CurrentExtraction",
    "ImportResult",
    "SaveResult",
    "StoredVersion",
    "conditional_headers",
    "connect",
    "current_extractions",
    "dump_schema",
    "ensure_document",
    "has_extraction",
    "import_policies",
    "listed_urls",
    "load_policies",
    "migrate",
    "now",
    "queue_counts",
    "save_extraction",
    "save_matches",
    "store_version",
    "transaction",
]
