"""Extract stage verb: fetched bytes → `Extraction` (title, language, the document's country and
how it was told, main text, publication date and per-norm dates, norm mentions and relations,
summary, page class).

Wires the pure extractors together: text.py reads the bytes once, language.py and origin.py say
in which language and for which country the text is read, norms.py finds the norms in the main
text with that country's grammar, dates.py and summary.py use both. No I/O beyond a PDF child
process; no httpx, no store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pipeline.extract.countries import month_first
from pipeline.extract.dates import Reading, find_dates
from pipeline.extract.language import detect_language
from pipeline.extract.norms import find_norms, find_relations
from pipeline.extract.origin import TITLE_WINDOW, tell_country
from pipeline.extract.ownnorm import listing_norm
from pipeline.extract.reading import read_norms
from pipeline.extract.summary import summarize
from pipeline.extract.text import read_document
from pipeline.models import (
    NOT_KNOWN,
    CountryMethod,
    DateKind,
    DateMention,
    DateMethod,
    DocumentCountry,
    Extraction,
    Link,
    NormMention,
    Relation,
)

# Bump whenever the output for the same bytes can change: extractions are keyed by
# (document, extractor version), so a bump makes `pipeline extract` redo old documents.
EXTRACTOR_VERSION = "4"
# Flag of a norm read from a gazette's listing rather than from the text.
LISTED = "listed"
_SPACE = re.compile(r"\s+")


def _norms(
    text: str, country: DocumentCountry, language: str
) -> tuple[tuple[NormMention, ...], tuple[Relation, ...]]:
    norms = read_norms(text, country, language)
    return tuple(norms), tuple(find_relations(text, norms))


def _known(country: str | DocumentCountry) -> DocumentCountry | None:
    """What the caller knows: a DocumentCountry as it is, a bare code as given by hand."""
    if isinstance(country, DocumentCountry):
        return country if country.known else None
    code = country.strip().upper()
    return DocumentCountry(code, CountryMethod.GIVEN, "given") if code else None


def listed_norms(listed: Link | None, country: str) -> tuple[NormMention, ...]:
    """The norm an official gazette's listing says the document is: its type and number as the
    gazette printed them ("DECRETO SUPREMO", "004-2021-JUS"), read by the grammar of the country
    the caller knows (a gazette source always declares one; none known, none read).
    The listing is the platform's own index of its norms, so this is the document's identity, not
    a mention somewhere in it (flagged "listed", with no span in the text)."""
    extra = listed.extra if listed is not None else {}
    found = listing_norm(extra, country) if extra.get("gazette") else None
    if found is None:
        return ()
    return (replace(found, start=0, end=0, flags=found.flags | {LISTED}),)


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
    named = {m.key for m in find_norms(page_title, country=country)} if country else set()
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
    country: str | DocumentCountry = "",
    earliest: dt.date | None = None,
) -> Extraction:
    """Everything editors need from one document. Raises ExtractError only for unreadable bytes
    (binary junk, a broken PDF); bot walls and 404 pages come back with page_class set.
    `country` is what the caller knows (given or the source's); without it the page's host and
    text tell it, or it stays undetermined. `earliest` is the source's window: an earlier date is
    not taken as the publication date."""
    page = read_document(body, url=url, content_type=content_type)
    known = _known(country)
    gazette = listed_norms(listed, known.code if known else "")
    title = _title(page.title, listed, gazette, known.code if known else "")
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
            charset=page.charset,
            charset_method=page.charset_method,
            country=known or NOT_KNOWN,  # what the caller said stands, whatever the page is
        )
    text = _with_title(title, page.text)
    if text != page.text:
        page = replace(page, text=text)
    language = detect_language(page.text or title, page.lang)
    where = tell_country(url, title, text, known, language)
    norms, relations = _norms(text, where, language)
    found = find_dates(
        page,
        url=url,
        listed=listed.listed_date if listed else None,
        fetched_at=fetched_at,
        norms=norms,
        earliest=earliest,
        reading=Reading(language, month_first(where.code, language)),
    )
    return Extraction(
        url=url,
        title=title,
        language=language,
        text=text,
        published=found.published,
        dates=found.dates + _gazette_dates(listed, gazette),
        norms=norms,
        relations=relations,
        summary=summarize(page.text, norms, page.description, title),
        description=page.description,
        page_class=page.page_class,
        extractor_version=EXTRACTOR_VERSION,
        charset=page.charset,
        charset_method=page.charset_method,
        country=where,
        listed_norms=gazette,
    )
