"""Review stage, template adapter: the only module importing Jinja2. Autoescaping is on for every
template, so scraped titles, snippets and URLs are always printed as text; only `link_url`
decides what may become an href (http and https with a host, nothing else).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .security import link_url

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
SHORTCUTS = (
    ("a", "accept"),
    ("r", "reject"),
    ("s", "skip"),
    ("u", "undo"),
    ("j", "next"),
    ("k", "previous"),
)


def render_page(template: str, context: dict[str, Any]) -> str:
    defaults = {"user": None, "csrf": "", "flash": None, "shortcuts": SHORTCUTS}
    return _ENV.get_template(template).render({**defaults, **context})
