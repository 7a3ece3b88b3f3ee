"""The `pipeline` command: parse options, call a stage, print. No logic lives here.

Every PipelineError becomes one line on stderr and exit code 2; partial failures of a run exit 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import app
from .commands import core, ops, review
from .commands import sources as source_commands
from .commands.common import EXIT_FATAL
from .errors import PipelineError

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    envvar="PIPELINE_DB",
    default=Path("db/observatory.db"),
    show_default=True,
    help="SQLite database file (env PIPELINE_DB).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="PIPELINE_CONFIG",
    default=None,
    help="Sources and settings file (env PIPELINE_CONFIG; default ./sources.toml).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path, config_path: Path | None) -> None:
    """Find, date, summarise and link the sources of an observatory's policy entries."""
    if config_path is None and Path("sources.toml").is_file():
        config_path = Path("sources.toml")
    ctx.obj = app.Options(db_path=db_path, config_path=config_path)


COMMANDS = (core.init, core.policies, source_commands.sources, source_commands.replay,
            core.extract, core.add, core.link,
            core.status, ops.run, ops.export, ops.backup, ops.check_links_command, review.review,
            review.users)  # fmt: skip
for command in COMMANDS:
    cli.add_command(command)


def _guarded(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PipelineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_FATAL)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # last line of defence: one line, never a traceback
            if os.environ.get("PIPELINE_DEBUG"):
                raise
            click.echo(
                f"error: unexpected {type(exc).__name__}: {exc} (set PIPELINE_DEBUG=1 for details)",
                err=True,
            )
            sys.exit(EXIT_FATAL)

    return wrapper  # type: ignore[return-value]


@_guarded
def main(argv: Sequence[str] | None = None) -> Any:
    return cli.main(args=list(argv) if argv is not None else None, prog_name="pipeline")
