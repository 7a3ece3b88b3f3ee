"""Documents in the store: one row per canonical URL, a version per distinct body, an extraction
per version and extractor version. Natural keys make every write idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace

import sqlite_utils

from ..models import NOT_KNOWN, CountryMethod, DocumentCountry, Extraction, Fetched, Link
from .codec import extraction_data, extraction_from_row
from .db import now, transaction


@dataclass(frozen=True)
class StoredVersion:
    document_id: int
    version_id: int
    is_new: bool


def ensure_document(
    db: sqlite_utils.Database,
    link: Link,
    country: DocumentCountry = NOT_KNOWN,
    source_name: str = "",
) -> int:
    """The document row for a URL, created on first sight; listing facts fill only blanks. Its
    country is what the caller knows; the extraction's reading replaces it (set_country)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO documents (url, source_id, source_name, country, country_method,"
            " country_detail, listed_title, listed_date, listed_extra, first_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE"
            " SET listed_title = CASE WHEN listed_title = '' THEN excluded.listed_title"
            " ELSE listed_title END, listed_date = COALESCE(listed_date, excluded.listed_date),"
            " source_name = CASE WHEN source_name = '' THEN excluded.source_name"
            " ELSE source_name END, listed_extra = CASE WHEN listed_extra = '{}'"
            " THEN excluded.listed_extra ELSE listed_extra END",
            (
                link.url,
                link.source_id,
                source_name or link.source_name,
                country.code,
                country.method.value,
                country.detail,
                link.listed_title,
                link.listed_date.isoformat() if link.listed_date else None,
                json.dumps(dict(link.extra), ensure_ascii=False, sort_keys=True),
                now(),
            ),
        )
        row = conn.execute("SELECT id FROM documents WHERE url = ?", (link.url,)).fetchone()
    return int(row[0])


def store_version(
    db: sqlite_utils.Database,
    document_id: int,
    fetched: Fetched,
    archive_ref: str,
    text_hash: str = "",
) -> StoredVersion:
    """Keep a fetched body as a version of its document unless that exact body is known."""
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO versions (document_id, sha256, fetched_at, final_url, http_status,"
            " content_type, archive_ref, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (document_id, sha256) DO NOTHING",
            (
                document_id,
                fetched.sha256,
                fetched.fetched_at.isoformat(timespec="seconds"),
                fetched.final_url,
                fetched.status,
                fetched.content_type,
                archive_ref,
                text_hash,
            ),
        )
        is_new = cur.rowcount == 1
        version_id = conn.execute(
            "SELECT id FROM versions WHERE document_id = ? AND sha256 = ?",
            (document_id, fetched.sha256),
        ).fetchone()[0]
        conn.execute(
            "UPDATE documents SET etag = ?, last_modified = ?, last_checked = ? WHERE id = ?",
            (fetched.headers.get("etag"), fetched.headers.get("last-modified"), now(), document_id),
        )
    return StoredVersion(document_id, int(version_id), is_new)


def set_country(db: sqlite_utils.Database, document_id: int, country: DocumentCountry) -> None:
    """Record the country the document's latest extraction was read for, and how it was told."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE documents SET country = ?, country_method = ?, country_detail = ? WHERE id = ?",
            (country.code, country.method.value, country.detail, document_id),
        )


def touch_document(db: sqlite_utils.Database, document_id: int, fetched: Fetched) -> None:
    """A visit that found nothing new: remember the validators and when we looked."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE documents SET etag = COALESCE(?, etag),"
            " last_modified = COALESCE(?, last_modified), last_checked = ? WHERE id = ?",
            (fetched.headers.get("etag"), fetched.headers.get("last-modified"), now(), document_id),
        )


def latest_text_hash(db: sqlite_utils.Database, document_id: int, extractor_version: str) -> str:
    """The text fingerprint of a document's latest version, if that version has an extraction by
    this extractor version (otherwise "": the document must be extracted again anyway)."""
    row = db.conn.execute(
        "SELECT v.text_hash FROM versions v WHERE v.id ="
        " (SELECT MAX(id) FROM versions WHERE document_id = ?)"
        " AND EXISTS (SELECT 1 FROM extractions e WHERE e.version_id = v.id"
        " AND e.extractor_version = ?)",
        (document_id, extractor_version),
    ).fetchone()
    return str(row[0]) if row else ""


