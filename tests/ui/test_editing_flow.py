"""Editing as a user does it: keys in, then assert on what the book holds.

Each test presses keys through Pilot and reads the book back from disk (a fresh `Book`),
so it fails if the feature it names is missing, whatever the widgets look like.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from textual.geometry import Region

from briefing.briefs import view
from briefing.editing import add_tags
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.model import PassageState
from briefing.session import (
    ArticleListing,
    JudgmentsListing,
    LibraryListing,
    SectionListing,
    UnsortedListing,
)
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import ChoiceDialog, NoteDialog, NotesDialog, PickDialog, TagDialog
from briefing.tui.flows import safe_url
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.bars import TitleBar
from briefing.tui.widgets.footer import KeyFooter
from briefing.tui.widgets.passage_list import PassageList
from briefing.tui.widgets.sections import SectionList
from tests.ui.conftest import settle

BRIEF = "demo"


def main_screen(app: BriefingApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


def fresh(book: Book) -> Book:
    """The book as another process would read it now."""
    return Book(book.path)


def state(book: Book, pid: str) -> PassageState:
    return fresh(book).state(pid)


def section_of(book: Book, pid: str) -> str | None:
    return next((f.section_id for f in fresh(book).filings(BRIEF) if f.passage_id == pid), None)


def first_section_ids(book: Book) -> list[str]:
    return [i.passage.id for i in view(fresh(book), BRIEF).sections[0].items]


async def to_passages(pilot, app: BriefingApp) -> str:  # type: ignore[no-untyped-def]
    """Tab into the passages pane; the highlighted passage's id."""
    await settle(pilot, app)
    await pilot.press("tab")
    await settle(pilot, app)
    passages = main_screen(app).passages
    assert app.focused is passages and passages.current is not None
    return passages.current.key


def notifications(app: BriefingApp) -> str:
    return "\n".join(n.message for n in app._notifications)


# -- drafts -------------------------------------------------------------------------------------


