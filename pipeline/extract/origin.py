"""Extract stage, a document's country: what the caller knows (`--country`, the source's country)
or else the URL's host and the page's text → a `DocumentCountry`, with how it was told.

A cascade from certain to inferred, like the dates': given → source → host → text → undetermined.
A government domain (gob.mx, gov.co, gouv.ci) settles it. A plain country code (.hn, .pe) does,
unless the text clearly names another country, by more than its capital, and never its own, and
the page is not in its host's language about a country that does not speak it: press and NGOs
write about other countries (ISHR's pages on Honduras live on ishr.ch). The text counts the
country's names (CLDR's, in the four languages), its capital or seat of government where a
dateline puts it, and its official gazette, near the top; one country must clearly lead. Nothing
is guessed: a page that names several countries, or none, is undetermined, and its norms are then
read with every grammar of its language for review.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.extract.countries import (
    all_countries,
    country_languages,
    country_name,
    country_names,
    is_country,
)
from pipeline.extract.spelling import fold
from pipeline.models import CountryMethod, DocumentCountry

CUES_FILE = Path(__file__).resolve().parent / "countrycues.toml"
# Weights of what a text says: a gazette names one state's official journal; a capital heads a
# dateline ("Tegucigalpa, M.D.C., 15 de mayo"); a country's name is also said of its neighbours.
W_GAZETTE, W_CAPITAL, W_NAME = 3.0, 2.0, 1.0
# A country is told from the text when it scores this much (two mentions of its name, or its
# capital in a dateline, or its gazette) and more than twice as much as any other country.
MIN_SCORE = 2.0
LEAD_FACTOR = 2.0
# A capital is also a surname or a word ("Nísia Trindade Lima", Brazil's minister): it counts
# only where a dateline puts it, opening a line or after "en/em/in/à", and followed by a comma
# (a colon in French typography: "Kinshasa : la RDC ...").
_DATELINE_BEFORE = re.compile(r"(?<!\w)(?:en|em|in|à)\s{1,3}$", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"\.?\s?[,:]")
# The title and the top of the text: where a page says where it is from and what it is about.
TEXT_CHARS = 5000
# How far into the main text a heading may start and still be the title's copy (a page's <h1>,
# or the title extract_document put at the head of a text that lacked it): counted once.
TITLE_WINDOW = 300
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Cue:
    code: str
    weight: float
    phrase: str  # as the cue list writes it, for the detail
    kind: str = "name"  # name | capital | gazette


@dataclass(frozen=True)
class Cues:
    government_labels: frozenset[str]
    vanity_tlds: frozenset[str]
    second_levels: frozenset[str]
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], tuple[Cue, ...]], ...]]  # first word → …


def _phrases(raw: Mapping[str, Any]) -> dict[tuple[str, ...], dict[str, Cue]]:
    ambiguous = {fold(n) for n in raw.get("ambiguous_names", [])}
    found: dict[tuple[str, ...], dict[str, Cue]] = defaultdict(dict)

    def add(code: str, phrases: Iterable[str], weight: float, kind: str) -> None:
        for phrase in phrases:
            tokens = tuple(fold(w) for w in _WORD.findall(phrase))
            if tokens and " ".join(tokens) not in ambiguous:
                current = found[tokens].get(code)
                if current is None or current.weight < weight:
                    found[tokens][code] = Cue(code, weight, phrase, kind)

    table = raw.get("countries", {})
    for code in all_countries():
        extra = table.get(code, {})
        add(code, [*country_names(code), *extra.get("names", [])], W_NAME, "name")
        add(code, extra.get("capitals", []), W_CAPITAL, "capital")
        add(code, extra.get("gazettes", []), W_GAZETTE, "gazette")
    return found


@functools.cache
def cues() -> Cues:
    """The cue list, read and indexed once per process."""
    with CUES_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[Cue, ...]]]] = defaultdict(list)
    for tokens, owners in _phrases(raw).items():
        # A phrase several countries share ("La Gaceta") counts for each of them in part.
        shared = tuple(
            Cue(c.code, c.weight / len(owners), c.phrase, c.kind) for c in owners.values()
        )
        by_first[tokens[0]].append((tokens, shared))
    for entries in by_first.values():
        entries.sort(key=lambda entry: -len(entry[0]))  # longest first: "Guinea Ecuatorial"
    return Cues(
        frozenset(raw["government_labels"]),
        frozenset(raw["vanity_tlds"]),
        frozenset(raw["second_levels"]),
        {first: tuple(entries) for first, entries in by_first.items()},
    )


def _name(code: str) -> str:
    return country_name(code) or code


# --- the host ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HostHint:
    code: str
    government: bool
    detail: str


def host_country(url: str) -> HostHint | None:
    """The country a URL's host belongs to, if its domain says so."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host or _is_address(host):
        return None
    labels = host.split(".")
    tld, second = labels[-1], (labels[-2] if len(labels) > 1 else "")
    if tld in ("gov", "mil"):  # the United States' own top-level domains
        return HostHint("US", True, f"host {host}: a government domain of the United States")
    code = "GB" if tld == "uk" else tld.upper()
    if len(tld) != 2 or not is_country(code):
        return None
    known = cues()
    if second in known.government_labels:
        return HostHint(code, True, f"host {host}: a government domain of {_name(code)}")
    if tld in known.vanity_tlds and second not in known.second_levels:
        return None  # ".co", ".tv", ".io" are sold worldwide
    return HostHint(code, False, f"host {host}: the country code of {_name(code)} (.{tld})")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


