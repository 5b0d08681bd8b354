"""Block elements split paragraphs and loose text is kept: pages and feed item bodies.

Text outside any block (before, between or after blocks, or between `<br>`s) is a paragraph
of its own, a block element starts a new paragraph, and no two blocks' words are glued
together. Script and style text is never kept."""

from __future__ import annotations

import dataclasses
import json

import pytest

from briefing.importing import Source, parse_source
from briefing.importing.feed import html_paragraphs, html_text, parse_feed
from briefing.importing.html import parse_html
from briefing.model import ParsedArticle

# -- pages ---------------------------------------------------------------------------------------

PAD = " This sentence pads the text so that the extractor takes it for article prose."


def page(body: str) -> str:
    """A page whose article is `body` after a few paragraphs of prose (enough for trafilatura
    to read the article as the page's main text)."""
    lead = "".join(f"<p>Paragraph {i} of the story.{PAD}</p>" for i in range(4))
    return (
        "<html><head><title>Page</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Story</h1>{lead}{body}</article>"
        "<footer>Copyright 2020 Example</footer></body></html>"
    )


def texts(article: ParsedArticle) -> list[str]:
    return [t.replace(PAD, "") for _, t in article.paragraphs]


def test_loose_page_text_before_between_and_after_blocks_is_kept() -> None:
    data = (
        "<html><head><title>Pg</title></head><body><article><h1>Pg head</h1>"
        "Loose lead text here about things.<p>Para one is here.</p>Tail loose text.<br>"
        "After br text.</article></body></html>"
    )
    assert parse_html(data).paragraphs == [
        ("Pg head", "Loose lead text here about things."),
        ("Pg head", "Para one is here."),
        ("Pg head", "Tail loose text."),
        ("Pg head", "After br text."),
    ]


def test_loose_text_of_a_section_and_before_inline_code_survives() -> None:
    # trafilatura alone drops "Section lead." and "Loose with".
    body = (
        f"<section>Section lead.{PAD}<p>Section para.{PAD}</p>Section tail.{PAD}</section>"
        f"Loose with <code>inline()</code> code.{PAD}<p>Last para.{PAD}</p>"
    )
    got = texts(parse_html(page(body)))
    assert got[-5:] == [
        "Section lead.",
        "Section para.",
        "Section tail.",
        "Loose with inline() code.",
        "Last para.",
    ]


def test_nested_divs_and_their_tails_on_a_page() -> None:
    body = f"<div>In div one.{PAD}<div>Nested div.{PAD}</div>Tail of nested.{PAD}</div>"
    got = texts(parse_html(page(body)))
    assert got[-3:] == ["In div one.", "Nested div.", "Tail of nested."]


def test_page_line_breaks_are_spaces_inside_a_paragraph() -> None:
    body = f"<p>Line one.{PAD}<br>Line two.{PAD}<br><br>Line three.{PAD}</p>"
    got = texts(parse_html(page(body)))
    assert got[-1].startswith("Line one. Line two.")  # never "…prose.Line two."
    assert "Line three." in got[-1]


def test_page_quote_of_paragraphs_and_nested_list_are_not_glued_or_repeated() -> None:
    body = (
        f"<blockquote><p>Quote one.{PAD}</p><p>Quote two.{PAD}</p></blockquote>"
        f"<ul><li>Item a.{PAD}<ul><li>Sub item b.{PAD}</li></ul></li><li>Item c.{PAD}</li></ul>"
    )
    got = texts(parse_html(page(body)))
    assert got[-5:] == ["Quote one.", "Quote two.", "Item a.", "Sub item b.", "Item c."]


def test_page_script_and_style_text_is_never_kept() -> None:
    body = (
        f"Loose before.{PAD}<script>var secret = 'SCRIPT TEXT';</script>"
        f"<style>.x {{ content: 'STYLE TEXT' }}</style>Loose after.{PAD}<p>Para.{PAD}</p>"
    )
    article = parse_html(page(body))
    text = " ".join(texts(article))
    assert "SCRIPT" not in text and "STYLE" not in text and "secret" not in text
    assert "Loose before." in text and "Loose after." in text


def test_loose_text_in_the_page_furniture_is_left_to_trafilatura() -> None:
    body = (
        "<header><div class='type'>NEWS<div class='date'>1 May 2024</div></div></header>"
        f"<p>Body para.{PAD}</p>"
    )
    assert "NEWS" not in texts(parse_html(page(body)))


# -- feed item bodies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Leading text of alpha item.<p>Second para.</p>",
            ["Leading text of alpha item.", "Second para."],
        ),
        (
            "Lead beta.<br>After br.<div>In div.</div>Tail text after div.",
            ["Lead beta.", "After br.", "In div.", "Tail text after div."],
        ),
        ("<p>One.</p>Between.<p>Two.</p>After.", ["One.", "Between.", "Two.", "After."]),
        # a run of <br>: a paragraph break; one <br> inside a paragraph: a space
        (
            "First line<br><br><br>Second line<br>Third line",
            ["First line", "Second line", "Third line"],
        ),
        ("<p>a<br>b<br><br>c</p>", ["a b", "c"]),
        # nested divs, with text tails at every level
        (
            "<div>x<div>y<div>z</div>w</div>v</div>",
            ["x", "y", "z", "w", "v"],
        ),
        ("<div><div><p>Deep.</p></div>tail one</div>tail two", ["Deep.", "tail one", "tail two"]),
        ("<ul><li>A<ul><li>B</li></ul></li><li>C</li></ul>", ["A", "B", "C"]),
        ("<blockquote><p>q1</p><p>q2</p></blockquote>", ["q1", "q2"]),
        ("<blockquote>q <i>i</i><br>line</blockquote>", ["q i line"]),
        ("<li>Item <p>nested</p></li>", ["Item nested"]),
        ("<table><tr><th>H1</th><td>a</td></tr></table>", ["H1", "a"]),
        ("Some <b>bold</b> and <a href='#'>link</a>.", ["Some bold and link."]),
        ("<p>one</p><p>two</p>", ["one", "two"]),
        ("a<!-- comment -->b<?pi x?>c", ["abc"]),
    ],
)
def test_html_paragraphs_keep_all_text_and_split_at_blocks(body: str, expected: list[str]) -> None:
    assert [t for _, t in html_paragraphs(body)] == expected


