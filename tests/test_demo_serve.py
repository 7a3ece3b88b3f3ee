"""The demo server answers El Peruano's day listing by its query string, safely.

`demo/serve.py` maps a request with a query to `<path>@<pairs sorted by name>.html`, so the demo
web can serve the 2026 listing `/?fechaIni=…&start=N` as a night run asks for it; a query that
could name anything else (a slash, an encoded one, too many pairs) names no file.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "demo"))
from serve import query_suffix, resolve_request_path, serve

WEB = ROOT / "demo" / "web"
LISTING = "/?fechaIni=20220322&fechaFin=20220322&tipoPublicacion=NL&ci=ONLY&start={}"


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    srv = serve(WEB, 0)
    yield srv
    srv.shutdown()
    srv.server_close()


def get(server: ThreadingHTTPServer, path: str, host: str = "busquedas.elperuano.pe") -> int:
    port = server.server_address[1]
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_day_listing_pages_answer_in_any_parameter_order(server: ThreadingHTTPServer) -> None:
    assert get(server, LISTING.format(0)) == 200
    assert get(server, LISTING.format(20)) == 200
    reordered = "/?start=0&ci=ONLY&tipoPublicacion=NL&fechaFin=20220322&fechaIni=20220322"
    assert get(server, reordered) == 200
    assert get(server, LISTING.format(40)) == 404  # past the last page: the end of the day
    assert get(server, "/dispositivo/NL/2058412-1") == 200


@pytest.mark.parametrize(
    "query",
    ["a=../../etc", "a=%2Fetc", "a=%2e%2e%2f", "a=x/y", "a=\\x", "a=%00", "=x", "a=" + "x" * 65],
)
def test_a_query_naming_a_path_names_no_file(query: str) -> None:
    assert query_suffix(f"/?{query}") is None
    assert resolve_request_path(WEB, f"/?{query}", "busquedas.elperuano.pe") is None


def test_too_many_pairs_name_no_file() -> None:
    many = "&".join(f"k{i}=1" for i in range(30))
    assert query_suffix(f"/?{many}") is None


def test_a_query_without_its_own_page_still_gets_the_page(server: ThreadingHTTPServer) -> None:
    assert get(server, "/robots.txt?utm_source=x") == 200
    assert query_suffix("/x?b=2&a=1") == "@a=1&b=2"
