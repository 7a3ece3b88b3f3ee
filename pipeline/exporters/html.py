"""HTML: the fragment an observatory page embeds (`html`), and the same sections in a page of
their own (`html-page`), styled, readable on a phone and standing alone (the review app's
stylesheet inline), to preview an entry or send it to someone.

The fragment: per policy a `<section class="policy-sources">` (with `data-policy` and, when known,
`data-as-of`) whose list items give the source name, then its 1-3 sentence snippet linked to the
source, its date and, for a dead link, its archived copy. Both are rendered from
pipeline/templates/sources.html with autoescaping on (templating.py): everything scraped is
printed as text and only http(s) URLs become links (a javascript: URL stays text).
"""

from __future__ import annotations

from ..templating import render_html, render_standalone
from .common import ExportData, as_of_words, shown_entries


def to_html(data: ExportData) -> str:
    context = {"entries": shown_entries(data), "as_of": data.as_of, "level": 3}
    return render_html("sources.html", context).rstrip("\n") + "\n"


def to_html_page(data: ExportData) -> str:
    context = {"entries": shown_entries(data), "as_of": data.as_of,
               "as_of_words": as_of_words(data), "level": 2}  # fmt: skip
    return render_standalone("sources_page.html", context).rstrip("\n") + "\n"
