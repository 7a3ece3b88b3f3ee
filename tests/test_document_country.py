"""A document's country: given, from its source, told from its host or its text, or undetermined,
never Peru by default; recorded with the document and weighed by the linker."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import policy

from pipeline.config import LinkSettings
from pipeline.extract import extract_document
from pipeline.extract.origin import host_country, tell_country
from pipeline.link import PolicyIndex, link_document
from pipeline.models import CountryMethod, DocumentCountry, MatchStatus
from pipeline.store import migrate
from pipeline.store.migrations import MIGRATIONS

GIVEN = CountryMethod.GIVEN
HOST = CountryMethod.HOST
TEXT = CountryMethod.TEXT
UNDETERMINED = CountryMethod.UNDETERMINED


@pytest.mark.parametrize(
    ("url", "code", "government"),
    [
        ("https://www.mininterior.gov.co/noticias/decreto-2137", "CO", True),
        ("https://www.gob.mx/segob/documentos/ley", "MX", True),
        ("https://www.gov.br/mdh/pt-br/assuntos/noticias", "BR", True),
        ("https://www.gouv.ci/_actualite-article.php", "CI", True),
        ("https://www.tsc.gob.hn/biblioteca/decreto-34-2015", "HN", True),
        ("https://www.gob.pe/institucion/minjus/normas-legales/1", "PE", True),
        ("https://www.komnasham.go.id/index.php/news", "ID", True),
        ("https://www.officialgazette.gov.ph/2016/07/01/", "PH", True),
        ("https://www.impo.com.uy/bases/decretos", "UY", False),
        ("https://www.elheraldo.hn/pais/ley", "HN", False),
        ("https://www.lafm.com.co/colombia", "CO", False),  # .co under a registry's com.co
        ("https://www.bbc.co.uk/mundo", "GB", False),
        ("https://www.congress.gov/bill/117th-congress", "US", True),
    ],
)
def test_hosts_that_tell_a_country(url: str, code: str, government: bool) -> None:
    hint = host_country(url)
    assert hint is not None and (hint.code, hint.government) == (code, government)


@pytest.mark.parametrize(
    "url",
    [
        "https://t.co/abc",  # .co, .tv, .io are sold worldwide
        "https://example.tv/x",
        "https://www.efe.com/efe/america/sociedad/1",
        "https://ishr.org/latest-updates/",
        "http://127.0.0.1:8737/page",
        "file:///tmp/ds.txt",
        "https://[::1]/x",
        "not a url",
    ],
)
def test_hosts_that_tell_nothing(url: str) -> None:
    assert host_country(url) is None


@pytest.mark.parametrize(
    ("url", "title", "text", "code", "method"),
    [
        # a dateline's capital, a gazette's name
        ("https://ex.org/a", "", "Lima, 22 de abril de 2021. El Ejecutivo publicó", "PE", TEXT),
        (
            "https://ex.org/a",
            "Aprueban la Ley de Protección",
            "Tegucigalpa, M.D.C., 15 de mayo de 2015. Publicado en La Gaceta.",
            "HN",
            TEXT,
        ),
        (
            "https://ex.org/a",
            "",
            "Brasília, 24 de julho de 2019; 198º da Independência",
            "BR",
            TEXT,
        ),
        ("https://ex.org/a", "", "Fait à Abidjan, le 22 février 2017", "CI", TEXT),
        ("https://ex.org/a", "", "Kinshasa : la RDC adopte une loi", "CD", TEXT),
        # ISHR writes about Honduras from Switzerland: the text outweighs a plain country code
        (
            "https://ishr.ch/latest-updates/honduras",
            "Honduras: defenders at risk despite protection law",
            "The Honduran Congress adopted the law in 2015. In Honduras, defenders...",
            "HN",
            TEXT,
        ),
        # a plain country code whose country the text also names stays the host's
        (
            "https://www.elheraldo.hn/pais/x",
            "",
            "Honduras y Guatemala; Guatemala, Guatemala, Guatemala firmaron",
            "HN",
            HOST,
        ),
        # a government domain settles it whatever the text names
        ("https://www.gob.pe/x", "", "Bogotá, Bogotá, Colombia, Colombia", "PE", HOST),
        # several countries, or none: undetermined, never a default
        (
            "https://ex.org/a",
            "",
            "Peru, Colombia, Brazil and Mexico adopted laws.",
            "",
            UNDETERMINED,
        ),
        ("https://ex.org/a", "", "Receta: chile con carne y frijoles", "", UNDETERMINED),
        ("https://ex.org/a", "", "Congo et Congo", "", UNDETERMINED),  # two states' name
    ],
)
def test_the_cascade(url: str, title: str, text: str, code: str, method: CountryMethod) -> None:
    got = tell_country(url, title, text)
    assert (got.code, got.method) == (code, method), got.detail
    assert got.detail


AGENCIA_BRASIL = "https://agenciabrasil.ebc.com.br/saude/noticia/2023-12/decreto"
NISIA = (
    "A ministra da Saúde, Nísia Trindade Lima, anunciou o Decreto nº 11.867, que institui a"
    " política.\nSegundo Nísia Trindade Lima, o decreto entra em vigor na data de publicação."
)


@pytest.mark.parametrize(
    ("url", "text", "language", "code", "method"),
    [
        # a capital that is also a surname is no dateline: Brazil's minister is no cue of Peru
        (AGENCIA_BRASIL, NISIA, "pt", "BR", HOST),
        ("https://ex.org/a", NISIA, "pt", "", UNDETERMINED),
        # a dateline "en Lima," in a signature line still tells Peru
        ("https://ex.org/a", "Dado en la Casa de Gobierno, en Lima, a los veintiún días", "es",
         "PE", TEXT),
        # a capital alone never overrules a country code (a correspondent's dateline)
        ("https://www.elheraldo.hn/x", "Managua, 3 de mayo. El gobierno anunció la ley.", "es",
         "HN", HOST),
        # a page in its host's language, about a country that does not speak it, stays the host's
        ("https://www.brasildefato.com.br/x", "O Peru aprovou. No Peru, o Peru protege.", "pt",
         "BR", HOST),
        # ... while a Spanish page on a Brazilian host, naming Peru only, is Peru's
        ("https://www.brasildefato.com.br/x", "El Perú aprobó. En el Perú, el Perú protege.",
         "es", "PE", TEXT),
        # twice the runner-up is no clear lead: a regional page naming Colombia twice, Peru once
        ("https://ex.org/a", "Colombia, Colombia y Perú firmaron la declaración.", "es", "",
         UNDETERMINED),
    ],
)  # fmt: skip
def test_capitals_hosts_and_languages(
    url: str, text: str, language: str, code: str, method: CountryMethod
) -> None:
    got = tell_country(url, "", text, None, language)
    assert (got.code, got.method) == (code, method), got.detail


def test_a_brazilian_news_page_naming_a_minister_lima_keeps_its_decree() -> None:
    body = (
        f"<html lang='pt-BR'><head><title>Decreto institui política</title></head><body>"
        f"<article><h1>Decreto institui política</h1><p>{NISIA}</p></article></body></html>"
    )
    got = extract_document(body.encode(), url=AGENCIA_BRASIL, content_type="text/html")
    assert (got.country.code, got.country.method) == ("BR", HOST)
    assert "BR:DEC|11867||" in [n.key for n in got.norms]


def test_an_undetermined_country_says_what_the_text_named() -> None:
    one = tell_country("https://ex.org/a", "", "A bill before the United States Congress.")
    assert (one.code, one.method) == ("", UNDETERMINED)
    assert one.detail == (
        "no country domain, and the text names only United States, once: too little to tell"
    )
    several = tell_country("https://ex.org/a", "", "Peru, Colombia, Brazil and Mexico adopted.")
    assert several.detail == (
        "no country domain, and the text names several countries: Brazil, Colombia, Mexico, Peru"
    )


def test_the_title_counts_once_though_the_text_repeats_it() -> None:
    # trafilatura keeps the <h1>, or extract_document heads the text with the title: one title
    title = "Honduras: defenders at risk"
    text = f"{title}\n\nThe protection law was adopted in 2015."
    got = tell_country("https://ex.org/a", title, text)
    assert (got.code, got.method) == ("", UNDETERMINED), got.detail
    # the text naming it again on its own still counts
    got = tell_country("https://ex.org/a", title, f"{text} In Honduras, defenders are at risk.")
    assert (got.code, got.method) == ("HN", TEXT), got.detail


def test_what_the_caller_knows_wins() -> None:
    known = DocumentCountry("CO", GIVEN, "given with --country")
    assert tell_country("https://www.gob.pe/x", "", "Lima", known) == known


MININTERIOR = (
    "<html><head><title>Decreto 2137 de 2018</title></head><body><article>"
    "<h1>Decreto 2137 de 2018</h1><p>Bogotá, 19 de noviembre de 2018. Por el cual se crea la"
    " Comisión Intersectorial para el desarrollo del Plan de Acción Oportuna de prevención y"
    " protección individual y colectiva de los derechos a la vida, la libertad, la integridad y"
    " la seguridad de defensores de derechos humanos, líderes sociales, comunales, y"
    " periodistas.</p></article></body></html>"
).encode()
SANTA_MARTA = (
    "<html><head><title>Decreto 004 de 2021</title></head><body><article>"
    "<h1>Decreto 004 de 2021</h1><p>Santa Marta, 8 de enero de 2021. El alcalde distrital expidió"
    " el Decreto 004 de 2021, por el cual se adoptan medidas de orden público en el"
    " distrito.</p></article></body></html>"
).encode()
PERU = policy("pe-mecanismo", ["DS|4|2021|JUS"])
COLOMBIA = policy(
    "co-programa",
    ["DEC|2137|2018|"],
    ["Plan de Acción Oportuna de prevención y protección"],
    country="CO",
)


def test_a_colombian_ministry_page_is_read_as_colombian() -> None:
    url = "https://www.mininterior.gov.co/normatividad/decreto-2137-de-2018"
    got = extract_document(MININTERIOR, url=url, content_type="text/html")
    assert (got.country.code, got.country.method) == ("CO", HOST)
    assert [n.key for n in got.norms] == ["CO:DEC|2137|2018|"]
    (match,) = link_document(got, PolicyIndex([PERU, COLOMBIA]), LinkSettings())
    assert (match.policy_id, match.status) == ("co-programa", MatchStatus.AUTO)
    # the alias is not halved as "another country" any more
    assert "counts half" not in " ".join(match.reasons)


def test_a_colombian_decree_is_no_candidate_for_a_peruvian_one() -> None:
    url = "https://www.santamarta.gov.co/decretos/decreto-004-de-2021"
    got = extract_document(SANTA_MARTA, url=url, content_type="text/html")
    assert got.country.code == "CO"
    assert link_document(got, PolicyIndex([PERU, COLOMBIA]), LinkSettings()) == []


def test_an_undetermined_page_is_read_with_every_grammar_and_never_auto_accepted() -> None:
    body = b"Decreto Supremo N\xc2\xb0 004-2021-JUS\n\nEl decreto crea el mecanismo intersectorial."
    got = extract_document(body, url="https://news.example.org/a.txt")
    assert (got.country.code, got.country.method) == ("", UNDETERMINED)
    assert "DS|4|2021|JUS" in [n.key for n in got.norms]
    assert all("country_undetermined" in n.flags for n in got.norms)
    (match,) = link_document(got, PolicyIndex([PERU]), LinkSettings())
    assert match.policy_id == "pe-mecanismo" and match.status is MatchStatus.PENDING
    assert match.score >= LinkSettings().auto_accept_score  # strong, yet waiting for an editor
    assert match.reasons[-1].startswith("the document's country could not be told (no country")


def test_month_first_follows_the_country() -> None:
    page = "Posted on 06/05/2021 by the Commission on Human Rights\n\nThe bill was filed today."
    ph = extract_document(page.encode(), url="https://chr.gov.ph/news/bill.txt")
    hn = extract_document(page.encode(), url="https://www.conadeh.hn/news/bill.txt")
    assert ph.published is not None and ph.published.value.isoformat() == "2021-06-05"
    assert hn.published is not None and hn.published.value.isoformat() == "2021-05-06"


def test_documents_stored_before_keep_how_their_country_was_set(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    before = len(MIGRATIONS) - next(
        i for i, m in enumerate(reversed(MIGRATIONS), 1) if "country_method" in m
    )
    for number, script in enumerate(MIGRATIONS[:before], 1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {number}")
    for url, source in (("https://a.test/", "manual"), ("https://b.test/", "elperuano")):
        conn.execute(
            "INSERT INTO documents (url, source_id, country, first_seen) VALUES (?, ?, 'PE', '')",
            (url, source),
        )
    migrate(conn)
    rows = conn.execute("SELECT source_id, country, country_method FROM documents ORDER BY url")
    assert rows.fetchall() == [("manual", "PE", "given"), ("elperuano", "PE", "source")]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline", "--db", str(tmp_path / "t.db"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=120)


def test_extract_json_says_the_country_and_how_it_was_told(tmp_path: Path) -> None:
    page = tmp_path / "decreto.html"
    page.write_bytes(MININTERIOR)
    url = "https://www.mininterior.gov.co/normatividad/decreto-2137-de-2018"
    result = run(tmp_path, "extract", str(page), "--url", url, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["country"], record["country_method"]) == ("CO", "host")
    assert record["country_detail"] == (
        "host www.mininterior.gov.co: a government domain of Colombia"
    )
    given = json.loads(run(tmp_path, "extract", str(page), "--country", "ec", "--json").stdout)
    assert (given["country"], given["country_method"]) == ("EC", "given")


@pytest.mark.parametrize("bad", ["ZZ", "Peru", "P"])
def test_a_bad_country_is_one_line_and_exit_2(tmp_path: Path, bad: str) -> None:
    page = tmp_path / "p.txt"
    page.write_text("Lima", encoding="utf-8")
    for command in ("extract", "add"):
        result = run(tmp_path, command, str(page), "--country", bad)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            f"error: --country: {bad!r} is not an ISO 3166-1 alpha-2 country code"
        ]
    assert not (tmp_path / "t.db").exists(), "nothing is written"


def test_add_without_country_records_the_host_and_review_shows_it(tmp_path: Path) -> None:
    page = tmp_path / "decreto.html"
    page.write_bytes(MININTERIOR)
    entries = tmp_path / "policies.json"
    entry = {"id": "co-programa", "country": "CO", "title": "Colombia: protection programme",
             "norms": ["DEC|2137|2018|"], "aliases": []}  # fmt: skip
    entries.write_text(json.dumps([entry]), encoding="utf-8")
    assert run(tmp_path, "policies", "import", str(entries)).returncode == 0
    url = "https://www.mininterior.gov.co/normatividad/decreto-2137-de-2018"
    added = run(tmp_path, "add", str(page), "--url", url)
    assert added.returncode == 0, added.stderr
    assert "linked to co-programa (auto)" in added.stdout
    assert "country: CO (host www.mininterior.gov.co" in added.stdout
    conn = sqlite3.connect(tmp_path / "t.db")
    row = conn.execute("SELECT country, country_method FROM documents WHERE url = ?", (url,))
    assert row.fetchone() == ("CO", "host")
    shown = run(tmp_path, "review", "show", "1")
    assert (
        "  country:  CO (host www.mininterior.gov.co: a government domain of Colombia)"
        in shown.stdout.splitlines()
    )


def test_a_blocked_or_missing_page_keeps_the_country_it_was_given() -> None:
    wall = b"<html><head><title>Just a moment...</title></head><body>Checking your browser</body>"
    got = extract_document(wall, url="https://ex.org/a", content_type="text/html", country="hn")
    assert got.page_class == "blocked"
    assert (got.country.code, got.country.method) == ("HN", GIVEN)
    source = DocumentCountry("PE", CountryMethod.SOURCE, "the source's country")
    got = extract_document(wall, url="https://ex.org/a", content_type="text/html", country=source)
    assert got.country == source