def defer_url(
    db: sqlite_utils.Database,
    url: str,
    source_id: str,
    retry_at: dt.datetime,
    failure_class: str,
    detail: str,
) -> None:
    """Remember that a server asked us to come back at `retry_at` (kept until a fetch succeeds)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO deferred (url, source_id, retry_at, failure_class, detail, deferred_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
            " retry_at = excluded.retry_at, failure_class = excluded.failure_class,"
            " detail = excluded.detail, deferred_at = excluded.deferred_at",
            (
                url,
                source_id,
                retry_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                failure_class,
                detail[:500],
                now(),
            ),
        )


def deferred_urls(db: sqlite_utils.Database) -> dict[str, dt.datetime]:
    """URL → when we may ask again, for every URL a server put off (past dates included: those
    are fetched again and, once fetched, cleared)."""
    rows = db.conn.execute("SELECT url, retry_at FROM deferred")
    return {str(r[0]): dt.datetime.fromisoformat(str(r[1])) for r in rows}


def clear_deferral(db: sqlite_utils.Database, url: str) -> None:
    with transaction(db) as conn:
        conn.execute("DELETE FROM deferred WHERE url = ?", (url,))


def version_of(db: sqlite_utils.Database, document_id: int, sha256: str) -> int | None:
    row = db.conn.execute(
        "SELECT id FROM versions WHERE document_id = ? AND sha256 = ?", (document_id, sha256)
    ).fetchone()
    return int(row[0]) if row else None


def has_extraction(db: sqlite_utils.Database, version_id: int, extractor_version: str) -> bool:
    row = db.conn.execute(
        "SELECT 1 FROM extractions WHERE version_id = ? AND extractor_version = ?",
        (version_id, extractor_version),
    ).fetchone()
    return row is not None


def save_extraction(db: sqlite_utils.Database, version_id: int, extraction: Extraction) -> int:
    """Store an extraction and its norm mentions in one transaction (idempotent)."""
    text_hash = hashlib.sha256(extraction.text.encode()).hexdigest()
    published = extraction.published.value.isoformat() if extraction.published else None
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO extractions (version_id, extractor_version, title, language, published,"
            " summary, description, page_class, text, text_hash, data, created_at, charset,"
            " charset_method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (version_id, extractor_version) DO NOTHING",
            (
                version_id,
                extraction.extractor_version,
                extraction.title,
                extraction.language,
                published,
                extraction.summary,
                extraction.description,
                extraction.page_class,
                extraction.text,
                text_hash,
                extraction_data(extraction),
                now(),
                extraction.charset,
                extraction.charset_method,
            ),
        )
        extraction_id = conn.execute(
            "SELECT id FROM extractions WHERE version_id = ? AND extractor_version = ?",
            (version_id, extraction.extractor_version),
        ).fetchone()[0]
        if cur.rowcount == 1:
            conn.executemany(
                'INSERT INTO mentions (extraction_id, norm_key, number, year, start, "end")'
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (extraction_id, m.key, m.number, m.year, m.start, m.end)
                    for m in extraction.norms
                ],
            )
    return int(extraction_id)


_CURRENT = """
    SELECT d.id AS document_id, d.url, d.country, d.country_method, d.country_detail, e.*
    FROM documents d
    JOIN versions v ON v.id = (SELECT MAX(id) FROM versions WHERE document_id = d.id)
    JOIN extractions e ON e.id = (SELECT MAX(id) FROM extractions WHERE version_id = v.id)
"""


@dataclass(frozen=True)
class CurrentExtraction:
    document_id: int
    url: str
    country: str
    extraction: Extraction


def current_extractions(
    db: sqlite_utils.Database, document_id: int | None = None
) -> Iterator[CurrentExtraction]:
    """The latest extraction of each document's latest version, streamed (never a whole list)."""
    sql, args = _CURRENT, ()
    if document_id is not None:
        sql, args = _CURRENT + " WHERE d.id = ?", (document_id,)  # type: ignore[assignment]
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    for row in cursor.execute(sql + " ORDER BY d.id", args):
        extraction = extraction_from_row(row, row["url"])
        if not extraction.country.detail:  # stored before extractions recorded their country
            told = DocumentCountry(
                row["country"], CountryMethod(row["country_method"]), row["country_detail"]
            )
            extraction = replace(extraction, country=told)
        yield CurrentExtraction(row["document_id"], row["url"], row["country"], extraction)


def extracted_document_ids(db: sqlite_utils.Database) -> list[int]:
    """Ids of the documents that have an extraction (what a re-link goes through)."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT DISTINCT v.document_id FROM versions v"
            " WHERE EXISTS (SELECT 1 FROM extractions e WHERE e.version_id = v.id)"
            " ORDER BY v.document_id"
        )
    ]


def conditional_headers(db: sqlite_utils.Database, url: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a URL fetched before, so unchanged pages cost a 304."""
    row = db.conn.execute(
        "SELECT d.etag, d.last_modified FROM documents d WHERE d.url = ?"
        " AND EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id)",
        (url,),
    ).fetchone()
    headers: dict[str, str] = {}
    if row and row[0]:
        headers["If-None-Match"] = row[0]
    if row and row[1]:
        headers["If-Modified-Since"] = row[1]
    return headers


def archive_only_urls(db: sqlite_utils.Database) -> list[str]:
    """Documents whose link cannot be fetched again (single-use, behind an account) and that are
    already archived: their platforms skip them instead of spending the one use again."""
    return [
        str(row[0])
        for row in db.conn.execute(
            "SELECT d.url FROM documents d WHERE json_extract(d.listed_extra, '$.archive_only')"
            " IS NOT NULL AND EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id)"
        )
    ]


def listed_urls(db: sqlite_utils.Database) -> list[tuple[str, str, str, str]]:
    """(url, source_name, country, policy id) of every source the policies list, in a stable
    order (a URL two entries list is given once, with the first entry's country)."""
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.conn.execute(
            # with MIN() in the result, SQLite takes the bare columns from that first row
            "SELECT ps.url, ps.source_name, p.country, p.id, MIN(ps.rowid) FROM policy_sources ps"
            " JOIN policies p ON p.id = ps.policy_id GROUP BY ps.url ORDER BY MIN(ps.rowid)"
        )
    ]
