"""Review commands: `review serve|show|accept|reject|undo|reassign` and `users add`; the queue's
commands (`review list|bulk|undo-bulk`) are in review_queue.py."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

import click

from .. import app
from ..errors import InputError
from ..localfiles import read_regular
from ..review import decisions
from ..review.auth import MAX_PASSWORD, check_name, set_password
from ..review.clock import zone
from ..review.history import lines
from ..review.security import LOOPBACK_HOSTS, link_url
from ..store.decisions import Database, MatchDetail, load_match
from ..store.logins import clear_login_failures
from ..store.users import list_users, remove_user
from .common import country_line, options
from .review_queue import QUEUE_COMMANDS, editor_name, viewer

_EDITOR_HELP = "Who decides (default: env PIPELINE_EDITOR, else your login name)."
_editor = editor_name


def session_key(db_path: Path) -> str:
    """PIPELINE_SESSION_KEY, or a random key kept beside the database (0600), so sessions
    survive a restart. The file name matches .gitignore's db/*.db-* pattern."""
    if os.environ.get("PIPELINE_SESSION_KEY"):
        return os.environ["PIPELINE_SESSION_KEY"]
    path = db_path.with_name(db_path.name + "-session-key")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return read_regular(path, "session key file", 4096).decode("utf-8", "replace").strip()


@click.group()
def review() -> None:
    """Review the linker's matches: serve the editors' web app, or decide from the shell."""


for _command in QUEUE_COMMANDS:
    review.add_command(_command)


@review.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8750, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Another Host header to accept, e.g. the proxy's public name (repeatable; loopback "
    "names are always accepted).",
)
@click.option("--https-only", is_flag=True, help="Send the session cookie over HTTPS only.")
@click.option(
    "--timezone",
    default=None,
    help="Show times in this zone (e.g. America/Lima) until an editor's browser names its own "
    "(default: env PIPELINE_TIMEZONE, else the machine's zone).",
)
def review_serve(
    host: str, port: int, allow_hosts: tuple[str, ...], https_only: bool, timezone: str | None
) -> None:
    """Serve the editors' review web app (loopback only unless told otherwise)."""
    from ..review.server import serve  # uvicorn loads only for this command
    from ..review.web import WebSettings

    if timezone and zone(timezone) is None:
        raise InputError(f"unknown time zone {timezone!r}: a tz database name, e.g. America/Lima")
    opts = options()
    app.open_db(opts)  # fails early, with one line, when the database is missing
    config = app.load(opts)

    def relink(db: Database, progress: Callable[[int, int], None]) -> int:
        return app.ingestor(db, opts, config).relink_all(progress)

    allowed = (*LOOPBACK_HOSTS, *allow_hosts)
    if host not in ("0.0.0.0", "::"):  # noqa: S104 - a wildcard is not a Host header value
        allowed = (*allowed, host)
    settings = WebSettings(
        db_path=opts.db_path,
        secret_key=session_key(opts.db_path),
        relink=relink,
        archive=app.archive_for(opts.db_path),
        allowed_hosts=allowed,
        https_only=https_only,
        timezone=timezone,
        language=config.publish.language,
    )
    click.echo(f"review app on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    serve(settings, host, port)


@review.command("show")
@click.argument("match_id", type=int)
def review_show(match_id: int) -> None:
    """Show one match: document, candidate policy, reasons, fields and history."""
    db = app.open_db(options())
    detail = load_match(db, match_id)
    if detail is None:
        raise InputError(f"no match with id {match_id}")
    fields = decisions.current_fields(detail)
    click.echo(f"match {detail.id}: {detail.status}{' (stale)' if detail.stale else ''}")
    click.echo(f"  policy:   {detail.policy_id}")
    click.echo(f"  url:      {link_url(detail.url) or repr(detail.url)}")
    click.echo(f"  country:  {country_line(detail.country)}")
    for name in decisions.EDIT_FIELDS:
        click.echo(f"  {name + ':':<13}{fields[name]}")
    click.echo(
        f"  score:    {detail.score:.3f} ({detail.method}; machine says {detail.machine_status})"
    )
    for reason in detail.reasons:
        click.echo(f"    - {reason}")
    _show_draft(db, detail)
    click.echo(f"  token:    {detail.token}   (pass as --expect to detect a concurrent change)")
    for line in lines(detail.history, viewer()):
        why = f": {line.why}" if line.why else ""
        edits = ", ".join(f"{k}={v!r}" for k, v in sorted(line.edits.items()))
        click.echo(f"  {line.when}  {line.editor} {line.what}{why}{'; ' + edits if edits else ''}")


def _show_draft(db: Database, detail: MatchDetail) -> None:
    """The draft in the observatory's language and where each of its facts was read."""
    found = decisions.draft(db, detail, app.load(options()).publish.language)
    if found is None:
        click.echo("  draft:    (none: the document names none of the policy's norms)")
        return
    click.echo(f"  draft:    {found.text}")
    click.echo(
        "            (a suggestion: `review accept --use-draft` publishes it as the snippet)"
    )
    for fact in found.facts:
        click.echo(f"    {fact.name + ':':<11}{fact.value!r} from {fact.source}: {fact.evidence!r}")


def _done(what: str, match_id: int, decision_id: int) -> None:
    click.echo(f"{what} match {match_id} (decision {decision_id})")


_expect = click.option("--expect", default=None, help="Refuse if the match's token changed.")
_editor_opt = click.option("--editor", default=None, help=_EDITOR_HELP)


@review.command("accept")
@click.argument("match_id", type=int)
@click.option("--source-name", default=None, help="Publish this source name instead.")
@click.option("--title", default=None, help="Publish this title instead.")
@click.option("--snippet", default=None, help="Publish this snippet instead.")
@click.option(
    "--use-draft", is_flag=True, help="Publish the draft `review show` offers as the snippet."
)
@click.option("--date", default=None, help="Publish this date (YYYY-MM-DD) instead.")
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(decisions.CLEARABLE),
    help="Publish this field empty (repeatable).",
)
@click.option("--note", default="", help="Why, for the history.")
@_editor_opt
@_expect
def review_accept(match_id: int, note: str, clear: tuple[str, ...], editor: str | None,
                  expect: str | None, use_draft: bool, **fields: str | None) -> None:  # fmt: skip
    """Accept a match, optionally correcting (or clearing) the published fields."""
    edits = {k: v for k, v in fields.items() if v is not None}
    db = app.open_db(options())
    if use_draft:
        edits["snippet"] = _draft_text(db, match_id, edits)
    decision = decisions.accept(db, match_id, _editor(editor), edits=edits, note=note,
                                token=expect, clear=clear)  # fmt: skip
    _done("accepted", match_id, decision)


