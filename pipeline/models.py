"""Records passed between the stages. Frozen dataclasses and StrEnums only: no I/O here.

sources.toml → Source; discovery → Link; fetch → Fetched; extract → Extraction (with NormMention,
DateMention, Relation); policy import → Policy; link → Match; editors → Decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# The observatory started with Peru: its norm keys carry no country prefix (the foundation contract,
# "DS|4|2021|JUS"). Every other country's keys are prefixed, "CO:DEC|1066|2015|", so a Colombian
# decree never equals a Peruvian one with the same number.
HOME_COUNTRY = "PE"


def norm_key(country: str, type_: str, number: str, year: str, issuer: str) -> str:
    """The normalized identity of a norm: TYPE|number|year|ISSUER (country-prefixed abroad)."""
    core = f"{type_}|{number}|{year}|{issuer}"
    country = country.upper()
    return core if country in ("", HOME_COUNTRY) else f"{country}:{core}"


@dataclass(frozen=True, eq=False)
class NormMention:
    """A legal norm named in a text. Compares (and hashes) by its key: two spellings are equal."""

    type: str  # type code from the country's grammar: LEY, DS, RM, ..., DEC, RES
    number: str  # without leading zeros: "4", "159", "31405"; non-numeric kept as printed, upper
    year: str  # 4 digits, or "" when the text gives none
    issuer: str  # upper case with inner separators kept: "JUS", "DP-PAD", "MINEM/DM"; or ""
    raw: str  # the literal text of the mention
    start: int  # span into the extracted text
    end: int
    display: str  # "Decreto Supremo N° 004-2021-JUS"
    country: str = HOME_COUNTRY
    flags: frozenset[str] = frozenset()  # e.g. issuer_unknown, year_malformed, other_language
    date: str = ""  # ISO date printed with the citation ("du 20 juin 2014"), or ""

    @property
    def key(self) -> str:
        return norm_key(self.country, self.type, self.number, self.year, self.issuer)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NormMention) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


class RelationVerb(StrEnum):
    MODIFIES = "modifies"
    REPEALS = "repeals"
    APPROVES = "approves"
    REGULATES = "regulates"
    EXTENDS = "extends"


@dataclass(frozen=True)
class Relation:
    """An edge between norms: `source` (key, or "" when the acting norm is the document itself)
    `verb` `target` (key), with the literal text that says so."""

    source: str
    verb: RelationVerb
    target: str
    raw: str
    start: int
    end: int


class DateKind(StrEnum):
    PUBLISHED = "published"  # the document's own publication date
    ISSUED = "issued"  # a norm's issue (signature) date
    GAZETTE = "gazette"  # a norm's publication date in the official gazette
    MODIFIED = "modified"


class DateMethod(StrEnum):
    """How a date was found, from most to least reliable."""

    LISTING = "listing"  # the gazette/feed/listing entry that linked the document
    META = "meta"
    JSONLD = "jsonld"
    TIME = "time"  # <time datetime>
    HTMLDATE = "htmldate"
    TEXT = "text"  # a date phrase in the text ("Lima, 22 de abril de 2021")
    URL = "url"
    DATEPARSER = "dateparser"
    EDITOR = "editor"


@dataclass(frozen=True)
class DateMention:
    value: dt.date
    kind: DateKind
    method: DateMethod
    raw: str = ""
    start: int | None = None
    end: int | None = None
    norm: str = ""  # key of the norm this date belongs to (issued/gazette kinds)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.value.isoformat(),
            "kind": self.kind.value,
            "method": self.method.value,
        }


class CountryMethod(StrEnum):
    """How a document's country was told, from the most to the least certain."""

    GIVEN = "given"  # `--country` on the command line
    SOURCE = "source"  # the source's country in the config, or the policy entry that links it
    HOST = "host"  # the URL's host: a country-code or government domain (gov.co, gouv.ci)
    TEXT = "text"  # the page names the country, its capital or its official gazette
    UNDETERMINED = "undetermined"  # none of these: read with every grammar of its language


@dataclass(frozen=True)
class DocumentCountry:
    """A document's country (ISO 3166-1 alpha-2, "" when undetermined) with its provenance and
    what told it, in plain words ("host www.mininterior.gov.co: a government domain of
    Colombia")."""

    code: str = ""
    method: CountryMethod = CountryMethod.UNDETERMINED
    detail: str = ""

    @property
    def known(self) -> bool:
        return bool(self.code)


# What a caller passes when it knows nothing of a document's country: the page will tell.
NOT_KNOWN = DocumentCountry()


