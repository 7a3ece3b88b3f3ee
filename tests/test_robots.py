"""robots.txt by RFC 9309 (Protego), issue 13 item 3: `urllib.robotparser` matched `*` and `$`
literally, so paths a site disallowed with `Disallow: /*?print=` were fetched. Pure: robots.txt
bodies are handed to the cache by a stub client, the rules are asked about URLs."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping

import pytest

from pipeline.errors import FailureClass, FetchError
from pipeline.fetch.polite import MAX_CRAWL_DELAY, PoliteGetter
from pipeline.models import Fetched
from pipeline.net.robots import PARSE_LIMIT, RobotsCache, product_token

AGENT = "ObservatoryBot/0.1 (+mailto:ops@example.org)"
SITE = "https://www.gob.pe"


class Stub:
    """Answers robots.txt with `body` (or raises `error`) and counts what was asked."""

    def __init__(self, body: bytes = b"", error: FetchError | None = None) -> None:
        self.body, self.error = body, error
        self.asked: list[str] = []

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
    ) -> Fetched:
        self.asked.append(url)
        if self.error is not None:
            raise self.error
        body = self.body if url.endswith("/robots.txt") else b"page"
        return Fetched(
            url, url, 200, {}, body, hashlib.sha256(body).hexdigest(), dt.datetime.now(dt.UTC)
        )


def rules(text: str) -> RobotsCache:
    return RobotsCache(Stub(text.encode()), AGENT)


def allowed(robots: RobotsCache, path: str) -> bool:
    return robots.allowed(SITE + path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/institucion/minjus/normas-legales/1185004", True),
        ("/institucion/minjus/normas-legales/1185004?print=1", False),  # the issue's own case
        ("/busqueda?page=2&print=true", False),
        ("/busqueda?page=2&printer=1", True),
        ("/uploads/document/file/rm-0255-2020-jus.pdf", False),  # "$": ends with .pdf
        ("/uploads/document/file/rm-0255-2020-jus.pdf?download=1", True),  # does not end so
        ("/tmp/", False),
        ("/tmp", True),  # "/tmp/$" is exactly "/tmp/", not a prefix of "/tmp"
        ("/tmp/x", True),
    ],
)
def test_wildcards_and_end_anchors_are_matched_as_rfc_9309_says(path: str, expected: bool) -> None:
    robots = rules(
        "User-agent: *\nDisallow: /*?print=\nDisallow: /*&print=\nDisallow: /*.pdf$\n"
        "Disallow: /tmp/$\n"
    )
    assert allowed(robots, path) is expected


def test_the_longest_match_wins_in_any_file_order() -> None:
    robots = rules(
        "User-agent: *\nAllow: /normas/publicas/\nDisallow: /normas/\n"
        "Disallow: /normas/publicas/borradores/\n"
    )
    assert not allowed(robots, "/normas/2020")
    assert allowed(robots, "/normas/publicas/rm-0255")
    assert not allowed(robots, "/normas/publicas/borradores/rm-0255")
    # A wildcard rule counts its own length: "/*/borradores" (13) beats "/normas/" (8).
    robots = rules("User-agent: *\nAllow: /normas/\nDisallow: /*/borradores\n")
    assert not allowed(robots, "/normas/borradores/x")


def test_allow_wins_a_tie_with_disallow() -> None:
    robots = rules("User-agent: *\nDisallow: /page\nAllow: /page\n")
    assert allowed(robots, "/page")
    robots = rules("User-agent: *\nAllow: /page\nDisallow: /page\n")  # order does not matter
    assert allowed(robots, "/page")


def test_our_group_wins_over_the_star_group_and_the_contact_address_names_no_group() -> None:
    robots = rules(
        "User-agent: *\nDisallow: /\n\nUser-agent: observatorybot\nAllow: /\nDisallow: /privado\n"
        "\nUser-agent: example\nDisallow: /\n"
    )
    assert product_token(AGENT) == "ObservatoryBot"
    assert allowed(robots, "/normas")  # our group, matched case-insensitively
    assert not allowed(robots, "/privado/x")
    assert RobotsCache(Stub(b"User-agent: example\nDisallow: /\n"), AGENT).allowed(SITE + "/")


def test_a_large_robots_txt_is_parsed_up_to_the_limit_in_bounded_time() -> None:
    head = b"User-agent: *\nDisallow: /privado\n"
    padding = b"# " + b"x" * 78 + b"\n"
    body = head + padding * (4 * 1024 * 1024 // len(padding)) + b"Disallow: /\n"  # 4 MB
    robots = RobotsCache(Stub(body), AGENT)
    start = time.monotonic()
    assert not robots.allowed(SITE + "/privado/a")
    assert robots.allowed(SITE + "/normas")  # the "Disallow: /" past 500 KiB is not read
    assert time.monotonic() - start < 10  # generous: about 0.1 s on an idle core
    assert len(body) > PARSE_LIMIT


def test_a_rule_cut_by_the_limit_is_dropped_not_shortened() -> None:
    head = b"User-agent: *\n" + b"# pad\n" * ((PARSE_LIMIT - 40) // 6)
    cut = b"Disallow: /normas/borradores\n"  # crosses the limit: "Disallow: /norm" would be wrong
    body = head + b"x" * (PARSE_LIMIT - len(head) - 15) + b"\n" + cut
    robots = RobotsCache(Stub(body), AGENT)
    assert robots.allowed(SITE + "/normas/2020")


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\xff\xfe\x89PNG\r\n\x1a\n" * 1000,  # binary junk
        b"<!DOCTYPE html><html><body><h1>Bienvenido</h1></body></html>",  # a soft 404 page
        b"Disallow: /\n",  # a rule before any User-agent line: ignored
        b"User-agent *\nDisalow /\n",  # no colons, a misspelling Protego tolerates
        "\ufeffUser-agent: *\nDisallow: /privado\n".encode(),  # UTF-8 BOM
        b"User-agent: *\nDisallow: /priv\xe1do\n",  # a latin-1 byte in a path
        b"User-agent: *\n" + b"Disallow: /" + b"*" * 20000 + b"x\n",  # a pathological wildcard
    ],
    ids=["binary", "html", "orphan-rule", "no-colons", "bom", "latin1", "stars"],
)
def test_a_malformed_robots_txt_never_raises_and_answers_quickly(body: bytes) -> None:
    robots = RobotsCache(Stub(body), AGENT)
    start = time.monotonic()
    verdicts = [robots.allowed(SITE + p) for p in ("/normas", "/privado/x", "/" + "a" * 5000)]
    assert all(isinstance(v, bool) for v in verdicts)
    assert time.monotonic() - start < 5


def test_the_bom_does_not_hide_the_first_line() -> None:
    robots = RobotsCache(Stub("\ufeffUser-agent: *\nDisallow: /privado\n".encode()), AGENT)
    assert not robots.allowed(SITE + "/privado/x")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Crawl-delay: 7", 7.0), ("Crawl-delay: nan", None), ("Crawl-delay: -3", None)],
)
def test_crawl_delay_is_read_and_junk_is_ignored(line: str, expected: float | None) -> None:
    assert rules(f"User-agent: *\n{line}\n").crawl_delay(SITE + "/") == expected


def test_a_huge_crawl_delay_is_capped_by_the_polite_getter() -> None:
    stub = Stub(b"User-agent: *\nCrawl-delay: 1e308\n")
    delays: list[float | None] = []

    class Recorder(Stub):
        def get(
            self, url: str, headers: Mapping[str, str] | None = None, *, delay: float | None = None
        ) -> Fetched:
            delays.append(delay)
            return stub.get(url, headers)

    PoliteGetter(Recorder(), RobotsCache(stub, AGENT)).get(SITE + "/normas")
    assert delays == [MAX_CRAWL_DELAY]


def test_robots_txt_unavailable_blocks_the_origin_and_a_refused_address_keeps_its_class() -> None:
    down = Stub(error=FetchError(SITE + "/robots.txt", FailureClass.HTTP_5XX, "HTTP 503"))
    with pytest.raises(FetchError) as info:
        RobotsCache(down, AGENT).check(SITE + "/normas")
    assert info.value.failure is FailureClass.ROBOTS
    refused = Stub(error=FetchError(SITE, FailureClass.BLOCKED_ADDRESS, "10.0.0.1 is private"))
    robots = RobotsCache(refused, AGENT)
    for _ in range(3):
        with pytest.raises(FetchError) as info:
            robots.check(SITE + "/normas")
        assert info.value.failure is FailureClass.BLOCKED_ADDRESS
    assert len(refused.asked) == 1  # asked once per origin, even when refused
