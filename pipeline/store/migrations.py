"""Schema migrations, applied in order and recorded in PRAGMA user_version.

The schema only ever changes here; `db/schema.sql` is the committed result of applying all of them
(a test regenerates it and fails on any difference, `make schema` rewrites it).
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation: policies, documents with versions, extractions, matches, decisions, runs.
    """
    CREATE TABLE policies (
        id TEXT PRIMARY KEY,
        country TEXT NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE policy_norms (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        norm_key TEXT NOT NULL,
        display TEXT NOT NULL,
        PRIMARY KEY (policy_id, norm_key)
    );
    CREATE INDEX policy_norms_by_key ON policy_norms(norm_key);
    CREATE TABLE policy_aliases (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        PRIMARY KEY (policy_id, alias)
    );
    CREATE TABLE policy_sources (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        position INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        snippet TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (policy_id, url)
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        source_id TEXT NOT NULL DEFAULT '',
        source_name TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT 'PE',
        listed_title TEXT NOT NULL DEFAULT '',
        listed_date TEXT,
        etag TEXT,
        last_modified TEXT,
        first_seen TEXT NOT NULL,
        last_checked TEXT
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        sha256 TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        final_url TEXT NOT NULL,
        http_status INTEGER NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        archive_ref TEXT NOT NULL DEFAULT '',
        UNIQUE (document_id, sha256)
    );
    CREATE TABLE extractions (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES versions(id),
        extractor_version TEXT NOT NULL,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        published TEXT,
        summary TEXT NOT NULL,
        description TEXT NOT NULL,
        page_class TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (version_id, extractor_version)
    );
    CREATE TABLE mentions (
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        norm_key TEXT NOT NULL,
        number TEXT NOT NULL,
        year TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL
    );
    CREATE INDEX mentions_by_key ON mentions(norm_key);
    CREATE INDEX mentions_by_extraction ON mentions(extraction_id);
    CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        policy_id TEXT NOT NULL REFERENCES policies(id),
        score REAL NOT NULL,
        reasons TEXT NOT NULL,
        method TEXT NOT NULL,
        machine_status TEXT NOT NULL CHECK (machine_status IN ('auto', 'pending', 'none')),
        status TEXT NOT NULL CHECK (status IN ('auto', 'pending', 'accepted', 'rejected')),
        evidence_hash TEXT NOT NULL,
        decided_evidence_hash TEXT,
        stale INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (document_id, policy_id)
    );
    CREATE INDEX matches_by_policy ON matches(policy_id, status);
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        match_id INTEGER NOT NULL REFERENCES matches(id),
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'pending')),
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        edits TEXT NOT NULL DEFAULT '{}',
        evidence_hash TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX decisions_by_match ON decisions(match_id);
    -- Editors' decisions are sacred: the database itself refuses to change or delete one.
    CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
    CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        source_id TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL,
        failure_class TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 1,
        at TEXT NOT NULL
    );
    CREATE INDEX failures_by_run ON failures(run_id);
    """,
    # 2: editors' accounts for the review app, and what each export selection last wrote
    # (so `export --since-last` can write only what changed).
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE export_state (
        selection TEXT PRIMARY KEY,
        exported_at TEXT NOT NULL,
        fingerprints TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # 3: the nightly run's report for editors, and what `check-links` last saw of each exported
    # URL (so exports can point a dead link at its archived copy).
    """
    CREATE TABLE run_reports (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id),
        created_at TEXT NOT NULL,
        report TEXT NOT NULL
    );
    CREATE TABLE link_checks (
        url TEXT PRIMARY KEY,
        checked_at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        failure_class TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        dead_since TEXT
    );
    """,
    # 4: the linker's proposals to editors that a policy needs a look: a new norm modifies,
    # repeals or regulates one of its norms, so its "updated" date and status may be out of date.
    """
    CREATE TABLE proposals (
        id INTEGER PRIMARY KEY,
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL,
        source_norm TEXT NOT NULL,
        verb TEXT NOT NULL,
        target_norm TEXT NOT NULL,
        evidence TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dismissed')),
        created_at TEXT NOT NULL,
        UNIQUE (policy_id, document_id, source_norm, verb, target_norm)
    );
    CREATE INDEX proposals_by_policy ON proposals(policy_id, status);
    """,
    # 5: incremental fetching. A fingerprint of each version's visible text, so a page whose
    # bytes changed but whose text did not (rotating ads, a new timestamp) is neither re-extracted
    # nor re-linked; and the URLs a server asked us to come back to later (429 / Retry-After
    # beyond what a run waits), skipped by the next runs until then.
    """
    ALTER TABLE versions ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
    CREATE TABLE deferred (
        url TEXT PRIMARY KEY,
        source_id TEXT NOT NULL DEFAULT '',
        retry_at TEXT NOT NULL,
        failure_class TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        deferred_at TEXT NOT NULL
    );
    """,
    # 6: what the listing said about a document beyond its title and date (a gazette's norm
    # type, number, issuer, sumilla, edition and PDF link; a feed's summary), kept as evidence.
    """
    ALTER TABLE documents ADD COLUMN listed_extra TEXT NOT NULL DEFAULT '{}';
    """,
    # 7: how each extraction read its bytes: the charset and why that one (declared, detected,
    # ...). Servers lie about charsets; a garbled text can then be traced to its decoding.
    """
    ALTER TABLE extractions ADD COLUMN charset TEXT NOT NULL DEFAULT '';
    ALTER TABLE extractions ADD COLUMN charset_method TEXT NOT NULL DEFAULT '';
    """,
    # 8: the review app's sessions and failed logins, kept server-side so that logging out,
    # removing an editor or changing a password ends sessions, and a restart does not reset the
    # login throttle; and when each editor last logged in (`pipeline users list`).
    """
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        editor TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_by_editor ON sessions(editor);
    CREATE TABLE login_failures (
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_failures_by_address ON login_failures(address, at);
    CREATE INDEX login_failures_by_name ON login_failures(name, address, at);
    ALTER TABLE users ADD COLUMN last_login TEXT;
    """,
    # 9: how a document's country was told (given | source | host | text | undetermined) and in
    # plain words what told it. Documents stored before were read with `--country` (PE unless
    # said otherwise) or with their source's country.
    """
    ALTER TABLE documents ADD COLUMN country_method TEXT NOT NULL DEFAULT 'undetermined'
        CHECK (country_method IN ('given', 'source', 'host', 'text', 'undetermined'));
    ALTER TABLE documents ADD COLUMN country_detail TEXT NOT NULL DEFAULT '';
    UPDATE documents SET
        country_method = CASE WHEN source_id IN ('manual', 'replay') THEN 'given' ELSE 'source' END,
        country_detail = 'recorded before the country''s provenance was kept';
    """,
    # 10: where each of a match's reasons stands in the document (the linker's spans), so the
    # editors' page can mark the evidence and link each reason to it. Filled by the next re-link.
    """
    ALTER TABLE matches ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
    """,
    # 11: full-text search over documents' titles and texts for the review queue. An external-
    # content FTS5 index over extractions (the text is not stored twice), kept in step by
    # triggers; diacritics folded so "proteccion" finds "protección".
    """
    CREATE VIRTUAL TABLE extractions_fts USING fts5(
        title, text, content='extractions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER extractions_fts_insert AFTER INSERT ON extractions BEGIN
        INSERT INTO extractions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER extractions_fts_delete AFTER DELETE ON extractions BEGIN
        INSERT INTO extractions_fts (extractions_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER extractions_fts_update AFTER UPDATE OF title, text ON extractions BEGIN
        INSERT INTO extractions_fts (extractions_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO extractions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    INSERT INTO extractions_fts (extractions_fts) VALUES ('rebuild');
    """,
    # 12: decisions taken in bulk (one reason for every match a filter showed) are grouped, so
    # the whole group can be undone; and a decision keeps the editor's note apart from the
    # reason (a rejection's reason is a category; the note says more).
    """
    CREATE TABLE decision_batches (
        id INTEGER PRIMARY KEY,
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'pending')),
        reason TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        undoes INTEGER REFERENCES decision_batches(id)
    );
    ALTER TABLE decisions ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE decisions ADD COLUMN batch_id INTEGER REFERENCES decision_batches(id);
    CREATE INDEX decisions_by_batch ON decisions(batch_id) WHERE batch_id IS NOT NULL;
    CREATE INDEX decisions_by_time ON decisions(at);
    CREATE TRIGGER decision_batches_no_update BEFORE UPDATE ON decision_batches
    BEGIN SELECT RAISE(ABORT, 'decision batches are append-only'); END;
    CREATE TRIGGER decision_batches_no_delete BEFORE DELETE ON decision_batches
    BEGIN SELECT RAISE(ABORT, 'decision batches are append-only'); END;
    """,
    # 13: editors' changes to a policy's norms and aliases, append-only like decisions (an
    # import reads them so it never silently undoes one), and background jobs (the re-link an
    # edit starts runs outside the request; the page polls its row for progress).
    """
    CREATE TABLE policy_edits (
        id INTEGER PRIMARY KEY,
        policy_id TEXT NOT NULL REFERENCES policies(id),
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        field TEXT NOT NULL CHECK (field IN ('norms', 'aliases')),
        added TEXT NOT NULL DEFAULT '[]',
        removed TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX policy_edits_by_policy ON policy_edits(policy_id, id);
    CREATE TRIGGER policy_edits_no_update BEFORE UPDATE ON policy_edits
    BEGIN SELECT RAISE(ABORT, 'policy edits are append-only'); END;
    CREATE TRIGGER policy_edits_no_delete BEFORE DELETE ON policy_edits
    BEGIN SELECT RAISE(ABORT, 'policy edits are append-only'); END;
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('relink')),
        policy_id TEXT NOT NULL DEFAULT '',
        requested_by TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued', 'running', 'done', 'failed')),
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
    );
    CREATE INDEX jobs_by_state ON jobs(state, id);
    """,
    # 14: the snippet chosen for one entry when the document's own does not fit it:
    # on a gazette's summary of norms, the line of the entry's norm ("" = the document's own).
    """
    ALTER TABLE matches ADD COLUMN snippet TEXT NOT NULL DEFAULT '';
    """,
)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each in its own transaction; return how many ran."""
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {current} is newer than this program ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[current:], current + 1):
        # executescript would COMMIT on its own; wrapping the statements keeps each migration
        # all-or-nothing, so a crash mid-migration leaves the previous version intact.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS) - current


def _statements(script: str) -> list[str]:
    """Split a migration into statements; sqlite3.complete_statement keeps triggers whole."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out


def dump_schema(conn: sqlite3.Connection) -> str:
    """The schema as committed in db/schema.sql: every object's SQL in a stable order."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    return "".join(f"-- {kind} {name}\n{sql};\n\n" for kind, name, sql in rows)
