"""Written items: text the desk writes in a section (objectives, points to make, a press
line), placed, key-pointed, edited, deleted and undone like passages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.errors import UsageError
from briefing.session import SectionListing, Session
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def visit(tmp_path: Path) -> Session:
    from briefing.briefs import create_brief

    book = Book(tmp_path / "book")
    create_brief(book, "visit", "Ankara visit")
    session = Session(book, "ankara-visit")
    session.load()
    return session


def ids(s: Session, section: str) -> list[str]:
    return [i.passage.id for i in s.contents(SectionListing(section)).items]


def test_write_edit_delete_and_undo(visit: Session) -> None:
    s = visit
    first = s.write_item("objectives", "- one\n- two").result
    second = s.write_item("objectives", "A third, in **bold**.").result
    assert ids(s, "objectives") == [first, second]
    item = s.contents(SectionListing("objectives")).items[0]
    assert item.is_written and item.article is None and item.passage.text == "- one\n- two"
    s.edit_item(first, "- one\n- two\n- three")
    s.reorder(second, -1)
    assert ids(s, "objectives") == [second, first]
    s.toggle_key_point([s.item(second)])  # type: ignore[list-item]
    assert s.book.state(second).key_point
    s.delete_item(first)
    assert ids(s, "objectives") == [second]
    s.undo()  # the delete: back in its place, with its edited text
    assert ids(s, "objectives") == [second, first]
    assert s.item(first).passage.text == "- one\n- two\n- three"  # type: ignore[union-attr]
    fresh = Session(Book(s.book.path), "ankara-visit")
    fresh.load()
    assert ids(fresh, "objectives") == [second, first]


def test_written_items_move_between_sections_but_are_not_taken_out(visit: Session) -> None:
    s = visit
    wid = s.write_item("points", "We welcome the talks.").result
    s.move([wid], "press")
    assert ids(s, "press") == [wid]
    with pytest.raises(UsageError, match="written item"):
        s.move([wid], "")


def test_escape_codes_in_written_text_are_stripped(visit: Session) -> None:
    wid = visit.write_item("press", "Line\x1b]52;c;aGk=\x07 one\n\x1b[2Jtwo").result
    text = visit.item(wid).passage.text  # type: ignore[union-attr]
    assert "\x1b" not in text and text.splitlines() == ["Line one", "two"]


def test_cli_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b = ["--book", str(tmp_path / "book")]
    assert main([*b, "new", "--template", "visit", "--title", "Ankara visit"]) == 0
    capsys.readouterr()
    assert main([*b, "write", "--section", "points", "We welcome the talks."]) == 0
    wid = capsys.readouterr().out.strip()
    assert wid.startswith("w") and len(wid) == 9
    assert main([*b, "write", "--edit", wid, "We welcome *the* talks."]) == 0
    assert main([*b, "list", "--json"]) == 0
    capsys.readouterr()
    assert main([*b, "list", "--brief", "ankara-visit", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(w["id"], w["section"]) for w in doc["written"]] == [(wid, "points")]
    assert main([*b, "write", "--delete", wid]) == 0
    assert main([*b, "write", "--delete", wid]) == 1  # gone: one line, not a traceback
    assert "no written item" in capsys.readouterr().err
    assert main([*b, "write", "--section", "nope", "x"]) != 0
    assert main([*b, "write", "x"]) == 2


def test_json_export_carries_written_items_to_another_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b = ["--book", str(tmp_path / "book")]
    assert main([*b, "new", "--template", "visit", "--title", "Ankara visit"]) == 0
    capsys.readouterr()
    assert main([*b, "write", "--section", "points", "- one\n- two"]) == 0
    wid = capsys.readouterr().out.strip()
    assert main([*b, "keypoint", wid]) == 0
    out = tmp_path / "brief.json"
    assert main([*b, "export", "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert [w["id"] for w in doc["written"]] == [wid] and doc["passages"] == []
    assert [s["written"] for s in doc["sections"]][:2] == [True, True]
    other = ["--book", str(tmp_path / "other")]
    assert main([*other, "import", str(out)]) == 0
    fresh = Book(tmp_path / "other")
    assert {k: w.text for k, w in fresh.written("ankara-visit").items()} == {wid: "- one\n- two"}
    assert fresh.state(wid).key_point
    capsys.readouterr()
    md = [
        main([*x, "export", "--brief", "ankara-visit", "--date", "2026-01-01"])
        or capsys.readouterr().out
        for x in (b, other)
    ]
    assert md[0] == md[1]
