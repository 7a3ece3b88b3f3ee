"""Extract stage, first step of reading: HTML or text bytes → str, and which charset was chosen and
why. The only module that imports charset_normalizer.

Servers lie about charsets (a utf-16 header on a latin-1 page; utf-8 meta tags on cp1252 bytes),
so a declaration is trusted only when the bytes decode to plausible text under it. The cascade,
cheapest and surest first, each step recorded as `method`:

    bom       a byte-order mark: the bytes say what they are
    utf-8     valid UTF-8 (a truncated last character aside): never an accident in other charsets
    declared  the meta tag's or the Content-Type's charset, when its text is plausible
    repaired  UTF-8 with a few stray bytes of another charset (an ad, a pasted name): decoded as
              UTF-8, the stray bytes replaced, rather than every accent turned into "Ã©"
    detected  charset_normalizer's choice among plausible charsets, cp1252 first (the web's
              default for Latin-script pages, WHATWG; statistically it ties with cp1250, whose
              "ń" would stand for every Spanish "ñ")
    default   nothing plausible: cp1252 with replacement characters

Plausible means charset_normalizer's "mess" measure (odd successions of accents, scripts mixed
within words, unprintable characters) stays under MAX_CHAOS, and markup still reads as markup.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Measured on pages in their true charsets: 0.000-0.025. The same pages decoded in a wrong
# single-byte charset (cp1251 for cp1252, mac_roman, iso8859-7): 0.08-0.15. A wrong multi-byte
# one (utf-16 for latin-1) is refused outright.
MAX_CHAOS = 0.05
# How much of a body UTF-8 may get wrong and still be read as UTF-8: one invalid sequence per
# this many characters it decoded correctly beyond ASCII.
REPAIR_RATIO = 10
# Markup starts within this many characters of decoded HTML; under a wrong codec it is gone.
MARKUP_WINDOW = 2048

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x"> and <meta http-equiv content="text/html; charset=x">, in the first 4 KB.
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{2,40})", re.I)
# WHATWG: labels for Latin-1 mean windows-1252 (its superset), which is what servers really send.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "utf8": "utf-8",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str  # Python's codec name: "utf-8", "cp1252", "utf-16-le", "cp1251"
    method: str  # bom | utf-8 | declared | repaired | detected | default


def boms() -> tuple[bytes, ...]:
    """The byte-order marks `decode` honours (the sniffer routes UTF-16 by them)."""
    return tuple(bom for bom, _ in _BOMS)


def decode(body: bytes, content_type: str = "", *, markup: bool = False) -> Decoded:
    """Decode HTML (`markup`) or text bytes; never raises. See the module doc for the cascade."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "bom")
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")
    for codec in declared(body, content_type):
        text = _strict(body, codec)
        if text is not None and _plausible(body, codec, text, markup):
            return Decoded(text, codec, "declared")
    # Mostly-UTF-8 first: no single-byte page holds ten valid UTF-8 sequences per stray byte
    # by accident, while detection would read such a page as one more Latin code page.
    return _repaired(body) or _detected(body, markup) or _default(body)


def declared(body: bytes, content_type: str = "") -> list[str]:
    """The codecs the page declares, meta tag first, known to Python, UTF-8 left out (bytes that
    are not UTF-8 were tried as UTF-8 already)."""
    labels: list[str] = []
    if meta := _META_CHARSET.search(body[:4096]):
        labels.append(meta.group(1).decode("ascii", "replace"))
    if header := _HEADER_CHARSET.search(content_type):
        labels.append(header.group(1))
    codecs_ = [_known(label) for label in labels]
    return list(dict.fromkeys(c for c in codecs_ if c and c != "utf-8"))


def _known(label: str) -> str | None:
    label = _ALIASES.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str) -> str | None:
    """`body` decoded without a single error, or None. An incremental decoder forgives only a
    character cut at the very end (a truncated download), nothing inside."""
    try:
        return codecs.getincrementaldecoder(codec)(errors="strict").decode(body, final=False)
    except (UnicodeError, LookupError):  # UnicodeError: "UTF-16 stream does not start with BOM"
        return None


def _plausible(body: bytes, codec: str, text: str, markup: bool) -> bool:
    if markup and "<" not in text[:MARKUP_WINDOW]:
        return False
    # The threshold alone is not enough: with nothing under it, charset_normalizer falls back
    # to returning the isolated codec anyway.
    return any(m.chaos <= MAX_CHAOS for m in from_bytes(body, cp_isolation=[codec]))


def _detected(body: bytes, markup: bool) -> Decoded | None:
    text = _strict(body, "cp1252")
    if text is not None and _plausible(body, "cp1252", text, markup):
        return Decoded(text, "cp1252", "detected")
    best = from_bytes(body, threshold=MAX_CHAOS).best()
    if best is None or best.chaos > MAX_CHAOS or best.encoding == "utf_8":
        return None
    text = str(best)
    if markup and "<" not in text[:MARKUP_WINDOW]:
        return None
    return Decoded(text, codecs.lookup(best.encoding).name, "detected")


def _repaired(body: bytes) -> Decoded | None:
    text = body.decode("utf-8", errors="replace")
    errors = text.count("\ufffd")
    beyond_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - errors
    if errors and beyond_ascii >= errors * REPAIR_RATIO:
        return Decoded(text, "utf-8", "repaired")
    return None


def _default(body: bytes) -> Decoded:
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252", "default")
