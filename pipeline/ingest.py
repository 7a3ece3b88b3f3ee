"""One document through the pipeline: fetched bytes → archive → version → extraction → matches.

Shared by `add`, `replay` and the nightly run, so all three store exactly the same things. Each
step is idempotent: an unchanged body adds no version, an extraction is made once per version and
extractor version, and matches are saved by the rules that protect editors' decisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils

from . import store
from .archive import Archive
from .config import LinkSettings
from .errors import InputError
from .extract import EXTRACTOR_VERSION, extract_document
from .link import PolicyIndex, PolicyLookup, find_proposals, link_document
from .models import Extraction, Fetched, Link, MatchStatus


@dataclass(frozen=True)
class IngestResult:
    document_id: int
    new_version: bool
    extracted: bool
    extraction: Extraction | None
    matches: dict[str, MatchStatus]


class Ingestor:
    """Holds what a batch of documents shares: the database, the archive and the policy index."""

    def __init__(self, db: sqlite_utils.Database, archive: Archive, settings: LinkSettings):
        self.db = db
        self.archive = archive
        self.settings = settings
        self._index: PolicyLookup | None = None

    @property
    def index(self) -> PolicyLookup:
        if self._index is None:
            self._index = PolicyIndex(store.load_policies(self.db))
        return self._index

    def ingest(self, link: Link, fetched: Fetched, country: str) -> IngestResult:
        doc_id = store.ensure_document(self.db, link, country)
        if fetched.status == 304:  # unchanged since the last visit: nothing new to read
            return IngestResult(doc_id, False, False, None, {})
        # A body already kept (a server without validators re-sending the same page) is neither
        # archived again nor re-extracted: the archive grows with real changes only.
        known = store.version_of(self.db, doc_id, fetched.sha256)
        ref = "" if known else self.archive.write(fetched)
        version = store.store_version(self.db, doc_id, fetched, ref)
        if store.has_extraction(self.db, version.version_id, EXTRACTOR_VERSION):
            return IngestResult(doc_id, version.is_new, False, None, {})
        extraction = extract_document(
            fetched.body,
            url=link.url,
            content_type=fetched.content_type,
            listed=link,
            fetched_at=fetched.fetched_at,
            country=country,
        )
        store.save_extraction(self.db, version.version_id, extraction)
        matches = self.link(doc_id, extraction, country)
        return IngestResult(doc_id, version.is_new, True, extraction, matches)

    def link(self, doc_id: int, extraction: Extraction, country: str) -> dict[str, MatchStatus]:
        proposals = [
            replace(m, document_id=doc_id)
            for m in link_document(extraction, self.index, self.settings, country)
        ]
        store.save_matches(self.db, doc_id, proposals)
        store.save_proposals(self.db, doc_id, find_proposals(extraction, self.index))
        # What the document is now linked as: an editor's decision outranks the proposal.
        return store.match_statuses(self.db, doc_id)

    def relink_all(self) -> int:
        """Re-link every document's current extraction (after policies or aliases change)."""
        self._index = None
        count = 0
        for current in store.current_extractions(self.db):
            self.link(current.document_id, current.extraction, current.country)
            count += 1
        return count


def fetched_from_file(path: Path, url: str | None) -> Fetched:
    """A local file as if fetched: the same archive, extraction and linking as a web page."""
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a document: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    final = url or path.resolve().as_uri()
    content_type = mimetypes.guess_type(path.name)[0] or ""
    return Fetched(
        url=final,
        final_url=final,
        status=200,
        headers={"content-type": content_type} if content_type else {},
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=dt.datetime.now(dt.UTC),
        content_type=content_type,
    )
