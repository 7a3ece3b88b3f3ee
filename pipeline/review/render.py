"""Review stage, template adapter: the only module importing Jinja2. Autoescaping is on for every
template, so scraped titles, snippets and URLs are always printed as text; only `link_url`
decides what may become an href (http and https with a host, nothing else).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .pages import language
from .security import link_url


def lang_attribute(code: str) -> Markup:
    """` lang="es"` for scraped text in a known language, nothing otherwise."""
    value = language(code)
    return Markup(' lang="{}"').format(value) if value else Markup("")


_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=StrictUndefined,  # a misspelt variable fails the tests instead of printing nothing
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["link_url"] = link_url
_ENV.filters["q"] = lambda query: f"?{query}" if query else ""  # no bare "?" on plain links
_ENV.filters["pct"] = lambda value: f"{float(value) * 100:.0f}%"
_ENV.filters["lang"] = lang_attribute
# What each key does, by the pages' names for them; a page lists the keys that work on it (the
# footer shows only those), review.js binds them.
SHORTCUTS = {
    "a": "accept",
    "r": "reject",
    "s": "skip",
    "u": "undo",
    "j": "next",
    "k": "previous",
    "Enter": "open",
}
_ROW_KEYS = {"j": "next row", "k": "previous row"}


def render_page(template: str, context: dict[str, Any]) -> str:
    keys = context.get("keys", ())
    rows = template == "queue.html"
    shortcuts = [(k, (_ROW_KEYS if rows else {}).get(k, SHORTCUTS[k])) for k in keys]
    defaults = {"user": None, "csrf": "", "flash": None, "lang": ""}
    return _ENV.get_template(template).render({**defaults, **context, "shortcuts": shortcuts})
