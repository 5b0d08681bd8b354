"""Written items in the compiled brief: the desk's own text (objectives, points to make, a
press line) rendered in the Markdown subset, never cited, never a source; key-pointed,
annotated and shown in each copy like passages.

The view is built by hand (written `Item`s put into a real visit brief's sections), so these
tests pin the exporter alone, whatever the store does to keep written items.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.briefs import BriefView, Item, create_brief, view
from briefing.exporting.markdown import prose_words, to_markdown
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Note, Passage, PassageState
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden"
DATE = dt.date(2026, 11, 27)
BRIEF = "ankara-visit"

ARTICLE = (
    b"Ankara and Vienna Mark Fifty Years of Relations\n\n2 March 2026\n\n"
    b"Relations between the two capitals have grown steadily since the ministers last met "
    b"in Vienna in 2024.\n"
)
OBJECTIVES = (
    "- Agree a date for the *joint commission*\n"
    "- Secure support for the grain corridor\n"
    "- Raise the **consular** cases"
)
POINT = "We welcome Turkey's role in the grain talks."
KEY_POINT = (
    "We urge an early meeting of the joint commission.\n"
    "See [the ministry's note](https://example.com/note)."
)
PRESS = "A constructive visit; the ministers agreed to meet again in spring."
WORKING = "Check the *date* with protocol"
COMMENT = "The minister may open with this."


def written(wid: str, text: str, section: str, position: int, key_point: bool = False) -> Item:
    """A written item as a view holds it: a passage with no article."""
    return Item(
        Passage(wid, "", 0, text), None, PassageState(wid, key_point=key_point), section, position
    )


def add_written(v: BriefView, section: str, *items: Item) -> None:
    sv = next(s for s in v.sections if s.section.id == section)
    sv.items.extend(items)


def visit_view(book: Book) -> BriefView:
    """The golden visit brief: written Objectives (one bulleted item), Points to make (two
    items, the second a key point), Press line (one item), and one filed passage with a
    working note and a comment."""
    create_brief(book, "visit", "Ankara visit")
    r = import_sources(book, [Source("ankara.txt", data=ARTICLE)], brief_id=BRIEF, today=DATE)
    pid = f"{r.added[0].id}.1"
    book.put_state(
        PassageState(
            pid,
            notes=[
                Note("n1", WORKING, "2026-11-20T10:00:00Z", "analyst"),
                Note("n2", COMMENT, "2026-11-21T09:00:00Z", "head", "", "comment", BRIEF),
            ],
        )
    )
    v = view(book, BRIEF)
    assert [i.passage.id for s in v.sections if s.section.id == "background" for i in s.items] == [
        pid
    ]
    add_written(v, "objectives", written("w1a2b3c4d", OBJECTIVES, "objectives", 0))
    add_written(
        v,
        "points",
        written("w2b3c4d5e", POINT, "points", 0),
        written("w3c4d5e6f", KEY_POINT, "points", 1, key_point=True),
    )
    add_written(v, "press", written("w4d5e6f70", PRESS, "press", 0))
    return v


def body(markdown: str) -> str:
    """The document without its YAML front matter."""
    return markdown.split("---\n", 2)[2]


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(body(markdown))


def section_tokens(tokens: list[Token], title: str) -> list[Token]:
    """The tokens between `## title` and the next `##`."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2" and tokens[i + 1].content == title
    )
    end = next(
        (i for i in range(start + 3, len(tokens)) if tokens[i].type == "heading_open"),
        len(tokens),
    )
    return tokens[start + 3 : end]


