"""The `pipeline` command: parse options, call a stage, print. No logic lives here.

Every PipelineError becomes one line on stderr and exit code 2; partial failures of a run exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import app, store
from .errors import InputError, PipelineError
from .export import export_links, write_atomically
from .extract import extract_document
from .extract.norms import display_for_key
from .ingest import fetched_from_file
from .jsonout import extraction_json
from .models import Fetched, Link, MatchStatus
from .policies import read_policy_file
from .run import run_sources
from .store.exports import policy_links

EXIT_FATAL = 2
EXIT_PARTIAL = 1
F = TypeVar("F", bound=Callable[..., Any])


def _options() -> app.Options:
    ctx = click.get_current_context()
    obj: app.Options = ctx.find_object(app.Options)  # type: ignore[assignment]
    return obj


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    envvar="PIPELINE_DB",
    default=Path("db/observatory.db"),
    show_default=True,
    help="SQLite database file (env PIPELINE_DB).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="PIPELINE_CONFIG",
    default=None,
    help="Sources and settings file (env PIPELINE_CONFIG; default ./sources.toml).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path, config_path: Path | None) -> None:
    """Find, date, summarise and link the sources of an observatory's policy entries."""
    if config_path is None and Path("sources.toml").is_file():
        config_path = Path("sources.toml")
    ctx.obj = app.Options(db_path=db_path, config_path=config_path)


@cli.command()
def init() -> None:
    """Create the database (or bring its schema up to date)."""
    opts = _options()
    store.connect(opts.db_path, create=True)
    click.echo(f"database ready: {opts.db_path}")


@cli.group()
def policies() -> None:
    """Import and list policy entries."""


@policies.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def policies_import(file: Path) -> None:
    """Import policy entries from a JSON FILE (importing it again changes nothing)."""
    entries = read_policy_file(file)
    db = app.open_db(_options(), create=True)
    result = store.import_policies(db, entries, display_for_key)
    relinked = 0
    if result.added or result.changed:
        relinked = app.ingestor(db, _options(), app.load(_options())).relink_all()
    click.echo(
        f"policies: {result.added} added, {result.changed} changed, {result.unchanged} unchanged"
        + (f"; {relinked} documents re-linked" if relinked else "")
    )


@policies.command("list")
def policies_list() -> None:
    """List the policy entries with their norms and counts of linked sources."""
    db = app.open_db(_options())
    for item in policy_links(db, list(MatchStatus)):
        counts = {s: sum(x.status is s for x in item.sources) for s in MatchStatus}
        p = item.policy
        click.echo(f"{p.id}  [{p.country}]  {p.title}")
        click.echo(f"    norms: {', '.join(display_for_key(k) for k in p.norms) or '-'}")
        click.echo("    sources: " + ", ".join(f"{n} {s.value}" for s, n in counts.items()))


@cli.group()
def sources() -> None:
    """Show the sources declared in the config file."""


@sources.command("list")
def sources_list() -> None:
    """List the configured sources."""
    config = app.load(_options())
    if not config.sources:
        click.echo(f"no sources declared ({config.path or 'no config file'})")
    for s in config.sources:
        state = "enabled" if s.enabled else "disabled"
        click.echo(
            f"{s.id}  {s.kind.value}  {state}  [{s.country}/{s.language}]  {s.name}  {s.url}"
        )


def _read_input(arg: str, url: str | None, client: Callable[[], Any]) -> Fetched:
    if arg.startswith(("http://", "https://")):
        fetched: Fetched = client().get(arg)
        return fetched
    if "://" in arg or arg.startswith(("file:", "data:")):
        raise InputError(f"only local files and http(s) URLs can be read: {arg}")
    return fetched_from_file(Path(arg), url)


def _lazy_client() -> Callable[[], Any]:
    made: list[Any] = []

    def get() -> Any:
        if not made:
            made.append(app.http_client(app.load(_options())))
        return made[0]

    return get


def _check_url_option(inputs: Sequence[str], url: str | None) -> None:
    if url and len(inputs) != 1:
        raise InputError("--url names one document: give exactly one input with it")
    if url and not url.startswith(("http://", "https://")):
        raise InputError(f"--url must be an http(s) URL: {url}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input.")
