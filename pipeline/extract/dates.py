"""Extract stage, dates: a `Page` (+ the listing's date, the norms found in its text) → the
document's publication date and every date that has a known kind, each with how it was found.

A cascade from cheap and reliable to slow and fuzzy, returning early (htmldate's own design):
listing → structured metadata (meta tags, JSON-LD, <time>) → htmldate fast → a dateline in the
text → htmldate extensive → any date phrase near the top → the URL (weak: republished articles keep
old URLs) → dateparser, configured once, used last. Every candidate is checked against bounds.
Per-norm dates (issued vs gazette publication) come from cue words around date phrases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.extract import datephrases
from pipeline.extract.datephrases import Found, find_phrases
from pipeline.extract.language import LANGUAGES
from pipeline.extract.text import Page
from pipeline.models import DateKind, DateMention, DateMethod, NormMention

# No source the observatory follows published online before 1990.
EARLIEST = dt.date(1990, 1, 1)
# Latest plausible date: the fetch time read in the zone furthest ahead of UTC (UTC+14), so a page
# fetched at 23:00 UTC from a UTC+1 newsroom may carry tomorrow's date, and nothing later may.
AHEAD_OF_UTC = dt.timedelta(hours=14)
# Only the top of the text holds the article's own date; further down, dates are the story's.
TOP_CHARS = 800

# Meta names for the publication date, most trusted first. article:published_time outranks
# itemprop datePublished: El País's itemprop carried the first draft's date (one day early).
META_PUBLISHED = (
    "article:published_time",  # Open Graph article, most WordPress and news CMSs
    "og:published_time",
    "og:article:published_time",
    "publishdate",  # Arc / Infobae-style
    "pubdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",  # Dublin Core, El Mundo / El País / gob.pe
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",  # academic and gazette PDFs' landing pages
    "citation_date",
    "datepublished",  # itemprop on <meta>
    "date",
    "cxenseparse:recs:publishtime",  # Cxense tags on Prensa Ibérica sites (Faro de Vigo)
)
META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")

# An ISO-like timestamp as written: the date part is the publisher's local date, unless the stamp
# is in UTC (then the local date may be a day off).
_ISO = re.compile(
    r"^\s*(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
    r"\s{0,2}(?P<tz>Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?)?"
)
_UTC = ("Z", "+00:00", "+0000", "UTC", "GMT")
# UTC hours at which the local day of an American (UTC-3..-8) or eastern (UTC+2..+14) newsroom
# differs from the UTC day; only then is a visible date allowed to overrule the stamp.
UTC_EARLY_HOURS = 8
UTC_LATE_HOURS = 22
# /2021/04/22/, /2020-4-15-16-5-0-..., _20210422 in URLs.
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)")


@dataclass(frozen=True)
class Bounds:
    earliest: dt.date
    latest: dt.date

    def ok(self, value: dt.date | None) -> bool:
        return value is not None and self.earliest <= value <= self.latest


@dataclass(frozen=True)
class Reading:
    """How the page writes dates: its language (for dateparser) and whether numeric dates put the
    month first ("06/25/2012" in the Philippines and the United States)."""

    language: str = ""
    month_first: bool = False


@dataclass(frozen=True)
class DateResult:
    published: DateMention | None
    dates: tuple[DateMention, ...]


def bounds_for(fetched_at: dt.datetime | None, earliest: dt.date | None = None) -> Bounds:
    now = fetched_at or dt.datetime.now(dt.UTC)
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)
    return Bounds(max(earliest or EARLIEST, EARLIEST), (now + AHEAD_OF_UTC).date())


def _ymd(y: str, mo: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def parse_stamp(raw: str) -> tuple[dt.date | None, int | None]:
    """A metadata value → (local date as written, UTC hour when the stamp is in UTC, else None)."""
    m = _ISO.match(raw)
    if m is None:
        found = next(find_phrases(raw[:200]), None)  # "Wed, 22 Apr 2021 10:00 GMT" and the like
        return (found.value if found else None), None
    value = _ymd(m["y"], m["mo"], m["d"])
    utc_hour = int(m["h"]) if m["h"] is not None and (m["tz"] or "") in _UTC else None
    return value, utc_hour


# --- structured metadata -------------------------------------------------------------------------
def _structured(page: Page) -> Iterator[tuple[DateMethod, DateKind, str]]:
    """Structured candidates in trust order: (method, kind, raw value)."""
    metas = dict(reversed(page.meta))  # the first occurrence of a name wins
    for key in META_PUBLISHED[:1]:
        if key in metas:
            yield DateMethod.META, DateKind.PUBLISHED, metas[key]
    for key, value in page.jsonld:
        if key == "datePublished":
            yield DateMethod.JSONLD, DateKind.PUBLISHED, value
    for key in META_PUBLISHED[1:]:
        if key in metas:
            yield DateMethod.META, DateKind.PUBLISHED, metas[key]
    for stamp, _visible in page.times:
        if stamp:
            yield DateMethod.TIME, DateKind.PUBLISHED, stamp
    for raw in page.extra_dates:  # a PDF's /CreationDate, "D:20210422120000-05'00'"
        yield (
            DateMethod.META,
            DateKind.PUBLISHED,
            re.sub(r"^D:(\d{4})(\d{2})(\d{2})", r"\1-\2-\3", raw),
        )
    for key in META_MODIFIED:
        if key in metas:
            yield DateMethod.META, DateKind.MODIFIED, metas[key]
    for key, value in page.jsonld:
        if key == "dateModified":
            yield DateMethod.JSONLD, DateKind.MODIFIED, value


def _visible_dates(page: Page, reading: Reading) -> list[DateMention]:
    """Dates a reader sees near the top: <time> texts, then phrases at the top of the main text."""
    order = reading.month_first
    seen = [
        DateMention(f.value, DateKind.PUBLISHED, DateMethod.TIME, f.raw)
        for _stamp, visible in page.times
        for f in find_phrases(visible, month_first=order)
    ]
    seen += [
        DateMention(f.value, DateKind.PUBLISHED, DateMethod.TEXT, f.raw, f.start, f.end)
        for f in find_phrases(page.text[:TOP_CHARS], month_first=order)
    ]
    # a byline above the article body, which trafilatura leaves out (no span: not in the text)
    seen += [
        DateMention(f.value, DateKind.PUBLISHED, DateMethod.TEXT, f.raw)
        for f in find_phrases(page.head_text, month_first=order)
    ]
    return seen


def _settle_utc(
    best: DateMention, utc_hour: int | None, page: Page, reading: Reading
) -> DateMention:
    """A UTC stamp near midnight names the UTC day; the page's visible date, when it is the
    neighbouring day, is the newsroom's own (a Florida daily stamped 02:18Z showed 17 Feb)."""
    if utc_hour is None or UTC_EARLY_HOURS <= utc_hour < UTC_LATE_HOURS:
        return best
    step = dt.timedelta(days=-1 if utc_hour < UTC_EARLY_HOURS else 1)
    for seen in _visible_dates(page, reading):
        if seen.value == best.value + step:
            return seen
        if seen.value == best.value:
            return best
    return best


