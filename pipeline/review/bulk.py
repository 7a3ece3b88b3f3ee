"""Review stage: bulk decisions — one decision, with one reason, on every match the current
filter shows (say, every pending match of a source's listing pages). Three steps: the queue's
form asks; a confirmation page lists exactly what would be decided; confirming appends one
decision per match, grouped in a batch that one button (or `review undo-bulk`) undoes.

Takes a database, the viewer and query/form fields; gives template contexts and Outcomes. The
confirmation carries each match's state token: if any match changed before the editor
confirmed, nothing is written and the editor is shown the new list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from ..errors import InputError
from ..store.batches import (
    MAX_BATCH,
    current_tokens,
    last_edits,
    load_batch,
    record_batch,
    undone_by,
)
from ..store.decisions import Database, DecisionConflict, NewDecision, history
from ..store.queue import QueueFilter, QueueItem, filter_choices, list_queue
from . import decisions
from .clock import Viewer
from .pages import NotFound, Outcome, progress
from .queue import filter_query, parse_filter
from .queue_page import BULK_STATUSES, queue_page

ACTIONS = {"reject": "rejected", "accept": "accepted"}


def _reason(params: Mapping[str, str]) -> str:
    return params.get("reason_other", "").strip() or params.get("reason", "").strip()


def _items(db: Database, f: QueueFilter) -> list[QueueItem]:
    if f.status not in BULK_STATUSES:
        raise InputError(f"bulk decisions take {', '.join(BULK_STATUSES)} matches, not {f.status}")
    items = list_queue(db, f, MAX_BATCH + 1)
    if len(items) > MAX_BATCH:
        raise InputError(
            f"this filter shows more than {MAX_BATCH} matches: narrow it (a source, a page kind, "
            "a score range) and decide them in parts"
        )
    if not items:
        raise InputError("this filter shows no match to decide")
    return items


def describe(f: QueueFilter, choices: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """The filter in words, for the confirmation and the history ("pending, source: X")."""
    names = dict(choices.get("source", ()))
    parts = [f.status]
    for label, value in (
        ("country", f.country),
        ("policy", f.policy),
        ("source", names.get(f.source, f.source)),
        ("search", f.search),
    ):
        if value:
            parts.append(f"{label}: {value}")  # fmt: skip
    if f.kind:
        parts.append("lists of norms" if f.kind == "list" else "other pages")
    if f.min_score is not None or f.max_score is not None:
        low, high = f.min_score or 0.0, 1.0 if f.max_score is None else f.max_score
        parts.append(f"score {low * 100:g}–{high * 100:g}%")
    return ", ".join(parts)


def bulk_preview(
    db: Database, viewer: Viewer, params: Mapping[str, str]
) -> dict[str, Any] | Outcome:
    """The confirmation page: what the bulk decision would do, to which matches; or the queue
    again, with the bulk form as typed and what is wrong."""
    try:
        return preview(db, viewer, params)
    except InputError as exc:
        context = queue_page(db, viewer, params)
        typed = {k: params.get(k, "") for k in ("action", "reason", "reason_other", "note")}
        context.update(bulk_error=str(exc), bulk_typed=typed)
        return Outcome(context=context, status=400, template="queue.html")


def preview(db: Database, viewer: Viewer, params: Mapping[str, str]) -> dict[str, Any]:
    f = parse_filter(params)
    action = params.get("action", "")
    if action not in ACTIONS:
        raise InputError("choose what to do with these matches: reject or accept")
    reason = decisions.reject_reason(_reason(params)) if action == "reject" else ""
    items = _items(db, f)
    return {
        "action": action,
        "reason": reason,
        "note": params.get("note", "").strip()[:1000],
        "items": items,
        "state": ",".join(f"{it.match_id}:{it.token}" for it in items),
        "description": describe(f, filter_choices(db)),
        "queue": filter_query(f),
        "progress": progress(db, f, viewer),
        "keys": (),
    }


def _state(text: str) -> list[tuple[int, str]]:
    """The confirmation's "id:token,..." list, bounded and checked."""
    out = []
    for part in text.split(",")[: MAX_BATCH + 1]:
        match_id, _, token = part.partition(":")
        if not match_id.isdigit() or not token or len(token) > 64:
            raise InputError("the confirmation form is damaged: start again from the queue")
        out.append((int(match_id), token))
    if not out or len(out) > MAX_BATCH:
        raise InputError("the confirmation form is damaged: start again from the queue")
    return out


def bulk_apply(db: Database, viewer: Viewer, form: Mapping[str, str]) -> Outcome:
    action = form.get("action", "")
    status = ACTIONS.get(action)
    if status is None:
        raise InputError("choose what to do with these matches: reject or accept")
    reason = decisions.reject_reason(_reason(form)) if action == "reject" else ""
    note = decisions.clean_note(form.get("note", ""))
    wanted = _state(form.get("state", ""))
    edits = last_edits(db, [m for m, _ in wanted])
    made = [
        (NewDecision(m, status, viewer.name, reason, edits[m], note), token) for m, token in wanted
    ]
    f = parse_filter(dict(_pairs(form.get("queue", ""))))
    try:
        batch = record_batch(db, made, form.get("description", "")[:300])
    except DecisionConflict:
        context = preview(db, viewer, {**_query(f), "action": action, "reason": reason,
                                        "note": note})  # fmt: skip
        context["conflict"] = (
            "Some of these matches changed since the confirmation was shown (another editor "
            "decided, or new evidence came in): nothing was saved. Here is the list as it is now."
        )
        return Outcome(context=context, status=409, template="bulk.html")
    qs = filter_query(f)
    undo = {"action": f"/bulk/{batch}/undo", "token": str(batch), "queue": qs}
    message = f"{status.capitalize()} {len(made)} matches ({reason or note or 'no reason given'})."
    return Outcome(redirect=f"/?{qs}" if qs else "/", message=message, undo=undo)


def bulk_undo(db: Database, viewer: Viewer, form: Mapping[str, str], batch_id: int) -> Outcome:
    """Undo every decision of a batch that is still its match's last; the others were decided
    again since and stay as they are (the message says how many)."""
    batch = load_batch(db, batch_id)
    if batch is None:
        raise NotFound(f"No bulk decision {batch_id}.")
    if undone_by(db, batch_id) is not None:
        raise InputError("this bulk decision was already undone")
    undos, skipped = [], 0
    tokens = current_tokens(db, [m for m, _ in batch.decisions])
    for match_id, decision_id in batch.decisions:
        rows = history(db, match_id=match_id)
        if rows[-1].id != decision_id:
            skipped += 1
            continue
        undos.append((decisions.undo_of(rows, viewer.name), tokens[match_id]))
    qs = filter_query(parse_filter(dict(_pairs(form.get("queue", "")))))
    redirect = f"/?{qs}" if qs else "/"
    if not undos:
        return Outcome(redirect=redirect, message="Nothing to undo: every match was decided again.")
    try:
        record_batch(db, undos, f"undo of: {batch.description}", undoes=batch_id)
    except DecisionConflict:
        return Outcome(redirect=redirect, message="The matches changed meanwhile: try again.")
    message = f"Undid {len(undos)} decisions."
    if skipped:
        message += f" {skipped} matches decided again since were left as they are."
    return Outcome(redirect=redirect, message=message)


def _pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query)


def _query(f: QueueFilter) -> dict[str, str]:
    return dict(_pairs(filter_query(f)))