# --- the text ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextReading:
    scores: Mapping[str, float]
    said: Mapping[str, tuple[str, ...]]  # code → the cues found, as the list writes them
    kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)  # code → name, capital, ...

    def leader(self) -> str:
        """The country the text clearly points to, or ""."""
        ranked = sorted(self.scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < MIN_SCORE:
            return ""
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0] if ranked[0][1] > LEAD_FACTOR * runner_up else ""

    def capital_only(self, code: str) -> bool:
        """Whether the text names the country by its capital alone (no name, no gazette)."""
        return self.kinds.get(code, frozenset()) <= {"capital"}

    def describe(self, code: str) -> str:
        names = list(dict.fromkeys(self.said.get(code, ())))
        counts = {n: self.said[code].count(n) for n in names}
        return ", ".join(f"{n} ×{counts[n]}" if counts[n] > 1 else n for n in names)


def read_text(title: str, text: str) -> TextReading:
    """What the title and the top of the text say about countries. A cue counts only when its
    first word is capitalised as a name is ("Chile", not a dish's "chile"), a capital only in a
    dateline's place ("Lima, 22 de abril", "en Lima,"; not the surname in "Nísia Trindade Lima")."""
    index = cues().phrases
    scores: dict[str, float] = defaultdict(float)
    said: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, set[str]] = defaultdict(set)
    title_words = [fold(w) for w in _WORD.findall(title)]
    for n, part in enumerate((title, text[:TEXT_CHARS])):
        spans = [m.span() for m in _WORD.finditer(part)]
        folded = [fold(part[a:b]) for a, b in spans]
        copy = _title_copy(title_words, folded, spans) if n else range(0)
        i = 0
        while i < len(spans):
            if i in copy:
                i = copy.stop
                continue
            hit = _match(index, folded, i) if part[spans[i][0]].isupper() else None
            if hit is None:
                i += 1
                continue
            tokens, owners = hit
            dateline = _in_dateline(part, spans[i][0], spans[i + len(tokens) - 1][1])
            for cue in owners:
                if cue.kind == "capital" and not dateline:
                    continue
                scores[cue.code] += cue.weight
                said[cue.code].append(cue.phrase)
                kinds[cue.code].add(cue.kind)
            i += len(tokens)
    return TextReading(
        dict(scores),
        {k: tuple(v) for k, v in said.items()},
        {k: frozenset(v) for k, v in kinds.items()},
    )


def _title_copy(title: list[str], folded: list[str], spans: list[tuple[int, int]]) -> range:
    """The words of the text that repeat the title at its head, so the title counts once."""
    size = len(title)
    if not size:
        return range(0)
    limit = TITLE_WINDOW + sum(len(w) + 1 for w in title)
    for i in range(len(folded) - size + 1):
        if spans[i][0] > limit:
            break
        if folded[i : i + size] == title:
            return range(i, i + size)
    return range(0)


def _in_dateline(part: str, start: int, end: int) -> bool:
    line_start = part.rfind("\n", 0, start) + 1
    before = part[max(line_start, start - 12) : start]
    opens = not part[line_start:start].strip() or bool(_DATELINE_BEFORE.search(before))
    return opens and bool(_DATELINE_AFTER.match(part, end))


def _match(
    index: Mapping[str, tuple[tuple[tuple[str, ...], tuple[Cue, ...]], ...]],
    folded: list[str],
    i: int,
) -> tuple[tuple[str, ...], tuple[Cue, ...]] | None:
    for tokens, owners in index.get(folded[i], ()):
        if tuple(folded[i : i + len(tokens)]) == tokens:
            return tokens, owners
    return None


# --- the cascade ---------------------------------------------------------------------------------
def tell_country(
    url: str, title: str, text: str, known: DocumentCountry | None = None, language: str = ""
) -> DocumentCountry:
    """The document's country: `known` when the caller has it (given, source), else its host's,
    else its text's, else undetermined. Each answer says in plain words what told it. `language`
    is the page's: a page in its host country's language is that country's unless the text names
    a country that speaks it too."""
    if known is not None and known.known:
        return known
    host = host_country(url)
    if host is not None and host.government:
        return DocumentCountry(host.code, CountryMethod.HOST, host.detail)
    reading = read_text(title, text)
    leader = reading.leader()
    if host is not None and not _text_overrules(reading, leader, host.code, language):
        return DocumentCountry(host.code, CountryMethod.HOST, host.detail)
    if leader:
        detail = f"the text names {reading.describe(leader)}"
        if host is not None:
            detail += f" (its host's country code says {_name(host.code)})"
        return DocumentCountry(leader, CountryMethod.TEXT, detail)
    return DocumentCountry("", CountryMethod.UNDETERMINED, _undetermined(reading))


def _text_overrules(reading: TextReading, leader: str, host: str, language: str) -> bool:
    """Whether the text's country beats a plain country code: it leads, the host's country is
    never named, it is named by more than its capital (a dateline may be a correspondent's), and
    the page is not in the host's language while its leader does not speak it (Agência Brasil
    writes in Portuguese; a Portuguese page about a Peruvian is still Brazil's)."""
    if not leader or leader == host or reading.scores.get(host) or reading.capital_only(leader):
        return False
    spoken = (not language) or language in country_languages(leader)
    return spoken or language not in country_languages(host)


def _undetermined(reading: TextReading) -> str:
    named = sorted(reading.scores, key=lambda code: (-reading.scores[code], code))[:4]
    if not named:
        return "no country domain, and the text names no country, capital or gazette"
    if len(named) == 1:
        (code,) = named
        times = len(reading.said.get(code, ()))
        return (
            f"no country domain, and the text names only {_name(code)}, "
            f"{'once' if times == 1 else f'{times} times'}: too little to tell"
        )
    return "no country domain, and the text names several countries: " + ", ".join(
        _name(code) for code in named
    )
