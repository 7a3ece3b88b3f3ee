"""Extract stage, norm grammars: the shape of a printed norm identifier, built from small named
fragments. Takes one grammar's data (its year forms, markers, months, issuer rules); gives the
regex source of a typed mention and of one more item of a plural list.

Every quantifier is bounded or runs over a character class that cannot overlap its neighbour
(possessive where it matters), so matching stays linear on adversarial text. The group names are
the contract with norms.py: NUMBER_GROUPS, the year groups and the issuer groups below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.extract.spelling import alternation, spelling_pattern

# Whichever of these matched holds the number: number-first with a year ("number"), without one
# ("numberb"), after a year ("nfh": 2014-388, "nfs": 2014/388, "nyh": 93-16, "nys": 23/027), or
# after the issuer ("npre": SNPD-025-2017, "npre2": UAFE-DG-VR-2017-0026).
NUMBER_GROUPS = ("number", "numberb", "nfh", "nfs", "nyh", "nys", "npre", "npre2")
# A plausible four-digit year where a year may come first: "2014-388" is a year and a number,
# "2188-SE-2014" is not (2188 is no year).
_YEAR4 = r"(?:1[89]|20)[0-9]{2}"


def number_pattern(name: str, raw: Mapping[str, Any]) -> str:
    """A norm number: digits, a capital prefix the newer gazette systems add ("D000040",
    "F-617"), digits grouped by thousands where the country prints them ("9.937", "21.366"),
    and a letter suffix where the country numbers so ("052-B/2003", "10-A/2020", "001B")."""
    grouped = "".join(
        rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}}){{1,2}}(?![0-9])|"
        for sep in raw.get("thousands", [])
    )
    suffix = r"(?:-?(?-i:[A-Z])(?![^\W\d_]))?" if raw.get("number_suffix", False) else ""
    body = rf"{grouped}(?-i:[A-Z]{{1,2}})-?[0-9]{{1,7}}|[0-9]{{1,7}}"
    # Never followed by more digits or "31.405"-style grouping, which would be another number.
    return rf"(?P<{name}>(?:{body}){suffix})(?![0-9]|[.,][0-9])"


def _words_fragment(words: Sequence[str]) -> str:
    """ "0159 de 2019", "No. 5 of 2015", "Nomor 39 Tahun 1999", "No. 70, s. 2018", "(S. 2018)"."""
    return (
        rf"(?:,\s{{0,2}}|\s{{0,3}}(?P<yparen>\()|\s{{1,3}})(?:{alternation(words)})\s{{0,3}}"
        r"(?P<yw>[0-9]{4})(?![0-9])(?(yparen)\)?)"
    )


def year_fragment(forms: Sequence[str], months: str, words: Sequence[str]) -> str:
    """The ways a year follows a number, per the grammar's `year_forms`."""
    parts = []
    if "hyphen" in forms:
        # "004-2021", "109 -2020" (space before the hyphen, El Peruano's sumario), and the
        # legislative period "011-2025-2026-CR" whose second year is kept as a flag only.
        # A doubled hyphen is a typo seen in the press ("Decreto 17--2025").
        parts.append(
            r"\s{0,2}-{1,2}\s{0,2}(?P<yh>[0-9]{4})(?![0-9])(?:-(?P<yr>[0-9]{4})(?![0-9]))?"
        )
        # Two-digit years on norms before 2000: "D.S. N° 017-93-JUS". No spaces: "31405 - 20"
        # in running text is not a year.
        parts.append(r"-(?P<ys>[0-9]{2})(?![0-9])")
        # SPIJ prints "Nº 00019 2026-SUNASS-CD": a space for the hyphen, safe only before "-".
        parts.append(r"\s(?P<ysp>[0-9]{4})(?=\s?-)")
    if "de" in forms:
        # "0159 de 2019", "1066 del 2015", and Colombia's "1066 del 26 de mayo de 2015".
        date = rf"(?:[0-9]{{1,2}}\s{{1,3}}de\s{{1,3}}(?:{months})\s{{1,3}}del?\s{{1,3}})?"
        parts.append(rf"\s{{1,3}}del?\s{{1,3}}{date}(?P<yd>[0-9]{{4}})(?![0-9])")
    if "slash" in forms:
        # "10.815/2021", "Lei 13.709/18", "DECRETO 99/19"; with "slash-0yy", Uruguay's "94/010"
        # (= 2010), which elsewhere is no year ("loi n° 23/027" is Congo's 2023 law 27).
        three = r"|(?P<ys3>0[0-9]{2})" if "slash-0yy" in forms else ""
        parts.append(rf"\s?/\s?(?:(?P<ysl>{_YEAR4}){three}|(?P<ys2>[0-9]{{2}}))(?![0-9])")
    if "space" in forms:
        # Honduras's portal lists "DECRETO 104 2024": a space for the hyphen before a year.
        parts.append(rf"\s(?P<yspace>{_YEAR4})(?![0-9]|\s?[-/.,][0-9])")
    if "words" in forms and words:
        parts.append(_words_fragment(words))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def year_first_fragment(forms: Sequence[str], suffix: str) -> str:
    """A year before the number: "Loi n° 2014-388" (CI, ML, NE), "2020-0087/P-RM", "N°2014 388",
    "Loi n° 23/027" (DR Congo: 2023, number 27), "ordonnance n° 93-16" (Niger, 1993)."""
    parts = []
    if "year-hyphen" in forms:
        parts.append(rf"(?P<yfh>{_YEAR4})(?:\s?-\s?|\s)(?P<nfh>[0-9]{{1,5}}{suffix})(?![0-9])")
    if "year-slash" in forms:
        parts.append(rf"(?P<yfs>{_YEAR4})\s?/\s?(?P<nfs>[0-9]{{1,5}}{suffix})(?![0-9])")
    # Two-digit years take at most three-digit numbers: "08/2003" is number 8 of 2003.
    if "yy-hyphen" in forms:
        parts.append(rf"(?P<yyh>[0-9]{{2}})-(?P<nyh>[0-9]{{1,3}}{suffix})(?![0-9])")
    if "yy-slash" in forms:
        parts.append(rf"(?P<yys>[0-9]{{2}})\s?/\s?(?P<nys>[0-9]{{1,3}}{suffix})(?![0-9])")
    if "prefix" in forms:
        parts.append(prefix_issuer_fragment())
    return "|".join(parts)


