"""Citations that render everywhere: each source listed once, numbered, under `## Sources`;
each passage ends with its source's number as a literal "[n]" in CommonMark (markdown-it,
with the footnote plugin when it is installed, as GitHub-like renderers have) and in pandoc
(`-f markdown` and `-f gfm`, when pandoc is on the machine)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from collections import Counter

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.briefs import create_brief, view
from briefing.exporting.markdown import to_markdown
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import PassageState
from briefing.store import Book

DATE = dt.date(2026, 11, 27)
BRIEF = "russia-turkey"
ARTICLES = {
    "Grain Deal Talks Resume in Istanbul": [
        "Negotiators met on Tuesday to discuss a ceasefire in Ukraine and the corridor for ships.",
        "Kyiv wants guarantees before vessels sail again.",
    ],
    "Pipeline Plans Revived at Energy Forum": [
        "A second gas pipeline under the sea is being studied again, officials said.",
    ],
    "Tourist Numbers Break Records Again": [
        "Tourism from the north set records over the summer.",
        "Hotels on the coast expect more tourists next year.",
    ],
}
TITLES = list(ARTICLES)


def markdown_it() -> MarkdownIt:
    """CommonMark with tables, and footnotes when mdit-py-plugins is installed: with the
    plugin a `[^1]` or `[1]`-looking mark would become a footnote, which citations must not."""
    md = MarkdownIt("commonmark").enable("table")
    try:
        from mdit_py_plugins.footnote import footnote_plugin
    except ImportError:  # pragma: no cover - the plugin is an optional extra
        return md
    return md.use(footnote_plugin)


def build(book: Book) -> dict[str, str]:
    """Three articles in the brief, one key point in the last: returns passage id → title."""
    sources = [
        Source(
            f"{n}.txt",
            data=(f"{title}\n\n{n + 1} March 2025\n\n" + "\n\n".join(paras) + "\n").encode(),
        )
        for n, (title, paras) in enumerate(ARTICLES.items())
    ]
    r = import_sources(book, sources, brief_id=BRIEF, today=DATE)
    assert len(r.added) == 3
    by_title = {a.title: a.id for a in r.added}
    book.put_state(PassageState(f"{by_title[TITLES[2]]}.1", key_point=True))
    v = view(book, BRIEF)
    return {i.passage.id: i.article.title for i in v.items() if i.article}


def parse(markdown: str) -> list[Token]:
    """The document without its YAML front matter (which CommonMark would read as a
    thematic break and a heading)."""
    return markdown_it().parse(markdown.split("---\n", 2)[2])


def plain_text(tokens: list[Token]) -> str:
    """What a reader sees: the text of every inline token, one per line."""
    lines = []
    for t in tokens:
        if t.type == "inline":
            lines.append("".join(c.content for c in t.children or [] if c.type == "text"))
    return "\n".join(lines)


@pytest.mark.parametrize("copy", ["principal", "desk"])
def test_markdown_it_shows_each_source_once_and_every_mark_literally(book: Book, copy: str) -> None:
    titles_of = build(book)
    book.update_brief(BRIEF, lambda b: setattr(b, "annexes", []))  # passages' marks only
    v = view(book, BRIEF)
    out = to_markdown(v, DATE, copy=copy)
    md = markdown_it()
    tokens = parse(out)
    text = plain_text(tokens)
    for title in TITLES:
        assert text.count(title) == 1, title
    assert not [t for t in tokens if t.type.startswith("footnote")]
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type.startswith("footnote")]
    # The only links: the contents' anchors (no citation became a link).
    hrefs = [str(c.attrs["href"]) for c in inline if c.type == "link_open"]
    assert all(h.startswith("#") for h in hrefs), hrefs
    # The numbered list under Sources, in order, one item per source.
    heading = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Sources")
    assert tokens[heading + 2].type == "ordered_list_open"
    items = []
    for t in tokens[heading + 3 :]:
        if t.type == "ordered_list_close":
            break
        if t.type == "inline":
            items.append(t.content)
    assert len(items) == 3
    number = {title: n for n, item in enumerate(items, 1) for title in TITLES if title in item}
    assert sorted(number.values()) == [1, 2, 3]
    # Every passage ends with its source's number, printed "[n]"; the key point's number
    # shows twice more (Key points list, and first in its section).
    rendered = md.render(out)
    marks = Counter(re.findall(r"\[(\d+)\]", html.unescape(re.sub(r"<[^>]+>", "", rendered))))
    expected = Counter(str(number[t]) for t in titles_of.values())
    expected[str(number[TITLES[2]])] += 1
    assert marks == expected
    for item in v.items():
        assert item.article
        mark = f" \\[{number[item.article.title]}\\]"
        assert f"{item.passage.text}{mark}\n" in out or f"{item.passage.text}{mark}\\\n" in out


def test_sources_are_numbered_by_first_appearance(book: Book) -> None:
    build(book)
    text = plain_text(parse(to_markdown(view(book, BRIEF), DATE)))
    firsts = [text.index(f"[{n}]") for n in (1, 2, 3)]
    assert firsts == sorted(firsts)
    # The key point listed up front cites the tourism article: it is source 1.
    sources = text.split("\nSources\n")[1]
    assert sources.splitlines()[0].find(TITLES[2]) != -1


def test_a_link_reference_elsewhere_cannot_capture_a_mark(book: Book) -> None:
    """`[1]` would be a link if the document had a `[1]: url` line; the escaped mark never is."""
    build(book)
    out = to_markdown(view(book, BRIEF), DATE) + "\n[1]: https://evil.example\n"
    assert "evil.example" not in markdown_it().render(out)


def test_no_sources_section_without_sources(book: Book) -> None:
    create_brief(book, BRIEF)
    out = to_markdown(view(book, BRIEF), DATE)
    assert "Sources" not in plain_text(parse(out))


# -- pandoc, when it is installed ------------------------------------------------------------


def pandoc(fmt: str, text: str) -> str:
    """The pandoc of the `office` extra (in `.[test]`), else one on PATH."""
    from briefing.errors import BriefingError
    from briefing.exporting.office import find_pandoc

    try:
        exe = find_pandoc().path
    except BriefingError:
        exe = shutil.which("pandoc")
    if exe is None:
        pytest.skip("pandoc is not installed (pip install -e '.[test]' brings it)")
    done = subprocess.run(
        [exe, "-f", fmt, "-t", "plain"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


@pytest.mark.parametrize("fmt", ["markdown", "gfm"])
def test_pandoc_shows_each_source_once(book: Book, fmt: str) -> None:
    build(book)
    out = pandoc(fmt, to_markdown(view(book, BRIEF), DATE))
    flat = " ".join(out.split())  # plain output wraps lines
    for title in TITLES:
        assert flat.count(title) == 1, (fmt, title, out)
    for n in (1, 2, 3):
        assert f"[{n}]" in flat, (fmt, n)
    assert "^" not in flat  # no footnote syntax leaked through
    after = flat.split("Sources", 1)[1]
    assert after.lstrip().startswith("1."), (fmt, out)


@pytest.mark.parametrize("fmt", ["markdown", "gfm"])
def test_pandoc_shows_no_sources_section_without_sources(book: Book, fmt: str) -> None:
    create_brief(book, BRIEF)
    out = pandoc(fmt, to_markdown(view(book, BRIEF), DATE))
    assert "Sources" not in out
