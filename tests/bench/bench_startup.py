"""Time to the first screen: briefing on a 10,000-article book vs. a bare Textual app.

Each program runs in a private tmux server at 100x30; the clock stops when its marker is on
screen. The target (issue 3): briefing's first screen within ~1.3x the bare app's.
Run: `.venv/bin/python tests/bench/bench_startup.py [N]` (needs tmux and the real-data folder beside the checkout).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_note import build

from briefing.demo import add_demo

BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Overview")
        yield Footer()
Bare().run()
"""


def first_screen(cmd: str, marker: str, env: dict[str, str]) -> float:
    name = "st" + uuid.uuid4().hex[:8]
    tmux = ["tmux", "-L", name]
    start = time.perf_counter()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd], check=True, env=env
    )
    try:
        while (
            marker
            not in subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
        ):
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{marker!r} never appeared")
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        book, _, built = build(Path(tmp) / "book", n)
        add_demo(book)
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        env = {**os.environ, "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp}
        py = sys.executable
        runs: dict[str, list[float]] = {"bare": [], "briefing": []}
        first_screen(f"{py} {bare}", "Overview", env)  # warm the page cache
        for _ in range(5):
            runs["bare"].append(first_screen(f"{py} {bare}", "Overview", env))
            runs["briefing"].append(
                first_screen(f"{py} -m briefing --book {book.path}", "Overview 4", env)
            )
        bare_t, ours = statistics.median(runs["bare"]), statistics.median(runs["briefing"])
        print(f"book: {n} articles + the demo brief (built in {built:.1f} s)")
        print(f"bare Textual app (Header, Static, Footer): {bare_t * 1000:.0f} ms")
        print(f"briefing, first screen with the brief:     {ours * 1000:.0f} ms")
        print(f"ratio {ours / bare_t:.2f}x (target <= ~1.3x)")


if __name__ == "__main__":
    main()
