"""What listings, feeds and gazettes print about an item, read into records: dates, texts, URLs.

Shared by the listing, feed and gazette fetchers. Takes the strings and elements a listing page
shows; gives `datetime.date`s (or None: a wrong date is worse than none, the extractor then looks
at the page itself), cleaned texts and absolute http(s) URLs. HTML is parsed with lxml with huge
trees off, so hostile nesting is cut by libxml2 instead of being followed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector, SelectorError

from ..errors import FailureClass, FetchError

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("enero", "january", "jan", "ene"),
            ("febrero", "february", "feb"),
            ("marzo", "march", "mar"),
            ("abril", "april", "apr", "abr"),
            ("mayo", "may"),
            ("junio", "june", "jun"),
            ("julio", "july", "jul"),
            ("agosto", "august", "aug", "ago"),
            ("septiembre", "setiembre", "september", "sep", "set"),
            ("octubre", "october", "oct"),
            ("noviembre", "november", "nov"),
            ("diciembre", "december", "dec", "dic"),
        ),
        1,
    )
    for name in names
}
# ISO first: <time datetime> and sitemaps use it, and it cannot be read two ways.
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# Day first: El Peruano's "Fecha: 22/04/2021", gob.pe's "22/04/2021". Never month first: Peruvian
# and Colombian pages do not write dates that way, and guessing would swap day and month.
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
# Spelled out: "22 de abril de 2021", "jueves, 22 de abril del 2021", "22 abr. 2021".
_SPELLED = re.compile(r"\b(\d{1,2})(?:\s+de)?\s+([a-z]{3,10})\.?(?:\s+(?:de|del))?\s+(\d{4})\b")
# English feeds and listings: "April 22, 2021".
_SPELLED_EN = re.compile(r"\b([a-z]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_SPACE = re.compile(r"\s+")


def parse_listed_date(text: str, formats: tuple[str, ...] = ()) -> dt.date | None:
    """A date a listing prints, in the source's own `formats` (strptime) or a common form."""
    text = text.strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    folded = _fold(text)
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_SPELLED, "dMy"), (_SPELLED_EN, "Mdy")):
        found = pattern.search(folded)
        if found and (value := _date(dict(zip(order, found.groups(), strict=True)))):
            return value
    return None


def _date(parts: dict[str, str]) -> dt.date | None:
    month = parts.get("m") or str(_MONTHS.get(parts.get("M", ""), ""))
    try:
        return dt.date(int(parts["y"]), int(month), int(parts["d"]))
    except ValueError:
        return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def absolute(base: str, href: str | None) -> str:
    """`href` made absolute against `base`; "" unless it is an http(s) URL (no javascript:,
    mailto: or data: links from a listing ever reach the fetcher)."""
    if not href or not href.strip():
        return ""
    url = urljoin(base, href.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def parse_html(body: bytes, url: str) -> lxml_html.HtmlElement:
    """One lxml parse of a listing page; FetchError UNSUPPORTED when nothing parses."""
    parser = lxml_html.HTMLParser(huge_tree=False, remove_comments=True)
    try:
        root = lxml_html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise FetchError(url, FailureClass.UNSUPPORTED, f"not an HTML page: {exc}") from None
    return root


def select(element: lxml_html.HtmlElement, css: str) -> list[lxml_html.HtmlElement]:
    """The elements under `element` matching the CSS selector `css` (compiled per call: a
    listing page has tens of items, compiling costs microseconds)."""
    found = CSSSelector(css)(element)
    return (
        [e for e in found if isinstance(e, lxml_html.HtmlElement)]
        if isinstance(found, list)
        else []
    )


def selector_error(css: str) -> str:
    """Why `css` is not a usable CSS selector, or "" (config validation names the source)."""
    try:
        CSSSelector(css)
    except (SelectorError, ValueError, TypeError) as exc:
        return str(exc) or type(exc).__name__
    return ""


def text_of(element: lxml_html.HtmlElement) -> str:
    return clean(element.text_content())


def date_of(element: lxml_html.HtmlElement, formats: tuple[str, ...] = ()) -> dt.date | None:
    """The date an element shows: its machine-readable attribute first (<time datetime>,
    <meta content>), then its text."""
    for attr in ("datetime", "content"):
        value = element.get(attr)
        if value and (found := parse_listed_date(value, formats)):
            return found
    return parse_listed_date(text_of(element), formats)