@pytest.mark.parametrize(
    ("name", "copy"),
    [("visit-written.md", "principal"), ("visit-written-desk.md", "desk")],
)
def test_golden_written_markdown(book: Book, name: str, copy: str) -> None:
    out = to_markdown(visit_view(book), DATE, copy=copy)
    golden = GOLDEN / name
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_written_items_are_never_cited_nor_sources(book: Book, copy: str) -> None:
    out = to_markdown(visit_view(book), DATE, copy=copy)
    tokens = parse(out)
    sources = section_tokens(tokens, "Sources")
    assert sum(1 for t in sources if t.type == "list_item_open") == 1
    assert "Fifty Years of Relations" in "".join(t.content for t in sources)
    # One citation mark in the whole document: the filed passage's.
    assert body(out).count("\\[") == 1
    for title in ("Objectives", "Points to make", "Press line"):
        text = "".join(t.content for t in section_tokens(tokens, title))
        assert "[" not in text.replace("[the ministry's note]", ""), (title, text)
    assert "passages: 1\nwritten_items: 4\n" in out
    assert "1 source, 1 passage, 4 written items" in out


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_written_bullets_are_a_real_list(book: Book, copy: str) -> None:
    out = to_markdown(visit_view(book), DATE, copy=copy)
    html = MarkdownIt("commonmark").render(body(out))
    assert (
        "<ul>\n<li>Agree a date for the <em>joint commission</em></li>\n"
        "<li>Secure support for the grain corridor</li>\n"
        "<li>Raise the <strong>consular</strong> cases</li>\n</ul>"
    ) in html
    assert '<a href="https://example.com/note">the ministry’s note</a>' in html or (
        '<a href="https://example.com/note">the ministry\'s note</a>' in html
    )
    # The key point's two lines stay two lines.
    assert "joint commission.<br />\nSee <a" in html


def test_written_key_point_in_the_key_points_block(book: Book) -> None:
    out = to_markdown(visit_view(book), DATE)
    tokens = parse(out)
    block = section_tokens(tokens, "Key points")
    items = [t.content for t in block if t.type == "inline"]
    assert items == [
        "**Points to make:** We urge an early meeting of the joint commission.\\\n"
        "See [the ministry's note](https://example.com/note)."
    ]
    # In its section it comes first, marked, and without a source number.
    points = body(out).split("## Points to make\n", 1)[1]
    assert points.startswith("\n**Key point:** We urge an early meeting")
    assert points.index("We urge") < points.index("We welcome")


def test_desk_copy_shows_written_ids_like_passage_ids(book: Book) -> None:
    v = visit_view(book)
    principal = to_markdown(v, DATE, copy="principal")
    desk = to_markdown(v, DATE, copy="desk")
    for wid in ("w1a2b3c4d", "w2b3c4d5e", "w3c4d5e6f", "w4d5e6f70"):
        assert f"*{wid}*" in desk, wid
        assert wid not in principal, wid
    # After a paragraph, on its last line (a hard break); after a list, its own paragraph
    # (on the list's last line it would belong to the last bullet).
    assert f"{PRESS}\\\n*w4d5e6f70*\n" in desk
    assert "- Raise the **consular** cases\n\n*w1a2b3c4d*\n" in desk
    tokens = parse(desk)
    objectives = section_tokens(tokens, "Objectives")
    assert [t.type for t in objectives][-3:] == [
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]


def test_notes_on_written_items_follow_the_copy_rules(book: Book) -> None:
    v = visit_view(book)
    press = next(i for i in v.items() if i.passage.id == "w4d5e6f70")
    press.state.notes = [
        Note("n3", "Protocol has not confirmed", "2026-11-22T08:00:00Z", "analyst"),
        Note(
            "n4", "Say *no more* than this.", "2026-11-22T08:30:00Z", "head", "", "comment", BRIEF
        ),
        Note("n5", "OTHER BRIEF", "2026-11-22T08:30:00Z", "head", "", "comment", "other"),
    ]
    principal = to_markdown(v, DATE, copy="principal")
    desk = to_markdown(v, DATE, copy="desk")
    assert "Protocol has not confirmed" in desk and "Protocol has not confirmed" not in principal
    for out in (principal, desk):
        press_section = body(out).split("## Press line\n", 1)[1]
        assert press_section.index(PRESS) < press_section.index("> Say *no more* than this.")
        assert "OTHER BRIEF" not in out
    # The filed passage's notes, as before: the working note in the desk copy only.
    assert "Check the *date* with protocol" in desk
    assert "Check the *date*" not in principal
    assert principal.count(COMMENT) == desk.count(COMMENT) == 1


