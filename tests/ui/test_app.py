"""The TUI driven as a user would: keys in, then assert on the book and the widgets."""

from __future__ import annotations

from pathlib import Path

from briefing.briefs import view
from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.session import ArticleListing, LibraryListing, SectionListing, UnsortedListing
from briefing.store import Book
from briefing.tui.app import BriefingApp
from briefing.tui.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    InputDialog,
    NoteDialog,
    PickDialog,
    TagDialog,
)
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.passage_list import PassageList as PassageTable
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.sections import SectionList
from tests.ui.conftest import settle

DATA = Path(__file__).resolve().parents[1] / "data"


def main_screen(app: BriefingApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


def section_of(book: Book, pid: str) -> str | None:
    return next((f.section_id for f in book.filings("demo") if f.passage_id == pid), None)


async def test_start_state_and_tab(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        assert isinstance(app.focused, SectionList)
        assert app.focused.current_listing == SectionListing("overview")  # under the judgments
        table = screen.query_one(PassageTable)
        assert len(table.rows) == 4  # Overview's passages are already listed
        await pilot.press("tab")
        await settle(pilot, app)
        assert app.focused is table and table.cursor == 0
        assert "Hakan Fidan" in screen.query_one(Reader).text


async def test_the_newcomers_path(app: BriefingApp, demo_book: Book) -> None:
    """Tab, note, tag, key point, move to Bilateral Agenda, quit — all in the book."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        pid = main_screen(app).query_one(PassageTable).current.key  # type: ignore[union-attr]
        await pilot.press("a")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Ask [bold]why[/]")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"follow-up, turkey")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("asterisk")
        await settle(pilot, app)
        await pilot.press("m")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"Bilateral")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("q")
    st = Book(demo_book.path).state(pid)
    assert [n.text for n in st.notes] == ["Ask [bold]why[/]"]
    assert st.tags == ["follow-up", "turkey"]
    assert st.key_point
    assert section_of(Book(demo_book.path), pid) == "bilateral"
    assert app.return_code in (0, None)


async def test_escape_cancels_note(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab", "a", *"draft", "escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceDialog)  # typed text is never dropped silently
        await pilot.press("d")  # discard
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
    assert all(not st.notes for st in demo_book.states().values())


async def test_reorder_and_undo(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        first = [i.passage.id for i in view(demo_book, "demo").sections[0].items]
        await pilot.press("J")
        await settle(pilot, app)
        after = [i.passage.id for i in view(demo_book, "demo").sections[0].items]
        assert after == [first[1], first[0], *first[2:]]
        table = main_screen(app).query_one(PassageTable)
        assert table.current.key == first[0]  # type: ignore[union-attr]  # the cursor follows
        await pilot.press("K")
        await settle(pilot, app)
        assert [i.passage.id for i in view(demo_book, "demo").sections[0].items] == first
        await pilot.press("asterisk")
        await settle(pilot, app)
        assert demo_book.state(first[0]).key_point
        await pilot.press("u")
        await settle(pilot, app)
        assert not demo_book.state(first[0]).key_point
        await pilot.press("u")  # undoes the K
        await settle(pilot, app)
        assert [i.passage.id for i in view(demo_book, "demo").sections[0].items][:2] == [
            first[1],
            first[0],
        ]


async def test_search_filters_as_you_type(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        table = main_screen(app).query_one(PassageTable)
        await pilot.press("slash", *"Antalya")
        await settle(pilot, app)
        assert len(table.rows) == 1
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(table.rows) == 4


async def test_sections_library_tags_and_unsorted(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        table = screen.query_one(PassageTable)
        await pilot.press("j")  # Focus on Ukraine
        await settle(pilot, app)
        assert len(table.rows) == 3
        await pilot.press("j", "j", "j", "j")  # Library
        await settle(pilot, app)
        assert screen.listing == LibraryListing() and len(table.rows) == 1
        await pilot.press("enter", "enter")  # into the article's passages
        await settle(pilot, app)
        assert isinstance(screen.listing, ArticleListing) and len(table.rows) == 13
        await pilot.press("escape")
        await settle(pilot, app)
        assert screen.listing == LibraryListing()
        # take one passage out of its section: it shows under Unsorted
        pid = view(demo_book, "demo").sections[0].items[0].passage.id
        await pilot.press("shift+tab")
        await pilot.press("k", "k", "k", "k", "k")  # back to Overview
        await pilot.press("tab", "m", *"Unsorted", "enter")
        await settle(pilot, app)
        assert section_of(demo_book, pid) == ""
        await pilot.press("shift+tab", "j", "j", "j", "j")
        await settle(pilot, app)
        assert screen.listing == UnsortedListing() and [r.key for r in table.rows] == [pid]


async def test_export_and_import_dialogs(app: BriefingApp, demo_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ChoiceDialog)  # which copy; enter: as last time
        await pilot.press("d")  # the desk copy
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, InputDialog)
        from textual.widgets import Input

        dialog.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot, app)
        assert out.read_text().startswith("---\ntitle:")
        await pilot.press("e", "enter")  # enter: the desk copy again (remembered)
        await settle(pilot, app)
        assert "desk" in str(app.screen.query_one(Input).value)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog) and "Overwrite" in app.screen.question
        await pilot.press("y")
        await settle(pilot, app)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(DATA / "wire.txt")
        await pilot.press("enter")
        await settle(pilot, app)
    assert len(demo_book.articles()) == 2
    assert len(view(demo_book, "demo").items()) == 17


async def test_summary_and_switch_brief(app: BriefingApp, demo_book: Book) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("s", *"Ankara wants a role.", "ctrl+s")
        await settle(pilot, app)
        assert demo_book.brief("demo").summary == "Ankara wants a role."  # type: ignore[union-attr]
        await pilot.press("b", *"(visit)", "enter")
        assert isinstance(app.screen, InputDialog)
        await pilot.press(*"Ankara trip", "enter")
        await settle(pilot, app)
        screen = main_screen(app)
        assert screen.session.brief_id == "ankara-trip"
        assert screen.query_one(SectionList).current_listing == SectionListing("objectives")


async def test_help_lists_every_key(app: BriefingApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = " ".join(d for _, d in app.screen.keys)
        for words in (
            "Add or remove tags",
            "Write a note",
            "key point",
            "another section",
            "Import",
            "Compile the brief",
            "Switch brief",
            "summary",
            "Undo",
            "Filter",
            "Quit",
            "down in its section",
            "Command palette",
            "enter edits, d deletes",
            "Take out of the brief",
            "Open the passage's source",
        ):
            assert words in described
        keys = [k for k, _ in app.screen.keys]
        for key in ("t", "a", "A", "*", "m", "x", "u", "?", "/"):
            assert key in keys
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_markup_like_text_is_shown_literally(demo_book: Book) -> None:
    import_sources(demo_book, [Source("markup", path=DATA / "markup.txt")], brief_id="demo")
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        texts = []
        for _ in range(5):  # the four sections, then Unsorted (it matches no section)
            await pilot.press("tab")
            for _ in range(6):
                await settle(pilot, app)
                texts.append(screen.query_one(Reader).text)
                await pilot.press("j")
            await pilot.press("shift+tab", "j")
        joined = "\n".join(texts)
        assert "[bold]markup[/]" in joined
        # Lines wrap at spaces; the passage's lines start with its bar.
        unwrapped = " ".join(line.strip().removeprefix("▌ ") for line in joined.split("\n"))
        assert "[link=https://evil.example]a link[/link]" in " ".join(unwrapped.split())
        assert "$accent" in joined


async def test_keymap_from_config(demo_book: Book, user_dirs: Path) -> None:
    cfg = user_dirs / "config" / "briefing"
    cfg.mkdir(parents=True)
    (cfg / "config.yaml").write_text("keymap:\n  annotate: T\n")  # `n` and `N` are taken
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert not app._notifications  # a free key: nothing to report
        await pilot.press("tab", "T")
        assert isinstance(app.screen, NoteDialog)


async def test_bad_theme_file_falls_back(demo_book: Book, user_dirs: Path) -> None:
    themes = user_dirs / "config" / "briefing" / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.yaml").write_text("name: broken\nprimary: 42\n")
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.theme == "briefing-dark"
        messages = [n.message for n in app._notifications]
        assert any("broken.yaml:2: primary" in m for m in messages), messages


async def test_theme_choice_is_remembered(app: BriefingApp, user_dirs: Path) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.theme = "briefing-light"
        await settle(pilot, app)
    text = (user_dirs / "config" / "briefing" / "config.yaml").read_text()
    assert "theme: briefing-light" in text
    assert BriefingApp(app.session.book).theme == "briefing-light"


async def test_second_instance_changes_show_up(app: BriefingApp, demo_book: Book) -> None:
    from briefing.editing import add_tags

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        screen = main_screen(app)
        pid = screen.query_one(PassageTable).current.key  # type: ignore[union-attr]
        add_tags(Book(demo_book.path), pid, ["from-elsewhere"])  # the other SSH session
        screen.check_book()
        await settle(pilot, app)
        assert "from-elsewhere" in screen.query_one(Reader).text
        await pilot.press("asterisk")  # our own edit keeps theirs
        await settle(pilot, app)
    st = Book(demo_book.path).state(pid)
    assert st.tags == ["from-elsewhere"] and st.key_point


async def test_tiny_and_wide_terminals(app: BriefingApp) -> None:
    for size in [(40, 12), (80, 24), (200, 60)]:
        sized = BriefingApp(app.session.book)
        async with sized.run_test(size=size) as pilot:
            await settle(pilot, sized)
            await pilot.press("tab", "j", "tab", "j", "tab", "question_mark", "escape")
            await settle(pilot, sized)
            assert isinstance(sized.screen, MainScreen)


async def test_library_article_shows_neighbours(demo_book: Book) -> None:
    """A passage outside the brief still shows in the context of its article."""
    import_sources(demo_book, [Source("wire", path=DATA / "wire.txt")])  # no brief
    app = BriefingApp(demo_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("j", "j", "j", "j", "j", "enter")  # Library
        await settle(pilot, app)
        await pilot.press("j", "enter")  # the wire story's passages
        await settle(pilot, app)
        await pilot.press("j")
        await settle(pilot, app)
        assert isinstance(screen.listing, ArticleListing)
        text = screen.query_one(Reader).text
        assert "Both sides called" in text  # the passage
        assert "The foreign ministers of" in text  # and the one before it


async def test_a_killed_writers_temp_files_go_once_the_first_frame_is_up(demo_book: Book) -> None:
    left = demo_book.path / "library" / ".passages-00.json.tmp-123"
    left.parent.mkdir(exist_ok=True)
    left.write_text("half")
    app = BriefingApp(demo_book)
    app.sweep_after_start = True
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        assert not left.exists()


async def test_the_library_search_finds_articles_by_their_passage_text(demo_book: Book) -> None:
    extra = Source(
        "okapi.txt",
        data=b"Forest news\n\nAn okapi was seen near the border post on Tuesday.\n",
    )
    import_sources(demo_book, [extra])
    app = BriefingApp(demo_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        table = screen.query_one(PassageTable)
        await pilot.press("j", "j", "j", "j", "j")  # Library
        await settle(pilot, app)
        assert screen.listing == LibraryListing() and len(table.rows) == 2
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        await pilot.press("tab", "slash", *"oka")
        await settle(pilot, app)
        titles = [r.article.title for r in table.rows if r.article]
        assert titles == ["Forest news"]  # "okapi" is only in its text
        await pilot.press("backspace", "backspace", "backspace", *"Forest")
        await settle(pilot, app)
        assert [r.article.title for r in table.rows if r.article] == ["Forest news"]
        await pilot.press(*" zzz")
        await settle(pilot, app)
        assert table.rows == []


async def test_the_reader_marks_the_words_the_search_matched(app: BriefingApp) -> None:
    from rich.text import Text

    from briefing.tui.widgets.reader import MATCH

    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot, app)
        screen = main_screen(app)
        await pilot.press("tab", "slash", *"Lavro")
        await settle(pilot, app)
        current = screen.passages.current
        assert current is not None and current.item is not None
        rendered = screen.render_passage(current.item)
        found: list[str] = []

        def walk(obj: object) -> None:
            if isinstance(obj, Text):
                found.extend(obj.plain[s.start : s.end] for s in obj.spans if s.style == MATCH)
            for child in getattr(obj, "renderables", []) or []:
                walk(child)
            inner = getattr(obj, "inner", None)  # the passage inside its LeftBar
            if inner is not None:
                walk(inner)

        walk(rendered)
        assert found and all(w.lower().startswith("lavro") for w in found)
