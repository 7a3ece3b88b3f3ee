"""Source commands: `sources list`, `sources check` (what a run would fetch, no writes) and
`replay` (re-ingest a WARC archive offline)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from .. import app, store
from ..archive import iter_archive
from ..errors import FetchError, InputError, PipelineError
from ..fetch import DiscoverContext, discover_links
from ..fetch.platforms import field_report
from ..fetch.polite import PoliteGetter
from ..localfiles import check_regular
from ..models import Link, Source, SourceKind
from ..net import HttpClient, RobotsCache
from .common import EXIT_PARTIAL, country_option, given_country, options


@click.group()
def sources() -> None:
    """Show and check the sources declared in the config file."""


@sources.command("list")
def sources_list() -> None:
    """List the configured sources."""
    config = app.load(options())
    if not config.sources:
        click.echo(f"no sources declared ({config.path or 'no config file'})")
    for s in config.sources:
        state = "enabled" if s.enabled else "disabled"
        click.echo(
            f"{s.id}  {s.kind.value}  {state}  [{s.country}/{s.language}]  {s.name}  {s.url}"
        )


@sources.command("check")
@click.option("--source", "source_ids", multiple=True, help="Only this source id (repeatable).")
@click.option("--offline", is_flag=True, help="Only validate the config file; fetch nothing.")
@click.option("--limit", default=10, show_default=True, help="Links shown per source.")
def sources_check(source_ids: tuple[str, ...], offline: bool, limit: int) -> None:
    """Validate the config and show what a run would fetch (listing pages only, no writes).

    A gazette source also shows, per documented field, how many listed items had it. Exits 1
    when a source cannot be read (robots.txt, network, a page that is not a listing, a platform
    whose layout changed)."""
    opts = options()
    config = app.load(opts)  # every key validated here: a bad one is a one-line error
    chosen = [config.source(s) for s in source_ids] or [s for s in config.sources if s.enabled]
    click.echo(f"config ok: {len(config.sources)} sources in {config.path or 'no config file'}")
    if offline or not chosen:
        return
    policy_links = _policy_links(opts)
    with app.http_client(config) as client:
        robots = RobotsCache(client, config.fetch.user_agent)
        failed = sum(not _check(s, client, robots, policy_links, limit) for s in chosen)
    if failed:
        sys.exit(EXIT_PARTIAL)


def _policy_links(opts: app.Options) -> list[Link]:
    if not opts.db_path.exists():  # never create a database just to look
        return []
    db = app.open_db(opts)
    return [Link("policy-links", url, source_name=n) for url, n, *_ in store.listed_urls(db)]


def _check(
    source: Source,
    client: HttpClient,
    robots: RobotsCache,
    policy_links: list[Link],
    limit: int,
) -> bool:
    session = PoliteGetter(client, robots, source.delay_seconds).session()
    ctx = DiscoverContext(session, policy_links)
    platform = str(source.options["platform"]) if source.kind is SourceKind.GAZETTE else ""
    label = f"{source.kind.value}/{platform}" if platform else source.kind.value
    try:
        links = list({link.url: link for link in discover_links(source, ctx)}.values())
    except FetchError as exc:
        click.echo(f"{source.id} [{label}]: FAILED {exc.failure.value}: {exc.detail}")
        return False
    click.echo(f"{source.id} [{label}]: {len(links)} links")
    for note in ctx.notes:  # the primary route drifted; a fallback read these links
        click.echo(f"  ! {note.failure.value}: {note.detail}")
    for line in field_report(platform, links) if platform else ():
        click.echo(f"  {line}")
    for link in links[: max(0, limit)]:
        date = link.listed_date.isoformat() if link.listed_date else "----------"
        click.echo(f"  {date}  {link.url}  {link.listed_title[:70]}")
    if len(links) > limit:
        click.echo(f"  ... and {len(links) - limit} more")
    return not ctx.notes


@click.command()
@click.argument("archive", type=click.Path(path_type=Path))
@country_option
def replay(archive: Path, country: str) -> None:
    """Re-ingest every response of a WARC ARCHIVE offline: extract and link, no network."""
    told = given_country(country)
    check_regular(archive, "archive")  # before the database is created: a refusal writes nothing
    opts = options()
    db = app.open_db(opts, create=True)
    ingestor = app.ingestor(db, opts, app.load(opts))
    counts: Counter[str] = Counter()
    for fetched in iter_archive(archive):
        if not 200 <= fetched.status < 300:
            counts["skipped"] += 1
            continue
        try:
            result = ingestor.ingest(Link("replay", fetched.url), fetched, told)
        except PipelineError as exc:
            click.echo(f"skipped {fetched.url}: {exc}", err=True)
            counts["failed"] += 1
            continue
        counts["added" if result.new_version else "unchanged"] += 1
    if not counts:
        raise InputError(f"no response records in {archive} (not a WARC file?)")
    click.echo(
        f"replayed {archive}: {counts['added']} added, {counts['unchanged']} unchanged, "
        f"{counts['failed']} unreadable, {counts['skipped']} not 2xx"
    )
