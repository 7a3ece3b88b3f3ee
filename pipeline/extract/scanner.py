"""Extract stage, norm grammars: which grammar reads a country, which grammars share a language,
and the one pass over a text that finds where any of them could start a mention.

    grammar_for("HN")          Honduras's own grammar (grammars/hn.toml)
    grammar_for("CL")          Chile has none: the generic grammar of its language (Spanish)
    grammars_of_language("fr") every French grammar (CI, BF, ML, NE, CD) and the generic French
    scanner_for(grammars)      one compiled scanner for all of them

A scanner is one regex over the union of the grammars' type spellings, dispatched by their first
letter: at a word start the engine tries only the spellings that begin with the letter there.
Each grammar then matches its full pattern at the positions found, and only there: the text is
read once per language, however many countries share it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pipeline.extract.countries import country_languages, require_country
from pipeline.extract.grammar import GRAMMAR_DIR, Grammar, load_grammar
from pipeline.extract.language import LANGUAGES
from pipeline.extract.spelling import ACCENTS, atoms, case_sensitive, fold


def generic_language(country: str) -> str:
    """The language whose generic grammar serves a country without its own: the first of its
    official languages (CLDR order) that has one, else English."""
    return next((lang for lang in country_languages(country) if lang in LANGUAGES), "en")


@functools.cache
def grammar_for(country: str) -> Grammar:
    """The grammar that reads norms of `country` (any ISO 3166-1 alpha-2 code): its own file if
    it has one, else the generic grammar of its language. ValueError for a code that is no
    country, with a one-line message naming it."""
    cc = require_country(country)
    if (GRAMMAR_DIR / f"{cc.lower()}.toml").is_file():
        return load_grammar(cc)
    return load_grammar(f"generic/{generic_language(cc)}")


@functools.cache
def grammars_of_language(language: str) -> tuple[Grammar, ...]:
    """Every grammar of one language, countries' own first (sorted), the generic one last. A
    language without grammars is read by the English ones."""
    lang = language.strip().lower()
    own = [load_grammar(path.stem) for path in sorted(GRAMMAR_DIR.glob("*.toml"))]
    mine = [g for g in own if g.language == lang]
    if lang in LANGUAGES:
        return (*mine, load_grammar(f"generic/{lang}"))
    return tuple(mine) or grammars_of_language("en")


def _first_chars(first: str, keep_case: bool) -> str:
    if keep_case or not first.isalpha():
        return first
    letters = ACCENTS.get(first, first)
    variants = set(letters.strip("[]")) | {first}
    return "".join(sorted(variants | {v.upper() for v in variants}))


def _branches(spellings: Iterable[str]) -> list[str]:
    """Per first letter, that letter (as a class of its cases and accents) and the rest of every
    spelling that starts with it, as a lookahead. Capital abbreviations keep their case ("DS" is
    a type, "ds" is not); the rest ignore it."""
    rests: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for spelling in spellings:
        keep = case_sensitive(spelling)
        folded = fold(spelling).upper() if keep else fold(spelling)
        rests[(folded[0], keep)].add("".join(atoms(folded)[1:]))
    branches = []
    for (first, keep), tails in sorted(rests.items()):
        alt = "|".join(sorted(tails, key=lambda t: (-len(t), t)))
        look = f"(?={alt})" if keep else f"(?i:(?={alt}))"
        branches.append(f"[{re.escape(_first_chars(first, keep))}]{look}")
    return branches


class Scanner:
    """Where a mention of any of some grammars could start: word starts that open one of their
    type spellings. Never misses one (every grammar's pattern starts with a spelling it knows and
    the same word-edge test), may offer a few that no full pattern accepts."""

    def __init__(self, spellings: Iterable[str]) -> None:
        branches = _branches(spellings)
        # Each branch opens with its first letter's class, which the regex engine tests before
        # entering the branch, so a position costs one word-edge test and a few class lookups.
        # A branch consumes that letter only, so a spelling that starts inside another ("Ley"
        # in "Decreto Ley") is offered too.
        pattern = rf"(?<![\w./-])(?:{'|'.join(branches)})" if branches else "(?!)"
        self.pattern = re.compile(pattern)

    def candidates(self, text: str) -> list[int]:
        return [match.start() for match in self.pattern.finditer(text)]


@functools.cache
def scanner_for(grammars: Sequence[Grammar]) -> Scanner:
    return Scanner(dict.fromkeys(s for g in grammars for s in g.scan_spellings))
