"""Configuration: reads sources.toml (or --config PATH) and validates all of it at load time.

Every error names the file, the source id and the key, so a typo in a nightly config fails at once
with one line instead of deep inside a run. Takes a path; gives a frozen `Config`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .extract.countries import is_country
from .fetch.listed import selector_error
from .fetch.platforms import option_error
from .localfiles import MAX_CONFIG_BYTES, read_regular
from .models import Source, SourceKind

DEFAULT_CONFIG = Path("sources.toml")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "observatory-pipeline/0.1"
    contact: str = ""
    allow_addresses: tuple[IpNetwork, ...] = ()
    allow_ports: tuple[int, ...] = (80, 443, 8080, 8443)
    delay_seconds: float = 2.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_deadline: float = 60.0
    max_bytes: int = 20_000_000
    retries: int = 2
    concurrency: int = 4
    # host → "ip:port": answered by a local server, as `curl --resolve` does (the demo, tests).
    resolve: tuple[tuple[str, str, int], ...] = ()
    # The latest a URL is put off when its server asks us to come back later (429, Retry-After).
    max_defer_days: float = 7.0


@dataclass(frozen=True)
class LinkSettings:
    # An exact norm key in the title or lead is the only evidence strong enough to publish without
    # a human look; these thresholds let an observatory be stricter without touching code.
    auto_accept_score: float = 0.9
    candidate_score: float = 0.3
    lead_chars: int = 600


# The languages the editors' draft can be written in (pipeline/publish/draft.py phrases each).
PUBLISH_LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class PublishSettings:
    # The observatory's language: the draft sentence offered to editors is written in it.
    language: str = "en"


@dataclass(frozen=True)
class Config:
    path: Path | None
    fetch: FetchSettings = field(default_factory=FetchSettings)
    link: LinkSettings = field(default_factory=LinkSettings)
    sources: tuple[Source, ...] = ()
    publish: PublishSettings = field(default_factory=PublishSettings)

    def source(self, source_id: str) -> Source:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise ConfigError(f"{self.path}: no source with id '{source_id}'")


_SOURCE_KEYS = {
    "id",
    "name",
    "kind",
    "url",
    "language",
    "country",
    "enabled",
    "options",
    "since",
    "expect_items_within_days",
    "delay_seconds",
}
# The options each kind takes: name → (type, required). Checked at load, so a typo in a selector
# key stops the run at once with the source named. Selectors must compile. A gazette source's
# options depend on its platform: fetch/platforms/ validates them.
_SELECTOR, _TEXT, _COUNT = "selector", "text", "count"
_OPTIONS: dict[SourceKind, dict[str, tuple[str, bool]]] = {
    SourceKind.POLICY_LINKS: {},
    SourceKind.SITEMAP: {},
    SourceKind.FEED: {},
    SourceKind.LISTING: {
        "items": (_SELECTOR, True),
        "link": (_SELECTOR, False),
        "title": (_SELECTOR, False),
        "date": (_SELECTOR, False),
        "next": (_SELECTOR, False),
        "date_format": (_TEXT, False),
        "max_pages": (_COUNT, False),
    },
}
# Every number a config may set, with the range that keeps it meaningful: (lowest, highest, unit).
# A zero concurrency would deadlock the run, a NaN deadline never fires (it compares false with
# everything), an infinite delay stalls a host forever: each is refused at load, key named.
_RANGES: dict[str, tuple[float, float, str]] = {
    "delay_seconds": (0, 3600, " seconds"),
    "connect_timeout": (0.1, 600, " seconds"),
    "read_timeout": (0.1, 3600, " seconds"),
    "total_deadline": (0.1, 3600, " seconds"),
    "max_bytes": (1024, 1_000_000_000, " bytes"),
    "retries": (0, 10, ""),
    "concurrency": (1, 64, ""),
    "max_defer_days": (0, 365, " days"),
    "auto_accept_score": (0.01, 1, ""),
    "candidate_score": (0.01, 1, ""),
    "lead_chars": (40, 100_000, " characters"),
    "expect_items_within_days": (1, 3650, " days"),
    "max_pages": (1, 100, ""),
}
_FETCH_KEYS = set(FetchSettings.__dataclass_fields__)
_LINK_KEYS = set(LinkSettings.__dataclass_fields__)
_TOP_KEYS = {"fetch", "link", "source", "publish"}


def load_config(path: Path | None) -> Config:
    """Load and validate a config file. `None` means no file: defaults and no sources."""
    if path is None:
        return Config(path=None)
    try:
        raw = tomllib.loads(read_regular(path, "config file", MAX_CONFIG_BYTES).decode("utf-8"))
    except InputError as exc:  # missing, a pipe or a device, too large: the same one line
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    _refuse_unknown(raw, _TOP_KEYS, f"{path}")
    fetch = _fetch_settings(raw.get("fetch", {}), path)
    link = _link_settings(raw.get("link", {}), path)
    sources = _sources(raw.get("source", []), path)
    publish = _publish(raw.get("publish", {}), f"{path} [publish]")
    return Config(path=path, fetch=fetch, link=link, sources=sources, publish=publish)


def _publish(table: Any, where: str) -> PublishSettings:
    settings: PublishSettings = _build(PublishSettings, table, {"language"}, where)
    language = settings.language.strip().lower()
    if language not in PUBLISH_LANGUAGES:
        raise ConfigError(
            f"{where}: language {settings.language!r} has no draft phrasing"
            f" (known: {', '.join(PUBLISH_LANGUAGES)})"
        )
    return PublishSettings(language)


def _refuse_unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})"
        )


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: must be a table")
    return value


def _build(cls: Callable[..., Any], table: Any, allowed: set[str], where: str) -> Any:
    table = _table(table, where)
    _refuse_unknown(table, allowed, where)
    defaults = cls()
    for key, value in table.items():
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool) != (expected is bool):
            raise ConfigError(f"{where}: '{key}' must be {expected.__name__}, got {value!r}")
        if key in _RANGES:
            _in_range(key, value, where)
    return cls(**table)


def _in_range(key: str, value: Any, where: str) -> None:
    """Refuse a number outside its key's range, NaN and infinities included."""
    low, high, unit = _RANGES[key]
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(
            f"{where}: '{key}' must be a number from {low:g} to {high:g}{unit}, got {value!r}"
        )


