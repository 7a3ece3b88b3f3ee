"""The direction of imports (ARCHITECTURE.md): pure stages never reach the store or the network,
and each third-party library has one adapter module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import ROOT

PKG = ROOT / "pipeline"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # resolve relative imports against the module's package
                parts = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((PKG / folder).rglob("*.py")) if (PKG / folder).is_dir() else [PKG / folder]


@pytest.mark.parametrize("folder", ["extract", "link", "publish", "models.py", "errors.py"])
def test_pure_stages_do_not_import_store_or_network(folder: str) -> None:
    for path in modules(folder):
        bad = {
            m
            for m in imports(path)
            if m.startswith(("pipeline.store", "pipeline.net", "httpx", "sqlite"))
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_fetchers_depend_only_on_models_errors_and_http() -> None:
    for path in modules("fetch"):
        ours = {m for m in imports(path) if m.startswith("pipeline.")}
        allowed = ("pipeline.models", "pipeline.errors", "pipeline.net", "pipeline.fetch")
        assert all(m.startswith(allowed) for m in ours), f"{path.name}: {ours}"


@pytest.mark.parametrize(
    ("library", "owners"),
    [
        ("httpx", {"net/http.py"}),
        ("sqlite_utils", None),
        ("trafilatura", {"extract/text.py"}),
        ("warcio", {"archive.py"}),
        ("protego", {"net/robots.py"}),
        ("charset_normalizer", {"extract/charset.py"}),
        ("click", {"cli.py", "commands/"}),
        ("pycountry", {"extract/countries.py"}),
        ("babel", {"extract/countries.py"}),
        ("bs4", {"fetch/listed.py"}),
        ("soupsieve", {"fetch/listed.py"}),
        ("feedparser", {"fetch/feed.py"}),
        # The app's pages, the run report and the md/html exports render through one adapter.
        ("jinja2", {"templating.py"}),
        ("markupsafe", {"templating.py"}),
    ],
)
def test_each_library_has_one_adapter(library: str, owners: set[str] | None) -> None:
    users = {
        p.relative_to(PKG).as_posix()
        for p in PKG.rglob("*.py")
        if any(m == library or m.startswith(library + ".") for m in imports(p))
    }
    if owners is None:  # sqlite-utils: only inside the store package
        assert users and all(
            u.startswith(("store/", "app.py", "ingest.py", "run.py")) for u in users
        )
    else:
        assert all(
            u in owners or u.startswith(tuple(o for o in owners if o.endswith("/"))) for u in users
        ), users
