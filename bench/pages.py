"""Bench pages: one corpus document as the HTML a news site or El Peruano would serve.

Takes (seed, page index, number of policies); gives a `Doc` with its bytes, URL path, host and
the facts a perfect extractor would find. Head: meta description, Open Graph, article dates on
some hosts only, JSON-LD, a canonical link, inline CSS and analytics; body: a cookie banner, a
long navigation, a breadcrumb, the article (byline or dateline), related stories, a footer.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
from dataclasses import dataclass

from bench import vocab as v
from bench.corpus import (
    DAYS,
    FIRST_DAY,
    N_HOSTS,
    TOKEN,
    Citation,
    Host,
    citations,
    css_blob,
    en_date,
    es_date,
    host,
    js_blob,
    paragraphs,
    policy_alias,
    policy_title,
    sentence,
    slug,
)
from bench.foreign import WORDS

MIN_BYTES, MAX_BYTES = 50_000, 150_000


@dataclass(frozen=True)
class Doc:
    index: int
    host: Host
    path: str
    title: str
    published: dt.date
    keys: tuple[str, ...]  # norm keys the page names (the ground truth for norm recall)
    html: bytes


def page_index(path: str) -> int | None:
    """The page index a URL path ends with ("/…/slug-123" or El Peruano's "/…/slug-123-1")."""
    tail = path.rstrip("/").rsplit("/", 1)[-1].split("-")
    if tail and tail[-1] == "1" and len(tail) > 2 and tail[-2].isdigit():
        tail = tail[:-1]
    return int(tail[-1]) if tail and tail[-1].isdigit() else None


@dataclass(frozen=True)
class Plan:
    """What a page is about, drawn before its HTML: enough for a sitemap line."""

    site: Host
    path: str
    title: str
    published: dt.date
    cites: list[Citation]
    names: list[str]


def _plan(seed: int, i: int, n_policies: int, n_hosts: int) -> tuple[random.Random, Plan]:
    rng = random.Random(f"{seed}:page:{i}")
    site = host(i % n_hosts)
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    cites = citations(rng, seed, n_policies, site.lang, site.country)
    names = []
    if rng.random() < 0.35 and site.country == "PE":
        j = rng.randrange(n_policies)
        names.append(policy_alias(j) if site.lang == "en" else policy_title(j))
    if site.kind == "gazette":
        title = f"{cites[0].text[:1].upper()}{cites[0].text[1:]}"
        path = f"/normaslegales/{slug(sentence(rng, 'es'))}-{i}-1"
    else:
        title = sentence(rng, site.lang)[:-1]
        section = rng.choice(("politica", "sociedad", "regiones", "news"))
        stamp = published.strftime("%Y/%m/%d/") if site.index % 4 == 1 else ""
        path = f"/{section}/{stamp}{slug(title)}-{i}"
    return rng, Plan(site, path, title, published, cites, names)


def plan(seed: int, i: int, n_policies: int, n_hosts: int = N_HOSTS) -> Plan:
    return _plan(seed, i, n_policies, n_hosts)[1]


def make_doc(seed: int, i: int, n_policies: int, n_hosts: int = N_HOSTS) -> Doc:
    rng, p = _plan(seed, i, n_policies, n_hosts)
    body = paragraphs(rng, p.site.lang, p.cites, p.names)
    page = _html(rng, p.site, p.path, p.title, p.published, body)
    return Doc(i, p.site, p.path, p.title, p.published, tuple(c.key for c in p.cites), page)


def _html(
    rng: random.Random, site: Host, path: str, title: str, day: dt.date, body: list[str]
) -> bytes:
    lang, esc = site.lang, html.escape
    lead = body[0][:300]
    head = [
        '<!DOCTYPE html>\n<html lang="' + lang + '"><head><meta charset="utf-8">',
        f"<title>{esc(title)} | {site.name}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="description" content="{esc(lead[:160])}">',
        f'<meta property="og:title" content="{esc(title)}"><meta property="og:type" '
        f'content="article"><meta property="og:site_name" content="{site.name}">',
        f'<meta name="csrf-token" content="{TOKEN.decode()}">',
        f'<link rel="canonical" href="{path}">',
    ]
    if site.index % 5 != 4:  # some CMSs print no article dates in the head at all
        head.append(f'<meta property="article:published_time" content="{day}T09:30:00-05:00">')
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": f"{day}T09:30:00-05:00", "inLanguage": lang,
              "publisher": {"@type": "Organization", "name": site.name}}  # fmt: skip
        head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    head.append(f"<style>{css_blob()}</style></head>")
    out = head + _chrome_top(rng, site) + _article(rng, site, title, day, body)
    out += _chrome_bottom(rng, site)
    size = sum(map(len, out))
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    blob = js_blob()
    while size < target:
        # Real pages are padded both ways: DOM-heavy teaser grids (which cost a parser and
        # trafilatura real work) and inline analytics scripts (which cost bytes only).
        if rng.random() < 0.6:
            chunk = _cards(rng, site, 12)
        else:
            chunk = f"<script>var v{size}=1;{blob[: target - size]}</script>"
        out.insert(-1, chunk)
        size += len(chunk)
    return ("" if site.minified else "\n").join(out).encode("utf-8")


