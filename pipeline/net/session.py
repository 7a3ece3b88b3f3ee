"""A session of one source's run: the guarded client with a cookie jar of its own.

Takes the run's `HttpClient`; gives an object with `get` and `request` (GET and form POST) that
keeps the cookies its responses set (a platform's login cookie, a JSF JSESSIONID) and sends them
back only to the hosts that set them (http.cookiejar's domain rules). Each source's discovery gets
a fresh one, so a cookie never travels from one source to another; document fetches and
robots.txt go through the client itself, which stores no cookie at all. Everything else (address
guard, deadlines, caps, retries, politeness) is the client's: a session adds state, not rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Protocol

from pipeline.models import Fetched


@dataclass(frozen=True)
class Call:
    """What one request sends beyond its URL and headers: the method, a form, a session's jar."""

    method: str
    data: dict[str, str] | None
    jar: CookieJar | None

    def redirected(self, status: int) -> Call:
        # 307/308 repeat the request as it was; 301/302/303 turn a POST into a GET (RFC 9110).
        return self if status in (307, 308) else Call("GET", None, self.jar)


class Requester(Protocol):
    def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
        jar: CookieJar | None = None,
    ) -> Fetched: ...


class HttpSession:
    def __init__(self, client: Requester) -> None:
        self._client = client
        self._jar = CookieJar()

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        return self.request("GET", url, headers=headers, delay=delay)

    def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
    ) -> Fetched:
        return self._client.request(
            method, url, data=data, headers=headers, delay=delay, jar=self._jar
        )

    def session(self) -> HttpSession:
        """Another, empty session on the same client (never a copy of this one's cookies)."""
        return HttpSession(self._client)

    def cookie_names(self) -> list[str]:
        """The names of the cookies held, for a platform checking that a login took (values
        stay inside: they are credentials of a kind and never reach a log or a report)."""
        return sorted({cookie.name for cookie in self._jar})
