"""Content routing for the fetch stage: what a fetched body is, judged by its bytes, and a cheap
fingerprint of its visible text.

Takes the raw body and the Content-Type the server claimed (a tie-break only); gives "html",
"pdf", "text" (plain text declared as such) or "unsupported", and a sha256 of the visible text.
Servers mislabel: a PDF sent as text/html, an HTML error page at a .pdf URL, a JSON answer behind
a norm link. The bytes decide. The fingerprint lets the run skip pages whose bytes changed but
whose words did not (a rotating banner, a fresh token) without a full extraction (~50 ms a page).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

ContentKind = Literal["html", "pdf", "text", "unsupported"]

# Where a PDF's header may sit: the spec allows junk before it, readers look in the first 1 KiB.
_PDF_WINDOW = 1024
# Tags a real HTML page starts with within its first kilobyte (after a BOM, comments or an XML
# declaration). Feeds, sitemaps and JSON do not.
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|main|article|section|h1)\b",
    re.IGNORECASE,
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Never text: their words would only add noise to the fingerprint.
_NOT_TEXT = ("script", "style", "noscript", "template")
_SPACE = re.compile(r"\s+")
# Bytes that never occur in text (tab, newlines, form feed excluded): binary served as text/plain.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def content_kind(body: bytes, content_type: str = "") -> ContentKind:
    """html | pdf | text | unsupported: the bytes first, the declared type only as a tie-break."""
    head = body[:_PDF_WINDOW]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(_UTF16_BOMS):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _HTML_TAG.search(head):
        return "html"
    # A fragment with markup served as HTML (no <html>, starts with a <span>): still a page.
    if "html" in content_type.lower() and head.lstrip(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        return "html"
    declared = content_type.lower().split(";")[0].strip()
    # Plain text only when declared so: JSON, CSV or XML sent as text/plain start with a sign.
    first = body.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    if (
        declared in ("text/plain", "")
        and first not in (b"", b"{", b"[", b"<")
        and not _CONTROL.search(body[:8192])
    ):
        return "text"
    return "unsupported"


def text_fingerprint(body: bytes, kind: ContentKind) -> str:
    """sha256 of the visible text, whitespace collapsed; of the bytes for anything but HTML."""
    if kind != "html":
        return hashlib.sha256(body).hexdigest()
    try:
        # huge_tree stays off: a hostile page nested 100k deep is cut by libxml2, not followed.
        root = lxml_html.document_fromstring(body, parser=lxml_html.HTMLParser(huge_tree=False))
    except (etree.ParserError, ValueError):
        return hashlib.sha256(body).hexdigest()
    etree.strip_elements(root, *_NOT_TEXT, with_tail=False)
    text = _SPACE.sub(" ", str(etree.tostring(root, method="text", encoding="unicode"))).strip()
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()
