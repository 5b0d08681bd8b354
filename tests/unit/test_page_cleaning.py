"""Cleaner pages: boxes of labelled page metadata leave the passages, and the article's date
is the one the page states rather than one guessed from elsewhere on the page.

The fake pages below have the shape that made an imported page end in a dozen junk passages
("Date 10.06.2013", "Keywords …", "Permalink …", twice) and dated it from a teaser of another
article. The corpus tests check the same on real pages and that real prose stays.
"""

from __future__ import annotations

import json

import pytest
from lxml import html as lhtml

import briefing.importing.html as html_mod
from briefing.importing import Source, parse_source
from briefing.importing.html import (
    PageDates,
    PageFacts,
    choose_date,
    is_boilerplate,
    metadata_line,
    metadata_lines,
    page_dates,
    parse_html,
)
from briefing.importing.text import parse_written_date
from tests.conftest import shared_path

PROSE = (
    "The valley has grown grapes since Roman times, and its growers still climb the steep "
    "slate terraces by hand every autumn to bring in a harvest that machines cannot reach."
)
BOX = """<ul><li><strong>Date</strong> 10.06.2013</li><li><strong>Author</strong> Jane Roe</li>
<li>Related Subjects Wine Route , Sommelier</li><li>Keywords wine, vines, valley, red wine</li>
<li>Feedback: Send us an e-mail. Please include your name.</li><li>Print Print this page</li>
<li>Permalink https://example.org/p/18l3T</li></ul>"""
TEASER = """<div class="teaser"><h2>Sour grapes: climate change pushes vineyards north
<span class="date">01.08.2019</span></h2><p>Warming worries growers.</p></div>"""
DATE_NIGHT = "Date night in the valley means a glass of the local red, as every grower says."


def page(box: str = "", head: str = "", aside: str = "") -> str:
    paras = "".join(f"<p>{PROSE} Part {i}.</p>" for i in range(6))
    return f"""<!doctype html><html><head><title>Old vines</title>{head}</head>
<body><header><nav><a href="/">Home</a></nav></header>
<article><h1>Old vines</h1>{paras}<p>{DATE_NIGHT}</p>{box}</article>
<aside>{aside}</aside><footer><p>Imprint</p></footer></body></html>"""


# -- the metadata box ------------------------------------------------------------------------


def test_a_metadata_box_leaves_the_passages_and_prose_stays() -> None:
    article = parse_html(page(BOX + BOX, aside=TEASER), "old-vines.html")
    texts = [t for _, t in article.paragraphs]
    assert texts[-1] == DATE_NIGHT
    assert len(texts) == 7, texts
    for junk in ("Date 10", "Author ", "Related ", "Keywords ", "Feedback", "Print", "Permalink"):
        assert not any(t.startswith(junk) for t in texts), junk


def test_the_labelled_date_beats_a_teaser_date_and_names_the_author() -> None:
    article = parse_html(page(BOX, aside=TEASER), "old-vines.html")
    assert article.published == "2013-06-10"  # not 2019-08-01, the teaser's
    assert article.author == "Jane Roe"


@pytest.mark.parametrize(
    "line",
    [
        "Date 10.06.2013",
        "Datum: 25.01.2022",
        "Veröffentlicht am 16.08.2019",
        "Posted: Thursday, April 21, 2022. 10:11 pm CST.",
        "Last updated: 13 July 2020",
        "Author Julian Tompkin",
        "Autorin: Alys Arden",
        "Keywords wine, frühburgunder, Ahr, Ahr Valley, red wine",
        "Tags: Uncategorized",
        "Permalink https://p.example.com/p/18l3T",
        "Print Print this page",
    ],
)
def test_labelled_metadata_lines(line: str) -> None:
    assert metadata_line(line, PageFacts()) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Date night is back in fashion",
        "Date: to be announced",
        "Published on Monday, the report found that prices had doubled.",
        "Print media is in decline, but local papers hold on.",
        "Share prices fell 3% on Monday",
        "Keywords matter, says Smith",
        "Topics such as climate, migration and pensions dominated the debate.",
        "Author and activist Jane Doe",
        "By the end of the year, prices had doubled.",
        "Von Risiken und Nebenwirkungen",
        "Autor:innen",
        "Tag der Arbeit",
        "print(results)",
        '"Date 10.06.2013," she wrote in the margin.',
    ],
)
def test_prose_that_starts_like_a_label_stays(line: str) -> None:
    assert metadata_line(line, PageFacts(author="Jane Roe", tags=frozenset({"wine"}))) is None


def test_a_byline_goes_only_when_it_repeats_the_page_author() -> None:
    assert metadata_line("By Evan Symon", PageFacts(author="Evan Symon")) is not None
    assert metadata_line("By Evan Symon", PageFacts(author="Someone Else")) is None
    assert metadata_line("Related Subjects Berlin", PageFacts(tags=frozenset({"berlin"})))
    assert metadata_line("Related Subjects Berlin", PageFacts()) is None


def test_box_furniture_goes_with_the_box_but_a_repeated_table_stays() -> None:
    prose = PROSE + " The end."
    pars = [prose, "Date 10.06.2013", "Send us your feedback.", "Permalink https://a.example/p"]
    assert metadata_lines(pars, PageFacts())[0] == {1, 2, 3}
    shown_twice = [prose, "Email us", "Date 10.06.2013", "Email us", "Date 10.06.2013"]
    assert metadata_lines(shown_twice, PageFacts())[0] == {1, 2, 3, 4}
    table = [prose, "Date 10.06.2013", prose, "| Option | Value |", "x", "| Option | Value |"]
    assert metadata_lines(table, PageFacts())[0] == {1}


