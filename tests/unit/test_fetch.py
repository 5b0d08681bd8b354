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
