"""Policy import files: read and validate a JSON list of policy entries into `Policy` records.

Everything is checked before anything is written, and every error names the entry (by id, or by
position when the id itself is bad) and the field, so an editor can fix the file in one go. An
entry may be of any ISO 3166-1 country; its norms are keys ("DEC|34|2015|") or citations as the
gazette prints them ("Loi n° 2014-388 du 20 juin 2014"), both read with the entry's country
grammar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import InputError, PolicyFileError
from .extract.countries import is_country
from .extract.norms import (
    TYPE_UNSTATED,
    UNDETERMINED,
    YEAR_UNKNOWN,
    find_norms,
    parse_citation,
    parse_key,
)
from .localfiles import MAX_POLICY_FILE_BYTES, load_json, read_regular
from .models import Policy, PolicySource, norm_key

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_UPDATED = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_FIELDS = {
    "id",
    "country",
    "title",
    "status",
    "description",
    "updated",
    "norms",
    "aliases",
    "sources",
}
_SOURCE_FIELDS = {"url", "source_name", "title", "snippet", "date"}


def read_policy_file(path: Path) -> list[Policy]:
    try:
        text = read_regular(path, "policy file", MAX_POLICY_FILE_BYTES).decode("utf-8")
        raw = load_json(text, str(path))
    except UnicodeDecodeError as exc:
        raise PolicyFileError(f"cannot read policy file {path}: {exc}") from None
    except InputError as exc:
        raise PolicyFileError(str(exc)) from None
    if not isinstance(raw, list):
        raise PolicyFileError(f"{path}: must be a JSON list of policy entries")
    policies = [parse_policy(entry, f"{path} entry #{i}") for i, entry in enumerate(raw, 1)]
    seen: set[str] = set()
    for policy in policies:
        if policy.id in seen:
            raise PolicyFileError(f"{path}: policy '{policy.id}' appears twice")
        seen.add(policy.id)
    return policies


def parse_policy(entry: Any, where: str) -> Policy:
    if not isinstance(entry, Mapping):
        raise PolicyFileError(f"{where}: must be a JSON object")
    pid = entry.get("id")
    if not isinstance(pid, str) or not _ID.match(pid):
        raise PolicyFileError(f"{where}: 'id' must be letters, digits, '.', '_' or '-'")
    where = f"policy '{pid}'"
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise PolicyFileError(f"{where}: unknown field '{unknown[0]}'")
    country = _text(entry, "country", where, required=True).upper()
    if not is_country(country):
        raise PolicyFileError(
            f"{where}: 'country' must be an ISO 3166-1 alpha-2 code, got {entry['country']!r}"
        )
    updated = _text(entry, "updated", where)
    if updated and not _valid_updated(updated):
        raise PolicyFileError(f"{where}: 'updated' must be YYYY-MM or YYYY-MM-DD, got {updated!r}")
    return Policy(
        id=pid,
        country=country,
        title=_text(entry, "title", where, required=True),
        status=_text(entry, "status", where),
        description=_text(entry, "description", where),
        updated=updated,
        norms=_norms(entry, country, where),
        aliases=tuple(_alias(a, where) for a in _list(entry, "aliases", where)),
        sources=tuple(
            _source(s, f"{where} source #{i}")
            for i, s in enumerate(_list(entry, "sources", where), 1)
        ),
    )


def _valid_updated(value: str) -> bool:
    if not _UPDATED.match(value):
        return False
    try:
        dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
    except ValueError:
        return False
    return True


def _text(entry: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
    value = entry.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise PolicyFileError(f"{where}: '{key}' must be a string")
    if required and not value.strip():
        raise PolicyFileError(f"{where}: '{key}' is required")
    return value.strip()


def _list(entry: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise PolicyFileError(f"{where}: '{key}' must be a list")
    return value


def _norms(entry: Mapping[str, Any], country: str, where: str) -> tuple[str, ...]:
    return tuple(read_norm(n, country, f"{where} 'norms'") for n in _list(entry, "norms", where))


def read_norm(value: Any, country: str, where: str) -> str:
    """The key of a norm given as a key ("DEC|34|2015|", read in the entry's country) or as a
    citation ("Decreto No. 34-2015"). PolicyFileError, naming `where` and the value, when it is
    neither, names several norms, or leaves out what tells the norm apart (its type, its year)."""
    if not isinstance(value, str) or not value.strip():
        raise PolicyFileError(f"{where}: norms must be keys or citations, got {value!r}")
    if "|" in value:
        try:
            parts = parse_key(value, country)
        except ValueError as exc:
            raise PolicyFileError(f"{where}: {exc}") from None
        if parts[0] == UNDETERMINED:
            raise PolicyFileError(f"{where}: {value!r} names no country (ZZ); use the entry's")
        return norm_key(*parts)
    return _citation_key(value, country, where)


def _citation_key(value: str, country: str, where: str) -> str:
    mention = parse_citation(value, country)
    if mention is None:
        found = len(find_norms(value, country))
        if found > 1:
            raise PolicyFileError(f"{where}: {value!r} names {found} norms; give one per item")
        raise PolicyFileError(
            f"{where}: {value!r} is neither a key (TYPE|number|year|ISSUER) nor a citation the "
            f"{country} grammar reads; a law cited by its name belongs in 'aliases'"
        )
    missing = [
        what
        for flag, what in ((TYPE_UNSTATED, "its type"), (YEAR_UNKNOWN, "its year"))
        if flag in mention.flags
    ]
    if missing:
        raise PolicyFileError(
            f"{where}: {value!r} reads as {mention.display!r} but does not say "
            f"{' or '.join(missing)}; add it or write the key"
        )
    return mention.key


def _alias(alias: Any, where: str) -> str:
    if not isinstance(alias, str) or not alias.strip():
        raise PolicyFileError(f"{where}: 'aliases' must be non-empty strings")
    return alias.strip()


def _source(src: Any, where: str) -> PolicySource:
    if not isinstance(src, Mapping):
        raise PolicyFileError(f"{where}: must be a JSON object")
    unknown = sorted(set(src) - _SOURCE_FIELDS)
    if unknown:
        raise PolicyFileError(f"{where}: unknown field '{unknown[0]}'")
    url = _text(src, "url", where, required=True)
    if not _URL.match(url):
        raise PolicyFileError(f"{where}: 'url' must be an http(s) URL, got {url!r}")
    date = _text(src, "date", where)
    if date and not _valid_updated(date):
        raise PolicyFileError(f"{where}: 'date' must be YYYY-MM or YYYY-MM-DD, got {date!r}")
    return PolicySource(
        url=url,
        source_name=_text(src, "source_name", where, required=True),
        title=_text(src, "title", where),
        snippet=_text(src, "snippet", where),
        date=date,
    )
