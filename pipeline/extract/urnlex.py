"""Extract stage, standard identifiers: a norm key and its issue date → its URN:LEX, where the
norm's country has a national naming scheme the observatory can be compatible with.

URN:LEX (RFC 9676) names a norm `urn:lex:{jurisdiction}:{authority}:{type}:{date};{number}`.
Brazil's LexML uses it nationally (`urn:lex:br:federal:decreto:2019-07-24;9937`,
`urn:lex:br:federal:lei:2018-08-14;13709`). A URN is built only when everything the scheme needs
is known: the jurisdiction and authority from the key's country and issuer, the type from the key,
the full issue date from a citation ("Decreto nº 9.937, de 24 de julho de 2019"), the number.
Otherwise there is none: an identifier is never guessed. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.extract.normkeys import parse_key


@dataclass(frozen=True)
class Scheme:
    jurisdiction: str
    # Authority of a norm printed without an issuer: Brazil's laws and decrees numbered in one
    # national series ("Decreto nº 9.937") are federal acts; a state's or a ministry's norm would
    # carry its issuer in the key, and then its authority is not known here.
    authority: str
    types: dict[str, str]  # the key's type code → the scheme's type name


# LexML's type names (LexML Brasil, Parte 2 – LexML URN): dots join words, no accents. The keys
# are the Brazilian grammar's type codes (grammars/br.toml over generic/pt.toml).
SCHEMES: dict[str, Scheme] = {
    "BR": Scheme(
        jurisdiction="br",
        authority="federal",
        types={
            "LEI": "lei",
            "LC": "lei.complementar",
            "DEC": "decreto",
            "DL": "decreto.lei",
            "MP": "medida.provisoria",
        },
    ),
}


def urn_lex(key: str, issued: dt.date | None) -> str:
    """The URN:LEX of the norm `key` issued on `issued`, or "" when its country has no scheme or
    the key and date do not give every part of it."""
    if issued is None:
        return ""
    try:
        country, type_, number, year, issuer = parse_key(key)
    except ValueError:
        return ""
    scheme = SCHEMES.get(country)
    if scheme is None or issuer or not number.isdigit():
        return ""
    kind = scheme.types.get(type_)
    if kind is None or year not in ("", str(issued.year)):
        return ""  # a date of another year is another norm's, or a misread
    return f"urn:lex:{scheme.jurisdiction}:{scheme.authority}:{kind}:{issued.isoformat()};{number}"
