"""The session layer without any UI: edits as operations, undo as their inverse, and two
writers on one book keeping each other's work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.demo import add_demo
from briefing.errors import UsageError
from briefing.session import (
    ArticleListing,
    LibraryListing,
    SectionListing,
    Session,
    TagsListing,
    UnsortedListing,
    plural,
)
from briefing.store import Book


@pytest.fixture
def two(tmp_path: Path) -> tuple[Session, Session]:
    """Two sessions on one book, as two app instances over two SSH logins would be."""
    book = Book(tmp_path / "book")
    add_demo(book)
    a, b = Session(Book(book.path)), Session(Book(book.path))
    a.load()
    b.load()
    return a, b


def pids(s: Session, section: str) -> list[str]:
    return [i.passage.id for i in s.contents(SectionListing(section)).items]


def test_tag_adds_and_keeps_another_writers_tag(two: tuple[Session, Session]) -> None:
    a, b = two
    pid = pids(a, "overview")[0]
    b.tag([pid], add=["theirs"])
    a.tag([pid], add=["mine"])  # a has not reloaded: it must not write its stale list back
    assert Book(a.book.path).state(pid).tags == ["theirs", "mine"]
    a.undo()
    assert Book(a.book.path).state(pid).tags == ["theirs"]


def test_undo_leaves_a_later_change_by_another_writer(two: tuple[Session, Session]) -> None:
    a, b = two
    pid = pids(a, "overview")[0]
    a.toggle_key_point([a.item(pid)])  # type: ignore[list-item]
    b.load()
    b.toggle_key_point([b.item(pid)])  # b unmarks it again
    applied = a.undo()
    assert applied is not None and applied.conflicts
    assert "another writer" in applied.conflicts[0]
    assert not Book(a.book.path).state(pid).key_point  # b's change stands


def test_undo_of_a_note_never_erases_other_notes(two: tuple[Session, Session]) -> None:
    a, b = two
    pid = pids(a, "overview")[0]
    a.add_note(pid, "mine")
    b.add_note(pid, "theirs")
    a.undo()
    assert [n.text for n in Book(a.book.path).state(pid).notes] == ["theirs"]


def test_note_edit_delete_and_their_undo(two: tuple[Session, Session]) -> None:
    a, _ = two
    pid = pids(a, "overview")[0]
    nid = a.add_note(pid, "first\nsecond line").result
    a.edit_note(nid, "changed")
    assert [n.text for n in a.book.state(pid).notes] == ["changed"]
    a.delete_note(nid)
    assert a.book.state(pid).notes == []
    a.undo()  # the delete
    assert [n.text for n in a.book.state(pid).notes] == ["changed"]
    a.undo()  # the edit
    assert [n.text for n in a.book.state(pid).notes] == ["first\nsecond line"]
    assert a.book.state(pid).notes[0].id == nid


def test_undo_of_an_edited_note_is_refused_when_someone_edited_it_since(
    two: tuple[Session, Session],
) -> None:
    a, b = two
    pid = pids(a, "overview")[0]
    nid = a.add_note(pid, "v1").result
    a.edit_note(nid, "v2")
    b.edit_note(nid, "v3 (theirs)")
    applied = a.undo()
    assert applied is not None and applied.conflicts
    assert [n.text for n in a.book.state(pid).notes] == ["v3 (theirs)"]


def test_quote_must_occur_in_the_passage(two: tuple[Session, Session]) -> None:
    a, _ = two
    item = a.contents(SectionListing("overview")).items[0]
    with pytest.raises(UsageError, match="does not occur"):
        a.add_note(item.passage.id, "x", quote="words that are not there")
    quote = item.passage.text[5:25]
    nid = a.add_note(item.passage.id, "x", quote=quote).result
    assert a.book.state(item.passage.id).notes[0].quote == quote and nid


def test_move_several_then_undo_in_one_step(two: tuple[Session, Session]) -> None:
    a, _ = two
    first = pids(a, "overview")
    a.move(first[:2], "bilateral")
    assert pids(a, "overview") == first[2:]
    assert pids(a, "bilateral")[-2:] == first[:2]
    a.undo()
    assert pids(a, "overview") == first  # back in their places, in order
    fresh = Session(Book(a.book.path))
    fresh.load()
    assert pids(fresh, "overview") == first


def test_undo_of_a_move_leaves_a_passage_someone_moved_since(
    two: tuple[Session, Session],
) -> None:
    a, b = two
    pid = pids(a, "overview")[0]
    a.move([pid], "bilateral")
    b.load()
    b.move([pid], "regional")
    applied = a.undo()
    assert applied is not None and applied.conflicts
    fresh = Session(Book(a.book.path))
    fresh.load()
    assert pid in pids(fresh, "regional")


def test_take_out_lists_under_unsorted_and_undo(two: tuple[Session, Session]) -> None:
    a, _ = two
    pid = pids(a, "ukraine")[1]
    a.move([pid], "")
    assert pid not in pids(a, "ukraine")
    assert pid in [i.passage.id for i in a.contents(UnsortedListing()).items]
    a.undo()
    assert pids(a, "ukraine")[1] == pid


def test_reorder_and_undo(two: tuple[Session, Session]) -> None:
    a, _ = two
    first = pids(a, "overview")
    a.reorder(first[0], 1)
    assert pids(a, "overview")[:2] == [first[1], first[0]]
    a.undo()
    assert pids(a, "overview") == first


def test_summary_undo_and_listings(two: tuple[Session, Session]) -> None:
    a, _ = two
    a.set_summary("Line one\n- a bullet")
    assert a.brief and a.brief.summary == "Line one\n- a bullet"
    a.undo()
    assert a.brief and a.brief.summary == ""
    assert a.contents(LibraryListing()).articles
    aid = a.contents(LibraryListing()).articles[0].id
    assert len(a.contents(ArticleListing(aid)).items) >= 13
    a.tag(pids(a, "overview")[:2], add=["x"])
    assert len(a.contents(TagsListing("x")).items) == 2
    assert a.tags == {"x": 2}


def test_refile_keeps_hand_moves_and_undoes(two: tuple[Session, Session]) -> None:
    a, _ = two
    pid = pids(a, "overview")[0]
    a.move([pid], "bilateral")
    a.refile()
    assert pid in pids(a, "bilateral")


def test_own_writes_are_not_foreign_changes(two: tuple[Session, Session]) -> None:
    a, b = two
    a.changed_elsewhere()
    a.tag([pids(a, "overview")[0]], add=["mine"])
    assert not a.changed_elsewhere()
    b.tag([pids(b, "overview")[0]], add=["theirs"])
    assert a.changed_elsewhere()
    assert not a.changed_elsewhere()  # once


def test_plural() -> None:
    assert plural(1, "passage") == "1 passage" and plural(2, "source") == "2 sources"


def test_cli_note_edit_delete_untag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = Book(tmp_path / "book")
    add_demo(book)
    b = ["--book", str(book.path)]
    doc = json.loads(_out(capsys, *b, "list", "--brief", "demo", "--json"))
    pid = doc["sections"][0]["passages"][0]
    nid = _out(capsys, *b, "note", pid, "Check with the embassy").strip()
    assert nid.startswith("n") and book.state(pid).notes[0].id == nid
    _out(capsys, *b, "note", "--edit", nid, "Checked")
    assert book.state(pid).notes[0].text == "Checked"
    _out(capsys, *b, "note", "--delete", nid)
    assert book.state(pid).notes == []
    assert main([*b, "note", pid, "x", "--quote", "not in the passage at all"]) == 2
    assert "does not occur" in capsys.readouterr().err
    _out(capsys, *b, "tag", pid, "a", "b")
    _out(capsys, *b, "untag", pid, "a")
    assert book.state(pid).tags == ["b"]
    assert main([*b, "untag", pid, "zzz"]) != 0
    assert main([*b, "note", "--delete", "nnope"]) != 0


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out
