"""Extract stage, summary: main text + norm mentions (+ meta description) → the 1-3 sentence snippet
the observatory publishes next to a source's name.

Extractive only: the document's own sentences, so the snippet is in its language and never says
what the page does not. Sentences that name a norm and say what it does ("crea", "aprueba",
"modifica") win; boilerplate (menus, cookie banners, "Lee también", share buttons) never enters.
The meta description is the fallback when no sentence says anything about a norm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import NormMention

# The observatory's snippets run 150-400 characters; longer ones are cut at a sentence boundary.
MAX_CHARS = 400
MAX_SENTENCES = 3
# Shorter "sentences" are menu items, captions, bylines and buttons.
MIN_SENTENCE_CHARS = 40
# Paragraphs with these words are site furniture, not the document. Matched lowercased.
BOILERPLATE = (
    "lee también",
    "lea también",
    "leer también",
    "lee más",
    "te puede interesar",  # related links
    "también te puede",
    "más noticias",
    "ver más",
    "noticias relacionadas",
    "read more",
    "related:",
    "leia também",
    "lire aussi",
    "suscríbete",
    "suscribete",
    "suscríbase",
    "subscribe",
    "newsletter",
    "boletín",  # sign-ups
    "cookies",
    "política de privacidad",
    "aviso legal",
    "privacy policy",  # banners, footers
    "derechos reservados",
    "all rights reserved",
    "todos los derechos",
    "compartir en",
    "comparte esta",
    "comparte en",
    "share on",
    "share this",  # share buttons
    "síguenos",
    "siguenos",
    "follow us",
    "whatsapp",
    "telegram",
    "facebook",
    "twitter",
    "haz clic",
    "click here",
    "clic aquí",
    "publicidad",
    "advertisement",
    "inicia sesión",
    "iniciar sesión",
    "regístrate",
    "sign in",  # account walls
)
# What a norm does, in the languages the observatory reads. Present-tense and participle forms:
# gazette summaries say "Decreto Supremo que crea", news say "aprobó" / "fue aprobado".
ACTION = re.compile(
    r"\b(?:crea|creó|creado|creada|aprueba|aprobó|aprobado|aprobada|modifica|modificó|modificado"
    r"|deroga|derogó|derogado|reglamenta|reglamentó|establece|estableció|dispone|dispuso|declara"
    r"|amplía|amplió|prorroga|protege|regula|creates?|created|approves?|approved|amends?|amended"
    r"|modifies|modified|repeals?|repealed|regulates?|establishe[sd]|cria|criou|aprova|aprovou"
    r"|altera|alterou|revoga|revogou|institui|crée|approuve|modifie|abroge"
    # the gazette's imperative forms in article 1: "Créase el Mecanismo", "Apruébase el Protocolo"
    r"|créase|apruébase|modifícase|derógase|declárase)\b",
    re.I,
)
# Sentence ends: . ! ? (and the same followed by a closing quote) before a capital, quote or
# opening mark. Abbreviations are re-joined below.
_SPLIT = re.compile(r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«¿¡(]?[A-ZÁÉÍÓÚÑÀÂÇÉÈÊ0-9])")
# Words ending in "." that do not end a sentence: "N°. 004", "Art. 2", "Dr. Pérez", "D.S. 004".
ABBREVIATIONS = frozenset(
    [
        "n",
        "nº",
        "n°",
        "no",
        "nro",
        "núm",
        "num",
        "art",
        "arts",
        "inc",
        "dr",
        "dra",
        "sr",
        "sra",
        "srta",
        "lic",
        "ing",
        "av",
        "mr",
        "mrs",
        "ms",
        "st",
        "jr",
        "etc",
        "ee.uu",
        "eeuu",
        "d.s",
        "r.m",
        "r.s",
        "s.a",
        "p.ej",
        "vs",
        "pág",
        "pp",
    ]
)
# Score weights: a norm named is the strongest sign the sentence is the one editors want; what it
# does is next; the lede (first sentences) is the usual place for both.
W_NORM, W_ACTION, W_LEDE = 3.0, 2.0, 1.0
LEDE_SENTENCES = 3
# A sentence that repeats most of the title is the sumilla of a gazette page or the lede of a news
# story: what the document itself is about, rather than an older norm it cites.
W_TITLE, TITLE_OVERLAP = 3.0, 0.6
# A sentence whose words are nearly all the title's is the headline itself.
HEADLINE_OVERLAP = 0.9
# Recitals ("Que, mediante Decreto Supremo N° 002-2018-JUS se aprueba ...", "VISTOS:") say why a
# norm is issued, citing older norms; they are never the snippet editors want.
W_RECITAL = 4.0
# A gazette sumilla, "Decreto Supremo que crea el Mecanismo ...": the headline that is the snippet
# on El Peruano pages. Other headlines (news) are not sentences of the document and are skipped.
SUMILLA = re.compile(
    r"^(?:Decreto|Resoluci[oó]n|Ley|Ordenanza|Acuerdo|Directiva)\b[^.\n]{0,80}?\bque\s", re.I
)
# Datelines opening a news lede ("Lima, 27 de abril de 2019.- ", "LIMA (EFE).- ") are cut off.
DATELINE = re.compile(r"^[A-ZÁÉÍÓÚÑ][^,.\n]{1,40}(?:,[^.\n]{1,40}?)?\s?(?:\.-|\.—|-{1,2}|—|–)\s*")
RECITAL = re.compile(r"^(?:Que,|Que\s|VISTOS?\b|CONSIDERANDO\b|De conformidad)", re.I)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    index: int
    paragraph: int


def _boilerplate(paragraph: str) -> bool:
    low = paragraph.lower()
    return any(b in low for b in BOILERPLATE)


def _split(paragraph: str, offset: int) -> list[tuple[str, int]]:
    pieces: list[tuple[str, int]] = []
    pos = 0
    for m in _SPLIT.finditer(paragraph):
        pieces.append((paragraph[pos : m.start()].strip(), offset + pos))
        pos = m.end()
    pieces.append((paragraph[pos:].strip(), offset + pos))
    merged: list[tuple[str, int]] = []
    for piece, start in pieces:
        last_word = merged[-1][0].rsplit(None, 1)[-1].rstrip(".").lower() if merged else ""
        if merged and (last_word in ABBREVIATIONS or len(last_word) == 1):
            merged[-1] = (f"{merged[-1][0]} {piece}", merged[-1][1])
        else:
            merged.append((piece, start))
    return merged


def sentences(text: str) -> list[Sentence]:
    """The text's sentences outside boilerplate paragraphs, with spans into `text`."""
    found: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        if paragraph.strip() and not _boilerplate(paragraph):
            for piece, start in _split(paragraph, offset):
                if (cut := DATELINE.match(piece)) and cut.end() < len(piece) // 2:
                    piece, start = piece[cut.end() :], start + cut.end()
                if len(piece) >= MIN_SENTENCE_CHARS:
                    found.append(Sentence(piece, start, start + len(piece), len(found), number))
        offset += len(paragraph) + 1
    return found


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w{4,}", text.lower()))


