"""A run report as a bad night gives it, for the report's tests and its browser test: a gazette
whose layout changed, a site refusing robots and timing out, a silent source past its
expectation, a backfill of candidates over the listing limit, an amendment proposal, and the
hostile text scraped pages carry (markup in titles, a javascript: URL, a 300-character URL)."""

from __future__ import annotations

from typing import Any

from pipeline.report import REPORT_ITEMS

LONG_URL = "https://busquedas.elperuano.pe/normaslegales/" + "resolucion-ministerial-" * 12 + "1"


def _source(sid: str, name: str, **fields: Any) -> dict[str, Any]:
    base = {"id": sid, "name": name, "new_documents": 0, "failures": {},
            "last_new_item": "2026-12-04T02:31:10+00:00", "days_since_new": 1,
            "expect_items_within_days": 7, "overdue": False, "layout_changed": []}  # fmt: skip
    return {**base, **fields}


def _item(url: str, title: str, score: float | None, reason: str, status: str) -> dict[str, Any]:
    return {"url": url, "title": title, "score": score, "status": status, "reasons": [reason]}


def rich_report() -> dict[str, Any]:
    candidates = [
        _item(f"https://larepublica.pe/politica/2026/12/05/defensores-{i}",
              f"Defensores de derechos humanos en Loreto, nota {i}", 0.74 - i / 100,
              "names the policy: 'Mecanismo intersectorial'", "pending")
        for i in range(REPORT_ITEMS + 5)
    ]  # fmt: skip
    candidates[0] = _item(
        LONG_URL, "<script>alert(1)</script> Resolución Ministerial N° 0134", 0.81,
        "cites Resolución Ministerial N° 134-2021-MINAM", "pending")  # fmt: skip
    candidates[1] = _item("javascript:alert(1)", "Un enlace que no es web", 0.7, "", "pending")
    auto = [_item("https://busquedas.elperuano.pe/dispositivo/NL/2058412-1",
                  "Decreto Supremo que modifica el Decreto Supremo N° 004-2021-JUS", 0.99,
                  "the official gazette lists this document as Decreto Supremo N° 002-2022-JUS",
                  "auto")]  # fmt: skip
    amendment = _item(
        "https://busquedas.elperuano.pe/dispositivo/NL/2058412-1",
        "DS 002-2022-JUS modifies DS 004-2021-JUS", None,
        "Modifícase el artículo 3 del Decreto Supremo N° 004-2021-JUS", "open")  # fmt: skip
    layout = "no key 'NotasMatutinas' in the response (https://sidof.segob.gob.mx/<b>x</b>)"
    return {
        "run": {"id": 412, "status": "partial", "started_at": "2026-12-05T01:30:00+00:00",
                "finished_at": "2026-12-05T01:41:05+00:00",
                "stats": {"sources": 4, "links": 212, "new_versions": 31, "extracted": 29,
                          "unchanged": 170, "norms_found": 64, "auto": 1, "pending": 25,
                          "deferred": 2, "stopped": False,
                          "failures": {"robots": 16, "timeout": 2, "layout_changed": 1}}},
        "sources": [
            _source("dof", "Diario Oficial de la Federación", failures={"layout_changed": 1},
                    last_new_item=None, days_since_new=None, expect_items_within_days=None,
                    layout_changed=[layout]),
            _source("elperuano", "Diario oficial El Peruano", new_documents=29, days_since_new=0,
                    last_new_item="2026-12-05T01:35:00+00:00"),
            _source("larepublica", "La República", failures={"robots": 16, "timeout": 2}),
            _source("minjus", "Ministerio de Justicia y Derechos Humanos", days_since_new=12,
                    last_new_item="2026-11-23T02:40:00+00:00", overdue=True),
        ],
        "policies": [
            {"id": "pe-hrd-protection",
             "title": "Peru: protection policy for human rights defenders",
             "new_candidates": candidates[:REPORT_ITEMS], "auto_accepted": auto,
             "amendments": [amendment],
             "counts": {"new_candidates": len(candidates), "auto_accepted": 1, "amendments": 1}},
        ],
    }  # fmt: skip
