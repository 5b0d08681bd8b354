"""The compiled brief: golden Markdown for both copies, one document order, the Markdown
subset of notes and summaries, determinism, and no structure injection."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing import demo
from briefing.briefs import create_brief, view
from briefing.editing import set_summary
from briefing.errors import UsageError
from briefing.exporting.markdown import (
    escape,
    length_line,
    prose_words,
    render_subset,
    to_markdown,
)
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Brief, Note, PassageState
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden"
DATE = dt.date(2026, 11, 27)
BRIEF = "russia-turkey"

SUMMARY = (
    "Grain and energy lead; a ceasefire is not in sight.\n"
    "Ankara wants to keep its mediator role.\n"
    "\n"
    "- Grain: the corridor holds, *insurance* is the open question\n"
    "- Energy: see [the ministry](https://example.com/energy)\n"
    "* Trade: **up a fifth**"
)
WORKING = "Ask about *insurance*\n# for ships\nand the ports"
COMMENT = "The minister may raise this.\n1. grain\n2. fertiliser"


def wire_book(book: Book) -> str:
    """The wire story in the russia-turkey brief with everything a brief can carry: details,
    a multi-line bulleted summary, key points, tags, a working note, a comment of this
    brief and a comment of another brief (which must never print here)."""
    r = import_sources(
        book, [Source("wire.txt", path=DATA / "wire.txt")], brief_id=BRIEF, today=DATE
    )
    aid = r.added[0].id
    book.put_state(
        PassageState(
            f"{aid}.3",
            tags=["grain", "black-sea"],
            key_point=True,
            notes=[
                Note("n1", WORKING, "2026-11-20T10:00:00Z", "analyst", "grain corridor"),
                Note(
                    "n3", "OTHER-BRIEF COMMENT", "2026-11-21T10:00:00Z", "ana", "", "comment", "x"
                ),
            ],
        )
    )
    book.put_state(
        PassageState(
            f"{aid}.2",
            key_point=True,
            notes=[Note("n2", COMMENT, "2026-11-22T09:00:00Z", "head", "", "comment", BRIEF)],
        )
    )
    set_summary(book, BRIEF, SUMMARY)

    def details(b: Brief) -> None:
        b.details.update(
            meeting="Talks in Vienna, 28 November 2026",
            purpose="Brief the minister before the talks",
            drafter="A. Analyst",
            clearance="Head of desk",
        )

    book.update_brief(BRIEF, details)
    return aid


def demo_book(book: Book) -> str:
    """The demo brief exactly as a newcomer gets it (`add_demo`), with the import date fixed:
    the article's date line has no year, so the year is inferred from the day of import."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo, "import_sources", functools.partial(import_sources, today=DATE))
        return demo.add_demo(book)


GOLDENS: list[tuple[str, Callable[[Book], str], str, str]] = [
    ("wire-brief.md", wire_book, BRIEF, "principal"),
    ("wire-brief-desk.md", wire_book, BRIEF, "desk"),
    ("demo-principal.md", demo_book, demo.DEMO_BRIEF, "principal"),
    ("demo-desk.md", demo_book, demo.DEMO_BRIEF, "desk"),
]


@pytest.mark.parametrize(("name", "build", "brief_id", "copy"), GOLDENS)
def test_golden_markdown(
    book: Book, name: str, build: Callable[[Book], str], brief_id: str, copy: str
) -> None:
    build(book)
    out = to_markdown(view(book, brief_id), DATE, copy=copy)
    golden = GOLDEN / name
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out)
    assert out == golden.read_text()


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_export_is_deterministic(book: Book, copy: str) -> None:
    wire_book(book)
    a = to_markdown(view(book, BRIEF), DATE, copy=copy)
    b = to_markdown(view(Book(book.path), BRIEF), DATE, copy=copy)
    assert a == b


def test_principal_is_the_default_copy(book: Book) -> None:
    wire_book(book)
    v = view(book, BRIEF)
    assert to_markdown(v, DATE) == to_markdown(v, DATE, copy="principal")
    with pytest.raises(UsageError, match="principal or desk"):
        to_markdown(v, DATE, copy="draft")


def test_desk_only_content_is_in_the_desk_copy_only(book: Book) -> None:
    aid = wire_book(book)
    v = view(book, BRIEF)
    principal = to_markdown(v, DATE, copy="principal")
    desk = to_markdown(v, DATE, copy="desk")
    desk_only = [
        "Working note",
        "Ask about",  # the working note's text
        "Tags: grain, black-sea",
        f"{aid}.3",  # passage ids
        f"{aid}.2",
        "analyst",  # authors
        "(head, 2026-11-22)",
        "Desk copy",
    ]
    for text in desk_only:
        assert text in desk, text
        assert text not in principal, text
    assert "copy: principal" in principal and "copy: desk" in desk


