"""Figure 3, linking at scale: N synthetic extractions against P synthetic policies, in process.

Takes sizes; gives seconds, documents, norm mentions and the cost per document and per mention
for each size. Times `link_document` + `find_proposals` (the link stage's pure part, what
`Ingestor.link` calls before it saves) around each call only: making the extractions is not
counted. Extractions are streamed, never held: the figure's memory is the index's.

Texts are 3-10 KB of article prose (what trafilatura keeps of a page) assembled from a pool of
paragraphs, with norm citations spelled the way pages print them and their spans recorded, so no
norm extraction is needed to make them. A third of the titles are gazette titles (the norm), a
sixth name a policy: both send the linker down its costlier paths.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.config import LinkSettings
from pipeline.extract.norms import display_for_key
from pipeline.link import PolicyIndex, find_proposals, link_document
from pipeline.models import (
    CountryMethod,
    DateKind,
    DateMention,
    DateMethod,
    DocumentCountry,
    Extraction,
    NormMention,
)

from bench.corpus import NOISE_KEYS, citations, make_policy, paragraphs, parse_key, policy_title

POOL = 400  # distinct paragraphs per language: enough that no two texts are alike

# Every bench document is read as a Peruvian source's, like the bench policies.
PERU = DocumentCountry("PE", CountryMethod.SOURCE, "the bench source")


@dataclass(frozen=True)
class LinkFigure:
    documents: int
    policies: int
    mentions: int
    words: int  # words scanned for aliases: the other thing the cost grows with
    seconds: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "documents": self.documents,
            "policies": self.policies,
            "mentions": self.mentions,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "us_per_document": round(self.seconds / self.documents * 1e6, 1),
            "us_per_mention": round(self.seconds / max(1, self.mentions) * 1e6, 2),
        }


def _pool(seed: int, lang: str) -> list[str]:
    rng = random.Random(f"{seed}:pool:{lang}")
    return [p for _ in range(POOL // 8) for p in paragraphs(rng, lang, [], [])][:POOL]


def extractions(seed: int, n: int, n_policies: int) -> Iterator[Extraction]:
    rng = random.Random(f"{seed}:link")
    pools = {"es": _pool(seed, "es"), "en": _pool(seed, "en")}
    published = DateMention(dt.date(2023, 5, 2), DateKind.PUBLISHED, DateMethod.META)
    for i in range(n):
        lang = "en" if i % 5 == 0 else "es"
        cites = citations(rng, seed, n_policies, lang)
        parts: list[str] = []
        norms: list[NormMention] = []
        at = 0
        for k in range(rng.randint(4, 14)):
            if k < len(cites):
                cite = cites[k]
                start = at + 1
                norms.append(_mention(cite.key, cite.text, start))
                parts.append(f"({cite.text}) ")
                at += len(parts[-1])
            parts.append(rng.choice(pools[lang]) + "\n\n")
            at += len(parts[-1])
        if i % 3 == 0:
            title = cites[0].text
        elif i % 6 == 1:
            title = f"Avanza el {policy_title(rng.randrange(n_policies))}"
        else:
            title = parts[-1][:80]
        yield Extraction(
            url=f"https://bench.example/{i}",
            title=title,
            language=lang,
            text="".join(parts),
            published=published,
            dates=(published,),
            norms=tuple(norms),
            relations=(),
            summary="",
            country=PERU,
        )


def _mention(key: str, raw: str, start: int) -> NormMention:
    n = parse_key(key)
    return NormMention(
        n.type, str(n.number), str(n.year or ""), n.issuer, raw, start, start + len(raw),
        display_for_key(key),
    )  # fmt: skip


def measure(seed: int, n_docs: int, n_policies: int) -> LinkFigure:
    index = PolicyIndex(make_policy(seed, j) for j in range(n_policies))
    settings = LinkSettings()
    spent = 0.0
    mentions = words = 0
    clock = time.perf_counter
    for extraction in extractions(seed, n_docs, n_policies):
        mentions += len(extraction.norms)
        words += extraction.text.count(" ") + 1
        started = clock()
        link_document(extraction, index, settings)
        find_proposals(extraction, index)
        spent += clock() - started
    return LinkFigure(n_docs, n_policies, mentions, words, spent)


def figure(seed: int, sizes: list[tuple[int, int]]) -> dict[str, object]:
    """Every size measured; the largest is the target's (100,000 × 5,000 under 60 s)."""
    rows = [measure(seed, docs, pols).as_dict() for docs, pols in sizes]
    return {"rows": rows, "noise_keys": len(NOISE_KEYS)}
