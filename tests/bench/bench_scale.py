"""briefing at desk scale: one command that measures the product and prints a table of ratios.

    .venv/bin/python tests/bench/bench_scale.py                    # every row (~4 min on 2 cores)
    .venv/bin/python tests/bench/bench_scale.py --only search,list # some rows
    .venv/bin/python tests/bench/bench_scale.py --quick            # smoke run: 1/10 the sizes
    .venv/bin/python tests/bench/bench_scale.py --items 5000       # other sizes

It needs this repository's venv, the real-data folder `shared` beside the checkout (or the
one `$BRIEFING_SHARED` names: its `corpus/web-articles.jsonl` and `tools/keybytes.py`), tmux,
and for the import comparison newsboat (without it those rows say "newsboat not found").
`/usr/bin/time` gives peak memory; without it the script polls /proc/PID/status (VmHWM).
Everything is built in a temporary folder (`--keep` keeps it); nothing is written elsewhere,
and the config, themes and keymap of the user running it are not read (XDG_* point there).
It is not run by CI or pytest. The machine's other load makes every number noisy: times are
medians (or p95) of interleaved runs, and the table says which machine it ran on.

N is `--items` (10,000; `--quick` 1,000). The rows, in order:

feed     An RSS 2.0 feed of N items and one of 3N/4, written item by item from the 873
         real web articles of `web-articles.jsonl`, repeated: item K has its own
         `<link>`/`<guid>` (`URL#copy-K`) and `(copy K)` in its title, and its text as
         escaped HTML `<p>` paragraphs in `<description>` (10,000 items come to ~64 MB).
import   `briefing import --no-index FEED` (storing and filing) into a fresh book vs
         `newsboat -x reload` of the same feed (a `file://` URL; the items newsboat stored
         are counted in its cache): wall time (target <= 0.5x newsboat's) and peak RSS
         (target <= 300 MB); then `briefing reindex`, the search index on its own (target
         <= 1.5x newsboat's). A refused feed is reported as the row's result.
search   `briefing search Akkuyu` on the 3N/4-article book (plus the demo article, so both
         books have one hit) / on a book of the demo article alone: median of 5 runs of
         the command, interleaved (target <= 1.3x); also `Black Sea` and `"Black Sea"`.
list     `briefing list --json` of that whole library to /dev/null: time (<= 3 s) and
         peak RSS (<= 300 MB).
startup  First screen in tmux at 100x30 (the demo brief on screen with its passage count)
         / a bare Textual app (Header, Static, Footer): median of 7 interleaved runs
         (target <= 1.15x).
tui      A brief of 2.5N passages (25,000: 200 articles in the four sections of the
         russia-turkey template): first screen in tmux / the 13-passage demo brief's
         (target <= 1.3x); then in the real app, headless with Pilot at 100x30, p95 of
         `*`, `J`, each keystroke typed into `/` search (the filter runs over the open
         section: a quarter of the brief) and `escape` clearing it (each <= 100 ms).
         A key is timed from the moment it is sent, as the terminal would send it, to
         the first frame drawn with its result (`j` is shown as the baseline).
bytes    Bytes the TUI writes to the terminal per key at 100x30 (`tools/keybytes.py`,
         tmux pipe-pane): passages `j`/`k` and sections `j`/`k` on the demo brief, over
         a bare DataTable app's `down`/`up` (target <= 4x).
section  Moving the sections pane's highlight onto a section of N passages until its
         list is drawn, headless at 100x30 (target <= 150 ms; the worst of the runs).
note     `briefing note` on an N-article book / a 1-article book, and `briefing export`
         of the demo brief in each of them (targets <= 1.1x); median of interleaved runs.

The last thing printed is the table in Markdown, ready to paste into the README.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import itertools
import json
import math
import multiprocessing
import os
import platform
import re
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

SHARED = Path(os.environ.get("BRIEFING_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus" / "web-articles.jsonl"
KEYBYTES = SHARED / "tools" / "keybytes.py"
PY = sys.executable

PARTS = ["import", "search", "list", "startup", "tui", "bytes", "section", "note"]

RSS_LIMIT_MB = 300.0

BARE_TABLE = """
from textual.app import App
from textual.widgets import DataTable

TEXT = "Turkish Foreign Minister Hakan Fidan will hold talks in Moscow on the grain corridor"


class Bare(App):
    def compose(self):
        yield DataTable(cursor_type="row")

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Passage", "Source", "Date")
        for n in range(200):
            table.add_row(f"{n}: {TEXT}", "Reuters", "2025-05-25")
        table.focus()


