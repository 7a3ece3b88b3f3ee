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
# axe-core, vendored (MPL-2.0, unmodified; see vendor/axe-core/README.md) so the accessibility
# checks run offline; its hash is pinned so an edited copy is never trusted.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
SERIOUS = ("serious", "critical")


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


@pytest.fixture(scope="session")
def axe_source() -> str:
    import hashlib

    body = AXE.read_bytes()
    assert hashlib.sha256(body).hexdigest() == AXE_SHA256, f"{AXE} is not axe-core 4.14.1"
    return body.decode("utf-8")


@pytest.fixture
def audit(axe_source: str) -> Any:
    """The serious and critical axe-core violations of a page, as 'rule: target' lines. axe is
    evaluated through the DevTools protocol, which the page's CSP does not govern."""

    def run(page: Any) -> list[str]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]

    return run
