"""How long `*` and `J` take to show on a big brief, in the real app (headless).

    python tests/bench/bench_edits.py            # 2,000 and 25,000 passages

Builds a book whose brief holds N passages (200 articles, filed round-robin into the four
sections of the russia-turkey template), opens the TUI with Pilot at 120×40, tabs into the
passages and times, from the key press until the list shows the change: `*` (key point on
the highlighted passage) and `J` (move it down). Prints the median and the worst of 15.
Keys are run as their bindings' actions (Pilot's press adds ~80 ms of its own pauses);
`j` (a cursor move, no disk) is the baseline.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from briefing.briefs import create_brief
from briefing.model import Article, Filing, Passage
from briefing.store import Book
from briefing.tui.app import BriefingApp

TEXT = (
    "Turkish Foreign Minister Hakan Fidan will hold talks in Moscow on the grain corridor, "
    "the Black Sea, trade and energy; passage {n} of a long brief."
)


def build(path: Path, n: int) -> Book:
    book = Book(path)
    brief = create_brief(book, "russia-turkey", "Big brief", "big")
    per = max(1, n // 200)
    items = []
    passages = []
    for a in range(200):
        aid = f"{a:02x}{a:08x}"[:10]
        ps = [Passage(f"{aid}.{i + 1}", aid, i, TEXT.format(n=a * per + i)) for i in range(per)]
        art = Article(aid, f"Article {a}", source="TASS", passage_count=per, imported_at="x")
        items.append((art, ps))
        passages += ps
    book.add_articles(items)
    sections = [s.id for s in brief.sections]
    filings = [Filing(p.id, sections[k % 4], k // 4) for k, p in enumerate(passages)]
    book.update_filings(
        brief.id,
        lambda _cur: filings,
        new_passages=passages,
        new_articles=[a for a, _ in items],
    )
    return book


async def wait_for(pilot, condition, limit: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError
        await asyncio.sleep(0.001)


async def press(app, screen, key: str) -> None:  # type: ignore[no-untyped-def]
    """The key's binding run as the app runs it, without Pilot's own pauses (~80 ms)."""
    binding = next(b for b in screen.BINDINGS if b.key == key)
    await screen.run_action(binding.action)


async def measure(n: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        book = build(Path(tmp) / "book", n)
        app = BriefingApp(book, "big")
        out: dict[str, list[float]] = {
            "j (baseline)": [],
            "* (written, shown)": [],
            "J (shown)": [],
            "J (written)": [],
        }
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen_stack[-1]
            await wait_for(pilot, lambda: screen.session.view is not None)
            await pilot.pause(0.2)
            await pilot.press("tab")
            await pilot.pause(0.2)
            plist = screen.passages  # type: ignore[attr-defined]
            for _ in range(15):
                index = plist.cursor
                t0 = time.perf_counter()
                plist.action_cursor_down()
                await wait_for(pilot, lambda i=index: plist.cursor == i + 1)
                out["j (baseline)"].append(time.perf_counter() - t0)
                row = plist.current
                before = row.item.state.key_point
                t0 = time.perf_counter()
                await press(app, screen, "asterisk")
                await wait_for(pilot, lambda b=before: plist.current.item.state.key_point != b)
                out["* (written, shown)"].append(time.perf_counter() - t0)
                await app.workers.wait_for_complete()
                key = plist.current.key
                index = plist.cursor
                t0 = time.perf_counter()
                await press(app, screen, "J")
                await wait_for(pilot, lambda k=key, i=index: plist.rows[i + 1].key == k)
                out["J (shown)"].append(time.perf_counter() - t0)
                await app.workers.wait_for_complete()
                out["J (written)"].append(time.perf_counter() - t0)
        return out


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [2000, 25000]
    for n in sizes:
        result = asyncio.run(measure(n))
        for key, times in result.items():
            ms = sorted(t * 1000 for t in times)
            print(
                f"{n:>6} passages  {key:<18}: median {statistics.median(ms):6.1f} ms, "
                f"worst {ms[-1]:6.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
