"""Extract stage, norm grammars: how one printed spelling becomes a tolerant regex. Takes the
spellings a grammar file lists ("Resolución Ministerial", "R.M.", "Arrêté", "DS"); gives regex
source text and the folded form that compares two spellings.

Pure string work, no grammar knowledge: grammar.py and scanner.py build on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Letters whose accented forms must match the plain spelling: real pages mix "Resolución",
# "RESOLUCION" and the encoding artifact "RESOLUCIóN" for one type, French gazettes print
# "Arrêté" and "ARRETE", Portuguese ones "Resolução" and "RESOLUCAO".
ACCENTS = {
    "a": "[aáàâäã]",
    "e": "[eéèêë]",
    "i": "[iíìîï]",
    "o": "[oóòôöõ]",
    "u": "[uúùûü]",
    "c": "[cç]",
    "n": "[nñ]",
}
# The degree sign, the ordinal indicator and the ring above are typed interchangeably after "N".
DEGREE = "[°º˚]"


def fold(text: str) -> str:
    """Comparable form of a spelling: no accents, lower case, single spaces, none after dots."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[°º˚]", "°", plain)
    return re.sub(r"\.\s+", ".", " ".join(plain.split()))


def atoms(folded: str, accents: Mapping[str, str] = ACCENTS) -> list[str]:
    """One regex atom per character of a folded spelling, tolerant of spacing and accents."""
    out: list[str] = []
    for i, char in enumerate(folded):
        if char == "." and i < len(folded) - 1:
            out.append(r"\.\s{0,2}")  # "R.M." and "R. M." are one spelling
        elif char == " ":
            out.append(r"\s{1,3}")  # the gazette header breaks "DECRETO\nSUPREMO" across lines
        elif char == "°":
            out.append(DEGREE)
        else:
            out.append(accents.get(char, re.escape(char)))
    return out


def spelling_pattern(spelling: str, keep_case: bool = False) -> str:
    """A regex for one spelling, tolerant of accents, of spaces after dots and of line breaks."""
    folded = fold(spelling).upper() if keep_case else fold(spelling)
    return "".join(atoms(folded))


def verb_pattern(spelling: str) -> str:
    """Verbs keep their accents: "amplía" is a verb, "amplia" an adjective, "prórroga" a noun."""
    return "".join(atoms(" ".join(spelling.lower().split()), {}))


def alternation(spellings: Iterable[str], keep_case: bool = False) -> str:
    """Longest spelling first, so "Resolución Ministerial" wins over "Resolución". An empty list
    gives a pattern that never matches (not the empty pattern, which always would)."""
    ordered = sorted(set(spellings), key=lambda s: (-len(fold(s)), s))
    return "|".join(spelling_pattern(s, keep_case) for s in ordered) or "(?!)"


def case_sensitive(spelling: str) -> bool:
    """Bare capital abbreviations ("DS", "RM", "PCM") are other words when lower case."""
    return "." not in spelling and " " not in spelling and spelling.isupper()


def type_alternation(spellings: Iterable[str]) -> str:
    """Case-sensitive capital abbreviations first, then every other spelling case-insensitively
    (the pattern using it is compiled with IGNORECASE)."""
    spellings = list(spellings)
    sensitive = [s for s in spellings if case_sensitive(s)]
    loose = [s for s in spellings if not case_sensitive(s)]
    parts = [rf"(?-i:{alternation(sensitive, keep_case=True)})"] if sensitive else []
    return "|".join([*parts, alternation(loose)])
