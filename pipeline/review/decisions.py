"""Review stage: what an editor can do to a match — accept (with corrected publishable fields),
reject with a reason, reassign to another policy, undo the last decision.

Takes a match id, the editor's name (from the session or the CLI, never from a form) and what the
editor typed; gives the new decision's id. Every action appends to the history; nothing is
overwritten. A `token` (from the page the editor saw) makes a stale page a DecisionConflict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..errors import InputError
from ..store.decisions import (
    Database,
    MatchDetail,
    NewDecision,
    load_match,
    record_decision,
)
from ..store.decisions import reassign as store_reassign

# The fields an export publishes; the editors' values win over what was extracted.
EDIT_FIELDS = ("source_name", "title", "snippet", "date")
# Lengths an editor could plausibly need; beyond them it is a paste gone wrong, not a correction.
MAX_LENGTHS = {"source_name": 200, "title": 500, "snippet": 2000, "date": 10, "reason": 500}
# The reasons editors gave most often when this list was drawn up; "other" takes free text.
REJECT_REASONS = (
    "not about this policy",
    "mentions the norm only in passing",
    "duplicate of another source",
    "a listing or index page, not a source",
    "page broken, empty or behind a wall",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def machine_fields(detail: MatchDetail) -> dict[str, str]:
    """The publishable fields as the pipeline found them (what an export shows without edits)."""
    e = detail.extraction
    published = e.published.value.isoformat() if e and e.published else detail.listed_date
    return {
        "source_name": detail.source_name or (urlsplit(detail.url).hostname or ""),
        "title": (e.title if e else "") or detail.listed_title,
        "snippet": e.summary if e else "",
        "date": published or "",
    }


def current_fields(detail: MatchDetail) -> dict[str, str]:
    """The publishable fields as an export shows them now: the last decision's edits win."""
    last = detail.last_decision
    edits = last.edits if last else {}
    return {k: edits.get(k) or v for k, v in machine_fields(detail).items()}


def clean_edits(submitted: Mapping[str, str], machine: Mapping[str, str]) -> dict[str, str]:
    """Only real corrections: known fields, trimmed, bounded, validated, different from machine."""
    out: dict[str, str] = {}
    for name in EDIT_FIELDS:
        value = " ".join(str(submitted.get(name, "")).split())  # one line: exports are cells
        if len(value) > MAX_LENGTHS[name]:
            raise InputError(f"{name} is longer than {MAX_LENGTHS[name]} characters")
        if name == "date" and value and not _valid_date(value):
            raise InputError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        if value and value != machine.get(name, ""):
            out[name] = value
    return out


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    parts = [*value.split("-"), "01", "01"][:3]
    try:
        dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return True


def _reason(text: str, required: bool = False) -> str:
    reason = " ".join(text.split())
    if len(reason) > MAX_LENGTHS["reason"]:
        raise InputError(f"the reason is longer than {MAX_LENGTHS['reason']} characters")
    if required and not reason:
        raise InputError("a rejection needs a reason: pick one from the list or write one")
    return reason


def _editor(name: str) -> str:
    if not name.strip():
        raise InputError("an editor's name is required")
    return name.strip()


def load(db: Database, match_id: int) -> MatchDetail:
    detail = load_match(db, match_id)
    if detail is None:
        raise InputError(f"no match with id {match_id}")
    return detail


def accept(
    db: Database,
    match_id: int,
    editor: str,
    *,
    edits: Mapping[str, str] | None = None,
    reason: str = "",
    token: str | None = None,
) -> int:
    """Accept the match. `edits` are the publishable fields as the editor wants them published
    (fields left out keep their current value: earlier corrections are carried forward)."""
    detail = load(db, match_id)
    wanted = {**current_fields(detail), **(edits or {})}
    cleaned = clean_edits(wanted, machine_fields(detail))
    decision = NewDecision(match_id, "accepted", _editor(editor), _reason(reason), cleaned)
    return record_decision(db, decision, token)


def reject(db: Database, match_id: int, editor: str, reason: str, token: str | None = None) -> int:
    """Reject the match with a reason. Earlier corrections are kept in the row, so an undo or a
    later acceptance starts from them."""
    detail = load(db, match_id)
    carried = clean_edits(current_fields(detail), machine_fields(detail))
    decision = NewDecision(match_id, "rejected", _editor(editor), _reason(reason, True), carried)
    return record_decision(db, decision, token)


def undo(db: Database, match_id: int, editor: str, token: str | None = None) -> int:
    """Append a decision that restores the state before the last one (the machine's word when
    the last decision was the first). Undoing an undo redoes."""
    detail = load(db, match_id)
    if not detail.history:
        raise InputError(f"match {match_id} has no decision to undo")
    last = detail.history[-1]
    before = detail.history[-2] if len(detail.history) > 1 else None
    status, edits = (before.status, before.edits) if before else ("pending", {})
    reason = f"undo of decision {last.id} ({last.status} by {last.editor})"
    decision = NewDecision(match_id, status, _editor(editor), reason, edits)
    return record_decision(db, decision, token)


def reassign(
    db: Database,
    match_id: int,
    editor: str,
    policy_id: str,
    reason: str = "",
    token: str | None = None,
) -> int:
    """Reject the match and accept its document for `policy_id`; returns the new match's id."""
    detail = load(db, match_id)
    if policy_id == detail.policy_id:
        raise InputError(f"match {match_id} is already about policy '{policy_id}'")
    carried = clean_edits(current_fields(detail), machine_fields(detail))
    note = _reason(reason) or f"belongs to policy '{policy_id}'"
    rejection = NewDecision(match_id, "rejected", _editor(editor), note, carried)
    return store_reassign(db, rejection, policy_id, carried, token)
