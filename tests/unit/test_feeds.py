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
        self.retry_after: dict[str, str] = {}  # path -> its refusal's Retry-After (3600)
        self.bodies: dict[str, bytes] = {}  # path -> what it serves instead of rss(items)
        self.etags: dict[str, str] = {}  # path -> the ETag it gives instead of "v{version}"
        self.not_modified: set[str] = set()  # paths that answer 304 whatever is asked
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
                    # Sent as Latin-1: "\xb2" is the single byte 0xB2.
                    self.send_header("Retry-After", state.retry_after.get(self.path, "3600"))
                    self.end_headers()
                    return
                etag = state.etags.get(self.path, f'"v{state.version}"')
                if self.path in state.not_modified or self.headers.get("If-None-Match") == etag:
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


# -- what a hostile server or a hand-edited feeds.json cannot do ---------------------------------


@pytest.mark.parametrize(
    "retry_after",
    [
        "\xb2",  # the single byte 0xB2: a digit to str.isdigit, not to float()
        "\u0662",  # not Latin-1: sent as "?" by the server, but never trusted either way
        "-5",
        "1e3",
        "Mon, 99 Foo 2024 00:00:00 GMT",
        "Mon, 01 Jan 99999 00:00:00 GMT",
    ],
)
def test_a_malformed_retry_after_is_one_line_for_its_feed(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str], retry_after: str
) -> None:
    base, state = server
    state.refuse["/odd.xml"] = 503
    state.retry_after["/odd.xml"] = retry_after.encode("latin-1", "replace").decode("latin-1")
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/odd.xml") == 0
    assert cli(book, "feeds", "add", f"{base}/fine.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    out, err = capsys.readouterr()
    assert err.strip() == f"briefing: {base}/odd.xml: HTTP 503 Service Unavailable"
    assert "3 new articles; 0 unchanged; 1 failed" in out  # the other feed, saved
    odd, fine = listed(book, capsys, "feeds", "list")["feeds"]
    assert odd["failures"] == 1 and fine["etag"] == '"v1"' and not fine["last_error"]
    assert odd["next_due"] <= time.time() + feeds.MOST_BACKOFF


def test_an_endless_retry_after_waits_a_day_at_most(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """400 nines is inf as a float: stored, it was `null` and every `--due` crashed."""
    base, state = server
    state.refuse["/later.xml"] = 503
    state.retry_after["/later.xml"] = "9" * 400
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/later.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    assert "(retry after 86400 s)" in capsys.readouterr().err
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert isinstance(sub["next_due"], float)
    assert time.time() + 86000 < sub["next_due"] <= time.time() + feeds.MOST_BACKOFF
    asked = len(state.requests)
    assert cli(book, "feeds", "refresh", "--due") == 0  # not due for a day: not asked
    assert len(state.requests) == asked


def test_a_hand_edited_feeds_file_never_breaks_list_or_refresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What an old or hand-edited feeds.json may hold (`null` is what an infinite
    `next_due` was written as): each wrong field reads as its default, and a bad
    `next_due` is due now."""
    bad: list[dict[str, Any]] = [
        {"next_due": None, "failures": "2", "every": -5, "tags": "news", "brief": 7},
        {"next_due": "soon", "every": True, "tags": ["a", 3, None], "new": 1.5e300},
        {"next_due": [], "every": 1e300, "etag": '"\xb2"', "last_error": ["x"]},
        {"next_due": -1.0, "modified": 5, "title": None, "dropped": -1},
        {"next_due": {}, "source": 20200101, "failures": 1e19},
    ]
    book = Book(tmp_path / "book")
    book.update_feeds(lambda f: None)  # the file, then as a hand would edit it
    table = {str(n): {"url": f"http://127.0.0.1:9/{n}", **d} for n, d in enumerate(bad, 1)}
    (book.path / "feeds.json").write_text(json.dumps({"feeds": table}))
    book = Book(book.path)
    subs = feeds.subscriptions(book)
    assert len(subs) == len(bad)
    assert all(s.due(time.time()) for s in subs)
    for s in subs:
        assert isinstance(s.next_due, float) and s.next_due == 0.0
        assert 60 <= s.every <= feeds.MOST_EVERY and isinstance(s.failures, int)
        assert all(isinstance(t, str) for t in s.tags) and isinstance(s.source, str)
        assert s.brief is None and s.etag == "" and isinstance(s.last_error, str)
    assert subs[1].tags == ["a"] and subs[2].every == feeds.MOST_EVERY
    capsys.readouterr()
    assert cli(book.path, "feeds", "list") == 0
    assert len(capsys.readouterr().out.splitlines()) == len(bad)
    assert len(listed(book.path, capsys, "feeds", "list")["feeds"]) == len(bad)
    assert cli(book.path, "feeds", "refresh", "--due") == 1  # all due; port 9 refuses
    assert "0 unchanged; 5 failed" in capsys.readouterr().out
    assert cli(book.path, "feeds", "refresh", "--due") == 0  # backing off, the file sound
    stored = listed(book.path, capsys, "feeds", "list")["feeds"]
    assert all(isinstance(s["next_due"], float) and s["failures"] >= 1 for s in stored)


def test_a_non_finite_next_due_is_due_now() -> None:
    for value in (float("nan"), float("inf"), float("-inf"), None, "1"):
        sub = feeds.Subscription.from_dict({"url": "http://a.example/", "next_due": value})
        assert sub.next_due == 0.0 and sub.due(0.0)
    assert feeds.Subscription("http://a.example/", next_due=float("nan")).due(0.0)


def test_an_interval_is_at_most_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    url = "http://127.0.0.1:9/x"
    assert cli(book, "feeds", "add", url, "--every", "9" * 400 + "d") == 2
    assert cli(book, "feeds", "add", url, "--every", "367d") == 2
    assert "at least once a year" in capsys.readouterr().err
    assert cli(book, "feeds", "add", url, "--every", "366d") == 0


def test_a_feed_that_cannot_be_imported_stays_an_error_and_is_asked_in_full(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its body was damaged: it is a failure (counted, backing off), and its ETag is not
    kept, else the next refresh would get a 304 and it would look healthy for ever."""
    base, state = server
    state.bodies["/broken.xml"] = b'<?xml version="1.0"?>\n<rss><chan'
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/broken.xml") == 0
    capsys.readouterr()
    for n in (1, 2):
        assert cli(book, "feeds", "refresh", f"{base}/broken.xml") == 1
        out, err = capsys.readouterr()
        assert "nothing could be imported" in err and "0 unchanged; 1 failed" in out
        assert "If-None-Match" not in state.requests[-1]  # asked in full each time
        [sub] = listed(book, capsys, "feeds", "list")["feeds"]
        assert sub["failures"] == n and sub["etag"] == "" and sub["last_ok"] == ""
        assert "nothing could be imported" in sub["last_error"]
        assert sub["next_due"] > time.time() + feeds.EVERY  # backing off
    capsys.readouterr()
    assert cli(book, "feeds", "list") == 0
    assert "error:" in capsys.readouterr().out
    del state.bodies["/broken.xml"]  # mended
    assert cli(book, "feeds", "refresh") == 0
    assert "3 new articles" in capsys.readouterr().out
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["failures"] == 0 and sub["etag"] == '"v1"' and not sub["last_error"]


def test_a_partly_damaged_feed_keeps_what_it_brought_but_not_its_etag(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cut short after one item (a truncated download): that item is imported, and the
    feed is asked in full next time for the rest."""
    base, state = server
    whole = rss([1, 2])
    state.bodies["/cut.xml"] = whole[: whole.rindex(b"<item>") + 20]  # in the second
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/cut.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    out, err = capsys.readouterr()
    assert "1 new article;" in out and "damaged" in err
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["etag"] == "" and sub["new"] == 1 and "damaged" in sub["last_error"]
    state.bodies["/cut.xml"] = whole
    assert cli(book, "feeds", "refresh") == 0
    assert "If-None-Match" not in state.requests[-1]
    assert "1 new article;" in capsys.readouterr().out


def test_a_304_to_an_unconditional_request_is_an_error(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    state.not_modified.add("/stale.xml")
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/stale.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    out, err = capsys.readouterr()
    assert "answered 304 Not Modified to an unconditional request" in err
    assert "0 unchanged; 1 failed" in out
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["failures"] == 1 and sub["last_ok"] == ""
    # `briefing import URL` asks unconditionally too: one line, not a crash.
    assert cli(book, "import", f"{base}/stale.xml") == 1
    assert "unconditional request" in capsys.readouterr().err


def test_an_etag_that_cannot_be_sent_back_is_not_kept(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """httpx sends headers as ASCII: a Latin-1 ETag kept would crash the next refresh."""
    base, state = server
    state.etags["/odd-etag.xml"] = '"\xb2"'
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/odd-etag.xml") == 0
    for _ in range(2):
        assert cli(book, "feeds", "refresh") == 0
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["etag"] == "" and not sub["last_error"]


@pytest.mark.parametrize("url", ["http://[::1/f", "http://a..b/f", "http://xn--zz/f"])
def test_a_url_that_cannot_be_fetched_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", url) == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 1
    assert capsys.readouterr().err.startswith(f"briefing: {url}: not a URL that can be fetched")
    assert cli(book, "import", url) == 1
    assert "not a URL that can be fetched" in capsys.readouterr().err


# -- rm: several, all, and a mistyped one among thousands ----------------------------------------


def test_rm_several_all_and_a_mistyped_url_among_thousands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    urls = [f"http://feeds.example/{n}/rss.xml" for n in range(10_000)]
    opml = tmp_path / "big.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        + "".join(f'<outline text="F" xmlUrl="{u}"/>' for u in urls)
        + "</body></opml>"
    )
    assert cli(book, "feeds", "import", str(opml)) == 0
    capsys.readouterr()
    start = time.perf_counter()
    assert cli(book, "feeds", "rm", "http://feeds.example/12345/rss.xml") == 1
    assert time.perf_counter() - start < 5
    out, err = capsys.readouterr()
    assert len(err) < 600 and err.count("\n") == 1 and not out
    assert "no subscription 'http://feeds.example/12345/rss.xml'" in err
    assert "10,000 followed" in err and err.count("http://feeds.example/") <= 4
    assert "(closest: http://feeds.example/2345/rss.xml, " in err  # 3 of them, then the count
    # Several at once (any case of scheme and host); one not followed: the rest go.
    gone = ["HTTP://FEEDS.example/1/rss.xml", urls[2], "http://nowhere.example/"]
    assert cli(book, "feeds", "rm", *gone) == 1
    out, err = capsys.readouterr()
    assert "no longer following 2 feeds" in out and "nowhere.example" in err
    assert len(feeds.subscriptions(Book(book))) == 9_998
    assert cli(book, "feeds", "rm", urls[3]) == 0
    assert f"no longer following {urls[3]}" in capsys.readouterr().out
    assert cli(book, "feeds", "rm", "--all") == 0
    assert "no longer following 9997 feeds" in capsys.readouterr().out
    assert feeds.subscriptions(Book(book)) == []


def test_rm_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "book"
    assert cli(book, "feeds", "rm") == 2
    assert cli(book, "feeds", "rm", "http://a.example/", "--all") == 2
    assert cli(book, "feeds", "refresh", "--all") == 2
    assert "--all goes with `feeds rm`" in capsys.readouterr().err
    assert cli(book, "feeds", "rm", "http://a.example/") == 1
    assert "no feeds are followed" in capsys.readouterr().err
    assert cli(book, "feeds", "rm", "--all") == 0
    assert "no longer following 0 feeds" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["feeds", "--help"])
    assert "briefing feeds rm URL... | rm --all" in capsys.readouterr().out


# -- one feed, whatever the case of its scheme and host ------------------------------------------


def test_scheme_and_host_are_one_feed_in_any_case(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    book = tmp_path / "book"
    shout = base.replace("http://", "HTTP://") + "/Feed.xml"
    assert cli(book, "feeds", "add", shout) == 0
    assert cli(book, "feeds", "add", f"{base}/Feed.xml", "--every", "2h") == 0  # the same one
    assert cli(book, "feeds", "add", f"{base}/feed.xml") == 0  # paths are case-sensitive
    subs = listed(book, capsys, "feeds", "list")["feeds"]
    assert [(s["url"], s["every"]) for s in subs] == [
        (f"{base}/Feed.xml", 7200),
        (f"{base}/feed.xml", 1800),
    ]
    assert cli(book, "feeds", "refresh", shout) == 0
    assert state.requests[-1]["path"] == "/Feed.xml"
    assert cli(book, "feeds", "rm", shout.replace("127.0.0.1", "127.0.0.1")) == 0
    assert [s["url"] for s in listed(book, capsys, "feeds", "list")["feeds"]] == [
        f"{base}/feed.xml"
    ]


def test_a_feed_keeps_its_own_title_once_fetched(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _state = server
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/feed.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "list") == 0
    assert "not fetched yet" in capsys.readouterr().out
    assert cli(book, "feeds", "refresh") == 0
    [sub] = listed(book, capsys, "feeds", "list")["feeds"]
    assert sub["title"] == "Wire"  # the channel's title, for the list and the OPML export
