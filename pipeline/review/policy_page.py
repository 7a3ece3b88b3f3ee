"""Review stage: a policy entry's page — its norms and aliases (editable), their edit history,
the re-link an edit started and its progress, linked sources, amendment proposals, what waits
for review and the decision history — and what its forms do.

Takes a database, the viewer and query or form fields; gives template contexts and Outcomes.
Saving an edit never re-links inside the request: it queues a job (review/jobs.py runs it) and
the page shows its progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .. import store
from ..errors import InputError
from ..models import MatchStatus
from ..store.decisions import Database, history
from ..store.exports import policy_links
from ..store.jobs import Job, latest_job, load_job
from ..store.policies import load_policies
from ..store.policyedits import policy_edits
from ..store.queue import QueueFilter, list_queue
from . import policyedit
from .clock import Viewer
from .history import lines
from .pages import NotFound, Outcome, display


def policy_page(
    db: Database, viewer: Viewer, params: Mapping[str, str], policy_id: str
) -> dict[str, Any]:
    found = load_policies(db, policy_id)
    if not found:
        raise NotFound(f"No policy with id {policy_id!r}.")
    policy = found[0]
    links = policy_links(db, (MatchStatus.AUTO, MatchStatus.ACCEPTED), policy_id)
    pending = list_queue(db, QueueFilter(status="pending", policy=policy_id), 200)
    job = latest_job(db, policy_id)
    return {
        "policy": policy,
        "norms": [(k, display(k)) for k in policy.norms],
        "sources": links[0].sources if links else (),
        "pending": pending,
        "history": lines(history(db, policy_id=policy_id), viewer),
        "edits": [(viewer.when(e.at), e) for e in reversed(policy_edits(db, policy_id))],
        "proposals": [
            (
                p,
                display(p.proposal.source_norm) if p.proposal.source_norm else "",
                display(p.proposal.target_norm),
            )
            for p in store.list_proposals(db, policy_id)
        ],
        "aliases_text": "\n".join(policy.aliases),
        "norms_text": "\n".join(policy.norms),
        "job": job_view(job) if job and (not job.finished or params.get("job")) else None,
        "show_match": True,
        "keys": (),
    }


def edit_policy(db: Database, viewer: Viewer, form: Mapping[str, str], policy_id: str) -> Outcome:
    context = policy_page(db, viewer, {}, policy_id)  # 404 before anything is read from the form
    try:
        aliases = policyedit.lines(form.get("aliases", ""))
        norms = policyedit.lines(form.get("norms", ""))
        job = policyedit.edit_policy(db, policy_id, viewer.name, aliases, norms)
    except InputError as exc:
        context.update(error=str(exc), aliases_text=form.get("aliases", ""),
                       norms_text=form.get("norms", ""))  # fmt: skip
        return Outcome(context=context, status=400, template="policy.html")
    page = f"/policy/{quote(policy_id, safe='')}"
    if job is None:
        return Outcome(
            redirect=page, message="Nothing changed: the aliases and norms are as saved."
        )
    message = "Saved the aliases and norms. Every document is being re-linked (progress below)."
    return Outcome(redirect=f"{page}?job={job}", message=message)


def close_proposal(
    db: Database, viewer: Viewer, form: Mapping[str, str], policy_id: str, proposal_id: int
) -> Outcome:
    """An editor marks an amendment proposal done (the policy was updated) or dismissed."""
    policy_page(db, viewer, {}, policy_id)  # 404 for an unknown policy
    action = form.get("action", "")
    if action not in ("done", "dismissed"):
        raise InputError(f"unknown action {action!r}: done or dismissed")
    if not any(p.id == proposal_id for p in store.list_proposals(db, policy_id)):
        raise NotFound(f"No open proposal {proposal_id} for policy {policy_id!r}.")
    store.close_proposal(db, proposal_id, action)
    message = f"Proposal {proposal_id} marked {action}."
    return Outcome(redirect=f"/policy/{quote(policy_id, safe='')}", message=message)


def job_view(job: Job) -> dict[str, Any]:
    """A job as the page and its script show it (the script polls /jobs/ID for this)."""
    if job.state == "queued":
        text = "Re-link queued: it starts in a moment."
    elif job.state == "running":
        text = f"Re-linking: {job.done:,} of {job.total:,} documents."
    elif job.state == "done":
        text = f"Re-linked {job.total:,} documents: the queue reflects the edit."
    else:
        text = f"The re-link failed: {job.error}. Save again to retry."
    return {"id": job.id, "state": job.state, "done": job.done, "total": job.total,
            "text": text, "finished": job.finished}  # fmt: skip


def job_status(
    db: Database, viewer: Viewer, params: Mapping[str, str], job_id: int
) -> dict[str, Any]:
    job = load_job(db, job_id)
    if job is None:
        raise NotFound(f"No job {job_id}.")
    return job_view(job)