def test_comments_print_in_both_copies_under_their_passage(book: Book) -> None:
    wire_book(book)
    v = view(book, BRIEF)
    for copy in ("principal", "desk"):
        out = to_markdown(v, DATE, copy=copy)
        overview = out.index("## Overview")
        passage = out.index("**Key point:** Both sides called", overview)
        comment = out.index("> **Comment", overview)
        assert passage < comment < out.index("The foreign ministers of", overview), copy
        assert out.count("The minister may raise this.") == 1, copy
        # A comment written in another brief belongs to that brief.
        assert "OTHER-BRIEF COMMENT" not in out, copy


def test_note_and_summary_keep_their_lines_and_lists(book: Book) -> None:
    wire_book(book)
    md = MarkdownIt("commonmark")
    for copy in ("principal", "desk"):
        html = md.render(to_markdown(v := view(book, BRIEF), DATE, copy=copy))
        assert v
        # Two summary lines stay two lines; the summary's bullets are a list, not "\-".
        assert "sight.<br />\nAnkara wants" in html
        assert "<li>Grain: the corridor holds, <em>insurance</em> is the open question</li>" in (
            html
        )
        assert '<a href="https://example.com/energy">the ministry</a>' in html
        assert "<li>Trade: <strong>up a fifth</strong></li>" in html
        # The comment's numbered list is a list inside the quote.
        assert "<li>grain</li>\n<li>fertiliser</li>" in html
    desk = md.render(to_markdown(view(book, BRIEF), DATE, copy="desk"))
    # A three-line working note prints on three lines, its heading escaped.
    assert "Ask about <em>insurance</em><br />\n# for ships<br />\nand the ports" in desk


def test_one_order_for_the_whole_document(book: Book) -> None:
    wire_book(book)
    for copy in ("principal", "desk"):
        out = to_markdown(view(book, BRIEF), DATE, copy=copy)
        body = out.split("---\n", 2)[2]
        marks = [
            body.index("**TLP:AMBER**"),
            body.index("# Russia"),
            body.index("*Background for the talks*"),
            body.index("**Meeting:** Talks in Vienna"),
            body.index("Compiled 2026-11-27"),
            body.index("## Summary"),
            body.index("## Key points"),
            body.index("## Contents"),
            body.index("## Overview"),
            body.index("## Focus on Ukraine"),
            body.index("## Bilateral Agenda"),
            body.index("## Sources"),
            body.rindex("**TLP:AMBER**"),
        ]
        assert marks == sorted(marks), copy
        assert body.count("**TLP:AMBER**") == 2
        assert body.rstrip().endswith("**TLP:AMBER**")


def test_key_points_come_first_and_sections_in_template_order(book: Book) -> None:
    wire_book(book)
    out = to_markdown(view(book, BRIEF), DATE)
    overview = out.index("## Overview")
    assert out.index("**Key point:** Both sides", overview) < out.index(
        "The foreign ministers of", overview
    )
    assert "## Regional Issues" not in out.split("## Contents")[1]  # empty sections left out


def test_key_points_list_gives_section_and_source(book: Book) -> None:
    wire_book(book)
    out = to_markdown(view(book, BRIEF), DATE)
    block = out.split("## Key points\n\n")[1].split("\n\n")[0].splitlines()
    assert block == [
        "- **Overview:** Both sides called the meeting constructive and agreed to meet again "
        "before the summer. \\[1\\]",
        "- **Focus on Ukraine:** The ministers discussed the grain corridor through the Black "
        "Sea and the prospects for a ceasefire in Ukraine. \\[1\\]",
    ]


def test_header_block_has_details_and_length_in_both_copies(book: Book) -> None:
    wire_book(book)
    v = view(book, BRIEF)
    words = prose_words(v)
    for copy in ("principal", "desk"):
        out = to_markdown(v, DATE, copy=copy)
        assert "**Meeting:** Talks in Vienna, 28 November 2026\\\n" in out
        assert "**Purpose:** Brief the minister before the talks\\\n" in out
        assert "**Drafter:** A. Analyst\\\n" in out
        assert "**Clearance:** Head of desk\n" in out
        assert "**Contact:**" not in out  # not set: not shown
        assert f"\n{length_line(words)}\n" in out
        assert f"words: {words}\n" in out


