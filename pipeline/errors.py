"""The pipeline's one exception tree. Every error a user can cause or meet is one of these, so the
CLI turns each into a one-line message and a non-zero exit instead of a traceback.

    PipelineError                   base: carries a one-line, user-facing message
    ├── ConfigError                 sources.toml or --config invalid (names source and key)
    ├── InputError                  a file, URL or option given by the user cannot be used
    │   └── PolicyFileError         a policy import file is malformed (names entry + field)
    ├── StoreError                  the database cannot be created, opened or migrated
    ├── FetchError                  a fetch failed; `failure` is its class (timeout, dns, ...)
    ├── ExtractError                a document cannot be read at all (not HTML/text/PDF)
    └── ExportError                 an export cannot be written where asked
"""

from __future__ import annotations

from enum import StrEnum


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose. `str(err)` is the user-facing line."""


class ConfigError(PipelineError):
    pass


class InputError(PipelineError):
    pass


class PolicyFileError(InputError):
    pass


class StoreError(PipelineError):
    pass


class ExtractError(PipelineError):
    pass


class ExportError(PipelineError):
    pass


class FailureClass(StrEnum):
    """Why a fetch failed; stored with every failure so reports can count them by class."""

    TIMEOUT = "timeout"
    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    CONNECTION = "connection"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    RATE_LIMITED = "rate_limited"
    TRUNCATED = "truncated"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BLOCKED_ADDRESS = "blocked_address"
    BAD_SCHEME = "bad_scheme"
    BAD_URL = "bad_url"
    ROBOTS = "robots"
    UNSUPPORTED = "unsupported"
    BLOCKED_PAGE = "blocked_page"
    # A platform's response no longer has the documented shape (a key gone, no cards on a day
    # with an edition, an HTML page where JSON was expected): nothing of it is stored.
    LAYOUT_CHANGED = "layout_changed"
    # A platform needing an account (INLABS) has no usable credentials, or refused them.
    CREDENTIALS = "credentials"


class FetchError(PipelineError):
    def __init__(self, url: str, failure: FailureClass, detail: str = "", attempts: int = 1):
        self.url = url
        self.failure = failure
        self.detail = detail
        self.attempts = attempts
        super().__init__(f"{url}: {failure.value}{': ' + detail if detail else ''}")
