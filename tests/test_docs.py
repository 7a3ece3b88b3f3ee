"""Docs are tested: every command has help text and appears in the README's CLI reference."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from support import ROOT

from pipeline.cli import cli


def commands(group: click.Group = cli, prefix: str = "") -> list[str]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append(full)
        if isinstance(command, click.Group):
            out.extend(commands(command, full + " "))
    return out


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pipeline {command}" in readme, f"README.md lacks `pipeline {command}`"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = [line.strip() for line in readme.splitlines() if line.strip().startswith("make ")]
    assert first[:2] == ["make demo", "make test"]