def test_length_counts_the_principal_prose(book: Book) -> None:
    wire_book(book)
    v = view(book, BRIEF)
    summary = sum(len(line.split()) - line.startswith(("- ", "* ")) for line in SUMMARY.split("\n"))
    assert summary == 34
    passages = [i for i in v.items()]
    text = sum(len(i.passage.text.split()) * (2 if i.state.key_point else 1) for i in passages)
    comment = len(COMMENT.split())
    assert prose_words(v) == summary + text + comment  # no working note, no other brief's


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (0, "0 words · under half a page"),
        (1, "1 word · under half a page"),
        (124, "124 words · under half a page"),
        (125, "125 words · about ½ page"),
        (500, "500 words · about 1 page"),
        (749, "749 words · about 1½ pages"),
        (1240, "1,240 words · about 2½ pages"),
        (1000, "1,000 words · about 2 pages"),
    ],
)
def test_length_line(words: int, line: str) -> None:
    assert length_line(words) == line


def test_no_sources_section_without_sources(book: Book) -> None:
    create_brief(book, BRIEF)
    for copy in ("principal", "desk"):
        out = to_markdown(view(book, BRIEF), DATE, copy=copy)
        assert "Sources" not in out.split("---\n", 2)[2]
        assert "## Contents" not in out and "## Key points" not in out


# -- the Markdown subset of notes and summaries ----------------------------------------------


def parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


SUBSET_BLOCKS = {
    "paragraph_open",
    "paragraph_close",
    "inline",
    "bullet_list_open",
    "bullet_list_close",
    "ordered_list_open",
    "ordered_list_close",
    "list_item_open",
    "list_item_close",
}
SUBSET_INLINE = {
    "text",
    "softbreak",
    "hardbreak",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
    "link_open",
    "link_close",
}


def assert_subset_only(text: str) -> list[Token]:
    tokens = parse("\n".join(render_subset(text)))
    assert {t.type for t in tokens} <= SUBSET_BLOCKS, (text, render_subset(text))
    inline = [c for t in tokens if t.children for c in t.children]
    assert {c.type for c in inline} <= SUBSET_INLINE, (text, render_subset(text))
    for c in inline:
        if c.type == "link_open":
            assert str(c.attrs["href"]).startswith(("http://", "https://")), text
    return tokens


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("one\ntwo\nthree", ["one\\", "two\\", "three"]),
        ("one\n\ntwo", ["one", "", "two"]),
        ("- a\n* b", ["- a", "- b"]),
        ("intro\n- a\n- b\nafter", ["intro", "", "- a", "- b", "", "after"]),
        ("1. a\n2. b", ["1. a", "2. b"]),
        ("3. c", ["3. c"]),
        ("*em* _em_ **strong**", ["*em* _em_ **strong**"]),
        ("[site](https://e.example/a?b=1)", ["[site](https://e.example/a?b=1)"]),
        ("[x](javascript:alert(1))", ["\\[x\\](javascript:alert(1))"]),
        ("[x](http://e.example/a b)", ["\\[x\\](http://e.example/a b)"]),
        ("a*b*c", ["a\\*b\\*c"]),  # no intraword emphasis: pandoc and CommonMark differ
        ("*a**b*", ["\\*a\\*\\*b\\*"]),  # adjacent delimiters would pair differently
        ("a * not em *", ["a \\* not em \\*"]),
        ("* not em *", ["- not em \\*"]),  # a bullet
        ("- ", ["\\-"]),
        ("- - nested", ["- \\- nested"]),
        ("# h\n> q\n---\n===", ["\\# h\\", "\\> q\\", "\\---\\", "\\==="]),
        ("2) x", ["2\\) x"]),
        ("    code", ["code"]),
        ("<b>x</b> &amp; `c` x^2^ [^1]", ["\\<b\\>x\\</b\\> \\&amp; \\`c\\` x\\^2\\^ \\[\\^1\\]"]),
        ("- [ ] task", ["- \\[ \\] task"]),
        ("", []),
        ("\n \n", []),
    ],
)
def test_render_subset(text: str, lines: list[str]) -> None:
    assert render_subset(text) == lines
    assert_subset_only(text)


def test_render_subset_is_what_it_claims() -> None:
    tokens = assert_subset_only("Top *a* and **b**\n\n- one [l](https://e.example)\n1. two")
    types = [t.type for t in tokens]
    assert types.count("bullet_list_open") == 1 and types.count("ordered_list_open") == 1
    inline = {c.type for t in tokens if t.children for c in t.children}
    assert {"em_open", "strong_open", "link_open"} <= inline


