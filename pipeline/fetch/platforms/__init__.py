"""gazette: official gazette platforms, one module per platform, chosen by `options.platform`.

    elperuano      Peru: El Peruano's 2026 day listing and /dispositivo/ pages (Filtro fallback)
    gobpe          Peru: an institution's norms on gob.pe (list pages or the busquedas.rss feed)
    sidof          Mexico: the DOF's SIDOF JSON API (sumario.xml fallback)
    queridodiario  Brazil: municipal gazettes through the Querido Diário API
    inlabs         Brazil: the Diário Oficial da União through INLABS (an account)
    diario_co      Colombia: the Imprenta Nacional's Diario Oficial (JSF session, single-use PDFs)
    suin           Colombia: SUIN-Juriscol's sitemap
    senado_co      Colombia: the Senate's basedoc tree of laws and decrees

Every gazette source takes `platform`, `until` (the last day to read, for a fixed backfill) and
`match` (keep only the entries whose type, number, issuer, sumilla or title mention one of these
words); each platform adds its own options, all validated when the config loads. Takes a Source;
gives Links carrying what the gazette printed in `extra` (base.py lists the keys).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ...models import Link, Source
from ..base import DiscoverContext, window_start
from .base import Entry, Option, Platform, layout_changed
from .diario_co import DiarioCo
from .elperuano import ElPeruano
from .gobpe import GobPe
from .inlabs import Inlabs
from .queridodiario import QueridoDiario
from .senado_co import SenadoCo
from .sidof import Sidof
from .suin import Suin

PLATFORMS: dict[str, Platform] = {
    "elperuano": ElPeruano(),
    "gobpe": GobPe(),
    "sidof": Sidof(),
    "queridodiario": QueridoDiario(),
    "inlabs": Inlabs(),
    "diario_co": DiarioCo(),
    "suin": Suin(),
    "senado_co": SenadoCo(),
}
COMMON = {
    "platform": Option("text", required=True),
    "until": Option("date"),
    "match": Option("list"),
}
# Keys that would put a secret in sources.toml: refused with a pointer to where it belongs.
_SECRET = re.compile(r"pass(word)?|secret|token|e-?mail|user(name)?|login|cookie|api_?key", re.I)
# What `match` looks in: what the gazette says the norm is, not its links or ids.
_SAID = ("type", "number", "issuer", "sumilla")
_URL = re.compile(r"^https?://[^\s/?#]+(?:/[^\s]*)?$")


def option_error(url: str, table: Mapping[str, Any]) -> str:
    """Why a gazette source's options are wrong, naming the key, or "" when they are fine."""
    name = table.get("platform")
    if name not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        if "platform" not in table:
            return "'platform' is required for a gazette source"
        return f"unknown gazette platform {name!r} (known: {known})"
    platform = PLATFORMS[str(name)]
    allowed = {**COMMON, **platform.options}
    for key in table:
        if key not in allowed:
            if _SECRET.search(key):
                where = "the environment or a 0600 file (README, Gazette platforms)"
                return f"'{key}': credentials never go in sources.toml; set them in {where}"
            known = ", ".join(sorted(allowed))
            return f"unknown key '{key}' for platform {name} (allowed: {known})"
    for key, option in allowed.items():
        if key not in table:
            if option.required:
                return f"'{key}' is required for platform {name}"
            continue
        if problem := _problem(option, table[key]):
            return f"'{key}' {problem}"
    return platform.check(url, table)


def _problem(option: Option, value: Any) -> str:
    """What is wrong with one option's value, or ""."""
    form = option.form
    if form == "flag":
        return "" if isinstance(value, bool) else "must be true or false"
    if form == "count":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        if not ok or (option.maximum and value > option.maximum):
            bound = f" up to {option.maximum}" if option.maximum else ""
            return f"must be a positive integer{bound}"
        return ""
    if form == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return ""
    values = value if form == "list" else [value]
    if form == "list" and (not isinstance(value, list) or not value):
        return "must be a non-empty list of strings"
    for item in values:
        if not isinstance(item, str) or not item.strip():
            return "must be a non-empty string" if form != "list" else "must list non-empty strings"
        if problem := _item_problem(option, item):
            return problem
    return ""


def _item_problem(option: Option, item: str) -> str:
    if option.choices and item not in option.choices:
        return f"must be one of {', '.join(option.choices)} (got {item!r})"
    if option.pattern and not re.fullmatch(option.pattern, item):
        return f"has a bad value {item!r}"
    if option.form == "url" and not _URL.match(item):
        return "must be an http(s) URL"
    if option.form == "date":
        try:
            dt.date.fromisoformat(item)
        except ValueError:
            return "must be a date (YYYY-MM-DD)"
    return ""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class GazetteFetcher:
    def discover(self, source: Source, ctx: DiscoverContext) -> Iterator[Link]:
        platform = PLATFORMS[str(source.options["platform"])]
        words = [_fold(str(w)) for w in source.options.get("match", ())]
        since = window_start(source, ctx)
        for entry in _guarded(platform, source, ctx):
            if since is not None and entry.date is not None and entry.date < since:
                continue
            link = entry.link(source, platform.name)
            said = " ".join([link.listed_title, *(link.extra.get(k, "") for k in _SAID)])
            if words and not any(word in _fold(said) for word in words):
                continue
            yield link


# What a platform's code may still trip on in an answer no test foresaw (a number too long, a
# field of another type): it is an answer out of the documented shape, never a crashed run.
_UNFORESEEN = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def _guarded(platform: Platform, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
    try:
        yield from platform.entries(source, ctx)
    except _UNFORESEEN as exc:
        what = f"unreadable answer ({type(exc).__name__}: {str(exc)[:200]})"
        raise layout_changed(source.url, what) from None


def field_report(platform_name: str, links: Sequence[Link]) -> list[str]:
    """What `sources check` says per documented field: how many listed items had it, e.g.
    "op: 20/20 cards", "pdf: 0/20 cards — missing" (so the person enabling a source sees in one
    look whether the live site still has the documented shape)."""
    platform = PLATFORMS[platform_name]
    total = len(links)
    lines = []
    for name, key in platform.fields.items():
        have = sum(
            bool(link.listed_title if key == "title" else link.extra.get(key)) for link in links
        )
        note = (
            " — missing"
            if total and not have
            else f" — {total - have} without"
            if have < total
            else ""
        )
        lines.append(f"{name}: {have}/{total} {platform.unit}{note}")
    return lines


__all__ = ["PLATFORMS", "GazetteFetcher", "field_report", "option_error"]
