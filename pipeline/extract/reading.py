"""Extract stage, which grammar reads a text: a document's country and language → its norm
mentions. The country's grammar when the country is known; when it is undetermined, every grammar
of the document's language, each mention flagged `country_undetermined` so that nothing read that
way is ever accepted without an editor (the linker's rule).

Used by the extract stage for the main text and by the linker for a title read on its own.
"""

from __future__ import annotations

import dataclasses

from pipeline.extract.grammar import known_countries, load_grammar
from pipeline.extract.norms import find_norms
from pipeline.models import DocumentCountry, NormMention

COUNTRY_UNDETERMINED = "country_undetermined"


def read_norms(text: str, country: DocumentCountry, language: str) -> list[NormMention]:
    """Every norm `text` names, read for `country` (or for every country of `language`)."""
    if country.known:
        if country.code not in known_countries():
            return []  # no grammar for this country yet: nothing is read rather than misread
        return find_norms(text, country.code)
    found: list[NormMention] = []
    for code in known_countries():
        if language and load_grammar(code).language != language:
            continue
        found += [
            dataclasses.replace(m, flags=m.flags | {COUNTRY_UNDETERMINED})
            for m in find_norms(text, code)
        ]
    return sorted(found, key=lambda m: (m.start, m.country))
