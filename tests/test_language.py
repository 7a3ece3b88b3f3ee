"""Language: the text wins over a wrong lang attribute when it is confident."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.language import declared_language, detect_language

ES = "El Gobierno aprobó el decreto supremo que crea el mecanismo de protección de defensores."
EN = "The government approved the supreme decree that creates a mechanism to protect defenders."
PT = "O governo aprovou o decreto que cria o mecanismo de proteção das pessoas defensoras."
FR = "Le gouvernement a approuvé le décret qui crée le mécanisme de protection des défenseurs."


@pytest.mark.parametrize(
    ("text", "declared", "default", "expected"),
    [
        (ES, "es-PE", "", "es"),
        (ES, "en-US", "", "es"),  # Mexican dailies on English themes: the text wins
        (EN, "es", "", "en"),  # observatory's English pages under a Spanish template
        (PT, "", "", "pt"),
        (FR, "", "", "fr"),
        ("Decreto Supremo N° 004-2021-JUS", "es", "", "es"),  # too short: the attribute
        ("Decreto Supremo N° 004-2021-JUS", "", "es", "es"),  # ... or the source's language
        ("", "de", "", ""),  # an attribute outside the set is no answer
        ("404", "", "", ""),
    ],
)
def test_detect_language(text: str, declared: str, default: str, expected: str) -> None:
    assert detect_language(text, declared, default) == expected


@pytest.mark.parametrize(
    ("attribute", "code"), [("es-PE", "es"), ("es_VE", "es"), ("EN", "en"), ("de", ""), ("", "")]
)
def test_declared_language(attribute: str, code: str) -> None:
    assert declared_language(attribute) == code


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000), st.text(max_size=10))
def test_never_raises(text: str, declared: str) -> None:
    assert detect_language(text, declared) in ("", "es", "en", "pt", "fr")
