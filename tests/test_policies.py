"""Policy import files: validation with entry and field named; idempotent import; listed sources
become editor-accepted links that no machine run can demote."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

from pipeline import store
from pipeline.errors import PolicyFileError
from pipeline.extract.norms import display_for_key
from pipeline.models import MatchStatus
from pipeline.policies import read_policy_file
from pipeline.store.exports import policy_links

ENTRY: dict[str, Any] = {
    "id": "pe-mecanismo",
    "country": "PE",
    "title": "Intersectoral Mechanism",
    "status": "adopted",
    "description": "",
    "updated": "2023-01",
    "norms": ["DS|4|2021|JUS", "RM|159|2019|JUS"],
    "aliases": ["Mecanismo intersectorial para la protección de las personas defensoras"],
    "sources": [{"url": "https://www.gob.pe/x", "source_name": "gob.pe", "snippet": "On..."}],
}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_non_canonical_keys_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match=re.escape("'RM|0159|2019|JUS'") + ".*leading zeros"):
        read_policy_file(write(tmp_path, [{**ENTRY, "norms": ["RM|0159|2019|JUS"]}]))


def test_keys_are_read_in_the_policys_country(tmp_path: Path) -> None:
    entry = {**ENTRY, "id": "co-x", "country": "CO", "norms": ["DEC|1066|2015|"], "sources": []}
    (policy,) = read_policy_file(write(tmp_path, [entry]))
    assert policy.norms == ("CO:DEC|1066|2015|",)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"country": "Peru"}, "policy 'pe-mecanismo': 'country' must be an ISO"),
        ({"title": ""}, "policy 'pe-mecanismo': 'title' is required"),
        ({"norms": ["Decreto 4"]}, "policy 'pe-mecanismo' 'norms'"),
        ({"norms": "DS|4|2021|JUS"}, "'norms' must be a list"),
        ({"updated": "January 2023"}, "'updated' must be YYYY-MM"),
        (
            {"sources": [{"url": "javascript:alert(1)", "source_name": "x"}]},
            "policy 'pe-mecanismo' source #1: 'url' must be an http(s) URL",
        ),
        ({"sources": [{"url": "https://a.test/"}]}, "source #1: 'source_name' is required"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"id": "../etc"}, "entry #1: 'id' must be"),
    ],
)
def test_malformed_entries_name_entry_and_field(
    tmp_path: Path, patch: dict[str, Any], message: str
) -> None:
    with pytest.raises(PolicyFileError) as err:
        read_policy_file(write(tmp_path, [{**ENTRY, **patch}]))
    assert message in str(err.value)


def test_files_that_are_not_policy_lists(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="not found"):
        read_policy_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyFileError, match="not valid JSON"):
        read_policy_file(bad)
    with pytest.raises(PolicyFileError, match="must be a JSON list"):
        read_policy_file(write(tmp_path, {"id": "x"}))
    with pytest.raises(PolicyFileError, match="appears twice"):
        read_policy_file(write(tmp_path, [ENTRY, ENTRY]))


def test_importing_twice_changes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    policies = read_policy_file(write(tmp_path, [ENTRY]))
    first = store.import_policies(db, policies, display_for_key)
    dump = list(db.conn.iterdump())
    second = store.import_policies(db, policies, display_for_key)
    assert (first.added, second.added, second.changed, second.unchanged) == (1, 0, 0, 1)
    assert list(db.conn.iterdump()) == dump


def test_listed_sources_are_accepted_with_the_editors_snippet(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store.import_policies(db, read_policy_file(write(tmp_path, [ENTRY])), display_for_key)
    (item,) = policy_links(db, [MatchStatus.ACCEPTED])
    (source,) = item.sources
    assert (source.url, source.source_name, source.summary) == (
        "https://www.gob.pe/x",
        "gob.pe",
        "On...",
    )
    editors = [r[0] for r in db.conn.execute("SELECT editor FROM decisions")]
    assert editors == ["policy-import"]


def test_the_bundled_seed_is_a_valid_policy_file() -> None:
    policies = read_policy_file(ROOT / "db" / "seed" / "peru.json")
    (peru,) = [p for p in policies if p.id == "pe-hrd-protection"]
    assert {
        "DS|4|2021|JUS",
        "RM|159|2019|JUS",
        "RSG|28|2021|MINAM",
        "RM|134|2021|MINAM",
        "RA|29|2020|DP-PAD",
    } <= set(peru.norms)
    assert len(peru.sources) == 16


NO_YEAR = "'Decreto nº 8.724' but does not say its year; add it or write the key"


def _entry(country: str, norms: list[Any], pid: str = "x") -> dict[str, Any]:
    return {**ENTRY, "id": pid, "country": country, "norms": norms, "sources": []}


@pytest.mark.parametrize(
    ("country", "norm", "key"),
    [
        ("HN", "DEC|34|2015|", "HN:DEC|34|2015|"),  # refused before: no grammar for HN
        ("HN", "Decreto No. 34-2015", "HN:DEC|34|2015|"),
        ("CI", "Loi n° 2014-388 du 20 juin 2014", "CI:LOI|388|2014|"),
        ("BR", "Decreto nº 9.937, de 24 de julho de 2019", "BR:DEC|9937|2019|"),
        ("ML", "Décret N°2020-0087/P-RM", "ML:DECRET|87|2020|P-RM"),
        ("AR", "DEC|70|2023|", "AR:DEC|70|2023|"),  # no grammar of its own: the generic one
        ("PY", "Ley N° 6.107", "PY:LEY|6107||"),
        ("PE", "Decreto Supremo N° 004-2021-JUS", "DS|4|2021|JUS"),
    ],
)
def test_a_norm_is_a_key_or_a_citation_in_any_countrys_grammar(
    tmp_path: Path, country: str, norm: str, key: str
) -> None:
    (policy,) = read_policy_file(write(tmp_path, [_entry(country, [norm])]))
    assert policy.norms == (key,)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            _entry("MX", ["Ley para la Protección de Personas Defensoras de Derechos Humanos"]),
            "policy 'x' 'norms': 'Ley para la Protección de Personas Defensoras de Derechos "
            "Humanos' is neither a key (TYPE|number|year|ISSUER) nor a citation the MX grammar "
            "reads; a law cited by its name belongs in 'aliases'",
        ),
        (_entry("CO", ["Decretos 1235 y 1285 de 2023"]), "names 2 norms; give one per item"),
        (
            _entry("BR", ["Decreto nº 8.724"]),
            "'Decreto nº 8.724' reads as 'Decreto nº 8.724' "
            "but does not say its year; add it or write the key",
        ),
        (
            _entry("ZZ", ["DEC|1|2020|"]),
            "policy 'x': 'country' must be an ISO 3166-1 alpha-2 code, got 'ZZ'",
        ),
        (_entry("Peru", []), "policy 'x': 'country' must be an ISO 3166-1 alpha-2 code"),
        (_entry("PE", ["ZZ:LEY|1||"]), "'ZZ:LEY|1||' names no country (ZZ)"),
        (_entry("PE", ["QQ:LEY|1||"]), "'QQ' is not an ISO 3166-1 country code"),
        (_entry("HN", ["PCM|17|2015|X|Y"]), "expected TYPE|number|year|ISSUER"),
    ],
)
def test_norms_that_name_no_norm_are_refused_naming_entry_and_value(
    tmp_path: Path, entry: dict[str, Any], message: str
) -> None:
    with pytest.raises(PolicyFileError) as err:
        read_policy_file(write(tmp_path, [ENTRY, entry]))
    assert message in str(err.value) and "\n" not in str(err.value)
