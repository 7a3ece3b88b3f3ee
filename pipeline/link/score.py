"""Scoring: one document's extraction against the policy index → proposed matches with reasons.

Part of the link stage (pure: no store, no network). Conservative by design (STYLE.md 3): only an
exact norm key in the title or lead, of a norm that belongs to a single policy, is auto-accepted;
everything else that carries evidence goes to the editors' queue, with its reasons in plain words.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from ..config import LinkSettings
from ..extract.norms import find_norms
from ..models import Extraction, Match, MatchStatus, NormMention
from .index import KnownNorm, PolicyLookup, words

# Weights are probabilities that the evidence alone means "this document is about the policy";
# they combine as independent evidence (1 - Π(1 - w)). Exact citations up front are near-certain;
# a citation deep in the body often is a considerando or a list of the day's norms.
W_EXACT_TITLE = 0.95
W_EXACT_LEAD = 0.92
W_EXACT_BODY = 0.7
# A document citing many distinct norms (a gazette's daily index, a legal digest) mentions each in
# passing; 8 is above what a news article about one policy cites and below a day's index.
LIST_NORMS = 8
W_EXACT_IN_LIST = 0.45
W_PARTIAL_LEAD = 0.75
W_PARTIAL_BODY = 0.55
W_ALIAS_TITLE = 0.7
W_ALIAS_BODY = 0.5
W_AMENDMENT = 0.8
MAX_SCORE = 0.99


@dataclass
class _Evidence:
    weights: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    facts: set[str] = field(default_factory=set)  # what the evidence hash is made of
    auto_ok: bool = False
    methods: set[str] = field(default_factory=set)

    def add(self, weight: float, reason: str, fact: str, method: str) -> None:
        if fact in self.facts:
            return
        self.weights.append(weight)
        self.reasons.append(reason)
        self.facts.add(fact)
        self.methods.add(method)

    def score(self) -> float:
        miss = 1.0
        for weight in self.weights:
            miss *= 1.0 - weight
        return round(min(MAX_SCORE, 1.0 - miss), 3)


def score_document(
    extraction: Extraction, lookup: PolicyLookup, settings: LinkSettings, country: str
) -> list[Match]:
    """Propose matches (document_id 0: the caller knows the document) for one extraction."""
    if extraction.page_class != "ok":
        return []
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    title_norms = find_norms(extraction.title, country) if extraction.title else []
    distinct = {m.key for m in extraction.norms}
    for mention, where in _placed(extraction, title_norms, settings):
        _norm_evidence(mention, where, len(distinct), lookup, evidence)
    _alias_evidence(extraction, lookup, evidence)
    _relation_evidence(extraction, lookup, evidence)
    return _decide(evidence, lookup, settings)


def _placed(
    extraction: Extraction, title_norms: list[NormMention], settings: LinkSettings
) -> list[tuple[NormMention, str]]:
    placed = [(m, "title") for m in title_norms]
    for mention in extraction.norms:
        where = "lead" if mention.start < settings.lead_chars else "body"
        placed.append((mention, where))
    return placed


def _norm_evidence(
    mention: NormMention,
    where: str,
    distinct: int,
    lookup: PolicyLookup,
    evidence: dict[str, _Evidence],
) -> None:
    exact = lookup.by_key(mention.key)
    for known in exact:
        ev = evidence[known.policy_id]
        owners = {k.policy_id for k in exact}
        if where in ("title", "lead"):
            weight = W_EXACT_TITLE if where == "title" else W_EXACT_LEAD
            reason = f"cites {known.display}, one of this policy's norms, in the {where}"
            ev.auto_ok = ev.auto_ok or len(owners) == 1
        elif distinct >= LIST_NORMS:
            weight = W_EXACT_IN_LIST
            reason = f"mentions {known.display} only in a list of {distinct} norms"
        else:
            weight = W_EXACT_BODY
            reason = f"cites {known.display}, one of this policy's norms, in the body"
        if len(owners) > 1:
            reason += f" (the norm belongs to {len(owners)} policies)"
        ev.add(weight, reason, f"norm:{known.key}:{where}", "norm")
    if not exact:
        _partial_evidence(mention, where, lookup, evidence)


def _partial_evidence(
    mention: NormMention, where: str, lookup: PolicyLookup, evidence: dict[str, _Evidence]
) -> None:
    """A mention missing its issuer or precise type fits a known norm only if exactly one does."""
    if not mention.year or (mention.issuer and mention.type not in ("DEC", "RES")):
        return
    fits = [
        k
        for k in lookup.by_number(mention.country, mention.number, mention.year)
        if _type_fits(mention, k) and (not mention.issuer or mention.issuer == k.issuer)
    ]
    if len({k.key for k in fits}) != 1:
        return
    weight = W_PARTIAL_LEAD if where in ("title", "lead") else W_PARTIAL_BODY
    for known in fits:
        reason = (
            f"'{mention.raw}' fits only {known.display} among this policy's norms "
            f"(its {'issuer' if mention.type == known.type else 'type and issuer'} not stated)"
        )
        evidence[known.policy_id].add(weight, reason, f"partial:{known.key}:{where}", "partial")


# An unstated type fits the kinds it names generically: "Decree" any decreto, "Resolution" any
# resolución. Anything else must name the same type.
_GENERIC = {"DEC": ("DS", "DL", "DU", "DEC"), "RES": ("RM", "RS", "RA", "RSG", "RD", "RVM", "RJ")}


def _type_fits(mention: NormMention, known: KnownNorm) -> bool:
    return mention.type == known.type or known.type in _GENERIC.get(mention.type, ())


def _alias_evidence(
    extraction: Extraction, lookup: PolicyLookup, evidence: dict[str, _Evidence]
) -> None:
    for where, text in (("title", extraction.title), ("body", extraction.text)):
        for hit in lookup.find_aliases(text):
            weight = W_ALIAS_TITLE if where == "title" else W_ALIAS_BODY
            reason = f"{where} shares '{hit.alias}' with the policy's name or alias"
            evidence[hit.policy_id].add(weight, reason, f"alias:{hit.alias}", "alias")


def _relation_evidence(
    extraction: Extraction, lookup: PolicyLookup, evidence: dict[str, _Evidence]
) -> None:
    for relation in extraction.relations:
        for known in lookup.by_key(relation.target):
            reason = f"{relation.verb.value} {known.display}, one of this policy's norms"
            evidence[known.policy_id].add(
                W_AMENDMENT, reason, f"relation:{relation.verb}:{known.key}", "amendment"
            )


def _decide(
    evidence: dict[str, _Evidence], lookup: PolicyLookup, settings: LinkSettings
) -> list[Match]:
    scored = {pid: ev.score() for pid, ev in evidence.items()}
    matches = []
    for pid, ev in sorted(evidence.items()):
        score = scored[pid]
        if score < settings.candidate_score:
            continue
        reasons = list(ev.reasons)
        rivals = [p for p, s in scored.items() if p != pid and s == score]
        if rivals:
            reasons.append(f"ambiguous: {rivals[0]} fits equally well")
        auto = ev.auto_ok and not rivals and score >= settings.auto_accept_score
        status = MatchStatus.AUTO if auto else MatchStatus.PENDING
        matches.append(
            Match(
                0,
                pid,
                score,
                tuple(reasons),
                "+".join(sorted(ev.methods)),
                status,
                evidence_hash(ev.facts),
            )
        )
    return matches


def evidence_hash(facts: set[str]) -> str:
    """Identity of the evidence (not of its wording): a change marks decided matches stale."""
    return hashlib.sha256(json.dumps(sorted(facts)).encode()).hexdigest()[:16]


__all__ = ["evidence_hash", "score_document", "words"]
