"""Rendering adapter: the only module importing Jinja2 (and its markupsafe). It renders the review
app's pages (pipeline/review/templates) and what the pipeline writes for people — the run report
and the md/html exports (pipeline/templates) — so both share one base page and one stylesheet.

HTML: autoescaping is on for every template, so scraped titles, snippets and URLs are always
printed as text; only the `link_url` filter decides what may become an href (http and https with
a host, nothing else). A standalone page (a report opened from disk or mailed) carries the app's
stylesheet inline, read from the very file the app serves: there is no second stylesheet.

Markdown: Jinja2's autoescaping knows only HTML, so the Markdown environment escapes every printed
value for Markdown in its `finalize` hook instead: scraped text can neither open a link nor
emphasise, and a `javascript:` URL never becomes a link. What a template must print as Markdown
(a link the `md_link` filter built) is marked `MarkdownSafe` and passed through.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import wording
from .review.pages import language
from .review.security import link_url

_HERE = Path(__file__).parent
# The report's and the exports' templates first; the app's pages (and base.html) beside them.
FOLDERS = (_HERE / "templates", _HERE / "review" / "templates")
STYLESHEET = _HERE / "review" / "static" / "review.css"


def lang_attribute(code: str) -> Markup:
    """` lang="es"` for scraped text in a known language, nothing otherwise."""
    value = language(code)
    return Markup(' lang="{}"').format(value) if value else Markup("")


@functools.cache
def stylesheet() -> Markup:
    """The app's stylesheet, to inline in a standalone page. Ours, not data: it is trusted, and
    it never holds `</style` (checked here rather than assumed)."""
    text = STYLESHEET.read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{STYLESHEET} may not contain '</'")
    return Markup(text)  # noqa: S704 (the project's own stylesheet file, checked above)


_SHARED: Mapping[str, Callable[..., Any]] = {
    "link_url": link_url,
    "pct": lambda value: f"{float(value) * 100:.0f}%",
    "day": wording.day,
}


def _environment(*, autoescape: bool, **options: Any) -> Environment:
    env = Environment(
        loader=FileSystemLoader(FOLDERS),
        # HTML: on. Markdown: off, its own escaping in `finalize` (see the module's docstring).
        autoescape=autoescape,  # noqa: S701
        undefined=StrictUndefined,  # a misspelt variable fails the tests instead of printing
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    env.filters.update(_SHARED)
    return env


def html_comment(text: str) -> Markup:
    """Text to put inside an HTML comment: "--" may not appear there, and ">" could close it."""
    return escape(text).replace("--", "- -")


_HTML = _environment(autoescape=True)  # every template, whatever its file name
_HTML.filters["comment"] = html_comment
_HTML.filters["q"] = lambda query: f"?{query}" if query else ""  # no bare "?" on plain links
_HTML.filters["lang"] = lang_attribute


def render_html(template: str, context: Mapping[str, Any]) -> str:
    return _HTML.get_template(template).render(context)


# What a page outside the app (a report, an export's preview) gives base.html: nobody signed in,
# no flash, no keys, and the stylesheet inline.
_STANDALONE = {"user": None, "csrf": "", "flash": None, "lang": "", "shortcuts": ()}


def render_standalone(template: str, context: Mapping[str, Any]) -> str:
    """A whole page that works opened from disk or mailed: no request goes anywhere."""
    return render_html(template, {**_STANDALONE, **context, "stylesheet": stylesheet()})


# --- Markdown --------------------------------------------------------------------------------


class MarkdownSafe(str):
    """Text that is Markdown already (built by a filter here from escaped parts)."""

    __slots__ = ()


# Characters with a meaning inside a line of Markdown (CommonMark and GitHub's): emphasis, code,
# links, tables, strike-through. `&` and `<` become entities (inline HTML and entity references);
# line-start markers (#, -, 1., >) cannot occur: templates never start a line with a value.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SPACE = re.compile(r"\s+")


def markdown_text(value: object) -> str:
    """Any value as one line of Markdown that shows exactly its text."""
    if isinstance(value, MarkdownSafe):
        return value
    text = _SPACE.sub(" ", "" if value is None else str(value)).strip()
    return _SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def markdown_url(url: str) -> str:
    # Inside (...) a space, a parenthesis or an angle bracket would end the destination early.
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def markdown_link(text: object, url: str) -> MarkdownSafe:
    """`[text](url)` when the URL is http(s) with a host, else the text alone."""
    safe = link_url(url or "")
    shown = markdown_text(text)
    return MarkdownSafe(f"[{shown}]({markdown_url(safe)})" if safe else shown)


# HTML escaping would print "l&#39;État" in a Markdown file: `finalize` escapes for Markdown.
_MARKDOWN = _environment(autoescape=False, finalize=markdown_text)
_MARKDOWN.filters["md_link"] = markdown_link
# A value printed as code: backticks cannot be escaped inside a code span, so they are dropped.
_MARKDOWN.filters["code"] = lambda value: MarkdownSafe("`" + str(value).replace("`", "") + "`")


def render_markdown(template: str, context: Mapping[str, Any]) -> str:
    return _MARKDOWN.get_template(template).render(context)
