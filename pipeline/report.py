"""The run report for editors: what one nightly run found, source by source and policy by policy.

Takes the database, a run id and the config (for each source's `expect_items_within_days`);
gives a JSON-able report, stored in `run_reports` and written as Markdown, HTML and JSON files
(`run-<id>.*` and `latest.*`). Per source: new documents, failures by class, days since the last
new document (flagged past `expect_items_within_days`). Per policy: new candidates for review,
auto-accepted links and amendment proposals (the linker's proposals made during the run: a
norm that modifies, repeals or regulates one of the policy's norms).

The JSON is the data (monitors read it; its shape is a contract). The Markdown and the HTML say
it in words (reportview.py) through templates (pipeline/templates/report.*); the HTML page is
the review app's base page with its stylesheet inline, so it stands alone when opened or mailed.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .config import Config
from .extract.norms import display_for_key
from .models import MatchStatus
from .outfiles import write_atomically
from .reportview import SECTIONS, report_view
from .review.clock import server_zone
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
from .templating import render_markdown, render_standalone

Report = dict[str, Any]
_KEYS = tuple(section[0] for section in SECTIONS)


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


def to_markdown(report: Report, zone: zoneinfo.ZoneInfo | None = None) -> str:
    view = report_view(report, zone or server_zone())
    return render_markdown("report.md", {"r": view}).rstrip("\n") + "\n"


def to_html(report: Report, zone: zoneinfo.ZoneInfo | None = None) -> str:
    """A whole page, styled with the review app's stylesheet inline: it is opened from disk or
    mailed, so it must stand alone. Times are in the server's zone, as the app shows them."""
    view = report_view(report, zone or server_zone())
    return render_standalone("report.html", {"r": view})


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
