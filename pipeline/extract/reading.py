"""Extract stage, which grammar reads a text: a document's country and language → its norm
mentions. The country's grammar (its own, or its language's generic one) when the country is
known; when it is undetermined, every grammar of the document's language in one scan
(`find_norms_any`), each mention flagged `country_undetermined`, so that nothing read that way is
ever accepted without an editor (the linker's rule).

Used by the extract stage for the main text and by the linker for a title read on its own.
"""

from __future__ import annotations

from pipeline.extract.norms import find_norms, find_norms_any
from pipeline.models import DocumentCountry, NormMention


def read_norms(text: str, country: DocumentCountry, language: str) -> list[NormMention]:
    """Every norm `text` names, read for `country` (or for every country of `language`)."""
    if country.known:
        return find_norms(text, country.code)
    return find_norms_any(text, language)
