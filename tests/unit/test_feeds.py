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

DATA = Path(__file__).resolve().parents[1] / "data"


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
        self.bodies: dict[str, bytes] = {}  # path -> what it serves instead of rss(items)
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
                body = state.bodies.get(self.path) or rss(state.items)
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


# -- --source: what an item's source is ---------------------------------------------------------


WIRE = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Top stories</title>
<item><title>Grain corridor talks resume</title><link>https://wire.example/1</link>
<description>Ministers met about the Black Sea grain corridor.</description></item>
<item><title>Cup final result</title><link>https://wire.example/2</link>
<source url="https://sports.example/rss">Sports Desk</source>
<description>The final ended 2-1.</description></item>
</channel></rss>"""


def sources_of(book: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    return {a["title"]: a["source"] for a in listed(book, capsys, "list")["articles"]}


def test_source_names_the_items_without_their_own(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wire's feed is titled "Top stories": `--source` says whose items they are. An item
    with its own <source> keeps it; without --source the feed's title is the source."""
    base, state = server
    state.bodies = {"/wire.xml": WIRE, "/plain.xml": WIRE.replace(b"wire.example", b"b.example")}
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/wire.xml", "--source", "Reuters") == 0
    assert "(source: Reuters)" in capsys.readouterr().out
    assert cli(book, "feeds", "add", f"{base}/plain.xml") == 0
    [wire, plain] = listed(book, capsys, "feeds", "list")["feeds"]
    assert (wire["source"], plain["source"]) == ("Reuters", "")
    capsys.readouterr()
    assert cli(book, "feeds", "list") == 0
    assert "source Reuters" in capsys.readouterr().out
    assert cli(book, "feeds", "refresh") == 0
    got = {(a["url"], a["source"]) for a in listed(book, capsys, "list")["articles"]}
    assert got == {
        ("https://wire.example/1", "Reuters"),
        ("https://wire.example/2", "Sports Desk"),  # its own <source> wins
        ("https://b.example/1", "Top stories"),  # no --source: the feed's title, as before
        ("https://b.example/2", "Sports Desk"),
    }


def test_source_is_cleaned_and_only_for_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", "http://127.0.0.1:9/x", "--source", "Wire\x1b[31m  Desk") == 0
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["source"] == "Wire Desk"  # no escape sequence reaches the book
    assert cli(book, "feeds", "refresh", "--source", "X") == 2
    assert "--source NAME goes with `feeds add URL`" in capsys.readouterr().err
    # Following it again without --source forgets it, as the brief and tags are replaced.
    assert cli(book, "feeds", "add", "http://127.0.0.1:9/x") == 0
    assert listed(book, capsys, "feeds", "list")["feeds"][0]["source"] == ""


def test_old_subscriptions_without_the_new_fields_still_load(tmp_path: Path) -> None:
    """feeds.json written before title/source/dropped existed reads with their defaults."""
    book = Book(tmp_path / "book")
    book.update_feeds(lambda f: f.update({"http://a.example/f": {"url": "http://a.example/f"}}))
    [sub] = feeds.subscriptions(book)
    assert (sub.title, sub.source, sub.dropped) == ("", "", 0)


ENTITY_WIRE = WIRE.replace(
    b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY d "Desk">]>'
).replace(b"Sports Desk", b"Sports &d;")
"""Declares an entity: the streaming reader hands it to feedparser (`FeedFallback`)."""
JSON_WIRE = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Top stories",
        "authors": [{"name": "Wire Service"}],
        "items": [{"id": "1", "url": "https://wire.example/1", "content_text": "Grain talks."}],
    }
).encode()


@pytest.mark.parametrize(
    ("data", "own", "untold"),
    [
        (WIRE, "Sports Desk", "Top stories"),  # read item by item (lxml)
        (ENTITY_WIRE, "Sports Desk", "Top stories"),  # read whole by feedparser
        (JSON_WIRE, None, "Wire Service"),  # JSON Feed: its author, else its title
    ],
)
def test_every_reader_takes_the_default_source(data: bytes, own: str | None, untold: str) -> None:
    from briefing.importing import Source, parse_source

    told = [a.source for a in parse_source(Source("f", data=data, default_source="Reuters"))]
    plain = [a.source for a in parse_source(Source("f", data=data))]
    assert told == ["Reuters", own][: len(told)]
    assert plain == [untold, own][: len(plain)]


def test_a_large_feed_read_in_chunks_takes_the_default_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above STREAM_BYTES the service reads the feed itself and workers build the items
    from a copy of its FeedMeta: the name must travel with it."""
    from briefing.importing import Source
    from briefing.importing import service as service_module

    monkeypatch.setattr(service_module, "STREAM_BYTES", 100)
    path = tmp_path / "wire.xml"
    path.write_bytes(WIRE)
    book = Book(tmp_path / "book")
    report = service_module.import_sources(
        book, [Source(str(path), path=path, default_source="Reuters")]
    )
    assert sorted(a.source for a in report.added) == ["Reuters", "Sports Desk"]


def test_a_feed_whose_brief_is_gone_fails_alone_and_is_asked_in_full_next_time(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its brief was removed and no template has its id: that feed fails with the reason,
    the others are imported, and its ETag is not kept (nothing of it was read: a 304 next
    time would lose its items)."""
    base, _ = server
    book = tmp_path / "book"
    assert cli(book, "new", "--template", "daily", "--title", "Morning", "--id", "morning") == 0
    assert cli(book, "feeds", "add", f"{base}/a.xml", "--brief", "morning") == 0
    assert cli(book, "feeds", "add", f"{base}/b.xml") == 0
    assert cli(book, "rm", "--brief", "morning") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    out, err = capsys.readouterr()
    assert f"{base}/a.xml: no brief 'morning'" in err and "3 new articles" in out
    subs = {s["url"]: s for s in listed(book, capsys, "feeds", "list")["feeds"]}
    assert subs[f"{base}/a.xml"]["etag"] == "" and subs[f"{base}/b.xml"]["etag"] == '"v1"'


def test_what_a_refresh_brings_is_new_until_read(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/feed.xml", "--brief", "russia-turkey") == 0
    assert cli(book, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey") == 0
    assert cli(book, "feeds", "refresh") == 0
    new = [p["id"] for p in listed(book, capsys, "list", "--new")["passages"]]
    assert len(new) == 3  # the feed's three one-passage items; not the imported file
    assert cli(book, "feeds", "refresh") == 0  # 304: nothing more is new
    assert len(listed(book, capsys, "list", "--new")["passages"]) == 3
    capsys.readouterr()
    assert cli(book, "read", new[0]) == 0
    assert "2 new left" in capsys.readouterr().out
    state.items, state.version = [1, 2, 3, 4], 2
    assert cli(book, "feeds", "refresh") == 0
    after = [p["id"] for p in listed(book, capsys, "list", "--new")["passages"]]
    assert len(after) == 3 and new[0] not in after and after[0] not in new  # newest first
    assert cli(book, "read", "--all") == 0
    assert listed(book, capsys, "list", "--new")["passages"] == []
