"""Publish stage, the editors' draft: one sentence in the observatory's language built only
from what extraction found, for an editor to finish ("On 21 April 2021, Peru adopted Supreme
Decree No. 004-2021-JUS (Ministerio de Justicia y Derechos Humanos): "Decreto Supremo que crea
el Mecanismo intersectorial ..."").

Takes a document's extraction, the listing's fields, the entry's country and norms, and the
language (`[publish] language` in sources.toml); gives a `Draft` with every fact it printed and
where that fact was read, or None when the document names no norm to write about. A fact that
was not extracted is left out of the sentence, never guessed: no date → no "On ...", an
unknown issuer → no authority, no sumilla → no quotation. The draft is a suggestion: exports
publish it only once an editor has taken it into the snippet and accepted the match.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from pipeline.extract.countries import country_name_in, format_day
from pipeline.extract.normkeys import grammar_of
from pipeline.extract.norms import display_for_key, issuer_name, type_name
from pipeline.extract.ownnorm import own_norm, printed_parts
from pipeline.models import DateKind, DateMention, DateMethod, Extraction, NormMention


@dataclass(frozen=True)
class Phrasing:
    """How one language says it. {date} {country} {norm} fill the slots."""

    date: str  # a CLDR date pattern
    with_country: Mapping[str, str]  # verb key → "{country} adopted {norm}"
    without_country: Mapping[str, str]  # verb key → "{norm} was adopted"
    on_date: str  # "On {date}, {rest}"
    marker: str  # the number sign in this language: "No."
    quote: str  # the sumilla quoted: ': "{sumilla}"'


# The sentence in each language the observatory may publish in (`[publish] language`). The
# Spanish one names the instrument "la norma ..." so no article has to agree with its type.
PHRASINGS: Mapping[str, Phrasing] = {
    "en": Phrasing(
        date="d MMMM y",
        with_country={"issued": "{country} adopted {norm}",
                      "gazette": "{country} published {norm}"},
        without_country={"issued": "{norm} was adopted", "gazette": "{norm} was published"},
        on_date="On {date}, {rest}",
        marker="No.",
        quote=': "{sumilla}"',
    ),
    "es": Phrasing(
        date="d 'de' MMMM 'de' y",
        with_country={"issued": "{country} adoptó la norma {norm}",
                      "gazette": "{country} publicó la norma {norm}"},
        without_country={"issued": "se adoptó la norma {norm}",
                         "gazette": "se publicó la norma {norm}"},
        on_date="El {date}, {rest}",
        marker="N°",
        quote=": «{sumilla}»",
    ),
}  # fmt: skip
LANGUAGES = tuple(PHRASINGS)
# A sumilla quoted whole up to this length; a longer one is cut at a word, marked with "…".
MAX_QUOTE = 300


@dataclass(frozen=True)
class Fact:
    name: str  # date | country | norm | authority | sumilla
    value: str  # as the draft prints it
    evidence: str  # the literal text or field it was read from
    source: str  # where: listing | title | header | text | policy | grammar


@dataclass(frozen=True)
class Draft:
    text: str
    language: str
    facts: tuple[Fact, ...]


def draft_for(
    extraction: Extraction,
    country: str,
    entry_norms: Collection[str],
    listed: Mapping[str, str] | None = None,
    language: str = "en",
) -> Draft | None:
    """The draft for a document linked to an entry of `country` whose norms are `entry_norms`."""
    phrasing = PHRASINGS.get(language)
    if phrasing is None:
        raise ValueError(f"no draft phrasing for language {language!r} (known: {LANGUAGES})")
    own = own_norm(extraction.title, extraction.text, country, listed)
    norm = own.norm if own else _entry_norm(extraction, entry_norms)
    if norm is None:
        return None
    facts = [
        Fact("norm", norm_name(norm, language, phrasing), norm.raw, own.source if own else "text")
    ]
    when = _date(extraction, norm, own.source if own else "")
    if when is not None:
        facts.append(
            Fact(
                "date",
                format_day(when.value, phrasing.date, language),
                _said(when),
                when.method.value,
            )
        )
    name = country_name_in(country, language) if country else None
    if name:
        facts.append(Fact("country", name, country.upper(), "policy"))
    authority = issuer_name(norm.country, norm.issuer) if norm.issuer else None
    if authority:
        facts.append(Fact("authority", authority, norm.issuer, "grammar"))
    if own and own.sumilla:
        facts.append(Fact("sumilla", _quoted(own.sumilla), own.sumilla, own.sumilla_source))
    kind = "issued" if when is None or when.kind is DateKind.ISSUED else "gazette"
    return Draft(
        _sentence(phrasing, {f.name: f.value for f in facts}, kind), language, tuple(facts)
    )


def norm_name(norm: NormMention, language: str, phrasing: Phrasing | None = None) -> str:
    """The norm named in `language`: "Supreme Decree No. 004-2021-JUS" for DS|4|2021|JUS in
    English; as the country prints it when that is its language, or when its grammar has no name
    in that language (a Brazilian decree in a Spanish draft stays "Decreto nº 9.937/2019")."""
    printed = norm.display or display_for_key(norm.key)  # as printed: "N° 0159-2019-JUS"
    if language not in ("en", language_of(norm)):
        return printed  # a grammar names its types in its own language and in English only
    kind, sign, number = printed_parts(norm)
    wanted = type_name(norm.key, language)
    if not kind or not wanted or wanted == kind:
        return printed
    marker = (phrasing or PHRASINGS.get(language, PHRASINGS["en"])).marker
    return f"{wanted} {marker} {number}" if sign else f"{wanted} {number}"


def language_of(norm: NormMention) -> str:
    """The language of the grammar that read the norm, whose type names are the printed ones:
    the country's own, or its language's generic grammar (Chile, Argentina, Spain)."""
    return grammar_of(norm.country, norm.type).language


def _entry_norm(extraction: Extraction, entry_norms: Collection[str]) -> NormMention | None:
    """On a page that is no norm, the first of the entry's norms it names."""
    wanted = set(entry_norms)
    return next(
        (m for m in sorted(extraction.norms, key=lambda m: m.start) if m.key in wanted), None
    )


