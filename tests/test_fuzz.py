"""Fuzzing with real-shaped pages (issue 13): the demo web's and the fixtures' pages, mutated the
ways the web mangles them (truncated, re-encoded under a lying charset, tags unbalanced, huge
attributes, deep nesting), through `extract_document` and through a loopback `pipeline run`.

What must hold: only the documented errors (ExtractError from the extractor; recorded failure
classes from a run), bounded time and memory, and never garbage stored as `page_class=ok`.
Time bounds are generous (a loaded machine is slow, not broken); the run's examples are
deterministic, hypothesis's are a fixed number.
"""

from __future__ import annotations

import contextlib
import random
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils
from faultserver import FaultServer, ok
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_support import run, sitemap, source
from support import ROOT

from pipeline.errors import ExtractError, FailureClass
from pipeline.extract import extract_document

SEEDS = sorted(
    [*(ROOT / "demo/web").rglob("*.html"), *(ROOT / "tests/fixtures/pages").glob("*.html")]
)
PAGES = [p.read_bytes() for p in SEEDS]
# Characters a Spanish or English page decoded right never holds: replacement characters, C1
# controls, CJK and Hangul (what a wrong multi-byte codec makes of Latin bytes), and the "Ã©"
# pairs of UTF-8 read as cp1252.
_GARBAGE = re.compile(r"[\ufffd\x80-\x9f\u3000-\u9fff\uac00-\ud7af]|Ã[\x80-\xbf¡-¿]")
SECONDS_PER_PAGE = 30.0  # generous: about 0.05 s each on an idle core


def garbled(text: str) -> bool:
    return len(_GARBAGE.findall(text)) > max(2, len(text) // 100)


# --- mutations: bytes → bytes, each what some real server or CMS has done ----------------------
def truncate(page: bytes, r: random.Random) -> bytes:
    return page[: r.randrange(1, len(page))]


def reencode(page: bytes, r: random.Random) -> bytes:
    """The text in another charset, its meta tag left claiming UTF-8 or rewritten to lie."""
    text = page.decode("utf-8")
    codec = r.choice(["latin-1", "cp1252", "utf-16", "utf-8"])
    claim = r.choice(["utf-8", "utf-16", "iso-8859-1", "windows-1251", "no-such", codec])
    text = re.sub(r'charset="?[\w-]+"?', f'charset="{claim}"', text, count=1)
    return text.encode(codec, errors="xmlcharrefreplace")


def unbalance(page: bytes, r: random.Random) -> bytes:
    """Closing tags dropped, opening ones doubled: what a broken template serves."""
    closing = [m.start() for m in re.finditer(rb"</[a-z]+>", page)]
    for start in sorted(r.sample(closing, min(len(closing), 12)), reverse=True):
        end = page.index(b">", start) + 1
        page = page[:start] + page[end:]
    opening = list(re.finditer(rb"<(div|p|section|span)\b[^>]*>", page))
    for m in r.sample(opening, min(len(opening), 5)):
        page = page.replace(m.group(), m.group() * 50, 1)
    return page


def huge_attribute(page: bytes, r: random.Random) -> bytes:
    """A tracking blob or inlined image in an attribute: hundreds of KB in one tag."""
    blob = b"data-x='" + b"A" * r.randrange(100_000, 2_000_000) + b"'"
    tags = [m.end() - 1 for m in re.finditer(rb"<(p|div|h1|title|a)\b[^>]*>", page)]
    at = r.choice(tags) if tags else 0
    return page[:at] + b" " + blob + page[at:]


def deep(page: bytes, r: random.Random) -> bytes:
    depth = r.randrange(1_000, 20_000)
    at = page.find(b"<main") if b"<main" in page else page.find(b"<body")
    at = max(at, 0)
    return page[:at] + b"<div>" * depth + page[at:]


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    truncate,
    reencode,
    unbalance,
    huge_attribute,
    deep,
]


def mutated(seed: int, steps: int = 2) -> tuple[bytes, str]:
    r = random.Random(seed)
    page = r.choice(PAGES)
    for mutation in r.sample(MUTATIONS, steps):
        try:
            page = mutation(page, r)
        except UnicodeDecodeError:  # re-encoding a page already re-encoded: keep it as is
            continue
    header = r.choice(["text/html", "text/html; charset=utf-8", "text/html; charset=utf-16", ""])
    return page, header


# --- the extractor -------------------------------------------------------------------------------
@settings(
    max_examples=40,
    deadline=None,  # timed below, generously: hypothesis's own deadline flakes under load
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=3))
def test_mutated_pages_through_extract_document(seed: int, steps: int) -> None:
    body, header = mutated(seed, steps)
    start = time.monotonic()
    try:
        got = extract_document(body, url="https://www.gob.pe/x", content_type=header)
    except ExtractError:
        return  # the documented refusal: binary junk, an unreadable PDF
    assert time.monotonic() - start < SECONDS_PER_PAGE
    if got.page_class == "ok":
        assert not garbled(got.title), (got.charset, got.charset_method, got.title[:200])
        assert not garbled(got.text), (got.charset, got.charset_method, got.text[:300])


def test_every_mutation_alone_on_every_seed_stays_within_memory() -> None:
    """Peak RSS grows by less than 600 MB over all seeds × mutations, the largest a 2 MB
    attribute and 20,000 nested divs (ru_maxrss only grows: no flaky timing involved)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = random.Random(13)
    for page in PAGES[::3]:
        for mutation in MUTATIONS:
            try:
                body = mutation(page, r)
            except UnicodeDecodeError:
                continue
            with contextlib.suppress(ExtractError):  # documented: binary junk
                extract_document(body, url="https://x.pe/a", content_type="text/html")
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 600 * 1024


# --- a whole run over loopback -------------------------------------------------------------------
def test_mutated_pages_through_a_loopback_run(db: sqlite_utils.Database, tmp_path: Path) -> None:
    pages = {f"/p{n}": mutated(1000 + n, steps=1 + n % 3) for n in range(16)}
    with FaultServer() as srv:
        for path, (body, header) in pages.items():
            srv.routes[path] = ok(body, Content_Type=header or "text/html")
        srv.routes["/sitemap.xml"] = sitemap(srv, list(pages))
        start = time.monotonic()
        summary = run(db, tmp_path, [source("fuzz", srv.url("/sitemap.xml"))])
    assert time.monotonic() - start < SECONDS_PER_PAGE * len(pages)
    assert summary.links == len(pages)
    documented = {f.value for f in FailureClass}
    assert set(summary.failures) <= documented
    stored = db.conn.execute(
        "SELECT d.url, e.title, e.text, e.charset, e.charset_method FROM extractions e"
        " JOIN versions v ON v.id = e.version_id JOIN documents d ON d.id = v.document_id"
        " WHERE e.page_class = 'ok'"
    ).fetchall()
    assert stored, "every mutated page refused: the fuzzing checks nothing"
    for url, title, text, charset, method in stored:
        assert not garbled(title) and not garbled(text), (url, charset, method, title[:120])
    counted = summary.new_versions + sum(summary.failures.values())
    assert counted == len(pages), (summary.new_versions, summary.failures)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_changes_the_page(mutation: Callable[[bytes, random.Random], bytes]) -> None:
    """The fuzzing is only as good as its mutations: each must really alter a seed."""
    page = PAGES[0]
    assert mutation(page, random.Random(1)) != page