@click.option("--url", default=None, help="The document's URL, when INPUT is a local file.")
@click.option(
    "--country", default="PE", show_default=True, help="Country whose norm grammar to use."
)
def extract(inputs: tuple[str, ...], as_json: bool, url: str | None, country: str) -> None:
    """Extract title, dates, norms and summary from files or URLs (no database writes)."""
    _check_url_option(inputs, url)
    client = _lazy_client()
    for arg in inputs:
        fetched = _read_input(arg, url, client)
        extraction = extract_document(
            fetched.body,
            url=fetched.url,
            content_type=fetched.content_type,
            fetched_at=fetched.fetched_at,
            country=country.upper(),
        )
        record = extraction_json(arg, extraction)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            published = record["published"]["date"] if record["published"] else "no date"
            norms = ", ".join(n["display"] for n in record["norms"]) or "no norms"
            click.echo(f"{arg}: {extraction.title!r} [{extraction.language}] {published}; {norms}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--url", default=None, help="The document's URL, when INPUT is a local file.")
@click.option(
    "--source-name", default="", help="Name of the publishing source (e.g. 'El Peruano')."
)
@click.option("--country", default="PE", show_default=True, help="Country of the documents.")
def add(inputs: tuple[str, ...], url: str | None, source_name: str, country: str) -> None:
    """Ingest documents from files or URLs: archive, extract, link."""
    _check_url_option(inputs, url)
    opts = _options()
    db = app.open_db(opts, create=True)
    ingestor = app.ingestor(db, opts, app.load(opts))
    client = _lazy_client()
    for arg in inputs:
        fetched = _read_input(arg, url, client)
        link = Link("manual", fetched.url, source_name=source_name)
        result = ingestor.ingest(link, fetched, country.upper())
        links = ", ".join(f"{p} ({s.value})" for p, s in result.matches.items()) or "no policy"
        norms = len(result.extraction.norms) if result.extraction else 0
        state = "added" if result.new_version else "unchanged"
        click.echo(f"{state}: {fetched.url}: {norms} norms; linked to {links}")


@cli.command()
def link() -> None:
    """Re-link every document to the policies (after policies, norms or aliases change)."""
    opts = _options()
    db = app.open_db(opts)
    count = app.ingestor(db, opts, app.load(opts)).relink_all()
    counts = store.queue_counts(db)
    click.echo(f"re-linked {count} documents: {_queue_line(counts)}")


def _queue_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['auto']} auto-accepted, {counts['pending']} waiting for review, "
        f"{counts['accepted']} accepted, {counts['rejected']} rejected"
    )


@cli.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source id (repeatable).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Backfill: ignore listed items older than this date.",
)
def run(source_ids: tuple[str, ...], since: dt.datetime | None) -> None:
    """Discover, fetch, extract and link every enabled source of the config file."""
    opts = _options()
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


@cli.command()
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
    db = app.open_db(_options())
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


@cli.command()
def status() -> None:
    """Show what the database holds, the review queue and the last runs."""
    db = app.open_db(_options())
    counts = store.table_counts(db)
    click.echo(", ".join(f"{n} {name}" for name, n in counts.items()))
    click.echo("links: " + _queue_line(store.queue_counts(db)))
    for r in store.last_runs(db):
        click.echo(
            f"run {r.id} {r.command} {r.started_at} {r.status}: "
            + ", ".join(f"{k}={v}" for k, v in r.stats.items() if v)
        )


def _guarded(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PipelineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_FATAL)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # last line of defence: one line, never a traceback
            if os.environ.get("PIPELINE_DEBUG"):
                raise
            click.echo(
                f"error: unexpected {type(exc).__name__}: {exc} (set PIPELINE_DEBUG=1 for details)",
                err=True,
            )
            sys.exit(EXIT_FATAL)

    return wrapper  # type: ignore[return-value]


@_guarded
def main(argv: Sequence[str] | None = None) -> Any:
    return cli.main(args=list(argv) if argv is not None else None, prog_name="pipeline")
