"""Review stage: what each page of the web app shows and what each form does, free of HTTP.

Takes a database, the query or form fields (untrusted strings) and the editor's name from the
session; gives template contexts, or an Outcome (where to go next, what to tell the editor).
review/web.py turns these into responses; the templates escape everything they print.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote

from .. import store
from ..archive import Archive
from ..errors import InputError
from ..extract.norms import display_for_key
from ..models import MatchStatus
from ..store.decisions import (
    SORTS,
    STATUSES,
    Database,
    DecisionConflict,
    QueueFilter,
    filter_choices,
    history,
    list_queue,
    load_match,
    status_counts,
)
from ..store.exports import policy_links
from ..store.policies import load_policies
from . import decisions, policyedit
from .highlight import segments
from .queue import PAGE_SIZE, filter_query, neighbours, page_number, parse_filter
from .security import ARCHIVE_CSP, link_url

ACTIONS = ("accept", "reject", "undo", "reassign")
# Archived bodies are served only as types a browser shows without running anything of ours.
_ARCHIVE_TYPES = ("text/html", "text/plain", "application/pdf")


class NotFound(InputError):
    """No such match or policy (a 404, not a 400)."""


@dataclass(frozen=True)
class Outcome:
    redirect: str | None = None
    message: str = ""
    undo: Mapping[str, Any] | None = None  # the match whose decision the message can undo
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class ArchivedCopy:
    body: bytes
    media_type: str
    headers: Mapping[str, str]


def _display(key: str) -> str:
    try:
        return display_for_key(key)
    except (ValueError, KeyError):  # a key from an older grammar still shows, as itself
        return key


def queue_page(db: Database, params: Mapping[str, str]) -> dict[str, Any]:
    f = parse_filter(params)
    page = page_number(params.get("page"))
    items = list_queue(db, f, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    return {
        "filter": f,
        "items": items[:PAGE_SIZE],
        "page": page,
        "more": len(items) > PAGE_SIZE,
        "counts": status_counts(db, f),
        "choices": filter_choices(db),
        "queue": filter_query(f),
        "statuses": STATUSES,
        "sorts": list(SORTS),
    }


def match_page(db: Database, match_id: int, params: Mapping[str, str]) -> dict[str, Any]:
    detail = load_match(db, match_id)
    if detail is None:
        raise NotFound(f"No match with id {match_id}.")
    f = parse_filter(params)
    policy = load_policies(db, detail.policy_id)[0]
    e = detail.extraction
    return {
        "m": detail,
        "policy": policy,
        "norms": [(k, _display(k)) for k in policy.norms],
        "segments": segments(e) if e else [],
        "doc_norms": sorted({(n.key, n.display) for n in e.norms}) if e else [],
        "dates": e.dates if e else (),
        "fields": decisions.current_fields(detail),
        "machine": decisions.machine_fields(detail),
        "nav": neighbours(db, f, match_id),
        "queue": filter_query(f),
        "reasons": decisions.REJECT_REASONS,
        "policies": [p for p in filter_choices(db)["policy"] if p[0] != detail.policy_id],
        "original": link_url(detail.url),
        "history": list(reversed(detail.history)),
    }


def decide(db: Database, match_id: int, editor: str, form: Mapping[str, str]) -> Outcome:
    """Carry out one review form; a conflict or bad input re-shows the page with the message."""
    f = parse_filter(dict(parse_qsl(form.get("queue", ""))))
    qs = filter_query(f)
    action = form.get("action", "")
    nav = neighbours(db, f, match_id)  # before deciding: the match may leave this queue
    try:
        message = _apply(db, match_id, editor, action, form)
    except DecisionConflict as exc:
        return _again(db, match_id, qs, form, conflict=str(exc), status=409)
    except NotFound:
        raise
    except InputError as exc:
        return _again(db, match_id, qs, form, error=str(exc), status=400)
    undo = None
    if action in ("accept", "reject"):
        token = decisions.load(db, match_id).token
        undo = {"match": match_id, "token": token, "queue": qs}
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
        edits = {k: form.get(k, "") for k in decisions.EDIT_FIELDS}
        decisions.accept(db, match_id, editor, edits=edits, reason=form.get("note", ""),
                         token=token)  # fmt: skip
        return f"Accepted match {match_id}."
    if action == "reject":
        reason = form.get("reason_other", "").strip() or form.get("reason", "")
        if reason and reason not in decisions.REJECT_REASONS and not form.get("reason_other"):
            raise InputError("pick a reason from the list, or write one")
        decisions.reject(db, match_id, editor, reason, token)
        return f"Rejected match {match_id}: {reason}."
    if action == "undo":
        decisions.undo(db, match_id, editor, token)
        return f"Undid the last decision on match {match_id}."
    if action == "reassign":
        new_id = decisions.reassign(db, match_id, editor, form.get("policy", ""),
                                    form.get("note", ""), token)  # fmt: skip
        return f"Rejected match {match_id} and accepted the document as match {new_id}."
    raise InputError(f"unknown action {action!r}")


def _again(
    db: Database, match_id: int, qs: str, form: Mapping[str, str], *, status: int, **notes: str
) -> Outcome:
    context = match_page(db, match_id, dict(parse_qsl(qs)))
    submitted = {k: form.get(k, "") for k in decisions.EDIT_FIELDS}
    context.update(notes, fields={**context["fields"], **submitted})
    return Outcome(context=context, status=status)


def policy_page(db: Database, policy_id: str) -> dict[str, Any]:
    found = load_policies(db, policy_id)
    if not found:
        raise NotFound(f"No policy with id {policy_id!r}.")
    links = policy_links(db, (MatchStatus.AUTO, MatchStatus.ACCEPTED), policy_id)
    pending = list_queue(db, QueueFilter(status="pending", policy=policy_id), 200)
    return {
        "policy": found[0],
        "norms": [(k, _display(k)) for k in found[0].norms],
        "sources": links[0].sources if links else (),
        "pending": pending,
        "history": list(reversed(history(db, policy_id=policy_id))),
        "proposals": [
            (
                p,
                _display(p.proposal.source_norm) if p.proposal.source_norm else "",
                _display(p.proposal.target_norm),
            )
            for p in store.list_proposals(db, policy_id)
        ],
        "aliases_text": "\n".join(found[0].aliases),
        "norms_text": "\n".join(found[0].norms),
        "show_match": True,
    }


def edit_policy(
    db: Database, policy_id: str, form: Mapping[str, str], relink: Callable[[Database], int]
) -> Outcome:
    context = policy_page(db, policy_id)  # 404 before anything is read from the form
    try:
        aliases = policyedit.lines(form.get("aliases", ""))
        norms = policyedit.lines(form.get("norms", ""))
        policyedit.edit_policy(db, policy_id, aliases, norms, lambda: relink(db))
    except InputError as exc:
        context.update(error=str(exc), aliases_text=form.get("aliases", ""),
                       norms_text=form.get("norms", ""))  # fmt: skip
        return Outcome(context=context, status=400)
    message = "Saved the aliases and norms, and re-linked every document."
    return Outcome(redirect=f"/policy/{quote(policy_id, safe='')}", message=message)


def close_proposal(db: Database, policy_id: str, proposal_id: int, action: str) -> Outcome:
    """An editor marks an amendment proposal done (the policy was updated) or dismissed."""
    policy_page(db, policy_id)  # 404 for an unknown policy
    if action not in ("done", "dismissed"):
        raise InputError(f"unknown action {action!r}: done or dismissed")
    if not any(p.id == proposal_id for p in store.list_proposals(db, policy_id)):
        raise NotFound(f"No open proposal {proposal_id} for policy {policy_id!r}.")
    store.close_proposal(db, proposal_id, action)
    message = f"Proposal {proposal_id} marked {action}."
    return Outcome(redirect=f"/policy/{quote(policy_id, safe='')}", message=message)


def archived_copy(db: Database, archive: Archive | None, match_id: int) -> ArchivedCopy | None:
    detail = load_match(db, match_id)
    if archive is None or detail is None or not detail.archive_ref:
        return None
    try:
        fetched = archive.read(detail.archive_ref)
    except InputError:
        return None
    declared = fetched.content_type or fetched.headers.get("content-type", "")
    base = declared.split(";", 1)[0].strip().lower()
    media = declared if base in _ARCHIVE_TYPES else "application/octet-stream"
    disposition = "inline" if base in ("text/html", "text/plain") else "attachment"
    return ArchivedCopy(
        fetched.body,
        media,
        {"Content-Security-Policy": ARCHIVE_CSP, "Content-Disposition": disposition},
    )