@dataclass(frozen=True)
class Extraction:
    """What the extract stage makes of one document."""

    url: str
    title: str
    language: str
    text: str
    published: DateMention | None
    dates: tuple[DateMention, ...]
    norms: tuple[NormMention, ...]
    relations: tuple[Relation, ...]
    summary: str
    description: str = ""  # the page's meta description, kept as the summary's fallback
    page_class: str = "ok"  # ok | blocked | not_found | empty: only "ok" documents are linked
    extractor_version: str = ""
    # How the bytes were read: the codec, and why it (bom | utf-8 | declared | detected |
    # repaired | default); "" for PDFs. Kept so a garbled text can be traced to its decoding.
    charset: str = ""
    charset_method: str = ""
    country: DocumentCountry = NOT_KNOWN  # whose norms the text was read for
    # The norm an official gazette's listing says this document is (its type and number as the
    # gazette printed them): the document's own identity, the strongest evidence for the linker.
    listed_norms: tuple[NormMention, ...] = ()


class SourceKind(StrEnum):
    POLICY_LINKS = "policy-links"  # the URLs the policy entries already link to
    SITEMAP = "sitemap"  # XML sitemaps, sitemap indexes, news sitemaps
    FEED = "feed"  # RSS / Atom
    LISTING = "listing"  # an HTML listing read with CSS selectors given as options
    GAZETTE = "gazette"  # an official gazette platform (options.platform names it)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: SourceKind
    url: str
    language: str
    country: str
    enabled: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)
    since: dt.date | None = None
    expect_items_within_days: int | None = None
    delay_seconds: float | None = None  # None: the [fetch] default


@dataclass(frozen=True)
class Link:
    """A URL a source says is worth fetching, with what the listing already tells about it."""

    source_id: str
    url: str
    listed_title: str = ""
    listed_date: dt.date | None = None
    source_name: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
    # The response itself, for a link that answers once only (a session-bound PDF): the
    # platform fetched it during discovery and the run stores it instead of fetching again.
    fetched: Fetched | None = None


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    sha256: str
    fetched_at: dt.datetime
    content_type: str = ""


@dataclass(frozen=True)
class PolicySource:
    url: str
    source_name: str
    title: str = ""
    snippet: str = ""
    date: str = ""


@dataclass(frozen=True)
class Policy:
    id: str
    country: str
    title: str
    status: str
    description: str
    updated: str
    norms: tuple[str, ...]
    aliases: tuple[str, ...]
    sources: tuple[PolicySource, ...] = ()


class MatchStatus(StrEnum):
    """auto = accepted by the machine; accepted/rejected = an editor's word; pending = to review."""

    AUTO = "auto"
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class EvidenceMark:
    """Where one of a match's reasons stands in the document: `reason` indexes Match.reasons,
    `kind` is "norm" (one of the policy's norms, or a mention read as one) or "alias" (the
    policy's name or a phrase of it), `field` says which string the span is in: "text" (the
    extraction's text) or "title" (its title, when the text does not open with it)."""

    reason: int
    kind: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """The linker's proposal: document → policy, with a score and its reasons in plain words,
    and where in the document each reason's evidence stands (for the editors' page)."""

    document_id: int
    policy_id: str
    score: float
    reasons: tuple[str, ...]
    method: str
    status: MatchStatus
    evidence_hash: str
    marks: tuple[EvidenceMark, ...] = ()
    # The snippet for this entry when it differs from the document's own: on a gazette's summary
    # of norms, the line of the entry's norm. "" = the document's snippet stands.
    snippet: str = ""


@dataclass(frozen=True)
class LinkedSource:
    """One source of a policy as published: the editors' edits win over what was extracted."""

    url: str
    source_name: str
    title: str
    published: str | None  # YYYY-MM-DD
    language: str
    summary: str
    norms: tuple[str, ...]
    status: MatchStatus
    score: float
    reasons: tuple[str, ...]
    stale: bool = False
    # (norm key, URN:LEX) for the norms whose citation here gives all the scheme needs
    norm_urns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PolicyLinks:
    policy: Policy
    sources: tuple[LinkedSource, ...]


@dataclass(frozen=True)
class Proposal:
    """The linker's suggestion that a policy needs an editor's look: a norm in the document
    modifies (repeals, regulates...) one of the policy's norms, so its "updated" date and status
    may be out of date."""

    policy_id: str
    kind: str  # "amendment"
    source_norm: str  # key of the acting norm, "" if the document does not name it
    verb: RelationVerb
    target_norm: str  # key of the policy's norm that is acted on
    evidence: str  # the literal text that says so
