"""Amendment proposals: a document whose norm modifies, repeals or regulates one of a policy's
norms means the policy's "updated" date and status may need an editor's look.

Part of the link stage (pure). Proposed only when the acting norm is not already one of the
policy's norms (then the editors already know about it).
"""

from __future__ import annotations

from ..models import Extraction, Proposal, RelationVerb
from .index import PolicyLookup

# What changes a policy's substance; "approves" names what a norm puts in force (usually the
# policy's own norm being created) and is not an amendment.
AMENDING = frozenset(
    {RelationVerb.MODIFIES, RelationVerb.REPEALS, RelationVerb.REGULATES, RelationVerb.EXTENDS}
)


def find_proposals(extraction: Extraction, lookup: PolicyLookup) -> list[Proposal]:
    if extraction.page_class != "ok":
        return []
    out: dict[tuple[str, str, str, str], Proposal] = {}
    for relation in extraction.relations:
        if relation.verb not in AMENDING:
            continue
        source = relation.source or _acting_norm(extraction, relation.target)
        for known in lookup.by_key(relation.target):
            policy = lookup.policy(known.policy_id)
            if source in policy.norms:
                continue  # the editors already count the acting norm among the policy's
            key = (policy.id, source, relation.verb.value, known.key)
            out.setdefault(
                key,
                Proposal(policy.id, "amendment", source, relation.verb, known.key, relation.raw),
            )
    return list(out.values())


def _acting_norm(extraction: Extraction, target: str) -> str:
    """When the sentence does not name the acting norm, a gazette page's own norm (the first it
    names, other than the one acted on) is the best guess; "" when the page names no other."""
    return next((m.key for m in extraction.norms if m.key != target), "")