def prefix_issuer_fragment() -> str:
    """The issuing unit first, as Ecuador's Registro Oficial prints most agencies' acts: "Acuerdo
    No. SNPD-025-2017" (number, then year), "Resolución No. UAFE-DG-VR-2017-0026" (year, then
    number), maybe closed by the act's letter ("MJDHC-CGAJ-2018-0103-A"), which is dropped."""
    unit = r"(?-i:[A-Z]{2,12}(?:-[A-Z]{2,12}){0,3})"
    order = (
        rf"(?P<npre>[0-9]{{1,5}})-(?P<ypre>{_YEAR4})|(?P<ypre2>{_YEAR4})-(?P<npre2>[0-9]{{1,5}})"
    )
    return rf"(?P<ipre>{unit})-(?:{order})(?![0-9])(?:-(?-i:[A-Z])(?![^\W\d_]))?"


def middle_issuer_fragment() -> str:
    """The issuer between number and year: "Acuerdo No. 2188-SE-2014" (Honduras), "Resolución No.
    077-DPE-CGAJ-2019" (Ecuador), "NOM-004-SSA1-2013" (Mexico). Capitals only, so "2014-de-2015"
    is not one."""
    segment = r"(?-i:[A-Z][A-Z0-9]{0,11})"
    with_year = rf"-(?P<imid>{segment}(?:-{segment}){{0,3}})-(?P<ymid>{_YEAR4})(?![0-9])"
    # Without its year the issuer ends the identifier: "NOM-035-STPS sobre los Factores".
    alone = r"-(?P<iend>(?-i:[A-Z][A-Z0-9]{1,11}))(?![-\w])"
    return f"(?:{with_year}|{alone})"


def issuer_fragment(name: str, spaced: Sequence[str], extra: str = "", gaps: bool = False) -> str:
    """An issuer starts with a letter (so "-2026" is never one) and runs over segments joined by
    "-", "/" or "." ("JUS/PGE-GG", "EF/50.01", "MJDH/MEMD/MIS"). Known issuers with a space come
    first ("PERÚ COMPRAS-JEFATURA", "KOMNAS HAM"). `extra` adds characters to a segment ("&" in
    DR Congo's "J&DH"); `gaps` allows a space after a slash ("CAB/ VPM/METPS/2015", as its
    gazette sets it). Possessive: a segment never gives characters back."""
    char = rf"(?:[^\W_]|[{re.escape(extra)}])" if extra else r"[^\W_]"
    head = "|".join([spelling_pattern(s) for s in spaced] + [rf"[^\W\d_]{char}*+"])
    sep = r"(?:[-.]|/\s?)" if gaps else r"[-/.]"
    return rf"(?P<{name}>(?:{head})(?:{_NOT_A_FILE_EXTENSION}{sep}{char}++){{0,8}}+)"