Bare().run()
"""


# -- the table ------------------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    value: str
    target: str
    verdict: str


def ratio_verdict(ratio: float, limit: float) -> str:
    return f"{ratio:.2f}x · {'pass' if ratio <= limit else 'FAIL'}"


def limit_verdict(value: float, limit: float) -> str:
    return f"{value / limit:.2f} of target · {'pass' if value <= limit else 'FAIL'}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def markdown(rows: list[Row]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| measure | value | target | ratio / pass-fail |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {cell(r.measure)} | {cell(r.value)} | {cell(r.target)} | {cell(r.verdict)} |"
        for r in rows
    ]
    return "\n".join(lines)


# -- running and measuring commands ----------------------------------------------------------------


@dataclass
class Measured:
    wall: float
    rss_mb: float | None
    rc: int
    out: str
    err: str


def _gnu_time() -> str | None:
    path = shutil.which("time") or "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    probe = subprocess.run(
        [path, "-f", "%M", "-o", os.devnull, "true"], capture_output=True, check=False
    )
    return path if probe.returncode == 0 else None


GNU_TIME = _gnu_time()


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def measure(
    cmd: list[str], env: dict[str, str], timeout: float, *, keep_stdout: bool = True
) -> Measured:
    """Run `cmd` once: wall time, peak RSS (GNU time's %M, else polled VmHWM), exit status,
    the end of its stdout (or nothing: stdout goes to /dev/null) and of its stderr."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        out_path, err_path, time_path = (Path(tmp) / n for n in ("out", "err", "time"))
        full = [GNU_TIME, "-f", "%e %M", "-o", str(time_path), *cmd] if GNU_TIME else cmd
        with (
            out_path.open("wb") if keep_stdout else open(os.devnull, "wb") as out,
            err_path.open("wb") as err,
        ):
            start = time.perf_counter()
            proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, start_new_session=True)
            peak_kb: int | None = None
            try:
                if GNU_TIME:
                    proc.wait(timeout=timeout)
                else:
                    end = start + timeout
                    while proc.poll() is None:
                        hwm = _vm_hwm_kb(proc.pid)
                        if hwm is not None:
                            peak_kb = max(peak_kb or 0, hwm)
                        if time.perf_counter() > end:
                            raise subprocess.TimeoutExpired(cmd, timeout)
                        time.sleep(0.02)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group: time and its child
                proc.wait()
                raise TimeoutError(f"{Path(cmd[0]).name} took over {timeout:.0f} s") from None
            wall = time.perf_counter() - start
        if GNU_TIME and time_path.exists():
            last = time_path.read_text().strip().splitlines()[-1:]  # "Command exited…" first
            fields = last[0].split() if last else []
            if len(fields) == 2 and fields[1].isdigit():
                peak_kb = int(fields[1])
        return Measured(
            wall=wall,
            rss_mb=peak_kb / 1024 if peak_kb is not None else None,
            rc=proc.returncode,
            out=out_path.read_text(errors="replace")[-4000:] if keep_stdout else "",
            err=err_path.read_text(errors="replace")[-4000:],
        )


def briefing(book: Path, *args: str) -> list[str]:
    return [PY, "-m", "briefing", "--book", str(book), *args]


