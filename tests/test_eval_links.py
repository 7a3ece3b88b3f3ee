"""The linking floors are checked with the tests too: auto-accepted links must stay precise."""

from __future__ import annotations

import sys

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import eval_links


def test_linking_meets_its_pinned_floors(capsys: pytest.CaptureFixture[str]) -> None:
    code = eval_links.main()
    out = capsys.readouterr().out
    assert code == 0, out
    assert "auto_precision     1.000" in out
