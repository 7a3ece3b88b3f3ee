"""Export formats against golden files, CSL-JSON against the CSL schema, and the hostile cases:
markup and javascript: URLs in scraped fields, formula cells, RIS/BibTeX field injection, path
traversal in names made from policy ids, symlinks, and --since-last through the command line.

Set UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change (then read the diff).
The CSL schema in tests/data/csl-data.json is vendored from the citation-style-language/schema
project (schemas/input/csl-data.json, MIT licence), reformatted only.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from support import ROOT, policy

from pipeline.cli import cli
from pipeline.errors import ExportError
from pipeline.export import (
    EXTENSIONS,
    WRITERS,
    ExportData,
    Rendered,
    export_links,
    safe_filename,
    write_per_policy,
)
from pipeline.models import LinkedSource, MatchStatus, PolicyLinks
from pipeline.outfiles import write_in_folder
from pipeline.store.exports import SourceDetails

GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2024-05-01T02:30:00+00:00"
BASE = "https://archive.example.org/replay/"
GAZETTE = "https://diariooficial.elperuano.pe/normas/ds-004-2021-jus"
NEWS = "https://larepublica.pe/sociedad/2021/04/23/mecanismo"
PORTAL = "https://www.gob.pe/institucion/minjus/noticias/500"
EVIL = "javascript:alert(1)"
CO_NEWS = "https://www.eltiempo.com/politica/proteccion-lideres-sociales"


def src(url: str, name: str, title: str, published: str | None, summary: str,
        status: MatchStatus = MatchStatus.ACCEPTED) -> LinkedSource:  # fmt: skip
    return LinkedSource(url, name, title, published, "es", summary, ("DS|4|2021|JUS",), status,
                        0.9, ("cites Decreto Supremo N° 004-2021-JUS in the title",))  # fmt: skip


ITEMS = (
    PolicyLinks(
        policy(title="Mecanismo <b>intersectorial</b> & protección"),
        (
            src(
                PORTAL,
                "MINJUSDH",
                "MINJUSDH publica decreto supremo",
                "2021-04-22",
                "Texto\nen dos líneas\nER  - forged record",
            ),
            src(
                GAZETTE,
                "Diario oficial El Peruano",
                "Decreto Supremo N° 004-2021-JUS",
                "2021-04-22",
                "Crea el Mecanismo intersectorial.",
                MatchStatus.AUTO,
            ),
            src(
                NEWS,
                "La República",
                'Gobierno <script>alert(1)</script> confirma "mecanismo"',
                "2021-04-23",
                '=HYPERLINK("http://evil") {100%} $x$ _y_ #1 ~ ^ \\end',
            ),
            src(EVIL, "Evil [site](x)", "click *me*", None, "|a|b|"),
        ),
    ),
    PolicyLinks(
        policy(pid="co/../../etc/passwd", country="CO", norms=(), title="Colombia: líderes"),
        (src(CO_NEWS, "El Tiempo", "Colombia refuerza la protección", "2022-01", "Resumen."),),
    ),
    PolicyLinks(policy(pid="pe-empty", title="No sources yet"), ()),
)
DETAILS = {
    GAZETTE: SourceDetails("2021-04-23", "2021-04-23/run-1.warc.gz#0", "elperuano", "PE", "dead"),
    NEWS: SourceDetails("2021-04-24", "2021-04-24/run-2.warc.gz#512", "larepublica", "PE", "ok"),
    PORTAL: SourceDetails("2021-04-24", "", "policy-links", "PE"),
    CO_NEWS: SourceDetails("2022-01-15", "", "eltiempo", "CO", "ok"),
}


def render(fmt: str) -> str:
    return export_links(ITEMS, fmt, AS_OF, DETAILS, BASE)


# html-page is the html fragment in a page with the app's whole stylesheet inline: its golden
# file would change with every style; it is checked against the fragment's instead (below).
@pytest.mark.parametrize("fmt", [fmt for fmt in WRITERS if fmt != "html-page"])
def test_each_format_matches_its_golden_file(fmt: str) -> None:
    golden = GOLDEN / f"exports.{EXTENSIONS[fmt]}"
    text = render(fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8"), f"{fmt} differs from {golden}"


def test_csl_json_is_valid_against_the_csl_schema() -> None:
    schema = json.loads((ROOT / "tests" / "data" / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(render("csl"))
    jsonschema.Draft7Validator(schema).validate(items)
    by_url = {item.get("URL"): item for item in items}
    law = by_url[GAZETTE]
    assert (law["type"], law["number"], law["author"], law["jurisdiction"]) == (
        "legislation", "004-2021-JUS",
        [{"literal": "Ministerio de Justicia y Derechos Humanos"}], "PE")  # fmt: skip
    assert law["issued"] == {"date-parts": [[2021, 4, 22]]}
    assert law["accessed"] == {"date-parts": [[2021, 4, 23]]}
    assert by_url[NEWS]["type"] == "article-newspaper"
    assert by_url[NEWS]["container-title"] == "La República"
    assert by_url[PORTAL]["type"] == "webpage"  # a state's own site is not the press
    assert by_url[CO_NEWS]["issued"] == {"date-parts": [[2022, 1]]}
    assert len({item["id"] for item in items}) == len(items)


def test_json_keeps_the_list_contract_with_an_as_of_per_policy() -> None:
    policies = json.loads(render("json"))
    assert [p["id"] for p in policies] == ["pe-mecanismo", "co/../../etc/passwd", "pe-empty"]
    assert all(p["as_of"] == AS_OF for p in policies)
    gazette = next(s for s in policies[0]["sources"] if s["url"] == GAZETTE)
    assert gazette["archived_copy"] == BASE + "2021-04-23/run-1.warc.gz#0"
    assert all("archived_copy" not in s for s in policies[0]["sources"] if s["url"] != GAZETTE)


def test_markup_and_script_urls_never_become_active() -> None:
    html = render("html")
    assert "<script>" not in html and "<b>" not in html
    assert "Mecanismo &lt;b&gt;intersectorial&lt;/b&gt; &amp; protección" in html
    assert "href=" not in html.split("Evil")[1].split("</li>")[0] and 'href="javascript' not in html
    md = render("md")
    assert "<script>" not in md and "&lt;script>" in md and "](javascript" not in md
    assert "\\[site\\]\\(x\\)" not in md and "Evil \\[site\\](x)" in md
    assert "\\*me\\*" in md and "\\|a\\|b\\|" in md


def test_html_fragment_gives_source_name_then_linked_snippet() -> None:
    html = render("html")
    assert (
        '<li><span class="source-name">Diario oficial El Peruano</span>: '
        f'<a href="{GAZETTE}" rel="noopener">Crea el Mecanismo intersectorial.</a>'
    ) in html
    assert f'href="{BASE}2021-04-23/run-1.warc.gz#0">archived copy</a>' in html


def test_ris_values_stay_on_one_line_so_no_field_can_be_forged() -> None:
    lines = [line for line in render("ris").split("\r\n") if line]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert sum(line.startswith("TY  - ") for line in lines) == 5
    assert sum(line == "ER  - " for line in lines) == 5


def test_bibtex_values_cannot_break_out_of_their_braces() -> None:
    for entry in render("bibtex").split("\n@")[1:]:
        unescaped = re.sub(r"\\[{}]", "", entry)
        assert unescaped.count("{") == unescaped.count("}"), entry
    assert r"\{100\%\} \$x\$ \_y\_ \#1 \~{} \^{} \textbackslash{}end" in render("bibtex")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [("pe-hrd-protection", "pe-hrd-protection.json"), ("../../etc/passwd", None),
     ("..", None), (".hidden", None), ("a\\b:c", None), ("", None), ("pé/ñ", None)],
)  # fmt: skip
def test_file_names_from_policy_ids_cannot_leave_the_folder(
    stem: str, expected: str | None
) -> None:
    name = safe_filename(stem, "json")
    if expected:
        assert name == expected
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.json", name), name
    assert "/" not in name and ".." not in name.removesuffix(".json").strip("-")[:2]


def test_names_that_clean_alike_do_not_overwrite_each_other() -> None:
    assert safe_filename("a/b", "csv") != safe_filename("a:b", "csv")


def test_per_policy_files_stay_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    data = ExportData(ITEMS, AS_OF, DETAILS)
    files = write_per_policy(out, "json", Rendered(data, ""))
    assert len(files) == 3
    assert all(f.parent == out for f in files)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        f.name for f in files
    )


def test_unsafe_names_are_refused(tmp_path: Path) -> None:
    for name in ("../x.json", ".x.json", "a/b.json"):
        with pytest.raises(ExportError, match="unsafe output file name"):
            write_in_folder(tmp_path, name, "x")


def test_a_symlink_planted_at_the_target_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "pe-empty.json").symlink_to(secret)
    with pytest.raises(ExportError, match="symbolic link"):
        write_in_folder(out, "pe-empty.json", "x")
    assert secret.read_text() == "keep"


DS_TEXT = (
    "Lima, 22 de abril de 2021. El Poder Ejecutivo publicó el Decreto Supremo N° 004-2021-JUS, "
    "que crea el Mecanismo intersectorial para la protección de las personas defensoras.\n"
)
POLICIES = [{"id": "pe-mecanismo", "country": "PE", "title": "Intersectoral Mechanism",
             "status": "adopted", "description": "", "updated": "2023-01",
             "norms": ["DS|4|2021|JUS"], "aliases": [], "sources": []}]  # fmt: skip


def invoke(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_since_last_writes_only_what_changed(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    (tmp_path / "p.json").write_text(json.dumps(POLICIES), encoding="utf-8")
    (tmp_path / "ds.txt").write_text(DS_TEXT, encoding="utf-8")
    invoke(db, "policies", "import", str(tmp_path / "p.json"))
    out = tmp_path / "changes.json"
    args = ("export", "--format", "json", "--since-last", "-o", str(out))
    invoke(db, *args)
    assert json.loads(out.read_text())[0]["sources"] == []  # first time: everything
    first = out.read_bytes()
    assert "nothing changed" in invoke(db, *args)
    assert out.read_bytes() == first  # left alone, not emptied
    invoke(db, "add", str(tmp_path / "ds.txt"), "--url", "https://example.org/ds")
    invoke(db, *args)
    (pol,) = json.loads(out.read_text())
    assert [s["url"] for s in pol["sources"]] == ["https://example.org/ds"]
    # Another format is another selection: its first export has everything.
    assert "Intersectoral" in invoke(db, "export", "--format", "md", "--since-last")


def test_out_dir_writes_one_file_per_policy(tmp_path: Path) -> None:
    # Policy import already refuses ids with slashes; safe_filename is the second line of defence
    # (tested above with hostile ids).
    db = tmp_path / "t.db"
    (tmp_path / "p.json").write_text(json.dumps(POLICIES), encoding="utf-8")
    invoke(db, "policies", "import", str(tmp_path / "p.json"))
    invoke(db, "export", "--format", "csl", "--out-dir", str(tmp_path / "out"))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["pe-mecanismo.csl.json"]


# Issue 13, item 8: with a symlink planted at one entry's target, the other entries' files were
# already written when the export stopped. Every target is now checked before the first write.
def _per_policy_names() -> list[str]:
    return [safe_filename(item.policy.id, "json") for item in ITEMS]


@pytest.mark.parametrize("position", [0, 1, 2])
def test_a_symlink_at_any_target_means_nothing_is_written(tmp_path: Path, position: int) -> None:
    secret = tmp_path / "secret"
    secret.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    names = _per_policy_names()
    (out / names[position]).symlink_to(secret)
    with pytest.raises(ExportError, match="symbolic link"):
        write_per_policy(out, "json", Rendered(ExportData(ITEMS, AS_OF, DETAILS), ""))
    assert sorted(p.name for p in out.iterdir()) == [names[position]]  # no file, no temp file
    assert secret.read_text() == "keep"


def test_a_fifo_or_a_folder_at_a_target_means_nothing_is_written(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out"
    out.mkdir()
    names = _per_policy_names()
    os.mkfifo(out / names[2])  # opened for writing, it would block until a reader came
    (out / names[0]).write_text("old")
    with pytest.raises(ExportError, match="not a regular file"):
        write_per_policy(out, "json", Rendered(ExportData(ITEMS, AS_OF, DETAILS), ""))
    assert (out / names[0]).read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == sorted([names[0], names[2]])
    (out / names[2]).unlink()
    (out / names[2]).mkdir()
    with pytest.raises(ExportError, match="is a directory"):
        write_per_policy(out, "json", Rendered(ExportData(ITEMS, AS_OF, DETAILS), ""))
    assert (out / names[0]).read_text() == "old"


def test_a_failure_while_staging_leaves_every_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import outfiles

    out = tmp_path / "out"
    out.mkdir()
    names = _per_policy_names()
    (out / names[0]).write_text("old")
    real = outfiles._stage
    calls: list[str] = []

    def disk_full_on_the_third(folder: int, target: outfiles.OutFile) -> str:
        calls.append(target.path.name)
        if len(calls) == 3:
            raise ExportError(f"cannot write {target.path}: No space left on device")
        return real(folder, target)

    monkeypatch.setattr(outfiles, "_stage", disk_full_on_the_third)
    with pytest.raises(ExportError, match="No space left"):
        write_per_policy(out, "json", Rendered(ExportData(ITEMS, AS_OF, DETAILS), ""))
    assert [p.name for p in out.iterdir()] == [names[0]] and (out / names[0]).read_text() == "old"


def test_export_out_dir_refused_half_way_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    policies = [
        {"id": f"pe-entry-{n}", "country": "PE", "title": f"Entry {n}", "norms": []}
        for n in range(3)
    ]
    (tmp_path / "p.json").write_text(json.dumps(policies), encoding="utf-8")
    invoke(db, "policies", "import", str(tmp_path / "p.json"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "pe-entry-1.md").symlink_to(tmp_path / "p.json")
    args = ["--db", str(db), "export", "--format", "md", "--status", "all", "--out-dir", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and isinstance(result.exception, ExportError)
    assert sorted(p.name for p in out.iterdir()) == ["pe-entry-1.md"]  # the link alone


def test_html_page_is_the_fragment_in_a_styled_page_of_its_own() -> None:
    page, fragment = render("html-page"), render("html")
    assert fragment.startswith("<!-- linked sources") and "<html" not in fragment  # embeddable
    assert page.startswith("<!doctype html>") and '<meta name="viewport"' in page
    assert re.findall(r"<li>.*</li>", page) == re.findall(r"<li>.*</li>", fragment)
    assert page.count('<section class="policy-sources"') == 3
    assert "<h2>Colombia: líderes</h2>" in page and "<h3>Colombia: líderes</h3>" in fragment
    css = (ROOT / "pipeline" / "review" / "static" / "review.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}\n</style>" in page and "<link" not in page and "<script" not in page
    assert "As of 1 May 2024, 02:30 UTC." in page


def test_dates_read_as_words_and_stay_machine_readable() -> None:
    html, md = render("html"), render("md")
    assert '<time datetime="2021-04-22">22 April 2021</time>' in html
    assert '<time datetime="2022-01">January 2022</time>' in html
    assert "**El Tiempo** (January 2022)" in md and "As of 1 May 2024, 02:30 UTC." in md
    assert "Peru · id `pe-mecanismo`" in md  # the country by name
    free = (PolicyLinks(ITEMS[0].policy, (src(NEWS, "La República", "t", "circa 2020", "s"),)),)
    # An editor's free-form date is shown as written, never as a broken datetime attribute.
    assert "<time>circa 2020</time>" in export_links(free, "html")


def test_an_entry_without_sources_says_so() -> None:
    assert '<p class="no-sources">No linked sources yet.</p>' in render("html")
    assert "_No linked sources._" in render("md")


def test_html_page_out_dir_writes_a_whole_page_per_entry(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    (tmp_path / "p.json").write_text(json.dumps(POLICIES), encoding="utf-8")
    (tmp_path / "ds.txt").write_text(DS_TEXT, encoding="utf-8")
    invoke(db, "policies", "import", str(tmp_path / "p.json"))
    invoke(db, "add", str(tmp_path / "ds.txt"), "--url", "https://example.org/ds")
    invoke(
        db, "export", "--format", "html-page", "--status", "all", "--out-dir", str(tmp_path / "out")
    )
    (page,) = (tmp_path / "out").iterdir()
    text = page.read_text(encoding="utf-8")
    assert page.name == "pe-mecanismo.html" and text.startswith("<!doctype html>")
    assert '<a href="https://example.org/ds" rel="noopener">' in text
