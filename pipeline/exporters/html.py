"""The HTML fragment an observatory page embeds: per policy a list whose items give the source
name, then its 1-3 sentence snippet, linked to the source. Everything scraped is escaped and only
http(s) URLs become links (a javascript: URL stays text)."""

from __future__ import annotations

import re
from html import escape

from ..models import LinkedSource, PolicyLinks
from .common import ExportData, one_line, web_url


def to_html(data: ExportData) -> str:
    out = []
    if data.as_of:
        out.append(f"<!-- linked sources as of {_comment(data.as_of)} -->")
    for item in data.items:
        out.extend(_policy(data, item))
    return "\n".join(out) + "\n"


def _comment(text: str) -> str:
    # "--" may not appear inside an HTML comment, and ">" could close it early.
    return escape(text).replace("--", "- -")


def _policy(data: ExportData, item: PolicyLinks) -> list[str]:
    p = item.policy
    slug = re.sub(r"[^a-z0-9-]+", "-", p.id.lower()).strip("-")
    stamp = f' data-as-of="{escape(data.as_of)}"' if data.as_of else ""
    lines = [
        f'<section class="policy-sources" id="sources-{slug}" data-policy="{escape(p.id)}"{stamp}>',
        f"  <h3>{escape(one_line(p.title))}</h3>",
        "  <ul>",
    ]
    lines += [f"    {_item(data, s)}" for s in item.sources]
    return [*lines, "  </ul>", "</section>"]


def _item(data: ExportData, s: LinkedSource) -> str:
    name = f'<span class="source-name">{escape(one_line(s.source_name))}</span>'
    snippet = escape(one_line(s.summary or s.title or s.url))
    url = web_url(s.url)
    linked = f'<a href="{escape(url)}" rel="noopener">{snippet}</a>' if url else snippet
    date = ""
    if s.published:
        date = f' <time datetime="{escape(s.published)}">{escape(s.published)}</time>'
    archived = web_url(data.archived_copy(s))
    extra = f' <a class="archived" href="{escape(archived)}">archived copy</a>' if archived else ""
    return f"<li>{name}: {linked}{date}{extra}</li>"
