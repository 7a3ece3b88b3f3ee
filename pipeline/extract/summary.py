"""Extract stage, summary: main text + norm mentions (+ meta description) → the 1-3 sentence snippet
the observatory publishes next to a source's name.

Extractive only: the document's own sentences, so the snippet is in its language and never says
what the page does not. Sentences that name a norm and say what it does ("crea", "aprueba",
"modifica") win; boilerplate (menus, cookie banners, "Lee también", share buttons) never enters.
The meta description is the fallback when no sentence says anything about a norm. Never the
title again (nor a description that repeats it), never a list line of a summary of norms (the
linker picks the entry's own line, normpage.entry_line), never a piece cut out of a sentence. On
a norm's own page the snippet is its sumilla and what its first article does (normpage.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.normpage import (
    ARTICLE_LABEL,
    LIST_PAGE_LINES,
    is_operative,
    is_sumilla,
    list_lines,
    similar,
    strip_label,
    words,
)
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
    # sign-ups; not "boletín" alone: "el Boletín Oficial publicó el Decreto ..." is the news
    "nuestro boletín",
    "al boletín",
    "recibe el boletín",
    "recibir el boletín",
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
    # Portuguese and French furniture (Brazilian and Ivorian press, gov.br, gouv.ci)
    "leia mais",
    "saiba mais",
    "veja também",
    "compartilhe",
    "inscreva-se",
    "política de privacidade",
    "todos os direitos reservados",
    "à lire aussi",
    "voir aussi",
    "en savoir plus",
    "partager sur",
    "abonnez-vous",
    "politique de confidentialité",
    "tous droits réservés",
    "see also",
)
# What a norm does, in the languages the observatory reads. Present-tense and participle forms:
# gazette summaries say "Decreto Supremo que crea", news say "aprobó" / "fue aprobado". Not the
# Portuguese "criado"/"criada": in Spanish they are a servant and a surname ("Lever Criado").
ACTION = re.compile(
    r"\b(?:crea|creó|creado|creada|aprueba|aprobó|aprobado|aprobada|modifica|modificó|modificado"
    r"|deroga|derogó|derogado|reglamenta|reglamentó|establece|estableció|dispone|dispuso|declara"
    r"|amplía|amplió|prorroga|protege|regula|creates?|created|approves?|approved|amends?|amended"
    r"|modifies|modified|repeals?|repealed|regulates?|establishe[sd]|cria|criou|aprova|aprovou"
    r"|altera|alterou|revoga|revogou|institui|instituiu|instituído|instituída|regulamenta"
    r"|regulamentou|dispõe|aprovado|aprovada|alterado|revogado|sancionou"
    r"|crée|créé|créée|approuve|approuvé|modifie|modifié|abroge|abrogé|institue|adopte|adopté"
    r"|adoptée|promulgue|promulgué|portant|adopts?|adopted|enacts?|enacted"
    # the gazette's sumillas, third person plural: "Aprueban el Protocolo", "Crean el Registro"
    r"|aprueban|crean|modifican|derogan|declaran|establecen|disponen|regulan"
    # the gazette's imperative forms in article 1: "Créase el Mecanismo", "Apruébase el Protocolo"
    r"|créase|apruébase|modifícase|derógase|declárase)\b",
    re.I,
)
# A sentence may end at . ! ? (maybe followed by a closing quote or bracket) and white space; it
# does end there only when what follows opens a sentence and what precedes is no abbreviation.
_END = re.compile(r"[.!?][\"”»)]?\s+")
# What may stand before a sentence's first letter: an opening quote, mark or bracket.
_OPENERS = "\"“«¿¡('"
# Words ending in "." that do not end a sentence, in the four languages the observatory reads:
# number markers ("N°. 004", "nº. 9.937", "No. 34-2015"), article references ("Art. 2", "arts.
# 17 y 21"), titles before names ("Dr.", "Sr.", "Mr.", "Lic.", "Me." for Maître), norm types
# abbreviated in citations ("Dto. 361/19" in Argentina, "Res.", "Dec."). Compared lower case.
ABBREVIATIONS = frozenset(
    {
        # number markers
        "n", "nº", "n°", "n.º", "n.°", "no", "nos", "nro", "nros", "núm", "num", "número",
        # articles, clauses, pages
        "art", "arts", "inc", "incs", "lit", "párr", "par", "al", "cap", "p", "pp", "pág",
        "págs", "fl", "fls", "cf", "vol", "ed", "etc", "vs", "op", "cit", "ibid",
        # titles and forms of address (es, pt, fr, en)
        "dr", "dra", "drs", "sr", "sra", "srta", "sres", "lic", "licda", "ing", "abg", "arq",
        "prof", "profa", "gral", "gen", "cnel", "exmo", "exma", "mr", "mrs", "ms", "messrs", "me",
        "mme", "mlle", "mm", "st", "jr", "sen", "rep", "hon", "gov", "pres", "dep", "dip",
        # norm types abbreviated in citations
        "dto", "dec", "decr", "res", "resol", "ord", "exp", "of", "reg",
        # places and companies
        "av", "avda", "co", "cia", "ltda", "ee.uu", "eeuu", "d.s", "r.m", "r.s", "s.a",
        "p.ej",
    }
)  # fmt: skip
# A dotted abbreviation ("D.O.", "D.Leg.", "EE.UU.", "R.M."): letters and dots, no vowel-led word.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")
# Before a number, a short word ending in "." is a type or marker ("Dto. 361/19", "Ley. 2019" is
# never written): a sentence opening with a number needs a longer word before it.
SHORT_BEFORE_NUMBER = 5
# How far back the word before a full stop is looked for: longer than any abbreviation.
WORD_WINDOW = 24
# Score weights: a norm named is the strongest sign the sentence is the one editors want; what it
# does is next; the lede (first sentences) is the usual place for both.
W_NORM, W_ACTION, W_LEDE = 3.0, 2.0, 1.0
LEDE_SENTENCES = 3
# A sentence that repeats most of the title is the sumilla of a gazette page or the lede of a news
# story: what the document itself is about, rather than an older norm it cites.
W_TITLE, TITLE_OVERLAP = 3.0, 0.6
# A sentence whose words are nearly all the title's is the headline itself.
HEADLINE_OVERLAP = 0.9
# A sumilla is printed right under the number, before the recitals: looked for this early only.
SUMILLA_WITHIN = 5
# Recitals ("Que, mediante Decreto Supremo N° 002-2018-JUS se aprueba ...", "VISTOS:") say why a
# norm is issued, citing older norms; they are never the snippet editors want.
W_RECITAL = 4.0
# Datelines opening a news lede are cut off: "Lima, 27 de abril de 2019.- ", "LIMA (EFE).- ",
# "Tegucigalpa, M.D.C., 15 de mayo de 2015.- ", "BRASÍLIA - ". The dash follows a full stop or a
# space, never a digit: "Loi n° 2014-388" and "Decreto Nº 34-2015" open sentences, not datelines.
DATELINE = re.compile(
    r"^[A-ZÁÉÍÓÚÑÂÊÔÃÕÇÀÈ][^,\n]{1,40}?(?:,[^,\n]{1,40}?){0,2}(?:\.|\s)(?:-{1,2}|—|–)\s*"
)
# A list bullet or a separator left by a dropped element ("· Año XXXVII"): not part of a sentence.
BULLET = re.compile(r"^[-•·*|]\s+")
# A piece that ends like a sentence is one; a caption or a heading ("Año XXXVII · Separata de
# Normas Legales") does not, and loses ties to one that does.
W_COMPLETE = 0.5
_ENDS = (".", "!", "?", ".”", '."', ".»", "”", "»", ";")
# A description that ends in an ellipsis was cut by the site ("... las obras paralizadas …").
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\"”»)]?$")
RECITAL = re.compile(
    r"^(?:Que,|Que\s|VISTOS?\b|CONSIDERANDO\b|De conformidad|Considérant\b|Vu\s|Sur\s(?:le\s)?"
    r"rapport\b|Tendo em vista\b|Whereas\b)",
    re.I,
)


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


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the mark at text[stop] ends a sentence, given the next word starts at `after`."""
    following = text[after : after + 2].lstrip(_OPENERS)[:1]
    if not following or not (following.isupper() or following.isdigit()):
        return False
    if text[stop] != ".":
        return True  # "!" and "?" are never abbreviations
    before = text[max(0, stop - WORD_WINDOW) : stop].split()
    low = before[-1].lstrip(_OPENERS).lower() if before else ""
    if len(low) == 1 or low in ABBREVIATIONS or _DOTTED.fullmatch(low):
        return False  # "M. Ouattara", "Art. 2", "D.O. 48.294": the citation goes on
    return not (following.isdigit() and len(low) <= SHORT_BEFORE_NUMBER)


