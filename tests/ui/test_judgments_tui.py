"""Key judgments from the keyboard: their listing at the top, w, L, J/K, D, u."""

from __future__ import annotations

from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import ConfirmDialog, PickDialog, TextDialog
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.reader import Reader
from tests.ui.conftest import settle


def judgments(book: Book) -> list[tuple[str, str, str, list[str]]]:
    b = Book(book.path).brief("demo")
    assert b is not None
    return [(j.text, j.likelihood, j.confidence, j.passages) for j in b.judgments]


async def test_write_link_reorder_delete_and_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("home")  # the top of the sections pane: Key judgments
        await settle(pilot, app)
        await pilot.press("w")
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"Fidan meets Putin [soon].", "ctrl+s")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"very l", "enter")
        assert isinstance(app.screen, PickDialog)
        await pilot.press("enter")  # moderate, offered first
        await settle(pilot, app)
        assert judgments(demo_book) == [
            ("Fidan meets Putin [soon].", "very likely", "moderate", [])
        ]
        await pilot.press("w")
        await pilot.press(*"Talks collapse.", "ctrl+s", *"unlikely", "enter", *"low", "enter")
        await settle(pilot, app)
        assert [j[0] for j in judgments(demo_book)] == [
            "Fidan meets Putin [soon].",
            "Talks collapse.",
        ]
        # Link the first passage of Overview to the first judgment.
        await pilot.press("j", "j", "j", "j", "tab")  # past the three annexes
        await settle(pilot, app)
        first_pid = screen.passages.current.key  # type: ignore[union-attr]
        await pilot.press("L")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"fidan", "enter")
        await settle(pilot, app)
        assert judgments(demo_book)[0][3] == [first_pid]
        # Back on the judgments: the reader shows the support; K moves the second up.
        await pilot.press("shift+tab", "home", "tab")
        await settle(pilot, app)
        assert first_pid in screen.query_one(Reader).text
        await pilot.press("j", "K")
        await settle(pilot, app)
        assert judgments(demo_book)[0][0] == "Talks collapse."
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert [j[0] for j in judgments(demo_book)] == ["Fidan meets Putin [soon]."]
        await pilot.press("u")
        await settle(pilot, app)
        assert [j[0] for j in judgments(demo_book)] == [
            "Talks collapse.",
            "Fidan meets Putin [soon].",
        ]
        await pilot.press("t")  # a passage key on a judgment says what works there
        await settle(pilot, app)
        assert any("On a judgment" in str(n.message) for n in app._notifications)