def structured_dates(
    page: Page, bounds: Bounds, reading: Reading = Reading()
) -> tuple[DateMention | None, list[DateMention]]:
    """(the best structured publication date, every plausible structured date)."""
    found: list[DateMention] = []
    best: DateMention | None = None
    for method, kind, raw in _structured(page):
        value, utc_hour = parse_stamp(raw)
        if value is None or not bounds.ok(value):
            continue
        mention = DateMention(value, kind, method, raw)
        found.append(mention)
        if best is None and kind is DateKind.PUBLISHED:
            best = _settle_utc(mention, utc_hour, page, reading)
    return best, found


# --- htmldate, URL, dateparser -------------------------------------------------------------------
def from_htmldate(page: Page, bounds: Bounds, *, extensive: bool) -> DateMention | None:
    """htmldate on the parsed tree (faster, and immune to its single-line DOCTYPE bug). No URL:
    URL dates are weak evidence and weighed separately."""
    if page.tree is None:
        return None
    from htmldate import find_date

    try:
        raw = find_date(
            page.tree,
            extensive_search=extensive,
            original_date=True,
            min_date=dt.datetime.combine(bounds.earliest, dt.time()),
            max_date=dt.datetime.combine(bounds.latest, dt.time()),
        )
    except (ValueError, TypeError, RecursionError):
        return None
    value = parse_stamp(raw)[0] if raw else None
    if raw is None or value is None or not bounds.ok(value):
        return None
    if extensive and (value.month, value.day) == (1, 1) and not _prints_day(page, value):
        return None  # a bare year ("© 2021") that the extensive search dated 1 January
    return DateMention(value, DateKind.PUBLISHED, DateMethod.HTMLDATE, raw)


def _prints_day(page: Page, value: dt.date) -> bool:
    """Whether a reader sees `value` on the page (main text, byline, <time>), as a phrase
    ("1 de enero de 2021", "01/01/2021") or as an ISO date."""
    seen = [page.text, page.head_text, *(visible for _stamp, visible in page.times)]
    return any(
        value.isoformat() in text or any(f.value == value for f in find_phrases(text))
        for text in seen
    )


