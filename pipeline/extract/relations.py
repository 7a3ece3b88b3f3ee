"""Extract stage, norm relations: "source verb target" edges said in a text, between norms
find_norms found in it. Takes the text and its mentions; gives `Relation`s ("Decreto Supremo N°
002-2022-JUS, que modifica el Decreto Supremo N° 004-2021-JUS"; deroga, aprueba, reglamenta,
amplía, prorroga; altera, revoga; modifiant, abrogeant; amends, repeals).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from pipeline.extract.grammar import Grammar
from pipeline.extract.normkeys import grammar_of
from pipeline.extract.spelling import fold
from pipeline.models import NormMention, Relation, RelationVerb

# A relation's target must follow its verb closely: "que modifica los artículos 17, 21 y 24 del
# Protocolo aprobado por la" is about as far as real sumillas stretch.
_TARGET_GAP = 120
# An acting norm stands right before its verb: "Decreto Supremo N° 002-2022-JUS, que modifica".
_SOURCE_GAP = 60
# "y el", ", así como la": a join longer than this is prose, not a list of targets.
_JOIN_GAP = 30
# What joins several targets of one verb on one line: "modifica la Ley N° 1 y el Decreto Supremo
# N° 2". A line break ends the list: the next line of a gazette's sumario is another norm's.
_TARGET_JOIN = re.compile(
    r"(?:[^\S\n]|,)*(?:y|e|et|and|así como)?[^\S\n]*"
    r"(?:(?:el|la|los|las|del|the|le|les|o|os|a|as)[^\S\n]+)?",
    re.I,
)


def find_relations(text: str, norms: Sequence[NormMention]) -> list[Relation]:
    """Edges "source verb target" said in `text`; source is "" when the acting norm is unnamed
    ("Decreto Supremo que modifica el ...", a sumilla's "Modifican el ...": the document itself)."""
    if not norms:
        return []
    grammar = grammar_of(norms[0].country, norms[0].type)
    ordered = sorted(norms, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    relations: list[Relation] = []
    seen: set[tuple[str, RelationVerb, str]] = set()
    for match in grammar.verb_re.finditer(text):
        verb = grammar.verbs.get(fold(match.group("verb")))
        if verb is None:
            continue
        source = _source(grammar, text, ordered, starts, match.start())
        for target, verb_here in _targets(grammar, text, ordered, starts, match, verb):
            edge = (source.key if source else "", verb_here, target.key)
            if edge in seen or (source is not None and source.key == target.key):
                continue
            seen.add(edge)
            begin = source.start if source else match.start()
            relations.append(Relation(*edge, text[begin : target.end], begin, target.end))
    return relations


def _source(
    grammar: Grammar, text: str, ordered: list[NormMention], starts: list[int], verb_at: int
) -> NormMention | None:
    index = bisect.bisect_left(starts, verb_at) - 1
    if index < 0 or ordered[index].end > verb_at or verb_at - ordered[index].end > _SOURCE_GAP:
        return None
    gap = text[ordered[index].end : verb_at]
    # Only punctuation, a bare type word and "que" between them: "Ley N° 31347, Ley que modifica".
    return ordered[index] if grammar.source_gap_re.fullmatch(gap) else None


def _targets(
    grammar: Grammar,
    text: str,
    ordered: list[NormMention],
    starts: list[int],
    verb: re.Match[str],
    edge: RelationVerb,
) -> list[tuple[NormMention, RelationVerb]]:
    index = bisect.bisect_left(starts, verb.end())
    if index >= len(ordered):
        return []
    first = ordered[index]
    gap = text[verb.end() : first.start]
    # A target stands on the verb's line, in its clause ("; " ends it), before another verb, and
    # before an agent ("mediante la ...", "por el ...") that names the next clause's norm.
    if len(gap) > _TARGET_GAP or "\n" in gap or ";" in gap or grammar.verb_re.search(gap):
        return []
    if grammar.target_stop_re.search(gap):
        return []
    # "que aprueba el Reglamento de la Ley N° 31405" regulates that law.
    if edge is RelationVerb.APPROVES and grammar.regulates_via_re.search(gap):
        edge = RelationVerb.REGULATES
    found = [(first, edge)]
    for previous, following in zip(ordered[index:], ordered[index + 1 :], strict=False):
        join = text[previous.end : following.start]
        if len(join) > _JOIN_GAP or not _TARGET_JOIN.fullmatch(join):
            break
        found.append((following, edge))
    return found
