-- index decisions_by_batch
CREATE INDEX decisions_by_batch ON decisions(batch_id) WHERE batch_id IS NOT NULL;

-- index decisions_by_match
CREATE INDEX decisions_by_match ON decisions(match_id);

-- index decisions_by_time
CREATE INDEX decisions_by_time ON decisions(at);

-- index failures_by_run
CREATE INDEX failures_by_run ON failures(run_id);

-- index jobs_by_state
CREATE INDEX jobs_by_state ON jobs(state, id);

-- index login_failures_by_address
CREATE INDEX login_failures_by_address ON login_failures(address, at);

-- index login_failures_by_name
CREATE INDEX login_failures_by_name ON login_failures(name, address, at);

-- index matches_by_policy
CREATE INDEX matches_by_policy ON matches(policy_id, status);

-- index mentions_by_extraction
CREATE INDEX mentions_by_extraction ON mentions(extraction_id);

-- index mentions_by_key
CREATE INDEX mentions_by_key ON mentions(norm_key);

-- index policy_edits_by_policy
CREATE INDEX policy_edits_by_policy ON policy_edits(policy_id, id);

-- index policy_norms_by_key
CREATE INDEX policy_norms_by_key ON policy_norms(norm_key);

-- index proposals_by_policy
CREATE INDEX proposals_by_policy ON proposals(policy_id, status);

-- index sessions_by_editor
CREATE INDEX sessions_by_editor ON sessions(editor);

-- table decision_batches
CREATE TABLE decision_batches (
        id INTEGER PRIMARY KEY,
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'pending')),
        reason TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        undoes INTEGER REFERENCES decision_batches(id)
    );

-- table decisions
CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        match_id INTEGER NOT NULL REFERENCES matches(id),
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'pending')),
        editor TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        edits TEXT NOT NULL DEFAULT '{}',
        evidence_hash TEXT NOT NULL DEFAULT ''
    , note TEXT NOT NULL DEFAULT '', batch_id INTEGER REFERENCES decision_batches(id));

-- table deferred
CREATE TABLE deferred (
        url TEXT PRIMARY KEY,
        source_id TEXT NOT NULL DEFAULT '',
        retry_at TEXT NOT NULL,
        failure_class TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        deferred_at TEXT NOT NULL
    );

-- table documents
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
    , listed_extra TEXT NOT NULL DEFAULT '{}', country_method TEXT NOT NULL DEFAULT 'undetermined'
        CHECK (country_method IN ('given', 'source', 'host', 'text', 'undetermined')), country_detail TEXT NOT NULL DEFAULT '');

-- table export_state
CREATE TABLE export_state (
        selection TEXT PRIMARY KEY,
        exported_at TEXT NOT NULL,
        fingerprints TEXT NOT NULL DEFAULT '{}'
    );

-- table extractions
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
        created_at TEXT NOT NULL, charset TEXT NOT NULL DEFAULT '', charset_method TEXT NOT NULL DEFAULT '',
        UNIQUE (version_id, extractor_version)
    );

-- table extractions_fts
CREATE VIRTUAL TABLE extractions_fts USING fts5(
        title, text, content='extractions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );

-- table extractions_fts_config
CREATE TABLE 'extractions_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table extractions_fts_data
CREATE TABLE 'extractions_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table extractions_fts_docsize
CREATE TABLE 'extractions_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table extractions_fts_idx
CREATE TABLE 'extractions_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table failures
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

-- table jobs
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

-- table link_checks
CREATE TABLE link_checks (
        url TEXT PRIMARY KEY,
        checked_at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        failure_class TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        dead_since TEXT
    );

-- table login_failures
CREATE TABLE login_failures (
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        at REAL NOT NULL
    );

-- table matches
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
        updated_at TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '[]', snippet TEXT NOT NULL DEFAULT '',
        UNIQUE (document_id, policy_id)
    );

-- table mentions
CREATE TABLE mentions (
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        norm_key TEXT NOT NULL,
        number TEXT NOT NULL,
        year TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL
    );

-- table policies
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

-- table policy_aliases
CREATE TABLE policy_aliases (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        PRIMARY KEY (policy_id, alias)
    );

-- table policy_edits
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

-- table policy_norms
CREATE TABLE policy_norms (
        policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        norm_key TEXT NOT NULL,
        display TEXT NOT NULL,
        PRIMARY KEY (policy_id, norm_key)
    );

-- table policy_sources
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

-- table proposals
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

-- table run_reports
CREATE TABLE run_reports (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id),
        created_at TEXT NOT NULL,
        report TEXT NOT NULL
    );

-- table runs
CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        stats TEXT NOT NULL DEFAULT '{}'
    );

-- table sessions
CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        editor TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );

-- table users
CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
    , last_login TEXT);

-- table versions
CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        sha256 TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        final_url TEXT NOT NULL,
        http_status INTEGER NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        archive_ref TEXT NOT NULL DEFAULT '', text_hash TEXT NOT NULL DEFAULT '',
        UNIQUE (document_id, sha256)
    );

-- trigger decision_batches_no_delete
CREATE TRIGGER decision_batches_no_delete BEFORE DELETE ON decision_batches
    BEGIN SELECT RAISE(ABORT, 'decision batches are append-only'); END;

-- trigger decision_batches_no_update
CREATE TRIGGER decision_batches_no_update BEFORE UPDATE ON decision_batches
    BEGIN SELECT RAISE(ABORT, 'decision batches are append-only'); END;

-- trigger decisions_no_delete
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

-- trigger decisions_no_update
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

-- trigger extractions_fts_delete
CREATE TRIGGER extractions_fts_delete AFTER DELETE ON extractions BEGIN
        INSERT INTO extractions_fts (extractions_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;

-- trigger extractions_fts_insert
CREATE TRIGGER extractions_fts_insert AFTER INSERT ON extractions BEGIN
        INSERT INTO extractions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;

-- trigger extractions_fts_update
CREATE TRIGGER extractions_fts_update AFTER UPDATE OF title, text ON extractions BEGIN
        INSERT INTO extractions_fts (extractions_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO extractions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;

-- trigger policy_edits_no_delete
CREATE TRIGGER policy_edits_no_delete BEFORE DELETE ON policy_edits
    BEGIN SELECT RAISE(ABORT, 'policy edits are append-only'); END;

-- trigger policy_edits_no_update
CREATE TRIGGER policy_edits_no_update BEFORE UPDATE ON policy_edits
    BEGIN SELECT RAISE(ABORT, 'policy edits are append-only'); END;

