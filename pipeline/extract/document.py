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
from pipeline.models import Extraction, Link, NormMention, Relation

# Bump whenever the output for the same bytes can change: extractions are keyed by
# (document, extractor version), so a bump makes `pipeline extract` redo old documents.
EXTRACTOR_VERSION = "3"
# How far into the main text a heading may start and still count as "the text has its title".
TITLE_WINDOW = 300
_SPACE = re.compile(r"\s+")


def _norms(text: str, country: str) -> tuple[tuple[NormMention, ...], tuple[Relation, ...]]:
    norms = find_norms(text, country=country)
    return tuple(norms), tuple(find_relations(text, norms))


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
    title = page.title or (listed.listed_title if listed else "")
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
        dates=found.dates,
        norms=norms,
        relations=relations,
        summary=summarize(page.text, norms, page.description, title),
        description=page.description,
        page_class=page.page_class,
        extractor_version=EXTRACTOR_VERSION,
        charset=page.charset,
        charset_method=page.charset_method,
    )