def _link_settings(table: Any, path: Path) -> LinkSettings:
    where = f"{path} [link]"
    link: LinkSettings = _build(LinkSettings, table, _LINK_KEYS, where)
    if link.candidate_score > link.auto_accept_score:
        raise ConfigError(
            f"{where}: 'candidate_score' ({link.candidate_score:g}) must not exceed"
            f" 'auto_accept_score' ({link.auto_accept_score:g})"
        )
    return link


def _fetch_settings(table: Any, path: Path) -> FetchSettings:
    where = f"{path} [fetch]"
    table = dict(_table(table, where))
    ports = table.pop("allow_ports", [80, 443, 8080, 8443])
    if not isinstance(ports, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) and 0 < p < 65536 for p in ports
    ):
        raise ConfigError(f"{where}: 'allow_ports' must be a list of port numbers")
    nets = table.pop("allow_addresses", [])
    if not isinstance(nets, list):
        raise ConfigError(f"{where}: 'allow_addresses' must be a list of CIDR strings")
    allowed: list[IpNetwork] = []
    for net in nets:
        try:
            allowed.append(ipaddress.ip_network(str(net), strict=False))
        except ValueError:
            raise ConfigError(f"{where}: 'allow_addresses' has a bad network {net!r}") from None
    resolve = _resolve_map(table.pop("resolve", {}), allowed, where)
    lists = {"allow_addresses", "allow_ports", "resolve"}
    settings: FetchSettings = _build(FetchSettings, table, _FETCH_KEYS - lists, where)
    return replace(
        settings, allow_addresses=tuple(allowed), allow_ports=tuple(ports), resolve=resolve
    )


_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def _resolve_map(
    value: Any, allowed: list[IpNetwork], where: str
) -> tuple[tuple[str, str, int], ...]:
    """`resolve = { "www.gob.pe" = "127.0.0.1:8737" }` → ((host, ip, port), ...). The address
    must be one `allow_addresses` already lets through: the map moves a host to a server the
    operator runs, it never opens a way past the address guard."""
    table = _table(value, f"{where} resolve")
    out = []
    for host, target in sorted(table.items()):
        if not _HOST_NAME.match(host):
            raise ConfigError(f"{where} resolve: {host!r} is not a lower-case host name")
        match = re.fullmatch(r"(?P<ip>[0-9.]+|\[[0-9a-fA-F:]+\]):(?P<port>[0-9]{1,5})", str(target))
        try:
            ip = ipaddress.ip_address(match.group("ip").strip("[]")) if match else None
        except ValueError:
            ip = None
        port = int(match.group("port")) if match else 0
        if ip is None or not 0 < port < 65536:
            raise ConfigError(f'{where} resolve: {host!r} must map to "IP:port", got {target!r}')
        if not any(ip.version == net.version and ip in net for net in allowed):
            raise ConfigError(
                f"{where} resolve: {host!r} maps to {ip}, which is not in 'allow_addresses'"
            )
        out.append((host, str(ip), port))
    return tuple(out)