def _draft_text(db: Database, match_id: int, edits: dict[str, str]) -> str:
    if "snippet" in edits:
        raise InputError("give --snippet or --use-draft, not both")
    detail = decisions.load(db, match_id)
    found = decisions.draft(db, detail, app.load(options()).publish.language)
    if found is None:
        raise InputError(f"match {match_id} has no draft: the document names none of its norms")
    return found.text


@review.command("reject")
@click.argument("match_id", type=int)
@click.option("--reason", required=True, help="Why the document does not belong to the policy.")
@click.option("--note", default="", help="More words for the history, beside the reason.")
@_editor_opt
@_expect
def review_reject(
    match_id: int, reason: str, note: str, editor: str | None, expect: str | None
) -> None:
    """Reject a match, with a reason (and a note)."""
    db = app.open_db(options())
    decision = decisions.reject(db, match_id, _editor(editor), reason, expect, note)
    _done("rejected", match_id, decision)


@review.command("undo")
@click.argument("match_id", type=int)
@_editor_opt
@_expect
def review_undo(match_id: int, editor: str | None, expect: str | None) -> None:
    """Undo a match's last decision (by appending one that restores the state before it)."""
    decision = decisions.undo(app.open_db(options()), match_id, _editor(editor), expect)
    _done("restored", match_id, decision)


@review.command("reassign")
@click.argument("match_id", type=int)
@click.argument("policy_id")
@click.option("--note", default="", help="Why, for the history.")
@_editor_opt
@_expect
def review_reassign(match_id: int, policy_id: str, note: str, editor: str | None,
                    expect: str | None) -> None:  # fmt: skip
    """Reject a match and accept its document for POLICY_ID instead."""
    db = app.open_db(options())
    new_id = decisions.reassign(db, match_id, _editor(editor), policy_id, note, expect)
    click.echo(f"rejected match {match_id}; accepted the document as match {new_id}")


@click.group()
def users() -> None:
    """Manage the editors who may log in to the review app."""


@users.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, password_stdin: bool) -> None:
    """Create editor NAME, or set a new password for NAME (stored as an argon2id hash)."""
    if password_stdin:
        # Bounded: `--password-stdin < /dev/zero` must not read until memory runs out.
        password = sys.stdin.readline(MAX_PASSWORD + 2).rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = app.open_db(options(), create=True)
    created = set_password(db, name, password)
    click.echo(f"{'added' if created else 'updated'} editor {name}")


@users.command("list")
def users_list() -> None:
    """List the editors: name, created, last login, live sessions (never a password hash)."""
    accounts = list_users(app.open_db(options()))
    if not accounts:
        click.echo("no editors yet: add one with 'pipeline users add NAME'")
    for a in accounts:
        state = "  disabled" if a.disabled else ""
        click.echo(
            f"{a.name}  created {a.created_at}  last login {a.last_login or 'never'}"
            f"  {a.sessions} live session{'s' * (a.sessions != 1)}{state}"
        )


@users.command("remove")
@click.argument("name")
def users_remove(name: str) -> None:
    """Remove editor NAME: the account goes and every session of it ends at once (the
    decisions it made keep its name)."""
    if not remove_user(app.open_db(options()), check_name(name)):
        raise InputError(f"no editor named {name!r}")
    click.echo(f"removed editor {name}; their sessions are ended")


@users.command("unlock")
@click.argument("name", required=False)
@click.option("--address", default=None, help="Only failures from this client address.")
def users_unlock(name: str | None, address: str | None) -> None:
    """Forget failed logins so that the login throttle lets them try again: of NAME (from every
    address, or only --address), from --address (any name), or, with neither, all of them."""
    key = check_name(name).casefold() if name else None
    cleared = clear_login_failures(app.open_db(options()), key, address)
    parts = [f"of {name}" if name else "", f"from {address}" if address else ""]
    who = " ".join(p for p in parts if p) or "in all"
    click.echo(f"cleared {cleared} failed login{'s' * (cleared != 1)} {who}")
