"""Core commands: init, policies, extract, add, link, status."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from .. import app, store
from ..errors import ExtractError, FetchError, InputError
from ..extract import extract_document
from ..extract.norms import display_for_key
from ..ingest import Ingestor, fetched_from_file
from ..jsonout import extraction_json
from ..localfiles import MAX_DOCUMENT_BYTES, check_regular
from ..models import DocumentCountry, Fetched, Link, MatchStatus
from ..net import HttpClient
from ..policies import read_policy_file
from ..store.exports import policy_links
from .common import (
    EXIT_PARTIAL,
    country_line,
    country_option,
    given_country,
    options,
    queue_line,
)


@click.command()
def init() -> None:
    """Create the database (or bring its schema up to date)."""
    opts = options()
    store.connect(opts.db_path, create=True)
    click.echo(f"database ready: {opts.db_path}")


@click.group()
def policies() -> None:
    """Import and list policy entries."""


@policies.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def policies_import(file: Path) -> None:
    """Import policy entries from a JSON FILE (importing it again changes nothing; norms and
    aliases editors changed in the review app are kept, and the summary says which)."""
    entries = read_policy_file(file)
    db = app.open_db(options(), create=True)
    result = store.import_policies(db, entries, display_for_key)
    relinked = 0
    if result.added or result.changed:
        relinked = app.ingestor(db, options(), app.load(options())).relink_all()
    click.echo(
        f"policies: {result.added} added, {result.changed} changed, {result.unchanged} unchanged"
        + (f"; {relinked} documents re-linked" if relinked else "")
    )
    for entry in result.entries:  # what changed, and which editors' edits the file did not undo
        if entry.changed and entry.changed != ("added",):
            click.echo(f"  {entry.policy_id}: changed {'; '.join(entry.changed)}")
        for kept in entry.kept:
            click.echo(f"  {entry.policy_id}: kept the editors' change: {kept}")


@policies.command("list")
def policies_list() -> None:
    """List the policy entries with their norms and counts of linked sources."""
    db = app.open_db(options())
    for item in policy_links(db, list(MatchStatus)):
        counts = {s: sum(x.status is s for x in item.sources) for s in MatchStatus}
        p = item.policy
        click.echo(f"{p.id}  [{p.country}]  {p.title}")
        click.echo(f"    norms: {', '.join(display_for_key(k) for k in p.norms) or '-'}")
        click.echo("    sources: " + ", ".join(f"{n} {s.value}" for s, n in counts.items()))


class _Inputs:
    """Reads the documents named on the command line: local files, or http(s) URLs through the
    guarded client, which (with the config it needs) is made on the first URL and closed at the
    end, so a command over files only never reads the config or opens a connection pool."""

    def __init__(self) -> None:
        self._client: HttpClient | None = None

    def __enter__(self) -> _Inputs:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def read(self, arg: str, url: str | None) -> Fetched:
        if _is_url(arg):
            if self._client is None:
                self._client = app.http_client(app.load(options()))
            return self._client.get(arg)
        if "://" in arg or arg.startswith(("file:", "data:")):
            raise InputError(f"only local files and http(s) URLs can be read: {arg}")
        return fetched_from_file(Path(arg), url)


def _is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def _check_inputs(inputs: Sequence[str], url: str | None) -> None:
    """Every local input checked before anything is read or written: a named pipe, a device or
    an oversized file stops the command with nothing stored."""
    _check_url_option(inputs, url)
    for arg in inputs:
        if not _is_url(arg) and "://" not in arg and not arg.startswith(("file:", "data:")):
            check_regular(Path(arg), "file", MAX_DOCUMENT_BYTES)


def _check_url_option(inputs: Sequence[str], url: str | None) -> None:
    if url and len(inputs) != 1:
        raise InputError("--url names one document: give exactly one input with it")
    if url and not url.startswith(("http://", "https://")):
        raise InputError(f"--url must be an http(s) URL: {url}")


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input.")
@click.option("--url", default=None, help="The document's URL, when INPUT is a local file.")
@country_option
def extract(inputs: tuple[str, ...], as_json: bool, url: str | None, country: str) -> None:
    """Extract title, dates, norms and summary from files or URLs (no database writes)."""
    _check_inputs(inputs, url)
    told = given_country(country)
    with _Inputs() as documents:
        for arg in inputs:
            _print_extraction(arg, documents.read(arg, url), as_json, told)


def _print_extraction(arg: str, fetched: Fetched, as_json: bool, told: DocumentCountry) -> None:
    extraction = extract_document(
        fetched.body,
        url=fetched.url,
        content_type=fetched.content_type,
        fetched_at=fetched.fetched_at,
        country=told,
    )
    record = extraction_json(arg, extraction)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
    else:
        published = record["published"]["date"] if record["published"] else "no date"
        norms = ", ".join(n["display"] for n in record["norms"]) or "no norms"
        where = extraction.country.code or "country undetermined"
        click.echo(
            f"{arg}: {extraction.title!r} [{extraction.language}, {where}] {published}; {norms}"
        )


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--url", default=None, help="The document's URL, when INPUT is a local file.")
@click.option(
    "--source-name", default="", help="Name of the publishing source (e.g. 'El Peruano')."
)
@country_option
def add(inputs: tuple[str, ...], url: str | None, source_name: str, country: str) -> None:
    """Ingest documents from files or URLs: archive, extract, link. An input that cannot be
    kept (a fetch refused or failed, unreadable bytes, a bot wall or empty page) is reported as
    "not kept" with the reason, the others go on, and the exit code is 1."""
    _check_inputs(inputs, url)
    told = given_country(country)
    opts = options()
    config = app.load(opts)
    db = app.open_db(opts, create=True)
    ingestor = app.ingestor(db, opts, config)
    kept = True
    with _Inputs() as documents:
        for arg in inputs:
            try:
                _add_one(ingestor, documents.read(arg, url), source_name, told)
            except (FetchError, ExtractError, NotKept) as exc:
                click.echo(f"not kept: {arg}: {_why(exc)}", err=True)
                kept = False
    if not kept:
        sys.exit(EXIT_PARTIAL)


class NotKept(Exception):
    """The document was read but is not stored as a version (a bot wall, a 404 page, no text)."""


_PAGE_CLASSES = {
    "blocked": "a bot wall or login page, not the document",
    "not_found": "a 'page not found' page",
    "empty": "no text could be read from it",
}


def _why(exc: Exception) -> str:
    if isinstance(exc, FetchError):
        return f"{exc.failure.value}: {exc.detail}" if exc.detail else exc.failure.value
    return str(exc)


def _add_one(ingestor: Ingestor, fetched: Fetched, source_name: str, told: DocumentCountry) -> None:
    link = Link("manual", fetched.url, source_name=source_name)
    result = ingestor.ingest(link, fetched, told)
    if result.page_class != "ok":
        raise NotKept(_PAGE_CLASSES.get(result.page_class, result.page_class))
    links = ", ".join(f"{p} ({s.value})" for p, s in result.matches.items()) or "no policy"
    norms = len(result.extraction.norms) if result.extraction else 0
    state = "added" if result.new_version else "unchanged"
    click.echo(f"{state}: {fetched.url}: {norms} norms; linked to {links}")
    if result.extraction is not None:
        click.echo(f"  country: {country_line(result.extraction.country)}")


@click.command()
def link() -> None:
    """Re-link every document to the policies (after policies, norms or aliases change)."""
    opts = options()
    db = app.open_db(opts)
    count = app.ingestor(db, opts, app.load(opts)).relink_all()
    counts = store.queue_counts(db)
    click.echo(f"re-linked {count} documents: {queue_line(counts)}")


@click.command()
def status() -> None:
    """Show what the database holds, the review queue and the last runs."""
    db = app.open_db(options())
    counts = store.table_counts(db)
    click.echo(", ".join(f"{n} {name}" for name, n in counts.items()))
    click.echo("links: " + queue_line(store.queue_counts(db)))
    for r in store.last_runs(db):
        click.echo(f"run {r.id} {r.command} {r.started_at} {r.status}: {run_line(r.stats)}")


_STAT_WORDS = {
    "new_versions": "new versions",
    "norms_found": "norms found",
    "auto": "auto-accepted",
    "pending": "waiting for review",
    "stopped": "stopped at --max-duration",
}


def _count(value: object) -> int:
    return value if isinstance(value, int) else 0


def run_line(stats: Mapping[str, object]) -> str:
    """A run's figures in words: "12 links, 3 new versions, deferred 1; failures: robots 16,
    timeout 2" (the stats hold a nested count of failures by class)."""
    parts, failures = [], ""
    for key, value in stats.items():
        label = _STAT_WORDS.get(key, key.replace("_", " "))
        if isinstance(value, Mapping):
            counts = sorted(value.items(), key=lambda kv: (-_count(kv[1]), str(kv[0])))
            failures = ", ".join(f"{name} {count}" for name, count in counts if count)
        elif value is True:
            parts.append(label)
        elif value:
            parts.append(f"{value} {label}")
    text = ", ".join(parts) or "nothing done"
    return f"{text}; failures: {failures}" if failures else text
