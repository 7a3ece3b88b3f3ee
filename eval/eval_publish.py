"""What the desk publishes, measured on real and demo pages: snippets and drafts.

Run by `make eval`. Snippets (the extractor's, or the entry's line chosen at link time) on the
28 demo pages (demo/web, demo/expected.json: always there) and on the 25 real news pages of
../shared/corpus/dates-dev; drafts on the demo pages, each against its own entry (Peru's,
Honduras's, Brazil's or Côte d'Ivoire's, db/seed), and on the 1,091 real Peruvian norm records
of ../shared/corpus/norms-dev/spij_normas.json read as gazette listings (type, number, sumilla,
date, issuing body). The corpus parts print "skipped" when ../shared is absent. Exits 1 below a
[publish] floor in eval/floors.toml, or when a floor names nothing measured (a corpus part
skipped aside).

Measures, each a share:
- snippet.whole: starts like a sentence (capital, digit of a date, opening quote) and ends like
  one (. ! ? or a closing quote), and is the page's own text (found in its text or description);
- snippet.not_title: is not the page's title again;
- snippet.cites (demo pages of the entry that name one of its norms): names one of the entry's
  norms or says what a norm does (an action verb);
- draft.made (demo pages naming an entry norm, SPIJ records): a draft was offered;
- draft.traceable: every fact of the draft is found where it says it was read (the norm's literal
  text, the date's phrase or the listing's date, the sumilla, the issuer code in the norm);
- draft.issuer_agrees (SPIJ records whose issuer the grammar names): the name agrees with the
  issuing body SPIJ records (its words contained in ours: "JUSTICIA Y DERECHOS HUMANOS").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "demo"))

from serve import file_for_url  # noqa: E402 - demo/serve.py, after the path set-up above

from pipeline.extract import extract_document  # noqa: E402
from pipeline.extract.normpage import entry_line  # noqa: E402
from pipeline.extract.summary import ACTION, is_title  # noqa: E402
from pipeline.models import DateKind, DateMention, DateMethod, Extraction, Policy  # noqa: E402
from pipeline.policies import read_policy_file  # noqa: E402
from pipeline.publish.draft import Draft, draft_for  # noqa: E402

FETCHED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_STARTS = re.compile(r"^[\"“«¿¡(]?[A-ZÁÉÍÓÚÑ0-9]")
_ENDS = (".", "!", "?", "”", '"', "»", ")")


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def whole(snippet: str, page: Extraction) -> bool:
    own = fold(snippet.rstrip(".")) in fold(page.text + " " + page.description)
    return bool(_STARTS.match(snippet)) and snippet.endswith(_ENDS) and own


def traceable(draft: Draft, page: Extraction, listed: Mapping[str, str], country: str) -> bool:
    """Each fact is where the draft says it was read."""
    seen = fold(" ".join([page.title, page.text, *listed.values()]))
    for fact in draft.facts:
        if fact.name == "country":
            ok = fact.evidence == country
        elif fact.name == "authority":
            norm = next(f for f in draft.facts if f.name == "norm")
            ok = fold(fact.evidence) in fold(norm.evidence) or fact.evidence in listed.values()
        elif fact.name == "norm" and fact.source == "listing":
            # read from the listing's type and number fields, joined by a number sign
            ok = all(fold(listed.get(k, "-")) in fold(fact.evidence) for k in ("type", "number"))
        elif fact.name == "date" and fact.source == "listing":
            ok = page.published is not None and page.published.method is DateMethod.LISTING
        else:
            ok = fold(fact.evidence) in seen
        if not ok:
            print(f"  untraceable {fact}")
            return False
    return True


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.skipped: set[str] = set()  # the parts whose corpus is absent: "news", "spij"

    def add(self, name: str, ok: bool) -> None:
        right, total = self.counts.setdefault(name, [0, 0])
        self.counts[name] = [right + ok, total + 1]

    def shares(self) -> dict[str, float]:
        return {k: right / total for k, (right, total) in self.counts.items() if total}


def seeds() -> dict[str, Policy]:
    """The demo's entries (db/seed/*.json, one file per country) by id, norms read as keys."""
    return {
        policy.id: policy
        for path in sorted((ROOT / "db" / "seed").glob("*.json"))
        for policy in read_policy_file(path)
    }


