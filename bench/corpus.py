"""The bench corpus: a seeded, repeatable generator of news and gazette pages and of the policy set
they cite.

Takes a seed, a page index and the size of the policy set; gives the page's bytes, its URL path on
one of 20 loopback hosts and what a perfect extractor would find (published date, norm keys).
Pages are made one at a time from their own `random.Random(seed:i)`, so any page can be rebuilt
alone (the server makes them on demand, the baselines rebuild the same bytes) and nothing ever
holds the whole corpus. Pages weigh 50-150 KB like real ones: most of it is scripts, styles,
navigation, cookie banners and related-article lists around a 4-12 KB article.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import Policy

from bench import vocab as v
from bench.foreign import WORDS, foreign_citation

SEED = 20_240_611
N_HOSTS = 20
# Where the corpus's dates fall: every page is published in these years, so the date cascade's
# plausibility bounds never reject a right answer.
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 6 * 365
# A constant that the server may swap for a fresh value on every response: a page whose bytes
# change while its words do not (a CSRF token, a cache-buster), as many CMSs serve.
TOKEN = b"csrf-0000000000000000"

# Spellings as Peruvian pages print them (see pipeline/extract/grammars/pe.toml): each type with
# its Spanish and English names. Yearless types are numbered in one series (laws, legislative
# decrees); the others are "N° 004-2021-JUS".
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "LEY": (("Ley",), ("Law",), True),
    "DL": (("Decreto Legislativo", "D.Leg.", "D.L."), ("Legislative Decree",), True),
    "DS": (("Decreto Supremo", "D.S.", "DS", "decreto supremo"), ("Supreme Decree",), False),
    "RM": (("Resolución Ministerial", "R.M.", "RM"), ("Ministerial Resolution",), False),
    "RS": (("Resolución Suprema", "R.S."), ("Supreme Resolution",), False),
    "RD": (("Resolución Directoral", "R.D."), ("Directorial Resolution",), False),
    "DU": (("Decreto de Urgencia", "D.U."), ("Emergency Decree",), False),
    "RA": (("Resolución Administrativa",), ("Administrative Resolution",), False),
}
ES_MARKERS = ("N°", "Nº", "N.°", "N.º", "Nro.", "número", "")
EN_MARKERS = ("No.", "N°", "Number")
# Norms every Peruvian page cites that belong to no policy: the linker must look them up and drop.
NOISE_KEYS = ("LEY|27444||", "LEY|29785||", "DL|1440||", "LEY|30424||", "DS|4|2019|JUS")


@dataclass(frozen=True)
class Norm:
    type: str
    number: int
    year: int  # 0 for yearless types
    issuer: str

    @property
    def key(self) -> str:
        return f"{self.type}|{self.number}|{self.year or ''}|{self.issuer}"

    def spell(self, rng: random.Random, lang: str) -> str:
        es, en, _ = TYPES[self.type]
        name = rng.choice(en if lang == "en" else es)
        marker = rng.choice(EN_MARKERS if lang == "en" else ES_MARKERS)
        number = f"{self.number:03d}" if self.year and rng.random() < 0.7 else str(self.number)
        if self.year:
            number += f"-{self.year}" + (f"-{self.issuer}" if self.issuer else "")
        return " ".join(p for p in (name, marker, number) if p)


def parse_key(key: str) -> Norm:
    type_, number, year, issuer = key.split("|")
    return Norm(type_, int(number), int(year or 0), issuer)


@dataclass(frozen=True)
class Host:
    index: int
    kind: str  # news | gazette
    lang: str
    name: str
    minified: bool  # one-line HTML, as some CMSs serve it
    lastmod: bool  # its sitemap gives dates (then the date cascade is not needed)
    country: str = "PE"  # whose norms its pages cite, the source's country in the config


# Hosts 5-8 are a Brazilian news site and francophone West African ones (Côte d'Ivoire, Mali):
# pages in Portuguese and French citing their countries' norms. All four print article dates in
# their head (index % 5 != 4), so the date figure measures what it did before.
FOREIGN = {5: ("pt", "BR", "Folha"), 6: ("pt", "BR", "Jornal"), 7: ("fr", "CI", "L'Écho"),
           8: ("fr", "ML", "L'Essor")}  # fmt: skip


def host(index: int) -> Host:
    kind = "gazette" if index >= 14 else "news"
    minified, lastmod = index % 3 == 0, index % 2 == 0
    if index in FOREIGN:
        lang, country, name = FOREIGN[index]
        return Host(index, kind, lang, f"{name} {index}", minified, lastmod, country)
    lang = "en" if 10 <= index < 14 else "es"
    name = {"news": "Diario" if lang == "es" else "Peru Monitor", "gazette": "Normas Legales"}
    return Host(index, kind, lang, f"{name[kind]} {index}", minified, lastmod)


# --- policies ------------------------------------------------------------------------------------
def policy_norms(seed: int, j: int) -> tuple[Norm, ...]:
    """One to three norms of policy j, the first one (almost always) its own."""
    rng = random.Random(f"{seed}:norms:{j}")
    out = []
    for k in range(1 + (j % 3 == 0) + (j % 7 == 0)):
        type_ = rng.choice(tuple(TYPES))
        if TYPES[type_][2]:
            out.append(Norm(type_, 25_000 + (j * 3 + k) % 9_000, 0, ""))
        else:
            issuer = v.ISSUERS[(j + k) % len(v.ISSUERS)]
            out.append(Norm(type_, 1 + (j * 7 + k) % 400, 2001 + (j + k * 5) % 24, issuer))
    return tuple(dict.fromkeys(out))


def policy_title(j: int) -> str:
    # Mixed radix over the pools: every j below 12*6*40*25 = 72,000 gets its own title.
    kind = v.POLICY_KINDS[j % 12]
    scope = v.POLICY_SCOPES[(j // 12) % 6]
    topic = v.POLICY_TOPICS[(j // 72) % 40]
    qualifier = v.POLICY_QUALIFIERS[(j // 2880) % 25]
    return f"{kind} {scope} de {topic} {qualifier}"


def policy_alias(j: int) -> str:
    kind = v.EN_KINDS[v.POLICY_KINDS[j % 12]]
    topic = v.POLICY_TOPICS[(j // 72) % 40]
    return f"{kind} on {topic} {v.POLICY_QUALIFIERS[(j // 2880) % 25].split(' ', 1)[1]}"


def make_policy(seed: int, j: int) -> Policy:
    return Policy(
        id=f"pe-bench-{j:05d}",
        country="PE",
        title=policy_title(j),
        status="Adopted national law or policy",
        description="",
        updated="2024-01",
        norms=tuple(n.key for n in policy_norms(seed, j)),
        aliases=(policy_alias(j),) if j % 2 else (),
    )


def policies_json(seed: int, n: int) -> str:
    """The policy set as a `pipeline policies import` file."""
    out = []
    for j in range(n):
        p = make_policy(seed, j)
        entry = {"id": p.id, "country": p.country, "title": p.title, "status": p.status}
        entry |= {"updated": p.updated, "norms": list(p.norms), "aliases": list(p.aliases)}
        out.append(entry)
    return json.dumps(out, ensure_ascii=False)


# --- prose ---------------------------------------------------------------------------------------
def es_date(d: dt.date) -> str:
    return f"{d.day} de {v.ES_MONTHS[d.month - 1]} de {d.year}"


def en_date(d: dt.date) -> str:
    return f"{v.EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def sentence(rng: random.Random, lang: str) -> str:
    if lang in WORDS:
        subjects, verbs, objects, tails, fillers, places, *_ = WORDS[lang]
    elif lang == "en":
        subjects, verbs, objects, tails = v.EN_SUBJECTS, v.EN_VERBS, v.EN_OBJECTS, v.EN_TAILS
        fillers, places = v.EN_FILLER, v.PLACES
    else:
        subjects, verbs, objects, tails = v.ES_SUBJECTS, v.ES_VERBS, v.ES_OBJECTS, v.ES_TAILS
        fillers, places = v.ES_FILLER, v.PLACES
    if rng.random() < 0.3:
        return rng.choice(fillers)
    text = " ".join(rng.choice(p) for p in (subjects, verbs, objects, tails)) + "."
    return text.replace("{place}", rng.choice(places))


@dataclass(frozen=True)
class Citation:
    key: str
    text: str  # how this page spells it


def citations(
    rng: random.Random, seed: int, n_policies: int, lang: str, country: str = "PE"
) -> list[Citation]:
    """The norms a page names: one to four policies' norms and, often, a law nobody links; on a
    foreign host, one to four norms of its country (the policy set is Peru's)."""
    if country != "PE":
        return [Citation(*foreign_citation(rng, country)) for _ in range(rng.randint(1, 4))]
    out = []
    for _ in range(rng.randint(1, 4)):
        norm = rng.choice(policy_norms(seed, rng.randrange(n_policies)))
        out.append(Citation(norm.key, norm.spell(rng, lang)))
    if rng.random() < 0.6:
        norm = parse_key(rng.choice(NOISE_KEYS))
        out.append(Citation(norm.key, norm.spell(rng, lang)))
    return out


def paragraphs(rng: random.Random, lang: str, cites: list[Citation], names: list[str]) -> list[str]:
    """8-24 paragraphs; the citations and policy names are woven into the first ones."""
    count = rng.randint(8, 24)
    out = [" ".join(sentence(rng, lang) for _ in range(rng.randint(3, 6))) for _ in range(count)]
    linker = "as set out in" if lang == "en" else "conforme a lo dispuesto en"
    said = " was discussed again." if lang == "en" else " volvió a ser discutido."
    if lang in WORDS:
        linker, said = WORDS[lang][10], WORDS[lang][11]
    for i, cite in enumerate(cites):
        at = min(i, count - 1)
        out[at] = f"{sentence(rng, lang)[:-1]}, {linker} {cite.text}. {out[at]}"
    for name in names:
        at = rng.randrange(count)
        out[at] += (" The " if lang == "en" else " El ") + name + said
    return out


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_).split()[:9])


@lru_cache(maxsize=1)
def js_blob() -> str:
    """~10 KB of minified-looking analytics script: what pads real pages to 100 KB."""
    rng = random.Random(7)
    names = ["ga", "fbq", "dataLayer", "gtag", "_paq", "adsbygoogle", "pbjs", "googletag"]
    parts = []
    for i in range(160):
        a, b = rng.choice(names), rng.choice(names)
        parts.append(f"function f{i}(e,t){{var n={a}||[];n.push({{event:'e{i}',v:t}});"
                     f"return {b}&&{b}.cmd?{b}.cmd.push(function(){{n[e]=t}}):n}}")  # fmt: skip
    return ";".join(parts)


@lru_cache(maxsize=1)
def css_blob() -> str:
    rng = random.Random(11)
    rules = [f".c{i}{{margin:{rng.randint(0, 40)}px;color:#{rng.randrange(16**6):06x};"
             f"font-size:{rng.randint(10, 30)}px}}" for i in range(120)]  # fmt: skip
    return "".join(rules)
