"""Countries and their languages, from well-kept data: the adapter over pycountry (ISO 3166-1, the
list of countries) and Babel (CLDR: each territory's official and de facto languages, its name in
every language, how its people write dates, and dates written out in a language for the editors'
drafts).

Takes a country code as a person types it ("pe", " CI "); gives whether it names a country, its
names and its languages, and the order in which it writes numeric dates. Pure lookups, no I/O
beyond the libraries' own data files. Nothing here is a hand-written table: a country added to
ISO 3166-1 or a language change in CLDR arrives with the libraries.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import pycountry
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_date_format
from babel.languages import get_official_languages

from pipeline.extract.language import LANGUAGES

# What a code must look like before the list is asked: two ASCII letters.
_ALPHA_2 = re.compile(r"[A-Za-z]{2}")


def normalize(code: str) -> str:
    """ "pe", " CI " → "PE", "CI". Anything else comes back as typed, stripped."""
    text = code.strip()
    return text.upper() if _ALPHA_2.fullmatch(text) else text


@functools.cache
def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code of a country ("PE", "ci"); False for user-assigned or
    reserved codes ("ZZ", "XK", "EU"), names ("Peru") and anything else."""
    cc = normalize(code)
    return bool(_ALPHA_2.fullmatch(cc)) and pycountry.countries.get(alpha_2=cc) is not None


def country_name(code: str) -> str | None:
    """The country's short English name ("Côte d'Ivoire"), or None when the code is no country."""
    if not is_country(code):
        return None
    found = pycountry.countries.get(alpha_2=normalize(code))
    return None if found is None else str(getattr(found, "common_name", found.name))


@functools.cache
def country_languages(code: str) -> tuple[str, ...]:
    """The country's official and de facto languages as ISO 639 codes, most spoken first as CLDR
    orders them: "PE" → ("es", "qu"), "CA" → ("en", "fr"), "MX" → ("es",) (Spanish is official
    in fact, not in law, which is why de facto languages count). () for a code that is no country.
    Script and region variants are folded into their language ("sr_Latn" → "sr")."""
    if not is_country(code):
        return ()
    languages = get_official_languages(normalize(code), de_facto=True)
    return tuple(dict.fromkeys(str(lang).split("_")[0] for lang in languages))


def require_country(code: str) -> str:
    """The normalized code; ValueError with a one-line message naming the value otherwise."""
    if not is_country(code):
        raise ValueError(f"{code.strip()!r} is not an ISO 3166-1 alpha-2 country code")
    return normalize(code)


@functools.cache
def all_countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code, sorted."""
    return tuple(sorted(str(c.alpha_2) for c in pycountry.countries))


@functools.cache
def country_names(code: str) -> tuple[str, ...]:
    """Every name of the country in Spanish, Portuguese, French and English (CLDR's, and ISO's
    short, common and official names): "CI" → ("Côte d’Ivoire", "Costa do Marfim", ...)."""
    cc = normalize(code)
    if not is_country(cc):
        return ()
    names = [str(Locale.parse(lang).territories[cc]) for lang in LANGUAGES]
    found = pycountry.countries.get(alpha_2=cc)
    for attribute in ("name", "common_name", "official_name"):
        value = getattr(found, attribute, None)
        if value:
            names.append(str(value))
    return tuple(dict.fromkeys(names))


@functools.cache
def month_first(country: str, language: str) -> bool:
    """Whether numeric dates put the month first ("06/25/2012"), as CLDR's short date pattern of
    the country's locale says: the Philippines and the United States do, Honduras and Côte
    d'Ivoire do not. The page's language in the country first ("en_PH"), else the country's own
    languages ("es_HN" for an English page from Honduras); without a country, the language's
    own pattern (English: month first)."""
    candidates = [f"{language}_{normalize(country)}"] if country and language else []
    candidates += [f"{lang}_{normalize(country)}" for lang in country_languages(country)]
    if language:
        candidates.append(language)
    for name in candidates:
        try:
            pattern = str(get_date_format("short", locale=Locale.parse(name)).pattern)
        except (UnknownLocaleError, ValueError):
            continue
        return pattern.find("M") < pattern.find("d")
    return False


@functools.cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def country_name_in(code: str, language: str) -> str | None:
    """The country's name in a language, as CLDR writes it: ("PE", "en") → "Peru", ("PE", "es") →
    "Perú". None for a code that is no country or a language CLDR does not know."""
    locale = _locale(language)
    if locale is None or not is_country(code):
        return None
    name = locale.territories.get(normalize(code))
    return str(name) if name else None


def format_day(value: dt.date, pattern: str, language: str) -> str:
    """A date in a CLDR pattern with the language's month names ("d MMMM y" → "21 April 2021")."""
    return str(format_date(value, pattern, locale=_locale(language) or "en"))
