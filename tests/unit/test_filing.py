"""Filing passages into sections, templates and hand moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import sectioning
from briefing.briefs import create_brief, view
from briefing.editing import Refile, move_passage, reorder_passage
from briefing.errors import TemplateError
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import Filing, Passage
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


# -- written sections: the desk's own text, never filed by the rules ------------------------

VISIT = "visit"
WRITTEN = {"objectives", "points", "press"}
# An article that names every written section of the visit brief, by subheading and by the
# keywords those sections had before they became written.
OBJECTIVES_ARTICLE = (
    b"# Minister to visit Ankara\n\n"
    b"The minister's objectives: we want a grain deal, we seek an outcome on energy.\n\n"
    b"## Objectives\n\nOur aim and goal is a ceasefire; we welcome the talks.\n\n"
    b"## Points to make\n\nWe urge restraint and press for access; we support the corridor.\n\n"
    b"## Press line\n\nThe spokesperson told reporters at a press conference that media "
    b"and journalists would get a statement.\n\n"
    b"## Background\n\nRelations have grown since they last met.\n"
)


def where(book: Book, brief: str) -> dict[str, str]:
    return {f.passage_id: f.section_id for f in book.filings(brief)}


def refile_passages(book: Book, brief_id: str) -> None:
    Refile(brief_id).apply(book)


def test_visit_template_has_written_sections() -> None:
    t = get_template(VISIT)
    assert {s.id for s in t.sections if s.written} == WRITTEN
    assert all(not (s.headings or s.keywords) for s in t.sections if s.written)
    assert t.default == "background"
    brief = t.new_brief("b", None, "")
    assert {s.id for s in brief.sections if s.written} == WRITTEN
    daily = get_template("daily")
    assert [s.id for s in daily.sections if s.written] == ["comment", "outlook"]
    assert daily.default == "top"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "title: T\nsections:\n  - id: a\n    title: A\n  - id: b\n    title: B\n"
            "    written: true\n    headings: [B]\n",
            r"bad\.yaml:8: sections\.1\.headings: not allowed on a written section",
        ),
        (
            "title: T\nsections:\n  - id: a\n    title: A\n  - id: b\n    title: B\n"
            "    keywords: [b]\n    written: true\n",
            r"bad\.yaml:7: sections\.1\.keywords: not allowed on a written section",
        ),
        (
            "title: T\ndefault: b\nsections:\n  - {id: a, title: A}\n"
            "  - {id: b, title: B, written: true}\n",
            r"bad\.yaml:2: default: 'b' is a written section",
        ),
        (
            "title: T\nsections:\n  - {id: a, title: A, written: 'yes'}\n",
            r"bad\.yaml:3: sections\.0\.written: must be true or false",
        ),
        (
            "title: T\nsections:\n  - {id: a, title: A, written: true}\n",
            r"bad\.yaml:2: sections: needs at least one section that is not written",
        ),
    ],
)
def test_written_section_errors(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(TemplateError, match=message):
        parse_template(path)


def test_default_is_the_first_filed_section(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "title: T\nsections:\n  - {id: aims, title: Aims, written: true}\n"
        "  - {id: news, title: News}\n"
    )
    t = parse_template(path)
    assert t.default == "news"
    assert [s.written for s in t.sections] == [True, False]


def test_rules_never_choose_a_written_section() -> None:
    brief = get_template(VISIT).new_brief("b", None, "")
    # As if the brief came from elsewhere with rules left on its written sections, and its
    # default pointing at one: the rules still skip them.
    for s in brief.sections:
        if s.written:
            s.headings, s.keywords = [s.title], ["press", "objectives"]
    brief.default_section = "points"
    assert sectioning.heading_section(brief, "Press line") is None
    assert sectioning.heading_section(brief, "Objectives") is None
    assert set(sectioning.keyword_scores(brief, "press objectives")) == {
        "background",
        "their-objectives",
    }
    p = Passage("a.1", "a", 0, "The press and our objectives.", heading="Press line")
    assert sectioning.section_for(brief, p, True) == "background"
    assert sectioning.default_section(brief) == "background"


def test_visit_brief_files_nothing_into_written_sections(book: Book) -> None:
    create_brief(book, VISIT, "Ankara visit")
    import_sources(book, [Source("w", path=DATA / "wire.txt")], brief_id="ankara-visit")
    report = import_sources(
        book, [Source("ankara.md", data=OBJECTIVES_ARTICLE)], brief_id="ankara-visit"
    )
    placed = where(book, "ankara-visit")
    assert placed and report.filed
    assert not WRITTEN & set(placed.values()), placed
    # re-filing by the rules agrees
    refile_passages(book, "ankara-visit")
    assert not WRITTEN & set(where(book, "ankara-visit").values())


def test_a_passage_moved_into_a_written_section_stays(book: Book) -> None:
    brief = create_brief(book, VISIT, "Ankara visit")
    report = import_sources(book, [Source("ankara.md", data=OBJECTIVES_ARTICLE)], brief_id=brief.id)
    pid = f"{report.added[0].id}.3"
    move_passage(book, brief, pid, "points")
    refile_passages(book, brief.id)
    assert where(book, brief.id)[pid] == "points"
    v = view(book, brief.id)
    points = next(s for s in v.sections if s.section.id == "points")
    assert [i.passage.id for i in points.items] == [pid]
    assert not points.items[0].is_written


def test_refile_never_moves_into_a_written_section() -> None:
    existing = [Filing("a.1", "background", 0), Filing("w0123abcd", "points", 0)]
    placed = {"a.1": "press", "w0123abcd": "background"}
    out = {f.passage_id: f.section_id for f in sectioning.refile(existing, placed, {"press"})}
    assert out == {"a.1": "background", "w0123abcd": "points"}
