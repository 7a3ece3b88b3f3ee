"""Builders for the review tests (no tests here): a database with two policies and documents
that each carry a pending match, made through the store's own write functions."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import sqlite_utils
from support import extraction, policy

from pipeline import store
from pipeline.extract.norms import display_for_key
from pipeline.models import CountryMethod, DocumentCountry, Fetched, Link, Match, MatchStatus

GIVEN_PE = DocumentCountry("PE", CountryMethod.GIVEN, "given")

XSS_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> Decreto Supremo'
DOCS = (
    ("Decreto Supremo N° 004-2021-JUS crea el Mecanismo",
     "Lima, 22 de abril de 2021. Se aprueba el Decreto Supremo N° 004-2021-JUS, que crea el "
     "Mecanismo intersectorial para la protección de las personas defensoras.", 0.55),
    ("Defensores piden protección", "El Decreto Supremo N° 004-2021-JUS fue citado ayer.", 0.6),
    (XSS_TITLE, "Texto <b>con</b> marcas y el Decreto Supremo N° 004-2021-JUS.", 0.7),
)  # fmt: skip


def url_of(i: int) -> str:
    return f"https://news.test/doc-{i}"


def seed(db: sqlite_utils.Database) -> list[int]:
    """Two policies; three documents, each with a pending match to 'pe-mecanismo'. Match ids."""
    store.import_policies(
        db,
        [policy(), policy("pe-other", ("RM|159|2019|JUS",), title="Other protocol")],
        display_for_key,
    )
    for i, (title, text, score) in enumerate(DOCS):
        url = url_of(i)
        doc = store.ensure_document(
            db, Link("gazette", url, listed_title=title), GIVEN_PE, "Gazette"
        )
        body = text.encode()
        fetched = Fetched(url, url, 200, {}, body, hashlib.sha256(body).hexdigest(),
                          dt.datetime(2021, 4, 22, tzinfo=dt.UTC), "text/plain")  # fmt: skip
        version = store.store_version(db, doc, fetched, "")
        store.save_extraction(db, version.version_id, extraction(title, text, url=url))
        proposal = Match(doc, "pe-mecanismo", score, ("cites Decreto Supremo N° 004-2021-JUS",),
                         "norm", MatchStatus.PENDING, f"evidence-{i}")  # fmt: skip
        store.save_matches(db, doc, [proposal])
    return [int(r[0]) for r in db.conn.execute("SELECT id FROM matches ORDER BY id")]


def match_row(db: sqlite_utils.Database, match_id: int) -> dict[str, object]:
    cursor = db.conn.execute("SELECT * FROM matches WHERE id = ?", (match_id,))
    names = [c[0] for c in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


GAZETTE_TEXT = (
    "Normas Legales: sumario del 2 de octubre de 2020\n"
    "PRESIDENCIA DEL CONSEJO DE MINISTROS\n"
    "- R.M. N° 241-2020-PCM.- Aceptan renuncia de Asesor II del Despacho Ministerial\n"
    "JUSTICIA Y DERECHOS HUMANOS\n"
    "- R.M. N° 0255-2020-JUS.- Crean el Registro sobre situaciones de riesgo de personas "
    "defensoras de derechos humanos\n"
    "- R.S. N° 143-2020-JUS.- Acceden a solicitud de extradición\n"
)
REGISTRY = "Registro sobre situaciones de riesgo de personas defensoras de derechos humanos"


def seed_gazette(db: sqlite_utils.Database) -> int:
    """A gazette summary linked by the real linker to a policy that owns one of its norms and
    is named in it: the match id."""
    from pipeline.config import LinkSettings
    from pipeline.link import PolicyIndex, link_document

    owner = policy("pe-registro", ("RM|255|2020|JUS",), aliases=(REGISTRY,), title="Registry")
    store.import_policies(db, [owner], display_for_key)
    url = "https://diariooficial.test/sumario-2020-10-02"
    doc = store.ensure_document(db, Link("gazette", url), GIVEN_PE, "Diario oficial El Peruano")
    body = GAZETTE_TEXT.encode()
    fetched = Fetched(url, url, 200, {}, body, hashlib.sha256(body).hexdigest(),
                      dt.datetime(2020, 10, 2, tzinfo=dt.UTC), "text/plain")  # fmt: skip
    version = store.store_version(db, doc, fetched, "")
    found = extraction("Normas Legales: sumario", GAZETTE_TEXT, url=url)
    store.save_extraction(db, version.version_id, found)
    proposals = link_document(found, PolicyIndex([owner]), LinkSettings())
    store.save_matches(db, doc, [replace(m, document_id=doc) for m in proposals])
    row = db.conn.execute("SELECT id FROM matches WHERE document_id = ?", (doc,)).fetchone()
    return int(row[0])
