"""The country grammars' floors on real spellings are checked with the tests too: a grammar change
that loses a real spelling fails here, not only in `make eval`."""

from __future__ import annotations

import sys

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import eval_countries


def test_country_grammars_meet_their_pinned_floors(capsys: pytest.CaptureFixture[str]) -> None:
    code = eval_countries.main()
    out = capsys.readouterr().out
    assert code == 0, out
    for country in ("HN", "GT", "MX", "EC", "BR", "CI", "BF", "ML", "NE", "CD", "ID", "PH"):
        assert f"{country}: " in out


def test_every_country_grammar_has_ten_real_spellings() -> None:
    """Ten at least, most of them norms: Mexico cites its laws by name, so its rows are half
    numbered standards and decrees, half what must not be read as a norm."""
    for path in sorted((ROOT / "eval" / "norms").glob("*.tsv")):
        rows = eval_countries.read_rows(path)
        assert len(rows) >= 10 and len([r for r in rows if r["key"] != "-"]) >= 9, path.name