def test_an_empty_written_section_is_omitted(book: Book) -> None:
    v = visit_view(book)
    for s in v.sections:
        if s.section.id == "press":
            s.items.clear()
    out = to_markdown(v, DATE, copy="desk")
    assert "## Press line" not in out and "(#press-line)" not in out
    assert "Press line: empty" in out  # the desk copy's status list names it
    assert "## Objectives" in out and "- [Objectives](#objectives)" in out
    assert "sections: 3\n" in out


def test_written_words_count_toward_the_length(book: Book) -> None:
    v = visit_view(book)
    without = prose_words(view(book, BRIEF))
    # 3 bullets (7 + 6 + 4 words), 8 + 13 (twice: a key point), 11; the `-` are not words.
    assert prose_words(v) == without + 17 + 8 + 2 * 13 + 11


def test_adjacent_written_lists_stay_apart(book: Book) -> None:
    """Two written lists one after the other would be one list in CommonMark: the second is
    written with the other marker."""
    v = visit_view(book)
    add_written(
        v,
        "objectives",
        written("w5e6f7081", "- fourth\n- fifth", "objectives", 1),
        written("w6f708192", "1. first\n2. second", "objectives", 2),
        written("w708192a3", "1. again\n2. twice", "objectives", 3),
    )
    out = to_markdown(v, DATE)
    objectives = section_tokens(parse(out), "Objectives")
    lists = [t.type for t in objectives if t.type.endswith("list_open")]
    bullets, numbers = ["bullet_list_open"] * 2, ["ordered_list_open"] * 2
    assert lists == [*bullets, *numbers]
    assert "* fourth\n* fifth\n\n1. first\n2. second\n\n1) again\n2) twice\n" in out
    for copy in ("principal", "desk"):
        tokens = parse(to_markdown(v, DATE, copy=copy))
        items = [t for t in section_tokens(tokens, "Objectives") if t.type == "list_item_open"]
        assert len(items) == 3 + 2 + 2 + 2, copy


def test_a_written_key_point_that_is_a_list_stays_in_its_key_point(book: Book) -> None:
    v = visit_view(book)
    v.sections[0].items[0].state.key_point = True  # the bulleted objectives
    out = to_markdown(v, DATE)
    assert "- **Objectives:**\n\n  - Agree a date" in out
    tokens = section_tokens(parse(out), "Key points")
    # One outer list of two key points; the objectives' bullets nested in the first.
    assert [t.level for t in tokens if t.type == "bullet_list_open"] == [0, 2]
    assert sum(1 for t in tokens if t.type == "list_item_open" and t.level == 1) == 2
    objectives = body(out).split("## Objectives\n", 1)[1]
    assert objectives.startswith("\n**Key point:**\n\n- Agree a date")


HOSTILE = (
    "# not a heading\n"
    "<script>alert(1)</script>\n"
    "[x](javascript:alert(1))\n"
    "> not a quote\n"
    "---\n"
    "    not code\n"
    "[^1]: not a footnote\n"
    "- a bullet with <b>html</b> and [y](javascript:alert(2))"
)


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_hostile_written_text_stays_inert(book: Book, copy: str) -> None:
    v = visit_view(book)
    add_written(v, "press", written("w8192a3b4", HOSTILE, "press", 1, key_point=True))
    out = to_markdown(v, DATE, copy=copy)
    tokens = parse(out)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Ankara visit",
        "Key points",
        "Contents",
        "Objectives",
        "Points to make",
        "Background",
        "Press line",
        "Sources",
    ]
    assert not any(t.type in ("hr", "html_block", "code_block", "fence") for t in tokens)
    assert not any(t.type == "blockquote_open" for t in section_tokens(tokens, "Key points"))
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type == "html_inline"]
    hrefs = [str(c.attrs["href"]) for c in inline if c.type == "link_open"]
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs
    text = "".join(c.content for c in inline if c.type == "text")
    for shown in ("# not a heading", "<script>alert(1)</script>", "[x](javascript:alert(1))"):
        assert shown in text, shown
    html = MarkdownIt("commonmark").render(body(out))
    assert "<script>" not in html and 'href="javascript' not in html
