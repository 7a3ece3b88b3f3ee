"""Stateful property test: any interleaving of nightly runs and editors' decisions never loses or
changes a decision, and a machine run never changes the status an editor set."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from support import policy

from pipeline import store
from pipeline.extract.norms import display_for_key
from pipeline.models import Match, MatchStatus
from pipeline.review import decisions

EVIDENCE = st.sampled_from(["e1", "e2", "e3", None])
MACHINE = st.sampled_from([MatchStatus.AUTO, MatchStatus.PENDING])


class RunsAndDecisions(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.db = store.connect(Path(self.tmp.name) / "s.db")
        store.import_policies(self.db, [policy(), policy("pe-other", ["RM|134|2021|MINAM"])],
                              display_for_key)  # fmt: skip
        self.db.conn.execute(
            "INSERT INTO documents (url, first_seen) VALUES ('https://a.test/', 'x')"
        )
        self.seen: list[tuple[Any, ...]] = []  # every decision row ever observed
        self.editor_status: str | None = None  # what the last editor decision set

    def teardown(self) -> None:
        self.db.conn.close()
        self.tmp.cleanup()

    def _match_id(self) -> int | None:
        row = self.db.conn.execute(
            "SELECT id FROM matches WHERE policy_id = 'pe-mecanismo'"
        ).fetchone()
        return int(row[0]) if row else None

    def _has_history(self) -> bool:
        return bool(self.db.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])

    @rule(evidence=EVIDENCE, status=MACHINE)
    def nightly_run(self, evidence: str | None, status: MatchStatus) -> None:
        proposals = [] if evidence is None else [
            Match(1, "pe-mecanismo", 0.9, (f"cites it ({evidence})",), "norm", status, evidence)
        ]  # fmt: skip
        store.save_matches(self.db, 1, proposals)

    @precondition(lambda self: self._match_id() is not None)
    @rule(accept=st.booleans())
    def editor_decides(self, accept: bool) -> None:
        match_id = self._match_id()
        assert match_id is not None
        if accept:
            decisions.accept(self.db, match_id, "ana", edits={"snippet": "Editado."})
        else:
            decisions.reject(self.db, match_id, "ben", "not about this policy")
        self.editor_status = "accepted" if accept else "rejected"

    @precondition(lambda self: self._has_history())
    @rule()
    def editor_undoes(self) -> None:
        match_id = self._match_id()
        assert match_id is not None
        decisions.undo(self.db, match_id, "ana")
        status, decided = self.db.conn.execute(
            "SELECT status, decided_evidence_hash FROM matches WHERE id = ?", (match_id,)
        ).fetchone()
        # Undoing the first decision hands the pair back to the machine (no decided evidence).
        self.editor_status = None if decided is None else status

    @invariant()
    def decisions_are_never_lost_or_changed(self) -> None:
        if not hasattr(self, "db"):
            return
        rows = self.db.conn.execute("SELECT * FROM decisions ORDER BY id").fetchall()
        assert rows[: len(self.seen)] == self.seen
        self.seen = rows

    @invariant()
    def machine_runs_never_change_an_editors_status(self) -> None:
        if not hasattr(self, "db") or self.editor_status is None:
            return
        status = self.db.conn.execute(
            "SELECT status FROM matches WHERE policy_id = 'pe-mecanismo'"
        ).fetchone()
        assert status is not None, "a decided match must never be deleted"
        assert status[0] == self.editor_status


RunsAndDecisions.TestCase.settings = settings(
    max_examples=60, stateful_step_count=15, deadline=None
)
TestRunsAndDecisions = RunsAndDecisions.TestCase