def test_html_paragraphs_never_keep_script_or_style() -> None:
    body = (
        "Lead.<script>alert('SCRIPT')</script><style>p{color:red}</style>Rest."
        "<div>In div<script>x()</script> still.</div><p>P<style>.a{}</style>.</p>"
    )
    assert html_paragraphs(body) == [("", "Lead.Rest."), ("", "In div still."), ("", "P.")]


def test_headings_head_loose_text_too() -> None:
    assert html_paragraphs("Intro<h2>Part</h2>loose<p>para</p>") == [
        ("", "Intro"),
        ("Part", "loose"),
        ("Part", "para"),
    ]
    assert html_paragraphs("<h1>Only</h1><h2>Heads</h2>") == [("", "Only Heads")]


def test_html_text_spaces_blocks_and_breaks() -> None:
    assert html_text("<b>A</b><br>B<p>C</p>D") == "A B C D"
    assert html_text("AT&amp;T <i>news</i>") == "AT&T news"


def test_deep_nesting_and_many_breaks_are_cheap() -> None:
    assert html_paragraphs("<div>x" * 50_000 + "</div>" * 50_000)[0] == ("", "x")
    assert len(html_paragraphs("a<br>" * 50_000)) == 50_000


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Feed</title>
<item><title>Alpha</title><link>https://e.example/a</link>
<description>Leading text of alpha item.&lt;p&gt;Second para.&lt;/p&gt;</description></item>
<item><title>Beta</title><link>https://e.example/b</link>
<description>Lead beta.&lt;br&gt;After br.&lt;div&gt;In div.&lt;/div&gt;Tail text after div.</description>
</item>
<item><title>Gamma</title><link>https://e.example/c</link>
<description><![CDATA[<div>Outer<div>Inner</div>outer tail</div>Line<br><br>next<script>SCRIPT</script>]]></description>
</item>
</channel></rss>
"""
RSS_EXPECTED = [
    ["Leading text of alpha item.", "Second para."],
    ["Lead beta.", "After br.", "In div.", "Tail text after div."],
    ["Outer", "Inner", "outer tail", "Line", "next"],
]


def bodies(items: list[object]) -> list[list[str]]:
    return [[t for _, t in item.paragraphs] for item in items]  # type: ignore[attr-defined]


def test_rss_item_descriptions_keep_loose_text() -> None:
    items = parse_source(Source("f.rss", data=RSS.encode()))
    assert bodies(items) == RSS_EXPECTED


def test_the_streaming_reader_and_feedparser_agree() -> None:
    data = RSS.encode()
    streamed = parse_source(Source("f.rss", data=data))
    expected = parse_feed(data, "f.rss")
    assert [dataclasses.asdict(a) for a in streamed] == [  # type: ignore[call-overload]
        dataclasses.asdict(a) for a in expected
    ]


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id>
<updated>2025-01-01T00:00:00Z</updated>
<entry><title>Html</title><id>urn:1</id><updated>2025-01-01T00:00:00Z</updated>
<content type="html">Lead text.&lt;h2&gt;Part&lt;/h2&gt;Loose.&lt;p&gt;Para.&lt;/p&gt;End.&lt;br&gt;Last.</content>
</entry>
<entry><title>Xhtml</title><id>urn:2</id><updated>2025-01-01T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X lead.<p>X para.</p>X tail.<div>X div.</div></div></content>
</entry>
</feed>
"""


def test_atom_content_keeps_loose_text() -> None:
    data = ATOM.encode()
    items = parse_source(Source("f.atom", data=data))
    assert [a.paragraphs for a in items] == [  # type: ignore[union-attr]
        [
            ("", "Lead text."),
            ("Part", "Loose."),
            ("Part", "Para."),
            ("Part", "End."),
            ("Part", "Last."),
        ],
        [("", "X lead."), ("", "X para."), ("", "X tail."), ("", "X div.")],
    ]
    assert [dataclasses.asdict(a) for a in items] == [  # type: ignore[call-overload]
        dataclasses.asdict(a) for a in parse_feed(data, "f.atom")
    ]


def test_json_feed_content_html_keeps_loose_text() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {
                "id": "1",
                "title": "One",
                "content_html": "Lead.<p>Para.</p>Tail.<br>After<div>Div<div>Nested</div></div>"
                "<style>STYLE</style>",
            }
        ],
    }
    [item] = parse_source(Source("f.json", data=json.dumps(doc).encode()))
    assert bodies([item]) == [["Lead.", "Para.", "Tail.", "After", "Div", "Nested"]]
