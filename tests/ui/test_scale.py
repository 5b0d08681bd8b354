"""What makes the TUI fast on a big brief, driven as a user would: the filter's word index
(same rows as the matcher, kept in step with edits), the status line counted in a worker,
and the heap frozen while the app runs."""

from __future__ import annotations

import gc

import pytest

from briefing import search
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import TagDialog
from briefing.tui.screens import main as main_module
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.passage_list import PassageList
from briefing.tui.widgets.passages_pane import PassagesPane
from tests.ui.conftest import settle


def main_screen(app: BriefingApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


def matched(pane: PassagesPane, query: str) -> list[str]:
    """The rows the old filter (a matcher over every row) showed for `query`."""
    test = search.matcher(query, last_is_prefix=True)
    return [r.key for r in pane.all_rows if r.item is not None and test(r.item)]


async def test_each_keystroke_shows_what_the_matcher_finds(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        pane, plist = screen.pane, screen.query_one(PassageList)
        await pilot.press("tab")
        for query in ("the fo", "moscow", '"foreign minister" tur', "tur*", "zzz", "-"):
            await pilot.press("slash", *query)
            await settle(pilot, app)
            assert pane.query_text == query
            assert [r.key for r in plist.rows] == matched(pane, query), query
            await pilot.press("escape")
            await settle(pilot, app)
            assert not pane.query_text and len(plist.rows) == len(pane.all_rows)


async def test_the_index_follows_a_tag_added_while_filtering(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        pane, plist = screen.pane, screen.query_one(PassageList)
        await pilot.press("tab", "slash", *"the")
        await settle(pilot, app)
        assert len(plist.rows) > 1
        await pilot.press("enter")  # back to the list, the filter stays
        await settle(pilot, app)
        key = plist.current.key  # type: ignore[union-attr]
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"zebrafish", "enter")
        await settle(pilot, app)
        await pilot.press("slash", *"zebra")  # the box selects its text: typing replaces it
        await settle(pilot, app)
        assert [r.key for r in plist.rows] == [key] == matched(pane, "zebra")


async def test_rows_taken_out_leave_the_index(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        pane, plist = screen.pane, screen.query_one(PassageList)
        await pilot.press("tab", "slash", *"the")
        await settle(pilot, app)
        before = [r.key for r in plist.rows]
        await pilot.press("enter")
        await settle(pilot, app)
        gone = plist.current.key  # type: ignore[union-attr]
        await pilot.press("x")  # take it out of the section
        await settle(pilot, app)
        await pilot.press("slash", *"the")  # the box selects its text: typing replaces it
        await settle(pilot, app)
        assert [r.key for r in plist.rows] == [k for k in before if k != gone]
        assert [r.key for r in plist.rows] == matched(pane, "the")


async def test_a_big_brief_is_counted_after_the_first_frame(
    demo_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "COUNT_INLINE", 0)  # the demo brief counts as big
    monkeypatch.setattr(main_module, "COUNT_DELAY", 0.01)
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)  # the count starts on a timer, after the first frame
        await settle(pilot, app)
        screen = main_screen(app)
        words = screen.session.word_count()
        assert f"{words:,} words" in str(screen.status.render())
        await pilot.press("tab", "asterisk")  # an edit: counted again, in a worker
        await settle(pilot, app)
        assert "1 key point" in str(screen.status.render())
        assert f"{screen.session.word_count():,} words" in str(screen.status.render())


async def test_the_heap_is_frozen_while_the_app_runs(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert gc.get_freeze_count() > 0  # the brief is out of the collector's way
    assert gc.get_freeze_count() == 0  # and collectable again once the app is gone
