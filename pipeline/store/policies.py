"""Policies in the store: idempotent import (with the editors' listed sources), listing, loading.

A policy's listed sources are the editors' own work, so importing one records it as an accepted
match with a decision by the import: the nightly run can enrich it but never drop or demote it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import sqlite_utils

from ..models import Policy, PolicySource
from .db import now, transaction
from .policyedits import FIELDS, editor_choices, write_items

IMPORT_EDITOR = "policy-import"
LISTED_REASON = "listed among this policy's sources by the observatory's editors"


@dataclass(frozen=True)
class EntryReport:
    """What an import did to one entry, in words: what it changed, and which of the editors'
    changes it kept although the file says otherwise."""

    policy_id: str
    changed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    entries: tuple[EntryReport, ...] = ()


def policy_hash(policy: Policy) -> str:
    return hashlib.sha256(json.dumps(asdict(policy), sort_keys=True).encode()).hexdigest()


def import_policies(
    db: sqlite_utils.Database, policies: Sequence[Policy], display: Callable[[str], str]
) -> ImportResult:
    """Insert or update policies (all in one transaction: a bad file changes nothing). The
    norms and aliases an editor added or removed in the review app stay as the editor left
    them, whatever the file says; the report names each one kept."""
    added = changed = unchanged = 0
    entries: list[EntryReport] = []
    with transaction(db) as conn:
        for policy in policies:
            digest = policy_hash(policy)  # of the file's entry: the same file is a no-op
            row = conn.execute(
                "SELECT content_hash, country, title, status, description, updated FROM policies"
                " WHERE id = ?",
                (policy.id,),
            ).fetchone()
            if row and row[0] == digest:
                unchanged += 1
                continue
            merged, kept = _keep_editors_changes(conn, policy)
            described = _changes(_policy(conn, policy.id, *row[1:]), merged) if row else ()
            _write_policy(conn, merged, digest, display)
            added, changed = (added + 1, changed) if row is None else (added, changed + 1)
            entries.append(EntryReport(policy.id, ("added",) if not row else described, kept))
    return ImportResult(added, changed, unchanged, tuple(entries))


_SINGULAR = {"norms": "norm", "aliases": "alias"}


def _keep_editors_changes(
    conn: sqlite3.Connection, policy: Policy
) -> tuple[Policy, tuple[str, ...]]:
    kept: list[str] = []
    lists: dict[str, list[str]] = {}
    for name in FIELDS:
        items = list(getattr(policy, name))
        for item, choice in editor_choices(conn, policy.id, name).items():
            when = f"{choice.editor}, {choice.at[:10]}"
            if choice.present and item not in items:
                items.append(item)
                kept.append(f"{_SINGULAR[name]} '{item}' added in the app ({when})")
            elif not choice.present and item in items:
                items.remove(item)
                kept.append(f"{_SINGULAR[name]} '{item}' removed in the app ({when})")
        lists[name] = items
    return replace(policy, norms=tuple(lists["norms"]), aliases=tuple(lists["aliases"])), tuple(
        kept
    )


def _changes(before: Policy, after: Policy) -> tuple[str, ...]:
    out = [name for name in ("country", "title", "status", "description", "updated")
           if getattr(before, name) != getattr(after, name)]  # fmt: skip
    for name in FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        out += [f"{_SINGULAR[name]} '{i}' added" for i in new if i not in old]
        out += [f"{_SINGULAR[name]} '{i}' removed" for i in old if i not in new]
    if [s.url for s in before.sources] != [s.url for s in after.sources]:
        out.append(f"sources ({len(before.sources)} → {len(after.sources)})")
    return tuple(out) or ("listed sources' fields",)


def _write_policy(
    conn: sqlite3.Connection, policy: Policy, digest: str, display: Callable[[str], str]
) -> None:
    conn.execute(
        "INSERT INTO policies (id, country, title, status, description, updated, content_hash,"
        " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        " country = excluded.country, title = excluded.title, status = excluded.status,"
        " description = excluded.description, updated = excluded.updated,"
        " content_hash = excluded.content_hash, imported_at = excluded.imported_at",
        (
            policy.id,
            policy.country,
            policy.title,
            policy.status,
            policy.description,
            policy.updated,
            digest,
            now(),
        ),
    )
    conn.execute("DELETE FROM policy_sources WHERE policy_id = ?", (policy.id,))
    write_items(conn, policy.id, "norms", list(dict.fromkeys(policy.norms)), display)
    write_items(conn, policy.id, "aliases", list(dict.fromkeys(policy.aliases)), display)
    for position, src in enumerate(policy.sources):
        conn.execute(
            "INSERT OR IGNORE INTO policy_sources (policy_id, url, position, source_name, title,"
            " snippet, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (policy.id, src.url, position, src.source_name, src.title, src.snippet, src.date),
        )
        _listed_match(conn, policy, src)


def _listed_match(conn: sqlite3.Connection, policy: Policy, src: PolicySource) -> None:
    stamp = now()
    conn.execute(
        "INSERT INTO documents (url, source_id, source_name, country, country_method,"
        " country_detail, listed_title, first_seen) VALUES (?, 'policy-links', ?, ?, 'source', ?,"
        " ?, ?) ON CONFLICT (url) DO NOTHING",
        (
            src.url,
            src.source_name,
            policy.country,
            f"listed by the entry '{policy.id}'",
            src.title,
            stamp,
        ),
    )
    doc_id = conn.execute("SELECT id FROM documents WHERE url = ?", (src.url,)).fetchone()[0]
    conn.execute(
        "INSERT INTO matches (document_id, policy_id, score, reasons, method, machine_status,"
        " status, evidence_hash, created_at, updated_at) VALUES (?, ?, 1.0, ?, 'listed', 'none',"
        " 'pending', '', ?, ?) ON CONFLICT (document_id, policy_id) DO NOTHING",
        (doc_id, policy.id, json.dumps([LISTED_REASON]), stamp, stamp),
    )
    match_id, decided = conn.execute(
        "SELECT id, decided_evidence_hash FROM matches WHERE document_id = ? AND policy_id = ?",
        (doc_id, policy.id),
    ).fetchone()
    if decided is not None:  # an editor (or an earlier import) already decided: never override
        return
    edits = {
        k: v
        for k, v in (
            ("source_name", src.source_name),
            ("title", src.title),
            ("snippet", src.snippet),
            ("date", src.date),
        )
        if v
    }
    conn.execute(
        "INSERT INTO decisions (match_id, status, editor, at, reason, edits, evidence_hash)"
        " VALUES (?, 'accepted', ?, ?, ?, ?, '')",
        (match_id, IMPORT_EDITOR, stamp, LISTED_REASON, json.dumps(edits, ensure_ascii=False)),
    )
    conn.execute(
        "UPDATE matches SET status = 'accepted', decided_evidence_hash = '' WHERE id = ?",
        (match_id,),
    )


def load_policies(db: sqlite_utils.Database, policy_id: str | None = None) -> list[Policy]:
    conn = db.conn
    where, args = ("WHERE id = ?", (policy_id,)) if policy_id else ("", ())
    rows = conn.execute(
        f"SELECT id, country, title, status, description, updated FROM policies {where}"  # noqa: S608
        " ORDER BY id",
        args,
    ).fetchall()
    return [_policy(conn, *row) for row in rows]


def _policy(conn: sqlite3.Connection, pid: str, *fields: str) -> Policy:
    norms = [
        r[0]
        for r in conn.execute(
            "SELECT norm_key FROM policy_norms WHERE policy_id = ? ORDER BY norm_key", (pid,)
        )
    ]
    aliases = [
        r[0]
        for r in conn.execute(
            "SELECT alias FROM policy_aliases WHERE policy_id = ? ORDER BY alias", (pid,)
        )
    ]
    sources = [
        PolicySource(*r)
        for r in conn.execute(
            "SELECT url, source_name, title, snippet, date FROM policy_sources"
            " WHERE policy_id = ? ORDER BY position",
            (pid,),
        )
    ]
    country, title, status, description, updated = fields
    return Policy(
        pid,
        country,
        title,
        status,
        description,
        updated,
        tuple(norms),
        tuple(aliases),
        tuple(sources),
    )
