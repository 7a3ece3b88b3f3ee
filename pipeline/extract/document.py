"""Extract stage verb: fetched bytes → `Extraction` (title, language, main text, publication date
and per-norm dates, norm mentions and relations, summary, page class).

Wires the pure extractors together: text.py reads the bytes once, norms.py finds the norms in the
main text, dates.py, language.py and summary.py use both. No I/O beyond a PDF child process; no
httpx, no store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pipeline.extract.dates import find_dates
from pipeline.extract.language import detect_language
from pipeline.extract.norms import find_norms, find_relations
from pipeline.extract.summary import summarize
from pipeline.extract.text import read_document
from pipeline.models import (
    DateKind,
    DateMention,
    DateMethod,
    Extraction,
    Link,
    NormMention,
    Relation,
)

# Bump whenever the output for the same bytes can change: extractions are keyed by
# (document, extractor version), so a bump makes `pipeline extract` redo old documents.
EXTRACTOR_VERSION = "3"
# Flag of a norm read from a gazette's listing rather than from the text.
LISTED = "listed"
# How far into the main text a heading may start and still count as "the text has its title".
TITLE_WINDOW = 300
_SPACE = re.compile(r"\s+")


def _norms(text: str, country: str) -> tuple[tuple[NormMention, ...], tuple[Relation, ...]]:
    try:
        norms = find_norms(text, country=country)
    except ValueError:  # a country without a grammar yet: no norms rather than no document
        return (), ()
    return tuple(norms), tuple(find_relations(text, norms))


def listed_norms(listed: Link | None, country: str) -> tuple[NormMention, ...]:
    """The norm an official gazette's listing says the document is: its type and number as the
    gazette printed them ("DECRETO SUPREMO", "004-2021-JUS"), read by the country's grammar.
    The listing is the platform's own index of its norms, so this is the document's identity, not
    a mention somewhere in it (flagged "listed", with no span in the text)."""
    extra = listed.extra if listed is not None else {}
    kind, number, year = (extra.get(k, "") for k in ("type", "number", "year"))
    if not extra.get("gazette") or not kind or not number:
        return ()
    phrase = f"{kind} N° {number}" + (f" de {year}" if year and year not in number else "")
    try:
        found = find_norms(phrase, country=country)
    except ValueError:  # a country without a grammar yet
        return ()
    if not found or found[0].start != 0:
        return ()
    return (replace(found[0], start=0, end=0, flags=found[0].flags | {LISTED}),)


def _gazette_dates(listed: Link | None, norms: tuple[NormMention, ...]) -> tuple[DateMention, ...]:
    """The gazette's publication date of its own norm, from the listing."""
    if listed is None or listed.listed_date is None or not norms:
        return ()
    return (
        DateMention(listed.listed_date, DateKind.GAZETTE, DateMethod.LISTING, norm=norms[0].key),
    )


def _title(
    page_title: str, listed: Link | None, norms: tuple[NormMention, ...], country: str
) -> str:
    """The page's title, unless an official gazette listed the page and the title does not name
    the listed norm (a portal's generic "Dispositivo legal", El Peruano's embedded head naming an
    unrelated norm, a DOF page titled "DOF - Diario Oficial de la Federación"): then the gazette's
    own words, the listing's title."""
    fallback = listed.listed_title if listed is not None else ""
    if not page_title or not fallback:
        return page_title or fallback
    if listed is None or not listed.extra.get("gazette"):
        return page_title
    try:
        named = {m.key for m in find_norms(page_title, country=country)}
    except ValueError:
        named = set()
    return page_title if norms and norms[0].key in named else fallback


def _with_title(title: str, text: str) -> str:
    """The main text, headed by the title when the extractor dropped it. A gazette page's
    title is often the norm's number ("Resolución Administrativa N° 029-2020/DP-PAD"): without it
    the text would not name the very norm the page is about, and spans must index one string."""
    if not title:
        return text
    head = _SPACE.sub(" ", text[: len(title) + TITLE_WINDOW]).casefold()
    if _SPACE.sub(" ", title).casefold() in head:
        return text
    return f"{title}\n\n{text}" if text else title


def extract_document(
    body: bytes,
    *,
    url: str,
    content_type: str = "",
    listed: Link | None = None,
    fetched_at: dt.datetime | None = None,
    country: str = "PE",
    earliest: dt.date | None = None,
) -> Extraction:
    """Everything editors need from one document. Raises ExtractError only for unreadable bytes
    (binary junk, a broken PDF); bot walls and 404 pages come back with page_class set.
    `earliest` is the source's window: an earlier date is not taken as the publication date."""
    page = read_document(body, url=url, content_type=content_type)
    gazette = listed_norms(listed, country)
    title = _title(page.title, listed, gazette, country)
    if page.page_class != "ok":
        return Extraction(
            url=url,
            title=title,
            language=detect_language(page.text, page.lang),
            text=page.text,
            published=None,
            dates=(),
            norms=(),
            relations=(),
            summary="",
            description=page.description,
            page_class=page.page_class,
            extractor_version=EXTRACTOR_VERSION,
        )
    text = _with_title(title, page.text)
    if text != page.text:
        page = replace(page, text=text)
    norms, relations = _norms(text, country)
    found = find_dates(
        page,
        url=url,
        listed=listed.listed_date if listed else None,
        fetched_at=fetched_at,
        norms=norms,
        earliest=earliest,
    )
    return Extraction(
        url=url,
        title=title,
        language=detect_language(page.text or title, page.lang),
        text=text,
        published=found.published,
        dates=found.dates + _gazette_dates(listed, gazette),
        norms=norms,
        relations=relations,
        summary=summarize(page.text, norms, page.description, title),
        description=page.description,
        page_class=page.page_class,
        extractor_version=EXTRACTOR_VERSION,
        listed_norms=gazette,
    )
