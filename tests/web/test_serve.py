"""`briefing serve`: the TUI in a real browser (the system's Chromium, driven by Playwright),
and nobody in without the token. The page draws on a canvas, so the browser tests assert on
the book, not on page text."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefing.store import Book
from tests.web.conftest import Served, serve, stop


def _ws(s: Served, width: int = 80, height: int = 24) -> str:
    return f"{s.base}/s/{s.token}/ws?width={width}&height={height}"


def status(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_nothing_without_the_token(served: Served) -> None:
    base, token = served.base, served.token
    inside = f"{base}/s/{token}"
    for path in ("/", "/static/js/textual.js", "/ws", f"/s/{token[:-1]}x/", f"/s/{token}x/"):
        assert status(base + path) == 403, path
    assert status(f"{base}/?token={token}") == 403  # only the path holds it
    assert status(inside + "/") == 200
    assert status(inside + "/static/js/textual.js") == 200
    assert status(base + "/download/nothing-here") == 404  # a one-use key, from the app only
    # The static folder stays a folder, and a forged Host never reaches the page.
    for path in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py"):
        assert status(inside + path) in (403, 404), path
    request = urllib.request.Request(inside + "/", headers={"Host": 'x"><script>'})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    # The page carries the token itself: no cookie, which a browser would also send to
    # every other server on 127.0.0.1.
    with urllib.request.urlopen(inside + "/", timeout=10) as response:
        assert "Set-Cookie" not in response.headers
        page = response.read().decode()
    assert f"/s/{token}/ws" in page and "fonts.googleapis" not in page


def _apps_of(book: Path) -> list[int]:
    """Pids of `briefing ... tui` processes serving this book (Linux: /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(book).encode() in argv and b"tui" in argv:
            pids.append(int(entry.name))
    return pids


def test_a_tab_runs_its_own_app_and_ctrl_c_ends_them_all(demo: Path) -> None:
    import asyncio

    import aiohttp

    if not Path("/proc/self/cmdline").exists():
        pytest.skip("needs /proc to see the app processes")
    s = serve(demo)

    async def open_tabs() -> int:
        async with aiohttp.ClientSession() as http:
            tabs = [await http.ws_connect(_ws(s)) for _ in range(2)]
            for _ in range(100):
                if len(_apps_of(demo)) >= 2:
                    break
                await asyncio.sleep(0.1)
            running = len(_apps_of(demo))
            await tabs[0].close()  # a tab goes away: its app ends
            for _ in range(100):
                if len(_apps_of(demo)) < running:
                    break
                await asyncio.sleep(0.1)
            return running

    try:
        assert asyncio.run(open_tabs()) == 2
        assert len(_apps_of(demo)) == 1
    finally:
        assert stop(s) == 0  # Ctrl+C, with a tab still open
    assert _wait(lambda: not _apps_of(demo), 10)


def _wait(check: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def _artifact(name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BRIEFING_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _open(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    page.goto(served.url)
    page.wait_for_selector("body.-first-byte", state="attached", timeout=30_000)
    page.click("#terminal")
    time.sleep(1.5)  # the app's first frame, then its keys are live


def test_a_note_written_in_the_browser_is_in_the_book(
    served: Served, chromium: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("request", lambda r: requested.append(r.url))
        try:
            _open(page, served)
            page.keyboard.press("Tab")  # to the passages
            time.sleep(0.5)
            page.keyboard.press("*")  # key point
            time.sleep(0.8)
            page.keyboard.press("a")  # a note
            time.sleep(0.8)
            page.keyboard.type("Written in a browser.")
            page.keyboard.press("Control+s")

            def written() -> bool:
                states = Book(served.book).states().values()
                return any(n.text == "Written in a browser." for st in states for n in st.notes)

            ok = _wait(written)
            page.screenshot(path=str(_artifact("serve-note.png", tmp_path)))
        finally:
            browser.close()
    assert ok, "the note never reached the book"
    assert any(st.key_point for st in Book(served.book).states().values())
    hosts = {urlsplit(u).hostname for u in requested if u.startswith(("http", "ws"))}
    assert hosts == {"127.0.0.1"}, hosts  # nothing fetched off the machine: no font CDN


def test_read_only_refuses_a_note(demo: Path, chromium: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    s = serve(demo, "--read-only")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            try:
                _open(page, s)
                page.keyboard.press("Tab")
                time.sleep(0.5)
                page.keyboard.press("a")
                time.sleep(0.8)
                page.keyboard.type("Must not land.")
                page.keyboard.press("Control+s")
                time.sleep(3)
                page.screenshot(path=str(_artifact("serve-read-only.png", tmp_path)))
            finally:
                browser.close()
    finally:
        stop(s)
    states = Book(demo).states().values()
    assert not any(n.text == "Must not land." for st in states for n in st.notes)


def test_a_session_over_the_cap_is_refused(demo: Path) -> None:
    import asyncio

    import aiohttp

    s = serve(demo)
    try:

        async def two() -> tuple[int, int]:
            async with aiohttp.ClientSession() as http:
                first = await http.ws_connect(_ws(s))
                results = []
                for _ in range(4):  # the cap is 4 by default
                    try:
                        ws = await http.ws_connect(_ws(s))
                        results.append(ws)
                    except aiohttp.WSServerHandshakeError as exc:
                        for ws in results:
                            await ws.close()
                        await first.close()
                        return len(results) + 1, exc.status
                await first.close()
                return len(results) + 1, 0

        opened, refused = asyncio.run(two())
        assert (opened, refused) == (4, 503)
    finally:
        stop(s)


def test_export_downloads_and_y_copies_in_the_browser(
    served: Served, chromium: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # textual-serve opens a download in a new tab from a message, not a click: a browser
        # asks the user to allow pop-ups from the server once (README); here it is allowed.
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-popup-blocking"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        try:
            _open(page, served)
            page.keyboard.press("Tab")
            time.sleep(0.5)
            page.keyboard.press("y")
            time.sleep(1.0)
            copied = page.evaluate("navigator.clipboard.readText()")
            page.keyboard.press("e")
            time.sleep(0.8)
            page.keyboard.press("p")  # the principal's copy
            time.sleep(0.8)
            # textual-serve opens the download in a tab of its own, which closes at once;
            # Chromium reports the download on the page that opened it.
            with page.expect_download(timeout=20_000) as started:
                page.keyboard.press("Enter")  # the offered name
            saved = _artifact("served-brief.md", tmp_path)
            started.value.save_as(str(saved))
        finally:
            browser.close()
    assert copied.startswith("“Hakan Fidan") and "— Briefing Demo, 25 May 2025" in copied
    text = saved.read_text()
    assert text.startswith("---\n") and "# Russia–Turkey" in text


def test_an_idle_tab_is_closed(demo: Path) -> None:
    import asyncio

    import aiohttp

    async def closed(s: Served) -> bool:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(_ws(s))
            try:
                async with asyncio.timeout(15):
                    async for _message in ws:  # the app's output, until the server closes it
                        pass
            except TimeoutError:
                return False
            return ws.closed

    s = serve(demo, options=("--idle", "0.02"))  # 1.2 seconds
    try:
        assert asyncio.run(closed(s))
    finally:
        stop(s)


def test_garbage_and_giant_sizes_neither_crash_nor_swell_the_app(demo: Path) -> None:
    import asyncio

    import aiohttp

    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the app's memory")
    s = serve(demo)

    async def abuse() -> tuple[bool, int]:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(_ws(s, 100_000, 100_000))
            await ws.send_str("{not json")
            await ws.send_str("[" * 100_000)
            await ws.send_str('["resize", {"width": 100000, "height": 100000}]')
            await ws.send_str('["resize", {"width": -5, "height": -5}]')
            await ws.send_str('["ping", "still-here"]')
            pong = False
            async with asyncio.timeout(15):
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.TEXT and "still-here" in message.data:
                        pong = True
                        break
            await asyncio.sleep(3)  # a 100,000-column screen would be gigabytes by now
            rss = max((_rss_kb(pid) for pid in _apps_of(demo)), default=0)
            await ws.close()
            return pong, rss

    try:
        pong, rss = asyncio.run(abuse())
    finally:
        assert stop(s) == 0
    assert pong, "the session did not survive garbage frames"
    assert 0 < rss < 400_000, f"the app uses {rss} KB"


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