def _links(rng: random.Random, labels: tuple[str, ...], count: int) -> str:
    items = (
        f'<li><a href="/{slug(label)}/{rng.randrange(999)}">{label}</a></li>'
        for label in (rng.choice(labels) for _ in range(count))
    )
    return "<ul>" + "".join(items) + "</ul>"


def _chrome_words(site: Host) -> tuple[tuple[str, ...], str, str, str, str]:
    """Navigation labels, cookie notice, its button, "Most read", "Home" in the site's language."""
    if site.lang in WORDS:
        words = WORDS[site.lang]
        return words[7], words[8], words[9], words[12], words[13]
    if site.lang == "en":
        return v.EN_NAV_LABELS, v.EN_COOKIE, "Accept", "Most read", "Home"
    return v.NAV_LABELS, v.ES_COOKIE, "Aceptar", "Lo más leído", "Inicio"


def _date_words(site: Host, day: dt.date) -> str:
    if site.lang in WORDS:
        month = WORDS[site.lang][6][day.month - 1]
        joiner = " " if site.lang == "fr" else " de "
        return f"{day.day}{joiner}{month}{joiner}{day.year}"
    return en_date(day) if site.lang == "en" else es_date(day)


def _cards(rng: random.Random, site: Host, count: int) -> str:
    """A grid of teaser cards for other stories, with their own dates (a trap for date finders)."""
    labels = _chrome_words(site)[0]
    cards = []
    for _ in range(count):
        n = rng.randrange(10**6)
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        cards.append(
            f'<div class="card card--small" data-id="{n}"><a class="card__link" href="/nota/{n}">'
            f'<figure class="card__media"><img src="/img/{n}.jpg" alt="" loading="lazy" '
            f'width="300" height="200"></figure><div class="card__body"><span class="card__'
            f'section">{rng.choice(labels)}</span><h3 class="card__title">'
            f'{html.escape(sentence(rng, site.lang))}</h3><span class="card__date">'
            f"{day:%d/%m/%Y}</span></div></a></div>"
        )
    return '<section class="grid"><div class="grid__row">' + "".join(cards) + "</div></section>"


def _chrome_top(rng: random.Random, site: Host) -> list[str]:
    labels, cookie, accept, _, home = _chrome_words(site)
    return [
        f'<body><div id="cookie-banner" class="cookie-consent"><p>{cookie}</p>'
        f"<button>{accept}</button></div>",
        f'<header><a class="logo" href="/">{site.name}</a><nav>'
        + _links(rng, labels, rng.randint(40, 120))
        + "</nav></header>",
        f'<div class="breadcrumb"><a href="/">{home}</a> › {rng.choice(labels)}</div>',
    ]


def _article(
    rng: random.Random, site: Host, title: str, day: dt.date, body: list[str]
) -> list[str]:
    esc = html.escape
    if site.kind == "gazette":
        dateline = f"<p>Lima, {es_date(day)}</p><p>CONSIDERANDO:</p>"
        prose = [f"<p>{esc(c)}</p>" for c in rng.sample(v.GAZETTE_CONSIDERANDO, 3)]
        prose += [f"<p><b>Artículo {n}.- {rng.choice(v.ARTICLE_VERBS)}</b> {esc(p)}</p>"
                  for n, p in enumerate(body, 1)]  # fmt: skip
        return ['<main><article class="norma">', f"<h1>{esc(title)}</h1>", dateline, *prose,
                "<p>Regístrese, comuníquese y publíquese.</p></article></main>"]  # fmt: skip
    when = _date_words(site, day)
    byline = (
        f'<div class="byline"><span class="author">{rng.choice(v.AUTHORS)}</span> '
        f'<time datetime="{day}">{when}</time></div>'
    )
    prose = []
    for n, par in enumerate(body):
        if n and n % 5 == 0:
            prose.append(f"<h2>{esc(sentence(rng, site.lang)[:60])}</h2>")
        prose.append(f"<p>{esc(par)}</p>")
    return ["<main><article>", f"<h1>{esc(title)}</h1>", byline, *prose, "</article>"]


def _chrome_bottom(rng: random.Random, site: Host) -> list[str]:
    labels, _, _, heading, _ = _chrome_words(site)
    related = "".join(
        f'<li><a href="/nota/{rng.randrange(10**6)}">{html.escape(sentence(rng, site.lang))}</a>'
        "</li>"
        for _ in range(rng.randint(6, 14))
    )
    return [
        f'<aside class="related"><h3>{heading}</h3><ul>{related}</ul></aside>'
        + ("</main>" if site.kind == "news" else ""),
        "<footer>" + _links(rng, labels, rng.randint(30, 80)) + f"<p>© {site.name}</p></footer>",
        "</body></html>",
    ]
