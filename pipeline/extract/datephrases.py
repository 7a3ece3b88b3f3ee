"""Extract stage, date phrases: plain text → the dates written in it, with spans, and (given the
norms found in the same text) which are a norm's issue date or its gazette publication date.

Small regexes built from named fragments, microseconds per page: neither htmldate nor dateparser
reads datelines such as "Lima, 22 de abril de 2021" or El Peruano's signature line "Dado en la Casa
de Gobierno, en Lima, a los veintiún días del mes de abril del año dos mil veintiuno". Every
quantifier is bounded, so adversarial text cannot make a pattern backtrack quadratically.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from pipeline.extract.spelling import fold
from pipeline.models import DateKind, NormMention

# Month names per language, January to December; "|" separates spellings of one month.
# "setiembre" is how Peru's state and press spell September; French months keep and drop accents
# alike ("fevrier", "aout"), as plain-text and OCR'd gazettes do.
_MONTH_NAMES = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre"
    " noviembre diciembre",
    "en": "january february march april may june july august september october november december",
    "pt": "janeiro fevereiro março|marco abril maio junho julho agosto setembro outubro novembro"
    " dezembro",
    "fr": "janvier février|fevrier mars avril mai juin juillet août|aout septembre octobre novembre"
    " décembre|decembre",
    # Abbreviations from RFC 2822 meta values and bylines ("22 abr. 2021", "20 juil. 2014", "25
    # jul 2019"); the shared ones mean the same month in every language that uses them.
    "abbr": "jan|ene|janv feb|fev|fév|févr|fevr mar apr|abr|avr - jun jul|juil aug|ago"
    " sep|sept|set oct|out nov dec|dic|dez|déc",
}
MONTHS = {
    spelling: number
    for names in _MONTH_NAMES.values()
    for number, month in enumerate(names.split(), 1)
    for spelling in month.split("|")
    if spelling != "-"
}
# Weekdays in the four languages; Portuguese writes "segunda-feira", often just "segunda".
_WEEKDAY_NAMES = (
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo"
    " monday tuesday wednesday thursday friday saturday sunday"
    " lundi mardi mercredi jeudi vendredi samedi dimanche"
    " segunda-feira terça-feira terca-feira quarta-feira quinta-feira sexta-feira"
)
WEEKDAYS = _WEEKDAY_NAMES.split()
# Spanish number words in signature lines: days 1-31, and the year's tail after "dos mil".
_NUMBER_ROWS = (
    "",
    "un|uno|primer|primero",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciseis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiun|veintiuno",
    "veintidos",
    "veintitres",
    "veinticuatro",
    "veinticinco",
    "veintiseis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
    "treinta",
    "treinta y un|treinta y uno",
)  # written without accents: text is folded before lookup
NUMBER_WORDS = {w: i for i, row in enumerate(_NUMBER_ROWS) for w in row.split("|") if w}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_DAY = r"(?P<d>[0-3]?\d)(?:º|°|ª|st|nd|rd|th|er)?"  # "1er juin" in French
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_SP = r"[ \t\xa0]{1,3}"  # words are separated by 1-3 spaces; bounded on purpose

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I))
    for name, rx in (
        # "a los veintiún días del mes de abril del año dos mil veintiuno" (El Peruano signatures)
        (
            "words",
            rf"a{_SP}los?{_SP}(?P<dw>[a-záéíóúñ]{{2,12}}(?:{_SP}y{_SP}[a-záéíóú]{{2,5}})?)"
            rf"{_SP}días?{_SP}del{_SP}mes{_SP}de{_SP}(?P<m>{_MONTH}){_SP}del?{_SP}año{_SP}"
            rf"(?P<yw>dos{_SP}mil(?:{_SP}[a-záéíóúñ]{{2,12}}(?:{_SP}y{_SP}[a-záéíóú]{{2,5}})?)?)",
        ),
        # "22 de abril de 2021", "17 de Febrero 2020", "1° de setiembre del 2020",
        # "22 de abril, 2021"
        ("es", rf"\b{_DAY}{_SP}de{_SP}(?P<m>{_MONTH})\.?(?:,?{_SP}(?:del?{_SP})?|,|{_SP}){_YEAR}"),
        # "22 Septiembre, 2020", "21 April 2021", "Wed, 22 Apr 2021" (RFC 2822)
        ("dmy", rf"\b{_DAY}{_SP}(?P<m>{_MONTH})\.?,?{_SP}{_YEAR}"),
        # "April 21st 2021", "April 21, 2021"
        ("mdy", rf"\b(?P<m>{_MONTH})\.?{_SP}{_DAY},?{_SP}{_YEAR}"),
        # "On the 23rd of July 2021"
        ("of", rf"\b{_DAY}{_SP}of{_SP}(?P<m>{_MONTH}),?{_SP}{_YEAR}"),
        # "27/01/2020", "22.04.2021", "DOF: 25/06/2012": day first in Spanish-, Portuguese- and
        # French-speaking sources; month first where the country writes so (see find_phrases)
        ("numeric", rf"(?<![\d/.-])(?P<p1>[0-3]?\d)[/.-](?P<p2>[0-3]?\d)[/.-]{_YEAR}"),
        # "Este jueves 22 de abril" (news copy without year; the year comes from `today`)
        (
            "weekday",
            rf"\b(?:este|el|del|hoy|this){_SP}(?:{_WEEKDAY}),?{_SP}{_DAY}{_SP}de{_SP}"
            rf"(?P<m>{_MONTH})\b(?!,?{_SP}(?:del?{_SP})?\d)",
        ),
    )
)
# A dateline: a line that opens with a place and a comma ("Lima, ", "LIMA, jueves ", "Brasília, ",
# "Abidjan, le "; Honduras' "Tegucigalpa, M.D.C., " has two parts), or with just a weekday
# ("Jueves 22 de abril de 2021", El Peruano's page header), right before the date.
_PLACE = r"[^\W\d_](?:[^\W\d_]|[. '-]){1,40}"
_DATELINE_BEFORE = re.compile(
    rf"(?:^|\n)[ \t]{{0,4}}(?:{_PLACE},{_SP}){{0,2}}"
    rf"(?:(?:{_WEEKDAY}),?{_SP})?(?:(?:el|le){_SP})?$",
    re.I,
)
# Cue words before (or just after) a date that say which date of a norm it is. Each is the start
# of a word, matched on folded text ("emitid" is "emitido", "emitida").
ISSUED_CUES = (
    "dado en la casa de gobierno",  # every Decreto Supremo's signature line
    "dada en la casa de gobierno",
    "emitid",  # "emitida el 21 de abril" (news)
    "expedid",
    "firmad",
    "suscrit",
    "de fecha",  # "Resolución ... de fecha 25 de abril de 2019"
    "assinad",  # Portuguese: "assinado em 24 de julho"
    "sancionad",
    "promulgad",
    "signé",  # French: "signé le 20 juin 2014"
    "promulgué",
    "fait à",  # the signature of a French-language decree: "Fait à Abidjan, le 22 février 2017"
    "en date du",
    "issued on",
    "signed on",
    "signed into law",
    "dated",
)
# The gazettes' names, as their mastheads print them above the issue's dateline ("DIARIO
# OFICIAL\nAño CXLVII No. 48.294\nBogotá, D. C., martes, 27 de diciembre de 2011").
GAZETTE_NAMES = (
    "el peruano",  # the gazette's name, in headers and in news copy
    "normas legales",  # El Peruano's page header
    "diario oficial",  # Mexico's DOF, Colombia's, Brazil's "Diário Oficial da União"
    "la gaceta",  # Honduras
    "registro oficial",  # Ecuador
    "journal officiel",  # Côte d'Ivoire, Burkina Faso, Mali, Niger, DR Congo
    "gaceta oficial",
    "official gazette",
    # Gazettes' acronyms, whole words only ("DOF: 25/06/2012", "DOU de 25/07/2019"): as prefixes
    # they would hit "douze" or "doutor".
    "dof",
    "dou",
)
GAZETTE_CUES = (
    *GAZETTE_NAMES,
    "publicad",  # "publicado/publicada el 22 de abril", "Publicado em: 25/07/2019"
    "se publicó",
    "publié",  # "publiée au Journal officiel le 3 juillet 2014"
    "paru",
    "published",
)
# Cues that are whole words, not word starts: the acronyms, and "fait à" (not "fait appel").
_WHOLE_WORD_CUES = frozenset({"dof", "dou", "fait à"})


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    words = [re.escape(fold(c)) + (r"(?!\w)" if c in _WHOLE_WORD_CUES else "") for c in cues]
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})")


CUE_WINDOW = 150  # chars before a date searched for cues: one clause, on the date's own line
TIE_BEFORE = 300  # a norm this far before a cued date is the one it speaks of
TIE_AFTER = 120  # ... or this far after ("El 22 de abril se publicó el Decreto Supremo ...")


@dataclass(frozen=True)
class Found:
    value: dt.date
    raw: str
    start: int
    end: int
    dateline: bool = False
    kind: DateKind | None = None
    norm: str = ""


def _words_date(m: re.Match[str]) -> dt.date | None:
    day = NUMBER_WORDS.get(" ".join(fold(m["dw"]).split()))
    tail = " ".join(fold(m["yw"]).split())[len("dos mil") :].strip()
    year_tail = NUMBER_WORDS.get(tail, 0 if not tail else -1)
    if day is None or year_tail < 0:
        return None
    return _date(2000 + year_tail, MONTHS[fold(m["m"])], day)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric(m: re.Match[str], month_first: bool) -> dt.date | None:
    """ "25/06/2012" day first, "06/25/2012" month first; when one part is over 12 the date says
    its own order, whatever the country's habit."""
    first, second, year = int(m["p1"]), int(m["p2"]), int(m["y"])
    day, month = (second, first) if month_first else (first, second)
    return _date(year, month, day) or _date(year, day, month)


