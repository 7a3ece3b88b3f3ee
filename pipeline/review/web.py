"""Review stage, web adapter: the editors' app (Starlette + Jinja2), the only module importing
Starlette. Takes WebSettings (database path, session key, allowed hosts, archive, the re-link a
policy edit queues, the default time zone); gives an ASGI app. Pages are built, free of HTTP, by
queue_page.py, match_page.py, bulk.py and policy_page.py; this module does HTTP: sessions,
login, the Host and cross-site checks, CSRF on every POST, security headers, error pages, and
the job runner's start and stop.

GET never writes. Each request opens its own SQLite connection in a worker thread, so a write
that waits for the nightly run's lock (busy timeout) blocks nobody else; a re-link runs in the
job runner's thread, never in a request.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..archive import Archive
from ..errors import InputError, PipelineError
from ..store.db import connect
from . import bulk, match_page, policy_page, queue_page, sessions
from .auth import LoginThrottle, authenticate
from .clock import Viewer, server_zone, zone
from .jobs import JobRunner, Relink
from .pages import NotFound, Outcome, archived_copy
from .render import render_page
from .security import (
    LOOPBACK_HOSTS,
    SECURITY_HEADERS,
    cross_site_refusal,
    host_allowed,
    new_token,
    tokens_match,
)

T = TypeVar("T")
TZ_COOKIE = "tz"  # set by review.js from the browser's own zone; only a display preference
HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebSettings:
    db_path: Path
    secret_key: str
    relink: Relink  # what a policy edit's background job runs
    archive: Archive | None = None
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    https_only: bool = False  # set behind a TLS proxy: the cookie then never travels in clear
    timezone: str | None = None  # the zone times are shown in until a browser names its own
    language: str = "en"  # the observatory's language: the editors' draft is written in it


def create_app(settings: WebSettings) -> Starlette:
    routes = [
        Route("/", _view("queue.html", queue_page.queue_page), methods=["GET"]),
        Route("/policies", _view("policies.html", queue_page.policies_page), methods=["GET"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/match/{match_id:int}", _both("match.html", match_page.match_page,
                                             match_page.decide), methods=["GET", "POST"]),
        Route("/match/{match_id:int}/archived", archived, methods=["GET"]),
        Route("/policy/{policy_id:str}", _both("policy.html", policy_page.policy_page,
                                               policy_page.edit_policy), methods=["GET", "POST"]),
        Route("/policy/{policy_id:str}/proposal/{proposal_id:int}",
              _action(policy_page.close_proposal), methods=["POST"]),
        Route("/bulk", _both("bulk.html", bulk.bulk_preview, bulk.bulk_apply),
              methods=["GET", "POST"]),
        Route("/bulk/{batch_id:int}/undo", _action(bulk.bulk_undo), methods=["POST"]),
        Route("/jobs/{job_id:int}", job, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]  # fmt: skip
    middleware = [
        Middleware(BaseHTTPMiddleware, dispatch=_host_and_headers),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="review_session",
            max_age=sessions.SESSION_HOURS * 3600,
            same_site="strict",
            https_only=settings.https_only,
        ),
        Middleware(BaseHTTPMiddleware, dispatch=_login_and_origin),
    ]
    runner = JobRunner(settings.db_path, settings.relink)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(runner.stop)

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            PipelineError: _known_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.throttle = LoginThrottle()
    app.state.jobs = runner
    app.state.zone = server_zone(settings.timezone)
    return app


async def _host_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    settings: WebSettings = request.app.state.settings
    if host_allowed(request.headers.get("host", ""), settings.allowed_hosts):
        request.app.state.jobs.ensure_started()  # resumes a job a stopped server left
        response = await call_next(request)
    else:  # DNS rebinding and Host-header tricks stop here, before any session or page
        response = PlainTextResponse("unknown Host header", status_code=400)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def _login_and_origin(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    refusal = cross_site_refusal(request.method, request.headers)
    if refusal:
        return PlainTextResponse(refusal, status_code=403)
    if request.url.path == "/login" or request.url.path.startswith("/static/"):
        return await call_next(request)
    name = request.session.get("user")
    sid = str(request.session.get("sid", ""))
    if not name or await _db(request, sessions.editor_of, sid) != name:
        if name:  # an ended or expired session; an anonymous one keeps its login CSRF token
            request.session.clear()
        if request.method in ("GET", "HEAD"):
            return RedirectResponse("/login", status_code=303)
        return PlainTextResponse("log in first", status_code=403)
    return await call_next(request)


async def _db(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(db, *args)` in a worker thread on a connection of its own."""
    settings: WebSettings = request.app.state.settings

    def work() -> T:
        db = connect(settings.db_path, create=False)
        try:
            return fn(db, *args)
        finally:
            db.conn.close()

    return await run_in_threadpool(work)


def _csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = new_token()
    return str(token)