async def test_note_draft_kept_restored_saved_and_discarded(
    app: BriefingApp, demo_book: Book
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("a", *"half a thought", "escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("k")  # keep as draft
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert fresh(demo_book).get_setting("drafts") == {f"note:{pid}": "half a thought"}
        assert not state(demo_book, pid).notes

        await pilot.press("a")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog) and dialog.text == "half a thought"
        await pilot.press(*", finished", "ctrl+s")
        await settle(pilot, app)
        assert [n.text for n in state(demo_book, pid).notes] == ["half a thought, finished"]
        assert fresh(demo_book).get_setting("drafts") == {}

        await pilot.press("a", *"throwaway", "escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("d")  # discard
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, NoteDialog) and app.screen.text == ""
        await pilot.press("escape")  # untouched: closes at once
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
    assert [n.text for n in state(demo_book, pid).notes] == ["half a thought, finished"]
    assert fresh(demo_book).get_setting("drafts") == {}


async def test_ctrl_q_in_a_note_keeps_the_draft(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("a", *"typed before quitting")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("ctrl+q")
        await settle(pilot, app)
    assert fresh(demo_book).get_setting("drafts") == {f"note:{pid}": "typed before quitting"}
    assert not state(demo_book, pid).notes


# -- tags ----------------------------------------------------------------------------------------


async def test_tag_dialog_adds_and_removes_one(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("t", *"energy", "enter")
        await settle(pilot, app)
        assert state(demo_book, pid).tags == ["energy"]

        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"ukraine, talks", "enter")  # adds: energy stays
        await settle(pilot, app)
        assert state(demo_book, pid).tags == ["energy", "ukraine", "talks"]

        await pilot.press("t", "down", "ctrl+d", "enter")  # remove the second one only
        await settle(pilot, app)
        assert state(demo_book, pid).tags == ["energy", "talks"]


# -- notes ---------------------------------------------------------------------------------------


async def test_notes_edit_delete_and_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("a", *"Check the date", "ctrl+s")
        await settle(pilot, app)
        (note,) = state(demo_book, pid).notes

        await pilot.press("A")
        assert isinstance(app.screen, NotesDialog)
        await pilot.press("enter")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog) and dialog.text == "Check the date"
        await pilot.press(*" with Ankara", "ctrl+s")
        await settle(pilot, app)
        notes = state(demo_book, pid).notes
        assert [(n.id, n.text) for n in notes] == [(note.id, "Check the date with Ankara")]

        await pilot.press("A", "d")
        await settle(pilot, app)
        assert not state(demo_book, pid).notes

        await pilot.press("u")
        await settle(pilot, app)
        notes = state(demo_book, pid).notes
        assert [(n.id, n.text) for n in notes] == [(note.id, "Check the date with Ankara")]


async def test_note_quotes_a_span_of_the_passage(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        text = fresh(demo_book).brief_passages(BRIEF)[pid].text
        await pilot.press("a", "tab")  # into the passage
        dialog = app.screen
        assert isinstance(dialog, NoteDialog) and app.focused is dialog.passage
        await pilot.press(*["shift+right"] * 5, "tab", *"who is this", "ctrl+s")
        await settle(pilot, app)
    (note,) = state(demo_book, pid).notes
    assert note.text == "who is this"
    assert note.quote == text[:5] and len(note.quote) == 5


# -- moving ---------------------------------------------------------------------------------------


async def test_marked_passages_move_together_and_undo_in_one_step(
    app: BriefingApp, demo_book: Book
) -> None:
    before = first_section_ids(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_passages(pilot, app)
        await pilot.press("space", "space")
        passages = main_screen(app).passages
        assert [r.key for r in passages.marked_rows()] == before[:2]
        await pilot.press("m")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"Bilateral", "enter")
        await settle(pilot, app)
        assert [section_of(demo_book, pid) for pid in before[:2]] == ["bilateral", "bilateral"]
        assert [r.key for r in passages.rows] == before[2:]

        await pilot.press("u")
        await settle(pilot, app)
        assert first_section_ids(demo_book) == before
        assert [r.key for r in passages.rows] == before


async def test_take_out_shows_under_unsorted_and_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        pid = await to_passages(pilot, app)
        screen = main_screen(app)
        home = section_of(demo_book, pid)
        assert home
        await pilot.press("x")
        await settle(pilot, app)
        assert section_of(demo_book, pid) == ""
        assert pid not in [r.key for r in screen.passages.rows]

        await pilot.press("shift+tab")  # the sections pane: down to Unsorted
        for _ in range(len(view(fresh(demo_book), BRIEF).sections)):
            await pilot.press("j")
        await settle(pilot, app)
        assert screen.listing == UnsortedListing()
        assert [r.key for r in screen.passages.rows] == [pid]

        await pilot.press("u")
        await settle(pilot, app)
        assert section_of(demo_book, pid) == home
        assert screen.listing == UnsortedListing() and screen.passages.rows == []  # gone again


async def test_k_at_the_top_does_not_wrap(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert isinstance(app.focused, SectionList)
        first = screen.sections.current_listing
        assert isinstance(first, SectionListing)
        above = screen.sections.highlighted  # the key judgments and the annexes sit above
        await pilot.press(*["k"] * (above + 2), "up")
        await settle(pilot, app)
        assert screen.sections.highlighted == 0
        assert screen.sections.current_listing == JudgmentsListing() == screen.listing
        await pilot.press(*["j"] * above)
        await settle(pilot, app)
        assert screen.sections.current_listing == first and screen.listing == first


# -- two instances on one book --------------------------------------------------------------------


async def test_undo_never_erases_another_writers_tag(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("asterisk")
        await settle(pilot, app)
        assert state(demo_book, pid).key_point
        add_tags(Book(demo_book.path), pid, ["theirs"])  # the other instance
        await pilot.press("u")  # undo our key point
        await settle(pilot, app)
    st = state(demo_book, pid)
    assert not st.key_point
    assert st.tags == ["theirs"]


# -- small terminals -------------------------------------------------------------------------------


async def test_80x24_shows_marking_and_help(app: BriefingApp, demo_book: Book) -> None:
    marking = fresh(demo_book).brief(BRIEF).marking  # type: ignore[union-attr]
    assert marking == "TLP:AMBER"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        title = screen.query_one("#title", TitleBar)
        assert title.region.x == 0 and title.region.right <= 80
        drawn = "".join(s.text for s in title.render_lines(Region(0, 0, title.size.width, 1)))
        assert marking in drawn
        footer = screen.query_one(KeyFooter)
        assert footer.region.right <= 80 and "?" in footer.plain and "Help" in footer.plain
        # the help key stays once the passages pane (with more keys) has focus
        await pilot.press("tab")
        await settle(pilot, app)
        assert "Help" in footer.plain


# -- the keymap ------------------------------------------------------------------------------------


def write_config(user_dirs: Path, text: str) -> None:
    from briefing.locations import config_file

    path = config_file()
    assert str(path).startswith(str(user_dirs))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def test_keymap_conflict_is_reported(demo_book: Book, user_dirs: Path) -> None:
    write_config(user_dirs, "keymap:\n  annotate: t\n")
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        said = notifications(app)
    assert "annotate" in said and "tag" in said and "conflict" in said, said


async def test_keymap_unknown_id_is_reported(demo_book: Book, user_dirs: Path) -> None:
    write_config(user_dirs, "keymap:\n  anotate: n\n")
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        said = notifications(app)
    assert "unknown" in said and "anotate" in said and "'annotate'" in said, said


# -- opening the source ------------------------------------------------------------------------------


def test_safe_url() -> None:
    assert safe_url("https://example.org/a?b=1&c=$(id)") == "https://example.org/a?b=1&c=$(id)"
    assert safe_url(" http://example.org ") == "http://example.org"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "file:///etc/passwd",
        "https://example.org/a b",
        "https://example.org/\x1b]8;;x",
        "-https://example.org",
        "",
    ):
        assert safe_url(bad) is None, bad


def article(url: str) -> bytes:
    return (
        f"---\ntitle: Linked story\nsource: Example Times\nurl: {url}\n---\n\n"
        "The one paragraph of the linked story.\n"
    ).encode()


def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A $BROWSER that writes the arguments it got, as JSON, to a file."""
    out = tmp_path / "argv.json"
    script = tmp_path / "fake-browser"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    return out


async def open_linked_story(app: BriefingApp, url: str) -> None:
    """From the Library into the linked story's passages, then `o`."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        sections = view(fresh(app.session.book), BRIEF).sections
        await pilot.press(*["j"] * (len(sections) + 1))  # Unsorted, then the Library
        await settle(pilot, app)
        assert screen.listing == LibraryListing()
        await pilot.press("tab")
        await settle(pilot, app)
        titles = [r.article.title for r in screen.passages.rows if r.article]
        await pilot.press(*["j"] * titles.index("Linked story"), "enter")
        await settle(pilot, app)
        assert isinstance(screen.listing, ArticleListing)
        assert isinstance(app.focused, PassageList) and screen.passages.current is not None
        await pilot.press("o")
        await settle(pilot, app)


async def test_o_passes_the_url_as_one_argument(
    demo_book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://example.org/story?a=1&b=$(touch%20x);echo"
    import_sources(demo_book, [Source("linked.md", data=article(url))], brief_id=BRIEF)
    out = browser(tmp_path, monkeypatch)
    await open_linked_story(BriefingApp(demo_book), url)
    deadline = time.monotonic() + 10
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(out.read_text()) == [url]


async def test_o_refuses_a_javascript_url(
    demo_book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_sources(
        demo_book, [Source("linked.md", data=article("javascript:alert(1)"))], brief_id=BRIEF
    )
    out = browser(tmp_path, monkeypatch)
    app = BriefingApp(demo_book)
    await open_linked_story(app, "javascript:alert(1)")
    time.sleep(0.5)
    assert not out.exists()
    assert "no web address" in notifications(app)


async def test_ctrl_q_while_asked_about_unsaved_text_keeps_the_draft(
    app: BriefingApp, demo_book: Book
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await to_passages(pilot, app)
        await pilot.press("a", *"typed, then escape", "escape")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("ctrl+q")
        await settle(pilot, app)
    assert fresh(demo_book).get_setting("drafts") == {f"note:{pid}": "typed, then escape"}
