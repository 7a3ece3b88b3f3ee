"""Extract stage, language: a document's main text (+ its HTML lang attribute) → a language code.

py3langid restricted to the observatory's languages. The lang attribute is often wrong on real
pages (Mexican dailies built on an English theme say lang="en" over Spanish copy), so the text wins
whenever the classifier is confident; the attribute only breaks ties on short or mixed text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The languages the observatory reads, the one list every stage uses: py3langid is restricted to
# them, page texts name countries in them, each has a generic norm grammar (Spanish first: a ZZ key
# is read by the first that has its type), dateparser searches them.
LANGUAGES = ("es", "pt", "fr", "en")
# Below this many letters a classifier guesses (a title, "Decreto Supremo N° 004-2021-JUS").
MIN_LETTERS = 40
# Normalized probability over the four languages above which the text overrules the attribute:
# real paragraphs score > 0.99; short or bilingual snippets fall to 0.3-0.8.
CONFIDENT = 0.9
# Characters classified: language is settled long before this, and cost grows with length.
SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Loaded once (~0.7 s): the model file is unpacked on first use."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def declared_language(attribute: str) -> str:
    """ "es-PE", "es_VE", "EN" → "es", "es", "en"; "" when not one of LANGUAGES."""
    primary = attribute.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else ""


def detect_language(text: str, declared: str = "", default: str = "") -> str:
    """The document's language: the text's when confident, else the lang attribute, else the
    text's best guess on enough letters, else `default` (e.g. the source's language)."""
    hint = declared_language(declared)
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return hint or default
    lang, prob = _identifier().classify(sample)
    if prob >= CONFIDENT or not hint:
        return str(lang)
    return hint
