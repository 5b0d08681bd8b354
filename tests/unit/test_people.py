"""The who's-who rules (briefing/analysis/people.py): each shape of English news prose they
read, the look-alikes they must not take for people, merging and keys; then the seed story
and the hand-labelled real articles, held to the precision and recall measured on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.analysis.people import Person, find_people
from briefing.model import Passage
from tests.bench.bench_people import evaluate, seed_paragraphs, totals
from tests.conftest import SHARED, shared_path


def passages(*texts: str, article: str = "a") -> list[Passage]:
    return [Passage(f"{article}.{k + 1}", article, k, t) for k, t in enumerate(texts)]


def people(*texts: str, aliases: dict[str, str] | None = None) -> list[Person]:
    return find_people(passages(*texts), aliases)


def roles(*texts: str) -> dict[str, str]:
    return {p.name: p.role for p in people(*texts)}


# -- the shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Fidan will visit at the invitation of Russian Foreign Minister Sergey Lavrov.",
            "Sergey Lavrov",
            "Russian Foreign Minister",
        ),
        (
            "Meetings with Presidential Aide Vladimir Medinsky are planned.",
            "Vladimir Medinsky",
            "Presidential Aide",
        ),
        (
            "On May 24, Deputy Speaker of the Federation Council Konstantin Kosachev stated it.",
            "Konstantin Kosachev",
            "Deputy Speaker of the Federation Council",
        ),
        (
            "Turkish Foreign Minister Hakan Fidan will visit.",
            "Hakan Fidan",
            "Turkish Foreign Minister",
        ),
        (
            "He hopes to meet Russian President Vladimir Putin.",
            "Vladimir Putin",
            "Russian President",
        ),
        ("They will see Defense Minister Andrey Belousov.", "Andrey Belousov", "Defense Minister"),
        (
            "Before the vote, Minister in the Ministry of Finance Brian Manning said so.",
            "Brian Manning",
            "Minister in the Ministry of Finance",
        ),
        ("Throgs Neck resident Michael Lopiano agreed.", "Michael Lopiano", "Throgs Neck resident"),
        ("The only one running is state Sen. Jim Davis.", "Jim Davis", "state Senator"),
        ("It was then-Rep. Heath Shuler (D-N.C.) who left.", "Heath Shuler", "then-Representative"),
        (
            "It was announced by Acting U.S. Attorney for the District of Massachusetts Joshua Levy.",
            "Joshua Levy",
            "Acting U.S. Attorney for the District of Massachusetts",
        ),
        (
            'Scott told "CBS This Morning" co-host Gayle King the truth.',
            "Gayle King",
            '"CBS This Morning" co-host',
        ),
    ],
)
def test_title_before_a_name(text: str, name: str, role: str) -> None:
    assert roles(text) == {name: role}


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Hakan Fidan, Turkey's foreign minister, arrived on Monday.",
            "Hakan Fidan",
            "Turkey's foreign minister",
        ),
        (
            '"We will respond," said Maria Zakharova, the ministry\'s spokeswoman.',
            "Maria Zakharova",
            "ministry's spokeswoman",
        ),
        (
            "Roxanne Delgado, founder of the civic association Friends of Pelham Parkway, said so.",
            "Roxanne Delgado",
            "founder of the civic association Friends of Pelham Parkway",
        ),
        (
            "Carlos Forte – a Barbadian economist resident in Canada, will speak.",
            "Carlos Forte",
            "Barbadian economist resident in Canada",
        ),
        (
            "Turkey's foreign minister, Hakan Fidan, arrived on Monday.",
            "Hakan Fidan",
            "Turkey's foreign minister",
        ),
        (
            "At the ceremony, a lawyer in attendance, Shannon Kilpatrick, tweeted about it.",
            "Shannon Kilpatrick",
            "lawyer in attendance",
        ),
        (
            '"He has been hit before," said Hank Sheinkopf, who was a political advisor to '
            "Bloomberg.",
            "Hank Sheinkopf",
            "political advisor to Bloomberg",
        ),
    ],
)
def test_apposition(text: str, name: str, role: str) -> None:
    assert roles(text) == {name: role}


@pytest.mark.parametrize(
    "text",
    [
        '"It looks very suspicious," said Jeff Miller.',
        "Jeff Miller said the timing was odd.",
        "Jeff Miller, 55, said the timing was odd.",
        "The seat went to Jeff Miller, who still holds it.",
        "Dr Jeff Miller was not available.",
        "— Jeff Miller (@jeffmiller) January 6, 2020",
    ],
)
def test_evidence_without_a_role(text: str) -> None:
    assert roles(text) == {"Jeff Miller": ""}


def test_a_surname_alone_needs_a_title_or_an_honorific() -> None:
    assert roles("President Trump pointed to the contributions.") == {"Trump": "President"}
    assert roles("Mr Shapps said on Twitter that it was needed.") == {"Shapps": ""}
    assert roles("Miller said the timing was odd.") == {}


def test_a_list_with_a_known_person_lists_people() -> None:
    found = roles(
        "Elizabeth Warren says it is the fight of our lives.",
        "Organizers are pulling for Elizabeth Warren, Bernie Sanders and Pete Buttigieg.",
    )
    assert found == {"Elizabeth Warren": "", "Bernie Sanders": "", "Pete Buttigieg": ""}


# -- what is not a person --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sources in the Turkish Foreign Ministry earlier told TASS that Fidan hopes to go.",
        "The Russian Foreign Ministry said ahead of the talks that it expected progress.",
        "Russian Defense Ministry reported on Sunday that the exchange was completed.",
        "On May 16, Istanbul hosted the first direct talks between the two sides.",
        "According to the Russian Foreign Ministry, the parties will discuss Libya.",
        "Reuters News Agency reported that a complaint had been filed.",
        "Gazprom, the Russian gas producer, said exports rose.",
        "Moscow, the Russian capital, hosted the Shanghai Cooperation Organization summit.",
        "He served as President and Chief Financial Officer of Super Value.",
        "She wrote to the Director of Education Equity about it.",
        "Grab your bestie and channel the 2001 movie The Princess Diaries.",
        "How Major Hospitals Are Already Using AI in Patient Care",
        "T cell reactions to drugs. Annu Rev Med. 2015;66:439.",
        "A major Mark Rothko retrospective opens in Paris.",
        "The leaders met in Kazan in October and in Astana in July.",
        "Tory MPs, who oppose the plan, met on Monday.",
    ],
)
def test_not_people(text: str) -> None:
    assert people(text) == []


def test_a_verb_after_the_comma_is_no_role() -> None:
    text = "Nixon’s appointed vice president, Gerald Ford, pardoned his former boss."
    assert roles(text) == {"Gerald Ford": "Nixon’s appointed vice president"}


def test_title_case_silences_only_its_own_stretch() -> None:
    text = (
        "Trump already has a bestseller: 1987’s The Art of the Deal. That was left to his "
        "credited ghostwriter, Tony Schwartz, who later regretted it."
    )
    assert roles(text) == {"Tony Schwartz": "credited ghostwriter"}
    titles_and_names = (
        "Presidential Aide Vladimir Medinsky and Defense Minister Andrey Belousov met "
        "Turkish Foreign Minister Hakan Fidan."
    )
    assert roles(titles_and_names) == {
        "Vladimir Medinsky": "Presidential Aide",
        "Andrey Belousov": "Defense Minister",
        "Hakan Fidan": "Turkish Foreign Minister",
    }


# -- merging, passages, order, keys -----------------------------------------------------------

SEEDLIKE = (
    "Turkish Foreign Minister Hakan Fidan will visit Moscow at the invitation of Russian "
    "Foreign Minister Sergey Lavrov.",
    "The leaders of both countries met in 2024. Lavrov and Fidan last met in April 2025.",
    "Tourism remains an important area of cooperation.",
    "Fidan hopes to meet with Russian President Vladimir Putin during his visit.",
)


def test_surnames_merge_into_the_full_name_and_link_their_passages() -> None:
    found = find_people(passages(*SEEDLIKE))
    assert [(p.name, p.passages) for p in found] == [
        ("Hakan Fidan", ("a.1", "a.2", "a.4")),
        ("Sergey Lavrov", ("a.1", "a.2")),
        ("Vladimir Putin", ("a.4",)),
    ]


def test_order_is_first_mention_and_passages_are_input_order_without_duplicates() -> None:
    found = people(
        "Jeff Miller said so. Miller said it again, and Miller once more.",
        "Aubrey Woodard said it too. So did Miller.",
    )
    assert [(p.name, p.passages) for p in found] == [
        ("Jeff Miller", ("a.1", "a.2")),
        ("Aubrey Woodard", ("a.2",)),
    ]


def test_a_surname_means_the_person_first_introduced_in_its_article() -> None:
    found = find_people(
        [
            *passages("Rep. Mark Meadows will retire.", article="x"),
            *passages(
                "Debbie Meadows, the congressman's wife, backed Lynda Bennett.",
                "Mark Meadows, a congressman, said nothing. Meadows left early.",
                article="y",
            ),
        ]
    )
    by_name = {p.name: p for p in found}
    assert by_name["Mark Meadows"].passages == ("x.1", "y.2")
    assert by_name["Debbie Meadows"].passages == ("y.1",)
    assert by_name["Debbie Meadows"].role == "congressman's wife"


def test_the_longest_role_wins_and_articles_are_stripped() -> None:
    found = roles(
        "Minister Lavrov arrived.",
        "Sergey Lavrov, the Russian foreign minister, spoke.",
        "Foreign Minister Sergey Lavrov left.",
    )
    assert found == {"Sergey Lavrov": "Russian foreign minister"}


def test_middle_initials_and_particles_do_not_make_another_person() -> None:
    found = people(
        "Billionaire Michael R. Bloomberg said he would run.",
        "Michael Bloomberg said so again.",
        "New York City Mayor Bill de Blasio said it was needed.",
        "De Blasio said he would wait.",
    )
    assert [(p.name, len(p.passages)) for p in found] == [
        ("Michael R. Bloomberg", 2),
        ("Bill de Blasio", 2),
    ]


def test_aliases_merge_spellings_in_names_and_roles() -> None:
    texts = (
        "Russian Foreign Minister Sergei Lavrov arrived.",
        "Sergey Lavrov said the talks went well.",
        "Kiev mayor Vitali Klitschko said the city was ready.",
    )
    without = people(*texts)
    assert [p.name for p in without] == ["Sergei Lavrov", "Sergey Lavrov", "Vitali Klitschko"]
    found = people(*texts, aliases={"Sergei": "Sergey", "Kiev": "Kyiv"})
    assert [(p.name, p.role, p.passages) for p in found] == [
        ("Sergey Lavrov", "Russian Foreign Minister", ("a.1", "a.2")),
        ("Vitali Klitschko", "Kyiv mayor", ("a.3",)),
    ]


def test_keys_are_slugs_of_the_name_and_stable() -> None:
    texts = (*SEEDLIKE, "Democratic incumbent Marjorie Velázquez trailed.")
    first = people(*texts)
    assert [p.key for p in first] == [
        "hakan-fidan",
        "sergey-lavrov",
        "vladimir-putin",
        "marjorie-velazquez",
    ]
    assert people(*texts) == first
    assert {p.key for p in people(*reversed(texts))} == {p.key for p in first}


def test_nothing_in_nothing_out() -> None:
    assert find_people([]) == []
    assert people("", "   ", "no names here at all.") == []


# -- real data -------------------------------------------------------------------------------

SEED_PEOPLE = {
    "Hakan Fidan": "Turkish Foreign Minister",
    "Sergey Lavrov": "Russian Foreign Minister",
    "Vladimir Putin": "Russian President",
    "Vladimir Medinsky": "Presidential Aide",
    "Andrey Belousov": "Defense Minister",
    "Konstantin Kosachev": "Deputy Speaker of the Federation Council",
}


@pytest.mark.shared
def test_seed_story(seed: Path) -> None:
    found = find_people(passages(*seed_paragraphs(seed)))
    assert {p.name: p.role for p in found} == SEED_PEOPLE
    assert [p.name for p in found][:2] == ["Hakan Fidan", "Sergey Lavrov"]
    lavrov = next(p for p in found if p.key == "sergey-lavrov")
    assert len(lavrov.passages) >= 4  # "Lavrov and Fidan…" mentions are linked


# Measured by tests/bench/bench_people.py on the labelled articles: names 99.0% precise
# (100/101) and 96.2% recalled (100/104); roles exact for 99 of 100 matched names and
# compatible for all. Every labelled article was looked at while the rules were written, so
# these floors catch regressions; they do not promise as much on new text (the four labelled
# last scored 94.7% / 94.7% on first sight). They leave room for a change that trades a name.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.92
ROLE_EXACT_FLOOR = 0.93


@pytest.mark.shared
def test_labelled_articles_hold_their_scores() -> None:
    shared_path("corpus", "web-articles.jsonl")
    shared_path("seeds")
    scores = evaluate(SHARED)
    overall = totals(scores)
    assert overall.labels >= 100
    detail = {s.name: (s.missed, s.extra) for s in scores if s.missed or s.extra}
    assert overall.precision >= PRECISION_FLOOR, detail
    assert overall.recall >= RECALL_FLOOR, detail
    assert overall.role_exact >= ROLE_EXACT_FLOOR * overall.matched, detail
