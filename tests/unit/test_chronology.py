"""The chronology extractor: each date shape news prose uses, the year rules (the article's
year, the tense of the sentence, a year written nearby, an unknown year said as such),
relative dates only from a known day, the false friends ("may", "Black Friday", "in 2024
elections"), stable keys, and linear time on hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.analysis.dates import Event, find_events
from briefing.model import Passage

MONDAY = "2025-05-26"  # the seed's date: a Monday


def events(text: str, published: str | None = MONDAY) -> list[Event]:
    return find_events([Passage("a.1", "a", 0, text)], {"a": published})


def dated(text: str, published: str | None = MONDAY) -> list[tuple[str, str]]:
    return [(e.when, e.label) for e in events(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On May 16, Istanbul hosted the talks.", [("2025-05-16", "May 16")]),
        (
            "Fidan will visit Moscow on May 25–27 at the invitation of Lavrov.",
            [("2025-05-25/2025-05-27", "May 25–27")],
        ),
        ("Lavrov and Fidan last met in April 2025 at the forum.", [("2025-04", "April 2025")]),
        ("The leaders met in person in 2024 on the sidelines of the summit.", [("2024", "2024")]),
        ("The vote is on 26 May.", [("2025-05-26", "26 May")]),
        ("Talks are set for May 25-27, 2025.", [("2025-05-25/2025-05-27", "May 25-27, 2025")]),
        ("The forum ran 25–27 May 2024.", [("2024-05-25/2024-05-27", "25–27 May 2024")]),
        ("The summit ran from May 30–June 2.", [("2025-05-30/2025-06-02", "May 30–June 2")]),
        ("It was held on the 16th of May.", [("2025-05-16", "16th of May")]),
        ("It was signed on Sunday, May 25.", [("2025-05-25", "Sunday, May 25")]),
        ("The decree of 2025-05-16 stands.", [("2025-05-16", "2025-05-16")]),
        ("It was signed on 16/05/2025.", [("2025-05-16", "16/05/2025")]),
        ("It opened on Oct. 12, 2020.", [("2020-10-12", "Oct. 12, 2020")]),
        ("He joined in April of 2019.", [("2019-04", "April of 2019")]),
        ("Growth slowed in early 2024.", [("2024", "2024")]),
        ("Prices peaked in mid-2023.", [("2023", "2023")]),
        ("The plan ran from 2019 to 2021.", [("2019/2021", "2019 to 2021")]),
        ("The plan ran in 2019–21.", [("2019/2021", "2019–21")]),
        ("Output fell in March.", [("2025-03", "March")]),
        ("The plant must close by 2030.", [("2030", "2030")]),
    ],
)
def test_date_shapes(text: str, expected: list[tuple[str, str]]) -> None:
    assert dated(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You may 2 or 3 times a week.",
        "May I ask a question?",
        "Theresa May said she would go.",
        "The Mayor spoke.",
        "Turnout in 2024 elections was low.",  # an adjective, not a date
        "Doctors saw it in 1500 cases.",  # a count
        "Windows 2000 is old.",  # no preposition: a name
        "The first talks since 2022 were held.",  # a reference point, not an event
        "Prices have risen since March.",
        "It was signed on 03/01/2020.",  # March or January, by country
        "The 5G network covers 30 May Street.",
        "On 31 June nothing happened.",  # no such day
        "The march was in Marseille in Augusta.",
    ],
)
def test_false_friends_are_not_dates(text: str) -> None:
    assert events(text) == []


# ---- the year ------------------------------------------------------------------------------


def test_a_month_without_a_year_takes_the_articles_year() -> None:
    assert dated("On May 16, Istanbul hosted the talks.", "2023-08-01") == [
        ("2023-05-16", "May 16")
    ]


def test_a_future_sentence_about_an_earlier_month_means_next_year() -> None:
    text = "The minister will visit Ankara in March."
    assert dated(text, "2025-11-10") == [("2026-03", "March")]


def test_a_past_sentence_about_a_later_month_means_last_year() -> None:
    assert dated("The two ministers met in December.", "2025-01-15") == [("2024-12", "December")]
    assert dated("They met on December 20.", "2025-01-15") == [("2024-12-20", "December 20")]


def test_an_uncertain_tense_keeps_the_articles_year() -> None:
    assert dated("The talks could resume in March.", "2025-11-10") == [("2025-03", "March")]


def test_the_tense_is_read_in_the_dates_own_sentence() -> None:
    text = "The next increase will happen in January. This is supposed to raise money."
    assert dated(text, "2018-12-04") == [("2019-01", "January")]


def test_a_year_earlier_in_the_sentence_dates_the_months_after_it() -> None:
    text = "In 2024, the ministers met in May and again in June."
    assert dated(text) == [("2024", "2024"), ("2024-05", "May"), ("2024-06", "June")]


def test_a_year_does_not_reach_into_the_next_sentence() -> None:
    assert dated("It began in 2024. They met in May.") == [("2024", "2024"), ("2025-05", "May")]


def test_a_year_after_a_joined_date_dates_it() -> None:
    assert dated("Talks were held on May 3 and May 5, 2024.") == [
        ("2024-05-03", "May 3"),
        ("2024-05-05", "May 5, 2024"),
    ]


def test_a_range_across_new_year() -> None:
    text = "The truce holds from December 30–January 2."
    assert dated(text, "2025-12-01") == [("2025-12-30/2026-01-02", "December 30–January 2")]


def test_without_a_year_anywhere_the_year_is_unknown_and_sorts_last() -> None:
    found = find_events(
        [
            Passage("a.1", "a", 0, "On May 16, talks were held."),
            Passage("b.1", "b", 0, "It ended in 2019."),
        ],
        {"a": None, "b": None},
    )
    assert [(e.when, e.label) for e in found] == [("2019", "2019"), ("XXXX-05-16", "May 16")]


def test_a_month_of_that_year_is_left_out() -> None:
    assert events("In January of that year, her husband died.") == []


def test_a_full_timestamp_is_an_article_date() -> None:
    assert dated("He left yesterday.", "2025-05-26T08:30:00+03:00") == [("2025-05-25", "yesterday")]


# ---- relative dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal was signed yesterday.", ("2025-05-25", "yesterday")),
        ("Talks collapsed last week.", ("2025-05-19/2025-05-25", "last week")),
        ("Prices rose last month.", ("2025-04", "last month")),
        ("Elections were held last year.", ("2024", "last year")),
        ("Elections are due next year.", ("2026", "next year")),
        ("The two will meet again next week.", ("2025-06-02/2025-06-08", "next week")),
        ("The ministers will meet tomorrow.", ("2025-05-27", "tomorrow")),
        (
            "The ministry reported on Sunday that the exchange was completed.",
            ("2025-05-25", "Sunday"),
        ),
        ("The ministry said Monday that talks went well.", ("2025-05-26", "Monday")),
        ("Fidan will meet Putin on Friday.", ("2025-05-30", "Friday")),
        ("He arrived last Monday.", ("2025-05-19", "last Monday")),
        ("They met last May.", ("2024-05", "last May")),
        ("They will meet next March.", ("2026-03", "next March")),
        ("Monday's vote was close.", ("2025-05-26", "Monday")),
    ],
)
def test_relative_dates_count_from_the_article_date(text: str, expected: tuple[str, str]) -> None:
    assert dated(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose over the last week.",  # the past seven days, not last week
        "The shop opens on Sunday.",  # no tense to go by
        "Travellers must self-isolate from Saturday.",  # a modal: no guess
        "Black Friday sales were strong.",
        "The Mail on Sunday reported it.",
        "He was interviewed by the Sunday Times.",
        "They went to church every Sunday.",
        "Policies can change tomorrow.",
        "Live for today, not for tomorrow.",
    ],
)
def test_loose_relative_dates_are_left_out(text: str) -> None:
    assert events(text) == []


@pytest.mark.parametrize("published", [None, "2025", "2025-05"])
def test_relative_dates_need_a_known_day(published: str | None) -> None:
    assert events("The deal was signed yesterday, he said on Sunday.", published) == []


# ---- order, links, keys, text ---------------------------------------------------------------


def test_sorted_by_date_then_passage_order_and_linked_to_passages() -> None:
    passages = [
        Passage("a.1", "a", 0, "On May 24, the speaker spoke. In 2024, they met."),
        Passage("a.2", "a", 1, "On May 16, Istanbul hosted talks."),
        Passage("b.1", "b", 0, "On May 16, the ministry spoke."),
    ]
    found = find_events(passages, {"a": MONDAY, "b": MONDAY})
    assert [(e.when, e.passage_id) for e in found] == [
        ("2024", "a.1"),
        ("2025-05-16", "a.2"),
        ("2025-05-16", "b.1"),
        ("2025-05-24", "a.1"),
    ]
    for e in found:
        text = next(p.text for p in passages if p.id == e.passage_id)
        assert e.label in text and e.label in e.text


def test_keys_are_stable_and_point_at_the_date() -> None:
    text = "Talks began. On May 16, Istanbul hosted them."
    first, again = events(text), events(text)
    assert [e.key for e in first] == [e.key for e in again] == [f"a.1@{text.index('May 16')}"]
    more = find_events(
        [Passage("a.1", "a", 0, text), Passage("a.2", "a", 1, "In 2024.")], {"a": MONDAY}
    )
    assert first[0].key in {e.key for e in more}
    assert first[0] == Event(
        first[0].key, "2025-05-16", "May 16", "On May 16, Istanbul hosted them.", "a.1"
    )


def test_the_same_date_twice_in_a_sentence_is_one_event() -> None:
    assert len(events("On May 16 and again on May 16, they met.")) == 1


def test_text_is_the_sentence_cut_at_word_boundaries() -> None:
    long = " ".join(["word"] * 80) + " on May 16 " + " ".join(["more"] * 80) + "."
    (e,) = events("Before it. " + long + " After it.")
    assert e.text.startswith("…") and e.text.endswith("…")
    assert "May 16" in e.text and len(e.text) <= 215
    assert all(w in {"word", "more", "on", "May", "16"} for w in e.text.strip("…").split())


# ---- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1," * 3000,
        "1, " * 3000,
        "9" * 6000,
        "May 1 " * 1000,
        "May " * 1500,
        "1–2 May " * 800,
        "in 2024 " * 800,
        ". " * 3000 + "May 5",
        "on Sunday said will " * 400,
        "2019-2020-" * 600,
        " " * 6000 + "in May",
    ],
    ids=lambda t: repr(t[:12]),
)
def test_hostile_text_finishes(text: str) -> None:
    """Runs at all: sizes that finish in milliseconds on linear rules, and would not finish
    under exponential backtracking."""
    assert isinstance(events(text), list)


# ---- the seed wire story ----------------------------------------------------------------------


def seed_passages(path: Path) -> list[Passage]:
    """Paragraphs as the wire layout has them: the headline and the date line dropped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", path.read_text()) if p.strip()]
    return [Passage(f"s.{i + 1}", "s", i, t) for i, t in enumerate(paragraphs[2:])]


@pytest.mark.shared
def test_the_seed_chronology(seed: Path) -> None:
    found = find_events(seed_passages(seed), {"s": "2025-05-26"})
    got = {(e.when, e.label) for e in found}
    assert {
        ("2025-05-16", "May 16"),
        ("2025-05-24", "May 24"),
        ("2025-05-25/2025-05-27", "May 25–27"),
        ("2024", "2024"),
        ("2025-04", "April 2025"),
    } <= got
    assert [e.when for e in found] == sorted(e.when for e in found)
    assert not any(e.when.startswith("2022") for e in found)  # "since 2022"
