"""`briefing import URL`, against a local HTTP server (no internet in tests)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.cli import main
from tests.conftest import DATA

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Fidan in Moscow</title></head>"
    "<body><nav><a href='/'>Home</a></nav><article><h1>Fidan in Moscow</h1>"
    + "".join(
        f"<p>Paragraph {n}: Turkish Foreign Minister Hakan Fidan discussed the war in Ukraine, "
        "the Black Sea grain corridor and a ceasefire with Sergey Lavrov in Moscow, where "
        "both sides said talks on prisoner exchanges would continue next month.</p>"
        for n in range(6)
    )
    + "</article><footer>Copyright</footer></body></html>"
).encode()
FEED = (DATA / "feed.rss").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        routes = {
            "/page.html": (200, "text/html; charset=utf-8", PAGE),
            "/feed.xml": (200, "application/rss+xml", FEED),
            "/big.html": (200, "text/html", b"<p>" + b"x" * 300_000 + b"</p>"),
        }
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page.html")
            self.end_headers()
            return
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        status, kind, body = routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _articles(book: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["--book", str(book), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["articles"]  # type: ignore[no-any-return]


def test_a_page_is_fetched_and_cites_its_final_url(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    assert main(["--book", str(book), "import", f"{server}/moved", "--brief", "russia-turkey"]) == 0
    arts = _articles(book, capsys)
    assert [a["url"] for a in arts] == [f"{server}/page.html"]
    out = tmp_path / "brief.md"
    assert main(["--book", str(book), "export", "--brief", "russia-turkey", "-o", str(out)]) == 0
    assert f"{server}/page.html" in out.read_text()


def test_a_feed_at_a_url_imports_its_items(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    assert main(["--book", str(book), "import", f"{server}/feed.xml"]) == 0
    arts = _articles(book, capsys)
    assert len(arts) > 1 and all(a["url"].startswith("https://wire.example.com") for a in arts)


def test_failures_are_one_line_per_url_and_the_rest_import(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.importing.service as service

    monkeypatch.setattr(service, "MAX_BYTES", 100_000)
    book = tmp_path / "book"
    code = main(
        [
            "--book",
            str(book),
            "import",
            f"{server}/missing",
            f"{server}/big.html",
            "http://127.0.0.1:9/refused",
            f"{server}/page.html",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 3 and "Traceback" not in err
    assert "HTTP 404" in lines[0] and "too large" in lines[1] and "cannot fetch" in lines[2]
    assert [a["url"] for a in _articles(book, capsys)] == [f"{server}/page.html"]


# -- what a server says is not trusted to be well formed ----------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("", 0.0),
        ("120", 120.0),
        (" 0120 ", 120.0),
        ("\xb2", 0.0),  # the byte 0xB2, read as Latin-1: str.isdigit() says it is a digit
        ("\u0663", 0.0),  # ARABIC-INDIC DIGIT THREE: a digit to float(), not to HTTP
        ("9" * 400, 86400.0),  # inf as a float: a day at most
        ("86401", 86400.0),
        ("-5", 0.0),
        ("1e3", 0.0),
        ("1.5", 0.0),
        ("Mon, 99 Foo 2024 00:00:00 GMT", 0.0),
        ("Mon, 01 Jan 99999 00:00:00 GMT", 0.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 86400.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
    ],
)
def test_retry_after_is_seconds_or_a_date_and_at_most_a_day(header: str, seconds: float) -> None:
    from briefing.importing.fetch import MOST_WAIT, _seconds

    assert MOST_WAIT == 86400
    assert _seconds(header) == seconds


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://127.0.0.1:18932/hostile.xml", "http://127.0.0.1:18932/hostile.xml"),
        ("https://Example.ORG/Feed/RSS?Id=A#Top", "https://example.org/Feed/RSS?Id=A#Top"),
        ("Http://User:PassWord@Host.Example:8080", "http://User:PassWord@host.example:8080"),
        ("HTTP://[FE80::1]/A", "http://[fe80::1]/A"),
        ("http://Example.org?Q=A", "http://example.org?Q=A"),
        ("http://a.example/x?", "http://a.example/x?"),  # nothing else changes
        ("feed.xml", "feed.xml"),
        ("HTTP:/Example.org/x", "HTTP:/Example.org/x"),
    ],
)
def test_normal_url_lowers_scheme_and_host_only(url: str, normal: str) -> None:
    from briefing.importing.fetch import normal_url

    assert normal_url(url) == normal
    assert normal_url(normal) == normal


def test_a_validator_that_cannot_be_sent_back_is_dropped() -> None:
    from briefing.importing.fetch import validator

    assert validator(' W/"abc" ') == 'W/"abc"'
    assert validator("Wed, 21 Oct 2015 07:28:00 GMT") == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert validator('"\xb2"') == validator("a\x00b") == validator("x" * 2000) == ""