def demo(tally: Tally) -> None:
    """Each demo page against its own entry: Peru's, Honduras's, Brazil's or Côte d'Ivoire's
    norms and country (demo/expected.json names the entry each page belongs to)."""
    expected = json.loads((ROOT / "demo" / "expected.json").read_text(encoding="utf-8"))
    entries = seeds()
    for url, want in expected.items():
        body = file_for_url(ROOT / "demo" / "web", url).read_bytes()
        page = extract_document(body, url=url, fetched_at=FETCHED)
        entry = entries[want["policy"]] if want["policy"] is not None else None
        keys = set(entry.norms) if entry else set()
        snippet = (entry_line(page.text, page.norms, keys) if entry else "") or page.summary
        tally.add("demo.snippet.whole", whole(snippet, page))
        tally.add("demo.snippet.not_title", not is_title(snippet, page.title))
        cited = {m.key for m in page.norms} & keys
        if entry and cited:
            names = any(key in snippet or _names(snippet, key, page) for key in cited)
            tally.add("demo.snippet.cites", names or bool(ACTION.search(snippet)))
            draft = draft_for(page, entry.country, keys, {}, "en")
            tally.add("demo.draft.made", draft is not None)
            if draft is not None:
                tally.add("demo.draft.traceable", traceable(draft, page, {}, entry.country))
        print(f"{url[:90]:<90} {snippet[:70]!r}")


def _names(snippet: str, key: str, page: Extraction) -> bool:
    return any(m.key == key and fold(m.raw) in fold(snippet) for m in page.norms)


def news(tally: Tally) -> None:
    labels = CORPUS / "dates-dev" / "labels.tsv"
    if not labels.exists():
        print("dates-dev: skipped: corpus not found")
        tally.skipped.add("news")
        return
    for line in labels.read_text(encoding="utf-8").splitlines()[1:]:
        name, _, url = line.split("\t")
        body = (CORPUS / "dates-dev" / "pages" / name).read_bytes()
        page = extract_document(body, url=url, content_type="text/html", fetched_at=FETCHED)
        if page.summary:
            tally.add("news.snippet.whole", whole(page.summary, page))
            if not whole(page.summary, page):
                print(f"  not whole: {page.summary[:60]!r} … {page.summary[-40:]!r}")
            tally.add("news.snippet.not_title", not is_title(page.summary, page.title))
        print(f"{name:<28} {page.summary[:90]!r}")


def spij(tally: Tally) -> None:
    path = CORPUS / "norms-dev" / "spij_normas.json"
    if not path.exists():
        print("spij: skipped: corpus not found")
        tally.skipped.add("spij")
        return
    records = json.loads(path.read_text(encoding="utf-8"))
    for record in records:
        listed = _listing(record)
        if listed is None:
            continue
        date = dt.date.fromisoformat(record["date"])
        page = Extraction(record["url"], record["title"], "es", "", DateMention(date,
                          DateKind.PUBLISHED, DateMethod.LISTING), (), (), (), "")  # fmt: skip
        draft = draft_for(page, "PE", set(), listed, "en")
        tally.add("spij.draft.made", draft is not None)
        if draft is None:
            continue
        tally.add("spij.draft.traceable", traceable(draft, page, listed, "PE"))
        authority = next((f.value for f in draft.facts if f.name == "authority"), "")
        if authority:
            tally.add("spij.draft.issuer_agrees", _agrees(authority, record["source"]))


def _listing(record: Mapping[str, str]) -> dict[str, str] | None:
    """A SPIJ record as a gazette listing: its type and number ("Nº 032-2026-JUS") and sumilla."""
    number = re.sub(r"^N[º°o.]*\s*", "", record.get("number", "")).strip()
    kind = record.get("type", "").replace("_", " ").strip()
    if not number or not kind:
        return None
    return {"type": kind, "number": number, "sumilla": record.get("title", "")}


def _agrees(ours: str, theirs: str) -> bool:
    words = _content(theirs)
    return bool(words) and words <= _content(ours)


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{3,}", fold(text)) if w not in {"del", "las", "los", "para"}}


def check(
    shares: Mapping[str, float], floors: Mapping[str, float], skipped: Collection[str] = ()
) -> Iterable[str]:
    """A failure for each share below its floor, and for each floor nothing measured (a renamed
    measure, a part that stopped running), unless its corpus is absent on this machine."""
    for name, floor in floors.items():
        if name not in shares:
            if name.split(".", 1)[0] not in skipped:
                yield f"FAIL: the floor {name} names nothing measured"
        elif shares[name] < floor:
            yield f"FAIL: {name} {shares[name]:.3f} below the floor {floor:.3f}"


def main() -> int:
    tally = Tally()
    demo(tally)
    news(tally)
    spij(tally)
    shares = tally.shares()
    for name, share in sorted(shares.items()):
        right, total = tally.counts[name]
        print(f"publish: {name} {right}/{total} = {share:.3f}")
    floors = tomllib.loads((ROOT / "eval" / "floors.toml").read_text(encoding="utf-8"))
    failures = list(check(shares, floors.get("publish", {}), tally.skipped))
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
