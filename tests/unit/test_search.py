"""Search: words AND-ed, "phrases", prefix*, whole words, ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.briefs import Item
from briefing.cli import main
from briefing.model import Article, Passage, PassageState
from briefing.search import matches, parse, search


def item(pid: str, text: str) -> Item:
    return Item(
        Passage(pid, "a", 0, text),
        Article("a", "A title", source="TASS"),
        PassageState(pid),
        "s",
        0,
    )


ITEMS = [
    item("a.1", "Russian President Vladimir Putin met the minister."),
    item("a.2", "The Mir card is accepted again in Turkish banks. Mir payments resumed."),
    item("a.3", "Safe navigation in the Black Sea is on the agenda; the sea lanes matter."),
    item("a.4", "The sea was black with ships off Sevastopol."),
    item("a.5", "A long passage about the Black Sea " + "and many other things " * 30),
]


def ids(found: list[Item]) -> list[str]:
    return [i.passage.id for i in found]


def test_whole_words_only_unless_prefix() -> None:
    assert ids(search(ITEMS, "mir")) == ["a.2"]  # not Vladimir
    assert ids(search(ITEMS, "vlad")) == []
    assert ids(search(ITEMS, "vlad*")) == ["a.1"]


def test_words_are_anded_and_phrases_keep_their_order() -> None:
    assert set(ids(search(ITEMS, "black sea"))) == {"a.3", "a.4", "a.5"}
    assert set(ids(search(ITEMS, '"black sea"'))) == {"a.3", "a.5"}
    assert ids(search(ITEMS, '"sea black"')) == []


def test_ranked_short_and_repeated_first() -> None:
    assert ids(search(ITEMS, '"black sea"')) == ["a.3", "a.5"]
    assert ids(search(ITEMS, "mir"))[0] == "a.2"


def test_search_as_you_type_treats_the_last_word_as_a_prefix() -> None:
    assert matches(ITEMS[2], "Black Se", last_is_prefix=True)
    assert not matches(ITEMS[2], "Black Se")
    assert parse("black se", last_is_prefix=True)[-1].prefix
    assert not parse("black se ", last_is_prefix=True)[-1].prefix


def test_notes_tags_and_title_are_searched() -> None:
    it = item("a.9", "Nothing here.")
    it.state.tags.append("follow-up")
    assert ids(search([it], "follow")) == ["a.9"]  # a tag's words
    assert ids(search([it], "title")) == ["a.9"]


def test_cli_takes_several_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "wire.txt"
    b = ["--book", str(tmp_path / "book")]
    assert main([*b, "import", str(data)]) == 0
    capsys.readouterr()
    assert main([*b, "search", "grain", "exports"]) == 0
    assert capsys.readouterr().out.strip() != "(no passages)"