def _value(name: str, m: re.Match[str], today: dt.date | None, month_first: bool) -> dt.date | None:
    if name == "words":
        return _words_date(m)
    if name == "numeric":
        return _numeric(m, month_first)
    month = MONTHS.get(m["m"].lower(), 0)
    if name == "weekday":
        if today is None:
            return None
        value = _date(today.year, month, int(m["d"]))
        return (
            value if value is None or value <= today else _date(today.year - 1, month, int(m["d"]))
        )
    return _date(int(m["y"]), month, int(m["d"]))


def find_phrases(
    text: str, today: dt.date | None = None, month_first: bool = False
) -> Iterator[Found]:
    """Every date phrase in `text`, in order, overlaps removed (the earlier pattern wins).
    `month_first` reads "06/25/2012" as the Philippines and the United States write it."""
    hits: list[Found] = []
    # The spans taken so far, sorted and disjoint: a new match overlaps one only if it overlaps
    # the last span starting before its end (one bisect, not a scan of every span).
    starts: list[int] = []
    ends: list[int] = []
    for name, rx in PATTERNS:
        for m in rx.finditer(text):
            at = bisect.bisect_left(starts, m.end())
            if at and ends[at - 1] > m.start():
                continue
            value = _value(name, m, today, month_first)
            if value is not None:
                starts.insert(at, m.start())
                ends.insert(at, m.end())
                before = text[max(0, m.start() - 60) : m.start()]
                dateline = bool(_DATELINE_BEFORE.search(before)) and (
                    "\n" in before or m.start() <= 60
                )
                hits.append(Found(value, m[0], m.start(), m.end(), dateline))
    yield from sorted(hits, key=lambda f: f.start)


