"""The names a policy is known by, as the linker matches them: its aliases, in whatever language
the editors enter them, and its title without the country the observatory puts before it.

Part of the link stage (pure). An alias may end with the law's date as its gazette prints it, the
way laws with no number are cited ("Ley para la Protección de Personas Defensoras de Derechos
Humanos y Periodistas, DOF: 25/06/2012"; "Law on the Legal Status of Human Rights Defenders, 2
April 2021"): the date is kept apart as the law's publication date and the name is what is
matched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..extract.datephrases import find_phrases
from ..models import Policy


@dataclass(frozen=True)
class Name:
    text: str  # the name to match, as the entry writes it
    title: bool = False  # the entry's title (an editor's wording), not an alias
    dated: dt.date | None = None  # the law's publication date written after the name


# "Honduras: Law for the Protection…", "Côte d'Ivoire: Loi n° 2014-388…": the observatory's
# titles open with the country, which no document writes before the law's name.
_COUNTRY_PREFIX = re.compile(r"^[^:\n]{2,40}:\s+")
# What may stand between a name and its date: punctuation, the gazette's acronym and a word such
# as "published", "de", "du", "of" ("…y Periodistas, DOF: 25/06/2012", "…Defenders (2 April 2021)").
_BEFORE_DATE = re.compile(
    r"[\s,;:(\[–—-]*(?:(?:DOF|DOU|D\.O\.|published|publicad[oa]|publiée?)[\s:,]*)?"
    r"(?:(?:of|de|du|del|on|le|el)\s+)?$",
    re.IGNORECASE,
)


def split_date(alias: str) -> tuple[str, dt.date | None]:
    """(name, date) when the alias ends with a date; (alias, None) otherwise."""
    found = list(find_phrases(alias))
    if not found or alias[found[-1].end :].strip(" )].;"):
        return alias, None
    name = _BEFORE_DATE.sub("", alias[: found[-1].start]).strip()
    return (name, found[-1].value) if name else (alias, None)


def names_of(policy: Policy) -> Iterator[Name]:
    """The policy's title (its country prefix removed), then each alias."""
    yield Name(_COUNTRY_PREFIX.sub("", policy.title, count=1), title=True)
    for alias in policy.aliases:
        name, dated = split_date(alias)
        yield Name(name, dated=dated)