def from_url(url: str, bounds: Bounds) -> DateMention | None:
    for m in _URL_DATE.finditer(url):
        value = _ymd(m[1], m[2], m[3])
        if bounds.ok(value) and value is not None:
            return DateMention(value, DateKind.PUBLISHED, DateMethod.URL, m[0])
    return None


@lru_cache(maxsize=2)
def _dateparser_settings(month_first: bool) -> dict[str, Any]:
    # Configured once per order, languages never auto-detected (auto-detection is 15× slower and
    # reads "05/03/2021" as 3 May); day first unless the country writes the month first.
    return {
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


# The document's own language only: each language dateparser is given costs time on every page,
# so a Spanish page is searched in Spanish alone. A page of unknown language gets all four.


def from_dateparser(
    text: str, bounds: Bounds, language: str = "", month_first: bool = False
) -> DateMention | None:
    """The last resort: dateparser's search over the top of the text (~120 ms, imported lazily)."""
    if not text.strip():
        return None
    from dateparser.search import search_dates

    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    try:
        hits = search_dates(
            text[:TOP_CHARS], languages=languages, settings=_dateparser_settings(month_first)
        )
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None
    for raw, when in hits or []:
        if bounds.ok(when.date()):
            return DateMention(when.date(), DateKind.PUBLISHED, DateMethod.DATEPARSER, raw)
    return None


# --- the cascade ---------------------------------------------------------------------------------
def _text_published(
    found: Sequence[Found], bounds: Bounds, *, dateline_only: bool
) -> DateMention | None:
    for f in found:
        if f.start >= TOP_CHARS:
            break
        if (
            bounds.ok(f.value)
            and f.kind is not DateKind.ISSUED
            and (f.dateline or not dateline_only)
        ):
            return DateMention(f.value, DateKind.PUBLISHED, DateMethod.TEXT, f.raw, f.start, f.end)
    return None


def _head_published(page: Page, bounds: Bounds, reading: Reading) -> DateMention | None:
    """The first date a reader sees on the page (a byline above the body, which trafilatura drops;
    the main text's first date is often the story's, "6 de marzo de 2002"). After htmldate, which
    knows the site headers that show today's date."""
    for f in find_phrases(page.head_text, month_first=reading.month_first):
        if bounds.ok(f.value):
            return DateMention(f.value, DateKind.PUBLISHED, DateMethod.TEXT, f.raw)
    return None


def _published(
    page: Page,
    url: str,
    found: Sequence[Found],
    bounds: Bounds,
    best: DateMention | None,
    reading: Reading,
) -> DateMention | None:
    steps: tuple[Callable[[], DateMention | None], ...] = (
        lambda: best,
        lambda: from_htmldate(page, bounds, extensive=False),
        lambda: _text_published(found, bounds, dateline_only=True),
        lambda: from_htmldate(page, bounds, extensive=True),
        lambda: _head_published(page, bounds, reading),
        lambda: _text_published(found, bounds, dateline_only=False),
        lambda: from_url(url, bounds),
        lambda: from_dateparser(page.text, bounds, reading.language, reading.month_first),
    )
    for step in steps:
        if (hit := step()) is not None:
            return hit
    return None


def find_dates(
    page: Page,
    *,
    url: str = "",
    listed: dt.date | None = None,
    fetched_at: dt.datetime | None = None,
    norms: Sequence[NormMention] = (),
    earliest: dt.date | None = None,
    reading: Reading = Reading(),
) -> DateResult:
    """The document's publication date (None when nothing plausible) and all dates of known kind."""
    bounds = bounds_for(fetched_at, earliest)
    best, found_structured = structured_dates(page, bounds, reading)
    today = (fetched_at or dt.datetime.now(dt.UTC)).date()
    found = list(datephrases.classify_phrases(page.text, norms, today, reading.month_first))
    norm_dates = [
        DateMention(f.value, f.kind, DateMethod.TEXT, f.raw, f.start, f.end, f.norm)
        for f in found
        if f.kind in (DateKind.ISSUED, DateKind.GAZETTE) and bounds.ok(f.value)
    ]
    if listed is not None and bounds.ok(listed):
        published: DateMention | None = DateMention(listed, DateKind.PUBLISHED, DateMethod.LISTING)
    else:
        published = _published(page, url, found, bounds, best, reading)
    everything = ([published] if published else []) + found_structured + norm_dates
    return DateResult(published, tuple(dict.fromkeys(everything)))
