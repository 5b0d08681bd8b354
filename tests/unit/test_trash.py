"""`rm` moves articles and briefs to the trash; `restore` (or undo) brings them back whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.demo import add_demo
from briefing.editing import add_note, add_tags
from briefing.errors import NotFound
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.session import Session
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def two_articles(tmp_path: Path) -> Book:
    book = Book(tmp_path / "book")
    import_sources(book, [Source("w", path=DATA / "wire.txt")], brief_id="russia-turkey")
    import_sources(book, [Source("a", path=DATA / "article.md")], brief_id="russia-turkey")
    return book


def test_rm_then_restore_brings_back_text_notes_tags_and_places(two_articles: Book) -> None:
    book = two_articles
    before = [(f.passage_id, f.section_id, f.position) for f in book.filings("russia-turkey")]
    aid = book.articles()[0].id
    pid = next(f.passage_id for f in book.filings("russia-turkey") if f.passage_id.startswith(aid))
    add_note(book, pid, "keep this")
    add_tags(book, pid, ["t"])
    [tid] = book.trash_articles([aid])
    assert not book.has_article(aid) and not book.passages([aid])
    assert all(not f.passage_id.startswith(aid) for f in book.filings("russia-turkey"))
    assert book.state(pid).notes == []
    assert [t["id"] for t in book.trash()] == [tid]
    book.restore(tid)
    fresh = Book(book.path)
    after = [(f.passage_id, f.section_id, f.position) for f in fresh.filings("russia-turkey")]
    assert after == before
    assert [n.text for n in fresh.state(pid).notes] == ["keep this"]
    assert fresh.state(pid).tags == ["t"]
    assert fresh.trash() == []


def test_undo_of_a_removal_and_of_its_restore(two_articles: Book) -> None:
    s = Session(two_articles)
    s.load()
    n = len(s.view.items())  # type: ignore[union-attr]
    aid = two_articles.articles()[0].id
    s.remove_articles([aid])
    assert len(s.view.items()) < n  # type: ignore[union-attr]
    s.undo()
    assert len(s.view.items()) == n  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        two_articles.restore("a-" + aid + "-000000")


def test_rm_brief_and_restore_from_the_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    book = Book(tmp_path / "book")
    add_demo(book)
    b = ["--book", str(book.path)]
    assert main([*b, "write", "--brief", "demo", "--section", "overview", "x"]) == 0
    assert main([*b, "rm", "--brief", "demo"]) == 0
    assert Book(book.path).brief_ids() == []
    capsys.readouterr()
    assert main([*b, "trash"]) == 0
    tid = capsys.readouterr().out.split()[0]
    assert tid.startswith("b-demo-")
    assert main([*b, "restore", tid]) == 0
    fresh = Book(book.path)
    assert fresh.brief_ids() == ["demo"] and len(fresh.filings("demo")) == 14
    assert len(fresh.written("demo")) == 1
    assert main([*b, "rm"]) == 2
    assert main([*b, "rm", "0000000000"]) == 1
    assert main([*b, "restore", "../../etc/passwd"]) == 1
