"""One document through the pipeline: fetched bytes → archive → version → extraction → matches.

Shared by `add`, `replay` and the nightly run, so all three store exactly the same things. Each
step is idempotent: an unchanged body adds no version, an extraction is made once per version and
extractor version, and matches are saved by the rules that protect editors' decisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils

from . import store
from .archive import Archive
from .config import LinkSettings
from .errors import FailureClass, FetchError
from .extract import EXTRACTOR_VERSION, extract_document
from .fetch.content import content_kind, text_fingerprint
from .link import PolicyIndex, PolicyLookup, find_proposals, link_document
from .localfiles import MAX_DOCUMENT_BYTES, read_regular
from .models import NOT_KNOWN, DocumentCountry, Extraction, Fetched, Link, MatchStatus
from .store.documents import latest_text_hash, touch_document

# Documents re-linked per write transaction: at ~3 ms each, a nightly run waiting for the lock
# waits a tenth of a second, and the commits stay few.
RELINK_CHUNK = 32


@dataclass(frozen=True)
class IngestResult:
    document_id: int
    new_version: bool
    extracted: bool
    extraction: Extraction | None
    matches: dict[str, MatchStatus]
    # ok, or why the page was not kept: blocked | not_found | empty (bot walls, soft 404s)
    page_class: str = "ok"


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

    def ingest(
        self,
        link: Link,
        fetched: Fetched,
        country: DocumentCountry = NOT_KNOWN,
        earliest: dt.date | None = None,
    ) -> IngestResult:
        """Store what is new in `fetched`. `country` is what the caller knows (given, or the
        source's); without it the extract stage tells it from the page. Raises FetchError
        UNSUPPORTED for bodies that are neither HTML nor PDF (whatever the Content-Type said),
        before anything is written."""
        kind = content_kind(fetched.body, fetched.content_type) if fetched.status != 304 else ""
        if kind == "unsupported":
            what = fetched.content_type or "no Content-Type"
            raise FetchError(link.url, FailureClass.UNSUPPORTED, f"not HTML or PDF ({what})")
        doc_id = store.ensure_document(self.db, link, country)
        if not kind:  # 304: unchanged since the last visit, nothing new to read
            return self._unchanged(doc_id, fetched)
        known = store.version_of(self.db, doc_id, fetched.sha256)
        if known is not None and store.has_extraction(self.db, known, EXTRACTOR_VERSION):
            return self._unchanged(doc_id, fetched)
        # New bytes with the same words as the last extracted version (a rotating banner, a
        # fresh token): neither a new version nor a new extraction, and nothing to re-link.
        text_hash = text_fingerprint(fetched.body, kind)
        if known is None and text_hash == latest_text_hash(self.db, doc_id, EXTRACTOR_VERSION):
            return self._unchanged(doc_id, fetched)
        # A link that answers once only (a session-bound PDF) is archived before anything can
        # fail: its bytes cannot be asked for again, and an unreadable copy is still the evidence.
        single_use = known is None and bool(link.extra.get("archive_only"))
        ref = self.archive.write(fetched) if single_use else ""
        extraction = extract_document(
            fetched.body,
            url=link.url,
            content_type=fetched.content_type,
            listed=link,
            fetched_at=fetched.fetched_at,
            country=country,
            earliest=earliest,  # the source's window: older dates are implausible for it
        )
        if extraction.page_class != "ok":
            # A bot wall or a "not found" served with 200 is not a version of the document:
            # kept, it would hide the last good version from every later stage.
            return IngestResult(doc_id, False, False, extraction, {}, extraction.page_class)
        # A body already kept is not archived again: the archive grows with real changes only.
        if known is None and not ref:
            ref = self.archive.write(fetched)
        # One transaction from version to matches: a run killed in between leaves either the
        # whole document or nothing, never a version without its extraction.
        with store.transaction(self.db):
            version = store.store_version(self.db, doc_id, fetched, ref, text_hash)
            store.save_extraction(self.db, version.version_id, extraction)
            store.set_country(self.db, doc_id, extraction.country)
            matches = self.link(doc_id, extraction)
        return IngestResult(doc_id, version.is_new, True, extraction, matches)

    def _unchanged(self, doc_id: int, fetched: Fetched) -> IngestResult:
        touch_document(self.db, doc_id, fetched)
        return IngestResult(doc_id, False, False, None, {})

    def link(self, doc_id: int, extraction: Extraction) -> dict[str, MatchStatus]:
        proposals = [
            replace(m, document_id=doc_id)
            for m in link_document(extraction, self.index, self.settings)
        ]
        store.save_matches(self.db, doc_id, proposals)
        store.save_proposals(self.db, doc_id, find_proposals(extraction, self.index))
        # What the document is now linked as: an editor's decision outranks the proposal.
        return store.match_statuses(self.db, doc_id)

    def relink_all(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-link every document's current extraction (after policies or aliases change),
        telling `progress(done, total)` after each chunk. Each chunk reads its extractions and
        writes their matches in one BEGIN IMMEDIATE transaction: a nightly run that stores a
        newer extraction meanwhile waits for the chunk (busy timeout) and then links it itself,
        so a re-link never overwrites newer matches with older ones."""
        self._index = None
        ids = store.extracted_document_ids(self.db)
        if progress is not None:
            progress(0, len(ids))
        for first in range(0, len(ids), RELINK_CHUNK):
            with store.transaction(self.db):
                for doc_id in ids[first : first + RELINK_CHUNK]:
                    for current in store.current_extractions(self.db, doc_id):
                        self.link(doc_id, current.extraction)
            if progress is not None:
                progress(min(first + RELINK_CHUNK, len(ids)), len(ids))
        return len(ids)


def fetched_from_file(path: Path, url: str | None) -> Fetched:
    """A local file as if fetched: the same archive, extraction and linking as a web page.
    Regular files only, within the cap a fetch has (a named pipe, a device, /dev/zero refused)."""
    body = read_regular(path, "file", MAX_DOCUMENT_BYTES)
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
