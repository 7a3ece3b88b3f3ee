"""Operations commands: the nightly run and exports."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import app
from ..errors import InputError
from ..export import (
    WRITERS,
    Rendered,
    Selection,
    remember_export,
    render_selection,
    write_atomically,
    write_per_policy,
)
from ..models import MatchStatus
from ..run import run_sources
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
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), required=True)
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
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write one file per policy into this folder, named from the policy id.",
)
@click.option(
    "--since-last",
    is_flag=True,
    help="Only policies whose sources changed since the last --since-last export of this "
    "selection (format, policy, country, status).",
)
@click.option(
    "--archive-base",
    default="",
    envvar="PIPELINE_ARCHIVE_BASE",
    help="URL prefix where archived copies are served; dead links then point there.",
)
def export(
    fmt: str,
    policy_id: str | None,
    country: str | None,
    status: str,
    output: Path | None,
    out_dir: Path | None,
    since_last: bool,
    archive_base: str,
) -> None:
    """Export each policy's linked sources (json, csv, md, html, csl, bibtex, ris)."""
    if output and out_dir:
        raise InputError("give either -o/--output or --out-dir, not both")
    db = app.open_db(options())
    sel = Selection(fmt, _STATUS_SETS[status], policy_id, country)
    rendered = render_selection(db, sel, since_last=since_last, archive_base=archive_base)
    items = rendered.data.items
    if since_last and not items and (output or out_dir):
        # Nothing changed: leave the previous files alone rather than overwrite them with nothing.
        click.echo(f"nothing changed since {rendered.since}", err=True)
        return
    where = _write(rendered, fmt, output, out_dir)
    if since_last:
        remember_export(db, sel, rendered)
    if where:
        count = sum(len(i.sources) for i in items)
        click.echo(f"wrote {count} sources of {len(items)} policies to {where}", err=True)


def _write(rendered: Rendered, fmt: str, output: Path | None, out_dir: Path | None) -> str:
    if out_dir is not None:
        files = write_per_policy(out_dir, fmt, rendered)
        return f"{len(files)} files in {out_dir}"
    if output is not None:
        write_atomically(output, rendered.text)
        return str(output)
    click.echo(rendered.text, nl=False)
    return ""
