"""Evidence: what ties one document to a policy, each piece with a weight and a plain reason.

Part of the link stage (pure). Every mention of a policy's norm, wherever it stands, yields
evidence: prominence changes the weight, never whether the policy is proposed. Weights are
probabilities that the evidence alone means "this document is about the policy"; score.py
combines them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..models import EvidenceMark, NormMention
from .index import KnownNorm, PolicyLookup

# An official gazette's listing says the document *is* this norm (its own index, not a mention):
# the strongest evidence there is, above the title's.
W_EXACT_GAZETTE = 0.97
W_EXACT_TITLE = 0.95
W_EXACT_LEAD = 0.92
W_EXACT_BODY = 0.7
# A document citing many distinct norms (a gazette's daily index, a legal digest) mentions each in
# passing; 8 is above what a news article about one policy cites and below a day's index.
LIST_NORMS = 8
W_EXACT_IN_LIST = 0.45
W_PARTIAL_LEAD = 0.75
W_PARTIAL_BODY = 0.55
# A likely typo is worth a look, not a link: low enough that it never reaches auto-acceptance.
W_NEAR_MISS = 0.4
W_ALIAS_TITLE = 0.7
W_ALIAS_BODY = 0.5
# The entry's own title, matched whole (its country prefix removed): editors write it in English
# to describe the policy, so it is a name less surely than an alias copied from the gazette.
W_ENTRY_TITLE_TITLE = 0.6
W_ENTRY_TITLE_BODY = 0.4
# A page of the very day a law cited by name was published that carries that name: most likely the
# gazette's publication of the law itself. Strong, but a name is never auto-accepted.
W_NAMED_ON_ITS_DATE = 0.8
W_PHRASE_TITLE = 0.45
W_AMENDMENT = 0.8
# A document published before the norm it cites existed is not reporting on that norm (a
# republished page, a wrong date, or another norm with a similar number): its weight shrinks.
ANACHRONISM_FACTOR = 0.5
# A policy of another country than the document's: its evidence counts half (countryrule.py).
OTHER_COUNTRY_FACTOR = 0.5


# Where a piece of evidence stands: ("text" | "title", start, end).
Span = tuple[str, int, int]


@dataclass
class Evidence:
    """All evidence for one (document, policy) pair."""

    weights: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    facts: set[str] = field(default_factory=set)  # what the evidence hash is made of
    methods: set[str] = field(default_factory=set)
    auto_ok: bool = False  # an exact key of a single-policy norm in the title or lead
    vetoed: bool = False  # something speaks against auto-acceptance
    cited: bool = False  # cites one of the policy's norms: always proposed, however weakly
    marks: list[EvidenceMark] = field(default_factory=list)  # where each reason stands

    def add(
        self, weight: float, reason: str, fact: str, method: str, span: Span | None = None
    ) -> bool:
        if fact in self.facts:
            return False
        self.weights.append(weight)
        self.reasons.append(reason)
        self.facts.add(fact)
        self.methods.add(method)
        if span is not None:
            kind = "alias" if method == "alias" else "norm"
            self.marks.append(EvidenceMark(len(self.reasons) - 1, kind, *span))
        return True


Board = defaultdict[str, Evidence]


def new_board() -> Board:
    return defaultdict(Evidence)


@dataclass(frozen=True)
class Context:
    """What the evidence rules need to know about the document."""

    distinct_norms: int
    published_year: int | None
    country: str
    # Every norm key the document cites, wherever: a near-miss of one of these is the same norm
    # spelled oddly ("RM 0255-2020-JUS.pdf" beside "Resolución Ministerial N° 0255-2020-JUS"),
    # never a typo for it.
    cited: frozenset[str] = frozenset()


def norm_evidence(
    mention: NormMention,
    where: str,
    ctx: Context,
    lookup: PolicyLookup,
    board: Board,
    field_name: str = "text",
) -> None:
    """Evidence from one mention; `field_name` says which string its span is in ("title" for a
    title read on its own). A norm an official gazette's listing gives has no place in the text
    (start = end): its evidence is marked nowhere."""
    span = (field_name, mention.start, mention.end) if mention.end > mention.start else None
    exact = lookup.by_key(mention.key)
    owners = {k.policy_id for k in exact}
    for known in exact:
        weight, reason = _exact_weight(known, where, ctx)
        if len(owners) > 1:
            reason += f" (the norm belongs to {len(owners)} policies)"
        ev = board[known.policy_id]
        weight, late = _anachronism(weight, known, ctx, ev)
        ev.cited = True
        if ev.add(weight, reason + late, f"norm:{known.key}:{where}", "norm", span):
            ev.auto_ok = ev.auto_ok or (where != "body" and len(owners) == 1 and not late)
    if not exact and not _partial(mention, where, ctx, lookup, board, span):
        _near_miss(mention, ctx, lookup, board, span)


def _exact_weight(known: KnownNorm, where: str, ctx: Context) -> tuple[float, str]:
    if where == "gazette":
        said = f"the official gazette lists this document as {known.display}"
        return W_EXACT_GAZETTE, f"{said}, one of this policy's norms"
    if where in ("title", "lead"):
        weight = W_EXACT_TITLE if where == "title" else W_EXACT_LEAD
        return weight, f"cites {known.display}, one of this policy's norms, in the {where}"
    if ctx.distinct_norms >= LIST_NORMS:
        return (
            W_EXACT_IN_LIST,
            f"mentions {known.display} only in a list of {ctx.distinct_norms} norms",
        )
    return W_EXACT_BODY, f"cites {known.display}, one of this policy's norms, in the body"


def _anachronism(weight: float, known: KnownNorm, ctx: Context, ev: Evidence) -> tuple[float, str]:
    if ctx.published_year is None or not known.year or ctx.published_year >= int(known.year):
        return weight, ""
    ev.vetoed = True
    return weight * ANACHRONISM_FACTOR, (
        f"; but the document was published in {ctx.published_year}, before that norm ({known.year})"
    )


# An unstated type fits the kinds it names generically: "Decree" any decreto, "Resolution" any
# resolución. Anything else must name the same type.
_GENERIC = {"DEC": ("DS", "DL", "DU", "DEC"), "RES": ("RM", "RS", "RA", "RSG", "RD", "RVM", "RJ")}


def _type_fits(mention: NormMention, known: KnownNorm) -> bool:
    return mention.type == known.type or known.type in _GENERIC.get(mention.type, ())


def _partial(
    mention: NormMention,
    where: str,
    ctx: Context,
    lookup: PolicyLookup,
    board: Board,
    span: Span | None,
) -> bool:
    """A mention missing its issuer or precise type fits a known norm only if exactly one does."""
    if not mention.year or (mention.issuer and mention.type not in _GENERIC):
        return False
    fits = [
        k
        for k in lookup.by_number(mention.country, mention.number, mention.year)
        if _type_fits(mention, k) and (not mention.issuer or mention.issuer == k.issuer)
    ]
    if len({k.key for k in fits}) != 1:
        return False
    weight = W_PARTIAL_LEAD if where in ("gazette", "title", "lead") else W_PARTIAL_BODY
    for known in fits:
        missing = "issuer" if mention.type == known.type else "type and issuer"
        reason = (
            f"'{mention.raw}' fits only {known.display} among known norms"
            f" (its {missing} not stated)"
        )
        ev = board[known.policy_id]
        weight, late = _anachronism(weight, known, ctx, ev)
        ev.add(weight, reason + late, f"partial:{known.key}:{where}", "partial", span)
    return True


def _near_miss(
    mention: NormMention, ctx: Context, lookup: PolicyLookup, board: Board, span: Span | None
) -> None:
    """A number one keystroke away from a known norm, or the same number with an issuer that
    contains the known one ("-MINJUS" for "-JUS"): likely a typo, flagged and never auto."""
    if not mention.year:
        return
    for known in lookup.by_type_year(mention.country, mention.type, mention.year):
        if known.key in ctx.cited:
            continue
        same_number = known.number == mention.number
        if same_number and not _issuer_variant(mention.issuer, known.issuer):
            continue
        if not same_number and not (
            _one_edit(mention.number, known.number) and mention.issuer in ("", known.issuer)
        ):
            continue
        ev = board[known.policy_id]
        ev.vetoed = True
        reason = (
            f"'{mention.raw}' looks like a typo for {known.display}, one of this policy's norms"
        )
        ev.add(W_NEAR_MISS, reason, f"near:{known.key}:{mention.key}", "near-miss", span)


def _issuer_variant(got: str, known: str) -> bool:
    return bool(got and known) and got != known and (known in got or got in known)


def _one_edit(a: str, b: str) -> bool:
    """Damerau distance 1 between two numbers (a digit dropped, added, changed or swapped)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
