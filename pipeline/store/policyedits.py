"""Editors' changes to a policy's norms and aliases in the store: written with who and when,
append-only, and read back as the editors' word on each item, which a policy import keeps.

Part of the store (the only package that speaks SQL). An edit replaces the policy's norms or
aliases, appends what it added and removed to `policy_edits`, and queues the re-link that makes
the queue reflect it, all in one BEGIN IMMEDIATE transaction. The policy's import hash is left
alone: it says what the file said, so importing the same file again changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sqlite_utils

from .db import now, transaction
from .jobs import enqueue

FIELDS = ("norms", "aliases")
_TABLES = {"norms": ("policy_norms", "norm_key"), "aliases": ("policy_aliases", "alias")}


@dataclass(frozen=True)
class EditorChoice:
    """The last thing an editor did to one item: added it (present) or removed it."""

    present: bool
    editor: str
    at: str


@dataclass(frozen=True)
class PolicyEdit:
    id: int
    policy_id: str
    editor: str
    at: str
    field: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def current_items(conn: sqlite3.Connection, policy_id: str, field: str) -> list[str]:
    table, column = _TABLES[field]
    sql = f"SELECT {column} FROM {table} WHERE policy_id = ? ORDER BY {column}"  # noqa: S608
    return [r[0] for r in conn.execute(sql, (policy_id,))]


def record_edit(
    db: sqlite_utils.Database,
    policy_id: str,
    editor: str,
    wanted: Mapping[str, Sequence[str]],
    display: Callable[[str], str],
) -> int | None:
    """Set the policy's norms and/or aliases to `wanted`, recording what changed; queue a
    re-link when anything did. Returns the job's id, or None when nothing changed."""
    with transaction(db) as conn:
        changed = False
        for field, items in wanted.items():
            before = current_items(conn, policy_id, field)
            added = [i for i in dict.fromkeys(items) if i not in before]
            removed = [i for i in before if i not in items]
            if not added and not removed:
                continue
            changed = True
            write_items(conn, policy_id, field, list(dict.fromkeys(items)), display)
            conn.execute(
                "INSERT INTO policy_edits (policy_id, editor, at, field, added, removed)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (policy_id, editor, now(), field, json.dumps(added, ensure_ascii=False),
                 json.dumps(removed, ensure_ascii=False)),
            )  # fmt: skip
        return enqueue(conn, "relink", policy_id, editor) if changed else None


def write_items(
    conn: sqlite3.Connection,
    policy_id: str,
    field: str,
    items: Sequence[str],
    display: Callable[[str], str],
) -> None:
    table, _ = _TABLES[field]
    conn.execute(f"DELETE FROM {table} WHERE policy_id = ?", (policy_id,))  # noqa: S608
    if field == "norms":
        conn.executemany(
            "INSERT INTO policy_norms (policy_id, norm_key, display) VALUES (?, ?, ?)",
            [(policy_id, key, display(key)) for key in items],
        )
    else:
        conn.executemany(
            "INSERT INTO policy_aliases (policy_id, alias) VALUES (?, ?)",
            [(policy_id, alias) for alias in items],
        )


def policy_edits(db: sqlite_utils.Database, policy_id: str) -> list[PolicyEdit]:
    """The policy's edits, oldest first."""
    return [
        PolicyEdit(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), tuple(json.loads(r[6])))
        for r in db.conn.execute(
            "SELECT id, policy_id, editor, at, field, added, removed FROM policy_edits"
            " WHERE policy_id = ? ORDER BY id",
            (policy_id,),
        )
    ]


def editor_choices(conn: sqlite3.Connection, policy_id: str, field: str) -> dict[str, EditorChoice]:
    """Each item an editor ever added or removed, with the last such edit's word on it."""
    choices: dict[str, EditorChoice] = {}
    for editor, at, added, removed in conn.execute(
        "SELECT editor, at, added, removed FROM policy_edits WHERE policy_id = ? AND field = ?"
        " ORDER BY id",
        (policy_id, field),
    ):
        for item in json.loads(added):
            choices[item] = EditorChoice(True, editor, at)
        for item in json.loads(removed):
            choices[item] = EditorChoice(False, editor, at)
    return choices
