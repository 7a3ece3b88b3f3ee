"""Review stage: the history of decisions in plain words, in the editor's local time. An undo is
shown as an undo of a named earlier decision (who, what, when), not as the status it restored;
decisions are told apart by who and when, so no decision number is confused with a match number.

Pure: takes stored decision rows and a Viewer; gives lines for the templates and the CLI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..store.decisions import DecisionRow
from ..store.policies import IMPORT_EDITOR
from .clock import Viewer

# How review/decisions.py words an undo; the stored reason is the only record of what it undid.
UNDO_REASON = "undo of decision {id} ({status} by {editor})"
_UNDO = re.compile(r"^undo of decision (\d+) \((\w+) by (.*)\)$")
_DONE = {"accepted": "accepted", "rejected": "rejected", "pending": "sent back to review"}
_NOUN = {"accepted": "acceptance", "rejected": "rejection", "pending": "undo"}


@dataclass(frozen=True)
class HistoryLine:
    stamp: str  # the stored UTC stamp, for <time datetime>
    when: str  # in the viewer's zone
    editor: str
    action: str  # "accepted" | "rejected" | "undo" | "pending": the badge's class
    what: str  # a plain sentence
    why: str  # the reason and the note
    edits: Mapping[str, str]
    match_id: int
    url: str
    bulk: str  # the batch's description when the decision was one of many


def lines(rows: Sequence[DecisionRow], viewer: Viewer) -> list[HistoryLine]:
    """The rows as lines, newest first."""
    by_id = {r.id: r for r in rows}
    return [_line(r, by_id, viewer) for r in reversed(rows)]


def _line(r: DecisionRow, by_id: Mapping[int, DecisionRow], viewer: Viewer) -> HistoryLine:
    undo = _UNDO.match(r.reason)
    if undo:
        undone = by_id.get(int(undo.group(1)))
        what = _undo_sentence(undo.group(2), undo.group(3), undone, r.status, viewer)
        action, why = "undo", ""
    else:
        what = _DONE.get(r.status, r.status)
        if r.editor == IMPORT_EDITOR:
            what = "listed in the policy file (imported)"
        action, why = r.status, r.reason
    if r.note:
        why = f"{why} — {r.note}" if why else r.note
    return HistoryLine(r.at, viewer.when(r.at), r.editor, action, what, why, r.edits,
                       r.match_id, r.url, r.batch_description)  # fmt: skip


def _undo_sentence(
    status: str, editor: str, undone: DecisionRow | None, restored: str, viewer: Viewer
) -> str:
    whose = f"{editor}'s {_NOUN.get(status, status)}"
    if undone is not None:
        whose += f" of {viewer.when(undone.at)}"
    back = "the linker's proposal" if restored == "pending" else restored
    return f"undid {whose}; back to {back}"
