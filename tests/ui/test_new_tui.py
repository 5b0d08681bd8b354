"""What is new, from the keyboard: the New listing and its count, `n`, reading, `N`."""

from __future__ import annotations

import pytest

from briefing.search.index import find
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.passage_list import PassageList
from briefing.tui.widgets.sections import SectionList
from tests.ui.conftest import settle
from tests.unit.test_feeds import Server

LATER = 4_000_000_000.0
"""A feed's next due time far away: the app's own refresh leaves it alone."""


def follow_and_mark_new(book: Book, count: int) -> list[str]:
    """A followed feed (not due) and `count` passages of the demo marked new."""

    def change(feeds: dict[str, dict[str, object]]) -> None:
        feeds["http://127.0.0.1:9/feed.xml"] = {
            "url": "http://127.0.0.1:9/feed.xml",
            "added": "2026-11-29T08:00:00Z",
            "next_due": LATER,
        }

    book.update_feeds(change)
    pids = [p.id for p in book.passages()][:count]
    book.update_new({pid: "2026-11-29T09:00:00Z" for pid in pids})
    return pids


def labels(app: BriefingApp) -> list[str]:
    sections = app.screen.query_one(SectionList)
    return [str(sections.get_option_at_index(i).prompt) for i in range(sections.option_count)]


async def test_reading_a_new_passage_marks_it_read_and_the_count_follows(
    demo_book: Book,
) -> None:
    pids = follow_and_mark_new(demo_book, 3)
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert any(label.startswith("New") and label.endswith(" 3") for label in labels(app))
        await pilot.press("n")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        current = screen.passages.current
        assert isinstance(app.focused, PassageList)
        assert current is not None and current.key in pids
        first = current.key
        assert first in screen.passages.new_keys
        await pilot.pause(1.3)  # shown in the reader for a second: read
        assert first not in app.session.new  # type: ignore[attr-defined]
        assert any(label.startswith("New") and label.endswith(" 2") for label in labels(app))
        assert first in demo_book.new_passages()  # not written yet: a batch, later
        screen.flush_reads()
        await settle(pilot, app)
        assert first not in Book(demo_book.path).new_passages()
        await pilot.press("N")  # new again
        await settle(pilot, app)
        assert first in app.session.new  # type: ignore[attr-defined]
        await pilot.press("n")  # the next one: moving on reads nothing before its second
        await settle(pilot, app)
        assert screen.passages.current is not None
        assert screen.passages.current.key != first
    # Leaving the app writes what is pending.
    assert set(Book(demo_book.path).new_passages()) >= {first}


async def test_another_instance_reading_does_not_bring_passages_back(demo_book: Book) -> None:
    pids = follow_and_mark_new(demo_book, 4)
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        other = Book(demo_book.path)
        other.update_new(read=[pids[3]])  # read in another SSH session
        app.session.mark_read([pids[0]])  # type: ignore[attr-defined]
        app.screen.flush_reads()  # type: ignore[attr-defined]
        await settle(pilot, app)
    assert set(Book(demo_book.path).new_passages()) == {pids[1], pids[2]}


async def test_no_feeds_no_new_listing_and_n_says_so(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert not any(label.startswith("New") for label in labels(app))
        await pilot.press("n")
        await settle(pilot, app)
        assert any("Nothing new" in str(n.message) for n in app._notifications)
        await pilot.press("R")
        await settle(pilot, app)
        assert any("No feeds followed" in str(n.message) for n in app._notifications)


async def test_a_saved_search_is_a_listing(demo_book: Book, user_dirs) -> None:  # type: ignore[no-untyped-def]
    cfg = user_dirs / "config" / "briefing"
    cfg.mkdir(parents=True)
    (cfg / "config.yaml").write_text(
        "searches:\n  - {name: Istanbul talks, query: 'Istanbul talks'}\n"
        "  - {name: Nothing, query: zzzqqq}\n"
    )
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        shown = labels(app)
        assert any(label.startswith("⌕ Istanbul talks") for label in shown), shown
        sections = app.screen.query_one(SectionList)
        target = next(n for n, x in enumerate(shown) if "Istanbul" in x)
        await pilot.press(*["j"] * (target - (sections.highlighted or 0)))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        rows = screen.pane.all_rows
        found = find(Book(demo_book.path), "Istanbul talks").items
        assert rows and [r.key for r in rows] == [i.passage.id for i in found]
        await pilot.press("j")
        await settle(pilot, app)
        assert screen.pane.all_rows == [] and "No passage matches" in screen.pane.empty_hint


async def test_the_open_app_refreshes_due_feeds_and_r_refreshes_all(
    demo_book: Book, server: tuple[str, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.importing import feeds
    from briefing.tui.screens import main

    monkeypatch.setattr(main, "FEEDS_FIRST", 0.05)
    base, state = server
    feeds.add(demo_book, f"{base}/feed.xml", "demo", [])  # due now: never fetched
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.pause(0.3)
        await settle(pilot, app)
        assert len(state.requests) == 1  # fetched by itself, once
        assert len(app.session.new) == 3  # type: ignore[attr-defined]
        assert any(label.startswith("New") and label.endswith(" 3") for label in labels(app))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("n")  # to the first new passage, which is read in a second
        await pilot.pause(1.3)
        await settle(pilot, app)
        assert len(app.session.new) == 2  # type: ignore[attr-defined]
        state.items, state.version = [1, 2, 3, 4], 2
        await pilot.press("R")  # not due again for 30 minutes, but asked for
        await settle(pilot, app)
        await pilot.pause(1.3)  # what came stays new though the list was redrawn under it
        await settle(pilot, app)
        assert len(state.requests) == 2
        assert len(app.session.new) == 3  # type: ignore[attr-defined]
        assert any("1 new article" in str(n.message) for n in app._notifications)
