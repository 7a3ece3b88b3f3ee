"""What every command module shares: the global options and the exit codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from .. import app
from ..errors import InputError
from ..extract.countries import require_country
from ..models import CountryMethod, DocumentCountry

F = TypeVar("F", bound=Callable[..., object])

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


def country_option(command: F) -> F:
    """--country for the commands that read documents: no default, never Peru by omission."""
    return click.option(
        "--country",
        default="",
        help="ISO code of the documents' country; without it each page's host and text tell it"
        " (or it stays undetermined and goes to review).",
    )(command)


def given_country(value: str) -> DocumentCountry:
    """The --country value as a DocumentCountry ("" → unknown: the page tells)."""
    if not value.strip():
        return DocumentCountry()
    try:
        code = require_country(value)
    except ValueError as exc:
        raise InputError(f"--country: {exc}") from None
    return DocumentCountry(code, CountryMethod.GIVEN, "given with --country")


def country_line(country: DocumentCountry) -> str:
    """ "CO (host www.mininterior.gov.co: a government domain of Colombia)", "PE (given)": how it
    was told, and what told it when the detail says more than the method's name."""
    code = country.code or "undetermined"
    method, detail = country.method.value, country.detail
    if not detail or detail == method:
        return f"{code} ({method})"
    return f"{code} ({detail})" if detail.startswith(method) else f"{code} ({method}: {detail})"
