"""Shared fixtures: a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from pipeline import store


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return store.connect(tmp_path / "test.db")
