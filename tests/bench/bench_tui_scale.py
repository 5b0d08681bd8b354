"""The TUI at desk scale: start, a search keystroke, escape and opening a big section.

    python tests/bench/bench_tui_scale.py            # all of it
    python tests/bench/bench_tui_scale.py keys       # only the in-process key timings
    python tests/bench/bench_tui_scale.py start      # only the start-up timings (tmux)

The book: one brief "big" of 25,000 passages (200 articles), filed into the four sections of
the russia-turkey template as 10,000 / 5,000 / 5,000 / 5,000. Each passage is a sentence
with a few words drawn from a vocabulary of 3,000, so a search narrows the list the way it
does on real text.

Start: each command runs in a private tmux server at 100×30 (as `bench_startup.py` does);
the clock stops when the first section's title and count are on screen. Compared: a bare
Textual app (Header, Static, Footer), briefing on the 13-passage demo brief, and briefing on
the 25,000-passage brief. Run with `.pyc` files written (the bench unsets
PYTHONDONTWRITEBYTECODE for its children, as an installed package has them).

Keys: the real app with Pilot at 100×30. A key is sent as the terminal sends it (a Key event
to the driver, without Pilot's own pauses) and the clock stops when the list shows the
result and the frame after it has been composed (headless: composed, not written).
- search keystroke: `/` opens the filter in the 10,000-passage section, then each letter of a
  few queries is typed (each letter re-filters the listing), then backspaces;
- escape: with a filter typed, `escape` clears it and the whole section is listed again;
- opening a section: the sections pane's highlight moves onto the 10,000-passage section
  (from its 5,000-passage neighbour), until the passages pane lists it.
Prints median and p95 (nearest rank) in ms.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import BARE, first_screen
from textual import events

from briefing.briefs import create_brief
from briefing.demo import add_demo
from briefing.model import Article, Filing, Passage
from briefing.store import Book

SIZES = (10_000, 5_000, 5_000, 5_000)
ARTICLES = 200
SIZE = (100, 30)
CHARS = {"space": " ", "slash": "/", "quotation_mark": '"'}
QUERIES = ("moscow kar", "turk", '"black sea" ka', "zan", "fidan talks")


def vocabulary(n: int = 3000) -> list[str]:
    rnd = random.Random(7)
    syll = ["ka", "ro", "mi", "te", "zan", "bul", "or", "vi", "sha", "lo", "pe", "dri", "mon"]
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rnd.choice(syll) for _ in range(rnd.randint(2, 4))))
    return sorted(words)


def build(path: Path, sizes: tuple[int, ...] = SIZES) -> Book:
    """A book whose brief "big" holds sum(sizes) passages, sizes[k] in section k."""
    rnd = random.Random(1)
    vocab = vocabulary()
    weights = [1 / (r + 1) for r in range(len(vocab))]  # Zipf-like: a few common words
    lead = [
        "Turkish Foreign Minister Hakan Fidan will hold talks in Moscow",
        "The grain corridor and the Black Sea were on the agenda",
        "Ankara and Moscow discussed trade and energy",
        "Officials in Kyiv watched the visit closely",
    ]
    n = sum(sizes)
    book = Book(path)
    brief = create_brief(book, "russia-turkey", "Big brief", "big")
    per = max(1, n // ARTICLES)
    items = []
    passages = []
    for a in range(ARTICLES):
        aid = f"{a:02x}{a:08x}"[:10]
        ps = []
        for i in range(per):
            extra = " ".join(rnd.choices(vocab, weights, k=8))
            text = f"{lead[(a + i) % 4]}; {extra}; passage {a * per + i} of a long brief."
            ps.append(Passage(f"{aid}.{i + 1}", aid, i, text))
        art = Article(aid, f"Article {a}", source="TASS", passage_count=per, imported_at="x")
        items.append((art, ps))
        passages += ps
    book.add_articles(items)
    sections = [s.id for s in brief.sections]
    rnd.shuffle(passages)
    filings = []
    start = 0
    for k, size in enumerate(sizes):
        filings += [
            Filing(p.id, sections[k], j) for j, p in enumerate(passages[start : start + size])
        ]
        start += size
    book.update_filings(
        brief.id,
        lambda _cur: filings,
        new_passages=passages,
        new_articles=[a for a, _ in items],
    )
    book.set_setting("current_brief", "big")
    return book


def stats(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms) + 0.5) - 1))]
    return f"median {statistics.median(ms):7.1f} ms, p95 {p95:7.1f} ms (n={len(ms)})"


# -- start ---------------------------------------------------------------------------------------


def measure_start(book: Path, demo: Path, runs: int, tmp: Path) -> dict[str, list[float]]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp), "XDG_DATA_HOME": str(tmp)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    bare = tmp / "bare.py"
    bare.write_text(BARE)
    subprocess.run([py, "-c", "import briefing.cli, briefing.tui.app"], env=env, check=True)
    first_screen(f"{py} {bare}", "Overview", env)  # warm the page cache
    first_screen(f"{py} -m briefing --book {book}", f"Overview {SIZES[0]}", env)
    out: dict[str, list[float]] = {"bare Textual app": [], "demo brief (13)": [], "big brief": []}
    for _ in range(runs):
        out["bare Textual app"].append(first_screen(f"{py} {bare}", "Overview", env))
        out["demo brief (13)"].append(
            first_screen(f"{py} -m briefing --book {demo}", "Overview 4", env)
        )
        out["big brief"].append(
            first_screen(f"{py} -m briefing --book {book}", f"Overview {SIZES[0]}", env)
        )
    return out


# -- keys ----------------------------------------------------------------------------------------


class Clock:
    """Times a key from its arrival to the first frame composed after a condition holds."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.frames = 0
        original = app._display

        def display(screen, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                self.frames += 1
            return original(screen, renderable)

        app._display = display

    async def key(self, key: str, done: Callable[[], bool], limit: float = 20.0) -> float:
        char = key if len(key) == 1 else CHARS.get(key)
        event = events.Key(key, char)
        event.set_sender(self.app)
        t0 = time.perf_counter()
        self.app._driver.send_message(event)
        end = t0 + limit
        while not done():
            if time.perf_counter() > end:
                raise TimeoutError(key)
            await asyncio.sleep(0.0005)
        frames = self.frames
        while self.frames == frames:
            if time.perf_counter() > end:
                raise TimeoutError(key)
            await asyncio.sleep(0.0005)
        return time.perf_counter() - t0


async def measure_keys(path: Path, rounds: int = 3) -> dict[str, list[float]]:
    from briefing import search
    from briefing.tui.app import BriefingApp

    app = BriefingApp(Book(path), "big")
    out: dict[str, list[float]] = {
        "/ (opens the filter)": [],
        "search keystroke": [],
        "(of which the first after /)": [],
        "backspace in the filter": [],
        "escape (clears the filter)": [],
        "open 10,000-passage section": [],
        "j in 10,000 passages": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen_stack[-1]
        clock = Clock(app)
        end = time.perf_counter() + 60
        while screen.session.view is None or not screen.passages.rows:  # type: ignore[attr-defined]
            assert time.perf_counter() < end
            await asyncio.sleep(0.01)
        await pilot.pause(0.3)
        pane = screen.pane  # type: ignore[attr-defined]
        plist = screen.passages  # type: ignore[attr-defined]
        sections = screen.sections  # type: ignore[attr-defined]
        all_keys = [r.key for r in pane.all_rows]
        assert len(all_keys) == SIZES[0], len(all_keys)

        # Opening the big section from its neighbour, back and forth.
        for _ in range(rounds * 4):
            await clock.key("j", lambda: len(plist.rows) == SIZES[1])
            await pilot.pause(0.05)
            out["open 10,000-passage section"].append(
                await clock.key("k", lambda: len(plist.rows) == SIZES[0])
            )
            await pilot.pause(0.05)
        assert sections.has_focus

        await clock.key("tab", lambda: plist.has_focus)
        await pilot.pause(0.2)
        for _ in range(20):
            i = plist.cursor

            def moved(i: int = i) -> bool:
                return bool(plist.cursor == i + 1)

            out["j in 10,000 passages"].append(await clock.key("j", moved))
        rows = {r.key: r for r in pane.all_rows}
        for _ in range(rounds):
            for query in QUERIES:
                out["/ (opens the filter)"].append(
                    await clock.key(
                        "slash", lambda: pane.search_box is not None and pane.search_box.has_focus
                    )
                )
                await pilot.pause(0.05)
                typed = ""

                def shows(typed: str) -> Callable[[], bool]:
                    test = search.matcher(typed, last_is_prefix=True)
                    want = [k for k in all_keys if test(rows[k].item)]
                    return lambda: pane.query_text == typed and [r.key for r in plist.rows] == want

                for ch in query:
                    typed += ch
                    key = {" ": "space", '"': "quotation_mark"}.get(ch, ch)
                    took = await clock.key(key, shows(typed))
                    out["search keystroke"].append(took)
                    if len(typed) == 1:
                        out["(of which the first after /)"].append(took)
                for _ in range(3):
                    typed = typed[:-1]
                    out["backspace in the filter"].append(
                        await clock.key("backspace", shows(typed))
                    )
                await pilot.pause(0.05)
                out["escape (clears the filter)"].append(
                    await clock.key(
                        "escape", lambda: not pane.query_text and len(plist.rows) == SIZES[0]
                    )
                )
                await pilot.pause(0.05)
    return out


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        book = build(Path(tmp) / "book")
        print(f"book: a brief of {sum(SIZES):,} passages {SIZES} ({time.perf_counter() - t:.1f} s)")
        if what in ("all", "keys"):
            for name, times in asyncio.run(measure_keys(Path(tmp) / "book")).items():
                print(f"  {name:<30} {stats(times)}")
        if what in ("all", "start"):
            demo = Book(Path(tmp) / "demo")
            add_demo(demo)
            result = measure_start(book.path, demo.path, runs, Path(tmp))
            for name, times in result.items():
                print(f"  start, {name:<23} {stats(times)}")
            med = {k: statistics.median(v) for k, v in result.items()}
            print(
                f"  demo ÷ bare {med['demo brief (13)'] / med['bare Textual app']:.2f}x, "
                f"big ÷ demo {med['big brief'] / med['demo brief (13)']:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
