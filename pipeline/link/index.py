"""The linker's candidate lookup: which policies know a norm key, a number-year pair or an alias.

Part of the link stage (pure). Built once per link run from the policies (the store loads them),
so every lookup is a dict access: the cost of linking grows with the mentions in a document, not
with documents × policies.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..extract.norms import display_for_key, parse_key
from ..models import Policy, norm_key
from .names import Name, names_of

# Aliases are found by their first words, so a document is scanned once whatever the number of
# aliases; three words are rare enough to make false hits cheap to check.
ALIAS_PREFIX_WORDS = 3
# A title phrase found in the names of more policies than this says nothing about which one a
# document is about ("alerta temprana" in a dozen programmes): it is not evidence for any.
MAX_PHRASE_NAMES = 5


@dataclass(frozen=True)
class KnownNorm:
    policy_id: str
    key: str
    display: str
    country: str
    type: str
    number: str
    year: str
    issuer: str


@dataclass(frozen=True)
class AliasHit:
    policy_id: str
    alias: str  # the name as the entry writes it, without its date
    start: int  # offset in the folded text's word list, 0 = first word
    title: bool = False  # the entry's own title, not one of its aliases
    dated: dt.date | None = None  # the law's date written with the alias ("…, DOF: 25/06/2012")


@dataclass(frozen=True)
class PhraseHit:
    policy_id: str
    alias: str
    phrase: str  # the shared words, as the title writes them folded
    first: int = 0  # the phrase's first and last words in the title's word list
    last: int = 0


class PolicyLookup(Protocol):
    def by_key(self, key: str) -> Sequence[KnownNorm]: ...
    def by_number(self, country: str, number: str, year: str) -> Sequence[KnownNorm]: ...
    def by_type_year(self, country: str, type_: str, year: str) -> Sequence[KnownNorm]: ...
    def find_aliases(self, text: str) -> Iterator[AliasHit]: ...
    def shared_phrases(self, title: str) -> Iterator[PhraseHit]: ...
    def policy(self, policy_id: str) -> Policy: ...


# Combining marks of the Latin, Greek and Cyrillic scripts (the diacritics NFKD splits off
# "á", "ñ", "ç"): one regex pass in C is about twice as fast as a per-character table.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Protección' and 'proteccion' must meet."""
    folded = text.casefold()
    if folded.isascii():  # NFKD leaves ASCII as it is: nothing to decompose or drop
        return folded
    return _MARKS.sub("", unicodedata.normalize("NFKD", folded))


