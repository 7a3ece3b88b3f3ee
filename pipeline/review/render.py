"""Review stage: the app's pages from their templates, through the one rendering adapter
(pipeline/templating.py: autoescaping on, only `link_url` makes hrefs), with what every page
shares: who is signed in, the flash, and the keyboard shortcuts that work on the page.
"""

from __future__ import annotations

from typing import Any

from ..templating import render_html

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
    return render_html(template, {**defaults, **context, "shortcuts": shortcuts})
