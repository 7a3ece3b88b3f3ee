"""The linker's country rules: a document of another country than the entry's weighs against the
match, and a document whose country could not be told is never accepted without an editor.

Part of the link stage (pure). Applied to every policy on the board once its evidence is in, so
one rule covers norms, names and amendments alike, with one reason in plain words.
"""

from __future__ import annotations

from ..extract.countries import country_name
from ..models import DocumentCountry
from .evidence import OTHER_COUNTRY_FACTOR, Board
from .index import PolicyLookup


def _named(code: str) -> str:
    return country_name(code) or code


def apply_country_rule(board: Board, lookup: PolicyLookup, where: DocumentCountry) -> None:
    """Weigh each policy's evidence by whether the document is of the policy's country."""
    for policy_id, ev in board.items():
        policy_country = lookup.policy(policy_id).country
        if not where.known:
            # Its norms were read with every grammar of its language: a number that fits a
            # Peruvian decree may be a Colombian one. Proposed, never auto-accepted.
            ev.vetoed = True
            ev.facts.add("country:undetermined")
            ev.reasons.append(
                f"the document's country could not be told ({where.detail}): an editor must"
                " confirm it is about this policy"
            )
        elif policy_country != where.code:
            # A name or phrase shared across borders ("mecanismo de protección") is weaker
            # evidence for another country's policy: it counts half, and never alone.
            ev.weights[:] = [w * OTHER_COUNTRY_FACTOR for w in ev.weights]
            ev.vetoed = True
            ev.facts.add(f"country:{where.code}")
            ev.reasons.append(
                f"but the document is from {_named(where.code)} ({where.detail}) and the policy"
                f" from {_named(policy_country)}: its evidence counts half and needs an editor"
            )
