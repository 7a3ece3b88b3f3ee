"""Report stage, in words: what the run report says, from the JSON report (report.py) to the
sentences and rows its HTML and Markdown templates lay out (pipeline/templates/report.*). Both
templates print these fields and nothing else, so the two files always say the same thing.

Pure: takes the report dictionary and the zone to tell times in; gives a `ReportView`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .wording import ago, count, day, duration, failure, moment, sentence

# How each stored run status reads; "partial" is told with its cause (see `_verdict`).
_STATUS = {
    "ok": "all well",
    "failed": "failed on a fatal error (configuration, database or disk)",
    "interrupted": "interrupted: the job died before it finished; the next run goes on",
    "running": "still running",
}
# The run's own figures (runs.stats), each with its noun; keys added later show as their name.
_FIGURES = (
    ("links", "page fetched", "pages fetched"),
    ("new_versions", "new version stored", "new versions stored"),
    ("extracted", "document read", "documents read"),
    ("unchanged", "page unchanged since the last visit", "pages unchanged since the last visit"),
    ("norms_found", "norm mention found", "norm mentions found"),
    ("auto", "link accepted automatically", "links accepted automatically"),
    ("pending", "link waiting for review", "links waiting for review"),
    ("deferred", "page put off at its server's request", "pages put off at their servers' request"),
)
_KNOWN = {"sources", "stopped", "failures", *(key for key, _, _ in _FIGURES)}
# The sections of a policy, in the order they are shown, with the noun that counts their items.
SECTIONS = (
    ("new_candidates", "New candidates for review", "new candidate", "new candidates"),
    ("auto_accepted", "Accepted automatically", "link accepted automatically",
     "links accepted automatically"),
    ("amendments", "Amendment proposals", "amendment proposal", "amendment proposals"),
)  # fmt: skip
DRIFT = (
    "These platforms no longer serve the shape their module reads; nothing half-read was "
    "stored. Check the site and the module (README, Gazette platforms)."
)


@dataclass(frozen=True)
class SourceLine:
    id: str
    name: str
    new: str  # "3 new documents"
    last_new: str  # "today", "12 days ago, 23 November 2026", "never"
    expected: str  # "expected within 7 days", "" without an expectation
    overdue: bool
    failures: tuple[str, ...]  # "16 disallowed by robots.txt"
    layout_changed: tuple[str, ...]


@dataclass(frozen=True)
class ItemLine:
    url: str  # as stored: the templates link it only when it is http(s)
    title: str
    score: str  # "score 87%", "" for a proposal
    note: str  # the strongest reason, or the words that propose the amendment


@dataclass(frozen=True)
class Section:
    label: str
    total: str  # "3 new candidates"
    more: str  # "the 20 strongest listed", when some are not
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class PolicyBlock:
    id: str
    title: str
    summary: str  # "1 new candidate, 2 links accepted automatically, no amendment proposals"
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class ReportView:
    run_id: int
    status: str  # as stored, for the page's status badge
    verdict: str  # "partial: 3 fetches failed"
    when: str  # "5 December 2026, 02:30 to 02:41 CET (11 minutes)"
    figures: str  # "5 sources run: 28 pages fetched, ..."
    attention: tuple[str, ...]  # sources that need a look, one line each
    sources: tuple[SourceLine, ...]
    layout_changed: tuple[SourceLine, ...]
    policies: tuple[PolicyBlock, ...]
    drift: str = DRIFT


def report_view(report: Mapping[str, Any], zone: zoneinfo.ZoneInfo) -> ReportView:
    run = report["run"]
    sources = tuple(_source(s) for s in report["sources"])
    return ReportView(
        run_id=int(run["id"]),
        status=str(run["status"]),
        verdict=_verdict(str(run["status"]), run.get("stats") or {}),
        when=_when(run["started_at"], run["finished_at"], zone),
        figures=_figures(run.get("stats") or {}),
        attention=tuple(_attention(s) for s in sources if s.overdue or s.layout_changed),
        sources=sources,
        layout_changed=tuple(s for s in sources if s.layout_changed),
        policies=tuple(_policy(p) for p in report["policies"]),
    )


def _verdict(status: str, stats: Mapping[str, Any]) -> str:
    if status != "partial":
        return _STATUS.get(status, status)
    causes = []
    failed = _failures_total(stats)
    if failed:
        causes.append(count(failed, "fetch failed", "fetches failed", words=True))
    if stats.get("stopped"):
        causes.append("stopped at --max-duration before every page was read")
    return "partial: " + ("; ".join(causes) or "some pages were not read")


def _failures_total(stats: Mapping[str, Any]) -> int:
    failures = stats.get("failures")
    if not isinstance(failures, Mapping):
        return 0
    return sum(n for n in failures.values() if isinstance(n, int))


def _when(started: str, finished: str, zone: zoneinfo.ZoneInfo) -> str:
    if not started:
        return "Start time not recorded"
    start, end = moment(started, zone), moment(finished, zone)
    if not finished:
        return f"{start}, not finished"
    took = duration(started, finished)
    took = f" ({took})" if took else ""
    start_day, _, start_time = start.rpartition(", ")
    end_day, _, end_time = end.rpartition(", ")
    # The same day in the same zone (not across a change of summer time): say the day once.
    if start_day and start_day == end_day and start_time[5:] == end_time[5:]:
        if start_time == end_time:  # within one minute: one time is enough
            return f"{start}{took}"
        return f"{start_day}, {start_time[:5]} to {end_time}{took}"
    return f"{start} to {end}{took}"


def _figures(stats: Mapping[str, Any]) -> str:
    # Only what happened: "no pages put off" is noise; failures are said either way, below.
    said = [
        count(_int(stats[key]), one, many) for key, one, many in _FIGURES if _int(stats.get(key))
    ]
    # Figures a later version adds (a count, or counts by kind) still show, in plain words.
    for key in sorted(set(stats) - _KNOWN):
        value = stats[key]
        label = str(key).replace("_", " ")
        if isinstance(value, Mapping):
            parts = ", ".join(f"{k} {v}" for k, v in value.items())
            said.append(f"{label}: {parts}" if parts else f"no {label}")
        elif isinstance(value, int) and not isinstance(value, bool):
            said.append(f"{value:,} {label}")
    failed = _failures_total(stats)
    sources = count(_int(stats.get("sources")), "source")
    done = ", ".join(said) or "nothing fetched"
    return sentence(f"{sources} run: {done}; {count(failed, 'failed fetch', 'failed fetches')}")


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _source(s: Mapping[str, Any]) -> SourceLine:
    days, limit = s["days_since_new"], s["expect_items_within_days"]
    last = ago(days)
    if s.get("last_new_item") and days:  # "today" needs no date; "never" has none
        last += f", {day(str(s['last_new_item'])[:10])}"
    failures = sorted(s["failures"].items(), key=lambda kv: (-int(kv[1]), kv[0]))
    return SourceLine(
        id=str(s["id"]),
        name=str(s.get("name") or s["id"]),
        new=count(int(s["new_documents"]), "new document"),
        last_new=last,
        expected=f"expected within {count(int(limit), 'day')}" if limit else "",
        overdue=bool(s["overdue"]),
        failures=tuple(failure(name, int(n)) for name, n in failures),
        layout_changed=tuple(str(d) for d in s.get("layout_changed", ())),
    )


def _attention(s: SourceLine) -> str:
    said = []
    if s.overdue:
        nothing = "no document ever" if s.last_new == "never" else f"last new one {s.last_new}"
        said.append(f"overdue: {nothing}; {s.expected}")
    if s.layout_changed:
        said.append("its platform's layout changed")
    return f"{s.name} ({s.id}): " + "; ".join(said)


def _policy(p: Mapping[str, Any]) -> PolicyBlock:
    sections = tuple(
        _section(label, one, many, p[key], int(p["counts"][key]))
        for key, label, one, many in SECTIONS
    )
    summary = sentence(", ".join(s.total for s in sections))
    return PolicyBlock(str(p["id"]), str(p["title"]), summary, sections)


def _section(label: str, one: str, many: str, items: Sequence[Any], total: int) -> Section:
    more = f"the {len(items)} strongest listed" if total > len(items) else ""
    lines = tuple(
        ItemLine(
            url=str(i["url"]),
            title=str(i["title"] or i["url"]),
            score="" if i["score"] is None else f"score {float(i['score']) * 100:.0f}%",
            note=str(i["reasons"][0]) if i.get("reasons") else "",
        )
        for i in items
    )
    return Section(label, count(total, one, many), more, lines)
