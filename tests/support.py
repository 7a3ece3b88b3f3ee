"""Builders shared by the tests: records made the way the pipeline makes them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.extract.norms import find_norms, find_relations
from pipeline.models import CountryMethod, DocumentCountry, Extraction, Policy, PolicySource

ROOT = Path(__file__).resolve().parents[1]


def policy(
    pid: str = "pe-mecanismo",
    norms: Sequence[str] = ("DS|4|2021|JUS",),
    aliases: Sequence[str] = (),
    country: str = "PE",
    sources: Sequence[PolicySource] = (),
    title: str = "Intersectoral Mechanism",
) -> Policy:
    return Policy(
        pid, country, title, "adopted", "", "2023-01", tuple(norms), tuple(aliases), tuple(sources)
    )


def extraction(
    title: str, text: str, country: str = "PE", url: str = "https://x.test/a"
) -> Extraction:
    """An extraction of a document of `country` (given), as the extract stage would make it."""
    norms = find_norms(text, country)
    return Extraction(
        url=url,
        title=title,
        language="es",
        text=text,
        published=None,
        dates=(),
        norms=tuple(norms),
        relations=tuple(find_relations(text, norms)),
        summary=text[:200],
        extractor_version="test",
        country=DocumentCountry(country, CountryMethod.GIVEN, "given"),
    )
