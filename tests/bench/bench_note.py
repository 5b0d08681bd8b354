"""How long `briefing note` takes on a 1-article and a 10,000-article book.

Builds books from the real-data folder's web-articles.jsonl (873 real articles, replicated with
distinct URLs to reach 10,000), then times the real command in a subprocess and the
service call in-process. Run: `.venv/bin/python tests/bench/bench_note.py [N]`.
The target (issue 2): a note on 10,000 articles at most 1.3x the time on 1 article.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from briefing.editing import add_note
from briefing.importing import to_article
from briefing.model import ParsedArticle
from briefing.store import Book

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "web-articles.jsonl"


def articles(n: int) -> list[ParsedArticle]:
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    out = []
    for i in range(n):
        r = rows[i % len(rows)]
        pars = [("", p) for p in (r["text"] or "").split("\n") if p.strip()] or [("", r["title"])]
        out.append(
            ParsedArticle(
                title=r["title"] or "untitled",
                paragraphs=pars,
                source=r.get("sitename") or "",
                url=f"{r['url']}#copy-{i // len(rows)}",
                published=r.get("date"),
                format="text",
            )
        )
    return out


def build(path: Path, n: int) -> tuple[Book, str, float]:
    book = Book(path)
    t = time.perf_counter()
    items = [to_article(a, "2026-11-27T00:00:00Z") for a in articles(n)]
    for i in range(0, len(items), 2000):
        book.add_articles(items[i : i + 2000])
    return book, items[0][1][0].id, time.perf_counter() - t


def time_cli(path: Path, pid: str, runs: int) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefing", "--book", str(path), "note", pid, f"cli {i}"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def time_service(book: Book, pid: str, runs: int) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        add_note(Book(book.path), pid, f"service {i}")
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    big = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        books = {}
        for n in (1, big):
            book, pid, built = build(Path(tmp) / f"book{n}", n)
            size = sum(p.stat().st_size for p in book.path.rglob("*.json")) / 1e6
            books[n] = (book, pid)
            print(f"{n:>6} articles: {size:6.1f} MB on disk, built in {built:5.1f} s")
        time_cli(books[1][0].path, books[1][1], 2)  # warm up the interpreter and .pyc files
        cli: dict[int, list[float]] = {1: [], big: []}
        for _ in range(5):  # interleaved, so machine noise hits both books alike
            for n in (1, big):
                cli[n].append(time_cli(books[n][0].path, books[n][1], 3))
        results = {n: (statistics.median(cli[n]), time_service(*books[n], 15)) for n in cli}
        for n, (c, s) in results.items():
            print(
                f"{n:>6} articles: `briefing note` {c * 1000:6.1f} ms, add_note() {s * 1000:5.1f} ms"
            )
        cli = results[big][0] / results[1][0]
        svc = results[big][1] / results[1][1]
        print(f"ratio {big} / 1: command {cli:.2f}x, service {svc:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
