"""Review stage: editors correct a policy's aliases and norms. The new entry is validated exactly
like an import file's (pipeline/policies.py), written through the store's import, and then the
backlog is re-linked so the queue reflects the change at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict

from ..errors import InputError
from ..extract.norms import display_for_key
from ..models import Policy
from ..policies import parse_policy, read_norm
from ..store.decisions import Database
from ..store.policies import import_policies, load_policies

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
    db: Database,
    policy_id: str,
    aliases: Sequence[str],
    norms: Sequence[str],
    relink: Callable[[], int],
) -> Policy:
    """Replace the policy's aliases and norms, then re-link every document."""
    found = load_policies(db, policy_id)
    if not found:
        raise InputError(f"no policy with id '{policy_id}'")
    entry = asdict(found[0])
    entry.update(
        aliases=list(aliases),
        norms=norm_keys(norms, found[0].country),
        sources=list(entry["sources"]),  # asdict keeps tuples; the file reader wants lists
    )
    updated = parse_policy(entry, f"policy '{policy_id}'")
    import_policies(db, [updated], display_for_key)
    relink()
    return updated
