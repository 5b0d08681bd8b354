"""Writers that really overlap: processes released together by a barrier, each adding its
own tags to the same passage. With the book's lock every tag survives; the same run with
the lock taken out loses some — so this test can fail."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from pathlib import Path

import pytest

from briefing.demo import add_demo
from briefing.store import Book

WRITERS = 4
ROUNDS = 12


def _writer(path: str, pid: str, who: int, barrier: mp.synchronize.Barrier, unlocked: bool) -> None:
    from briefing.editing import add_tags

    book = Book(Path(path))
    if unlocked:
        # What the book would do without its lock: the same read-modify-write, unguarded.
        book.locked = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    for n in range(ROUNDS):
        barrier.wait(timeout=30)
        add_tags(book, pid, [f"w{who}-{n}"])


def _run(tmp_path: Path, unlocked: bool) -> tuple[set[str], set[str]]:
    book = Book(tmp_path / "book")
    add_demo(book)
    pid = book.filings("demo")[0].passage_id
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WRITERS)
    procs = [
        ctx.Process(target=_writer, args=(str(book.path), pid, w, barrier, unlocked))
        for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    wanted = {f"w{w}-{n}" for w in range(WRITERS) for n in range(ROUNDS)}
    return wanted, set(Book(book.path).state(pid).tags)


def test_overlapping_writers_keep_every_change(tmp_path: Path) -> None:
    wanted, got = _run(tmp_path, unlocked=False)
    assert got == wanted  # 4 writers × 12 rounds, released together each round


def test_without_the_lock_changes_are_lost(tmp_path: Path) -> None:
    """The check above is not luck: the same overlap without the lock loses tags."""
    wanted, got = _run(tmp_path, unlocked=True)
    if got == wanted:
        pytest.fail("no change was lost without the lock: the overlap test proves nothing")


def test_two_imports_of_one_folder_import_each_article_once(tmp_path: Path) -> None:
    """Started together; between them every article is imported exactly once, and what one
    found already added by the other is reported as already in the book."""
    import json
    import os
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(150):
        (folder / f"a{i:03}.md").write_text(f"# Article {i}\n\nText of article {i}.\n\nMore {i}.\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [
        sys.executable,
        "-m",
        "briefing",
        "--book",
        str(tmp_path / "book"),
        "import",
        str(folder),
        "--json",
    ]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    reports = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    added = [len(r["added"]) for r in reports]
    assert sum(added) == 150, added
    assert all(len(r["added"]) + len(r["skipped"]) == 150 for r in reports)
    book = Book(tmp_path / "book")
    assert len(book.articles()) == 150 and len(book.passages()) == 300