_WORD = re.compile(r"\w+")
# Words every document of a human-rights-defenders observatory shares with every policy name:
# a title sharing only these says nothing about which policy it is about. Function words too.
GENERIC_WORDS = frozenset(
    {
        # Spanish and English function words
        "de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "a", "al", "con",
        "que", "o", "u", "su", "sus", "un", "una", "the", "of", "and", "for", "to", "in", "on",
        "an", "its",
        # Portuguese and French function words
        "da", "das", "do", "dos", "no", "na", "nos", "nas", "pelo", "pela", "ao", "aos", "um",
        "uma", "des", "du", "le", "les", "l", "d", "et", "pour", "par", "au", "aux", "sur",
        # the observatory's own subject, shared by every policy and most documents, in the four
        # languages
        "derechos", "derecho", "humanos", "human", "rights", "right", "personas", "persona",
        "defensoras", "defensores", "defensora", "defensor", "defenders", "defender",
        "proteccion", "protection", "peru", "republica", "direitos", "humanas", "pessoas",
        "protecao", "droits", "homme", "defenseurs", "defenseur", "defenseures",
    }
)  # fmt: skip


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class PolicyIndex:
    """In-memory PolicyLookup over a set of policies (production and tests alike)."""

    def __init__(self, policies: Iterable[Policy]):
        self._policies: dict[str, Policy] = {}
        self._by_key: dict[str, list[KnownNorm]] = defaultdict(list)
        self._by_number: dict[tuple[str, str, str], list[KnownNorm]] = defaultdict(list)
        self._by_type_year: dict[tuple[str, str, str], list[KnownNorm]] = defaultdict(list)
        self._phrases: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        self._aliases: dict[tuple[str, ...], list[tuple[str, tuple[str, ...], Name]]] = defaultdict(
            list
        )
        self._alias_starts: set[str] = set()  # first words of aliases: where a scan may stop
        for policy in policies:
            self._add(policy)

    def _add(self, policy: Policy) -> None:
        self._policies[policy.id] = policy
        for key in policy.norms:
            country, type_, number, year, issuer = parse_key(key, policy.country)
            full = norm_key(country, type_, number, year, issuer)
            known = KnownNorm(
                policy.id, full, display_for_key(full), country, type_, number, year, issuer
            )
            self._by_key[full].append(known)
            self._by_number[(country, number, year)].append(known)
            self._by_type_year[(country, type_, year)].append(known)
        for name in names_of(policy):
            tokens = tuple(words(name.text))
            if len(tokens) >= ALIAS_PREFIX_WORDS and (not name.title or _distinctive(tokens)):
                self._aliases[tokens[:ALIAS_PREFIX_WORDS]].append((policy.id, tokens, name))
                self._alias_starts.add(tokens[0])
            for pair in _content_pairs(tokens):
                self._phrases[pair].append((policy.id, name.text))

    def by_key(self, key: str) -> Sequence[KnownNorm]:
        return self._by_key.get(key, ())

    def by_number(self, country: str, number: str, year: str) -> Sequence[KnownNorm]:
        return self._by_number.get((country, number, year), ())

    def by_type_year(self, country: str, type_: str, year: str) -> Sequence[KnownNorm]:
        return self._by_type_year.get((country, type_, year), ())

    def shared_phrases(self, title: str) -> Iterator[PhraseHit]:
        """Two consecutive distinctive words of a title found in a policy's name or alias."""
        seen: set[tuple[str, str]] = set()
        for pair, first, last in _content_pairs_at(words(title)):
            if pair in seen:
                continue
            seen.add(pair)
            named = self._phrases.get(pair, ())
            if len(named) > MAX_PHRASE_NAMES:
                continue  # shared by many policies' names, the phrase tells none of them apart
            for policy_id, alias in named:
                yield PhraseHit(policy_id, alias, " ".join(pair), first, last)

    def find_aliases(self, text: str) -> Iterator[AliasHit]:
        tokens = words(text)
        # Only where an alias could start (a set test per word, run in C by compress/map):
        # most words of a text start no alias, and building a tuple for each was the cost.
        starts = itertools.compress(
            range(len(tokens)), map(self._alias_starts.__contains__, tokens)
        )
        for i in starts:
            prefix = tuple(tokens[i : i + ALIAS_PREFIX_WORDS])
            for policy_id, alias_tokens, name in self._aliases.get(prefix, ()):
                if tuple(tokens[i : i + len(alias_tokens)]) == alias_tokens:
                    yield AliasHit(policy_id, name.text, i, name.title, name.dated)

    def policy(self, policy_id: str) -> Policy:
        return self._policies[policy_id]

    def __len__(self) -> int:
        return len(self._policies)


# An entry's title names its policy only when it says enough: "Peru: protection of environmental
# defenders" is a description any article could share; "Intersectoral Mechanism for the
# Protection of Human Rights Defenders" and "Law for the Protection of Human Rights Defenders,
# Journalists, Social Communicators and Justice Operators" are names.
MIN_TITLE_WORDS = 5
MIN_TITLE_CONTENT_WORDS = 2


def _distinctive(tokens: Sequence[str]) -> bool:
    content = sum(t not in GENERIC_WORDS for t in tokens)
    return len(tokens) >= MIN_TITLE_WORDS and content >= MIN_TITLE_CONTENT_WORDS


def _content_pairs(tokens: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Adjacent pairs once function and domain-generic words are dropped ("mecanismo
    intersectorial", "unidad funcional"): the phrases that tell one policy from another."""
    yield from itertools.pairwise(t for t in tokens if _content_word(t))


def _content_word(token: str) -> bool:
    return token not in GENERIC_WORDS and not token.isdigit() and len(token) > 2


def _content_pairs_at(tokens: Sequence[str]) -> Iterator[tuple[tuple[str, str], int, int]]:
    """The same pairs with the positions of their two words in `tokens` (titles are short)."""
    content = [i for i, t in enumerate(tokens) if _content_word(t)]
    for a, b in itertools.pairwise(content):
        yield (tokens[a], tokens[b]), a, b


def word_span(text: str, first: int, last: int) -> tuple[int, int]:
    """The characters of `text` that words[first..last] of words(text) were read from (for the
    editors' page; called only for hits, so a document without one never pays for it)."""
    folded = fold(text)
    spans = []
    for i, found in enumerate(_WORD.finditer(folded)):
        if i == first:
            spans.append(found.start())
        if i == last:
            spans.append(found.end())
            break
    if len(spans) < 2:
        return (0, 0)
    if len(folded) == len(text):  # the usual case: folding kept every character in place
        return spans[0], spans[1]
    # "ß" folds to "ss", "ﬁ" to "fi": map folded offsets back through each character's length.
    ends = list(itertools.accumulate(len(fold(ch)) for ch in text))
    return bisect.bisect_right(ends, spans[0]), bisect.bisect_left(ends, spans[1]) + 1
