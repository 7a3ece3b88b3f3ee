"""Figure 5, extraction costs against one-call baselines, and figure 1's baseline.

Takes a sample of corpus pages (bytes rebuilt from the seed, the very bytes the bench web sends);
gives per-document medians for the pipeline's date cascade vs htmldate's fast mode, and for
find_norms (with each page's country grammar) vs one plain regex pass, with their accuracy
against what the generator wrote. Also
saves where extraction time goes (cProfile, and pyinstrument when installed) next to the report.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import re
import statistics
import time
from pathlib import Path
from typing import Any

from pipeline.extract import extract_document
from pipeline.extract.dates import find_dates
from pipeline.extract.norms import find_norms
from pipeline.extract.text import read_document

from bench.pages import Doc, make_doc

# The regex a first version would write: a type word, up to 40 non-digits, a number with an
# optional year and issuer. One pass, no normalisation, no keys: the floor of norm finding.
PLAIN_NORM = re.compile(
    r"\b(?:Ley|Law|Lei|Loi|Decreto|Decree|D[ée]cret|Resoluci[oó]n|Resolution|D\.S\.|R\.M\.|D\.L\.|DS|RM)"
    r"[^\d\n]{0,40}?\d+(?:-\d{4})?(?:[-/][A-Z]+)?",
    re.IGNORECASE,
)


def sample(seed: int, n: int, policies: int, stride: int = 7) -> list[Doc]:
    """Every `stride`-th page, so the sample covers all 20 hosts' layouts."""
    return [make_doc(seed, i * stride, policies) for i in range(n)]


def _ms(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, value


def trafilatura_baseline(docs: list[Doc]) -> dict[str, float]:
    """Figure 1's yardstick: trafilatura.extract(..., with_metadata=True) alone, per page."""
    import trafilatura

    trafilatura.extract(docs[0].html.decode(), with_metadata=True)  # lazy imports, caches
    times = [_ms(trafilatura.extract, d.html.decode(), with_metadata=True)[0] for d in docs]
    return {"mean_ms": statistics.fmean(times), "median_ms": statistics.median(times)}


def dates_and_norms(docs: list[Doc]) -> dict[str, Any]:
    from htmldate import find_date

    fetched = dt.datetime.now(dt.UTC)
    find_date(docs[0].html.decode())  # first calls import and compile: not per-document cost
    find_dates(read_document(docs[0].html, url="http://127.0.0.2/"), fetched_at=fetched)
    for country in sorted({d.host.country for d in docs}):
        find_norms("", country)  # each country's grammar is compiled once per process
    ours, theirs, norms, plain = [], [], [], []
    by_language: dict[str, list[float]] = {}
    right_ours = right_theirs = found = wanted = 0
    for d in docs:
        url = f"http://127.0.0.2{d.path}"
        page = read_document(d.html, url=url, content_type="text/html")
        norm_ms, mentions = _ms(find_norms, page.text, d.host.country)
        norms.append(norm_ms)
        by_language.setdefault(d.host.lang, []).append(norm_ms)
        plain.append(_ms(lambda t: list(PLAIN_NORM.finditer(t)), page.text)[0])
        ms, result = _ms(find_dates, page, url=url, fetched_at=fetched, norms=mentions)
        ours.append(ms)
        right_ours += bool(result.published and result.published.value == d.published)
        ms, raw = _ms(find_date, d.html.decode(), extensive_search=False, original_date=True)
        theirs.append(ms)
        right_theirs += raw == d.published.isoformat()
        keys = {m.key for m in mentions}
        wanted += len(set(d.keys))
        found += len(set(d.keys) & keys)
    med = statistics.median
    return {
        "pages": len(docs),
        "dates_ms": med(ours),
        "htmldate_fast_ms": med(theirs),
        "dates_right": right_ours / len(docs),
        "htmldate_right": right_theirs / len(docs),
        "norms_ms": med(norms),
        "plain_regex_ms": med(plain),
        "norm_recall": found / max(1, wanted),
        # Per page language: the Portuguese and French pages read with Brazil's, Côte d'Ivoire's
        # and Mali's grammars, the Spanish and English ones with Peru's.
        "norms_ms_by_language": {lang: med(ms) for lang, ms in sorted(by_language.items())},
        "pages_by_language": {lang: len(ms) for lang, ms in sorted(by_language.items())},
    }


def profile(docs: list[Doc], out_dir: Path) -> list[str]:
    """Where extract_document's time goes: cumulative cProfile (and pyinstrument) text files."""

    def work() -> None:
        for d in docs:
            extract_document(d.html, url=f"http://127.0.0.2{d.path}", country=d.host.country)

    profiler = cProfile.Profile()
    profiler.runcall(work)
    written = [out_dir / "profile-extract.prof", out_dir / "profile-extract.txt"]
    profiler.dump_stats(written[0])
    with written[1].open("w") as out:
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(45)
    try:
        from pyinstrument import Profiler
    except ImportError:
        return [p.name for p in written]
    sampler = Profiler()
    sampler.start()
    work()
    sampler.stop()
    written.append(out_dir / "profile-extract-pyinstrument.txt")
    written[-1].write_text(sampler.output_text(unicode=True, color=False))
    return [p.name for p in written]
