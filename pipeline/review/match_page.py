"""Review stage: one match's page and what its forms do. The page leads with the decision: the
score's reasons with the words that produced them, beside the fields an acceptance publishes;
the document's text follows with every norm, name and date marked.

Takes a database, the viewer, query or form fields (untrusted strings); gives a template context
or an Outcome. A form that fails (no reason, a bad date, a conflict) re-shows the same page with
everything the editor typed, and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from ..errors import InputError
from ..store.decisions import Database, DecisionConflict, MatchDetail, load_match
from ..store.policies import load_policies
from ..store.queue import filter_choices
from . import decisions
from .clock import Viewer
from .evidence import KINDS, MAX_TEXT, pieces, reason_views, text_spans
from .history import lines
from .pages import NotFound, Outcome, display, language, progress
from .queue import filter_query, neighbours, parse_filter
from .security import link_url

# What the forms of this page may carry back when it is shown again after an error.
TYPED = (*decisions.EDIT_FIELDS, "note", "reason", "reason_other", "reject_note", "policy",
         "reassign_note")  # fmt: skip
MATCH_KEYS = ("a", "r", "s", "u", "j", "k")


def match_page(
    db: Database, viewer: Viewer, params: Mapping[str, str], match_id: int
) -> dict[str, Any]:
    detail = load_match(db, match_id)
    if detail is None:
        raise NotFound(f"No match with id {match_id}.")
    f = parse_filter(params)
    policy = load_policies(db, detail.policy_id)[0]
    fields = decisions.current_fields(detail)
    return {
        "m": detail,
        "policy": policy,
        "norms": [(k, display(k)) for k in policy.norms],
        **_evidence(detail, policy.norms),
        "dates": detail.extraction.dates if detail.extraction else (),
        "fields": fields,
        "typed": dict(fields),
        "cleared": (),
        "machine": decisions.machine_fields(detail),
        "clearable": decisions.CLEARABLE,
        "nav": neighbours(db, f, match_id),
        "queue": filter_query(f),
        "progress": progress(db, f, viewer),
        "reasons": decisions.REJECT_REASONS,
        "policies": [p for p in filter_choices(db)["policy"] if p[0] != detail.policy_id],
        "original": link_url(detail.url),
        "history": lines(detail.history, viewer),
        "keys": MATCH_KEYS,
        "draft": decisions.draft(db, detail, viewer.language),
    }


def _evidence(detail: MatchDetail, own: tuple[str, ...]) -> dict[str, Any]:
    e = detail.extraction
    if e is None:
        return {"pieces": [], "why": reason_views(None, detail.reasons, (), ()),
                "doc_norms": [], "lang": "", "legend": KINDS, "cut": False}  # fmt: skip
    spans = text_spans(e, detail.marks, own)
    return {
        "pieces": pieces(e.text, spans, 0, min(len(e.text), MAX_TEXT)),
        "why": reason_views(e, detail.reasons, detail.marks, spans),
        "doc_norms": sorted({(n.key in own, n.display, n.key) for n in e.norms}, reverse=True),
        "lang": language(e.language),
        "legend": KINDS,
        "cut": len(e.text) > MAX_TEXT,
    }


def decide(db: Database, viewer: Viewer, form: Mapping[str, str], match_id: int) -> Outcome:
    """Carry out one review form; a conflict or bad input re-shows the page as typed."""
    f = parse_filter(dict(parse_qsl(form.get("queue", ""))))
    qs = filter_query(f)
    action = form.get("action", "")
    nav = neighbours(db, f, match_id)  # before deciding: the match may leave this queue
    try:
        message = _apply(db, match_id, viewer.name, action, form)
    except DecisionConflict as exc:
        return _again(db, viewer, match_id, qs, form, conflict=str(exc), status=409)
    except NotFound:
        raise
    except InputError as exc:
        return _again(db, viewer, match_id, qs, form, error=str(exc), status=400)
    undo = None
    if action in ("accept", "reject"):
        token = decisions.load(db, match_id).token
        undo = {"action": f"/match/{match_id}", "token": token, "queue": qs}
    if action in ("undo", "reassign"):  # stay: the editor wants to see what changed
        redirect = _url(f"/match/{match_id}", qs)
    elif nav.next is not None:
        redirect = _url(f"/match/{nav.next}", qs)
    else:
        redirect = _url("/", qs)
    return Outcome(redirect=redirect, message=message, undo=undo)


def _url(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _apply(db: Database, match_id: int, editor: str, action: str, form: Mapping[str, str]) -> str:
    token = form.get("token", "")
    if not token:
        raise InputError("the form lacks the state it was made from: reload the page")
    if action == "accept":
        edits = {k: form[k] for k in decisions.EDIT_FIELDS if k in form}
        clear = [k for k in decisions.CLEARABLE if form.get(f"clear_{k}")]
        decisions.accept(db, match_id, editor, edits=edits, note=form.get("note", ""),
                         token=token, clear=clear)  # fmt: skip
        return f"Accepted match {match_id}."
    if action == "reject":
        reason = form.get("reason_other", "").strip() or form.get("reason", "")
        if reason and reason not in decisions.REJECT_REASONS and not form.get("reason_other"):
            raise InputError("pick a reason from the list, or write one")
        decisions.reject(db, match_id, editor, reason, token, form.get("reject_note", ""))
        return f"Rejected match {match_id}: {reason}."
    if action == "undo":
        decisions.undo(db, match_id, editor, token)
        return f"Undid the last decision on match {match_id}."
    if action == "reassign":
        new_id = decisions.reassign(db, match_id, editor, form.get("policy", ""),
                                    form.get("reassign_note", ""), token)  # fmt: skip
        return f"Rejected match {match_id} and accepted the document as match {new_id}."
    raise InputError(f"unknown action {action!r}")


def _again(
    db: Database,
    viewer: Viewer,
    match_id: int,
    qs: str,
    form: Mapping[str, str],
    *,
    status: int,
    **notes: str,
) -> Outcome:
    """The same page, with what the editor typed in every field they typed in."""
    context = match_page(db, viewer, dict(parse_qsl(qs)), match_id)
    typed = {**context["typed"], **{k: form[k] for k in TYPED if k in form}}
    cleared = tuple(k for k in decisions.CLEARABLE if form.get(f"clear_{k}"))
    context.update(notes, typed=typed, cleared=cleared, failed=form.get("action", ""))
    return Outcome(context=context, status=status, template="match.html")
