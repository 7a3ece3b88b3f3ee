"""Review stage: the web app's request checks, as pure functions of headers and strings, so each
rule is tested alone and the web adapter only wires them: the Host allow-list, refusing
cross-site writes, CSRF tokens, response headers, and which URLs may become links.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Collection, Mapping
from urllib.parse import urlsplit

# Loopback by default: the app is meant to sit behind a reverse proxy or be reached over SSH.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script or style at all: every script and stylesheet is a file under /static.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Review URLs say what is being reviewed; the sites editors click through to need not know.
    # Not "no-referrer": with it Chromium sends `Origin: null` on our own form POSTs.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# An archived page is hostile HTML from the web: a sandbox gives it an opaque origin with no
# scripts, forms or plugins, so it can neither run nor reach the app's cookies.
ARCHIVE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def hostname(host_header: str) -> str:
    """The host name of a Host header value ("127.0.0.1:8000", "[::1]:80"), lower case."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(host_header: str, allowed: Collection[str]) -> bool:
    name = hostname(host_header)
    return bool(name) and name in {h.lower().strip("[]") for h in allowed}


def cross_site_refusal(method: str, headers: Mapping[str, str]) -> str | None:
    """Why a state-changing request must be refused as cross-site, or None when it may go on.

    Browsers send Sec-Fetch-Site and Origin on POSTs; a request from another site's page says so
    in one or both. Clients without them (scripts, old browsers) still need the CSRF token."""
    if method.upper() in SAFE_METHODS:
        return None
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"cross-site request refused (Sec-Fetch-Site: {site})"
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or parts.netloc.lower() != headers.get("host", "").lower():
            return "cross-site request refused (Origin does not match Host)"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def link_url(url: str) -> str | None:
    """`url` when it is safe to put in an href (http or https with a host), else None."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None
