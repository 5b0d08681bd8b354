"""The book's format: versions and migration, the import transaction, damaged, empty and
read-only files, and ids that must never become paths."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from briefing.demo import add_demo
from briefing.editing import add_note, add_tags
from briefing.errors import BookError, BookReadOnly
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.session import SectionListing, Session
from briefing.store import FORMAT_VERSION, Book

DATA = Path(__file__).resolve().parents[1] / "data"


def demo(tmp_path: Path) -> Book:
    book = Book(tmp_path / "book")
    add_demo(book)
    return book


def make_format_1(book: Book) -> list[str]:
    """Turn a demo book into what format 1 made: the demo as `russia-turkey`, its filings
    inside the brief file, no format file."""
    order = book.filings("demo")
    folder = book.path / "briefs"
    data = orjson.loads((folder / "demo.json").read_bytes())
    data["filings"] = {str(i + 1): f.to_dict() for i, f in enumerate(order)}
    data["brief"] = {k: {**d, "id": "russia-turkey"} for k, d in data["brief"].items()}
    (folder / "russia-turkey.json").write_bytes(orjson.dumps(data))
    for name in ("demo.json", "demo.filings.json", "demo.json.bak", "demo.filings.json.bak"):
        (folder / name).unlink(missing_ok=True)
    (book.path / "format.json").unlink()
    return [f.passage_id for f in order]


def test_a_new_book_records_its_format(tmp_path: Path) -> None:
    book = demo(tmp_path)
    assert json.loads((book.path / "format.json").read_text())["version"] == FORMAT_VERSION
    assert (book.path / "briefs" / "demo.filings.json").exists()
    assert "filings" not in orjson.loads((book.path / "briefs" / "demo.json").read_bytes())


def test_format_1_is_read_then_migrated_after_a_backup(tmp_path: Path) -> None:
    pids = make_format_1(demo(tmp_path))
    old = Book(tmp_path / "book")
    assert old.format_version() is None
    assert [f.passage_id for f in old.filings("russia-turkey")] == pids  # readable as it is
    add_tags(old, pids[0], ["x"])  # the first write migrates
    assert old.format_version() == FORMAT_VERSION
    backups = list((old.path / "backups").glob("format-1-*/russia-turkey.json"))
    assert backups and "filings" in orjson.loads(backups[0].read_bytes())
    fresh = Book(old.path)
    # The demo moved apart: `russia-turkey` is free for a real brief from that template.
    assert fresh.brief_ids() == ["demo"]
    assert [f.passage_id for f in fresh.filings("demo")] == pids
    assert "filings" not in orjson.loads((old.path / "briefs" / "demo.json").read_bytes())
    assert fresh.state(pids[0]).tags == ["x"]


def test_a_newer_book_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    book = demo(tmp_path)
    (book.path / "format.json").write_text('{"format": "briefing-book", "version": 99}')
    with pytest.raises(BookError, match="newer briefing"):
        Book(book.path).check()
    assert main(["--book", str(book.path), "list"]) == 1
    assert "newer briefing" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"   \n", b"[1, 2]", b'{"passages": 3}', b"{broken"])
def test_an_empty_or_wrong_file_is_never_written_over(tmp_path: Path, content: bytes) -> None:
    book = demo(tmp_path)
    pid = book.filings("demo")[0].passage_id
    (book.path / "state.json").write_bytes(content)
    with pytest.raises(BookError) as info:
        add_note(Book(book.path), pid, "a note")
    assert "state.json" in str(info.value) and "\n" not in str(info.value)
    assert (book.path / "state.json").read_bytes() == content


def test_doctor_repairs_from_the_newest_good_generation(tmp_path: Path, capsys) -> None:
    book = demo(tmp_path)
    pid = book.filings("demo")[0].passage_id
    add_tags(book, pid, ["one"])
    add_tags(book, pid, ["two"])
    (book.path / "state.json").write_bytes(b"")
    assert main(["--book", str(book.path), "doctor"]) == 1
    assert "empty" in capsys.readouterr().err
    assert main(["--book", str(book.path), "doctor", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "restored from state.json.bak" in out
    assert Book(book.path).state(pid).tags == ["one"]  # the generation before the damage
    assert list(book.path.glob("state.json.damaged-*"))


def test_a_brief_id_never_names_a_path(tmp_path: Path) -> None:
    book = demo(tmp_path)
    from briefing.model import Brief

    for bad in ("../../victim/settings", "/etc/passwd", "a/b", ".hidden", ""):
        with pytest.raises(BookError, match="lower-case"):
            book.save_brief(Brief(id=bad, title="x"))
        with pytest.raises(BookError, match="lower-case"):
            book.update_order(bad, lambda order: None)
    assert not (tmp_path / "victim").exists()
    assert not any(p.name.startswith(("passwd", "settings")) for p in book.path.rglob("*"))


def test_a_failed_import_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    book = Book(tmp_path / "book")
    add_demo(book)
    before = {a.id for a in book.articles()}

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Book, "update_filings", fail)
    with pytest.raises(OSError):
        import_sources(
            book, [Source(str(DATA / "wire.txt"), path=DATA / "wire.txt")], brief_id="russia-turkey"
        )
    monkeypatch.undo()
    fresh = Book(book.path)
    assert {a.id for a in fresh.articles()} == before
    assert {p.article_id for p in fresh.passages()} == before  # no orphan passages
    assert not (book.path / "import.journal").exists()


def test_a_crashed_import_is_rolled_back_by_the_next_writer(tmp_path: Path) -> None:
    from briefing import sectioning
    from briefing.importing import parse_source, to_article

    book = demo(tmp_path)
    before = {a.id for a in book.articles()}
    filed_before = len(book.filings("demo"))
    # What a process killed mid-import leaves: its journal, its articles, their filings.
    parsed = parse_source(Source(str(DATA / "wire.txt"), path=DATA / "wire.txt"))[0]
    article, passages = to_article(parsed, "2026-01-01T00:00:00Z")  # type: ignore[arg-type]
    (book.path / "import.journal").write_bytes(
        orjson.dumps(
            {
                "pid": 2**22 + 12345,
                "host": socket.gethostname(),
                "articles": [article.id],
                "brief": "demo",
            }
        )
    )
    book.add_articles([(article, passages)])
    brief = book.brief("demo")
    assert brief is not None
    placed = sectioning.file_passages(brief, passages)
    book.update_filings(
        "demo", lambda cur: sectioning.add_filings(cur, placed), new_passages=passages
    )
    assert len(book.filings("demo")) > filed_before
    other = Book(book.path)
    add_tags(other, other.filings("demo")[0].passage_id, ["x"])  # any write recovers
    fresh = Book(book.path)
    assert {a.id for a in fresh.articles()} == before
    assert {p.article_id for p in fresh.passages()} == before
    assert len(fresh.filings("demo")) == filed_before
    assert not (book.path / "import.journal").exists()


def test_read_only_book_reads_and_refuses_writes_in_one_line(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    book = demo(tmp_path)
    pid = book.filings("demo")[0].passage_id
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if mode == os.W_OK and str(book.path) in str(p) else real(p, mode),
    )
    ro = Book(book.path)
    assert not ro.writable
    session = Session(ro)
    session.load()
    assert session.contents(SectionListing("overview")).items
    with pytest.raises(BookReadOnly):
        session.tag([pid], add=["x"])
    assert main(["--book", str(book.path), "note", pid, "hello"]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and "Traceback" not in err


def test_kill_9_during_imports_leaves_no_orphans_and_no_duplicates(tmp_path: Path) -> None:
    """Kill real import processes at random points; re-import; count."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:03}.md").write_text(
            f"# Article {i}\n\nFirst paragraph of article {i} about Ankara.\n\n"
            f"Second paragraph of article {i} about Moscow.\n"
        )
    book_path = tmp_path / "book"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [
        sys.executable,
        "-m",
        "briefing",
        "--book",
        str(book_path),
        "import",
        str(folder),
        "--brief",
        "russia-turkey",
    ]
    kills = 0
    for delay in (0.05, 0.15, 0.25, 0.35, 0.45, 0.6, 0.8, 1.0):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        book = Book(book_path)
        if book_path.exists() and (book_path / "format.json").exists():
            with book.locked():
                pass  # the next writer recovers
            articles = {a.id for a in book.articles()}
            assert {p.article_id for p in book.passages()} <= articles, "orphan passages"
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    subprocess.run(cmd, env=env, check=True, capture_output=True)  # again: nothing doubles
    book = Book(book_path)
    assert len(book.articles()) == 60
    assert len(book.passages()) == 120
    pids = [f.passage_id for f in book.filings("russia-turkey")]
    assert len(pids) == len(set(pids)) == 120
    assert kills >= 1


def test_a_crashed_import_is_rolled_back_when_the_next_writer_is_an_import(
    tmp_path: Path,
) -> None:
    """The next import must undo the dead one before it writes its own journal (it once
    took the dead import's journal for its own, and its articles stayed for good)."""
    from briefing.importing import expand, parse_source, to_article
    from briefing.importing.service import import_sources

    book = demo(tmp_path)
    before = {a.id for a in book.articles()}
    parsed = parse_source(Source(str(DATA / "wire.txt"), path=DATA / "wire.txt"))[0]
    article, passages = to_article(parsed, "2026-01-01T00:00:00Z")  # type: ignore[arg-type]
    (book.path / "import.journal").write_bytes(
        orjson.dumps({"pid": 2**22 + 12345, "host": socket.gethostname(), "articles": [article.id]})
    )
    book.add_articles([(article, passages)])
    fresh = Book(book.path)
    report = import_sources(fresh, list(expand([str(DATA / "article.md")])))
    assert len(report.added) == 1
    after = {a.id for a in Book(book.path).articles()}
    assert article.id not in after and after == before | {report.added[0].id}
    assert not (book.path / "import.journal").exists()
