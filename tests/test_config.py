"""sources.toml validation: every mistake is refused at load with the source id and key named."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from pathlib import Path

import pytest
from support import ROOT

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.models import SourceKind

GOOD = """
[fetch]
user_agent = "test-agent/1"
contact = "ops@example.org"
allow_addresses = ["127.0.0.1/32"]
delay_seconds = 0.5

[link]
auto_accept_score = 0.95

[[source]]
id = "elperuano-sitemap"
name = "El Peruano"
kind = "sitemap"
url = "https://www.elperuano.pe/sitemap.xml"
country = "pe"
since = 2021-01-01
expect_items_within_days = 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_config_loads_with_every_setting(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.fetch.allow_addresses == (ipaddress.ip_network("127.0.0.1/32"),)
    assert config.fetch.delay_seconds == 0.5
    assert config.link.auto_accept_score == 0.95
    (src,) = config.sources
    assert (src.id, src.kind, src.country) == ("elperuano-sitemap", SourceKind.SITEMAP, "PE")
    assert src.since == dt.date(2021, 1, 1)
    assert src.expect_items_within_days == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "sitemap"', 'kind = "rss"'), "source 'elperuano-sitemap': unknown kind 'rss'"),
        (
            ('country = "pe"', 'country = "pe"\ncolour = "red"'),
            "source 'elperuano-sitemap': unknown key 'colour'",
        ),
        (
            ('url = "https://www.elperuano.pe/sitemap.xml"', 'url = "ftp://x"'),
            "source 'elperuano-sitemap': 'url' must be an http(s) URL",
        ),
        (("since = 2021-01-01", 'since = "yesterday"'), "'since' must be a date"),
        (('"127.0.0.1/32"', '"localhost"'), "'allow_addresses' has a bad network"),
        (("delay_seconds = 0.5", 'delay_seconds = "slow"'), "'delay_seconds' must be float"),
        (("auto_accept_score = 0.95", "auto_accept = 1"), "[link]: unknown key 'auto_accept'"),
        (('id = "elperuano-sitemap"', 'id = "El Peruano!"'), "'id' must be lower-case"),
        (('country = "pe"', 'country = "Peru"'), "ISO 3166-1"),
        (
            ("delay_seconds = 0.5", 'resolve = { "www.gob.pe" = "10.0.0.1:80" }'),
            "resolve: 'www.gob.pe' maps to 10.0.0.1, which is not in 'allow_addresses'",
        ),
        (
            ("delay_seconds = 0.5", 'resolve = { "www.gob.pe" = "localhost:80" }'),
            "resolve: 'www.gob.pe' must map to \"IP:port\"",
        ),
        (
            ("delay_seconds = 0.5", 'resolve = { "www.gob.pe" = "127.0.0.1:0" }'),
            "resolve: 'www.gob.pe' must map to \"IP:port\"",
        ),
        (
            ("delay_seconds = 0.5", 'resolve = { "WWW.GOB.PE/x" = "127.0.0.1:80" }'),
            "resolve: 'WWW.GOB.PE/x' is not a lower-case host name",
        ),
        (('country = "pe"', 'country = "zz"'), "alpha-2 code, got 'zz'"),  # no country has ZZ
    ],
)
def test_mistakes_are_refused_naming_source_and_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, GOOD.replace(*change)))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_duplicate_source_ids_are_refused(tmp_path: Path) -> None:
    text = GOOD + GOOD[GOOD.index("[[source]]") :]
    with pytest.raises(ConfigError, match="declared twice"):
        load_config(write(tmp_path, text))


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[source]\nid="))


@pytest.mark.parametrize("name", ["sources.toml", "demo/sources.toml"])
def test_the_shipped_configs_are_valid(name: str) -> None:
    config = load_config(ROOT / name)
    assert config.sources


def test_a_resolve_map_loads_inside_allow_addresses(tmp_path: Path) -> None:
    text = GOOD.replace("delay_seconds = 0.5", 'resolve = { "www.gob.pe" = "127.0.0.1:8737" }')
    assert load_config(write(tmp_path, text)).fetch.resolve == (("www.gob.pe", "127.0.0.1", 8737),)


