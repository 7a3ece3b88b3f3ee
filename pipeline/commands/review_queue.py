"""Review commands over the queue: `review list` (the web queue's filters: status, country,
policy, source, page kind, score range, full-text search), `review bulk` (one decision with one
reason on every match a filter shows: a preview first, --yes to decide) and `review undo-bulk`.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import click

from .. import app
from ..review import bulk
from ..review.clock import Viewer, server_zone
from ..review.queue import filter_query, parse_filter
from ..store.queue import KINDS, SORTS, STATUSES, QueueFilter, list_queue
from .common import options

F = TypeVar("F", bound=Callable[..., Any])


def editor_name(name: str | None) -> str:
    return name or os.environ.get("PIPELINE_EDITOR") or getpass.getuser()


def viewer(editor: str | None = None) -> Viewer:
    return Viewer(editor_name(editor), server_zone())


_SCORE = click.FloatRange(0.0, 1.0)


def filters(default_status: str) -> Callable[[F], F]:
    """The queue's filters as options, shared by `list` and `bulk`."""

    def wrap(fn: F) -> F:
        for option in reversed((
            click.option("--status", type=click.Choice(STATUSES), default=default_status,
                         show_default=True),
            click.option("--policy", default="", help="Only this policy id."),
            click.option("--country", default="", help="Only policies of this country (ISO code)."),
            click.option("--source", default="", help="Only documents of this source id."),
            click.option("--kind", type=click.Choice([k for k in KINDS if k]), default=None,
                         help="Only lists of norms (gazette summaries, indexes) or other pages."),
            click.option("--min-score", type=_SCORE, default=None, help="Only scores >= this."),
            click.option("--max-score", type=_SCORE, default=None, help="Only scores <= this."),
            click.option("--search", default="",
                         help="Words in the title or text (full-text), or text of the URL."),
        )):  # fmt: skip
            fn = option(fn)
        return fn

    return wrap


def queue_filter(params: dict[str, Any]) -> QueueFilter:
    """The options as the web queue's parameters, read by the same parser."""
    query = {
        "status": params["status"],
        "policy": params["policy"],
        "country": params["country"],
        "source": params["source"],
        "kind": params["kind"] or "",
        "q": params["search"],
        "sort": params.get("sort", "uncertain"),
    }
    for name, key in (("min_score", "min"), ("max_score", "max")):
        if params[name] is not None:
            query[key] = f"{params[name] * 100:g}"
    return parse_filter(query)


@click.command("list")
@filters("pending")
@click.option("--sort", type=click.Choice(list(SORTS)), default="uncertain", show_default=True)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
def review_list(limit: int, **params: Any) -> None:
    """List matches to review, most uncertain and newest first."""
    items = list_queue(app.open_db(options()), queue_filter(params), limit)
    for it in items:
        flag = " stale" if it.stale else ""
        click.echo(
            f"{it.match_id:>6}  {it.score:5.3f}  {it.status}{flag}  {it.policy_id}  "
            f"{it.published or '-'}  {it.source_name or it.source_id}  {it.title or it.url}"
        )
    if not items:
        click.echo("nothing to review", err=True)


@click.command("bulk")
@click.argument("action", type=click.Choice(list(bulk.ACTIONS)))
@filters("pending")
@click.option("--reason", default="", help="Why (required to reject): one reason for all.")
@click.option("--note", default="", help="More words for the history.")
@click.option("--editor", default=None, help="Who decides (default: env PIPELINE_EDITOR).")
@click.option(
    "--yes", is_flag=True, help="Decide; without it the command only shows what would be."
)
def review_bulk(action: str, reason: str, note: str, editor: str | None, yes: bool,
                **params: Any) -> None:  # fmt: skip
    """Reject (or accept) every match the filters show, with one reason; undo with undo-bulk."""
    db = app.open_db(options())
    who = viewer(editor)
    f = queue_filter(params)
    ask = {"action": action, "reason": reason, "note": note}
    preview = bulk.preview(db, who, {**dict(parse_qsl(filter_query(f))), **ask})
    for it in preview["items"]:
        click.echo(f"{it.match_id:>6}  {it.score:5.3f}  {it.source_name or it.source_id}  "
                   f"{it.title or it.url}")  # fmt: skip
    count = len(preview["items"])
    if not yes:
        click.echo(f"would {action} these {count} matches ({preview['description']}); "
                   "run again with --yes to do it", err=True)  # fmt: skip
        return
    form = {"action": action, "reason": preview["reason"], "note": preview["note"],
            "state": preview["state"], "queue": preview["queue"],
            "description": preview["description"]}  # fmt: skip
    outcome = bulk.bulk_apply(db, who, form)
    if outcome.undo is None:  # the matches changed between the preview and now
        click.echo("the matches changed meanwhile: nothing was decided; run it again", err=True)
        raise SystemExit(1)
    click.echo(f"{outcome.message} Undo with: pipeline review undo-bulk {outcome.undo['token']}")


@click.command("undo-bulk")
@click.argument("batch_id", type=int)
@click.option("--editor", default=None, help="Who undoes (default: env PIPELINE_EDITOR).")
def review_undo_bulk(batch_id: int, editor: str | None) -> None:
    """Undo a bulk decision (each of its decisions still the last on its match)."""
    outcome = bulk.bulk_undo(app.open_db(options()), viewer(editor), {}, batch_id)
    click.echo(outcome.message)


QUEUE_COMMANDS = (review_list, review_bulk, review_undo_bulk)