def run_ok(cmd: list[str], env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise RuntimeError(f"{shlex.join(cmd[2:5])}… exit {done.returncode}: {last}")
    return done.stdout


def wall(cmd: list[str], env: dict[str, str], timeout: float = 600) -> float:
    start = time.perf_counter()
    run_ok(cmd, env, timeout)
    return time.perf_counter() - start


def interleaved(cmds: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, float]:
    """Median wall time of each command, run in turns so machine noise hits all alike."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(rounds):
        for key, cmd in cmds.items():
            times[key].append(wall(cmd, env))
    return {k: statistics.median(v) for k, v in times.items()}


def _call_and_send(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        conn.send((True, fn(*args)))
    except BaseException as exc:
        conn.send((False, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def isolated(fn: Callable[..., Any], *args: Any, timeout: float = 1800) -> Any:
    """Call `fn` in a fresh interpreter: builders and headless TUI runs neither grow this
    process (the garbage collector of a big heap would show in later timings) nor see it.
    A child that dies or overruns `timeout` is an error here, never a hang."""
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_call_and_send, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeoutError(f"{fn.__name__} took over {timeout:.0f} s")
        try:
            ok, value = receiver.recv()
        except EOFError:
            child.join(5)
            raise RuntimeError(f"{fn.__name__} died (exit {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        receiver.close()
    if not ok:
        print(value, file=sys.stderr)
        raise RuntimeError(f"in {fn.__name__}: {value.splitlines()[0]}")
    return value


# -- the workspace shared by the rows -------------------------------------------------------------


@dataclass
class Ctx:
    tmp: Path
    items: int
    quick: bool
    env: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    feeds: dict[int, Path] = field(default_factory=dict)
    imported: dict[int, Path] = field(default_factory=dict)
    demo_added: set[Path] = field(default_factory=set)
    demo: Path | None = None

    @property
    def small(self) -> int:
        return self.items * 3 // 4

    def reps(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def add(self, measure: str, value: str, target: str = "", verdict: str = "") -> None:
        row = Row(measure, value, target, verdict)
        self.rows.append(row)
        print(f"  {measure}: {value}" + (f"  [{target}: {verdict}]" if target else ""), flush=True)

    def attempt(self, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)`, or None after a row with its error: one failed step
        does not take the rest of its part with it."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            self.error(label, exc)
            return None

    def error(self, label: str, exc: BaseException) -> None:
        traceback.print_exception(exc, file=sys.stderr)
        text = str(exc).strip() or "(no message)"
        self.add(label, f"error: {type(exc).__name__}: {text[:200]}", "", "error")

    def feed(self, n: int) -> Path:
        if n not in self.feeds:
            path = self.tmp / f"feed-{n}.rss"
            start = time.perf_counter()
            write_feed(path, n)
            took = time.perf_counter() - start
            mb = path.stat().st_size / 1e6
            self.add(
                f"RSS 2.0 feed, {n:,} items",
                f"{mb:.1f} MB ({mb * 1e6 / n:,.0f} B an item), written in {took:.1f} s",
                f"~{6.4 * n / 1000:.0f} MB",
                "info",
            )
            self.feeds[n] = path
        return self.feeds[n]

    def library(self) -> Path:
        """The book of the 3N/4-item feed (imported here, untimed, if the import row did not
        run or failed), with the demo brief added for the search rows."""
        n = self.small
        if n not in self.imported:
            book = self.tmp / f"library-{n}"
            shutil.rmtree(book, ignore_errors=True)
            run_ok(briefing(book, "import", str(self.feed(n))), self.env, timeout=3600)
            self.imported[n] = book
        book = self.imported[n]
        if book not in self.demo_added:
            isolated(add_demo_at, str(book))
            self.demo_added.add(book)
        return book

    def demo_book(self) -> Path:
        if self.demo is None:
            self.demo = self.tmp / "demo-book"
            isolated(add_demo_at, str(self.demo))
        return self.demo


# -- builders (each runs in a child process) ------------------------------------------------------


def add_demo_at(path: str) -> None:
    from briefing.demo import add_demo
    from briefing.store import Book

    add_demo(Book(Path(path)))


def first_listing(path: str, brief: str) -> tuple[str, int]:
    """The first section's title and passage count: what the first screen shows."""
    from briefing.session import Session
    from briefing.store import Book

    session = Session(Book(Path(path)), brief)
    view = session.load()
    assert view is not None, f"no brief {brief}"
    first = view.sections[0]
    return first.section.title, len(first.items)


def build_big_brief(path: str, n: int) -> float:
    from bench_edits import build

    start = time.perf_counter()
    build(Path(path), n)
    return time.perf_counter() - start


def build_note_book(path: str, n: int) -> tuple[str, float]:
    from bench_note import build

    _, pid, took = build(Path(path), n)
    return pid, took


def build_section_book(path: str, n: int) -> tuple[str, int, str, int]:
    """A brief whose first section holds 10 passages and whose second holds `n`."""
    from bench_edits import TEXT

    from briefing.briefs import create_brief
    from briefing.model import Article, Filing, Passage
    from briefing.store import Book

    book = Book(Path(path))
    brief = create_brief(book, "russia-turkey", "A big section", "big")
    first, second = brief.sections[0].id, brief.sections[1].id
    per = max(1, n // 100)
    items: list[tuple[Article, list[Passage]]] = []
    small: list[Passage] = []
    large: list[Passage] = []
    for a in range(101):
        aid = f"{a:02x}{a:08x}"[:10]
        count = 10 if a == 100 else min(per, n - a * per)
        if count <= 0:
            continue
        ps = [Passage(f"{aid}.{i + 1}", aid, i, TEXT.format(n=a * per + i)) for i in range(count)]
        items.append((Article(aid, f"Article {a}", source="TASS", passage_count=count), ps))
        (small if a == 100 else large).extend(ps)
    book.add_articles(items)
    filings = [Filing(p.id, first, k) for k, p in enumerate(small)]
    filings += [Filing(p.id, second, k) for k, p in enumerate(large)]
    book.update_filings(
        brief.id,
        lambda _cur: filings,
        new_passages=small + large,
        new_articles=[a for a, _ in items],
    )
    return first, len(small), second, len(large)


# -- the feed -------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    return _NOT_XML.sub("", text if isinstance(text, str) else "").strip()


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def corpus() -> list[dict[str, Any]]:
    if not CORPUS.exists():
        raise FileNotFoundError(f"{CORPUS} is missing (the real-data folder)")
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def feed_items(n: int) -> Iterator[str]:
    rows = corpus()
    for i in range(n):
        r = rows[i % len(rows)]
        # The item's number, not the round: the corpus holds two pages twice (same URL,
        # title and text), and every item must differ in link and content.
        title = f"{_clean(r.get('title')) or 'Untitled'} (copy {i})"
        url = _clean(r.get("url")) or f"https://example.org/article/{i % len(rows)}"
        link = f"{url}#copy-{i}"
        body = "".join(
            f"<p>{_esc(p)}</p>"
            for p in (_clean(x) for x in str(r.get("text") or "").split("\n"))
            if p
        )
        parts = [
            "<item>",
            f"<title>{_esc(title)}</title>",
            f"<link>{_esc(link)}</link>",
            f'<guid isPermaLink="false">{_esc(link)}</guid>',
        ]
        try:
            day = dt.datetime.strptime(str(r.get("date")), "%Y-%m-%d").replace(tzinfo=dt.UTC)
            parts.append(f"<pubDate>{format_datetime(day)}</pubDate>")
        except ValueError:
            pass
        if author := _clean(r.get("author")):
            parts.append(f"<dc:creator>{_esc(author)}</dc:creator>")
        if site := _clean(r.get("sitename")):
            home = f"https://{_clean(r.get('hostname')) or 'example.org'}/"
            parts.append(f'<source url="{html.escape(home)}">{_esc(site)}</source>')
        parts += [f"<description>{_esc(body)}</description>", "</item>\n"]
        yield "\n".join(parts)


def write_feed(path: Path, n: int) -> None:
    """Written item by item: the script never holds the feed in memory."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            "<title>Desk-scale benchmark feed</title>\n<link>https://example.org/</link>\n"
            f"<description>{n:,} real web articles, repeated</description>\n"
            "<language>en</language>\n"
        )
        for item in feed_items(n):
            out.write(item)
        out.write("</channel>\n</rss>\n")


# -- import vs newsboat ---------------------------------------------------------------------------


def newsboat_reload(ctx: Ctx, feed: Path) -> tuple[Measured, int]:
    exe = shutil.which("newsboat")
    assert exe is not None
    home = ctx.tmp / f"newsboat-{feed.stem}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    (home / "urls").write_text(f"file://{feed}\n")
    (home / "config").write_text("")
    cache = home / "cache.db"
    env = {
        **ctx.env,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "XDG_DATA_HOME": str(home),
    }
    cmd = [exe, "-u", str(home / "urls"), "-c", str(cache), "-C", str(home / "config")]
    m = measure([*cmd, "-x", "reload"], env, timeout=3600)
    count = 0
    if cache.exists():
        with sqlite3.connect(cache) as db:
            count = db.execute("select count(*) from rss_item").fetchone()[0]
    return m, count


def _last_line(text: str, feed: Path) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1].replace(str(feed), feed.name)[:160] if lines else "(no output)"


def part_import(ctx: Ctx) -> None:
    have_newsboat = shutil.which("newsboat") is not None
    run_ok([PY, "-m", "briefing", "--version"], ctx.env)  # .pyc files and page cache
    for n in (ctx.small, ctx.items):
        feed = ctx.feed(n)
        book = ctx.tmp / f"library-{n}"
        shutil.rmtree(book, ignore_errors=True)
        # Storing and filing, then the search index on its own (as the issue counts them).
        ours: Measured | None = ctx.attempt(
            f"briefing import, {n:,} items",
            measure,
            briefing(book, "import", "--no-index", str(feed)),
            ctx.env,
            timeout=3600,
        )
        index: Measured | None = None
        if ours is not None and ours.rc == 0:
            index = ctx.attempt(
                f"search index of {n:,} items",
                measure,
                briefing(book, "reindex"),
                ctx.env,
                timeout=3600,
            )
        theirs: Measured | None = None
        stored = 0
        if have_newsboat:
            got = ctx.attempt(f"newsboat -x reload, {n:,} items", newsboat_reload, ctx, feed)
            shutil.rmtree(ctx.tmp / f"newsboat-{feed.stem}", ignore_errors=True)
            if got is not None:
                theirs, stored = got
                nb_value = (
                    f"{secs(theirs.wall)}, peak {theirs.rss_mb or 0:.0f} MB, "
                    f"{stored:,} items in its cache"
                )
                if theirs.rc != 0 or stored == 0:
                    nb_value += f" (exit {theirs.rc}: {_last_line(theirs.err, feed)})"
                ctx.add(f"newsboat -x reload, {n:,} items", nb_value, "reference", "info")
        else:
            ctx.add(f"newsboat -x reload, {n:,} items", "newsboat not found", "reference", "n/a")
        if ours is None:
            continue
        if ours.rc != 0:
            reason = _last_line(ours.err, feed)
            ctx.add(
                f"briefing import, {n:,} items",
                f"refused/failed after {secs(ours.wall)} (exit {ours.rc}): {reason}",
                "<= 0.5x newsboat",
                "FAIL (not imported)",
            )
        else:
            ctx.imported[n] = book
            summary = _last_line(ours.out, feed)
            if theirs is not None and theirs.rc == 0 and stored:
                verdict = ratio_verdict(ours.wall / theirs.wall, 0.5)
            else:
                verdict = "n/a (no newsboat time)"
            ctx.add(
                f"briefing import, {n:,} items: time",
                f"{secs(ours.wall)} ({summary})",
                "<= 0.5x newsboat",
                verdict,
            )
        if index is not None and index.rc == 0:
            base = theirs.wall if theirs is not None and theirs.rc == 0 and stored else None
            ctx.add(
                f"search index of {n:,} items (`briefing reindex`): time",
                f"{secs(index.wall)}, peak {index.rss_mb or 0:.0f} MB",
                "<= 1.5x newsboat",
                ratio_verdict(index.wall / base, 1.5) if base else "n/a (no newsboat time)",
            )
        if ours.rc == 0 and ours.rss_mb is not None:
            ctx.add(
                f"briefing import, {n:,} items: peak RSS",
                f"{ours.rss_mb:.0f} MB",
                f"<= {RSS_LIMIT_MB:.0f} MB",
                limit_verdict(ours.rss_mb, RSS_LIMIT_MB),
            )


# -- search and list --------------------------------------------------------------------------------


def _hits(book: Path, query: list[str], env: dict[str, str]) -> int:
    return len(json.loads(run_ok(briefing(book, "search", *query, "--json"), env))["passages"])


def part_search(ctx: Ctx) -> None:
    big = ctx.library()
    one = ctx.demo_book()
    n = ctx.small + 1
    queries = {"Akkuyu": ["Akkuyu"], "Black Sea": ["Black", "Sea"], '"Black Sea"': ['"Black Sea"']}
    hits = {q: (_hits(big, a, ctx.env), _hits(one, a, ctx.env)) for q, a in queries.items()}
    cmds: dict[str, list[str]] = {}
    for q, words in queries.items():
        cmds[f"{q} big"] = briefing(big, "search", *words)
        cmds[f"{q} one"] = briefing(one, "search", *words)
    medians = interleaved(cmds, ctx.env, ctx.reps(5, 3))
    for q in queries:
        b, o = medians[f"{q} big"], medians[f"{q} one"]
        hb, ho = hits[q]
        ctx.add(
            f"search {q}: {n:,}-article ÷ 1-article book",
            f"{ms(b)} ÷ {ms(o)} ({hb} ÷ {ho} hits)",
            "<= 1.3x",
            ratio_verdict(b / o, 1.3),
        )


def part_list(ctx: Ctx) -> None:
    book = ctx.library()
    runs = [
        measure(briefing(book, "list", "--json"), ctx.env, timeout=600, keep_stdout=False)
        for _ in range(ctx.reps(3, 2))
    ]
    for r in runs:
        if r.rc != 0:
            raise RuntimeError(f"list --json: exit {r.rc}: {r.err.strip()[-200:]}")
    t = statistics.median(r.wall for r in runs)
    what = f"list --json, whole library ({ctx.small + 1:,} articles)"
    ctx.add(f"{what}: time", secs(t), "<= 3 s", limit_verdict(t, 3.0))
    peaks = [r.rss_mb for r in runs if r.rss_mb is not None]
    if peaks:
        ctx.add(
            f"{what}: peak RSS",
            f"{max(peaks):.0f} MB",
            f"<= {RSS_LIMIT_MB:.0f} MB",
            limit_verdict(max(peaks), RSS_LIMIT_MB),
        )


# -- first screen in tmux -------------------------------------------------------------------------


def part_startup(ctx: Ctx) -> None:
    from bench_startup import BARE, first_screen

    book = ctx.demo_book()
    title, count = isolated(first_listing, str(book), "demo")
    marker = f"{title} · {count}"
    bare = ctx.tmp / "bare.py"
    bare.write_text(BARE)
    cmds = {
        "bare": (shlex.join([PY, str(bare)]), "Overview"),
        "briefing": (shlex.join(briefing(book, "--brief", "demo")), marker),
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd, mark in cmds.values():
        first_screen(cmd, mark, ctx.env)  # warm up
    for _ in range(ctx.reps(7, 3)):
        for key, (cmd, mark) in cmds.items():
            times[key].append(first_screen(cmd, mark, ctx.env))
    b, o = statistics.median(times["bare"]), statistics.median(times["briefing"])
    ctx.add(
        "first screen, demo brief ÷ bare Textual app (tmux 100x30)",
        f"{ms(o)} ÷ {ms(b)}",
        "<= 1.15x",
        ratio_verdict(o / b, 1.15),
    )


# -- the TUI on a big brief, headless -------------------------------------------------------------

KEY_CHARS = {"escape": "\x1b", "tab": "\t", "slash": "/", "asterisk": "*", "space": " "}


def key_name(char: str) -> str:
    return {" ": "space", "/": "slash", "*": "asterisk"}.get(char, char)


class FrameProbe:
    """Times a key from the moment it is sent to the first frame drawn with its result.

    The app's display call is wrapped: when a frame goes out and the key's condition holds,
    that frame shows the result (the handlers that change the state also mark what to
    repaint, and a frame is drawn from the state at the time it is drawn)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.check: Callable[[], bool] | None = None
        self.hit: float | None = None
        self.no_frame = 0
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if self.check is not None and renderable is not None and self._holds(self.check):
                self.hit = time.perf_counter()
                self.check = None

        app._display = display

    @staticmethod
    def _holds(condition: Callable[[], bool]) -> bool:
        try:
            return bool(condition())
        except (IndexError, AttributeError, LookupError):
            return False

    async def key(self, key: str, condition: Callable[[], bool], limit: float = 30.0) -> float:
        from textual import events

        self.hit, self.check = None, condition
        event = events.Key(key, KEY_CHARS.get(key, key if len(key) == 1 else None))
        event.set_sender(self.app)
        start = time.perf_counter()
        self.app._driver.send_message(event)  # as the terminal driver delivers a key
        seen: float | None = None
        while self.hit is None:
            now = time.perf_counter()
            if seen is None and self._holds(condition):
                seen = now
            if seen is not None and now - seen > 1.0:  # the result needed no repaint
                self.check = None
                self.no_frame += 1
                return seen - start
            if now - start > limit:
                self.check = None
                raise TimeoutError(f"key {key!r}: no result within {limit:.0f} s")
            await asyncio.sleep(0.0005)
        return self.hit - start


async def _until(condition: Callable[[], bool], limit: float = 60.0) -> None:
    end = time.perf_counter() + limit
    while not FrameProbe._holds(condition):
        if time.perf_counter() > end:
            raise TimeoutError("the app never got there")
        await asyncio.sleep(0.005)


QUERIES = [
    "fidan",
    "black sea",
    "passage 4242",
    "moscow grain",
    "talks 77",
    "energy",
    "trade 1",
    "corridor 5",
    "long brief",
    "turkish 31",
]


async def _tui_keys(path: str, brief: str, samples: int, queries: int) -> dict[str, Any]:
    from textual.widgets import Input

    from briefing.store import Book
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.passage_list import PassageList

    app = BriefingApp(Book(Path(path)), brief)
    probe = FrameProbe(app)
    out: dict[str, Any] = {"j": [], "*": [], "J": [], "search": [], "escape": []}
    async with app.run_test(size=(100, 30)) as pilot:
        screen: Any = app.screen_stack[-1]
        await _until(lambda: len(screen.passages.rows) > 0)
        await pilot.pause(0.3)
        plist, pane = screen.passages, screen.pane
        out["rows"] = len(pane.all_rows)

        def cursor_at(index: int) -> Callable[[], bool]:
            return lambda: plist.cursor == index

        def key_point_is_not(before: bool) -> Callable[[], bool]:
            return lambda: plist.current.item.state.key_point != before

        def row_at(index: int, key: str) -> Callable[[], bool]:
            return lambda: plist.rows[index].key == key

        def filtered_by(text: str) -> Callable[[], bool]:
            return lambda: pane.query_text == text

        await probe.key("tab", lambda: isinstance(app.focused, PassageList))
        await pilot.pause(0.2)
        for _ in range(samples):
            out["j"].append(await probe.key("j", cursor_at(plist.cursor + 1)))
        for _ in range(samples):
            before = plist.current.item.state.key_point
            out["*"].append(await probe.key("asterisk", key_point_is_not(before)))
            await app.workers.wait_for_complete()
            await pilot.pause()
        for _ in range(samples):
            moved = row_at(plist.cursor + 1, plist.current.key)
            out["J"].append(await probe.key("J", moved))
            await app.workers.wait_for_complete()
            await pilot.pause()
        for query in QUERIES[:queries]:
            await probe.key("slash", lambda: isinstance(app.focused, Input))
            await pilot.pause(0.1)
            for end in range(1, len(query) + 1):
                out["search"].append(
                    await probe.key(key_name(query[end - 1]), filtered_by(query[:end]))
                )
            out["escape"].append(
                await probe.key(
                    "escape",
                    lambda: not pane.query_text and len(plist.rows) == len(pane.all_rows),
                )
            )
            await pilot.pause(0.1)
    out["no_frame"] = probe.no_frame
    return out


def tui_keys(path: str, brief: str, samples: int, queries: int) -> dict[str, Any]:
    return asyncio.run(_tui_keys(path, brief, samples, queries))


def part_tui(ctx: Ctx) -> None:
    n = ctx.items * 5 // 2
    big = ctx.tmp / f"brief-{n}"
    if not big.exists():
        built = isolated(build_big_brief, str(big), n)
        print(f"  (a brief of {n:,} passages built in {built:.1f} s)", flush=True)
    ctx.attempt(f"first screen, {n:,}-passage brief", tui_start, ctx, big, n)
    ctx.attempt(f"keys on the {n:,}-passage brief", tui_key_rows, ctx, big, n)


def tui_start(ctx: Ctx, big: Path, n: int) -> None:
    from bench_startup import first_screen

    demo = ctx.demo_book()
    markers = {
        "demo": "{} · {}".format(*isolated(first_listing, str(demo), "demo")),
        "big": "{} · {}".format(*isolated(first_listing, str(big), "big")),
    }
    cmds = {
        "demo": shlex.join(briefing(demo, "--brief", "demo")),
        "big": shlex.join(briefing(big, "--brief", "big")),
    }
    times: dict[str, list[float]] = {"demo": [], "big": []}
    for key, cmd in cmds.items():
        first_screen(cmd, markers[key], ctx.env)  # warm up
    for _ in range(ctx.reps(7, 3)):
        for key, cmd in cmds.items():
            times[key].append(first_screen(cmd, markers[key], ctx.env))
    b, d = statistics.median(times["big"]), statistics.median(times["demo"])
    ctx.add(
        f"first screen, {n:,}-passage brief ÷ 13-passage demo (tmux 100x30)",
        f"{ms(b)} ÷ {ms(d)}",
        "<= 1.3x",
        ratio_verdict(b / d, 1.3),
    )


def tui_key_rows(ctx: Ctx, big: Path, n: int) -> None:
    samples = ctx.reps(20, 8)
    result = isolated(tui_keys, str(big), "big", samples, ctx.reps(len(QUERIES), 3))
    where = f"{n:,}-passage brief"
    labels = {
        "j": "`j` (cursor move, baseline)",
        "*": "`*` key point, until shown",
        "J": "`J` move down, until shown",
        "search": f"`/` search: a keystroke (filters {result['rows']:,} rows)",
        "escape": "`escape` clearing the search",
    }
    for key, label in labels.items():
        values = result[key]
        ctx.add(
            f"{label}, {where}",
            f"p95 {ms(p95(values))} (median {ms(statistics.median(values))}, n={len(values)})",
            "baseline" if key == "j" else "p95 <= 100 ms",
            "info" if key == "j" else limit_verdict(p95(values), 0.1),
        )
    if result["no_frame"]:
        print(f"  ({result['no_frame']} keys drew no frame: timed to their state change)")


# -- bytes per key ----------------------------------------------------------------------------------


def keybytes(ctx: Ctx, marker: str, keys: str, cmd: list[str], pre: str = "") -> float:
    if not KEYBYTES.exists():
        raise FileNotFoundError(f"{KEYBYTES} is missing (the real-data folder)")
    args = [PY, str(KEYBYTES), "--marker", marker, "--keys", keys, "--repeat", "10"]
    args += ["--size", "100x30"] + (["--pre", pre] if pre else [])
    out = run_ok([*args, "--", *cmd], ctx.env, timeout=180)
    found = re.search(r"(\d+) bytes per key", out)
    if not found:
        raise RuntimeError(f"keybytes said: {out.strip()[:200]}")
    return float(found.group(1))


def part_bytes(ctx: Ctx) -> None:
    book = ctx.demo_book()
    marker = "{} · {}".format(*isolated(first_listing, str(book), "demo"))
    table = ctx.tmp / "bare_table.py"
    table.write_text(BARE_TABLE)
    label = "bytes per key, bare DataTable down/up (100x30)"
    bare = ctx.attempt(label, keybytes, ctx, "Passage", "Down,Up", [PY, str(table)])
    if bare is not None:
        ctx.add(label, f"{bare:,.0f} B", "reference", "info")
    cmd = briefing(book, "--brief", "demo")
    for what, pre in (("passages j/k", "Tab"), ("sections j/k", "")):
        label = f"bytes per key, {what}, demo brief (100x30)"
        ours = ctx.attempt(label, keybytes, ctx, marker, "j,k", cmd, pre)
        if ours is None:
            continue
        ctx.add(
            label,
            f"{ours:,.0f} B" + (f" (bare DataTable {bare:,.0f} B)" if bare else ""),
            "<= 4x bare DataTable",
            ratio_verdict(ours / bare, 4.0) if bare else "n/a (no reference)",
        )


# -- opening a big section --------------------------------------------------------------------------


async def _section_open(path: str, first: int, second: int, rounds: int) -> dict[str, Any]:
    from briefing.store import Book
    from briefing.tui.app import BriefingApp

    app = BriefingApp(Book(Path(path)), "big")
    probe = FrameProbe(app)
    out: dict[str, Any] = {"open": [], "back": []}
    async with app.run_test(size=(100, 30)) as pilot:
        screen: Any = app.screen_stack[-1]
        plist = screen.passages
        await _until(lambda: len(plist.rows) == first)
        await pilot.pause(0.3)
        for _ in range(rounds):
            out["open"].append(await probe.key("j", lambda: len(plist.rows) == second))
            await pilot.pause(0.2)
            out["back"].append(await probe.key("k", lambda: len(plist.rows) == first))
            await pilot.pause(0.2)
    return out


def section_open(path: str, first: int, second: int, rounds: int) -> dict[str, Any]:
    return asyncio.run(_section_open(path, first, second, rounds))


def part_section(ctx: Ctx) -> None:
    n = ctx.items
    path = ctx.tmp / f"section-{n}"
    _, small, _, large = isolated(build_section_book, str(path), n)
    result = isolated(section_open, str(path), small, large, ctx.reps(7, 3))
    opens = result["open"]
    ctx.add(
        f"open a {large:,}-passage section (highlight onto it, 100x30)",
        f"worst {ms(max(opens))} (first {ms(opens[0])}, median {ms(statistics.median(opens))}, "
        f"n={len(opens)}; back to a 10-passage one {ms(statistics.median(result['back']))})",
        "<= 150 ms",
        limit_verdict(max(opens), 0.15),
    )


# -- note and export ------------------------------------------------------------------------------


def part_note(ctx: Ctx) -> None:
    n = ctx.items
    books: dict[int, tuple[Path, str]] = {}
    for size in (1, n):
        path = ctx.tmp / f"note-{size}"
        shutil.rmtree(path, ignore_errors=True)
        pid, took = isolated(build_note_book, str(path), size)
        print(f"  (a {size:,}-article book built in {took:.1f} s)", flush=True)
        books[size] = (path, pid)
    ctx.attempt(f"briefing note: {n:,}-article ÷ 1-article book", note_rows, ctx, books)
    ctx.attempt(f"briefing export: {n + 1:,}-article ÷ 2-article book", export_rows, ctx, books)


def note_rows(ctx: Ctx, books: dict[int, tuple[Path, str]]) -> None:
    n = max(books)
    serial = itertools.count()

    def note_cmd(size: int) -> list[str]:
        path, pid = books[size]
        return briefing(path, "note", pid, f"bench note {next(serial)}")

    run_ok(note_cmd(1), ctx.env)  # warm up
    times: dict[int, list[float]] = {1: [], n: []}
    for _ in range(ctx.reps(5, 3)):
        for size in (1, n):
            times[size].append(wall(note_cmd(size), ctx.env))
    a, b = statistics.median(times[n]), statistics.median(times[1])
    ctx.add(
        f"briefing note: {n:,}-article ÷ 1-article book",
        f"{ms(a)} ÷ {ms(b)}",
        "<= 1.1x",
        ratio_verdict(a / b, 1.1),
    )


def export_rows(ctx: Ctx, books: dict[int, tuple[Path, str]]) -> None:
    """The demo brief, exported from a book of it alone and from one with N more articles."""
    n = max(books)
    cmds: dict[str, list[str]] = {}
    for size, (path, _) in books.items():
        isolated(add_demo_at, str(path))
        out = ctx.tmp / f"export-{size}.md"
        cmds[str(size)] = briefing(path, "export", "--brief", "demo", "-o", str(out))
    run_ok(cmds["1"], ctx.env)  # warm up
    medians = interleaved(cmds, ctx.env, ctx.reps(5, 3))
    a, b = medians[str(n)], medians["1"]
    ctx.add(
        f"briefing export (demo brief): {n + 1:,}-article ÷ 2-article book",
        f"{ms(a)} ÷ {ms(b)}",
        "<= 1.1x",
        ratio_verdict(a / b, 1.1),
    )


# -- main -----------------------------------------------------------------------------------------


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages * size / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        memory = ""
    load = ", load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    versions = [f"Python {platform.python_version()}"]
    try:
        from importlib.metadata import version

        versions.append(f"Textual {version('textual')}")
    except Exception:
        pass
    for tool, flag in (("tmux", "-V"), ("newsboat", "--version")):
        exe = shutil.which(tool)
        if exe:
            line = subprocess.run([exe, flag], capture_output=True, text=True).stdout
            versions.append(" ".join(line.split()[:2]))
        else:
            versions.append(f"no {tool}")
    return (
        f"machine: {cpus} CPUs ({model}){memory}{load}\n"
        f"{platform.system()} {platform.release()}; {'; '.join(versions)}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ",".join(PARTS))
    ap.add_argument("--items", type=int, default=None, help="N (default 10,000; --quick 1,000)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 1/10 sizes, fewer runs")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(PARTS)}")
    items = args.items or (1000 if args.quick else 10_000)

    print("# briefing at desk scale")
    print(machine())
    print(f"N = {items:,} items; parts: {', '.join(parts)}" + (" (quick)" if args.quick else ""))
    print(f"peak RSS from {GNU_TIME or '/proc/PID/status VmHWM polling'}\n", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    # As installed: byte-code files written once and read after (a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every start compile the whole package again).
    env = {
        k: v for k, v in os.environ.items() if k not in ("BRIEFING_BOOK", "PYTHONDONTWRITEBYTECODE")
    }
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-c", "import briefing.cli, briefing.tui.app"], env=env, check=True)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp / "xdg" / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
    os.environ.pop("BRIEFING_BOOK", None)
    ctx = Ctx(tmp=tmp, items=items, quick=args.quick, env=env)
    functions: dict[str, Callable[[Ctx], None]] = {
        "import": part_import,
        "search": part_search,
        "list": part_list,
        "startup": part_startup,
        "tui": part_tui,
        "bytes": part_bytes,
        "section": part_section,
        "note": part_note,
    }
    started = time.perf_counter()
    try:
        for part in parts:
            print(f"## {part}", flush=True)
            t = time.perf_counter()
            try:
                functions[part](ctx)
            except KeyboardInterrupt:
                ctx.add(part, "interrupted", "", "error")
                break
            except Exception as exc:
                ctx.error(part, exc)
            print(f"  ({part}: {time.perf_counter() - t:.0f} s)\n", flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = sum("FAIL" in r.verdict for r in ctx.rows)
    errors = sum(r.verdict == "error" for r in ctx.rows)
    print(f"## Results ({time.perf_counter() - started:.0f} s)\n")
    print(machine().replace("\n", "  \n") + "\n")
    print(markdown(ctx.rows))
    print(f"\n{failed} of the rows with a target fail; {errors} errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
