"""Review stage: editors correct a policy's aliases and norms. The new entry is validated exactly
like an import file's (pipeline/policies.py), then stored as the editor's edit (who, when, what
was added and removed; append-only) together with a queued re-link, which the web app's job
runner carries out in the background so the queue reflects the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from ..errors import InputError
from ..extract.norms import display_for_key
from ..policies import parse_policy, read_norm
from ..store.decisions import Database
from ..store.policies import load_policies
from ..store.policyedits import record_edit

MAX_LINES = 200  # aliases or norms of one policy; more is a paste gone wrong


def lines(text: str) -> list[str]:
    out = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(out) > MAX_LINES:
        raise InputError(f"at most {MAX_LINES} lines, got {len(out)}")
    return out


def norm_keys(entries: Sequence[str], country: str) -> list[str]:
    """Keys as typed (DS|4|2021|JUS) or norms as printed ("Decreto Supremo N° 004-2021-JUS"),
    read exactly as an import file's (policies.read_norm): an error names the line."""
    return [read_norm(entry, country, f"cannot read one norm in line {i}") for i, entry in
            enumerate(entries, 1)]  # fmt: skip


def edit_policy(
    db: Database, policy_id: str, editor: str, aliases: Sequence[str], norms: Sequence[str]
) -> int | None:
    """Set the policy's aliases and norms, recorded as `editor`'s edit, and queue the re-link
    that makes the queue reflect them. The job's id, or None when nothing changed."""
    found = load_policies(db, policy_id)
    if not found:
        raise InputError(f"no policy with id '{policy_id}'")
    entry = asdict(found[0])
    entry.update(
        aliases=list(aliases),
        norms=norm_keys(norms, found[0].country),
        sources=list(entry["sources"]),  # asdict keeps tuples; the file reader wants lists
    )
    updated = parse_policy(entry, f"policy '{policy_id}'")  # validated as an import's would be
    wanted = {"aliases": updated.aliases, "norms": updated.norms}
    return record_edit(db, policy_id, editor, wanted, display_for_key)
