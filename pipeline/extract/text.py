"""Extract stage, first step: bytes → `Page` (title, main text, lang attribute, description and the
structured date evidence that `dates.py` reads). The only module that imports trafilatura.

HTML is decoded once (charset.py: BOM, valid UTF-8, the declared charset when its text is
plausible, else detection; the choice is kept on the Page) and parsed once with lxml; the tree
is handed on to trafilatura and htmldate, which copy it. PDFs are parsed in a child process
with memory and CPU limits (`pdftext.py`), because PDFs are hostile.
Everything but truly unreadable input (binary junk, a broken PDF) yields a Page; that raises
ExtractError.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from pipeline.errors import ExtractError
from pipeline.extract.charset import Decoded, boms, decode

# Bytes past this are not decoded or parsed: no real article is bigger, and it bounds the work.
MAX_BYTES = 8_000_000
# Seconds a PDF child may run before it is killed (wall clock; its CPU limit is set inside it).
PDF_TIMEOUT = 60


@dataclass(frozen=True)
class Page:
    """What the reader made of a document; `tree` is None for text and PDF."""

    kind: str  # html | text | pdf
    title: str = ""
    text: str = ""
    lang: str = ""  # the lang attribute as written, lowercased ("es-pe"); often wrong
    description: str = ""
    page_class: str = "ok"  # ok | blocked | not_found | empty
    tree: HtmlElement | None = None
    meta: tuple[tuple[str, str], ...] = ()  # (name|property|itemprop lowercased, content)
    jsonld: tuple[tuple[str, str], ...] = ()  # (datePublished|dateCreated|..., value)
    times: tuple[tuple[str, str], ...] = ()  # <time>: (datetime attribute, visible text)
    extra_dates: tuple[str, ...] = field(default=())  # e.g. a PDF's /CreationDate
    head_text: str = ""  # the first visible text of the whole page: bylines trafilatura drops
    charset: str = ""  # the codec the bytes were read with ("" for PDFs) ...
    charset_method: str = ""  # ... and why that one: bom | utf-8 | declared | detected | ...


# --- page classes: vocabulary as data ------------------------------------------------------------
# Pages served with status 200 that are not the document. Matched in the title and the start of
# the text of *short* pages only (a real article about captchas is long).
BLOCKED_PHRASES = (
    "just a moment...",  # Cloudflare interstitial title
    "checking your browser",  # Cloudflare / DDoS-Guard body text
    "attention required! | cloudflare",  # Cloudflare block page title
    "please enable javascript and cookies",  # Cloudflare challenge body
    "verify you are human",  # Cloudflare Turnstile, hCaptcha
    "are you a robot",  # Akamai / PerimeterX
    "request unsuccessful. incapsula",  # Imperva Incapsula block
    "access denied",  # Akamai "Access Denied" pages
    "ddos protection by",  # DDoS-Guard footer
    "verificando que eres humano",  # Spanish Cloudflare challenge
    "verifique que es un humano",  # Spanish captcha walls
    "inicia sesión para continuar",  # Spanish login walls (paywalled dailies)
    "inicie sesión para continuar",
    "sign in to continue reading",  # English login walls
    "log in to continue",
)
NOT_FOUND_PHRASES = (
    "404 not found",  # nginx/Apache default
    "page not found",  # English CMS default
    "página no encontrada",  # Spanish CMS default (WordPress es, Drupal es)
    "pagina no encontrada",  # the same without the accent, as many sites write it
    "la página que buscas no existe",  # Peruvian/Spanish news 404 copy
    "la página solicitada no existe",  # gob.pe-style 404 copy
    "error 404",
    "página não encontrada",  # Portuguese
    "page introuvable",  # French
)
# A page whose main text is longer than this is an article, whatever its words say.
SHORT_PAGE_CHARS = 1500


def classify(title: str, text: str) -> str:
    """ok | blocked | not_found | empty, from the words of a page's title and start of text."""
    if not title.strip() and not text.strip():
        return "empty"
    if len(text) > SHORT_PAGE_CHARS:
        return "ok"
    head = f"{title}\n{text[:SHORT_PAGE_CHARS]}".lower()
    if any(p in head for p in BLOCKED_PHRASES):
        return "blocked"
    if any(p in head for p in NOT_FOUND_PHRASES):
        return "not_found"
    return "ok"


# --- sniffing ------------------------------------------------------------------------------------
_HTML_START = re.compile(rb"^\s*<(?:!doctype|html|head|body|meta|title|div|p|!--|\?xml)", re.I)
# Control bytes that never occur in text (tab, newlines, form feed and ESC excluded).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff(body: bytes, content_type: str = "", url: str = "") -> str:
    """pdf | html | text, from the bytes first; raises ExtractError for binary junk."""
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if any(body.startswith(bom) for bom in boms()[1:]):  # UTF-16
        return "html" if b"<\x00" in head or b"\x00<" in head else "text"
    if _HTML_START.match(body.lstrip(codecs.BOM_UTF8)[:512]):
        return "html"  # markup first: stray control bytes inside are lxml's problem, not ours
    sample = body[:8192]
    # Binary when over 5% of the sample is control bytes (+3 so a stray byte in a tiny text passes)
    if sum(sample.count(bytes([b])) for b in _CONTROL) > len(sample) // 20 + 3:
        raise ExtractError(f"{url or 'document'}: binary content, not HTML, text or PDF")
    if "html" in content_type.lower() or re.search(r"\.html?(?:$|\?)", url, re.I):
        return "html" if b"<" in head else "text"
    return "text"


