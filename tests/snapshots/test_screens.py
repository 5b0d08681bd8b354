"""Snapshots of the main screens (pytest-textual-snapshot). Update with --snapshot-update
after a deliberate change, and look at the report before committing."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.demo import add_demo
from briefing.store import Book
from briefing.tui.app import BriefingApp


@pytest.fixture
def demo_app(tmp_path: Path) -> BriefingApp:
    book = Book(tmp_path / "book")
    add_demo(book)
    return BriefingApp(book)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _then(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


def test_main_80x24(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_then("tab"))


def test_main_120x40(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=_then("tab", "j"))


def test_start_120x40(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=_then())


def test_help(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(100, 30), run_before=_then("tab", "question_mark"))


def test_note_dialog(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(
        demo_app, terminal_size=(100, 30), run_before=_then("tab", "a", "C", "h", "e", "c", "k")
    )


def test_main_200x60(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(200, 60), run_before=_then("tab", "j"))


DIALOG_KEYS = {
    "tag": ("tab", "t"),
    "note": ("tab", "a", "C", "h", "e", "c", "k"),
    "move": ("tab", "m"),
    "summary": ("s",),
    "switch_brief": ("b",),
    "export": ("e",),
    "export_path": ("e", "enter"),
    "take_out_article": ("tab", "X"),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("dialog", sorted(DIALOG_KEYS))
def test_dialogs(
    snap_compare, demo_app: BriefingApp, dialog: str, size: tuple[int, int], monkeypatch
) -> None:
    """Each dialog fits at 80×24 (nothing cut off) and looks right at 120×40."""
    monkeypatch.chdir("/")  # the export dialog shows the working folder
    assert snap_compare(demo_app, terminal_size=size, run_before=_then(*DIALOG_KEYS[dialog]))


def test_overview_80x24(snap_compare, demo_app: BriefingApp) -> None:
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_then("O"))
