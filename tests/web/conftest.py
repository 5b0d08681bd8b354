"""A `briefing serve` process on a free local port, and Chromium when the machine has one."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.demo import add_demo
from briefing.store import Book


@dataclass
class Served:
    url: str
    """The link `serve` printed, token included (`…/s/<token>/`)."""
    base: str
    token: str
    book: Path
    process: subprocess.Popen[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    book: Path, *args: str, options: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> Served:
    """`briefing --book BOOK ARGS serve --port FREE OPTIONS`, once it has printed its link."""
    port = _free_port()
    command = [sys.executable, "-m", "briefing", "--book", str(book), *args, "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    url = ""
    while time.monotonic() < deadline and not url:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        if m := re.search(r"(http://\S+/s/[^/\s]+/)", line):
            url = m.group(1)
    if not url:
        process.kill()
        pytest.fail("briefing serve printed no link")
    # Listening once the first request is answered.
    base = url.split("/s/", 1)[0]
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    token = url.split("/s/", 1)[1].strip("/")
    return Served(url, base, token, book, process)


def stop(served: Served) -> int:
    served.process.send_signal(signal.SIGINT)
    try:
        return served.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        served.process.kill()
        raise


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    book = Book(tmp_path / "book")
    add_demo(book)
    return book.path


@pytest.fixture
def served(demo: Path) -> Iterator[Served]:
    s = serve(demo)
    yield s
    stop(s)


def chromium_path() -> str | None:
    return (
        os.environ.get("BRIEFING_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture
def chromium() -> str:
    """The system's Chromium, driven by Playwright (no browser download); skipped without."""
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = chromium_path()
    if not path:
        pytest.skip("no Chromium on this machine (apt install chromium)")
    return path
