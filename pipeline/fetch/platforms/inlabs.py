"""inlabs: Brazil's Diário Oficial da União through INLABS, the Imprensa Nacional's service.

Shape followed (GAZETTES.md §4b: Imprensa-Nacional/inlabs public/python/inlabs-auto-download-xml.py
@4237e64 and README@1447e93; the XML as idx:11072428 reads it): log in with `POST {url}/logar.php`
(form `email`, `password`; success sets the `inlabs_session_cookie` cookie, a refusal answers 200
with the login page again), then `GET {url}/index.php?p=YYYY-MM-DD&dl=YYYY-MM-DD-{DO1…DO3E}.zip`
with the header `origem: 736372697074` ("script" in hex); 404 means no such section that day. The
zip holds one XML file per act: `<article pubName artType artCategory pubDate numberPage
pdfPage idMateria …>` with `body/Identifica` (the title), `body/Ementa` and `body/Texto` (HTML)
[I: pubDate, numberPage, pdfPage and idMateria are read when present].

The account comes from the environment or a 0600 file (credentials.py), never from sources.toml;
the session's cookie stays in this source's jar; neither reaches a log, a report or the archive.
The acts live inside a zip that needs the account, so each act's XML is rendered as one small HTML
page (its title, ementa and text) carried in the Link and archived on first fetch, with the header
`X-Pipeline-Derived-From` naming the zip member it comes from, and exports cite that archived copy.
Zips are read in memory with caps on members and sizes (a zip bomb stops at the cap). Takes a
Source (`url` = https://inlabs.in.gov.br; options `sections`, `max_items`); gives one Entry per act.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from typing import ClassVar

from lxml import etree

from ...errors import FailureClass, FetchError
from ...models import Fetched, Source
from ..base import Client, DiscoverContext
from ..listed import parse_listed_date
from .base import Entry, Option, Platform, base_url, edition_days, layout_changed
from .credentials import account

SECTIONS = ("DO1", "DO2", "DO3", "DO1E", "DO2E", "DO3E")
DEFAULT_MAX_ITEMS = 500
# A day's DO1 has about 430 acts; its zip a few MB. Anything far beyond is not an edition.
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
_ORIGIN = {"origem": "736372697074"}
_LOGIN_FORM = re.compile(rb"<input[^>]+name=[\"']?password", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)


class Inlabs(Platform):
    name = "Diário Oficial da União (INLABS)"
    unit = "acts"
    fields: ClassVar[Mapping[str, str]] = {
        "idMateria": "id",
        "artType": "type",
        "artCategory": "issuer",
        "Identifica": "title",
        "Ementa": "sumilla",
        "pubName": "section",
        "numberPage": "page",
    }
    options: ClassVar[Mapping[str, Option]] = {
        "sections": Option("list", choices=SECTIONS),
        "max_items": Option("count", maximum=5000),
    }

    def entries(self, source: Source, ctx: DiscoverContext) -> Iterator[Entry]:
        base = base_url(source)
        _login(ctx.client, base)
        left = int(source.options.get("max_items", DEFAULT_MAX_ITEMS))
        for day in edition_days(source, ctx):
            for section in source.options.get("sections") or ["DO1"]:
                for entry in _section(ctx.client, base, day, str(section)):
                    if left <= 0:
                        return
                    left -= 1
                    yield entry


def _login(client: Client, base: str) -> None:
    url = f"{base}/logar.php"
    who = account("INLABS", url)
    answer = client.request("POST", url, data={"email": who.email, "password": who.password})
    if _LOGIN_FORM.search(answer.body):
        raise FetchError(url, FailureClass.CREDENTIALS, "INLABS refused the login", attempts=1)


def _section(client: Client, base: str, day: dt.date, section: str) -> list[Entry]:
    stamp = day.isoformat()
    url = f"{base}/index.php?p={stamp}&dl={stamp}-{section}.zip"
    try:
        fetched = client.get(url, headers=_ORIGIN)
    except FetchError as exc:
        if exc.detail.startswith("HTTP 404"):
            return []  # no such section that day (GAZETTES.md)
        raise
    if not fetched.body.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if _LOGIN_FORM.search(fetched.body):
            raise FetchError(url, FailureClass.CREDENTIALS, "INLABS answered its login page")
        raise layout_changed(url, "not a zip where the section's acts were expected")
    return [
        entry
        for name, data in _members(fetched, url)
        if (entry := _act(name, data, fetched, day)) is not None
    ]


def _members(fetched: Fetched, url: str) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(fetched.body))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise layout_changed(url, f"a broken zip ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise layout_changed(url, f"{len(infos)} members in one zip (more than {MAX_MEMBERS})")
    total = 0
    for info in infos:
        if info.is_dir() or not info.filename.lower().endswith(".xml"):
            continue
        try:
            with archive.open(info) as member:
                data = member.read(MAX_MEMBER_BYTES + 1)  # the header's size may lie
        except (zipfile.BadZipFile, ValueError, RuntimeError, EOFError) as exc:
            raise layout_changed(url, f"member {info.filename!r} unreadable ({exc})") from None
        total += len(data)
        if len(data) > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise layout_changed(url, f"member {info.filename!r} is larger than an act can be")
        yield info.filename, data


def _act(name: str, data: bytes, fetched: Fetched, day: dt.date) -> Entry | None:
    if _ENTITY.search(data[:65536]):
        raise layout_changed(fetched.url, f"{name} declares XML entities (refused)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise layout_changed(fetched.url, f"{name} is not XML ({exc})") from None
    article = root if root.tag == "article" else root.find(".//article")
    if article is None:
        raise layout_changed(fetched.url, f"{name} has no <article>")
    title = _child(article, "Identifica")
    if not title:
        raise layout_changed(fetched.url, f"{name}'s article has no Identifica")
    date = parse_listed_date(article.get("pubDate", ""), ("%d/%m/%Y",)) or day
    ident = article.get("idMateria") or name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    page = _page(title, _child(article, "Ementa"), _child(article, "Texto"))
    address = f"{fetched.url}#{ident}"
    return Entry(
        url=address,
        title=title,
        date=date,
        facts={
            "id": ident,
            "type": article.get("artType", ""),
            "issuer": article.get("artCategory", ""),
            "sumilla": _child(article, "Ementa"),
            "section": article.get("pubName", ""),
            "edition": "extra" if article.get("pubName", "").endswith("E") else "ordinária",
            "page": article.get("numberPage", ""),
            "pdf_url": article.get("pdfPage", ""),
            "archive_only": "needs an INLABS account",
        },
        fetched=Fetched(
            url=address,
            final_url=address,
            status=200,
            headers={
                "content-type": "text/html; charset=utf-8",
                "x-pipeline-derived-from": f"{name} in {fetched.url}",
            },
            body=page,
            sha256=hashlib.sha256(page).hexdigest(),
            fetched_at=fetched.fetched_at,
            content_type="text/html; charset=utf-8",
        ),
    )


def _child(article: etree._Element, name: str) -> str:
    found = article.find(f".//{name}")
    return "".join(str(t) for t in found.itertext()).strip() if found is not None else ""


def _page(title: str, ementa: str, texto: str) -> bytes:
    """The act as one HTML page: the title as its heading, the ementa, the act's own HTML text."""
    return (
        '<!doctype html><html lang="pt"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><article>"
        f'<h1>{html.escape(title)}</h1><p class="ementa">{html.escape(ementa)}</p>'
        f"{texto}</article></body></html>"
    ).encode()
