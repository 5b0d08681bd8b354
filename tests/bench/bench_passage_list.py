"""How long PassageList takes to show, move, patch and remove on 10,000 and 25,000 rows.

Runs the widget in a headless Textual app (80x24) and prints, per size, the milliseconds of
the call alone and of the call plus the repaint that follows it, and the bytes a one-row
cursor move sends to the terminal. The target: show() of 10,000 rows well under 150 ms (a
DataTable took about 1 s). Run: `.venv/bin/python tests/bench/bench_passage_list.py`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from briefing.briefs import Item
from briefing.model import Article, Passage, PassageState
from briefing.tui.widgets.passage_list import PassageList, Row

ARTICLE = Article("a1", "An article", source="Reuters", published="2024-05-01")
TEXT = (
    "Turkey's foreign minister said on Tuesday that talks in Ankara had made progress on "
    "grain shipments, while warning that the [bold] ceasefire [/] remained fragile. "
) * 3


def make_rows(count: int) -> list[Row]:
    out = []
    for n in range(count):
        pid = f"p{n}"
        state = PassageState(pid, tags=["grain"] if n % 4 == 0 else [], key_point=n % 7 == 0)
        item = Item(Passage(pid, "a1", n, f"{n}: {TEXT}"), ARTICLE, state, "overview", n)
        out.append(Row(pid, item))
    return out


class BenchApp(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {
            "tag-color": "ansi_cyan",
            "note-background": "ansi_default",
            "key-point-color": "ansi_yellow",
        }

    def compose(self) -> ComposeResult:
        yield PassageList()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


async def timed(
    pilot: Pilot[None], call: Callable[[], object], runs: int = 5
) -> tuple[float, float]:
    """Median time of `call` alone, and until the app is idle again (the repaint, plus the
    wait for the next frame that pilot.pause includes)."""
    alone, painted = [], []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        alone.append(time.perf_counter() - start)
        await pilot.pause()
        painted.append(time.perf_counter() - start)
    return statistics.median(alone), statistics.median(painted)


async def bench(count: int) -> None:
    app = BenchApp()
    written: list[int] = []
    original = app._display

    def display(screen: Screen[object], renderable: RenderableType | None) -> None:
        if isinstance(renderable, CompositorUpdate):
            written.append(len(renderable.render_segments(app.console).encode()))
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(PassageList)
        widget.focus()
        await pilot.pause()
        rows = make_rows(count)
        print(f"\n{count:,} rows")
        alone, painted = await timed(pilot, lambda: widget.show(rows, "passages", keep="p0"))
        print(f"  show()              {ms(alone)}   until idle {ms(painted)}")

        alone, painted = await timed(
            pilot, lambda: widget.show(rows, "passages", keep=f"p{count // 2}")
        )
        print(f"  show(keep=middle)   {ms(alone)}   until idle {ms(painted)}")

        widget.cursor = count // 2
        await pilot.pause()
        widget.cursor = count // 2 - 12  # mid-screen: a move repaints, it does not scroll
        await pilot.pause()

        def cold_paint() -> None:
            widget._strips.clear()
            for y in range(widget.size.height):
                widget.render_line(y)

        alone, _ = await timed(pilot, cold_paint)
        print(f"  draw a screen cold  {ms(alone)}   (render_line of every visible line)")
        written.clear()
        alone, painted = await timed(pilot, widget.action_cursor_down, runs=9)
        per_move = statistics.median(written) if written else 0
        print(
            f"  cursor move (j)     {ms(alone)}   until idle {ms(painted)}   {per_move:.0f} bytes"
        )

        written.clear()
        alone, painted = await timed(pilot, widget.action_page_down, runs=5)
        print(
            f"  page down           {ms(alone)}   until idle {ms(painted)}   {statistics.median(written):.0f} bytes"
        )

        current = widget.current
        assert current is not None and current.item is not None
        changed = Row(current.key, current.item)
        written.clear()
        alone, painted = await timed(pilot, lambda: widget.patch([changed]), runs=5)
        print(f"  patch(1 row)        {ms(alone)}   until idle {ms(painted)}")

        keys = iter([r.key for r in widget.rows[count // 3 :]])
        alone, painted = await timed(pilot, lambda: widget.remove([next(keys)]), runs=5)
        print(f"  remove(1 row)       {ms(alone)}   until idle {ms(painted)}")

        key = widget.rows[count // 2].key
        alone, painted = await timed(pilot, lambda: widget.move(key, 1), runs=5)
        print(f"  move(+1)            {ms(alone)}   until idle {ms(painted)}")


async def main() -> None:
    for count in (10_000, 25_000):
        await bench(count)


if __name__ == "__main__":
    asyncio.run(main())
