"""Fixtures for driving the real app with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.demo import add_demo
from briefing.store import Book
from briefing.tui.app import BriefingApp


@pytest.fixture
def demo_book(tmp_path: Path) -> Book:
    book = Book(tmp_path / "book")
    add_demo(book)
    return book


@pytest.fixture
def app(demo_book: Book) -> BriefingApp:
    return BriefingApp(demo_book)


async def settle(pilot, app: BriefingApp) -> None:  # type: ignore[no-untyped-def]
    """Wait until the workers are done and the screen has caught up."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


from tests.unit.test_feeds import server  # noqa: E402, F401 (a local feed server, as a fixture)
