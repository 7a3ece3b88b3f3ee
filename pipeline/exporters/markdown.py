"""Markdown: each policy as a section, each source as one list item — the source name, the date,
the linked title and its 1-3 sentence snippet. Rendered from pipeline/templates/sources.md by
the Markdown environment (templating.py), which escapes every printed value: markup in a title
renders as text and a javascript: URL never becomes a link."""

from __future__ import annotations

from ..templating import render_markdown
from .common import ExportData, as_of_words, shown_entries


def to_markdown(data: ExportData) -> str:
    context = {"entries": shown_entries(data), "as_of_words": as_of_words(data)}
    return render_markdown("sources.md", context).rstrip("\n") + "\n"
