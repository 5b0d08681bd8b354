"""`w` writes in the current section (or edits a written item), `D` deletes one, `u` undoes."""

from __future__ import annotations

from pathlib import Path

from briefing.briefs import create_brief
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import ConfirmDialog, TextDialog
from briefing.tui.widgets.passage_list import PassageList
from tests.ui.conftest import settle


def written(book: Book) -> dict[str, str]:
    return {k: w.text for k, w in Book(book.path).written("ankara-visit").items()}


async def test_write_edit_delete_undo_from_the_keyboard(tmp_path: Path) -> None:
    book = Book(tmp_path / "book")
    create_brief(book, "visit", "Ankara visit")
    app = BriefingApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("w")  # Objectives is the first section
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"- one", "enter", *"- two", "ctrl+s")
        await settle(pilot, app)
        assert list(written(book).values()) == ["- one\n- two"]
        plist = app.screen_stack[1].query_one(PassageList)
        assert len(plist.rows) == 1 and plist.rows[0].item.is_written  # type: ignore[union-attr]
        await pilot.press("tab", "w")  # on the item: edit it
        assert isinstance(app.screen, TextDialog)
        await pilot.press("end", "enter", *"- three", "ctrl+s")
        await settle(pilot, app)
        assert list(written(book).values()) == ["- one\n- two\n- three"]
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert written(book) == {} and len(plist.rows) == 0
        await pilot.press("u")
        await settle(pilot, app)
        assert list(written(book).values()) == ["- one\n- two\n- three"]
        assert len(plist.rows) == 1


async def test_remove_an_article_from_the_library_and_undo(tmp_path: Path) -> None:
    from briefing.demo import add_demo
    from briefing.importing import Source
    from briefing.importing.service import import_sources

    book = Book(tmp_path / "book")
    add_demo(book)
    data = Path(__file__).resolve().parents[1] / "data" / "wire.txt"
    import_sources(book, [Source("w", path=data)], brief_id="demo")
    app = BriefingApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "j", "j", "j")  # Library
        await settle(pilot, app)
        await pilot.press("tab", "j")  # the wire story (the demo article is first)
        await settle(pilot, app)
        plist = app.screen_stack[1].query_one(PassageList)
        article = plist.current.article  # type: ignore[union-attr]
        assert article is not None and not article.is_demo
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert not Book(book.path).has_article(article.id)
        assert len(Book(book.path).trash()) == 1
        await pilot.press("u")
        await settle(pilot, app)
        assert Book(book.path).has_article(article.id)
        assert Book(book.path).trash() == []


async def test_brief_details_from_the_keyboard(tmp_path: Path) -> None:
    book = Book(tmp_path / "book")
    create_brief(book, "visit", "Ankara visit")
    app = BriefingApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, TextDialog)
        area = app.screen.query_one("TextArea")
        area.text = area.text.replace("meeting: ", "meeting: 3 December, Ankara")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert Book(book.path).brief("ankara-visit").details == {"meeting": "3 December, Ankara"}  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot, app)
        assert Book(book.path).brief("ankara-visit").details == {}  # type: ignore[union-attr]