def _date(extraction: Extraction, norm: NormMention, source: str) -> DateMention | None:
    """The norm's own date: issued (signed) first, else its gazette publication. A news page's
    publication date is not the norm's and is never used."""
    for kind in (DateKind.ISSUED, DateKind.GAZETTE):
        for found in extraction.dates:
            if found.norm == norm.key and found.kind is kind:
                return found
    published = extraction.published
    if source == "listing" and published is not None and published.method is DateMethod.LISTING:
        # the gazette's listing dates the edition the norm was published in
        return DateMention(published.value, DateKind.GAZETTE, DateMethod.LISTING, "listing")
    return None


def _said(found: DateMention) -> str:
    return found.raw or f"{found.method.value} {found.value.isoformat()}"


def _quoted(sumilla: str) -> str:
    if len(sumilla) <= MAX_QUOTE:
        return sumilla
    return sumilla[:MAX_QUOTE].rsplit(" ", 1)[0] + "…"


def _sentence(phrasing: Phrasing, facts: Mapping[str, str], kind: str) -> str:
    norm = facts["norm"] + (f" ({facts['authority']})" if "authority" in facts else "")
    if "country" in facts:
        rest = phrasing.with_country[kind].format(country=facts["country"], norm=norm)
    else:
        rest = phrasing.without_country[kind].format(norm=norm)
    text = phrasing.on_date.format(date=facts["date"], rest=rest) if "date" in facts else rest
    text = text[:1].upper() + text[1:]
    if "sumilla" in facts:
        text += phrasing.quote.format(sumilla=facts["sumilla"])
    return text + "."
