"""Extract stage, snippets of legal documents: the parts of a norm's own page (sumilla, the
article that acts) and the lines of a gazette's list of norms, which summary.py and the linker
use to choose a snippet worth publishing.

Takes the sentences summary.py splits, or the main text and its norm mentions; gives sentences
or one cleaned line. Pure: no I/O.

Why it exists: a gazette page's title is its sumilla, so the generic choice published the title
again; the sentence that says what the norm *does* is its first article ("Créase el Mecanismo
...", "Artículo 1.- Aprobar el Protocolo ..."); and a day's summary of norms lists a dozen
unrelated norms, of which only the entry's own line may be published (chosen at link time).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from pipeline.models import NormMention

# A gazette sumilla, as El Peruano titles a norm ("Decreto Supremo que crea el Mecanismo ...") or
# as gob.pe prints it under the number, in the gazette's third-person plural ("Aprueban el
# Protocolo ...", "Crean el Registro ...", "Modifican ..."). French gazettes title a norm "Loi n°
# 2014-388 du 20 juin 2014 portant promotion ..." (its number's dots and dashes are no sentence
# end), Brazil's "Lei que ..." likewise.
SUMILLA = re.compile(
    r"^(?:(?:Decreto|Resoluci[oó]n|Ley|Lei|Ordenanza|Acuerdo|Directiva|Loi|D[ée]cret|Arr[êe]t[ée])"
    r"\b[^\n]{0,80}?\b(?:que|portant)\s"
    r"|(?:Aprueban|Crean|Modifican|Derogan|Declaran|Disponen|Establecen|Regulan|Amplían"
    r"|Prorrogan|Incorporan|Reconocen|Oficializan)\s)",
)
# The operative words of a norm's first article: the gazette's imperative ("Créase",
# "Apruébase", "Modifícase") and the infinitive that resolutions use after "SE RESUELVE:"
# ("Artículo 1.- Aprobar el Protocolo ..."). Later articles (publication, countersignature,
# financing) say how, not what; only the first operative sentence is taken.
_VERBS = (
    r"(?:Créase|Apruébase|Apruébense|Modifícase|Modifíquese|Derógase|Deróguese|Declárase"
    r"|Dispónese|Establécese|Incorpórase|Amplíase|Prorrógase|Reconócese|Aprobar|Crear|Modificar"
    r"|Derogar|Declarar|Establecer|Incorporar|Ampliar|Prorrogar|Reconocer|Oficializar)\b"
)
OPERATIVE = re.compile("^" + _VERBS)
# The gazette runs an article's heading into its text when the line break is lost: "Artículo 1.-
# Creación del Mecanismo Créase el Mecanismo ...". A heading is a few words without a full stop.
_HEADED = re.compile(r"^[^.\n]{1,60}?\s(?=" + _VERBS + ")")
# "Artículo 1.- ", "Artículo Primero.- ", "Art. 1°.- ": the label of an article, cut off like a
# dateline so the sentence starts with its verb.
ARTICLE_LABEL = re.compile(
    r"^Art(?:[íi]culo|\.)\s*(?:\d{1,3}|primero|[úu]nico)\s*[°º]?\s*\.?\s*(?:-|–|—)\s*", re.I
)
# A line of a gazette's summary of norms: an optional bullet, the norm, then ".-" or a dash and
# what it does ("R.M. N° 0255-2020-JUS.- Crean el Registro ... Pág. 10").
_LIST_GAP = re.compile(r"\s*(?:\.-|\.–|\.—|-|–|—|:)\s+")
_BULLET = re.compile(r"^[-•*·]\s*")
# The page reference El Peruano prints at the end of each summary line.
_PAGE_REF = re.compile(r"\s*\bP[áa]g(?:ina)?\.?\s*\d{1,4}\s*$", re.I)
# A page with this many such lines is a list of norms, not a document about one of them.
LIST_PAGE_LINES = 3
# How similar (share of the shorter one's words) two sentences must be to say the same thing:
# "Aprueban el Protocolo X" and "Aprobar el Protocolo X, que forma parte ..." do.
SAME_SENTENCE = 0.6


def words(text: str) -> set[str]:
    """The words of four letters or more, lower case: what two sentences share is compared."""
    return set(re.findall(r"\w{4,}", text.lower()))


def similar(a: str, b: str, share: float = SAME_SENTENCE) -> bool:
    wa, wb = words(a), words(b)
    shorter = min(len(wa), len(wb))
    return shorter > 0 and len(wa & wb) >= share * shorter


def strip_label(sentence: str) -> str:
    """The sentence without its article label and heading ("Artículo 1.- Aprobar ..." →
    "Aprobar ...", "Creación del Mecanismo Créase el ..." → "Créase el ...")."""
    cut = ARTICLE_LABEL.match(sentence)
    rest = sentence[cut.end() :] if cut and cut.end() < len(sentence) else sentence
    headed = _HEADED.match(rest)
    return rest[headed.end() :] if headed else rest


def is_sumilla(sentence: str) -> bool:
    return bool(SUMILLA.match(sentence))


def is_operative(sentence: str) -> bool:
    return bool(OPERATIVE.match(strip_label(sentence)))


def list_lines(text: str, norms: Sequence[NormMention]) -> dict[int, tuple[int, int]]:
    """Start of each norm mention that opens a summary-of-norms line → that line's span."""
    found: dict[int, tuple[int, int]] = {}
    for mention in norms:
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end < 0 else line_end
        head = text[line_start : mention.start]
        if head.strip() and not _BULLET.fullmatch(head.strip() + " "):
            continue
        if _LIST_GAP.match(text, mention.end, line_end):
            found[mention.start] = (line_start, line_end)
    return found


def clean_line(line: str) -> str:
    """A summary line as it can be published: no bullet, no page reference."""
    line = _BULLET.sub("", " ".join(line.split()))
    return _PAGE_REF.sub("", line).strip()


def entry_line(text: str, norms: Sequence[NormMention], keys: Collection[str]) -> str:
    """On a list of norms, the line of the first norm among `keys` (an entry's norms): the only
    line of that page that is about the entry. "" when the page is no list or lacks them."""
    lines = list_lines(text, norms)
    if len(lines) < LIST_PAGE_LINES:
        return ""
    for mention in sorted(norms, key=lambda m: m.start):
        if mention.key in keys and mention.start in lines:
            start, end = lines[mention.start]
            return clean_line(text[start:end])
    return ""
