"""Operations commands: the nightly run and exports."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import app
from ..errors import InputError
from ..export import export_links, write_atomically
from ..models import MatchStatus
from ..run import run_sources
from ..store.exports import policy_links
from .common import EXIT_PARTIAL, options


@click.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source id (repeatable).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Backfill: ignore listed items older than this date.",
)
def run(source_ids: tuple[str, ...], since: dt.datetime | None) -> None:
    """Discover, fetch, extract and link every enabled source of the config file."""
    opts = options()
    config = app.load(opts)
    db = app.open_db(opts, create=True)
    with app.http_client(config) as client:
        summary = run_sources(
            db,
            config,
            app.ingestor(db, opts, config),
            client,
            source_ids,
            since.date() if since else None,
        )
    failures = ", ".join(f"{n} {k}" for k, n in sorted(summary.failures.items())) or "none"
    click.echo(
        f"run {summary.run_id}: {summary.sources} sources, {summary.links} links, "
        f"{summary.extracted} extracted, {summary.unchanged} unchanged, "
        f"{summary.norms_found} norm mentions, {summary.auto} auto-accepted, "
        f"{summary.pending} for review; failures: {failures}"
    )
    if summary.failures:
        sys.exit(EXIT_PARTIAL)


_STATUS_SETS = {
    "accepted": (MatchStatus.AUTO, MatchStatus.ACCEPTED),
    "pending": (MatchStatus.PENDING,),
    "all": tuple(MatchStatus),
}


@click.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), required=True)
@click.option("--policy", "policy_id", default=None, help="Only this policy id.")
@click.option("--country", default=None, help="Only policies of this country (ISO code).")
@click.option(
    "--status",
    type=click.Choice(list(_STATUS_SETS)),
    default="accepted",
    show_default=True,
    help="accepted = auto-accepted and editor-accepted links.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
def export(
    fmt: str, policy_id: str | None, country: str | None, status: str, output: Path | None
) -> None:
    """Export each policy's linked sources."""
    db = app.open_db(options())
    items = policy_links(db, _STATUS_SETS[status], policy_id, country)
    if policy_id and not items:
        raise InputError(f"no policy with id '{policy_id}'")
    text = export_links(items, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomically(output, text)
    click.echo(
        f"wrote {sum(len(i.sources) for i in items)} sources of {len(items)} policies to {output}",
        err=True,
    )
