"""The composition root: turns the global options (--db, --config) into the objects stages need.

The CLI and (later) the web app call these, so both wire the database, the archive, the HTTP
client and the ingestor the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from . import store
from .archive import Archive
from .config import Config, FetchSettings, load_config
from .ingest import Ingestor
from .net import HttpClient, HttpSettings


@dataclass(frozen=True)
class Options:
    db_path: Path
    config_path: Path | None


def load(options: Options) -> Config:
    return load_config(options.config_path)


def open_db(options: Options, create: bool = False) -> sqlite_utils.Database:
    return store.connect(options.db_path, create=create)


def archive_for(db_path: Path) -> Archive:
    # The archive lives beside its database so a backup or a move takes both.
    return Archive(db_path.parent / "archive")


def http_settings(fetch: FetchSettings) -> HttpSettings:
    agent = f"{fetch.user_agent} (+{fetch.contact})" if fetch.contact else fetch.user_agent
    return HttpSettings(
        user_agent=agent,
        allow_addresses=fetch.allow_addresses,
        allow_ports=frozenset(fetch.allow_ports),
        connect_timeout=fetch.connect_timeout,
        read_timeout=fetch.read_timeout,
        total_deadline=fetch.total_deadline,
        max_bytes=fetch.max_bytes,
        retries=fetch.retries,
        host_delay=fetch.delay_seconds,
        resolve=fetch.resolve,
    )


def http_client(config: Config) -> HttpClient:
    return HttpClient(http_settings(config.fetch))


def ingestor(db: sqlite_utils.Database, options: Options, config: Config) -> Ingestor:
    return Ingestor(db, archive_for(options.db_path), config.link)
