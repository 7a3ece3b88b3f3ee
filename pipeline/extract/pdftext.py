"""Child process of the extract stage: PDF bytes on stdin → JSON {title, text, dates} on stdout.

Run as `python -m pipeline.extract.pdftext` by `text.read_pdf`. PDFs are hostile (decompression
bombs, endless object graphs), so this process caps its own address space and CPU time before it
reads a byte; when a limit is hit the kernel ends it and the parent reports an unreadable PDF.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import Any

# 1 GiB of address space: pypdf on a 300-page gazette stays under 300 MB.
MEMORY_LIMIT = 1 << 30
# CPU seconds: a 300-page gazette extracts in about 10 s on a slow core.
CPU_LIMIT = 30
# Pages read at most: gazette issues run to ~150 pages; the rest would only cost time.
MAX_PAGES = 400


def _limit() -> None:
    for res, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, CPU_LIMIT)):
        _soft, hard = resource.getrlimit(res)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(res, (cap, hard))


def extract(data: bytes) -> dict[str, object]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages[:MAX_PAGES]:
        try:
            pages.append(page.extract_text() or "")
        except Exception:
            pages.append("")
    info: Any = reader.metadata or {}
    title = str(info.get("/Title", "") or "")
    dates = [str(info.get(k, "") or "") for k in ("/CreationDate", "/ModDate")]
    return {"title": title, "text": "\n".join(pages), "dates": dates}


def main() -> int:
    _limit()
    data = sys.stdin.buffer.read()
    try:
        result = extract(data)
    except Exception as err:
        print(f"unreadable PDF: {type(err).__name__}", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
