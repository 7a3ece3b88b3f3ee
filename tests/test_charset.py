"""Charset lies (issue 13, item 2): the declared charset is trusted only when the bytes decode to
plausible text under it; otherwise detection decides, and the choice is recorded."""

from __future__ import annotations

import codecs

import pytest

from pipeline.extract import extract_document
from pipeline.extract.charset import decode

TITLE = "Resolución Ministerial N° 0255-2020-JUS"
BODY = (
    "El Ministerio de Justicia y Derechos Humanos aprobó la creación del Registro sobre "
    "situaciones de riesgo de las personas defensoras de derechos humanos; según la norma, "
    "la Dirección General de Derechos Humanos lo administrará desde el año 2020."
)
PAGE = (
    f'<!DOCTYPE html><html lang="es"><head><meta charset="{{meta}}"><title>{TITLE}</title>'
    f"</head><body><main><h1>{TITLE}</h1><p>{BODY}</p><p>{BODY}</p></main></body></html>"
)


def html(encoding: str, meta: str) -> bytes:
    return PAGE.format(meta=meta).encode(encoding)


@pytest.mark.parametrize(
    ("body", "header", "charset", "method"),
    [
        # The issue's own case: utf-16 declared, latin-1 sent.
        (html("latin-1", "utf-16"), "text/html; charset=utf-16", "cp1252", "detected"),
        (html("latin-1", "utf-16"), "", "cp1252", "detected"),
        # A wrong single-byte charset: Cyrillic letters would stand for every accent.
        (html("cp1252", "windows-1251"), "", "cp1252", "detected"),
        (html("cp1252", "utf-8"), "text/html; charset=utf-8", "cp1252", "detected"),
        (html("cp1252", "iso-8859-1"), "", "cp1252", "declared"),
        (html("utf-8", "iso-8859-1"), "", "utf-8", "utf-8"),  # valid UTF-8 is never an accident
        (codecs.BOM_UTF8 + html("utf-8", "utf-16"), "", "utf-8", "bom"),
        (html("latin-1", "no-such-charset"), "", "cp1252", "detected"),
    ],
)
def test_a_declared_charset_is_trusted_only_when_its_text_is_plausible(
    body: bytes, header: str, charset: str, method: str
) -> None:
    got = decode(body, header, markup=True)
    assert (got.charset, got.method) == (charset, method)
    assert TITLE in got.text and BODY in got.text


def test_a_true_non_latin_declaration_is_kept() -> None:
    text = "<html><head><title>Министерство юстиции</title></head><body><p>{}</p></body></html>"
    words = "Министерство юстиции опубликовало постановление о защите правозащитников. " * 5
    got = decode(text.format(words).encode("cp1251"), "text/html; charset=windows-1251")
    assert (got.charset, got.method) == ("cp1251", "declared")
    assert words in got.text


def test_utf8_cut_in_the_middle_of_a_character_stays_utf8() -> None:
    body = html("utf-8", "utf-8")
    cut = body[: body.index("ó".encode()) + 1]  # the first byte of "ó" only
    got = decode(cut, "text/html; charset=utf-8", markup=True)
    assert got.method == "utf-8"
    assert "Resolución" not in got.text and "Ã" not in got.text


def test_utf8_with_a_stray_latin1_byte_is_repaired_not_turned_to_mojibake() -> None:
    body = html("utf-8", "utf-8").replace(
        b"</main>", "<p>Publicado por Peña</p></main>".encode("latin-1")
    )
    got = decode(body, "text/html; charset=utf-8", markup=True)
    assert (got.charset, got.method) == ("utf-8", "repaired")
    assert TITLE in got.text and "Ã" not in got.text


def test_the_choice_is_recorded_on_the_extraction_and_the_norm_is_found() -> None:
    body = html("latin-1", "utf-16")
    got = extract_document(
        body, url="https://www.gob.pe/x", content_type="text/html; charset=utf-16"
    )
    assert got.page_class == "ok"
    assert got.title == TITLE
    assert [n.key for n in got.norms][:1] == ["RM|255|2020|JUS"]
    assert (got.charset, got.charset_method) == ("cp1252", "detected")


def test_the_plain_text_fallback_does_not_obey_the_pages_meta_charset() -> None:
    """Found by the fuzz test: when trafilatura keeps nothing, the fallback re-parsed the tree
    with lxml's default parser, which obeyed `<meta charset="utf-16">`: every word became CJK."""
    from pipeline.extract.text import _plain_walk, parse_tree

    tree = parse_tree(
        '<html><head><meta charset="utf-16"><title>Ley N° 31405</title></head>'
        "<body><div>Ley de protección</div><p>Entra en vigor.</p></body></html>"
    )
    assert tree is not None
    assert _plain_walk(tree) == "Ley N° 31405\nLey de protección\nEntra en vigor."