def test_the_demo_resolves_every_host_of_its_web() -> None:
    """A demo page under a host the map forgot would be fetched from the internet (or fail)."""
    hosts = {d.name for d in (ROOT / "demo" / "web").iterdir() if d.is_dir()}
    resolved = {
        host for host, _ip, _port in load_config(ROOT / "demo" / "sources.toml").fetch.resolve
    }
    assert hosts == resolved


# Issue 13, item 5: values that quietly disable a protection were accepted.
@pytest.mark.parametrize(
    ("table", "line", "key"),
    [
        ("fetch", "total_deadline = nan", "total_deadline"),  # NaN never compares true: no deadline
        ("fetch", "total_deadline = inf", "total_deadline"),
        ("fetch", "total_deadline = 0", "total_deadline"),
        ("fetch", "concurrency = 0", "concurrency"),  # no worker: the run never ends
        ("fetch", "concurrency = 100000", "concurrency"),
        ("fetch", "connect_timeout = -1.0", "connect_timeout"),
        ("fetch", "read_timeout = nan", "read_timeout"),
        ("fetch", "delay_seconds = inf", "delay_seconds"),
        ("fetch", "max_bytes = 0", "max_bytes"),
        ("fetch", "max_bytes = 99999999999999", "max_bytes"),
        ("fetch", "retries = 1000", "retries"),
        ("fetch", "max_defer_days = -1", "max_defer_days"),
        ("fetch", "max_defer_days = 100000", "max_defer_days"),
        ("link", "auto_accept_score = nan", "auto_accept_score"),
        ("link", "candidate_score = 2.0", "candidate_score"),
        ("link", "lead_chars = 0", "lead_chars"),
    ],
)
def test_numbers_out_of_range_are_refused_with_the_key_named(
    tmp_path: Path, table: str, line: str, key: str
) -> None:
    kept = "\n".join(x for x in GOOD.splitlines() if not x.startswith(f"{key} ="))
    text = kept.replace(f"[{table}]\n", f"[{table}]\n{line}\n")
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    message = str(err.value)
    assert f"[{table}]: '{key}' must be a number from" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("delay_seconds = nan", "delay_seconds"),
        ("delay_seconds = 1e9", "delay_seconds"),
        ("expect_items_within_days = 0", "expect_items_within_days"),
        ("expect_items_within_days = 99999999", "expect_items_within_days"),
    ],
)
def test_source_numbers_out_of_range_are_refused(tmp_path: Path, line: str, key: str) -> None:
    text = GOOD.replace("expect_items_within_days = 3\n", "") + line + "\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert f"source 'elperuano-sitemap': '{key}' must be" in str(err.value)


def test_a_candidate_threshold_above_the_auto_threshold_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        "auto_accept_score = 0.95", "auto_accept_score = 0.5\ncandidate_score = 0.6"
    )
    with pytest.raises(ConfigError, match=r"'candidate_score' \(0.6\) must not exceed"):
        load_config(write(tmp_path, text))


def test_a_listing_with_absurd_max_pages_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        'kind = "sitemap"', 'kind = "listing"\noptions = { items = "li", max_pages = 100000 }'
    )
    with pytest.raises(ConfigError, match="options: 'max_pages' must be a number from 1 to 100"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize("command", [["sources", "check", "--offline"], ["run", "--no-backup"]])
def test_the_commands_refuse_a_nan_deadline_before_doing_anything(
    tmp_path: Path, command: list[str]
) -> None:
    import subprocess
    import sys

    config = write(tmp_path, GOOD.replace("[fetch]\n", "[fetch]\ntotal_deadline = nan\n"))
    db = tmp_path / "t.db"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), *command],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "'total_deadline' must be a number" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_publish_language_defaults_to_english_and_is_validated(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, GOOD)).publish.language == "en"
    chosen = GOOD.replace("[link]", '[publish]\nlanguage = "ES"\n\n[link]')
    assert load_config(write(tmp_path, chosen)).publish.language == "es"
    for bad, message in (('"fr"', "language 'fr' has no draft phrasing (known: en, es)"),
                         ("3", "'language' must be str"), ):  # fmt: skip
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_config(
                write(tmp_path, GOOD.replace("[link]", f"[publish]\nlanguage = {bad}\n[link]"))
            )
    with pytest.raises(ConfigError, match="unknown key 'tone'"):
        load_config(write(tmp_path, GOOD.replace("[link]", '[publish]\ntone = "x"\n[link]')))