HOSTILE = [
    "# heading",
    "## heading",
    "> quote",
    "---",
    "***",
    "___",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "<script>alert(1)</script>",
    "<div>html</div>",
    "text <b>bold</b> &amp; &copy;",
    "[link](http://e.example) and ![img](x.png)",
    "[^1]: fake footnote",
    "[1]: http://e.example",
    "`code` and ``` fence",
    "    indented code",
    "Setext\n===",
    "| a | b |\n|---|---|",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07",
    "=== not a heading",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_subset_renders_hostile_text_within_the_subset(text: str) -> None:
    tokens = assert_subset_only(text)
    assert "\x1b" not in "\n".join(render_subset(text))
    headings = [t for t in tokens if t.type == "heading_open"]
    assert not headings


PIECES = [*"ab *_-[]()#>1.2:/\n\\`<!|", "http://e.x", "**", "](", "- ", "1. "]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_subset_never_leaves_the_subset(text: str) -> None:
    assert_subset_only(text)


EMPHASIS_PIECES = [*"ab *_-.,()!\n", "_a_", "*b*", "**s**", " x", "é", "1. ", "* ", "- "]


@given(st.lists(st.sampled_from([*EMPHASIS_PIECES, "[l](http://e.x/*_)"]), max_size=30))
@settings(max_examples=400, deadline=None)
def test_every_emphasis_written_is_emphasis_rendered(pieces: list[str]) -> None:
    """Each `*`/`_`/`**` left unescaped is half of a pair that CommonMark reads as emphasis:
    none is left over as a literal star, none pairs with another than intended."""
    out = "\n".join(render_subset("".join(pieces)))
    bare = re.sub(r"\\.", "\x00", out)  # escaped characters are not delimiters
    bare = re.sub(r"\]\([^)]*\)", "]", bare)  # nor is a link's destination
    bare = re.sub(r"^(- |\d+\. )", "", bare, flags=re.MULTILINE)
    strong = bare.count("**")
    single = bare.replace("**", "").count("*") + bare.count("_")
    inline = [c.type for t in parse(out) if t.children for c in t.children]
    assert inline.count("strong_open") * 2 == strong, out
    assert inline.count("em_open") * 2 == single, out


@pytest.mark.parametrize(
    "unit", ["[", "[a](", "[a](http://x", "*a", "**a ", "_a", "a*", "[a]", "](", "*_"]
)
def test_subset_is_linear_on_unclosed_delimiters(unit: str) -> None:
    text = unit * (200_000 // len(unit))
    start = time.perf_counter()
    render_subset(text)
    assert time.perf_counter() - start < 2.0


# -- article text stays fully escaped --------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_blocks_every_structure(text: str) -> None:
    tokens = parse(escape(text))
    types = {t.type for t in tokens}
    assert types <= {"paragraph_open", "inline", "paragraph_close"}, (text, escape(text), types)
    inline = {c.type for t in tokens if t.children for c in t.children}
    assert inline <= {"text", "softbreak"}, (text, escape(text), inline)
    assert "\x1b" not in escape(text)


def test_whole_export_of_hostile_article_has_only_our_structure(book: Book) -> None:
    body = "\n\n".join(h.replace("\n", " ") for h in HOSTILE)
    src = Source("hostile", data=f"Hostile # Title <b>\n\n1 May 2025\n\n{body}\n".encode())
    r = import_sources(book, [src], brief_id=BRIEF)
    aid = r.added[0].id
    hostile_note = "\n".join(HOSTILE)
    book.put_state(
        PassageState(
            f"{aid}.1",
            tags=["# tag", "<b>"],
            key_point=True,
            notes=[
                Note("h1", hostile_note, "2026-11-20T10:00:00Z", "<b>who</b>", "# quote"),
                Note("h2", hostile_note, "2026-11-20T10:00:00Z", "x", "", "comment", BRIEF),
            ],
        )
    )
    set_summary(book, BRIEF, hostile_note)
    for copy in ("principal", "desk"):
        out = to_markdown(view(book, BRIEF), DATE, copy=copy)
        tokens = parse(out.split("---\n", 2)[2])
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[0].startswith("Russia")
        assert set(headings[1:]) <= {
            "Summary",
            "Key points",
            "Contents",
            "Overview",
            "Focus on Ukraine",
            "Regional Issues",
            "Bilateral Agenda",
            "Sources",
        }
        assert not any(t.type in ("hr", "html_block", "code_block", "fence") for t in tokens)
        assert all(c.type != "html_inline" for t in tokens if t.children for c in t.children)
        # Lists only where the document makes them: the summary (the subset allows lists),
        # the key points, the contents, the sources, and inside a note's quote. In a section
        # outside a quote, article text is only ever a paragraph.
        heading, depth = "", 0
        for i, t in enumerate(tokens):
            if t.type == "heading_open":
                heading = tokens[i + 1].content
            depth += {"blockquote_open": 1, "blockquote_close": -1}.get(t.type, 0)
            if t.type in ("bullet_list_open", "ordered_list_open") and depth == 0:
                allowed = {
                    "bullet_list_open": {"Summary", "Key points", "Contents"},
                    "ordered_list_open": {"Summary", "Sources"},
                }[t.type]
                assert heading in allowed, (copy, t.type, heading)
        assert "+ item" in "".join(t.content for t in tokens if t.type == "inline")
        assert "\x1b" not in out