# --- HTML ----------------------------------------------------------------------------------------
_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
# lxml refuses strings that carry an XML encoding declaration; we re-encode to UTF-8 anyway.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>", re.I)
_JSONLD_DATE = re.compile(
    r'"(datePublished|dateCreated|dateModified|uploadDate)"\s*:\s*"([^"]{4,40})"'
)
# Tags whose text is never content, dropped by the plain-text fallback.
_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
        "td",
    ]
)


def parse_tree(html: str) -> HtmlElement | None:
    """One lxml parse; None when nothing parses (empty or markup-free junk)."""
    data = _XML_DECL.sub("", html, count=1).encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        return document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _meta(tree: HtmlElement) -> tuple[tuple[str, str], ...]:
    pairs = []
    for m in tree.iter("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or ""
        value = m.get("content") or m.get("datetime") or ""
        if key and value:
            pairs.append((key.strip().lower(), value.strip()))
    return tuple(pairs)


def _first(pairs: tuple[tuple[str, str], ...], *keys: str) -> str:
    return next((v for k, v in pairs if k in keys), "")


def _clean_title(tree: HtmlElement, meta: tuple[tuple[str, str], ...]) -> str:
    title = _first(meta, "og:title", "twitter:title", "dc.title")
    if not title:
        found = tree.find(".//title")
        title = found.text_content() if found is not None else ""
    if not title:
        h1 = tree.find(".//h1")
        title = h1.text_content() if h1 is not None else ""
    return " ".join(title.split())[:500]


def _plain_walk(tree: HtmlElement) -> str:
    """Fallback text: every text node outside non-content tags, a newline at each block."""
    # A copy to strip, re-parsed as UTF-8 by our parser: lxml's default one would obey the page's
    # own <meta charset> (found by the fuzz test: "utf-16" turned the whole text into CJK).
    copy = etree.tostring(tree, encoding="utf-8")
    root = document_fromstring(copy, parser=_PARSER) if len(tree) else tree
    etree.strip_elements(root, *_NOT_TEXT, with_tail=False)
    parts: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# Visible text kept from the top of the page (bylines, date lines above the article body).
HEAD_CHARS = 3000


def _head_text(tree: HtmlElement) -> str:
    """The page's first visible text, bylines included, in one early-exit pass."""
    parts: list[str] = []
    size = 0
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for piece in (el.text if el.tag not in _NOT_TEXT[:4] else None, el.tail):
            if piece and piece.strip():
                parts.append(" ".join(piece.split()))
                size += len(parts[-1])
        if size > HEAD_CHARS:
            break
    return "\n".join(parts)[:HEAD_CHARS]


def _main_text(tree: HtmlElement, url: str) -> str:
    import trafilatura  # the adapter: only here

    try:
        text = trafilatura.extract(
            tree, url=url or None, fast=True, include_comments=False, include_tables=True
        )
    except (RecursionError, ValueError, TypeError):
        text = None
    return text or _plain_walk(tree)


def read_html(html: str, url: str = "") -> Page:
    tree = parse_tree(html)
    if tree is None:
        return Page(kind="html", page_class="empty")
    meta = _meta(tree)
    scripts = tree.xpath('//script[contains(@type, "ld+json")]/text()')
    jsonld = tuple((m.group(1), m.group(2)) for s in scripts for m in _JSONLD_DATE.finditer(s))
    times = tuple(
        (t.get("datetime") or "", " ".join(t.text_content().split())[:100])
        for t in tree.iter("time")
    )[:50]
    title = _clean_title(tree, meta)
    text = _main_text(tree, url)
    description = _first(meta, "description", "og:description", "twitter:description")
    return Page(
        kind="html",
        title=title,
        text=text,
        lang=(tree.get("lang") or tree.get("xml:lang") or "").strip().lower(),
        description=" ".join(description.split()),
        page_class=classify(title, text),
        tree=tree,
        meta=meta,
        jsonld=jsonld,
        times=times,
        head_text=_head_text(tree),
    )


# --- text and PDF --------------------------------------------------------------------------------
def read_text(text: str) -> Page:
    text = text.replace("\r\n", "\n").strip()
    first = text.split("\n", 1)[0].strip()[:300] if text else ""
    return Page(kind="text", title=first, text=text, page_class=classify(first, text))


def read_pdf(body: bytes, url: str = "") -> Page:
    """Parse a PDF in a child process (pdftext.py sets its own memory and CPU limits)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline.extract.pdftext"],
            input=body,
            capture_output=True,
            timeout=PDF_TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise ExtractError(f"{url or 'PDF'}: PDF parsing took over {PDF_TIMEOUT} s") from err
    if done.returncode != 0:
        raise ExtractError(f"{url or 'PDF'}: unreadable PDF")
    data = json.loads(done.stdout)
    text, title = str(data.get("text", "")), str(data.get("title", ""))
    title = title or text.strip().split("\n", 1)[0][:300]
    dates = tuple(str(d) for d in data.get("dates", []) if d)
    return Page(
        kind="pdf", title=title, text=text, page_class=classify(title, text), extra_dates=dates
    )


def read_document(body: bytes, *, url: str = "", content_type: str = "") -> Page:
    """Route by sniffing the bytes, then read. Raises ExtractError only for unreadable input."""
    body = body[:MAX_BYTES]
    if not body.strip():
        return Page(kind="text", page_class="empty")
    kind = sniff(body, content_type, url)
    if kind == "pdf":
        return read_pdf(body, url)
    decoded = decode(body, content_type, markup=kind == "html")
    page = read_html(decoded.text, url) if kind == "html" else read_text(decoded.text)
    return _with_charset(page, decoded)


def _with_charset(page: Page, decoded: Decoded) -> Page:
    return replace(page, charset=decoded.charset, charset_method=decoded.method)
