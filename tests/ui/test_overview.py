"""`O`: the brief at a glance, drawn from a worker's figures; "new" counts from the export."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Static

from briefing.session import Session
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.screens.overview import OverviewScreen, bar
from tests.ui.conftest import settle


def shown(app: BriefingApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def test_bars_grow_in_eighths() -> None:
    assert bar(0, 10) == "" and bar(10, 10, 4) == "████"
    assert bar(1, 64, 1) == "▏" and bar(5, 10, 3) == "█▌"


async def test_the_overview_shows_the_brief_and_what_is_new(
    demo_book: Book, tmp_path: Path
) -> None:
    s = Session(demo_book, "demo")
    s.load()
    s.add_judgment("Fidan meets Putin.", "likely", "moderate")
    app = BriefingApp(demo_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("O")
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen)
        text = shown(app)
        for part in ("Focus on Ukraine", "Hakan Fidan", "likely", "no supporting passage"):
            assert part in text, part
        assert "Not exported yet" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, OverviewScreen)
    # After an export nothing is new; an article imported since is.
    s.export(tmp_path / "brief.md")
    time.sleep(1.05)  # times are kept to the second: an import in that second was exported
    (tmp_path / "more.txt").write_text("Later news\n\nLavrov said talks on Ukraine went well.\n")
    s.import_paths([str(tmp_path / "more.txt")])
    o = s.overview()
    assert o.last_export and o.new_articles == 1 and o.new_since == 1