def _last_cue(window: str, cues: re.Pattern[str]) -> int:
    return max((m.start() for m in cues.finditer(window)), default=-1)


def _kind(text: str, f: Found, heading_before: bool) -> DateKind | None:
    # Cues count on the date's own line: "Publié le 22 février 2017" says nothing of the next
    # line's date, nor does "Le texte promulgué ..." of the dateline two lines below it.
    window = max(0, f.start - CUE_WINDOW)
    line_start = text.rfind("\n", window, f.start) + 1
    before = fold(text[max(line_start, window) : f.start])
    after = fold(text[f.end : f.end + 60].split("\n", 1)[0])
    if f.raw.lower().startswith("a lo"):  # the signature line's words form
        return DateKind.ISSUED
    issued, gazette = _last_cue(before, _ISSUED_RE), _last_cue(before, _GAZETTE_RE)
    if issued >= 0 or gazette >= 0:
        return DateKind.ISSUED if issued > gazette else DateKind.GAZETTE
    if _GAZETTE_RE.search(after):
        return DateKind.GAZETTE
    if _SIGNATURE_AFTER.match(after):
        return DateKind.ISSUED
    if not f.dateline:
        return None
    # "RESOLUCIÓN MINISTERIAL N° 0159-2019-JUS\n\nLima, 25 de abril de 2019": the norm's own date
    if heading_before:
        return DateKind.ISSUED
    # a gazette's masthead a few lines above its dateline: the issue's date
    return DateKind.GAZETTE if _MASTHEAD_RE.search(fold(text[window : f.start])) else None


