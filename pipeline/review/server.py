"""Review stage, server adapter: the only module importing uvicorn. Serves the web app on one
process (the app opens a connection per request, so one worker is all SQLite wants)."""

from __future__ import annotations

import uvicorn

from .web import WebSettings, create_app


def serve(settings: WebSettings, host: str, port: int) -> None:
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        proxy_headers=False,  # never trust X-Forwarded-* unless a deployment says so
        server_header=False,
        date_header=False,
        log_level="info",
    )
