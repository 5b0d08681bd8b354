"""Annotating sections from the keyboard: S summary, a notes, c status, + ctrl+r J/K D."""

from __future__ import annotations

from briefing.briefs import view
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import ConfirmDialog, InputDialog, NoteDialog, TextDialog
from briefing.tui.widgets.sections import SectionList
from tests.ui.conftest import settle


def brief(book: Book):  # type: ignore[no-untyped-def]
    b = Book(book.path).brief("demo")
    assert b is not None
    return b


async def test_summary_notes_and_status_reach_the_two_copies(
    app: BriefingApp, demo_book: Book
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.focused, SectionList)
        await pilot.press("j", "S")  # Focus on Ukraine
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"Turkey wants Istanbul.", "enter", *"Check with the embassy.", "ctrl+s")
        await settle(pilot, app)
        await pilot.press("j", "a")  # Regional Issues
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Syria line agreed.", "ctrl+t", "ctrl+s")
        await settle(pilot, app)
        await pilot.press("a", *"Ask Ankara about Libya.", "ctrl+s")
        await settle(pilot, app)
        await pilot.press("j", "c")  # Bilateral Agenda: drafting -> ready
        await settle(pilot, app)
    b = brief(demo_book)
    assert b.section("ukraine").summary == "Turkey wants Istanbul.\nCheck with the embassy."  # type: ignore[union-attr]
    notes = b.section("regional").notes  # type: ignore[union-attr]
    assert [(n.kind, n.text) for n in notes] == [
        ("comment", "Syria line agreed."),
        ("working", "Ask Ankara about Libya."),
    ]
    assert b.section("bilateral").status == "ready"  # type: ignore[union-attr]
    from briefing.exporting.markdown import to_markdown

    v = view(Book(demo_book.path), "demo")
    import datetime as dt

    principal = to_markdown(v, dt.date(2026, 1, 1))
    desk = to_markdown(v, dt.date(2026, 1, 1), copy="desk")
    for text in ("Turkey wants Istanbul.", "Check with the embassy.", "Syria line agreed."):
        assert text in principal and text in desk
    assert "Ask Ankara about Libya." not in principal and "Ask Ankara about Libya." in desk
    assert "ready" not in principal.lower().split("## contents")[0]
    assert "ready" in desk


async def test_add_rename_move_remove_sections_and_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("plus")
        assert isinstance(app.screen, InputDialog)
        await pilot.press(*"Outlook", "enter")
        await settle(pilot, app)
        ids = [s.id for s in brief(demo_book).sections]
        assert ids == ["overview", "outlook", "ukraine", "regional", "bilateral"]
        await pilot.press("j", "ctrl+r")  # on Outlook
        app.screen.query_one("Input").value = "What to watch"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        assert brief(demo_book).section("outlook").title == "What to watch"  # type: ignore[union-attr]
        await pilot.press("J")  # Outlook down one
        await settle(pilot, app)
        assert [s.id for s in brief(demo_book).sections][2] == "outlook"
        await pilot.press("k", "D")  # on Focus on Ukraine now
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert "ukraine" not in [s.id for s in brief(demo_book).sections]
        v = view(Book(demo_book.path), "demo")
        assert sum(len(s.items) for s in v.sections) == 10  # its 3 passages: Unsorted
        await pilot.press("u")
        await settle(pilot, app)
        v = view(Book(demo_book.path), "demo")
        assert [s.section.id for s in v.sections][1] == "ukraine"
        assert len(v.sections[1].items) == 3
