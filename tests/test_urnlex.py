"""Standard identifiers: a Brazilian norm's LexML URN when its key and issue date give every part,
nothing otherwise; the JSON export carries them per source and per policy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import policy

from pipeline.export import export_links
from pipeline.extract.urnlex import urn_lex
from pipeline.models import LinkedSource, MatchStatus, PolicyLinks

D = dt.date


@pytest.mark.parametrize(
    ("key", "issued", "urn"),
    [
        # the examples LexML and RFC 9676 give
        ("BR:DEC|9937|2019|", D(2019, 7, 24), "urn:lex:br:federal:decreto:2019-07-24;9937"),
        ("BR:LEI|13709|2018|", D(2018, 8, 14), "urn:lex:br:federal:lei:2018-08-14;13709"),
        ("BR:LEI|13709||", D(2018, 8, 14), "urn:lex:br:federal:lei:2018-08-14;13709"),
        ("BR:DEC|10815|2021|", D(2021, 9, 27), "urn:lex:br:federal:decreto:2021-09-27;10815"),
        # nothing the scheme needs may be missing or guessed
        ("BR:DEC|9937|2019|", None, ""),  # no issue date in the citation
        ("BR:DEC|9937|2019|", D(2018, 7, 24), ""),  # a date of another year
        ("BR:DEC|9937|2019|SP", D(2019, 7, 24), ""),  # a state's decree: authority unknown
        ("BR:RES|12|2019|", D(2019, 7, 24), ""),  # a type LexML names by its issuing body
        ("BR:DEC|A12|2019|", D(2019, 7, 24), ""),
        # countries without a national URN:LEX scheme get none
        ("DS|4|2021|JUS", D(2021, 4, 21), ""),
        ("CO:DEC|1066|2015|", D(2015, 5, 26), ""),
        ("CI:LOI|388|2014|", D(2014, 6, 20), ""),
        ("not a key", D(2021, 4, 21), ""),
    ],
)
def test_urn_lex(key: str, issued: dt.date | None, urn: str) -> None:
    assert urn_lex(key, issued) == urn


def linked(url: str, urns: tuple[tuple[str, str], ...]) -> LinkedSource:
    keys = tuple(k for k, _ in urns) or ("BR:DEC|9937|2019|",)
    status, title = MatchStatus.AUTO, "Decreto nº 9.937"
    return LinkedSource(
        url, "DOU", title, "2019-07-25", "pt", "s", keys, status, 0.95, (), norm_urns=urns
    )


DEC = "BR:DEC|9937|2019|"
URN = "urn:lex:br:federal:decreto:2019-07-24;9937"


def test_json_export_carries_the_urns_sources_agree_on() -> None:
    br = policy("br-programa", norms=(DEC, "BR:DEC|10815|2021|"), country="BR")
    other = "urn:lex:br:federal:decreto:2021-09-27;10815"
    wrong = "urn:lex:br:federal:decreto:2021-09-28;10815"
    sources = (
        linked("https://a.test/", ((DEC, URN), ("BR:DEC|10815|2021|", other))),
        linked("https://b.test/", ((DEC, URN), ("BR:DEC|10815|2021|", wrong))),
        linked("https://c.test/", ()),
    )
    (pol,) = json.loads(export_links([PolicyLinks(br, sources)], "json"))
    # the two sources disagree on the amendment's date: no URN rather than one of the two
    assert pol["norm_urns"] == {DEC: URN}
    by_url = {s["url"]: s["norm_urns"] for s in pol["sources"]}
    assert by_url == {
        "https://a.test/": {DEC: URN, "BR:DEC|10815|2021|": other},
        "https://b.test/": {DEC: URN, "BR:DEC|10815|2021|": wrong},
        "https://c.test/": {},
    }


DOU_PAGE = """<html lang="pt-BR"><head><title>DECRETO Nº 9.937, DE 24 DE JULHO DE 2019</title>
</head><body><article><p>Publicado em: 25/07/2019 | Edição: 142 | Seção: 1 | Página: 5</p>
<h1>DECRETO Nº 9.937, DE 24 DE JULHO DE 2019</h1>
<p>Institui o Programa de Proteção aos Defensores de Direitos Humanos, Comunicadores e
Ambientalistas e o Conselho Deliberativo do Programa de Proteção aos Defensores de Direitos
Humanos, Comunicadores e Ambientalistas, no âmbito do Ministério da Mulher, da Família e dos
Direitos Humanos.</p>
<p>Brasília, 24 de julho de 2019; 198º da Independência e 131º da República.</p>
</article></body></html>"""


def test_the_export_carries_the_urn_of_a_brazilian_decree_end_to_end(tmp_path: Path) -> None:
    entry = {"id": "br-programa", "country": "BR", "title": "Brazil: protection programme",
             "norms": ["Decreto nº 9.937, de 24 de julho de 2019"]}  # fmt: skip
    (tmp_path / "p.json").write_text(json.dumps([entry]), encoding="utf-8")
    (tmp_path / "dou.html").write_text(DOU_PAGE, encoding="utf-8")
    url = "https://www.in.gov.br/en/web/dou/-/decreto-n-9.937-de-24-de-julho-de-2019-207164772"
    db = str(tmp_path / "t.db")
    for args in (
        ("policies", "import", str(tmp_path / "p.json")),
        ("add", str(tmp_path / "dou.html"), "--url", url),
        ("export", "--format", "json", "-o", str(tmp_path / "out.json")),
    ):
        command = [sys.executable, "-m", "pipeline", "--db", db, *args]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
        assert done.returncode == 0, done.stderr
    (pol,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert pol["norm_urns"] == {DEC: URN}
    (source,) = pol["sources"]
    assert (source["url"], source["status"], source["norm_urns"]) == (url, "auto", {DEC: URN})


def test_every_scheme_type_is_a_type_of_its_countrys_grammar() -> None:
    from pipeline.extract.scanner import grammar_for
    from pipeline.extract.urnlex import SCHEMES

    for country, scheme in SCHEMES.items():
        assert set(scheme.types) <= set(grammar_for(country).types), country
