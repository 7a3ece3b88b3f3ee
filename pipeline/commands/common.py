"""What every command module shares: the global options and the exit codes."""

from __future__ import annotations

import click

from .. import app
from ..errors import InputError
from ..extract.countries import require_country

EXIT_FATAL = 2
EXIT_PARTIAL = 1


def options() -> app.Options:
    """The global --db / --config of the current invocation."""
    obj = click.get_current_context().find_object(app.Options)
    assert obj is not None, "commands run under the root group, which sets the options"
    return obj


def queue_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['auto']} auto-accepted, {counts['pending']} waiting for review, "
        f"{counts['accepted']} accepted, {counts['rejected']} rejected"
    )


def country_code(value: str) -> str:
    """A --country value as a country code ("pe" → "PE"); any ISO 3166-1 country is read, by
    its grammar or its language's generic one. InputError (one line, exit 2) otherwise."""
    try:
        return require_country(value)
    except ValueError as exc:
        raise InputError(f"--country: {exc}") from None
