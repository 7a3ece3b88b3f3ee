"""Markdown: each policy as a section, each source as one list item — the source name, the date,
the linked title and its 1-3 sentence snippet. Scraped text is escaped, so markup in a title
renders as text and a javascript: URL never becomes a link."""

from __future__ import annotations

import re

from ..models import LinkedSource, PolicyLinks
from .common import ExportData, one_line, web_url

# Characters with a meaning inside a line of Markdown (CommonMark and GitHub's): emphasis, code,
# links, tables, strike-through. Line-start markers (#, -, 1.) cannot occur: scraped text never
# starts a line here.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(text: str) -> str:
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    # Inside (...) a space, a parenthesis or an angle bracket would end the destination early.
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def to_markdown(data: ExportData) -> str:
    lines = ["# Linked sources", ""]
    if data.as_of:
        lines += [f"As of {md_text(data.as_of)}.", ""]
    for item in data.items:
        lines += _policy(data, item)
    return "\n".join(lines).rstrip("\n") + "\n"


def _policy(data: ExportData, item: PolicyLinks) -> list[str]:
    p = item.policy
    lines = [f"## {md_text(p.title)}", "", f"`{p.country}` · id `{p.id.replace('`', '')}`", ""]
    if not item.sources:
        return [*lines, "_No linked sources._", ""]
    return [*lines, *(_source(data, s) for s in item.sources), ""]


def _source(data: ExportData, s: LinkedSource) -> str:
    title = md_text(s.title or s.url)
    url = web_url(s.url)
    linked = f"[{title}]({md_url(url)})" if url else title
    parts = [f"- **{md_text(s.source_name)}**"]
    if s.published:
        parts.append(f" ({md_text(s.published)})")
    parts.append(f": {linked}")
    if s.summary:
        parts.append(f" — {md_text(s.summary)}")
    archived = web_url(data.archived_copy(s))
    if archived:
        parts.append(f" ([archived copy]({md_url(archived)}))")
    return "".join(parts)
