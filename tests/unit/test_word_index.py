"""The TUI filter's word index finds what the matcher finds; the status line's fast word
count says what the export's count says."""

from __future__ import annotations

import random

import pytest

from briefing.briefs import Item
from briefing.exporting.markdown import count_words as export_count_words
from briefing.model import Article, Note, Passage, PassageState
from briefing.search import WordIndex, article_matches, article_words, item_words, matcher
from briefing.session import count_words

WORDS = [
    "black", "sea", "mir", "vladimir", "putin", "turkey", "turkish", "ankara", "grain",
    "corridor", "don't", "o’clock", "naïve", "Éclair", "2024", "1", "a", "of", "the",
]  # fmt: skip


def make_items(n: int, seed: int = 1) -> list[Item]:
    rnd = random.Random(seed)
    items = []
    for k in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 12)))
        text = text.replace(" sea", rnd.choice([" sea", ", sea", "-sea", " sea."]))
        state = PassageState(f"a.{k}")
        if rnd.random() < 0.2:
            state.tags.append(rnd.choice(["follow-up", "press", "grain deal"]))
        if rnd.random() < 0.1:
            state.notes.append(Note(f"n{k}", "check the corridor date", created="2026-01-01"))
        article = Article(f"a{k % 3}", rnd.choice(["Black Sea talks", "Mir cards"]), source="TASS")
        items.append(Item(Passage(f"a.{k}", article.id, k, text), article, state, "s", k))
    return items


def queries(seed: int = 2, n: int = 400) -> list[str]:
    rnd = random.Random(seed)
    fixed = [
        "", " ", "-", "*", '"', '""', "mir", "mi", "mir*", "vlad", "vlad*", "black sea",
        '"black sea"', '"sea black"', '"black se', "black-sea", "don", "don't", "o’clock",
        "NAÏVE", "éclair", "follow", "follow-up", "grain deal", "corridor date", "tass",
        "2024 1", "a of the", '"of the" a', "x", "turk tur", "ankara*  grain",
    ]  # fmt: skip
    out = list(fixed)
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 3)):
            w = rnd.choice(WORDS).lower()
            r = rnd.random()
            if r < 0.3:
                w = w[: rnd.randint(1, len(w))]
            elif r < 0.4:
                w = w[:2] + "*"
            elif r < 0.55:
                w = f'"{w} {rnd.choice(WORDS)}"'
            parts.append(w)
        out.append(" ".join(parts) + rnd.choice(["", " ", '"']))
    return out


def indexed(items: list[Item]) -> WordIndex:
    index = WordIndex(lambda source: item_words(source))  # type: ignore[arg-type]
    for i in items:
        index.add(i.passage.id, i)
    return index


@pytest.mark.parametrize("last_is_prefix", [True, False])
def test_the_index_finds_what_the_matcher_finds(last_is_prefix: bool) -> None:
    items = make_items(300)
    index = indexed(items)
    for q in queries():
        test = matcher(q, last_is_prefix=last_is_prefix)
        want = [i.passage.id for i in items if test(i)]
        found = index.find(q, last_is_prefix=last_is_prefix)
        got = [i.passage.id for i in items if found is None or i.passage.id in found]
        assert got == want, q


def test_rows_replaced_and_dropped_are_found_as_they_are_now() -> None:
    items = make_items(50)
    index = indexed(items)
    assert "a.3" in index and len(index) == 50
    edited = Item(
        Passage("a.3", "a0", 3, "an entirely new zanzibar text"),
        items[3].article,
        PassageState("a.3", tags=["fresh"]),
        "s",
        3,
    )
    index.add("a.3", edited)  # replaces the row of that key
    assert index.find("zanzibar") == {"a.3"}
    assert index.find("fresh") == {"a.3"}
    index.discard("a.3")
    assert "a.3" not in index and len(index) == 49
    assert index.find("zanz", last_is_prefix=True) == set()
    assert index.find('"new zanzibar"') == set()
    assert index.find("-") is None  # no terms: everything matches


def test_articles_are_indexed_as_the_library_filter_reads_them() -> None:
    arts = [
        Article("a1", "Mir cards accepted again", source="TASS", publisher="Reuters"),
        Article("a2", "Black Sea grain", source="Interfax"),
    ]
    index = WordIndex(lambda a: article_words(a))  # type: ignore[arg-type]
    for a in arts:
        index.add(a.id, a)
    for q in ["mir", "reuters", "inter", "black gr", '"sea grain"', "vladimir", "tass mir"]:
        want = {a.id for a in arts if article_matches(a, q, last_is_prefix=True)}
        assert index.find(q, last_is_prefix=True) == want, q


def test_the_fast_word_count_is_the_exports() -> None:
    rnd = random.Random(3)
    alphabet = [
        "a", "Z", "1", "_", "-", "—", " ", "\t", "\n", "\r", "\x1b", "[", "3", "m", "\u00a0",
        "\u2003", "é", "²", "½", "٣", "\u202e", "\x85", "\x1c", "'", "’", "*", "\u3000",
        "x\u0301", "\x9b", "]", "\x07",
    ]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        assert count_words(text) == export_count_words(text), repr(text)
    text = "Moscow — talks on the *grain* corridor: 2 days, 3½ hours; \x1b[31mred\x1b[0m - end"
    assert count_words(text) == export_count_words(text)
    assert count_words("=" * 100_000 + " word") == 1  # linear on a long run without words
