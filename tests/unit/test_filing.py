"""Filing passages into sections, templates and hand moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import sectioning
from briefing.briefs import view
from briefing.editing import move_passage, reorder_passage
from briefing.errors import TemplateError
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Passage
from briefing.store import Book
from briefing.templates import get_template, load_templates, parse_template

DATA = Path(__file__).resolve().parents[1] / "data"


def counts(book: Book, brief: str) -> dict[str, int]:
    return {s.section.id: len(s.items) for s in view(book, brief).sections}


def test_seed_files_4_3_3_3(book: Book, seed: Path) -> None:
    import_sources(book, [Source(str(seed), path=seed)], brief_id="russia-turkey")
    assert counts(book, "russia-turkey") == {
        "overview": 4,
        "ukraine": 3,
        "regional": 3,
        "bilateral": 3,
    }
    texts = [i.passage.text for i in view(book, "russia-turkey").items()]
    assert not any(t.startswith(("GSV", "Photo:", "Based on")) for t in texts)
    art = book.articles()[0]
    assert art.title == "Turkish Foreign Minister to Visit Moscow for Talks with Lavrov"
    assert (art.published, art.source) == ("2025-05-26", "TASS")


def test_demo_article_files_like_the_seed(book: Book) -> None:
    from briefing.demo import add_demo

    add_demo(book)
    assert counts(book, "demo") == {
        "overview": 4,
        "ukraine": 3,
        "regional": 3,
        "bilateral": 3,
    }


def test_keywords_without_headings() -> None:
    brief = get_template("russia-turkey").new_brief("b", None, "")
    ps = [
        Passage("a.1", "a", 0, "A ceasefire in Ukraine was discussed in Kyiv."),
        Passage("a.2", "a", 1, "Trade and tourism grew; gas pipeline plans advanced."),
        Passage("a.3", "a", 2, "Nothing relevant here."),
        Passage("a.4", "a", 3, "Syria and trade."),  # tie -> default
    ]
    placed = dict((p.id, s) for p, s in sectioning.file_passages(brief, ps))
    assert placed == {"a.1": "ukraine", "a.2": "bilateral", "a.3": "overview", "a.4": "overview"}


def test_hand_moves_survive_refiling(book: Book, tmp_path: Path) -> None:
    report = import_sources(book, [Source("w", path=DATA / "wire.txt")], brief_id="russia-turkey")
    aid = report.added[0].id
    brief = book.brief("russia-turkey")
    move_passage(book, brief, f"{aid}.1", "regional")
    passages = list(book.brief_passages("russia-turkey").values())
    placed = {p.id: s for p, s in sectioning.file_passages(brief, passages)}
    book.update_filings("russia-turkey", lambda cur: sectioning.refile(cur, placed))
    where = {f.passage_id: f.section_id for f in book.filings("russia-turkey")}
    assert where[f"{aid}.1"] == "regional"
    assert where[f"{aid}.2"] == "overview"
    # re-import with the brief files nothing twice and keeps the move
    import_sources(book, [Source("w", path=DATA / "wire.txt")], brief_id="russia-turkey")
    where = {f.passage_id: f.section_id for f in book.filings("russia-turkey")}
    assert where[f"{aid}.1"] == "regional" and len(where) == 4


def test_reorder(book: Book) -> None:
    report = import_sources(book, [Source("w", path=DATA / "wire.txt")], brief_id="russia-turkey")
    aid = report.added[0].id
    reorder_passage(book, "russia-turkey", f"{aid}.2", -1)
    v = view(book, "russia-turkey")
    assert [i.passage.id for i in v.sections[0].items] == [f"{aid}.2", f"{aid}.1"]
    reorder_passage(book, "russia-turkey", f"{aid}.2", -1)  # already first: no change
    assert next(i.passage.id for i in view(book, "russia-turkey").sections[0].items) == f"{aid}.2"


def test_bundled_templates() -> None:
    found, errors = load_templates()
    assert not errors
    assert {"russia-turkey", "visit", "daily"} <= set(found)
    rt = found["russia-turkey"]
    assert [(s.id, s.title) for s in rt.sections] == [
        ("overview", "Overview"),
        ("ukraine", "Focus on Ukraine"),
        ("regional", "Regional Issues"),
        ("bilateral", "Bilateral Agenda"),
    ]
    assert rt.default == "overview"
    assert [s.title for s in found["visit"].sections] == [
        "Objectives",
        "Points to make",
        "Background",
        "Their objectives",
        "Press line",
    ]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "title: T\nsections:\n  - id: a\n    title: A\n    keywords: 5\n",
            r"bad\.yaml:5: sections\.0\.keywords: must be a list",
        ),
        ("title: T\nsections:\n  - id: a\n", r"bad\.yaml:3: sections\.0\.title: is required"),
        ("title: T\nsections: []\n", r"bad\.yaml:2: sections: must be a non-empty list"),
        (
            "title: T\ndefault: zz\nsections:\n  - {id: a, title: A}\n",
            r"bad\.yaml:2: default: 'zz' is not one",
        ),
        ("title: [unclosed\n", r"bad\.yaml:2: invalid YAML"),
        (
            "title: T\ncolour: red\nsections:\n  - {id: a, title: A}\n",
            r"bad\.yaml:2: colour: unknown field",
        ),
        ("!!python/object:os.system {}\n", r"bad\.yaml:1: invalid YAML"),
    ],
)
def test_template_errors_name_file_line_field(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(TemplateError, match=message):
        parse_template(path)


def test_user_template_is_found(user_dirs: Path) -> None:
    folder = user_dirs / "config" / "briefing" / "briefs"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("title: Mine\nsections:\n  - {id: one, title: One}\n")
    assert get_template("mine").sections[0].title == "One"


def test_an_article_that_matches_no_section_goes_to_unsorted(book: Book) -> None:
    from briefing.session import Session, UnsortedListing

    text = (
        b"# Berlin's colonial past\n\nThe city renamed three streets this year after a long "
        b"debate.\n\nHistorians welcomed the decision and asked for more research.\n"
    )
    report = import_sources(book, [Source("berlin.md", data=text)], brief_id="russia-turkey")
    assert counts(book, "russia-turkey") == {
        "overview": 0,
        "ukraine": 0,
        "regional": 0,
        "bilateral": 0,
    }
    assert report.filed == 0 and report.unsorted == 2
    session = Session(book)
    session.load()
    assert len(session.contents(UnsortedListing()).items) == 2
    assert "2 under Unsorted" in report.summary("russia-turkey")
