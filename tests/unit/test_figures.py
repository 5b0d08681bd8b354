"""The key-figures extractor: the value as written with its qualifier, what it counts, the
numbers that are not figures (dates, years, times, ids, list numbers, bare numbers), stable
keys, passage order, and linear time on hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.analysis.figures import Figure, find_figures
from briefing.model import Passage


def figures(text: str) -> list[Figure]:
    return find_figures([Passage("a.1", "a", 0, text)])


def pairs(text: str) -> list[tuple[str, str]]:
    return [(f.value, f.what) for f in figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russians made 6.7 million visits.", [("6.7 million", "visits")]),
        (
            "That is about 12.7% of the total tourist flow.",
            [("about 12.7%", "of the total tourist flow")],
        ),
        (
            "They agreed to exchange prisoners on a “1,000 for 1,000” basis.",
            [("1,000 for 1,000", "prisoner exchange")],
        ),
        ("They prepared the 19th session of the commission.", [("19th", "session")]),
        ("The bank approved a $2.5 billion loan.", [("$2.5 billion", "loan")]),
        ("Donors pledged $2.5 billion in aid.", [("$2.5 billion", "in aid")]),
        ("Some 300 people were evacuated.", [("Some 300", "people")]),
        ("It reported a 5 per cent rise in prices.", [("5 per cent", "rise")]),
        ("It runs more than 1,100 locations.", [("more than 1,100", "locations")]),
        ("They agreed a 30-day ceasefire.", [("30-day", "ceasefire")]),
        ("Only 3 in 10 voters agreed.", [("Only 3 in 10", "voters")]),
        ("Between 10–15 people were hurt.", [("10–15", "people")]),
        (
            "Turkey expects around 7 million Russian visitors.",
            [("around 7 million", "Russian visitors")],
        ),
        ("The fund holds US$3 million in bonds.", [("US$3 million", "in bonds")]),
        ("Inflation rose to 5%.", [("5%", "Inflation rose to")]),
        ("It elected 300 MPs.", [("300", "MPs")]),
        ("It is the 5th-largest economy.", [("5th-largest", "economy")]),
        ("Poland reported 25.9 new cases per 100,000 people.", [("25.9", "new cases")]),
        ("Nearly 2000 people marched.", [("Nearly 2000", "people")]),  # a qualifier: a count
        ("The 80TB hard drive is possible.", [("80TB", "hard drive")]),
        ("They killed 300 in 2024 and 12 soldiers.", [("12", "soldiers")]),
        ("He argued that 95% of “murders” were solved.", [("95%", "of murders")]),
    ],
)
def test_figures_and_what_they_count(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "On May 16, 2025, Istanbul hosted talks.",
        "In 2024, Russians were again the largest group.",
        "2000 people",  # a plain 1000-2199 is a year: news writes counts with a comma
        "Prices will see a lower increase in 2023 of 4.5 percent.",  # no "2023 of 4.5 percent"
        "The talks start at 10:30 GMT.",
        "The talks start at 3 pm.",
        "The talks start at 9am.",
        "1. First item of the list",
        "(2) Second item of the list",
        "Article 5 of the treaty applies.",
        "Windows 10 users must update.",
        "COVID-19 patients were moved.",
        "5G networks are spreading.",
        "It was popular in the 1990s.",
        "The final score was 3.",
        "He is aged 45.",
        "As reported [3], the plan failed.",
        "She lives at 10 Downing Street.",
        "It was built in the 21st century.",
        "Install version 1.2.3 now.",
        "See page 12 for details.",
        "Call No. 5 for help.",
        "The 3+3 platform met.",
        "accept = 273",
        "Agent 007 and allele 58: 01 appear.",
        "Rates per 100,000 people are up.",
        "He lives at 714 University Hall.",
        "The hunter, 54-year-old Bharrat Ramdehol, was shot.",
    ],
)
def test_numbers_that_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_the_qualifier_stays_with_the_value() -> None:
    """A figure quoted alone must not lose its "about"."""
    text = (
        "More than 300 people came. At least $5 million in aid was sent. "
        "Nearly 40% of voters agreed."
    )
    assert pairs(text) == [
        ("More than 300", "people"),
        ("At least $5 million", "in aid"),
        ("Nearly 40%", "of voters"),
    ]


def test_in_passage_order_with_stable_keys_and_the_sentence() -> None:
    passages = [
        Passage("a.2", "a", 1, "Officials said 300 people left. Later, 12 buses came."),
        Passage("a.1", "a", 0, "A $2 billion loan was approved."),
    ]
    found = find_figures(passages)
    assert [(f.passage_id, f.value) for f in found] == [
        ("a.2", "300"),
        ("a.2", "12"),
        ("a.1", "$2 billion"),
    ]
    text = passages[0].text
    assert [f.key for f in found[:2]] == [f"a.2@{text.index('300')}", f"a.2@{text.index('12')}"]
    assert found[0].text == "Officials said 300 people left."
    assert found[1].text == "Later, 12 buses came."
    assert found[2].key == "a.1@3"  # the digit, not the currency sign
    assert find_figures(passages) == found


def test_long_sentences_are_cut_around_the_figure() -> None:
    long = " ".join(["word"] * 80) + " with 300 people " + " ".join(["more"] * 80) + "."
    (f,) = figures(long)
    assert f.value == "300" and "300 people" in f.text
    assert f.text.startswith("…") and f.text.endswith("…") and len(f.text) <= 215


# ---- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1," * 3000,
        "1,000" * 1200,
        "1, " * 3000,
        "9" * 6000,
        "1.1." * 1500,
        "1–2 " * 1500,
        "5% " * 2000,
        "$1 " * 2000,
        "about " * 1000 + "5",
        "5 of " * 1200,
        " " * 6000 + "5 people",
        "a" * 6000 + " 5 people",
    ],
    ids=lambda t: repr(t[:12]),
)
def test_hostile_text_finishes(text: str) -> None:
    """Runs at all: sizes that finish in milliseconds on linear rules, and would not finish
    under exponential backtracking."""
    assert isinstance(figures(text), list)


# ---- the seed wire story ----------------------------------------------------------------------


@pytest.mark.shared
def test_the_seed_figures(seed: Path) -> None:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", seed.read_text()) if p.strip()]
    passages = [Passage(f"s.{i + 1}", "s", i, t) for i, t in enumerate(paragraphs[2:])]
    got = {(f.value, f.what) for f in find_figures(passages)}
    assert {
        ("6.7 million", "visits"),
        ("about 12.7%", "of the total tourist flow"),
        ("1,000 for 1,000", "prisoner exchange"),
        ("19th", "session"),
    } <= got
    assert not any(v in {"2024", "2025", "2022", "16", "24", "25", "26"} for v, _ in got)
