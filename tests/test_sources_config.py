"""sources.toml: every kind's options are checked when the file loads, with the source named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.models import SourceKind


def _load(tmp_path: Path, kind: str, options: str, url: str = "https://x.pe/") -> object:
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nid = "src-1"\nname = "A source"\nkind = "{kind}"\nurl = "{url}"\n'
        f"options = {{ {options} }}\n",
        encoding="utf-8",
    )
    return load_config(path)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("listing", 'link = "a"', "'items' is required for a listing source"),
        ("listing", 'items = "li", colour = "red"', "unknown key 'colour'"),
        ("listing", 'items = "li[[["', "'items' is not a CSS selector"),
        ("listing", 'items = "li", max_pages = 0', "'max_pages' must be a number from 1 to 100"),
        ("listing", 'items = "li", title = 3', "'title' must be a non-empty string"),
        ("gazette", 'platform = "boletin"', "unknown gazette platform 'boletin'"),
        ("gazette", 'route = "filtro"', "'platform' is required for a gazette source"),
        ("gazette", 'platform = "elperuano", date_format = "%d"', "unknown key 'date_format'"),
        ("gazette", 'platform = "elperuano", route = "graphql"', "'route' must be one of listing"),
        ("gazette", 'platform = "elperuano", max_pages = 500', "'max_pages' must be a positive"),
        ("gazette", 'platform = "elperuano", fallback = "yes"', "'fallback' must be true or false"),
        ("gazette", 'platform = "elperuano", until = "2021-13-01"', "'until' must be a date"),
        ("gazette", 'platform = "elperuano", match = []', "'match' must be a non-empty list"),
        ("gazette", 'platform = "gobpe"', "'institution' is required for platform gobpe"),
        ("gazette", 'platform = "gobpe", institution = "../x"', "'institution' has a bad value"),
        ("gazette", 'platform = "gobpe", institution = "minjus", terms = "ley"', "rss route only"),
        ("gazette", 'platform = "sidof", editions = ["MAT", "NOCHE"]', "'editions' must be one of"),
        ("gazette", 'platform = "sidof", sumario = "ftp://dof.gob.mx/s"', "must be an http(s) URL"),
        ("gazette", 'platform = "queridodiario", territory_ids = [3550308]', "must list non-empty"),
        ("gazette", 'platform = "queridodiario", territory_ids = ["355"]', "has a bad value '355'"),
        ("gazette", 'platform = "senado_co", tree = "../../etc"', "'tree' has a bad value"),
        ("gazette", 'platform = "inlabs", password = "secreto"', "credentials never go in sources"),
        ("gazette", 'platform = "inlabs", email = "a@b.org"', "credentials never go in sources"),
        ("sitemap", 'items = "li"', "a sitemap source takes no options"),
        ("feed", 'x = "y"', "a feed source takes no options"),
        ("rss", "", "unknown kind 'rss'"),
    ],
)
def test_bad_options_are_refused_with_the_source_named(
    tmp_path: Path, kind: str, options: str, message: str
) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, kind, options)
    assert "source 'src-1'" in str(err.value) and message in str(err.value)


def test_good_options_load(tmp_path: Path) -> None:
    config = _load(tmp_path, "listing", 'items = "article", date = "time", max_pages = 2')
    source = config.sources[0]  # type: ignore[attr-defined]
    assert source.kind is SourceKind.LISTING and source.options["max_pages"] == 2
    options = 'platform = "elperuano", route = "filtro", until = 2021-04-22'
    config = _load(tmp_path, "gazette", options)
    assert config.sources[0].options["platform"] == "elperuano"  # type: ignore[attr-defined]
    config = _load(tmp_path, "gazette", 'platform = "sidof", editions = ["MAT", "EXT"]')
    assert config.sources[0].options["editions"] == ["MAT", "EXT"]  # type: ignore[attr-defined]
