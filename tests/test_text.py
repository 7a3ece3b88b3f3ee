"""Reading bytes: charset, routing by sniffing, page classes, PDFs, hostile input."""

from __future__ import annotations

import codecs
import contextlib
import io
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import ExtractError
from pipeline.extract.charset import decode
from pipeline.extract.text import classify, read_document, sniff

WORDS = "Perú: la protección de defensores — año «2021»"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (codecs.BOM_UTF8 + WORDS.encode("utf-8"), ""),
        (codecs.BOM_UTF16_LE + WORDS.encode("utf-16-le"), ""),
        (WORDS.encode("utf-8"), "text/html; charset=iso-8859-1"),  # valid UTF-8 beats the label
        (WORDS.encode("cp1252"), "text/html; charset=utf-8"),  # header lies: cp1252 body
        (b'<meta charset="windows-1252">' + WORDS.encode("cp1252"), ""),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
            + WORDS.encode("cp1252"),
            "",
        ),
        (WORDS.encode("cp1252"), ""),  # nothing declared
    ],
)
def test_decode(body: bytes, content_type: str) -> None:
    assert WORDS in decode(body, content_type).text


@pytest.mark.parametrize(
    ("body", "content_type", "url", "kind"),
    [
        (b"%PDF-1.7\n...", "text/html", "https://x.pe/a.html", "pdf"),  # bytes beat the header
        (b"\n\n<!DOCTYPE html><html>", "application/octet-stream", "", "html"),
        (b"<html><body>x</body></html>", "", "https://x.pe/a.pdf", "html"),
        (b"  <div>hola</div>", "", "", "html"),
        (b"Lima, 22 de abril de 2021", "text/plain", "", "text"),
        (b"hola <b>", "text/html", "", "html"),
    ],
)
def test_sniff(body: bytes, content_type: str, url: str, kind: str) -> None:
    assert sniff(body, content_type, url) == kind


def test_sniff_binary_raises() -> None:
    with pytest.raises(ExtractError):
        sniff(bytes(range(32)) * 100)


@pytest.mark.parametrize(
    ("title", "text", "page_class"),
    [
        ("Just a moment...", "Checking your browser before accessing", "blocked"),
        ("Attention Required! | Cloudflare", "", "blocked"),
        ("La República", "Inicia sesión para continuar leyendo esta nota.", "blocked"),
        ("Página no encontrada", "Lo sentimos.", "not_found"),
        ("Error", "404 Not Found", "not_found"),
        ("", "", "empty"),
        ("Decreto Supremo N° 004-2021-JUS", "Créase el Mecanismo Intersectorial.", "ok"),
        ("Captchas", "Página no encontrada. " + "Un artículo largo sobre errores 404. " * 60, "ok"),
    ],
)
def test_classify(title: str, text: str, page_class: str) -> None:
    assert classify(title, text) == page_class


def test_html_reading() -> None:
    html = (
        '<html lang="es-PE"><head><title>T | Sitio</title>'
        '<meta property="og:title" content="Título limpio">'
        '<meta name="description" content="  Una   descripción. ">'
        '<meta property="article:published_time" content="2021-04-22">'
        '<script type="application/ld+json">{"datePublished":"2021-04-22T10:00:00Z"}</script>'
        '</head><body><nav>Inicio</nav><article><p><time datetime="2021-04-22">22 abr</time></p>'
        + "<p>El Gobierno aprobó un decreto supremo sobre defensores de derechos humanos.</p>" * 5
        + "</article></body></html>"
    )
    page = read_document(html.encode(), url="https://x.pe/n")
    assert (page.kind, page.title, page.lang) == ("html", "Título limpio", "es-pe")
    assert page.description == "Una descripción."
    assert ("article:published_time", "2021-04-22") in page.meta
    assert page.jsonld == (("datePublished", "2021-04-22T10:00:00Z"),)
    assert page.times[0][0] == "2021-04-22"
    assert "aprobó un decreto supremo" in page.text
    assert page.tree is not None


def test_fallback_text_walk_when_trafilatura_finds_nothing() -> None:
    page = read_document(b"<html><body><span>Solo esto</span><script>x=1</script></body></html>")
    assert "Solo esto" in page.text
    assert "x=1" not in page.text


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": title, "/CreationDate": "D:20210422120000-05'00'"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_in_a_child_process() -> None:
    page = read_document(_pdf("Decreto Supremo N° 004-2021-JUS"), url="https://x.pe/ds.pdf")
    assert (page.kind, page.title) == ("pdf", "Decreto Supremo N° 004-2021-JUS")
    assert page.extra_dates[0].startswith("D:20210422")


def test_broken_pdf_raises_extract_error() -> None:
    with pytest.raises(ExtractError):
        read_document(b"%PDF-1.4\n" + b"\x00garbage" * 100)


def _timed(body: bytes) -> float:
    start = time.perf_counter()
    read_document(body)
    return time.perf_counter() - start


def test_five_megabyte_single_line_html_is_bounded() -> None:
    body = b"<html><body><p>" + b"palabra " * 650_000 + b"</p></body></html>"
    assert _timed(body) < 20


def test_deep_nesting_does_not_recurse() -> None:
    body = b"<div>" * 100_000 + b"hola" + b"</div>" * 100_000
    assert _timed(body) < 20
    body = b"<b><i>" * 50_000 + b"<p>" * 50_000
    assert _timed(body) < 20


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_raise_only_extract_error(body: bytes) -> None:
    if body.lstrip().startswith(b"%PDF-") or b"%PDF-" in body[:1024]:
        return  # a child process per example is too slow for a property test
    with contextlib.suppress(ExtractError):
        read_document(body)


HTML_BITS = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "<script>",
        "</script>",
        "<meta charset=utf-8>",
        "<title>",
        "&amp;",
        "&#0;",
        "<!--",
        "-->",
        "<![CDATA[",
        "<?xml encoding='x'?>",
        "\x00",
        "ñ",
        "\ud7ff",
        "<time datetime='2021-04-22'>",
        "22 de abril de 2021",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(HTML_BITS, st.text(max_size=20)), max_size=60))
def test_arbitrary_html_never_raises(bits: list[str]) -> None:
    html = "<html>" + "".join(bits)
    read_document(html.encode("utf-8", errors="replace"), content_type="text/html")


def test_html_reading_is_roughly_linear() -> None:
    para = "<div><p>El Decreto Supremo N° 004-2021-JUS crea el mecanismo. 22 de abril de 2021</p>"
    small = ("<html><body>" + para * 120).encode()
    big = ("<html><body>" + para * 1200).encode()
    read_document(small)  # warm up imports
    assert min(_timed(big) for _ in range(2)) < 30 * min(_timed(small) for _ in range(2)) + 0.2
