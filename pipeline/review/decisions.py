"""Review stage: what an editor can do to a match — accept (with corrected publishable fields),
reject with a reason, reassign to another policy, undo the last decision.

Takes a match id, the editor's name (from the session or the CLI, never from a form) and what the
editor typed; gives the new decision's id. Every action appends to the history; nothing is
overwritten. A `token` (from the page the editor saw) makes a stale page a DecisionConflict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from urllib.parse import urlsplit

from ..errors import InputError
from ..extract.norms import parse_key
from ..models import norm_key
from ..publish.draft import Draft, draft_for
from ..store.decisions import (
    Database,
    DecisionRow,
    MatchDetail,
    NewDecision,
    load_match,
    record_decision,
)
from ..store.decisions import reassign as store_reassign
from ..store.policies import load_policies
from .history import UNDO_REASON

# The fields an export publishes; the editors' values win over what was extracted.
EDIT_FIELDS = ("source_name", "title", "snippet", "date")
# Fields an editor may publish empty, by saying so: a source is cited by its name and title,
# but may go without a snippet or a date. An emptied field without that is a mistake, refused.
CLEARABLE = ("snippet", "date")
LABELS = {"source_name": "source name", "title": "title", "snippet": "snippet", "date": "date"}
# Lengths an editor could plausibly need; beyond them it is a paste gone wrong, not a correction.
MAX_LENGTHS = {
    "source_name": 200,
    "title": 500,
    "snippet": 2000,
    "date": 10,
    "reason": 500,
    "note": 1000,
}
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
        "snippet": detail.snippet or (e.summary if e else ""),
        "date": published or "",
    }


def draft(db: Database, detail: MatchDetail, language: str) -> Draft | None:
    """The sentence offered to the editor for this match's entry, in the observatory's language.
    A suggestion only: it reaches an export when the editor takes it into the snippet."""
    e = detail.extraction
    found = load_policies(db, detail.policy_id)
    if e is None or e.page_class != "ok" or not found:
        return None
    policy = found[0]
    keys = set()
    for key in policy.norms:
        try:
            keys.add(norm_key(*parse_key(key, policy.country)))
        except ValueError:  # a key an older grammar accepted: not one the draft can name
            continue
    return draft_for(e, policy.country, keys, detail.listed_extra, language)


def current_fields(detail: MatchDetail) -> dict[str, str]:
    """The publishable fields as an export shows them now: the last decision's edits win (an
    edit to "" is a field the editor chose to publish empty)."""
    last = detail.last_decision
    edits = last.edits if last else {}
    return {k: edits.get(k, v) for k, v in machine_fields(detail).items()}


def clean_edits(
    submitted: Mapping[str, str],
    machine: Mapping[str, str],
    current: Mapping[str, str] | None = None,
    clear: Collection[str] = (),
) -> dict[str, str]:
    """Only real corrections: known fields, trimmed, bounded, validated, different from the
    machine's. A field in `clear` is published empty; a field left empty that has a value now
    (`current`) is refused, so a slip of the finger never unpublishes a title or a snippet."""
    current = machine if current is None else current
    out: dict[str, str] = {}
    for name in EDIT_FIELDS:
        value = " ".join(str(submitted.get(name, "")).split())  # one line: exports are cells
        if name in clear and name in CLEARABLE:
            value = ""
        elif not value and current.get(name):
            raise InputError(_empty_message(name))
        if len(value) > MAX_LENGTHS[name]:
            raise InputError(f"the {LABELS[name]} is longer than {MAX_LENGTHS[name]} characters")
        if name == "date" and value and not _valid_date(value):
            raise InputError(f"the date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        if value != machine.get(name, ""):
            out[name] = value
    return out


def _empty_message(name: str) -> str:
    if name in CLEARABLE:
        return f"the {LABELS[name]} is empty: write one, or tick “publish without a {LABELS[name]}”"
    return f"the {LABELS[name]} cannot be empty: every published source has one"


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    parts = [*value.split("-"), "01", "01"][:3]
    try:
        dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return True


def _reason(text: str, required: bool = False, what: str = "reason") -> str:
    reason = " ".join(text.split())
    if len(reason) > MAX_LENGTHS[what]:
        raise InputError(f"the {what} is longer than {MAX_LENGTHS[what]} characters")
    if required and not reason:
        raise InputError("a rejection needs a reason: pick one from the list or write one")
    return reason


def _note(text: str) -> str:
    return _reason(text, what="note")


def reject_reason(text: str) -> str:
    """A rejection's reason, checked as every rejection's is (required, bounded)."""
    return _reason(text, required=True)


def clean_note(text: str) -> str:
    return _note(text)


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
    note: str = "",
    token: str | None = None,
    clear: Collection[str] = (),
) -> int:
    """Accept the match. `edits` are the publishable fields as the editor wants them published
    (fields left out keep their current value: earlier corrections are carried forward);
    fields named in `clear` are published empty."""
    detail = load(db, match_id)
    current = current_fields(detail)
    wanted = {**current, **(edits or {})}
    cleaned = clean_edits(wanted, machine_fields(detail), current, clear)
    decision = NewDecision(match_id, "accepted", _editor(editor), "", cleaned, _note(note))
    return record_decision(db, decision, token)


def reject(
    db: Database,
    match_id: int,
    editor: str,
    reason: str,
    token: str | None = None,
    note: str = "",
) -> int:
    """Reject the match with a reason (and an optional note). Earlier corrections are kept in
    the row, so an undo or a later acceptance starts from them."""
    detail = load(db, match_id)
    current = current_fields(detail)
    carried = clean_edits(current, machine_fields(detail), current)
    decision = NewDecision(
        match_id, "rejected", _editor(editor), _reason(reason, True), carried, _note(note)
    )
    return record_decision(db, decision, token)


def undo(db: Database, match_id: int, editor: str, token: str | None = None) -> int:
    """Append a decision that restores the state before the last one (the machine's word when
    the last decision was the first). Undoing an undo redoes."""
    detail = load(db, match_id)
    if not detail.history:
        raise InputError(f"match {match_id} has no decision to undo")
    return record_decision(db, undo_of(detail.history, _editor(editor)), token)


def undo_of(history: Sequence[DecisionRow], editor: str) -> NewDecision:
    """The decision that undoes the last of `history` (a match's, oldest first)."""
    last = history[-1]
    before = history[-2] if len(history) > 1 else None
    status, edits = (before.status, before.edits) if before else ("pending", {})
    reason = UNDO_REASON.format(id=last.id, status=last.status, editor=last.editor)
    return NewDecision(last.match_id, status, editor, reason, edits)


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
    current = current_fields(detail)
    carried = clean_edits(current, machine_fields(detail), current)
    note = _reason(reason) or f"belongs to policy '{policy_id}'"
    rejection = NewDecision(match_id, "rejected", _editor(editor), note, carried)
    return store_reassign(db, rejection, policy_id, carried, token)