async def _form(request: Request) -> FormData:
    """The POSTed form, after its CSRF token was checked against the session's."""
    form = await request.form(max_files=0, max_fields=50)
    if not tokens_match(request.session.get("csrf"), str(form.get("csrf", ""))):
        raise HTTPException(403, "The form's security token is missing or old: reload the page.")
    return form


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    flash = request.session.pop("flash", None)
    html = render_page(
        template,
        {**context, "user": request.session.get("user"), "csrf": _csrf(request), "flash": flash},
    )
    return HTMLResponse(html, status_code=status)


def _fields(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _viewer(request: Request) -> Viewer:
    """The editor from the session (never from a form) and the zone their browser named."""
    tz = zone(unquote(request.cookies.get(TZ_COOKIE, ""))) or request.app.state.zone
    return Viewer(str(request.session["user"]), tz, request.app.state.settings.language)


View = Callable[..., "dict[str, Any] | Outcome"]
Action = Callable[..., Outcome]


def _view(template: str, fn: View) -> Callable[[Request], Awaitable[Response]]:
    """A GET page: fn(db, viewer, query, *path parameters) gives the template's context (or an
    Outcome naming another page to show, as a GET form's error does)."""

    async def handler(request: Request) -> Response:
        args = list(request.path_params.values())
        query = dict(request.query_params)
        context = await _db(request, fn, _viewer(request), query, *args)
        if isinstance(context, Outcome):
            return _page(request, context.template, context.context, context.status)
        return _page(request, template, context)

    return handler


def _action(fn: Action) -> Callable[[Request], Awaitable[Response]]:
    """A POST form: fn(db, viewer, form, *path parameters) gives an Outcome: a redirect with a
    message (and maybe an undo button), or the page again with what was typed."""

    async def handler(request: Request) -> Response:
        form = _fields(await _form(request))
        args = list(request.path_params.values())
        outcome = await _db(request, fn, _viewer(request), form, *args)
        request.app.state.jobs.wake()  # cheap; a form may have queued a job
        if outcome.redirect:
            request.session["flash"] = {"text": outcome.message, "undo": outcome.undo}
            return RedirectResponse(outcome.redirect, status_code=303)
        return _page(request, outcome.template, outcome.context, outcome.status)

    return handler


def _both(template: str, view: View, action: Action) -> Callable[[Request], Awaitable[Response]]:
    get, post = _view(template, view), _action(action)

    async def handler(request: Request) -> Response:
        return await (get if request.method in ("GET", "HEAD") else post)(request)

    return handler


async def login(request: Request) -> Response:
    if request.method == "GET":
        return _page(request, "login.html", {})
    form = await _form(request)
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    throttle: LoginThrottle = request.app.state.throttle
    address = request.client.host if request.client else ""
    wait = await _db(request, throttle.blocked_for, name, address)
    if wait:
        minutes = max(1, round(wait / 60))
        message = f"Too many failed logins: try again in {minutes} minutes."
        return _page(request, "login.html", {"error": message}, 429)
    if not await _db(request, authenticate, name, password):
        await _db(request, throttle.failed, name, address)
        return _page(request, "login.html", {"error": "Wrong name or password."}, 401)
    await _db(request, throttle.succeeded, name, address)
    sid = await _db(request, sessions.start, name)
    request.session.clear()  # nothing from before login survives
    request.session.update({"user": name, "sid": sid, "csrf": new_token()})
    return RedirectResponse("/", status_code=303)


async def logout(request: Request) -> Response:
    await _form(request)
    await _db(request, sessions.end, str(request.session.get("sid", "")))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def archived(request: Request) -> Response:
    settings: WebSettings = request.app.state.settings
    match_id: int = request.path_params["match_id"]
    found = await _db(request, archived_copy, settings.archive, match_id)
    if found is None:
        raise HTTPException(404, "No archived copy of this document.")
    return Response(found.body, media_type=found.media_type, headers=found.headers)


async def job(request: Request) -> Response:
    """A job's progress as JSON, for the policy page's script to poll."""
    job_id: int = request.path_params["job_id"]
    found = await _db(request, policy_page.job_status, _viewer(request), {}, job_id)
    return JSONResponse(found)


def _error_page(request: Request, status: int, message: str) -> Response:
    # The header's links only for someone logged in (the session exists inside the app).
    user = request.scope.get("session", {}).get("user")
    html = render_page("error.html", {"status": status, "message": message, "user": user})
    return HTMLResponse(html, status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Something went wrong."
    return _error_page(request, status, detail)


async def _known_error(request: Request, exc: Exception) -> Response:
    """A failure the pipeline names: missing things are 404, bad input 400, the rest 503."""
    status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, InputError) else 503
    return _error_page(request, status, str(exc))


async def _server_error(request: Request, exc: Exception) -> Response:
    # No traceback reaches the page: a known failure says what it is, anything else says little.
    message = str(exc) if isinstance(exc, PipelineError) else "Something went wrong on our side."
    html = render_page("error.html", {"status": 500, "message": message, "user": None})
    # This handler runs outside the middleware stack, so it sets the headers itself.
    return HTMLResponse(html, status_code=500, headers=dict(SECURITY_HEADERS))
