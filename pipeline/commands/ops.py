"""Operations commands: the nightly run and exports."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from .. import app, nightly
from ..backup import backup_database, restore_backup
from ..errors import InputError
from ..export import (
    WRITERS,
    Rendered,
    Selection,
    remember_export,
    render_selection,
    write_per_policy,
)
from ..linkcheck import check_links
from ..models import MatchStatus
from ..nightly import (
    EXIT_RUNNING,
    AlreadyRunning,
    NightlyParams,
    make_progress,
    run_lock,
    run_nightly,
)
from ..outfiles import write_atomically
from ..store.exports import policy_links
from .common import options


def _seconds(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """ "90m", "4h", "45s" or plain seconds; 0 or nothing means no limit."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", value)
    if match is None:
        raise click.BadParameter(f"{value!r}: expected seconds or a number with s, m or h")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if seconds > _MAX_DURATION:  # a run longer than this is a typo, and 1e400 reads as inf
        raise click.BadParameter(f"{value!r}: at most {_MAX_DURATION // 3600:.0f}h")
    return seconds or None


_MAX_DURATION = 7 * 24 * 3600.0


@click.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source id (repeatable).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Backfill: ignore listed items older than this date.",
)
@click.option("--dry-run", is_flag=True, help="Only list what each source offers and what is new.")
@click.option(
    "--max-duration",
    default="4h",
    show_default=True,
    envvar="PIPELINE_MAX_DURATION",
    callback=_seconds,
    help="Stop the run after this long (90m, 4h, 3600; 0 = no limit). Exit code 1.",
)
@click.option(
    "--report-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the run report (default: reports/ beside the database).",
)
@click.option(
    "--backup-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to keep backups (default: backups/ beside the database).",
)
@click.option("--no-backup", is_flag=True, help="Skip the backup after the run.")
def run(
    source_ids: tuple[str, ...],
    since: dt.datetime | None,
    dry_run: bool,
    max_duration: float | None,
    report_dir: Path | None,
    backup_dir: Path | None,
    no_backup: bool,
) -> None:
    """The nightly job: discover, fetch, extract and link every enabled source, then write the
    run report and a backup. One run at a time. Exit codes: 0 all well, 1 partial failures
    (or stopped at --max-duration), 2 fatal, 75 another run is going on."""
    params = NightlyParams(
        source_ids,
        since.date() if since else None,
        max_duration,
        report_dir,
        backup_dir,
        not no_backup,
    )
    opts = options()
    progress = make_progress(sys.stderr)
    code = (
        nightly.dry_run(opts, params, progress) if dry_run else run_nightly(opts, params, progress)
    )
    sys.exit(code)


@click.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Backup folder (default: backups/ beside the database).",
)
@click.option(
    "--restore",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Replace the database's content with this backup, after checking it.",
)
def backup(folder: Path | None, restore: Path | None) -> None:
    """Copy the database with VACUUM INTO to a dated, integrity-checked file; keep 7 daily and 4
    weekly copies. With --restore, put a backup back (waits for no run: refuses while one runs)."""
    opts = options()
    if restore is not None:
        try:
            with run_lock(opts.db_path):
                restore_backup(app.open_db(opts, create=True), restore)
        except AlreadyRunning as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_RUNNING)
        click.echo(f"restored {opts.db_path} from {restore}")
        return
    result = backup_database(
        app.open_db(opts), folder or opts.db_path.parent / "backups", dt.date.today()
    )
    removed = f"; removed {len(result.removed)} old copies" if result.removed else ""
    click.echo(f"backup: {result.path} ({result.size} bytes, integrity ok){removed}")


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
    """Export each policy's linked sources (json, csv, md, html, html-page, csl, bibtex, ris)."""
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


@click.command("check-links")
@click.option("--policy", "policy_id", default=None, help="Only this policy's links.")
@click.option("--country", default=None, help="Only links of this country's policies.")
@click.option(
    "--status",
    type=click.Choice(list(_STATUS_SETS)),
    default="accepted",
    show_default=True,
    help="Which links to check (as for export).",
)
def check_links_command(policy_id: str | None, country: str | None, status: str) -> None:
    """Re-check the URLs an export would publish; dead ones (404, 410, gone host) are recorded,
    and exports then point them at their archived copy."""
    opts = options()
    db = app.open_db(opts)
    items = policy_links(db, _STATUS_SETS[status], policy_id, country)
    urls = [s.url for item in items for s in item.sources]
    with app.http_client(app.load(opts)) as client:
        report = check_links(db, client, urls)
    for dead in report.dead:
        copy = f"archived copy {dead.archive_ref}" if dead.archive_ref else "no archived copy"
        click.echo(f"dead: {dead.url} → {copy}")
    for refused in report.refused:
        click.echo(f"refused: {refused.url} ({refused.failure}: {refused.detail})")
    click.echo(
        f"checked {report.checked} links: {report.ok} ok, {len(report.dead)} dead, "
        f"{len(report.refused)} refused (not asked: address or URL not allowed), "
        f"{report.unknown} not answering now (state kept)"
    )