def _headline(sentence: str, title: str) -> bool:
    """The page's headline repeated in its text (not a sentence), unless it is a gazette sumilla."""
    words, title_words = _words(sentence), _words(title)
    same = bool(words) and len(words & title_words) >= HEADLINE_OVERLAP * len(words)
    return same and not SUMILLA.match(sentence)


def _score(s: Sentence, norms: Sequence[NormMention], title_words: set[str]) -> float:
    score = W_NORM if any(s.start <= n.start < s.end for n in norms) else 0.0
    score += W_ACTION if ACTION.search(s.text) else 0.0
    score += W_LEDE if s.index < LEDE_SENTENCES else 0.0
    words = _words(s.text)
    if title_words and len(words & title_words) >= TITLE_OVERLAP * len(title_words):
        score += W_TITLE
    return score - (W_RECITAL if RECITAL.match(s.text) else 0.0)


def cap(text: str, limit: int = MAX_CHARS) -> str:
    """Cut at the last sentence end (or else clause, or else word) before `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    for marks in (".!?", ";:", ","):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit // 2:
            return head[: cut + 1] if marks == ".!?" else head[:cut] + "…"
    return head.rsplit(" ", 1)[0] + "…"


def summarize(
    text: str, norms: Sequence[NormMention] = (), description: str = "", title: str = ""
) -> str:
    """1-3 of the document's sentences, the best first in document order, ≤ ~MAX_CHARS."""
    candidates = [s for s in sentences(text) if not _headline(s.text, title)]
    if not candidates:
        return cap(description)
    title_words = _words(title)
    scores = [_score(s, norms, title_words) for s in candidates]
    at = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    if scores[at] <= W_LEDE and len(description) >= MIN_SENTENCE_CHARS:
        return cap(description)  # nothing says what a norm does: the page's own summary is better
    chosen = [candidates[at]]
    for following in candidates[at + 1 : at + MAX_SENTENCES]:
        # continue the best sentence's own paragraph only: the next one is another topic
        too_long = sum(len(s.text) + 1 for s in chosen) + len(following.text) > MAX_CHARS
        if following.paragraph != chosen[0].paragraph or too_long:
            break
        chosen.append(following)
    return cap(" ".join(s.text for s in chosen))
