"""The public JSON shape of an extraction (`pipeline extract --json`), kept stable for scripts."""

from __future__ import annotations

from typing import Any

from .models import Extraction
from .store.codec import date_to_json, norm_to_json, relation_to_json


def extraction_json(input_name: str, e: Extraction) -> dict[str, Any]:
    return {
        "input": input_name,
        "url": e.url,
        "title": e.title,
        "language": e.language,
        "country": e.country.code,
        "country_method": e.country.method.value,
        "country_detail": e.country.detail,
        "published": e.published.as_json() if e.published else None,
        "norms": [norm_to_json(m) for m in e.norms],
        "relations": [relation_to_json(r) for r in e.relations],
        "dates": [date_to_json(d) for d in e.dates],
        "summary": e.summary,
        "description": e.description,
        "page_class": e.page_class,
        "extractor_version": e.extractor_version,
        "charset": {"name": e.charset, "method": e.charset_method} if e.charset else None,
    }
