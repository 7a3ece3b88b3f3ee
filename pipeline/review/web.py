"""Review stage, web adapter: the editors' app (Starlette + Jinja2), the only module importing
Starlette. Takes WebSettings (database path, session key, allowed hosts, archive, re-link hook);
gives an ASGI app. Pages are built by review/pages.py; this module does HTTP: sessions, login,
the Host and cross-site checks, CSRF on every POST, security headers and error pages.

GET never writes. Each request opens its own SQLite connection in a worker thread, so a write
that waits for the nightly run's lock (busy timeout) blocks nobody else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..archive import Archive
from ..errors import InputError, PipelineError
from ..store.db import connect
from ..store.decisions import Database
from . import pages, sessions
from .auth import LoginThrottle, authenticate
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
HERE = Path(__file__).parent


@dataclass(frozen=True)
class WebSettings:
    db_path: Path
    secret_key: str
    relink: Callable[[Database], int]
    archive: Archive | None = None
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    https_only: bool = False  # set behind a TLS proxy: the cookie then never travels in clear


def create_app(settings: WebSettings) -> Starlette:
    routes = [
        Route("/", queue, methods=["GET"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/match/{match_id:int}", match, methods=["GET", "POST"]),
        Route("/match/{match_id:int}/archived", archived, methods=["GET"]),
        Route("/policy/{policy_id:str}", policy, methods=["GET", "POST"]),
        Route("/policy/{policy_id:str}/proposal/{proposal_id:int}", proposal, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
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
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            PipelineError: _known_error,
            Exception: _server_error,
        },
    )
    app.state.settings = settings
    app.state.throttle = LoginThrottle()
    return app


async def _host_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    settings: WebSettings = request.app.state.settings
    if host_allowed(request.headers.get("host", ""), settings.allowed_hosts):
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


async def queue(request: Request) -> Response:
    params = dict(request.query_params)
    return _page(request, "queue.html", await _db(request, pages.queue_page, params))


async def match(request: Request) -> Response:
    match_id: int = request.path_params["match_id"]
    params = dict(request.query_params)
    if request.method == "GET":
        return _page(request, "match.html", await _db(request, pages.match_page, match_id, params))
    form = _fields(await _form(request))
    editor = str(request.session["user"])  # the editor is who logged in, never a form field
    outcome = await _db(request, pages.decide, match_id, editor, form)
    if outcome.redirect:
        request.session["flash"] = {"text": outcome.message, "undo": outcome.undo}
        return RedirectResponse(outcome.redirect, status_code=303)
    return _page(request, "match.html", outcome.context, outcome.status)


async def archived(request: Request) -> Response:
    settings: WebSettings = request.app.state.settings
    match_id: int = request.path_params["match_id"]
    found = await _db(request, pages.archived_copy, settings.archive, match_id)
    if found is None:
        raise HTTPException(404, "No archived copy of this document.")
    return Response(found.body, media_type=found.media_type, headers=found.headers)


async def policy(request: Request) -> Response:
    policy_id: str = request.path_params["policy_id"]
    if request.method == "GET":
        return _page(request, "policy.html", await _db(request, pages.policy_page, policy_id))
    form = _fields(await _form(request))
    settings: WebSettings = request.app.state.settings
    outcome = await _db(request, pages.edit_policy, policy_id, form, settings.relink)
    if outcome.redirect:
        request.session["flash"] = {"text": outcome.message, "undo": None}
        return RedirectResponse(outcome.redirect, status_code=303)
    return _page(request, "policy.html", outcome.context, outcome.status)


async def proposal(request: Request) -> Response:
    policy_id: str = request.path_params["policy_id"]
    proposal_id: int = request.path_params["proposal_id"]
    form = _fields(await _form(request))
    outcome = await _db(
        request, pages.close_proposal, policy_id, proposal_id, form.get("action", "")
    )
    request.session["flash"] = {"text": outcome.message, "undo": None}
    return RedirectResponse(outcome.redirect or "/", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Something went wrong."
    html = render_page("error.html", {"status": status, "message": detail, "user": None})
    return HTMLResponse(html, status_code=status)


async def _known_error(request: Request, exc: Exception) -> Response:
    """A failure the pipeline names: missing things are 404, bad input 400, the rest 503."""
    status = 404 if isinstance(exc, pages.NotFound) else 400 if isinstance(exc, InputError) else 503
    html = render_page("error.html", {"status": status, "message": str(exc), "user": None})
    return HTMLResponse(html, status_code=status)


async def _server_error(request: Request, exc: Exception) -> Response:
    # No traceback reaches the page: a known failure says what it is, anything else says little.
    message = str(exc) if isinstance(exc, PipelineError) else "Something went wrong on our side."
    html = render_page("error.html", {"status": 500, "message": message, "user": None})
    # This handler runs outside the middleware stack, so it sets the headers itself.
    return HTMLResponse(html, status_code=500, headers=dict(SECURITY_HEADERS))
