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


def test_quotes_inside_the_quote_become_single_ones() -> None:
    from briefing.briefs import Item
    from briefing.model import Article, Passage, PassageState
    from briefing.tui.flows import citation_text

    a = Article("a1", "T", source="TASS", published="2025-05-26")
    p = Passage("a1.1", "a1", 0, 'The use of Russian "Mir" bank cards and \u201cSBP\u201d.')
    text = citation_text(Item(p, a, PassageState("a1.1"), None, 0))
    assert (
        text
        == "\u201cThe use of Russian \u2018Mir\u2019 bank cards and \u2018SBP\u2019.\u201d — TASS, 26 May 2025"
    )
