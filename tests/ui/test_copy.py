"""`y`: the passage with its citation on the clipboard (OSC 52), only on the user's key."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from tests.ui.conftest import settle


async def test_y_copies_the_passage_with_its_citation(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.clipboard == ""  # opening a brief copies nothing
        await pilot.press("tab", "y")
        await settle(pilot, app)
        copied = app.clipboard
        assert copied.startswith("“Hakan Fidan, Turkey's foreign minister")
        assert copied.endswith("” — Briefing Demo, 25 May 2025")
        await pilot.press("space", "space", "y")  # two marked passages
        await settle(pilot, app)
        assert app.clipboard.count("” — Briefing Demo") == 2