def test_a_video_player_label_is_boilerplate() -> None:
    assert is_boilerplate("Watch video 02:17")
    assert not is_boilerplate("Watch the video of the speech, which lasts 02:17 minutes.")


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("10.06.2013", "2013-06-10"),
        ("June 13, 2019", "2019-06-13"),
        ("26. Februar 2020, 12:30 Uhr.", "2020-02-26"),
        ("Thursday, April 21, 2022. 10:11 pm CST.", "2022-04-21"),
        ("2023-01-16T16:30:41-08:00", "2023-01-16"),
        ("13/01/2020", "2020-01-13"),
        ("03/01/2020", None),  # March or January: the page does not say which
        ("31.02.2020", None),
        ("in 2020", None),
    ],
)
def test_written_dates(text: str, iso: str | None) -> None:
    assert parse_written_date(text) == iso


def test_the_page_metadata_date_beats_a_guess() -> None:
    # A guess that no metadata states loses to the labelled line of the text ...
    assert choose_date("2019-08-01", PageDates(), "2013-06-10") == "2013-06-10"
    # ... but not when the metadata states it.
    assert choose_date("2020-01-06", PageDates(stated={"2020-01-06"}), "2013-06-10") == "2020-01-06"
    # The stated publication date wins over anything else ...
    published = PageDates(published=["2020-01-03"], stated={"2020-01-03", "2020-01-06"})
    assert choose_date("2020-01-06", published, None) == "2020-01-03"
    # ... and where the page gives it twice (local time and UTC), the guess picks between them.
    both = PageDates(published=["2023-01-16", "2023-01-17"])
    assert choose_date("2023-01-17", both, None) == "2023-01-17"
    assert choose_date(None, PageDates(), None) is None


def test_published_dates_in_local_time_come_first() -> None:
    head = """<meta property="article:published_time" content="2023-01-17T00:30:41Z">
<meta property="article:modified_time" content="2023-01-18T10:00:00Z">
<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",
"datePublished": "2023-01-16T16:30:41-08:00"}]}</script>"""
    dates = page_dates(lhtml.fromstring(page(head=head)))
    assert dates.published == ["2023-01-16", "2023-01-17"]
    assert "2023-01-18" in dates.stated


def test_the_stated_publication_date_beats_a_plain_date_meta() -> None:
    # trafilatura takes the plain `date` meta here, which the page sets to its last change.
    head = """<meta name="date" content="2020-01-06T09:22:36Z">
<meta property="article:published_time" content="2020-01-03T09:48:24Z">"""
    assert parse_html(page(head=head, aside=TEASER), "x.html").published == "2020-01-03"


def test_hostile_json_ld_nesting_is_ignored() -> None:
    head = '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    assert parse_html(page(head=head), "x.html").paragraphs


# -- plain text flashes ----------------------------------------------------------------------


def test_a_one_paragraph_flash_with_a_long_first_sentence() -> None:
    first = (
        "BERLIN (dpa) - The federal government on Tuesday approved a sweeping package of "
        "measures meant to cut emissions from buildings and transport by the end of the decade"
    )
    text = f"{first}, officials said. More details were not immediately available.\n"
    [a] = parse_source(Source("-", data=text.encode()))
    assert a.paragraphs == [("", text.strip())]  # type: ignore[union-attr]
    title = a.title  # type: ignore[union-attr]
    assert title.endswith("…") and len(title) <= 120 and first.startswith(title[:-1])


def test_a_flash_under_its_headline_line() -> None:
    text = "Quake hits the capital\nRescue teams are on their way, officials said.\n"
    [a] = parse_source(Source("-", data=text.encode()))
    assert a.title == "Quake hits the capital"  # type: ignore[union-attr]
    rest = "Rescue teams are on their way, officials said."
    assert a.paragraphs == [("", rest)]  # type: ignore[union-attr]


# -- the real pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "date", "last"),
    [
        ("dw.com.uncork.html", "2013-06-10", "I most certainly have."),
        ("dw.com.colonial.html", "2020-01-19", "a period of intense imperialist activity."),
    ],
)
def test_real_metadata_boxes_are_gone_and_the_page_date_is_used(
    name: str, date: str, last: str
) -> None:
    article = parse_html(shared_path("corpus", "html", name).read_bytes(), name)
    texts = [t for _, t in article.paragraphs]
    assert article.published == date
    for junk in ("Permalink", "Print this page", "Keywords ", "Date ", "Send us", "Watch video"):
        assert not any(junk in t for t in texts), junk
    assert texts[-1].endswith(last)


def test_the_rules_drop_no_expected_phrase_of_the_real_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = shared_path("corpus", "html")
    expectations = json.loads((folder / "expectations.json").read_text())
    seen: list[list[str]] = []

    def keep_all(paragraphs, facts):  # type: ignore[no-untyped-def]
        seen.append([t for _, t in paragraphs])
        return paragraphs, html_mod.Labelled()

    monkeypatch.setattr(html_mod, "_drop_metadata", keep_all)
    for name, exp in expectations.items():
        seen.clear()
        parse_html((folder / name).read_bytes(), name, exp.get("url"))
        [pars] = seen
        dropped = [pars[i] for i in metadata_lines(pars, PageFacts())[0]]
        assert not [p for p in exp["with"] if any(p in d for d in dropped)], name


def test_the_rules_drop_few_lines_of_real_articles() -> None:
    path = shared_path("corpus", "web-articles.jsonl")
    total, dropped = 0, []
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        pars = [p.strip() for p in row["text"].split("\n") if p.strip()]
        total += len(pars)
        drop, _ = metadata_lines(pars, PageFacts(author=row.get("author") or ""))
        dropped += [pars[i] for i in drop]
    assert total > 20_000
    assert len(dropped) <= 50, dropped  # 33 labelled lines today, none of them prose
    assert all(len(d) <= 120 for d in dropped), dropped
