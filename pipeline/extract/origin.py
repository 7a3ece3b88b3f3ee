"""Extract stage, a document's country: what the caller knows (`--country`, the source's country)
or else the URL's host and the page's text → a `DocumentCountry`, with how it was told.

A cascade from certain to inferred, like the dates': given → source → host → text → undetermined.
A government domain (gob.mx, gov.co, gouv.ci) settles it. A plain country code (.hn, .pe) does,
unless the text clearly names another country and never its own: press and NGOs write about other
countries (ISHR's pages on Honduras live on ishr.ch). The text counts the country's names (CLDR's,
in the four languages), its capital or seat of government and its official gazette, near the top;
one country must clearly lead. Nothing is guessed: a page that names several countries, or none,
is undetermined, and its norms are then read with every grammar of its language for review.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.extract.countries import all_countries, country_name, country_names, is_country
from pipeline.models import CountryMethod, DocumentCountry

CUES_FILE = Path(__file__).resolve().parent / "countrycues.toml"
# Weights of what a text says: a gazette names one state's official journal; a capital heads a
# dateline ("Tegucigalpa, M.D.C., 15 de mayo"); a country's name is also said of its neighbours.
W_GAZETTE, W_CAPITAL, W_NAME = 3.0, 2.0, 1.0
# A country is told from the text when it scores this much (two mentions of its name, or its
# capital, or its gazette) and at least twice as much as any other country.
MIN_SCORE = 2.0
LEAD_FACTOR = 2.0
# The title and the top of the text: where a page says where it is from and what it is about.
TEXT_CHARS = 5000
_WORD = re.compile(r"\w+")
_MARKS = re.compile("[\u0300-\u036f]+")


def _fold(word: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", word.casefold()))


@dataclass(frozen=True)
class Cue:
    code: str
    weight: float
    phrase: str  # as the cue list writes it, for the detail


@dataclass(frozen=True)
class Cues:
    government_labels: frozenset[str]
    vanity_tlds: frozenset[str]
    second_levels: frozenset[str]
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], tuple[Cue, ...]], ...]]  # first word → …


def _phrases(raw: Mapping[str, Any]) -> dict[tuple[str, ...], dict[str, Cue]]:
    ambiguous = {_fold(n) for n in raw.get("ambiguous_names", [])}
    found: dict[tuple[str, ...], dict[str, Cue]] = defaultdict(dict)

    def add(code: str, phrases: Iterable[str], weight: float) -> None:
        for phrase in phrases:
            tokens = tuple(_fold(w) for w in _WORD.findall(phrase))
            if tokens and " ".join(tokens) not in ambiguous:
                current = found[tokens].get(code)
                if current is None or current.weight < weight:
                    found[tokens][code] = Cue(code, weight, phrase)

    table = raw.get("countries", {})
    for code in all_countries():
        extra = table.get(code, {})
        add(code, [*country_names(code), *extra.get("names", [])], W_NAME)
        add(code, extra.get("capitals", []), W_CAPITAL)
        add(code, extra.get("gazettes", []), W_GAZETTE)
    return found


@functools.cache
def cues() -> Cues:
    """The cue list, read and indexed once per process."""
    with CUES_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[Cue, ...]]]] = defaultdict(list)
    for tokens, owners in _phrases(raw).items():
        # A phrase several countries share ("La Gaceta") counts for each of them in part.
        shared = tuple(Cue(c.code, c.weight / len(owners), c.phrase) for c in owners.values())
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

    def leader(self) -> str:
        """The country the text clearly points to, or ""."""
        ranked = sorted(self.scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < MIN_SCORE:
            return ""
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0] if ranked[0][1] >= LEAD_FACTOR * runner_up else ""

    def describe(self, code: str) -> str:
        names = list(dict.fromkeys(self.said.get(code, ())))
        counts = {n: self.said[code].count(n) for n in names}
        return ", ".join(f"{n} ×{counts[n]}" if counts[n] > 1 else n for n in names)


def read_text(title: str, text: str) -> TextReading:
    """What the title and the top of the text say about countries. A cue counts only when its
    first word is capitalised as a name is ("Chile", not a dish's "chile")."""
    index = cues().phrases
    scores: dict[str, float] = defaultdict(float)
    said: dict[str, list[str]] = defaultdict(list)
    for part in (title, text[:TEXT_CHARS]):
        words = _WORD.findall(part)
        folded = [_fold(w) for w in words]
        i = 0
        while i < len(words):
            hit = _match(index, folded, i) if words[i][0].isupper() else None
            if hit is None:
                i += 1
                continue
            tokens, owners = hit
            for cue in owners:
                scores[cue.code] += cue.weight
                said[cue.code].append(cue.phrase)
            i += len(tokens)
    return TextReading(dict(scores), {k: tuple(v) for k, v in said.items()})


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
    url: str, title: str, text: str, known: DocumentCountry | None = None
) -> DocumentCountry:
    """The document's country: `known` when the caller has it (given, source), else its host's,
    else its text's, else undetermined. Each answer says in plain words what told it."""
    if known is not None and known.known:
        return known
    host = host_country(url)
    if host is not None and host.government:
        return DocumentCountry(host.code, CountryMethod.HOST, host.detail)
    reading = read_text(title, text)
    leader = reading.leader()
    if host is not None and (not leader or leader == host.code or reading.scores.get(host.code)):
        return DocumentCountry(host.code, CountryMethod.HOST, host.detail)
    if leader:
        detail = f"the text names {reading.describe(leader)}"
        if host is not None:
            detail += f" (its host's country code says {_name(host.code)})"
        return DocumentCountry(leader, CountryMethod.TEXT, detail)
    return DocumentCountry("", CountryMethod.UNDETERMINED, _undetermined(reading))


def _undetermined(reading: TextReading) -> str:
    named = sorted(reading.scores, key=lambda code: (-reading.scores[code], code))[:4]
    if not named:
        return "no country domain, and the text names no country, capital or gazette"
    return "no country domain, and the text names several countries: " + ", ".join(
        _name(code) for code in named
    )
