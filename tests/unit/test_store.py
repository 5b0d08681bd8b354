"""The book on disk: atomic writes, backups, two writers, corrupt files."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from briefing.editing import add_note, add_tags
from briefing.errors import BookError
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"


def _import_wire(book: Book, brief: str | None = "russia-turkey") -> str:
    report = import_sources(book, [Source("wire", path=DATA / "wire.txt")], brief_id=brief)
    return report.added[0].id


def test_files_are_split_by_change_rate(book: Book) -> None:
    aid = _import_wire(book)
    names = {p.name for p in book.path.iterdir()}
    assert {"book.lock", "briefs", "library"} <= names
    shard = aid[:2]
    passages_before = (book.path / "library" / f"passages-{shard}.json").stat()
    articles_before = (book.path / "library" / f"articles-{shard}.json").stat()
    add_note(book, f"{aid}.1", "a note")
    add_tags(book, f"{aid}.1", ["x"])
    # an edit never rewrites article content
    assert (
        book.path / "library" / f"passages-{shard}.json"
    ).stat().st_mtime_ns == passages_before.st_mtime_ns
    assert (
        book.path / "library" / f"articles-{shard}.json"
    ).stat().st_ino == articles_before.st_ino
    assert (book.path / "state.json.bak").exists()


def test_corrupt_file_is_reported_and_never_overwritten(book: Book) -> None:
    aid = _import_wire(book)
    add_note(book, f"{aid}.1", "first")
    state = book.path / "state.json"
    state.write_bytes(b'{"passages": {"1": {"passage_id": ')
    fresh = Book(book.path)
    with pytest.raises(BookError, match=r"state\.json.*corrupt"):
        add_note(fresh, f"{aid}.1", "second")
    assert state.read_bytes() == b'{"passages": {"1": {"passage_id": '


def test_not_a_folder(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(BookError, match="not a book folder"):
        Book(f)


def test_sweep_removes_temp_files(book: Book) -> None:
    _import_wire(book)
    (book.path / ".state.json.tmp-123-abcd").write_text("partial")
    assert book.sweep() == 1


def test_other_process_changes_are_seen(book: Book) -> None:
    aid = _import_wire(book)
    other = Book(book.path)
    assert other.state(f"{aid}.1").notes == []
    add_note(book, f"{aid}.1", "hello")
    assert [n.text for n in other.state(f"{aid}.1").notes] == ["hello"]


def _writer(path: str, pid: str, who: int, n: int) -> None:
    book = Book(Path(path))
    for i in range(n):
        add_note(book, pid, f"writer {who} note {i}")


def test_two_processes_writing_at_once_keep_every_change(book: Book) -> None:
    aid = _import_wire(book)
    pid = f"{aid}.2"
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(book.path), pid, w, 25)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    notes = Book(book.path).state(pid).notes
    assert len(notes) == 50
    assert {n.text for n in notes} == {f"writer {w} note {i}" for w in range(2) for i in range(25)}


_KILL_WRITER = """
import sys
from pathlib import Path
from briefing.editing import add_note
from briefing.store import Book
book = Book(Path(sys.argv[1]))
i = 0
while True:
    add_note(book, sys.argv[2], f"note {i}")
    print(i, flush=True)
    i += 1
"""


def test_kill_9_mid_write_leaves_a_readable_book(book: Book) -> None:
    """Every acknowledged note survives a SIGKILL at a random moment."""
    import random
    import signal
    import subprocess
    import sys
    import time

    aid = _import_wire(book)
    pid = f"{aid}.1"
    acknowledged = -1
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILL_WRITER, str(book.path), pid],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.3 + random.random() * 0.3)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        lines = out.split()
        if lines:
            acknowledged += len(lines)
        fresh = Book(book.path)
        fresh.sweep()
        assert len(fresh.state(pid).notes) >= acknowledged + 1
    assert not list(book.path.glob(".*.tmp-*"))


def test_the_same_article_twice_in_one_call_is_stored_once(book) -> None:  # type: ignore[no-untyped-def]
    from briefing.model import Article, Passage

    a = Article("ab12345678", "T", passage_count=1, imported_at="x")
    ps = [Passage("ab12345678.1", "ab12345678", 0, "text")]
    assert book.add_articles([(a, ps), (a, ps)]) == {"ab12345678"}
    assert len(book.articles()) == 1 and len(book.passages()) == 1
