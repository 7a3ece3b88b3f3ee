"""What every command module shares: the global options and the exit codes."""

from __future__ import annotations

import click

from .. import app

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
