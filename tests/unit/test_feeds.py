"""Following feeds: conditional requests, what is new, back-off; a local server, no internet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import main
from briefing.importing import feeds
from briefing.store import Book


def rss(items: list[int]) -> bytes:
    body = "".join(
        f"<item><title>Grain corridor talks, day {n}</title><link>https://wire.example/{n}</link>"
        f"<description>Turkish and Russian ministers discussed the Black Sea grain corridor "
        f"and Ukraine on day {n}.</description></item>"
        for n in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}'
        "</channel></rss>"
    ).encode()


class Server:
    def __init__(self) -> None:
        self.items = [1, 2, 3]
        self.version = 1
        self.requests: list[dict[str, str]] = []
        self.busy = 0
        self.most_at_once = 0
        self.delay = 0.0
        self.refuse: dict[str, int] = {}  # path -> status
        self.lock = threading.Lock()


@pytest.fixture
def server() -> Iterator[tuple[str, Server]]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with state.lock:
                state.requests.append({"path": self.path, **dict(self.headers)})
                state.busy += 1
                state.most_at_once = max(state.most_at_once, state.busy)
            try:
                time.sleep(state.delay)
                if self.path in state.refuse:
                    self.send_response(state.refuse[self.path])
                    self.send_header("Retry-After", "3600")
                    self.end_headers()
                    return
                etag = f'"v{state.version}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                body = rss(state.items)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with state.lock:
                    state.busy -= 1

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()


def cli(book: Path, *args: str) -> int:
    return main(["--book", str(book), *args])


def listed(book: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert cli(book, *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_a_second_refresh_asks_conditionally_and_imports_nothing(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    book = tmp_path / "book"
    url = f"{base}/feed.xml"
    assert cli(book, "feeds", "add", url, "--brief", "russia-turkey") == 0  # from its template
    assert cli(book, "feeds", "refresh") == 0
    assert "3 new articles" in capsys.readouterr().out
    assert len(listed(book, capsys, "list")["articles"]) == 3
    assert cli(book, "feeds", "refresh") == 0
    out = capsys.readouterr().out
    assert "0 new articles; 1 unchanged" in out
    assert state.requests[-1].get("If-None-Match") == '"v1"'
    assert len(listed(book, capsys, "list")["articles"]) == 3
    filed = listed(book, capsys, "list", "--brief", "russia-turkey")["passages"]
    assert len(filed) == 3  # filed into the feed's brief
    state.items, state.version = [1, 2, 3, 4], 2
    assert cli(book, "feeds", "refresh") == 0
    assert "1 new article;" in capsys.readouterr().out
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["new"] == 1 and sub["etag"] == '"v2"' and not sub["last_error"]


def test_a_server_saying_later_is_left_alone_until_then(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    book = tmp_path / "book"
    url = f"{base}/busy.xml"
    state.refuse["/busy.xml"] = 429
    assert cli(book, "feeds", "add", url) == 0
    assert cli(book, "feeds", "refresh") == 1
    assert "HTTP 429" in capsys.readouterr().err
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["failures"] == 1 and sub["next_due"] >= time.time() + 3000
    asked = len(state.requests)
    assert cli(book, "feeds", "refresh", "--due") == 0  # not due: not asked
    assert len(state.requests) == asked


def test_many_feeds_at_once_but_few_per_host(server: tuple[str, Server], tmp_path: Path) -> None:
    base, state = server
    state.delay = 0.2
    book = Book(tmp_path / "book")
    for n in range(8):
        feeds.add(book, f"{base}/feed{n}.xml", None, [])
    start = time.perf_counter()
    results = feeds.refresh(book)
    took = time.perf_counter() - start
    assert [r.error for r in results] == [""] * 8
    assert state.most_at_once == feeds.PER_HOST
    assert took < 8 * 0.2  # not one after another


def test_add_list_rm_and_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", "feed.xml") == 2
    assert "http(s) URL" in capsys.readouterr().err
    assert cli(book, "feeds", "add", "http://127.0.0.1:9/x", "--every", "5s") == 2
    assert cli(book, "feeds", "add", "http://127.0.0.1:9/x", "--every", "2h") == 0
    assert listed(book, capsys, "feeds", "list")["feeds"][0]["every"] == 7200
    assert cli(book, "feeds", "rm", "http://127.0.0.1:9/y") != 0
    assert cli(book, "feeds", "rm", "http://127.0.0.1:9/x") == 0
    assert listed(book, capsys, "feeds", "list")["feeds"] == []
