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
    extracted_document_ids,
    has_extraction,
    listed_urls,
    save_extraction,
    set_country,
    store_version,
    version_of,
)
from .matches import SaveResult, match_statuses, queue_counts, save_matches
from .migrations import dump_schema, migrate
from .policies import ImportResult, import_policies, load_policies
from .proposals import (
    StoredProposal,
    close_proposal,
    list_proposals,
    proposals_between,
    save_proposals,
)
from .runs import RunRow, finish_run, last_runs, record_failure, start_run, table_counts

__all__ = [
    "CurrentExtraction",
    "ImportResult",
    "RunRow",
    "SaveResult",
    "StoredProposal",
    "StoredVersion",
    "close_proposal",
    "conditional_headers",
    "connect",
    "current_extractions",
    "dump_schema",
    "ensure_document",
    "extracted_document_ids",
    "finish_run",
    "has_extraction",
    "import_policies",
    "last_runs",
    "list_proposals",
    "listed_urls",
    "load_policies",
    "match_statuses",
    "migrate",
    "now",
    "proposals_between",
    "queue_counts",
    "record_failure",
    "save_extraction",
    "save_matches",
    "save_proposals",
    "set_country",
    "start_run",
    "store_version",
    "table_counts",
    "transaction",
    "version_of",
]
