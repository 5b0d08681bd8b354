"""The compiled brief: golden Markdown, determinism, and no structure injection."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefing.briefs import view
from briefing.editing import set_summary
from briefing.exporting.markdown import escape, to_markdown
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Note, PassageState
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden" / "wire-brief.md"
DATE = dt.date(2026, 11, 27)


def _book(book: Book) -> str:
    r = import_sources(
        book,
        [Source("wire.txt", path=DATA / "wire.txt")],
        brief_id="russia-turkey",
        today=dt.date(2026, 11, 27),
    )
    aid = r.added[0].id
    book.put_state(
        PassageState(
            f"{aid}.3",
            tags=["grain", "black-sea"],
            key_point=True,
            notes=[
                Note(
                    "n1",
                    "Ask about *insurance*\n# for ships",
                    "2026-11-20T10:00:00Z",
                    "analyst",
                    "grain corridor",
                )
            ],
        )
    )
    book.put_state(PassageState(f"{aid}.2", key_point=True))
    set_summary(book, "russia-turkey", "Grain and energy lead; a ceasefire is not in sight.")
    return aid


def test_golden_markdown(book: Book) -> None:
    _book(book)
    out = to_markdown(view(book, "russia-turkey"), DATE)
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(out)
    assert out == GOLDEN.read_text()


def test_export_is_deterministic(book: Book) -> None:
    _book(book)
    a = to_markdown(view(book, "russia-turkey"), DATE)
    b = to_markdown(view(Book(book.path), "russia-turkey"), DATE)
    assert a == b


def test_key_points_come_first_and_sections_in_template_order(book: Book) -> None:
    aid = _book(book)
    out = to_markdown(view(book, "russia-turkey"), DATE)
    overview = out.index("## Overview")
    assert out.index("**Key point:** Both sides", overview) < out.index(
        "The foreign ministers of", overview
    )
    assert (
        out.index("## Overview")
        < out.index("## Focus on Ukraine")
        < out.index("## Bilateral Agenda")
    )
    assert "## Regional Issues" not in out.split("## Contents")[1]  # empty sections left out
    assert aid


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
    "`code` and ``` fence",
    "    indented code",
    "Setext\n===",
    "| a | b |\n|---|---|",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07",
    "=== not a heading",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_blocks_every_structure(text: str) -> None:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(escape(text))
    types = {t.type for t in tokens}
    assert types <= {"paragraph_open", "inline", "paragraph_close"}, (text, escape(text), types)
    inline = {c.type for t in tokens if t.children for c in t.children}
    assert inline <= {"text", "softbreak"}, (text, escape(text), inline)
    assert "\x1b" not in escape(text)


def test_whole_export_of_hostile_article_has_only_our_structure(book: Book, tmp_path: Path) -> None:
    body = "\n\n".join(h.replace("\n", " ") for h in HOSTILE)
    src = Source("hostile", data=f"Hostile # Title <b>\n\n1 May 2025\n\n{body}\n".encode())
    import_sources(book, [src], brief_id="russia-turkey")
    out = to_markdown(view(book, "russia-turkey"), DATE)
    tokens = MarkdownIt("commonmark").parse(out.split("---\n", 2)[2])
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0].startswith("Russia")
    assert set(headings[1:]) <= {
        "Contents",
        "Overview",
        "Focus on Ukraine",
        "Regional Issues",
        "Bilateral Agenda",
        "Sources",
        "Summary",
    }
    assert not any(
        t.type in ("hr", "html_block", "code_block", "fence", "ordered_list_open") for t in tokens
    )
    assert all(c.type != "html_inline" for t in tokens if t.children for c in t.children)
