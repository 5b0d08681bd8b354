"""Sections from the command line: summaries, notes, statuses; add, move, remove; undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.demo import add_demo
from briefing.session import Session
from briefing.store import Book


@pytest.fixture
def b(tmp_path: Path) -> list[str]:
    add_demo(Book(tmp_path / "book"))
    return ["--book", str(tmp_path / "book"), "--brief", "demo"]


def out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    text, err = capsys.readouterr()
    assert code == 0, err
    return text.strip()


def test_section_notes_status_and_structure(b: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    nid = out(capsys, *b, "note", "--section", "regional", "Syria line agreed.", "--comment")
    wid = out(capsys, *b, "note", "--section", "regional", "Ask about Libya.")
    out(capsys, *b, "note", "--edit", wid, "Ask about Libya and Syria.")
    out(capsys, *b, "set", "--section", "bilateral", "status", "ready")
    book = Book(Path(b[1]))
    section = book.brief("demo").section("regional")  # type: ignore[union-attr]
    assert [(n.id, n.kind, n.text) for n in section.notes] == [  # type: ignore[union-attr]
        (nid, "comment", "Syria line agreed."),
        (wid, "working", "Ask about Libya and Syria."),
    ]
    out(capsys, *b, "note", "--delete", nid)
    assert len(book.brief("demo").section("regional").notes) == 1  # type: ignore[union-attr]
    assert main([*b, "set", "--section", "bilateral", "status", "done"]) == 2
    out(capsys, *b, "section", "add", "outlook", "Outlook", "--written", "--position", "2")
    out(capsys, *b, "section", "move", "outlook", "5")
    out(capsys, *b, "section", "rm", "ukraine")
    ids = [s.id for s in book.brief("demo").sections]  # type: ignore[union-attr]
    assert ids == ["overview", "regional", "bilateral", "outlook"]
    assert main([*b, "section", "rm", "nope"]) == 1
    assert main([*b, "section", "add", "Bad Id", "x"]) == 2


def test_export_warns_about_sections_not_ready(b: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    for sid in ("overview", "ukraine", "regional"):
        out(capsys, *b, "set", "--section", sid, "status", "ready")
    code = main([*b, "export"])
    text, err = capsys.readouterr()
    assert code == 0 and text.startswith("---")
    assert err.count("\n") == 1 and "Bilateral Agenda" in err and "Overview" not in err


def test_removing_a_section_undoes_with_its_passages_in_place(b: list[str]) -> None:
    s = Session(Book(Path(b[1])), "demo")
    s.load()
    before = [i.passage.id for i in s.view.sections[1].items]  # type: ignore[union-attr]
    s.remove_section("ukraine")
    assert [sv.section.id for sv in s.view.sections] == ["overview", "regional", "bilateral"]  # type: ignore[union-attr]
    s.undo()
    assert [i.passage.id for i in s.view.sections[1].items] == before  # type: ignore[union-attr]
