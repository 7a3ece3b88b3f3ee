"""Browser tests: the review app served by uvicorn on loopback, driven by Debian's chromium
through playwright (never a downloaded browser). Without chromium or playwright they skip, and
the end of the test run says how to enable them; PIPELINE_BROWSER_TESTS=required (set by
.ci/run) turns that skip into a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Debian's chromium; PIPELINE_CHROMIUM points elsewhere (or at nothing, to see the skip).
CHROMIUM = Path(os.environ.get("PIPELINE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ENABLE = (
    "browser tests skipped: they need Debian's chromium and playwright — "
    "apt-get update && apt-get install -y chromium (playwright comes with `make install`)"
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def missing() -> str:
    if not CHROMIUM.exists():
        return f"no {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    why = missing()
    if not why:
        return
    if os.environ.get("PIPELINE_BROWSER_TESTS") == "required":
        raise pytest.UsageError(f"browser tests required but {why}")
    marker = pytest.mark.skip(reason=f"{why}; {ENABLE}")
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    why = missing()
    if why:
        terminalreporter.write_line(f"NOTICE: {ENABLE} ({why})", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
