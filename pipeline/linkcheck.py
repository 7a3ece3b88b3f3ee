"""Link rot: `pipeline check-links` asks again for every URL an export would publish, through the
guarded HTTP client, and records what answered. Exports then point a dead link at its archived
copy (the WARC record of the version we kept).

Takes the database, a Getter and the URLs; gives counts and the dead links with their copies.
Only an answer that says the page is gone marks it dead (404, 410, or a host that no longer
exists); a timeout, a 5xx or a rate limit says nothing about the page and changes nothing. A URL
the guard refuses to ask at all (a non-public address, a bad scheme or URL) is *refused*: reported
with its reason, never called "not answering", and its state is kept too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import FailureClass, FetchError
from .exporters.common import web_url
from .fetch import Getter
from .store.exports import Database, record_link_check, source_details

# "HTTP 404" / "HTTP 410" in the client's failure detail: the server itself says the page is gone.
_GONE = ("HTTP 404", "HTTP 410")
# Refusals of ours, before any request: nothing was asked, so nothing is known about the page.
_REFUSED = frozenset({FailureClass.BLOCKED_ADDRESS, FailureClass.BAD_SCHEME, FailureClass.BAD_URL})


@dataclass(frozen=True)
class RefusedLink:
    url: str
    failure: str
    detail: str


@dataclass(frozen=True)
class DeadLink:
    url: str
    archive_ref: str  # "" when we never kept a copy


@dataclass
class LinkReport:
    checked: int = 0
    ok: int = 0
    unknown: int = 0  # transient failures: the previous state stands
    dead: list[DeadLink] = field(default_factory=list)
    refused: list[RefusedLink] = field(default_factory=list)  # never asked: the guard said no


def is_gone(error: FetchError) -> bool:
    if error.failure is FailureClass.DNS:  # the host no longer exists
        return True
    return error.failure is FailureClass.HTTP_4XX and error.detail.startswith(_GONE)


def check_links(db: Database, client: Getter, urls: Iterable[str]) -> LinkReport:
    """Fetch each http(s) URL once and record ok / dead; see the module doc for "dead"."""
    report = LinkReport()
    wanted = sorted({url for url in urls if web_url(url)})
    for url in wanted:
        report.checked += 1
        try:
            client.get(url)
        except FetchError as exc:
            if exc.failure in _REFUSED:
                report.refused.append(RefusedLink(url, exc.failure.value, exc.detail))
                continue
            if not is_gone(exc):
                report.unknown += 1
                continue
            record_link_check(db, url, False, exc.failure.value, exc.detail)
            report.dead.append(DeadLink(url, ""))
            continue
        record_link_check(db, url, True)
        report.ok += 1
    details = source_details(db, (d.url for d in report.dead))
    report.dead = [
        DeadLink(d.url, details[d.url].archive_ref if d.url in details else "") for d in report.dead
    ]
    return report
