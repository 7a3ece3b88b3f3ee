"""Figure 4's baseline: Scrapy crawling the bench web's sitemaps, in its own process.

    python -m bench.scrapy_crawl --concurrency 16 SITEMAP_URL...

A SitemapSpider does what the pipeline's sitemap sources do (robots.txt, sitemap, every page),
with the same manners: no delay, one request in flight per host, the same total concurrency.
The callback keeps nothing. Prints {"pages": …, "seconds": …} where seconds is Scrapy's own
elapsed time (engine start to close), so its import and start-up are not counted, as the
pipeline's are not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("sitemaps", nargs="+")
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess  # the bench extra: not a pipeline dependency
    from scrapy.http import Response
    from scrapy.spiders import SitemapSpider

    pages = [0]

    class BenchSpider(SitemapSpider):
        name = "bench"
        sitemap_urls = args.sitemaps

        def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
            pages[0] += 1
            yield from ()

    settings = {
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "USER_AGENT": "observatory-bench-scrapy/0.1",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BenchSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    seconds = float(stats.get("elapsed_time_seconds", 0.0))
    print(json.dumps({"pages": pages[0], "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
