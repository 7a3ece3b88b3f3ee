"""The run report for editors: what one nightly run found, source by source and policy by policy.

Takes the database, a run id and the config (for each source's `expect_items_within_days`);
gives a JSON-able report, stored in `run_reports` and written as Markdown, HTML and JSON files
(`run-<id>.*` and `latest.*`). Per source: new documents, failures by class, days since the last
new document (flagged past `expect_items_within_days`). Per policy: new candidates for review,
auto-accepted links and amendment proposals (the linker's proposals made during the run: a
norm that modifies, repeals or regulates one of the policy's norms).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from .config import Config
from .extract.norms import display_for_key
from .models import MatchStatus
from .outfiles import write_atomically
from .store.proposals import StoredProposal, proposals_between
from .store.reports import (
    Database,
    MatchRow,
    failures_by_source,
    last_new_item,
    layout_changes,
    matches_in_window,
    new_documents_by_source,
    run_window,
    save_report,
)

Report = dict[str, Any]


def build_report(db: Database, run_id: int, config: Config, today: dt.date) -> Report:
    window = run_window(db, run_id)
    return {
        "run": {
            "id": window.id,
            "started_at": window.started_at,
            "finished_at": window.finished_at,
            "status": window.status,
            "stats": dict(window.stats),
        },
        "sources": _sources(db, window, config, today),
        "policies": _policies(
            matches_in_window(db, window),
            proposals_between(db, window.started_at, window.finished_at),
        ),
    }


def _sources(db: Database, window: Any, config: Config, today: dt.date) -> list[dict[str, Any]]:
    new = new_documents_by_source(db, window)
    failures = failures_by_source(db, window.id)
    drift = layout_changes(db, window.id)
    last = last_new_item(db)
    expected = {s.id: s.expect_items_within_days for s in config.sources if s.enabled}
    names = {s.id: s.name for s in config.sources}
    out = []
    for source_id in sorted(set(expected) | set(new) | set(failures)):
        limit = expected.get(source_id)
        days = (
            (today - dt.date.fromisoformat(last[source_id][:10])).days
            if source_id in last
            else None
        )
        out.append(
            {
                "id": source_id,
                "name": names.get(source_id, source_id),
                "new_documents": new.get(source_id, 0),
                "failures": failures.get(source_id, {}),
                "last_new_item": last.get(source_id),
                "days_since_new": days,
                "expect_items_within_days": limit,
                # Never having given a document counts as silent too.
                "overdue": limit is not None and (days is None or days > limit),
                # The platform no longer serves its documented shape: what was missing.
                "layout_changed": drift.get(source_id, []),
            }
        )
    return out


# A report lists at most this many items per policy and section (the strongest first), and at
# most REPORT_TOTAL_ITEMS in all, and counts the rest: a backfill over thousands of policies can
# queue tens of thousands, a report is read by a person, and the run's memory must stay bounded.
REPORT_ITEMS = 20
REPORT_TOTAL_ITEMS = 2000


def _policies(rows: Iterable[MatchRow], proposals: list[StoredProposal]) -> list[dict[str, Any]]:
    by_policy: dict[str, dict[str, Any]] = {}
    listed = [0]

    def add(policy_id: str, title: str, section: str, item: dict[str, Any]) -> None:
        entry = by_policy.setdefault(
            policy_id,
            {"id": policy_id, "title": title, "new_candidates": [], "auto_accepted": [],
             "amendments": [], "counts": dict.fromkeys(_KEYS, 0)},
        )  # fmt: skip
        entry["counts"][section] += 1
        if len(entry[section]) < REPORT_ITEMS and listed[0] < REPORT_TOTAL_ITEMS:
            entry[section].append(item)
            listed[0] += 1

    titles: dict[str, str] = {}
    for row in rows:
        titles[row.policy_id] = row.policy_title
        section = {MatchStatus.PENDING: "new_candidates", MatchStatus.AUTO: "auto_accepted"}
        if row.status in section:
            item = {"url": row.url, "title": row.title, "score": round(row.score, 3),
                    "status": row.status, "reasons": list(row.reasons)}  # fmt: skip
            add(row.policy_id, row.policy_title, section[MatchStatus(row.status)], item)
    for stored in proposals:
        p = stored.proposal
        acting = display_for_key(p.source_norm) if p.source_norm else "a norm"
        said = f"{acting} {p.verb.value} {display_for_key(p.target_norm)}"
        item = {"url": stored.url, "title": said, "score": None, "status": stored.status,
                "reasons": [p.evidence]}  # fmt: skip
        add(p.policy_id, titles.get(p.policy_id, p.policy_id), "amendments", item)
    return [by_policy[key] for key in sorted(by_policy)]


def to_markdown(report: Report) -> str:
    run = report["run"]
    lines = [f"# Run {run['id']}: {run['status']}", "",
             f"{run['started_at']} → {run['finished_at']}", "", "## Sources", "",
             "| source | new documents | failures | days since new | expected within |",
             "|---|---|---|---|---|"]  # fmt: skip
    for s in report["sources"]:
        failures = ", ".join(f"{n} {k}" for k, n in s["failures"].items()) or "—"
        days = "never" if s["days_since_new"] is None else str(s["days_since_new"])
        flag = " ⚠ overdue" if s["overdue"] else ""
        flag += " ⚠ layout changed" if s["layout_changed"] else ""
        expected = s["expect_items_within_days"] or "—"
        lines.append(f"| {_md(s['id'])} | {s['new_documents']} | {failures} | {days}{flag} "
                     f"| {expected} |")  # fmt: skip
    changed = [s for s in report["sources"] if s["layout_changed"]]
    if changed:
        lines += ["", "## Layout changed", "", _DRIFT, ""]
        lines += [f"- {_md(s['id'])}: {_md(d)}" for s in changed for d in s["layout_changed"]]
    lines += ["", "## Policies", ""]
    if not report["policies"]:
        lines.append("No new or changed links in this run.")
    for p in report["policies"]:
        lines += [f"### {_md(p['title'])} (`{p['id']}`)", ""]
        for key, label in _SECTIONS:
            lines += [f"- {label}: {p['counts'][key]}{_more(p, key)}"]
            lines += [f"  - [{_md(i['title'] or i['url'])}]({_md(i['url'])}){_score(i)}"
                      for i in p[key]]  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_DRIFT = (
    "These platforms no longer serve the shape their module reads; nothing half-read was "
    "stored. Check the site and the module (README, Gazette platforms)."
)
_SECTIONS = (
    ("new_candidates", "new candidates for review"),
    ("auto_accepted", "auto-accepted links"),
    ("amendments", "amendment proposals"),
)
_KEYS = tuple(key for key, _ in _SECTIONS)


def _more(policy: dict[str, Any], key: str) -> str:
    hidden = policy["counts"][key] - len(policy[key])
    return f" (the {len(policy[key])} strongest listed)" if hidden > 0 else ""


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]|<>()])", r"\\\1", " ".join(str(text).split()))


_OVERDUE = ' class="overdue"'


def to_html(report: Report) -> str:
    run = report["run"]
    rows = "".join(
        f"<tr{_OVERDUE if s['overdue'] else ''}><td>{escape(s['id'])}</td>"
        f"<td>{s['new_documents']}</td><td>{escape(json.dumps(s['failures']))}</td>"
        f"<td>{'never' if s['days_since_new'] is None else s['days_since_new']}</td>"
        f"<td>{s['expect_items_within_days'] or ''}</td></tr>\n"
        for s in report["sources"]
    )
    parts = [f"<h1>Run {run['id']}: {escape(run['status'])}</h1>",
             "<table><tr><th>source</th><th>new documents</th><th>failures</th>"
             f"<th>days since new</th><th>expected within</th></tr>\n{rows}</table>"]  # fmt: skip
    drift = "".join(f'<li class="layout-changed">{escape(s["id"])}: {escape(d)}</li>'
                    for s in report["sources"] for d in s["layout_changed"])  # fmt: skip
    if drift:
        parts.append(f'<h2>Layout changed</h2><ul style="overflow-wrap:anywhere">{drift}</ul>')
    for p in report["policies"]:
        parts.append(f"<h2>{escape(p['title'])}</h2>")
        for key, label in _SECTIONS:
            items = "".join(f"<li>{_html_link(i['url'], i['title'] or i['url'])}{_score(i)}</li>"
                            for i in p[key])  # fmt: skip
            parts.append(f"<h3>{label}: {p['counts'][key]}{_more(p, key)}</h3><ul>{items}</ul>")
    return "<!doctype html><meta charset=utf-8><title>Run report</title>\n" + "\n".join(parts)


def _score(item: dict[str, Any]) -> str:
    return "" if item["score"] is None else f" {item['score']}"


def _html_link(url: str, text: str) -> str:
    """Scraped URLs become links only when they are http(s): never javascript: or data:."""
    if re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{escape(url)}">{escape(text)}</a>'
    return escape(text)


def write_report(db: Database, run_id: int, config: Config, folder: Path) -> list[Path]:
    """Build, store and write the report of a run; return the files (Markdown first)."""
    report = build_report(db, run_id, config, dt.datetime.now(dt.UTC).date())
    save_report(db, run_id, report)
    texts = {"md": to_markdown(report), "html": to_html(report),
             "json": json.dumps(report, indent=2, ensure_ascii=False) + "\n"}  # fmt: skip
    paths = []
    for ext, text in texts.items():
        for name in (f"run-{run_id}.{ext}", f"latest.{ext}"):
            write_atomically(folder / name, text)
        paths.append(folder / f"run-{run_id}.{ext}")
    return paths