# A file name is not part of the issuer: gob.pe lists a norm's PDF as "RM 0255-2020-JUS.pdf", and
# read as issuer "JUS.PDF" it made the linker call the norm a typo of itself (issue 13).
_NOT_A_FILE_EXTENSION = (
    r"(?!\.(?i:pdf|docx?|xlsx?|odt|rtf|txt|html?|zip|rar|jpe?g|png|gif|tiff?)(?![^\W_]))"
)


def date_fragment(intro: Sequence[str], months: str) -> str:
    """A date printed after the identifier: "du 20 juin 2014", ", de 24 de julho de 2019",
    "de 27/12/2023", "of 25 November 2010", "of January 12, 2018", Spain's "de 1 de octubre"
    (the year is in the number). Empty when the grammar prints no such date."""
    if not intro:
        return ""
    dmy = (
        rf"(?P<dd>[0-9]{{1,2}})(?:er|[°º])?\s{{1,3}}(?:de\s{{1,3}})?(?P<mm>{months})(?!\w)"
        rf"(?:\s{{0,3}}(?:del?\s{{0,3}}|,\s{{0,2}})?(?P<ydate>[0-9]{{4}})(?![0-9]))?"
    )
    mdy = (
        rf"(?P<mm2>{months})\s{{1,3}}(?P<dd2>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s{{1,3}}"
        r"(?P<ydate2>[0-9]{4})(?![0-9])"
    )
    numeric = r"(?P<dd3>[0-9]{1,2})[./](?P<mo3>[0-9]{1,2})[./](?P<ydate3>[0-9]{4})(?![0-9])"
    return rf"(?:,?\s{{1,3}}(?:{alternation(intro)})\s{{1,3}}(?:{dmy}|{mdy}|{numeric}))?"


def tail_pattern(raw: Mapping[str, Any], markers: str, months: str) -> str:
    """Marker, number, year, issuer and date: the part shared by a typed mention and a list item.
    A year may come before the number or after it; an issuer after a year, in the middle, or
    alone after a slash ("Ordenanza Nº 604/MM", "N°972/MJDH/MEMD/MIS")."""
    forms = list(raw["year_forms"])
    suffix = r"(?:-?(?-i:[A-Z])(?![^\W\d_]))?" if raw.get("number_suffix", False) else ""
    year = year_fragment(forms, months, raw.get("year_words", []))
    first = year_first_fragment(forms, suffix)
    with_year = (
        f"(?:{first}|{number_pattern('number', raw)}{year})"
        if first
        else (f"{number_pattern('number', raw)}{year}")
    )
    without = [middle_issuer_fragment()] if "middle" in forms else []
    after_year = ""
    if raw.get("issuer_suffix", False):
        spaced = list(raw.get("spaced_issuers", []))
        extra, gaps = str(raw.get("issuer_chars", "")), bool(raw.get("issuer_gaps", False))
        # "168 - 2022 - MINAM": a space after the separator only before capitals, so that
        # "004-2021 - the decree" keeps no issuer.
        gap = r"(?:\s(?=(?-i:[A-Z]{2})))?"
        issuer = issuer_fragment("issuer", spaced, extra, gaps)
        after_year = rf"(?:\s?(?P<isep>[-/]){gap}{issuer})?"
        # Without a year only a slash introduces an issuer.
        without.append(rf"/{issuer_fragment('issuer_b', spaced, extra, gaps)}")
    rest = f"(?:{'|'.join(without)})?" if without else ""
    core = rf"(?:{with_year}{after_year}|{number_pattern('numberb', raw)}{rest})"
    # Honduras's portal puts the issuing body after the marker: "ACUERDO NO. FGR 001 2025".
    body = (
        r"(?:(?P<mbody>(?-i:[A-Z]{2,12}))\s{1,3}(?=[0-9]))?"
        if raw.get("body_after_marker", False)
        else ""
    )
    tail = rf"(?:(?P<marker>{markers})\s{{0,3}}{body})?{core}"
    return tail + date_fragment(raw.get("date_words", []), months)
