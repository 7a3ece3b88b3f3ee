"""Scoring: one document's extraction against the policy index → proposed matches with reasons.

Part of the link stage (pure: no store, no network). Conservative by design (STYLE.md 3): only an
exact norm key in the title or lead, of a norm that belongs to a single policy, is auto-accepted;
everything else that carries evidence goes to the editors' queue, with its reasons in plain words.
Weights and what they mean live in evidence.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re

from ..config import LinkSettings
from ..extract.normpage import entry_line
from ..extract.reading import read_norms
from ..models import DateKind, Extraction, Match, MatchStatus, NormMention
from .countryrule import apply_country_rule
from .evidence import (
    W_ALIAS_BODY,
    W_ALIAS_TITLE,
    W_AMENDMENT,
    W_ENTRY_TITLE_BODY,
    W_ENTRY_TITLE_TITLE,
    W_NAMED_ON_ITS_DATE,
    W_PHRASE_TITLE,
    Board,
    Context,
    Evidence,
    Span,
    new_board,
    norm_evidence,
)
from .index import PolicyLookup, word_span, words

MAX_SCORE = 0.99


def score_document(
    extraction: Extraction, lookup: PolicyLookup, settings: LinkSettings
) -> list[Match]:
    """Propose matches (document_id 0: the caller knows the document) for one extraction.
    The document's country is the extraction's (told with its provenance by the extract stage)."""
    if extraction.page_class != "ok":
        return []
    board = new_board()
    placed = _placed(extraction, settings)
    ctx = Context(
        distinct_norms=len({m.key for m in extraction.norms}),
        published_year=extraction.published.value.year if extraction.published else None,
        country=extraction.country.code,
        cited=frozenset(m.key for m, _, _ in placed),
    )
    for mention in extraction.listed_norms:  # what the gazette's listing says the page is
        norm_evidence(mention, "gazette", ctx, lookup, board)
    for mention, where, field_name in placed:
        norm_evidence(mention, where, ctx, lookup, board, field_name)
    _alias_evidence(extraction, lookup, board)
    _relation_evidence(extraction, lookup, board)
    apply_country_rule(board, lookup, extraction.country)
    return [_with_snippet(m, board[m.policy_id], extraction) for m in _decide(board, settings)]


def _with_snippet(match: Match, ev: Evidence, extraction: Extraction) -> Match:
    """On a summary of norms, the entry's own line is its snippet (the page's is about none)."""
    keys = {f.split(":", 1)[1].rsplit(":", 1)[0] for f in ev.facts if f.startswith("norm:")}
    line = entry_line(extraction.text, extraction.norms, keys) if keys else ""
    return dataclasses.replace(match, snippet=line) if line else match


# A sentence ends at a period after a lower-case letter or a closing mark, before a capital:
# "publicó el D.S. Nº 004-2021-JUS" and "No. 004" do not end one, nor does a dateline's year
# ("Lima, 22 de abril de 2021. Mediante el ..."), which keeps a dateline with its sentence.
_SENTENCE_END = re.compile(r"(?<=[a-záéíóúñü)\]\"”»])\.\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"“«])")


# A first "sentence" this short is a dateline ("Lima.") or a label ("Sumario."), not the lead.
MIN_LEAD_CHARS = 40


def lead_end(text: str, start: int, settings: LinkSettings) -> int:
    """Where the lead ends: the first sentence after `start` (the title's end), at most
    `lead_chars` long. Auto-acceptance needs the norm there or in the title, not merely early in
    a short text."""
    limit = min(len(text), start + settings.lead_chars)
    for found in _SENTENCE_END.finditer(text, start, limit):
        if found.start() - start >= MIN_LEAD_CHARS:
            return found.start() + 1
    return limit


def _after_title(text: str, title: str) -> int:
    """The offset after the title when the text opens with it (extract heads text with it),
    word by word with any whitespace between: no pattern is compiled per document."""
    pos = 0
    for word in title.split():
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text[pos : pos + len(word)].casefold() != word.casefold():
            return 0
        pos += len(word)
    return pos


def _placed(extraction: Extraction, settings: LinkSettings) -> list[tuple[NormMention, str, str]]:
    """Each norm mention with where it stands and which string its span is in. When the text
    opens with the title (extract heads it so), the title's mentions are the text's own first
    ones and count once, as "title"; otherwise the title is read on its own."""
    text = extraction.text
    title_end = _after_title(text, extraction.title)
    end = lead_end(text, title_end, settings)
    placed: list[tuple[NormMention, str, str]] = []
    if not title_end and extraction.title:
        found = read_norms(extraction.title, extraction.country, extraction.language)
        placed = [(m, "title", "title") for m in found]
    for m in extraction.norms:
        where = "title" if m.start < title_end else "lead" if m.start < end else "body"
        placed.append((m, where, "text"))
    return placed


def _alias_evidence(extraction: Extraction, lookup: PolicyLookup, board: Board) -> None:
    dates = _page_dates(extraction)
    title_end = _after_title(extraction.text, extraction.title)
    for where, text in (("title", extraction.title), ("body", extraction.text)):
        for hit in lookup.find_aliases(text):
            ev = board[hit.policy_id]
            last = hit.start + len(words(hit.alias)) - 1
            span = _span_in(extraction, where, title_end, hit.start, last)
            if hit.title:
                weight = W_ENTRY_TITLE_TITLE if where == "title" else W_ENTRY_TITLE_BODY
                reason = (
                    f"{where} names the entry's title '{hit.alias}' (an editor's wording,"
                    " weaker than an official name)"
                )
            else:
                weight = W_ALIAS_TITLE if where == "title" else W_ALIAS_BODY
                reason = f"{where} names the policy: '{hit.alias}'"
            ev.add(weight, reason, f"alias:{hit.alias}", "alias", span)
            if hit.dated is not None and hit.dated in dates:
                reason = (
                    f"a page of {hit.dated.isoformat()}, the day '{hit.alias}' was published,"
                    " names it"
                )
                ev.add(W_NAMED_ON_ITS_DATE, reason, f"dated:{hit.alias}", "alias", span)
    for phrase in lookup.shared_phrases(extraction.title):
        if f"alias:{phrase.alias}" in board[phrase.policy_id].facts:
            continue  # the whole name is already there; the phrase adds nothing
        reason = f"title shares '{phrase.phrase}' with the policy's name '{phrase.alias}'"
        fact = f"phrase:{phrase.phrase}"
        span = _span_in(extraction, "title", title_end, phrase.first, phrase.last)
        board[phrase.policy_id].add(W_PHRASE_TITLE, reason, fact, "alias", span)


def _span_in(extraction: Extraction, where: str, title_end: int, first: int, last: int) -> Span:
    """Where words[first..last] of the title or text stand. When the text opens with the title,
    the title's words are the text's first words: the span is given in the text."""
    if where == "title" and not title_end:
        return ("title", *word_span(extraction.title, first, last))
    return ("text", *word_span(extraction.text, first, last))


def _page_dates(extraction: Extraction) -> set[dt.date]:
    """The page's own dates: its publication date and the gazette dates it prints ("DOF:
    25/06/2012" heading the law's text)."""
    found = {d.value for d in extraction.dates if d.kind is DateKind.GAZETTE}
    if extraction.published is not None:
        found.add(extraction.published.value)
    return found


def _relation_evidence(extraction: Extraction, lookup: PolicyLookup, board: Board) -> None:
    for relation in extraction.relations:
        span = ("text", relation.start, relation.end)
        for known in lookup.by_key(relation.target):
            reason = f"{relation.verb.value} {known.display}, one of this policy's norms"
            fact = f"relation:{relation.verb}:{known.key}"
            board[known.policy_id].add(W_AMENDMENT, reason, fact, "amendment", span)


def combined(ev: Evidence) -> float:
    """Independent evidence combines as 1 - Π(1 - w), capped below certainty."""
    miss = 1.0
    for weight in ev.weights:
        miss *= 1.0 - weight
    return round(min(MAX_SCORE, 1.0 - miss), 3)


def _decide(board: Board, settings: LinkSettings) -> list[Match]:
    scored = {pid: combined(ev) for pid, ev in board.items()}
    # Policies by score, so that finding a match's equal-scoring rivals costs one lookup: a
    # title sharing a common phrase puts hundreds of policies on the board, and comparing
    # each with every other was the link stage's hot spot (bench/, figure 3).
    by_score: dict[float, list[str]] = {}
    for pid in sorted(scored):
        by_score.setdefault(scored[pid], []).append(pid)
    matches = []
    for pid, ev in sorted(board.items()):
        score = scored[pid]
        if score < settings.candidate_score and not ev.cited:
            continue  # every citation of a policy's norm is proposed: prominence sets the score
        reasons = list(ev.reasons)
        rival = next((p for p in by_score[score] if p != pid), None)  # the first, by id
        if rival is not None:
            reasons.append(f"ambiguous: {rival} fits equally well")
        auto = (
            ev.auto_ok and not ev.vetoed and rival is None and score >= settings.auto_accept_score
        )
        status = MatchStatus.AUTO if auto else MatchStatus.PENDING
        method = "+".join(sorted(ev.methods))
        digest = evidence_hash(ev.facts)
        marks = tuple(ev.marks)
        matches.append(Match(0, pid, score, tuple(reasons), method, status, digest, marks))
    return matches


def evidence_hash(facts: set[str]) -> str:
    """Identity of the evidence (not of its wording): a change marks decided matches stale."""
    return hashlib.sha256("\x1f".join(sorted(facts)).encode()).hexdigest()[:16]
