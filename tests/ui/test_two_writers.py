"""A second writer between every TUI edit and its undo: nothing the other one saved is lost."""

from __future__ import annotations

from briefing.editing import add_note, add_tags, move_passage
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import TagDialog
from briefing.tui.widgets.passage_list import PassageList
from tests.ui.conftest import settle


def current_pid(app: BriefingApp) -> str:
    row = app.screen_stack[1].query_one(PassageList).current
    assert row is not None
    return row.key


def section_of(book: Book, pid: str) -> str | None:
    return next((f.section_id for f in book.filings("demo") if f.passage_id == pid), None)


async def test_tag_dialog_open_while_another_process_tags(
    app: BriefingApp, demo_book: Book
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        pid = current_pid(app)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        add_tags(Book(demo_book.path), pid, ["theirs"])  # saved while our dialog is open
        await pilot.press(*"mine", "enter")
        await settle(pilot, app)
    assert Book(demo_book.path).state(pid).tags == ["theirs", "mine"]


async def test_key_point_then_a_cli_note_then_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        pid = current_pid(app)
        await pilot.press("asterisk")
        await settle(pilot, app)
        add_note(Book(demo_book.path), pid, "written from the CLI meanwhile")
        await pilot.press("u")
        await settle(pilot, app)
    st = Book(demo_book.path).state(pid)
    assert not st.key_point  # our edit undone
    assert [n.text for n in st.notes] == ["written from the CLI meanwhile"]  # theirs kept


async def test_move_then_a_cli_move_then_undo(app: BriefingApp, demo_book: Book) -> None:
    seen: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: seen.append(str(message))  # type: ignore[method-assign]
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        pid = current_pid(app)
        await pilot.press("m", *"Bilateral", "enter")
        await settle(pilot, app)
        assert section_of(Book(demo_book.path), pid) == "bilateral"
        other = Book(demo_book.path)
        brief = other.brief("demo")
        assert brief is not None
        move_passage(other, brief, pid, "regional")
        await pilot.press("u")
        await settle(pilot, app)
    assert section_of(Book(demo_book.path), pid) == "regional"  # their move stands
    assert any("another writer" in m for m in seen)  # and undo said so