def _sources(entries: Any, path: Path) -> tuple[Source, ...]:
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    seen: set[str] = set()
    out = []
    for index, entry in enumerate(entries, 1):
        src = _source(_table(entry, f"{path} source #{index}"), path, index)
        if src.id in seen:
            raise ConfigError(f"{path}: source '{src.id}' is declared twice")
        seen.add(src.id)
        out.append(src)
    return tuple(out)


def _source(entry: Mapping[str, Any], path: Path, index: int) -> Source:
    sid = entry.get("id")
    if not isinstance(sid, str) or not SOURCE_ID.match(sid):
        raise ConfigError(
            f"{path} source #{index}: 'id' must be lower-case letters, digits, - or _"
        )
    where = f"{path} source '{sid}'"
    _refuse_unknown(entry, _SOURCE_KEYS, where)
    kind_name = _str(entry, "kind", where)
    try:
        kind = SourceKind(kind_name)
    except ValueError:
        kinds = ", ".join(k.value for k in SourceKind)
        raise ConfigError(f"{where}: unknown kind '{kind_name}' (known: {kinds})") from None
    url = str(entry.get("url", ""))
    if kind is not SourceKind.POLICY_LINKS and not re.match(r"^https?://", url):
        raise ConfigError(f"{where}: 'url' must be an http(s) URL")
    return Source(
        id=sid,
        name=_str(entry, "name", where),
        kind=kind,
        url=url,
        language=str(entry.get("language", "es")),
        country=_country(kind, entry.get("country", ""), where),
        enabled=_bool(entry, "enabled", where),
        options=_options(kind, entry.get("options", {}), where, url),
        since=_date(entry.get("since"), where),
        expect_items_within_days=_opt_int(entry, "expect_items_within_days", where),
        delay_seconds=_opt_float(entry, "delay_seconds", where),
    )


def _options(kind: SourceKind, value: Any, where: str, url: str) -> Mapping[str, Any]:
    where = f"{where} options"
    table = _table(value, where)
    if kind is SourceKind.GAZETTE:  # each platform has its own options (fetch/platforms/)
        if problem := option_error(url, table):
            raise ConfigError(f"{where}: {problem}")
        return table
    allowed = _OPTIONS[kind]
    if table and not allowed:
        raise ConfigError(f"{where}: a {kind.value} source takes no options")
    _refuse_unknown(table, set(allowed), where)
    for key, (form, required) in allowed.items():
        if key not in table:
            if required:
                raise ConfigError(f"{where}: '{key}' is required for a {kind.value} source")
            continue
        _option(key, form, table[key], where)
    return table


def _option(key: str, form: str, value: Any, where: str) -> None:
    if form == _COUNT:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be a positive integer")
        _in_range(key, value, where)
        return
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    if form == _SELECTOR and (problem := selector_error(value)):
        raise ConfigError(f"{where}: '{key}' is not a CSS selector ({problem})")


def _str(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' is required and must be a non-empty string")
    return value


def _bool(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, True)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false")
    return value


def _opt_int(entry: Mapping[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be a positive integer")
    _in_range(key, value, where)
    return value


def _opt_float(entry: Mapping[str, Any], key: str, where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    _in_range(key, value, where)
    return float(value)


def _country(kind: SourceKind, value: Any, where: str) -> str:
    """The source's country, "" when it declares none: then each page's host and text tell it
    (never a default). The policy-links source takes each URL's country from its entry."""
    if value == "":
        return ""
    if kind is SourceKind.POLICY_LINKS:
        raise ConfigError(f"{where}: 'country' has no meaning here: each URL takes its entry's")
    if not isinstance(value, str) or not is_country(value):
        raise ConfigError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code, got {value!r}")
    return value.strip().upper()


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: 'since' must be a date (YYYY-MM-DD)")