# What joins a citation to its date: ", de", " du", " of", ", dated".
_CITATION_JOIN = re.compile(r",?\s{1,2}(?:de|du|del|of|dated|de fecha)\s{1,2}", re.I)
_JOIN_CHARS = 16
_ISSUED_RE = _cue_pattern(ISSUED_CUES)
_GAZETTE_RE = _cue_pattern(GAZETTE_CUES)
_MASTHEAD_RE = _cue_pattern(GAZETTE_NAMES)
# Brazil's signature line: "Brasília, 24 de julho de 2019; 198º da Independência e 131º da
# República." The date before the years of the Independence is the decree's own.
_SIGNATURE_AFTER = re.compile(r";?\s{0,2}\d{3}[º°o]?\s{1,2}da\s{1,2}independencia")


def _is_heading(text: str, n: NormMention) -> bool:
    return n.start == 0 or text[max(0, n.start - 1)] == "\n"


class _Norms:
    """The norms of a text by position, and those that head a line, built once per text so that
    each date finds its neighbours by bisection: a gazette of 400 KB names thousands of norms
    and dates, and a scan of every norm per date was quadratic."""

    def __init__(self, text: str, norms: Sequence[NormMention]) -> None:
        self.all = sorted(norms, key=lambda n: n.start)  # stable: equal starts keep their order
        self.starts = [n.start for n in self.all]
        self.headings = [n for n in self.all if _is_heading(text, n)]
        self.heading_starts = [n.start for n in self.headings]
        # The longest mention: a norm ending near a point starts at most this much before it.
        self.reach = max((n.end - n.start for n in self.all), default=0)

    def ending_near(self, at: int, within: int, headings: bool = False) -> list[NormMention]:
        """Norms (or headings) that may end within `within` chars before `at` or contain it, in
        order: a superset, each caller tests its own condition."""
        pool, starts = (self.headings, self.heading_starts) if headings else (self.all, self.starts)
        low = bisect.bisect_left(starts, at - within - self.reach)
        return pool[low : bisect.bisect_right(starts, at)]

    def first_from(self, at: int, headings: bool = False) -> NormMention | None:
        """The first norm (or heading) starting at or after `at`."""
        pool, starts = (self.headings, self.heading_starts) if headings else (self.all, self.starts)
        index = bisect.bisect_left(starts, at)
        return pool[index] if index < len(pool) else None


def _tie(f: Found, kind: DateKind, norms: _Norms) -> str:
    if kind is DateKind.ISSUED and f.raw.lower().startswith("a lo"):
        # the signature closes the text of the last norm heading above it
        above = bisect.bisect_right(norms.heading_starts, f.start)
        last = next((n for n in reversed(norms.headings[:above]) if n.end <= f.start), None)
        return last.key if last else ""
    near = norms.ending_near(f.start, TIE_BEFORE)
    before = [n for n in near if 0 <= f.start - n.end <= TIE_BEFORE]
    if before:
        return before[-1].key
    after = norms.first_from(f.end)
    if after is not None and after.start - f.end <= TIE_AFTER:
        return after.key
    if kind is DateKind.GAZETTE and f.dateline:  # a page header: the first heading below it
        below = norms.first_from(f.end, headings=True)
        return below.key if below else ""
    return ""


def _cited_with(text: str, f: Found, norms: _Norms) -> str:
    """The key of the norm whose citation carries the date: inside it (a grammar that reads
    "Loi n° 2014-388 du 20 juin 2014" whole) or right after it ("Decreto nº 9.937, de 24 de julho
    de 2019", "Loi n° 2014-388 du 20 juin 2014"): a citation's date is its issue date."""
    for n in norms.ending_near(f.start, _JOIN_CHARS):
        if n.start <= f.start < n.end:
            return n.key
        if 0 <= f.start - n.end <= _JOIN_CHARS and _CITATION_JOIN.fullmatch(text[n.end : f.start]):
            return n.key
    return ""


def classify_phrases(
    text: str,
    norms: Sequence[NormMention] = (),
    today: dt.date | None = None,
    month_first: bool = False,
) -> Iterator[Found]:
    """find_phrases, each with its kind (issued, gazette or None) and the norm it belongs to."""
    index = _Norms(text, norms)
    for f in find_phrases(text, today, month_first):
        if cited := _cited_with(text, f, index):
            yield replace(f, kind=DateKind.ISSUED, norm=cited)
            continue
        heading_before = any(
            0 <= f.start - n.end <= TIE_BEFORE
            for n in index.ending_near(f.start, TIE_BEFORE, headings=True)
        )
        kind = _kind(text, f, heading_before)
        yield replace(f, kind=kind, norm=_tie(f, kind, index) if kind else "")