def _boundaries(text: str) -> list[int]:
    """Offsets just after each sentence-ending mark (and its closing quote) in `text`."""
    return [
        m.end() - len(m.group().lstrip('.!?"”»)'))
        for m in _END.finditer(text)
        if _ends_sentence(text, m.start(), m.end())
    ]


def _split(paragraph: str, offset: int) -> list[tuple[str, int]]:
    pieces: list[tuple[str, int]] = []
    pos = 0
    for end in [*_boundaries(paragraph), len(paragraph)]:
        piece = paragraph[pos:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            pieces.append((piece.strip(), offset + pos + lead))
        pos = end
    return pieces


def sentences(text: str) -> list[Sentence]:
    """The text's sentences outside boilerplate paragraphs, with spans into `text`. A dateline
    ("Lima, 22 de abril de 2021.- ") or an article label ("Artículo 1.- ") opening a sentence is
    cut off, so the sentence starts with its own first word."""
    found: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        if paragraph.strip() and not _boilerplate(paragraph):
            for piece, start in _split(paragraph, offset):
                for label in (BULLET, DATELINE, ARTICLE_LABEL):
                    if (cut := label.match(piece)) and cut.end() < len(piece) // 2:
                        piece, start = piece[cut.end() :], start + cut.end()
                if len(piece) >= MIN_SENTENCE_CHARS:
                    found.append(Sentence(piece, start, start + len(piece), len(found), number))
        offset += len(paragraph) + 1
    return found


def is_title(sentence: str, title: str) -> bool:
    """The page's title repeated (a headline, or a gazette sumilla that is also the title, with
    or without the " - DECRETO SUPREMO - N° ..." the gazette appends): never the snippet."""
    own, title_words = words(sentence), words(title)
    return bool(own) and len(own & title_words) >= HEADLINE_OVERLAP * len(own)


def _score(s: Sentence, norms: Sequence[NormMention], title_words: set[str]) -> float:
    score = W_NORM if any(s.start <= n.start < s.end for n in norms) else 0.0
    score += W_ACTION if ACTION.search(s.text) else 0.0
    score += W_LEDE if s.index < LEDE_SENTENCES else 0.0
    score += W_COMPLETE if s.text.endswith(_ENDS) else 0.0
    own = words(s.text)
    if title_words and len(own & title_words) >= TITLE_OVERLAP * len(title_words):
        score += W_TITLE
    return score - (W_RECITAL if RECITAL.match(s.text) else 0.0)


def cap(text: str, limit: int = MAX_CHARS) -> str:
    """Cut at the last sentence end (or else clause, or else word) before `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    # A sentence end found by the splitter's rules, so "Decreto nº 9.937" is never cut at "9.".
    ends = [end for end in _boundaries(text) if end <= limit]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]]
    head = text[:limit]
    for marks in (";:", ","):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit // 2:
            return head[:cut] + "…"
    return head.rsplit(" ", 1)[0] + "…"


def summarize(
    text: str, norms: Sequence[NormMention] = (), description: str = "", title: str = ""
) -> str:
    """1-3 of the document's sentences, the best first in document order, ≤ ~MAX_CHARS."""
    listed = list_lines(text, norms)
    spans = list(listed.values()) if len(listed) >= LIST_PAGE_LINES else []
    candidates = [
        s
        for s in sentences(text)
        if not is_title(s.text, title) and not any(a <= s.start < b for a, b in spans)
    ]
    own = _norm_page(candidates)
    if own:
        return own
    fallback = _whole(description) if not is_title(description, title) else ""
    if not candidates:
        return cap(fallback)
    title_words = words(title)
    scores = [_score(s, norms, title_words) for s in candidates]
    at = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    if scores[at] <= W_LEDE + W_COMPLETE and len(fallback) >= MIN_SENTENCE_CHARS:
        return cap(fallback)  # nothing says what a norm does: the page's own summary is better
    chosen = [candidates[at]]
    for following in candidates[at + 1 : at + MAX_SENTENCES]:
        # continue the best sentence's own paragraph only: the next one is another topic
        too_long = sum(len(s.text) + 1 for s in chosen) + len(following.text) > MAX_CHARS
        if following.paragraph != chosen[0].paragraph or too_long:
            break
        chosen.append(following)
    return cap(" ".join(s.text for s in chosen))


def _whole(description: str) -> str:
    """The description's complete sentences: sites cut it at ~160 characters mid-word ("Fue un
    mo", "Fue un mo...", "Fue un mo…"), and a fragment is never the snippet. "" when not even one
    sentence is whole."""
    text = " ".join(description.split())
    if text.endswith(_ENDS) and not _ELLIPSIS.search(text):
        return text
    cut = max(text.rfind(". "), text.rfind("? "), text.rfind("! "))
    return text[: cut + 1] if cut + 1 >= MIN_SENTENCE_CHARS else ""


def _norm_page(candidates: Sequence[Sentence]) -> str:
    """A norm's own page: its sumilla (unless it is the title, already excluded) and what its
    first article does, when that says more than the sumilla. "" on other pages."""
    sumilla = next((s.text for s in candidates[:SUMILLA_WITHIN] if is_sumilla(s.text)), "")
    operative = next((strip_label(s.text) for s in candidates if is_operative(s.text)), "")
    if operative and sumilla and similar(operative, sumilla):
        operative = ""  # "Aprobar el Protocolo X" after "Aprueban el Protocolo X" says it twice
    parts = [p for p in (sumilla, operative) if p]
    if not parts:
        return ""
    both = " ".join(p if p.endswith((".", "”", '"', "»")) else p + "." for p in parts)
    return cap(both) if len(both) <= MAX_CHARS else cap(parts[0])
