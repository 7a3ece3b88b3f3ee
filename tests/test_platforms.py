"""Gazette platforms meeting a changed site: layout drift is loud, never an empty night.

Each case serves a platform a response out of its documented shape (a key gone, no cards on a day
it published, an HTML login page where JSON or a zip was expected) and checks the failure is
`layout_changed` naming what was missing, or that the platform's fallback read the day and the
drift was noted. The documented shapes themselves are in tests/fixtures/sources/ (test_sources_
fixtures.py); these pages are variations of them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fixturesite import FixtureClient, Spec
from support import ROOT

from pipeline.errors import FailureClass, FetchError
from pipeline.fetch import DiscoverContext, discover_links
from pipeline.fetch.platforms import PLATFORMS
from pipeline.fetch.platforms.base import Entry, Platform
from pipeline.fetch.platforms.credentials import account
from pipeline.models import Link, Source, SourceKind

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
TODAY = dt.date(2021, 4, 23)


def source(platform: str, url: str, since: str = "2021-04-22", **options: Any) -> Source:
    return Source(
        id=f"{platform}-test",
        name=platform,
        kind=SourceKind.GAZETTE,
        url=url,
        language="es",
        country="PE",
        options={"platform": platform, **options},
        since=dt.date.fromisoformat(since),
    )


def site(
    tmp_path: Path,
    files: Mapping[str, str | bytes],
    urls: Mapping[str, str] | None = None,
    requests: list[dict[str, Any]] | None = None,
) -> FixtureClient:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        data = body.encode("utf-8") if isinstance(body, str) else body
        (tmp_path / name).write_bytes(data)
    raw = {"urls": dict(urls or {}), "requests": list(requests or [])}
    (tmp_path / "urls.json").write_text(json.dumps(raw), encoding="utf-8")
    return FixtureClient(Spec.load(tmp_path))


def discover(
    src: Source, client: FixtureClient, today: dt.date = TODAY
) -> tuple[list[Link], list[FetchError]]:
    """Every link the source gives, and the drift its platform noted on the way."""
    ctx = DiscoverContext(client=client, today=today)
    return list(discover_links(src, ctx)), ctx.notes


def layout_error(src: Source, client: FixtureClient, today: dt.date = TODAY) -> FetchError:
    with pytest.raises(FetchError) as err:
        list(discover_links(src, DiscoverContext(client=client, today=today)))
    assert err.value.failure is FailureClass.LAYOUT_CHANGED, err.value
    return err.value


# --- El Peruano -------------------------------------------------------------------------------

EP = "https://busquedas.elperuano.pe"
DAY = EP + "/?fechaIni={d}&fechaFin={d}&tipoPublicacion=NL&ci=ONLY&start={s}"
FILTRO = "https://diariooficial.elperuano.pe/Normas/Filtro?dateparam=04/23/2021%2000%3A00%3A00"
EP_LISTING = (FIXTURES / "elperuano" / "listing-20210423-start0.html").read_text(encoding="utf-8")
EP_FILTRO = (FIXTURES / "elperuano-filtro" / "filtro-20210421-20210422.html").read_text("utf-8")


def _day(stamp: str, start: int = 0) -> str:
    return DAY.format(d=stamp, s=start)


REBUILT = "<html><body><main><section class='results'><article class='card'>DECRETO SUPREMO"


def test_a_day_listing_without_cards_falls_back_to_filtro_and_says_so(tmp_path: Path) -> None:
    """The React app rebuilt again: no div.rounded-xl.border.bg-card on a day El Peruano
    published. The Normas/Filtro POST reads the same days; the drift is noted, not hidden."""
    form = {"cddesde": "22/04/2021", "cdhasta": "23/04/2021"}
    client = site(
        tmp_path,
        {"rebuilt.html": REBUILT, "today.html": EP_LISTING, "filtro.html": EP_FILTRO},
        urls={_day("20210423"): "today.html", _day("20210422"): "rebuilt.html"},
        requests=[{"method": "POST", "url": FILTRO, "form": form, "file": "filtro.html"}],
    )
    found, notes = discover(source("elperuano", EP), client)
    assert [n.failure for n in notes] == [FailureClass.LAYOUT_CHANGED]
    assert "no cards" in notes[0].detail and "2021-04-22" in notes[0].detail
    assert "Normas/Filtro" in notes[0].detail
    assert {link.extra["number"] for link in found} == {"004-2021-JUS", "076-2021-PCM"}
    # Nothing of the half-read listing: today's cards came from the failed route.
    assert not any("1946401" in link.url for link in found)


def test_without_the_fallback_the_change_fails_the_source(tmp_path: Path) -> None:
    client = site(
        tmp_path,
        {"rebuilt.html": REBUILT, "today.html": EP_LISTING},
        urls={_day("20210423"): "today.html", _day("20210422"): "rebuilt.html"},
    )
    err = layout_error(source("elperuano", EP, fallback=False), client)
    assert "no cards (div.rounded-xl.border.bg-card) for 2021-04-22" in err.detail


def test_a_card_without_its_op_link_is_a_layout_change(tmp_path: Path) -> None:
    broken = EP_LISTING.replace('href="/dispositivo/NL/1946402-2"', 'href="/norma/1946402-2"')
    client = site(tmp_path, {"p.html": broken}, urls={DAY.format(d="20210423", s=0): "p.html"})
    err = layout_error(source("elperuano", EP, since="2021-04-23", fallback=False), client)
    assert err.detail == "card 2 of 3 has no /dispositivo/<tipo>/<op> link"


def test_today_without_cards_is_not_a_change_and_a_404_past_page_0_ends_the_day(
    tmp_path: Path,
) -> None:
    full = (FIXTURES / "elperuano" / "listing-20210422-start0.html").read_text(encoding="utf-8")
    client = site(
        tmp_path,
        {"empty.html": REBUILT, "full.html": full},
        urls={_day("20210423"): "empty.html", _day("20210422"): "full.html"},
    )
    found, notes = discover(source("elperuano", EP, fallback=False), client)
    assert len(found) == 20 and not notes  # start=20 answered 404: the end
    assert client.asked[-1] == DAY.format(d="20210422", s=20)


def test_match_keeps_only_the_norms_that_mention_a_word(tmp_path: Path) -> None:
    full = (FIXTURES / "elperuano" / "listing-20210422-start0.html").read_text(encoding="utf-8")
    client = site(tmp_path, {"full.html": full}, urls={DAY.format(d="20210422", s=0): "full.html"})
    src = source("elperuano", EP, until="2021-04-22", match=["defensoras", "PCM"])
    got = {link.extra["number"] for link in discover(src, client)[0]}
    assert got == {"004-2021-JUS", "076-2021-PCM"}  # accents and case folded: "Defensoras"


# --- SIDOF ------------------------------------------------------------------------------------

SIDOF = "https://sidof.segob.gob.mx/dof/sidof"
DOF_DAY = json.loads((FIXTURES / "dof" / "notas-20-05-2021.json").read_text(encoding="utf-8"))
MAY_20, MAY_21 = dt.date(2021, 5, 20), dt.date(2021, 5, 21)


def _dof(tmp_path: Path, answer: str | bytes, editions: str | None = None) -> FixtureClient:
    files = {"notas.json": answer}
    urls = {f"{SIDOF}/notas/20-05-2021": "notas.json"}
    if editions is not None:
        files["diarios.json"] = editions
        urls[f"{SIDOF}/diarios/porFecha/20-05-2021"] = "diarios.json"
    return site(tmp_path, files, urls=urls)


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    day = {k: v for k, v in DOF_DAY.items() if k != "NotasVespertinas"}
    src = source("sidof", "https://sidof.segob.gob.mx", "2021-05-20", until="2021-05-20")
    err = layout_error(src, _dof(tmp_path, json.dumps(day)), MAY_21)
    assert err.detail == "no key 'NotasVespertinas' in the response"


def test_an_html_login_page_where_json_was_expected(tmp_path: Path) -> None:
    login = "<!DOCTYPE html><html><body><form><input name='password'></form></body></html>"
    src = source("sidof", "https://sidof.segob.gob.mx", "2021-05-20", until="2021-05-20")
    err = layout_error(src, _dof(tmp_path, login), MAY_21)
    assert err.detail == "an HTML page where SIDOF notes JSON was expected"


def test_no_notes_on_a_day_with_an_edition_is_a_change_on_a_holiday_it_is_not(
    tmp_path: Path,
) -> None:
    empty = {**DOF_DAY, "NotasMatutinas": [], "NotasExtraordinarias": []}
    src = source("sidof", "https://sidof.segob.gob.mx", "2021-05-20", until="2021-05-20")
    edition = json.dumps({"messageCode": 200, "Diarios": [{"codDiario": 282411, "edicion": "MAT"}]})
    err = layout_error(src, _dof(tmp_path / "a", json.dumps(empty), edition), MAY_21)
    assert err.detail == "no notes for 2021-05-20, a day the DOF published"
    holiday = json.dumps({"messageCode": 200, "Diarios": []})
    assert discover(src, _dof(tmp_path / "b", json.dumps(empty), holiday), MAY_21) == ([], [])


# --- other platforms --------------------------------------------------------------------------


def test_querido_diario_pages_by_offset_and_names_a_missing_key(tmp_path: Path) -> None:
    api = "https://queridodiario.ok.org.br/api/gazettes?territory_ids=3550308&published_since="
    one = {"territory_id": "3550308", "date": "2021-04-22", "url": "https://qd.example/g.pdf"}
    many = [{**one, "url": f"https://qd.example/{i}.pdf"} for i in range(60)]
    page = {"total_gazettes": 60, "gazettes": many[:50]}
    rest = {"total_gazettes": 60, "gazettes": many[50:]}
    base = api + "2021-04-22&published_until=2021-04-23&size=50&offset={}&sort_by=descending_date"
    files = {"p0.json": json.dumps(page), "p1.json": json.dumps(rest)}
    client = site(tmp_path, files, urls={base.format(0): "p0.json", base.format(50): "p1.json"})
    src = source("queridodiario", "https://queridodiario.ok.org.br/api", territory_ids=["3550308"])
    assert len(discover(src, client)[0]) == 60
    missing = {"p0.json": json.dumps({"gazettes": []})}
    broken = site(tmp_path / "x", missing, urls={base.format(0): "p0.json"})
    assert layout_error(src, broken).detail == "no key 'total_gazettes' in the response"


def test_gobpe_first_page_without_norm_cards(tmp_path: Path) -> None:
    page = "<html><body><main><ul><li><a href='/institucion/minjus/noticias/1-x'>Nota</a></li>"
    url = "https://www.gob.pe/institucion/minjus/normas-legales?sheet=1"
    client = site(tmp_path, {"p.html": page}, urls={url: "p.html"})
    err = layout_error(source("gobpe", "https://www.gob.pe", institution="minjus"), client)
    assert "no card links to /institucion/minjus/normas-legales/" in err.detail


def test_suin_answering_no_sitemap_or_entities(tmp_path: Path) -> None:
    url = "https://www.suin-juriscol.gov.co/sitemapleyes.xml"
    src = source("suin", "https://www.suin-juriscol.gov.co")
    html = site(tmp_path, {"s.xml": "<html><body>Mantenimiento</body></html>"}, urls={url: "s.xml"})
    assert layout_error(src, html).detail == "a <html> where a sitemap <urlset> was expected"
    bomb = '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    hostile = site(tmp_path / "b", {"s.xml": bomb}, urls={url: "s.xml"})
    assert layout_error(src, hostile).detail == "the sitemap declares XML entities (refused)"


def test_senado_tree_without_norm_links(tmp_path: Path) -> None:
    base = "http://www.secretariasenado.gov.co/senado/basedoc"
    page = "<html><body><a href='otra.html'>Otra</a></body></html>"
    client = site(tmp_path, {"a.html": page}, urls={base + "/arbol/1000.html": "a.html"})
    err = layout_error(source("senado_co", base), client)
    assert err.detail == "no link to a ley_/decreto_NNNN_YYYY.html page in the tree"


# --- Diario Oficial de Colombia ---------------------------------------------------------------

CO = FIXTURES / "diario-oficial-co"


def _co_site(tmp_path: Path, replace: Mapping[str, tuple[str, str]]) -> FixtureClient:
    """The fixture folder with some of its files edited: {file: (old, new)}."""
    raw = json.loads((CO / "urls.json").read_text(encoding="utf-8"))
    for path in CO.iterdir():
        data = path.read_bytes()
        if path.name in replace:
            old, new = replace[path.name]
            data = data.replace(old.encode(), new.encode())
        (tmp_path / path.name).write_bytes(data)
    (tmp_path / "urls.json").write_text(json.dumps(raw), encoding="utf-8")
    return FixtureClient(Spec.load(tmp_path))


def _co_source() -> Source:
    src = source("diario_co", "https://svrpubindc.imprenta.gov.co/diario", "2011-12-27")
    return Source(**{**src.__dict__, "country": "CO"})


def test_diario_co_rows_the_table_cannot_read(tmp_path: Path) -> None:
    client = _co_site(tmp_path, {"buscar-27-28-12-2011.html": (":numeroDiario", ":numDiario")})
    err = layout_error(_co_source(), client, dt.date(2011, 12, 28))
    assert err.detail == "the table says 2 editions but no row is readable"


def test_diario_co_detail_without_its_pdf_link(tmp_path: Path) -> None:
    client = _co_site(tmp_path, {"detalle-48295.html": ("dynamiccontent", "otrocontenido")})
    err = layout_error(_co_source(), client, dt.date(2011, 12, 28))
    assert err.detail == "edition 48.295's detail has no dynamiccontent link"


def test_diario_co_skips_editions_already_archived(tmp_path: Path) -> None:
    client = _co_site(tmp_path, {})
    known = frozenset({"https://svrpubindc.imprenta.gov.co/diario/index.xhtml#diario-48295"})
    ctx = DiscoverContext(client=client, today=dt.date(2011, 12, 28), archived=known)
    got = list(discover_links(_co_source(), ctx))
    assert [link.url.rsplit("#", 1)[1] for link in got] == ["diario-48294"]
    assert sum("pfdrid=c1e2" in asked for asked in client.asked) == 0  # its one use is kept


# --- INLABS and credentials -------------------------------------------------------------------

INLABS = FIXTURES / "inlabs-dou"


def _inlabs(tmp_path: Path, zip_body: bytes | None = None) -> FixtureClient:
    raw = json.loads((INLABS / "urls.json").read_text(encoding="utf-8"))
    for path in INLABS.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    if zip_body is not None:
        (tmp_path / "2019-07-25-DO1.zip").write_bytes(zip_body)
    (tmp_path / "urls.json").write_text(json.dumps(raw), encoding="utf-8")
    return FixtureClient(Spec.load(tmp_path))


def _inlabs_source() -> Source:
    return source("inlabs", "https://inlabs.in.gov.br", "2019-07-25", sections=["DO1"])


def _credentials_error(tmp_path: Path, client: FixtureClient) -> FetchError:
    with pytest.raises(FetchError) as err:
        list(discover_links(_inlabs_source(), DiscoverContext(client, today=dt.date(2019, 7, 25))))
    assert err.value.failure is FailureClass.CREDENTIALS
    return err.value


def test_inlabs_without_an_account_names_where_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("INLABS_EMAIL", "INLABS_PASSWORD", "INLABS_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    err = _credentials_error(tmp_path, _inlabs(tmp_path))
    assert "INLABS_EMAIL and INLABS_PASSWORD" in err.detail and "0600" in err.detail


def test_inlabs_refused_login_is_a_credentials_failure_without_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INLABS_EMAIL", "observatorio@example.org")
    monkeypatch.setenv("INLABS_PASSWORD", "wrong-password-71")
    err = _credentials_error(tmp_path, _inlabs(tmp_path))
    assert err.detail == "INLABS refused the login"
    assert "wrong-password-71" not in str(err) and "observatorio@" not in str(err)


def _zip(members: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("members", "said"),
    [
        ({"a.xml": b"<xml><nota/></xml>"}, "a.xml has no <article>"),
        ({"a.xml": b"<xml><article pubName='DO1'/></xml>"}, "a.xml's article has no Identifica"),
        ({"a.xml": b"\0" * (6 * 1024 * 1024)}, "member 'a.xml' is larger than an act can be"),
    ],
)
def test_inlabs_zip_out_of_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: dict[str, bytes], said: str
) -> None:
    monkeypatch.setenv("INLABS_EMAIL", "observatorio@example.org")
    monkeypatch.setenv("INLABS_PASSWORD", "fixture-password")
    client = _inlabs(tmp_path, _zip(members))
    err = layout_error(_inlabs_source(), client, dt.date(2019, 7, 25))
    assert err.detail == said


def test_credentials_file_must_be_private_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "inlabs"
    path.write_text("email = obs@example.org\npassword = s3cret\n", encoding="utf-8")
    env = {"INLABS_CREDENTIALS_FILE": str(path)}
    os.chmod(path, 0o644)
    with pytest.raises(FetchError) as loose:
        account("INLABS", "https://inlabs.in.gov.br/logar.php", env)
    assert "readable by others (mode 0o644): chmod 600" in loose.value.detail
    os.chmod(path, 0o600)
    got = account("INLABS", "https://inlabs.in.gov.br/logar.php", env)
    assert (got.email, got.password) == ("obs@example.org", "s3cret")
    assert "s3cret" not in repr(got)
    path.write_text("email = obs@example.org\n", encoding="utf-8")
    with pytest.raises(FetchError) as partial:
        account("INLABS", "https://inlabs.in.gov.br/logar.php", env)
    assert "needs an 'email = ...' and a 'password = ...' line" in partial.value.detail


def _rows(row: str, indexes: range | tuple[int, ...]) -> str:
    """Copies of a table row, numbered 48.280 + i at data-ri i."""
    out = []
    for i in indexes:
        copy = row.replace('"0"', f'"{i}"').replace(":0:", f":{i}:")
        out.append(copy.replace("48.295", f"48.{280 + i}"))
    return "".join(out)


def test_diario_co_reads_more_rows_through_the_paginators_ajax_postback(tmp_path: Path) -> None:
    """10 rows a page: the next ones come in a partial-response, asked for with the AJAX headers
    and the table's own fields (editions already archived are not fetched again: only the table
    is read here)."""
    page1 = (CO / "buscar-27-28-12-2011.html").read_text(encoding="utf-8")
    start = page1.index('<tr data-ri="0"')
    end = page1.index("</tbody>", start)
    row = page1[start : page1.index('<tr data-ri="1"')]
    first = page1[:start] + _rows(row, range(10)) + page1[end:]
    first = first.replace("Registro 1 a 2 de 2", "Registro 1 a 10 de 12")
    partial = (
        '<?xml version="1.0" encoding="UTF-8"?><partial-response><changes>'
        f'<update id="dtbDiariosOficiales"><![CDATA[{_rows(row, (10, 11))}]]></update>'
        '<update id="j_id1:javax.faces.ViewState:0"><![CDATA[-1:2]]></update>'
        "</changes></partial-response>"
    )
    client = _co_site(tmp_path, {})
    (tmp_path / "buscar-27-28-12-2011.html").write_text(first, encoding="utf-8")
    (tmp_path / "page2.xml").write_text(partial, encoding="utf-8")
    ajax = {
        "method": "POST",
        "url": "https://svrpubindc.imprenta.gov.co/diario/index.xhtml",
        "form": {"dtbDiariosOficiales_first": "10", "javax.faces.partial.ajax": "true"},
        "headers": {"Faces-Request": "partial/ajax"},
        "file": "page2.xml",
    }
    client.spec.raw["requests"].insert(0, ajax)
    base = "https://svrpubindc.imprenta.gov.co/diario/index.xhtml#diario-48"
    known = frozenset(f"{base}{280 + i}" for i in range(12))
    options = {"platform": "diario_co", "max_editions": 12}
    src = Source(**{**_co_source().__dict__, "options": options})
    ctx = DiscoverContext(client=client, today=dt.date(2011, 12, 28), archived=known)
    assert list(discover_links(src, ctx)) == []
    assert client.asked.count("POST https://svrpubindc.imprenta.gov.co/diario/index.xhtml") == 2


def test_a_field_of_another_type_is_named(tmp_path: Path) -> None:
    page = {"total_gazettes": 1, "gazettes": [{"date": "2021-04-22", "url": ["not", "a", "url"]}]}
    api = "https://queridodiario.ok.org.br/api/gazettes?territory_ids=3550308&published_since="
    url = api + "2021-04-22&published_until=2021-04-23&size=50&offset=0&sort_by=descending_date"
    client = site(tmp_path, {"p.json": json.dumps(page)}, urls={url: "p.json"})
    src = source("queridodiario", "https://queridodiario.ok.org.br/api", territory_ids=["3550308"])
    assert layout_error(src, client).detail == "key 'url' is not a string"


class _Tripping(Platform):
    """A platform whose code trips on an answer nobody foresaw."""

    name = "tripping"

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        yield Entry("https://gazette.example/1")
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")


def test_an_answer_no_test_foresaw_is_a_layout_change_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(PLATFORMS, "tripping", _Tripping())
    err = layout_error(source("tripping", "https://gazette.example"), site(tmp_path, {}))
    assert err.detail.startswith("unreadable answer (ValueError: Exceeds the limit")
