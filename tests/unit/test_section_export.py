"""Sections in the compiled brief: their own notes (comments in both copies, working notes in
the desk copy), their status (listed in the desk copy only), and which of them print.

The brief is built by hand: the wire story filed into a russia-turkey brief, then the
section summary, notes and statuses set by editing the stored `Brief`, so these tests pin
the exporter whatever operations the front ends use to make those edits.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.briefs import create_brief, view
from briefing.exporting.markdown import (
    prose_words,
    section_has_content,
    section_status,
    to_markdown,
    unready_sections,
)
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Brief, Note, Section
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden"
DATE = dt.date(2026, 11, 27)
BRIEF = "russia-turkey"

UKRAINE_SUMMARY = "The corridor is the minister's first topic.\nA ceasefire is *not* in sight."
COMMENT = "No new passages yet: the minister may ask about the **Caucasus**.\n- Armenia\n- Syria"
WORKING = "Ask the regional desk for a paragraph\n# before Friday"
OTHER_COMMENT = "OTHER-BRIEF SECTION COMMENT"


def section_of(b: Brief, section_id: str) -> Section:
    s = b.section(section_id)
    assert s is not None, section_id
    return s


def edit(book: Book, change: Callable[[Brief], None]) -> None:
    book.update_brief(BRIEF, change)


def section_book(book: Book) -> None:
    """The golden brief: the wire story filed (Overview, Focus on Ukraine and Bilateral
    Agenda get passages; Regional Issues none), a two-line summary on Focus on Ukraine, a
    comment and a working note on the item-less Regional Issues (and a comment of another
    brief, which must never print), Bilateral Agenda ready, the rest drafting."""
    create_brief(book, "russia-turkey", brief_id=BRIEF)
    import_sources(book, [Source("wire.txt", path=DATA / "wire.txt")], brief_id=BRIEF, today=DATE)

    def change(b: Brief) -> None:
        section_of(b, "ukraine").summary = UKRAINE_SUMMARY
        section_of(b, "regional").notes = [
            Note("s1", COMMENT, "2026-11-22T09:00:00Z", "head", "", "comment", BRIEF),
            Note("s2", WORKING, "2026-11-23T10:00:00Z", "analyst"),
            Note("s3", OTHER_COMMENT, "2026-11-23T11:00:00Z", "ana", "", "comment", "other"),
        ]
        section_of(b, "bilateral").status = "ready"

    edit(book, change)


def body(markdown: str) -> str:
    """The document without its YAML front matter."""
    return markdown.split("---\n", 2)[2]


def section_text(markdown: str, title: str) -> str:
    """The Markdown between `## title` and the next `## ` heading."""
    after = body(markdown).split(f"\n## {title}\n", 1)[1]
    return after.split("\n## ", 1)[0]


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(body(markdown))


@pytest.mark.parametrize(
    ("name", "copy"), [("section-notes.md", "principal"), ("section-notes-desk.md", "desk")]
)
def test_golden_section_markdown(book: Book, name: str, copy: str) -> None:
    section_book(book)
    out = to_markdown(view(book, BRIEF), DATE, copy=copy)
    golden = GOLDEN / name
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_section_summary_and_comment_print_under_their_heading(book: Book, copy: str) -> None:
    section_book(book)
    out = to_markdown(view(book, BRIEF), DATE, copy=copy)
    ukraine = section_text(out, "Focus on Ukraine")
    # Summary first, its two lines kept (a hard break), then the section's items.
    assert ukraine.startswith(
        "\nThe corridor is the minister's first topic.\\\nA ceasefire is *not* in sight.\n\n"
    )
    assert ukraine.index("in sight.") < ukraine.index("The ministers discussed")
    regional = section_text(out, "Regional Issues")
    assert regional.startswith("\n> **Comment")
    assert "No new passages yet" in regional
    assert OTHER_COMMENT not in out


def test_working_note_on_a_section_is_in_the_desk_copy_only(book: Book) -> None:
    section_book(book)
    v = view(book, BRIEF)
    principal = to_markdown(v, DATE, copy="principal")
    desk = to_markdown(v, DATE, copy="desk")
    assert "Ask the regional desk" not in principal
    regional = section_text(desk, "Regional Issues")
    # After the comment, in the order the notes were written; signed in the desk copy only.
    assert regional.index("> **Comment** (head, 2026-11-22):") < regional.index(
        "> **Working note** (analyst, 2026-11-23):"
    )
    assert "> Ask the regional desk for a paragraph\\\n> \\# before Friday\n" in regional
    assert "> **Comment:**" in section_text(principal, "Regional Issues")
    assert "head" not in section_text(principal, "Regional Issues")


def test_section_notes_render_in_the_subset_inside_a_quote(book: Book) -> None:
    section_book(book)
    for copy in ("principal", "desk"):
        html = MarkdownIt("commonmark").render(
            body(to_markdown(view(book, BRIEF), DATE, copy=copy))
        )
        assert "<strong>Caucasus</strong>" in html
        assert "<blockquote>" in html.split("Regional Issues</h2>", 1)[1].split("<h2>")[0]
        assert "<li>Armenia</li>\n<li>Syria</li>" in html
    tokens = parse(to_markdown(view(book, BRIEF), DATE, copy="desk"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "before Friday" not in " ".join(headings)  # the note's `#` stays text


def test_an_item_less_section_with_a_comment_is_printed(book: Book) -> None:
    section_book(book)
    for copy in ("principal", "desk"):
        out = to_markdown(view(book, BRIEF), DATE, copy=copy)
        assert "- [Regional Issues](#regional-issues)" in out
        assert "\n## Regional Issues\n" in out
        assert "sections: 4\n" in out


def test_an_empty_section_is_still_omitted(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)
    import_sources(book, [Source("wire.txt", path=DATA / "wire.txt")], brief_id=BRIEF, today=DATE)
    # Even marked ready: an empty section has nothing to print, and its status is `empty`.
    edit(book, lambda b: setattr(section_of(b, "regional"), "status", "ready"))
    v = view(book, BRIEF)
    regional = next(s for s in v.sections if s.section.id == "regional")
    assert not section_has_content(regional, BRIEF)
    assert section_status(regional, BRIEF) == "empty"
    for copy in ("principal", "desk"):
        out = to_markdown(v, DATE, copy=copy)
        assert "## Regional Issues" not in out and "(#regional-issues)" not in out
        assert "sections: 3\n" in out
    assert "Regional Issues: empty\\\n" in to_markdown(v, DATE, copy="desk")


def test_a_section_with_only_a_summary_is_printed_in_both_copies(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)
    edit(book, lambda b: setattr(section_of(b, "regional"), "summary", "Quiet this week."))
    v = view(book, BRIEF)
    for copy in ("principal", "desk"):
        out = to_markdown(v, DATE, copy=copy)
        # Only the summary: the brief's marking follows (it has no items, so no sources).
        assert section_text(out, "Regional Issues") == "\nQuiet this week.\n\n**TLP:AMBER**\n"
        assert "- [Regional Issues](#regional-issues)" in out
    assert "Regional Issues: drafting" in to_markdown(v, DATE, copy="desk")
    assert unready_sections(v) == ["Regional Issues"]


def test_a_section_with_only_a_working_note_prints_in_the_desk_copy_only(book: Book) -> None:
    """A working note alone is the desk's, not the brief's: the principal's copy leaves the
    section out (it is empty), the desk copy shows it with the note, status `empty`."""
    create_brief(book, "russia-turkey", brief_id=BRIEF)
    note = Note("s2", WORKING, "2026-11-23T10:00:00Z", "analyst")
    edit(book, lambda b: setattr(section_of(b, "regional"), "notes", [note]))
    v = view(book, BRIEF)
    principal = to_markdown(v, DATE, copy="principal")
    desk = to_markdown(v, DATE, copy="desk")
    assert "Regional Issues" not in principal and "Ask the regional desk" not in principal
    assert "> **Working note** (analyst, 2026-11-23):" in section_text(desk, "Regional Issues")
    assert "- [Regional Issues](#regional-issues)" in desk
    assert "Regional Issues: empty\\\n" in desk
    assert unready_sections(v) == []
    assert prose_words(v) == 0


def test_status_list_is_in_the_desk_copy_right_after_the_header(book: Book) -> None:
    section_book(book)
    desk = to_markdown(view(book, BRIEF), DATE, copy="desk")
    expected = (
        "**Desk copy:** with working notes, tags and passage ids; not for the principal.\n\n"
        "**Section status:**\\\n"
        "Overview: drafting\\\n"
        "Focus on Ukraine: drafting\\\n"
        "Regional Issues: drafting\\\n"
        "Bilateral Agenda: ready\n\n"
        "## Contents\n"
    )
    assert expected in desk
    assert desk.index("words · ") < desk.index("**Section status:**")
    # One paragraph with hard breaks, not a list: lists stay where the document puts them.
    tokens = parse(desk)
    first_h2 = next(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2")
    assert not any(t.type.endswith("list_open") for t in tokens[:first_h2])


def test_principal_copy_never_shows_statuses(book: Book) -> None:
    section_book(book)
    before = to_markdown(view(book, BRIEF), DATE, copy="principal")
    assert "Section status" not in before
    assert ": drafting" not in before and ": ready" not in before

    def clear_all(b: Brief) -> None:
        for s in b.sections:
            s.status = "cleared"

    edit(book, clear_all)
    # The principal's copy is byte-identical whatever stage its sections are at.
    assert to_markdown(view(book, BRIEF), DATE, copy="principal") == before
    desk = to_markdown(view(book, BRIEF), DATE, copy="desk")
    assert "Overview: cleared\\\n" in desk and "Bilateral Agenda: cleared\n" in desk


def test_unready_sections(book: Book) -> None:
    section_book(book)
    v = view(book, BRIEF)
    # Bilateral Agenda is ready; Regional Issues has no items but prints (a comment).
    assert unready_sections(v) == ["Overview", "Focus on Ukraine", "Regional Issues"]
    assert [section_status(s, BRIEF) for s in v.sections] == [
        "drafting",
        "drafting",
        "drafting",
        "ready",
    ]

    def ready_or_cleared(b: Brief) -> None:
        for n, s in enumerate(b.sections):
            s.status = ("ready", "cleared")[n % 2]

    edit(book, ready_or_cleared)
    assert unready_sections(view(book, BRIEF)) == []


def test_unready_sections_of_a_brief_without_content(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)
    v = view(book, BRIEF)
    assert unready_sections(v) == []
    assert [section_status(s, BRIEF) for s in v.sections] == ["empty"] * 4


def test_unready_titles_are_one_clean_line(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)

    def hostile(b: Brief) -> None:
        s = section_of(b, "regional")
        s.title, s.summary = "Regional\x1b[31m\nIssues\x07", "Quiet."

    edit(book, hostile)
    [title] = unready_sections(view(book, BRIEF))
    assert "\x1b" not in title and "\x07" not in title and "\n" not in title
    assert title.startswith("Regional") and title.endswith("Issues")


def test_length_counts_section_summary_and_comment_not_working_note(book: Book) -> None:
    section_book(book)
    with_all = prose_words(view(book, BRIEF))

    def strip(b: Brief) -> None:
        section_of(b, "ukraine").summary = ""
        section_of(b, "regional").notes = []

    edit(book, strip)
    without = prose_words(view(book, BRIEF))
    # 7 + 6 summary words; the comment's 11 + 2 (its `-` bullets are not words).
    assert with_all == without + 13 + 13
    for copy in ("principal", "desk"):
        assert f"words: {without}\n" in to_markdown(view(book, BRIEF), DATE, copy=copy)


def test_front_matter_counts_section_notes_shown(book: Book) -> None:
    section_book(book)
    v = view(book, BRIEF)
    assert "\nnotes: 1\n" in to_markdown(v, DATE, copy="principal")  # the comment
    assert "\nnotes: 2\n" in to_markdown(v, DATE, copy="desk")  # and the working note


def test_section_summary_ending_in_a_list_keeps_the_comment_apart(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)

    def change(b: Brief) -> None:
        s = section_of(b, "regional")
        s.summary = "Two open files:\n- Caucasus\n- Syria"
        s.notes = [Note("s1", "Watch this.", "2026-11-22T09:00:00Z", "", "", "comment", BRIEF)]

    edit(book, change)
    for copy in ("principal", "desk"):
        tokens = parse(to_markdown(view(book, BRIEF), DATE, copy=copy))
        start = next(
            i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Regional Issues"
        )
        types = [t.type for t in tokens[start + 2 :]]
        # Paragraph, the two-item list, then the comment as a quote after (not inside) it.
        assert types.index("bullet_list_close") < types.index("blockquote_open"), copy
        assert types.count("list_item_open") == 2, copy


HOSTILE = "# heading\n> quote\n---\n<script>x</script>\n[^1]: note\n    code\n\x1b[31mred"


def test_hostile_section_summary_and_notes_stay_in_the_subset(book: Book) -> None:
    create_brief(book, "russia-turkey", brief_id=BRIEF)

    def change(b: Brief) -> None:
        s = section_of(b, "regional")
        s.summary = HOSTILE
        s.notes = [
            Note("s1", HOSTILE, "2026-11-22T09:00:00Z", "<b>x</b>", "", "comment", BRIEF),
            Note("s2", HOSTILE, "2026-11-22T09:00:00Z", "# who"),
        ]

    edit(book, change)
    for copy in ("principal", "desk"):
        out = to_markdown(view(book, BRIEF), DATE, copy=copy)
        assert "\x1b" not in out
        tokens = parse(out)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[1:] == ["Contents", "Regional Issues"], copy
        assert not any(t.type in ("hr", "html_block", "code_block", "fence") for t in tokens)
        assert all(c.type != "html_inline" for t in tokens if t.children for c in t.children)
