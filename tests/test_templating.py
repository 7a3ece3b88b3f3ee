"""The one rendering adapter: Markdown is escaped value by value as HTML is by autoescaping,
links are made only of http(s) URLs with a host, and the stylesheet inlined into standalone
pages is the app's own file, refused if it could close its <style> element."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import templating
from pipeline.templating import html_comment, markdown_link, markdown_text


def test_markdown_values_cannot_become_markup() -> None:
    assert markdown_text("*a* [b](javascript:x) <i>c</i> `d` a|b ~e~ &") == (
        r"\*a\* \[b\](javascript:x) &lt;i>c&lt;/i> \`d\` a\|b \~e\~ &amp;"
    )
    assert markdown_text("two\nlines") == "two lines"  # a newline could start a list or heading
    assert markdown_text(markdown_link("ok", "https://x.org/a")) == "[ok](https://x.org/a)"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "https:nohost", ""])
def test_markdown_links_are_made_only_of_web_urls(url: str) -> None:
    assert markdown_link("[t]", url) == r"\[t\]"


def test_a_markdown_link_destination_cannot_end_early() -> None:
    assert markdown_link("t", "https://x.org/a b(c)<d>") == "[t](https://x.org/a%20b%28c%29%3Cd%3E)"


def test_an_html_comment_cannot_be_closed_from_inside() -> None:
    assert str(html_comment("a --> <b>")) == "a - -&gt; &lt;b&gt;"


def test_a_stylesheet_that_could_close_its_element_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.css"
    bad.write_text("a { color: red } </style><script>alert(1)</script>", encoding="utf-8")
    monkeypatch.setattr(templating, "STYLESHEET", bad)
    templating.stylesheet.cache_clear()
    try:
        with pytest.raises(ValueError, match="may not contain"):
            templating.stylesheet()
    finally:
        templating.stylesheet.cache_clear()
