"""What listings, feeds and gazettes print about an item, read into records: dates, texts, URLs.

The adapter of BeautifulSoup and soupsieve (their only importer). Listing and platform pages are
few per run (tens a night, not thousands), so they are read with soupsieve's CSS, which lets a
source's options say what code would otherwise have to: `:has()`, `:-soup-contains()`, `:is()`,
`:not()` ("the cards that mention Decreto": `article:-soup-contains("Decreto")`). lxml stays on
the per-article hot path (extract/), where BeautifulSoup would cost 25-38 times more.

Takes the strings and elements a listing page shows; gives `datetime.date`s (or None: a wrong date
is worse than none, the extractor then looks at the page itself), cleaned texts and absolute
http(s) URLs. Pages are parsed by BeautifulSoup over lxml with huge trees off, so hostile nesting
is cut by libxml2 instead of being followed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from urllib.parse import urljoin, urlsplit

import soupsieve
from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

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


Node = Tag


def parse_html(body: bytes | str, url: str) -> Node:
    """One parse of a listing page or fragment; FetchError UNSUPPORTED when nothing parses.
    Comments are dropped by the selectors (they select elements only)."""
    try:
        with warnings.catch_warnings():
            # JSF pages are XHTML that starts with an XML prolog and is served as HTML: parsed
            # as HTML on purpose, as the browsers these sites are written for do.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(body, "lxml")
    except (ValueError, TypeError, AssertionError) as exc:
        raise FetchError(url, FailureClass.UNSUPPORTED, f"not an HTML page: {exc}") from None


def select(element: Node, css: str) -> list[Node]:
    """The elements under `element` matching the CSS selector `css` (soupsieve caches compiled
    selectors, so a listing's tens of items cost one compile)."""
    return [e for e in soupsieve.select(css, element) if isinstance(e, Tag)]


def select_one(element: Node, css: str) -> Node | None:
    found = soupsieve.select_one(css, element)
    return found if isinstance(found, Tag) else None


def selector_error(css: str) -> str:
    """Why `css` is not a usable CSS selector, or "" (config validation names the source)."""
    try:
        soupsieve.compile(css)
    except (soupsieve.SelectorSyntaxError, ValueError, TypeError) as exc:
        return str(exc).splitlines()[0] or type(exc).__name__
    return ""


def attr(element: Node, name: str) -> str:
    """An attribute as one string ("" when absent; a class list joined by spaces)."""
    value = element.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def text_of(element: Node | None) -> str:
    return clean(element.get_text()) if element is not None else ""


def date_of(element: Node, formats: tuple[str, ...] = ()) -> dt.date | None:
    """The date an element shows: its machine-readable attribute first (<time datetime>,
    <meta content>), then its text."""
    for name in ("datetime", "content"):
        value = attr(element, name)
        if value and (found := parse_listed_date(value, formats)):
            return found
    return parse_listed_date(text_of(element), formats)
