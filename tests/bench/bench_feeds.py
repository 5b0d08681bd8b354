"""`feeds refresh` of 200 feeds on 20 hosts: concurrent, but polite to each host.

    .venv/bin/python tests/bench/bench_feeds.py

Serves 10 small feeds (5 items each) from each of 20 loopback addresses, 127.0.0.1 to
127.0.0.20, host k answering after 50 + 10·k ms (the slowest: 240 ms). briefing asks at most
`feeds.PER_HOST` (2) at once of one host. Asking one feed after another would take the sum
of all (~29 s); the slowest host alone, served one at a time, takes 10 × 240 ms = 2.4 s.
The target (issue 11): a refresh within 1.5x that, so one slow host sets the pace and the
others do not add to it. Prints the first refresh (200 feeds, 1,000 new articles imported)
and the second (every feed answers 304 Not Modified).
"""

from __future__ import annotations

import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from briefing.importing import feeds
from briefing.store import Book

HOSTS = 20
FEEDS = 10
ITEMS = 5


def handler(delay: float, host: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(delay)
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(
                f"<item><title>Host {host} {self.path} item {n}</title>"
                f"<link>https://h{host}.example{self.path}/{n}</link>"
                f"<description>Report {n} from host {host}, feed {self.path}.</description></item>"
                for n in range(ITEMS)
            )
            body = f'<rss version="2.0"><channel><title>H{host}</title>{items}</channel></rss>'
            raw = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler


def main() -> None:
    servers = []
    for k in range(1, HOSTS + 1):
        delay = 0.05 + 0.01 * (k - 1)
        httpd = ThreadingHTTPServer((f"127.0.0.{k}", 0), handler(delay, k))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append((httpd, delay))
    slowest = max(d for _, d in servers) * FEEDS
    with tempfile.TemporaryDirectory() as tmp:
        book = Book(Path(tmp) / "book")
        for httpd, _ in servers:
            host, port = httpd.server_address[:2]
            for n in range(FEEDS):
                feeds.add(book, f"http://{host}:{port}/feed{n}.xml", None, [])
        for label in ("first refresh (all new)", "second refresh (all 304)"):
            start = time.perf_counter()
            results = feeds.refresh(book)
            took = time.perf_counter() - start
            added = sum(r.added for r in results)
            errors = [r.error for r in results if r.error]
            print(
                f"{label}: {took:.2f} s for {len(results)} feeds, {added} new articles, "
                f"{len(errors)} errors; slowest host served one at a time: {slowest:.2f} s; "
                f"ratio {took / slowest:.2f} (target <= 1.5)"
            )
    for httpd, _ in servers:
        httpd.shutdown()


if __name__ == "__main__":
    main()
