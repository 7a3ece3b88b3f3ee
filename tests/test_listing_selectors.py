"""Selectors as data: a `listing` source says in sources.toml what code would otherwise say.

Listing pages are read with BeautifulSoup and soupsieve's CSS, so `:-soup-contains()`, `:has()`,
`:is()` and `:not()` work in a source's options ("the cards that mention defensores"), the config
refuses a selector soupsieve cannot compile, and a hostile page stays bounded.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from fixturesite import FixtureClient, Spec
from support import ROOT

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.fetch import DiscoverContext, discover_links
from pipeline.fetch.listed import parse_html, select

FOLDER = ROOT / "tests" / "fixtures" / "sources" / "defensoria-notas"


def _listing(tmp_path: Path, items: str, link: str = "h2 a") -> list[str]:
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""[[source]]
id = "defensoria-notas"
name = "Defensoría del Pueblo Perú"
kind = "listing"
url = "https://www.defensoria.gob.pe/notas-de-prensa/"
since = "2020-06-01"
options = {{ items = "{items}", link = "{link}", next = "a.next", max_pages = 2 }}
""",
        encoding="utf-8",
    )
    source = load_config(path).sources[0]
    ctx = DiscoverContext(FixtureClient(Spec.load(FOLDER)), today=dt.date(2021, 4, 23))
    return [link.listed_title for link in discover_links(source, ctx)]


def test_the_items_that_mention_a_word(tmp_path: Path) -> None:
    every = _listing(tmp_path, "article.nota")
    mentioning = _listing(tmp_path, "article.nota:-soup-contains('defensor')")
    assert mentioning and len(mentioning) < len(every)
    assert all("defensor" in title.casefold() for title in mentioning)


def test_has_is_and_not_select_by_structure(tmp_path: Path) -> None:
    with_time = _listing(tmp_path, "article.nota:has(> time)")
    without_time = _listing(tmp_path, "article.nota:not(:has(> time))")
    assert with_time and without_time
    assert set(with_time).isdisjoint(without_time)
    assert _listing(tmp_path, "article:is(.nota, .destacado)") == _listing(tmp_path, "article.nota")


def test_a_selector_soupsieve_cannot_compile_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        _listing(tmp_path, "article:-soup-contains(")
    assert "'items' is not a CSS selector" in str(err.value)


def test_a_hostile_page_is_parsed_in_bounded_time() -> None:
    deep = b"<html><body>" + b"<div>" * 100_000 + b"<article class='nota'>x</article>"
    started = time.monotonic()
    root = parse_html(deep + b"</div>" * 100_000, "https://x.pe/")
    select(root, "article.nota:-soup-contains('x')")
    assert time.monotonic() - started < 10
