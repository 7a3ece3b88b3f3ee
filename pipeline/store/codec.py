"""Rows ↔ records: how an Extraction's lists are kept in one JSON column and read back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..models import (
    CountryMethod,
    DateKind,
    DateMention,
    DateMethod,
    DocumentCountry,
    EvidenceMark,
    Extraction,
    NormMention,
    Relation,
    RelationVerb,
)


def norm_to_json(m: NormMention) -> dict[str, Any]:
    return {
        "key": m.key,
        "type": m.type,
        "number": m.number,
        "year": m.year,
        "issuer": m.issuer,
        "display": m.display,
        "raw": m.raw,
        "start": m.start,
        "end": m.end,
        "country": m.country,
        "flags": sorted(m.flags),
        "date": m.date,
    }


def norm_from_json(d: Mapping[str, Any]) -> NormMention:
    return NormMention(
        type=d["type"],
        number=d["number"],
        year=d["year"],
        issuer=d["issuer"],
        raw=d["raw"],
        start=d["start"],
        end=d["end"],
        display=d["display"],
        country=d["country"],
        flags=frozenset(d.get("flags", ())),
        date=d.get("date", ""),
    )


def date_to_json(d: DateMention) -> dict[str, Any]:
    out = d.as_json()
    out.update({"raw": d.raw, "start": d.start, "end": d.end, "norm": d.norm})
    return out


def date_from_json(d: Mapping[str, Any]) -> DateMention:
    return DateMention(
        value=dt.date.fromisoformat(d["date"]),
        kind=DateKind(d["kind"]),
        method=DateMethod(d["method"]),
        raw=d.get("raw", ""),
        start=d.get("start"),
        end=d.get("end"),
        norm=d.get("norm", ""),
    )


def relation_to_json(r: Relation) -> dict[str, Any]:
    return {
        "source": r.source,
        "verb": r.verb.value,
        "target": r.target,
        "raw": r.raw,
        "start": r.start,
        "end": r.end,
    }


def relation_from_json(d: Mapping[str, Any]) -> Relation:
    return Relation(
        d["source"], RelationVerb(d["verb"]), d["target"], d["raw"], d["start"], d["end"]
    )


def country_to_json(c: DocumentCountry) -> dict[str, str]:
    return {"code": c.code, "method": c.method.value, "detail": c.detail}


def country_from_json(d: Mapping[str, Any] | None) -> DocumentCountry:
    """An extraction stored before countries had a provenance has none: undetermined here, and
    the store fills in what its document row recorded."""
    if not d:
        return DocumentCountry()
    return DocumentCountry(d["code"], CountryMethod(d["method"]), d.get("detail", ""))


def extraction_data(e: Extraction) -> str:
    return json.dumps(
        {
            "country": country_to_json(e.country),
            "published": date_to_json(e.published) if e.published else None,
            "dates": [date_to_json(d) for d in e.dates],
            "norms": [norm_to_json(m) for m in e.norms],
            "relations": [relation_to_json(r) for r in e.relations],
            "listed_norms": [norm_to_json(m) for m in e.listed_norms],
        },
        ensure_ascii=False,
    )


def extraction_from_row(row: Mapping[str, Any], url: str) -> Extraction:
    data = json.loads(row["data"])
    published = data.get("published")
    return Extraction(
        url=url,
        title=row["title"],
        language=row["language"],
        text=row["text"],
        published=date_from_json(published) if published else None,
        dates=tuple(date_from_json(d) for d in data["dates"]),
        norms=tuple(norm_from_json(m) for m in data["norms"]),
        relations=tuple(relation_from_json(r) for r in data["relations"]),
        summary=row["summary"],
        description=row["description"],
        page_class=row["page_class"],
        extractor_version=row["extractor_version"],
        charset=_optional(row, "charset"),
        charset_method=_optional(row, "charset_method"),
        country=country_from_json(data.get("country")),
        listed_norms=tuple(norm_from_json(m) for m in data.get("listed_norms", ())),
    )


def _optional(row: Mapping[str, Any], column: str) -> str:
    """A column that queries selecting their columns by name may leave out. `keys()`, not `in`:
    on a sqlite3.Row, `in` looks at the values."""
    return str(row[column]) if column in set(row.keys()) else ""


def marks_to_json(marks: Sequence[EvidenceMark]) -> str:
    return json.dumps(
        [
            {"reason": m.reason, "kind": m.kind, "field": m.field, "start": m.start, "end": m.end}
            for m in marks
        ]
    )


def marks_from_json(text: str | None) -> tuple[EvidenceMark, ...]:
    """Marks as stored; anything malformed (a hand-edited row) is left out, never fatal."""
    try:
        rows = json.loads(text or "[]")
        return tuple(
            EvidenceMark(int(r["reason"]), str(r["kind"]), str(r["field"]), int(r["start"]),
                         int(r["end"]))
            for r in rows
        )  # fmt: skip
    except (ValueError, TypeError, KeyError):
        return ()


def listed_fields(raw: str | None) -> dict[str, str]:
    """A document's `listed_extra` as strings (a damaged value reads as none, never as an error)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
