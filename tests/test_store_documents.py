"""Documents in the store keep what their listing said (a gazette's number, issuer, sumilla)."""

from __future__ import annotations

import datetime as dt
import json

from pipeline import store
from pipeline.models import CountryMethod, DocumentCountry, Link

GIVEN_PE = DocumentCountry("PE", CountryMethod.GIVEN, "given")


def test_listing_facts_are_kept_and_only_fill_blanks(db) -> None:  # type: ignore[no-untyped-def]
    gazette = Link("elperuano", "https://diariooficial.test/n/1946189-1",
                   "Decreto Supremo que crea el Mecanismo intersectorial", dt.date(2021, 4, 22),
                   "El Peruano", {"type": "DECRETO SUPREMO", "number": "004-2021-JUS",
                                  "issuer": "JUSTICIA Y DERECHOS HUMANOS"})  # fmt: skip
    doc = store.ensure_document(db, gazette, GIVEN_PE)
    again = store.ensure_document(db, Link("other", gazette.url, "Otro título"), GIVEN_PE)
    row = db.conn.execute(
        "SELECT listed_title, listed_date, listed_extra FROM documents WHERE id = ?", (doc,)
    ).fetchone()
    assert again == doc
    assert row[:2] == ("Decreto Supremo que crea el Mecanismo intersectorial", "2021-04-22")
    assert json.loads(row[2])["number"] == "004-2021-JUS"
