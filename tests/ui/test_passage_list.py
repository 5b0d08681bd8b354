"""PassageList driven with keys and calls, as the main screen drives it."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static

from briefing.briefs import Item
from briefing.model import Article, Note, Passage, PassageState
from briefing.tui.widgets.passage_list import PassageList, Row, fit, one_line

ARTICLE = Article("a1", "Ankara talks", source="TASS", published="2024-05-01", passage_count=3)


def item(n: int, text: str | None = None, article: Article = ARTICLE, **state: object) -> Item:
    pid = f"p{n}"
    return Item(
        passage=Passage(pid, article.id, n, text if text is not None else f"Passage number {n}."),
        article=article,
        state=PassageState(pid, **state),  # type: ignore[arg-type]
        section_id="overview",
        position=n,
    )


def rows(count: int) -> list[Row]:
    return [Row(f"p{n}", item(n)) for n in range(count)]


class ListApp(App[None]):
    CSS = "PassageList { height: 1fr; } Static { height: 1; }"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Concrete colours: a `$variable` here is not resolved when the theme lacks the name.
        return {
            "tag-color": "ansi_cyan",
            "note-background": "ansi_default",
            "key-point-color": "ansi_yellow",
        }

    def compose(self) -> ComposeResult:
        yield PassageList()
        yield Static("other", id="other")

    def on_passage_list_highlighted(self, message: PassageList.Highlighted) -> None:
        self.seen.append(message)

    def on_passage_list_selected(self, message: PassageList.Selected) -> None:
        self.seen.append(message)

    def on_passage_list_marks_changed(self, message: PassageList.MarksChanged) -> None:
        self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.seen if isinstance(m, kind)]


async def started(pilot: Pilot[None], count: int = 50) -> PassageList:
    app = pilot.app
    assert isinstance(app, ListApp)
    widget = app.query_one(PassageList)
    widget.focus()
    widget.show(rows(count), "passages")
    await pilot.pause()
    return widget


def keys_of(widget: PassageList) -> list[str]:
    return [r.key for r in widget.rows]


async def test_keys_move_the_cursor_and_post_highlighted() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot)
        assert widget.cursor == 0 and widget.current is not None
        assert widget.current.key == "p0"
        await pilot.press("j", "j", "down")
        assert widget.cursor == 3
        await pilot.press("k")
        assert widget.cursor == 2
        await pilot.press("G")
        assert widget.cursor == 49 and widget.current.key == "p49"
        assert widget.size.height == 23  # the Static below takes one line
        # the cursor row is on screen, on the last line
        assert "Passage number 49." in widget.render_line(22).text
        await pilot.press("g")
        assert widget.cursor == 0 and widget.scroll_offset.y == 0
        await pilot.press("end", "home")
        assert widget.cursor == 0
        await pilot.press("pagedown")
        assert widget.cursor == 22  # 23 lines, one of them the header
        await pilot.press("ctrl+f")
        assert widget.cursor == 44
        await pilot.press("pageup", "ctrl+b")
        assert widget.cursor == 0
        await pilot.press("k")  # at the top already
        assert widget.cursor == 0
        await pilot.pause()
        last = app.of(PassageList.Highlighted)[-1]
        assert isinstance(last, PassageList.Highlighted)
        assert last.row is not None and last.row.key == "p0"
        assert last.control is widget


async def test_a_burst_of_moves_ends_on_the_final_row() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 200)
        app.seen.clear()
        for _ in range(30):
            widget.action_cursor_down()  # as fast as key repeat can: no refresh in between
        await pilot.pause()
        await pilot.pause()
        highlighted = app.of(PassageList.Highlighted)
        assert len(highlighted) == 1
        assert isinstance(highlighted[0], PassageList.Highlighted)
        assert highlighted[0].row is not None and highlighted[0].row.key == "p30"


async def test_a_one_row_move_repaints_only_two_lines() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot)
        regions: list[tuple[Region, ...]] = []
        original = widget.refresh

        def spy(*r: Region, **kw: bool) -> PassageList:
            regions.append(r)
            return original(*r, **kw)

        widget.refresh = spy  # type: ignore[method-assign]
        await pilot.press("j")
        assert regions, "the move repainted nothing"
        assert all(r for r in regions), f"a full refresh: {regions}"
        lines = sorted(region.y for call in regions for region in call)
        assert lines == [1, 2]  # rows 0 and 1, under the header
        assert all(region.height == 1 for call in regions for region in call)


async def test_show_keeps_the_cursor_by_key_else_by_index() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 10)
        widget.cursor = 4
        widget.show(list(reversed(rows(10))), "passages", keep="p4")
        assert widget.current is not None and widget.current.key == "p4"
        assert widget.cursor == 5
        widget.show(rows(10), "passages", keep="nope")
        assert widget.cursor == 5  # stays at its index
        widget.show(rows(3), "passages")
        assert widget.cursor == 2  # clamped
        app.seen.clear()
        widget.show(rows(3), "passages", keep="p2")
        await pilot.pause()
        # replaced rows post a highlight even when the key is the same
        assert [m.row.key for m in app.of(PassageList.Highlighted)] == ["p2"]  # type: ignore[attr-defined]


async def test_patch_replaces_in_place_and_repaints_the_line() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 10)
        assert widget.render_line(4).text.startswith("     TASS")
        widget.patch(
            [
                Row(
                    "p3",
                    item(
                        3,
                        key_point=True,
                        tags=["x"],
                        notes=[Note("n", "t", "2024-01-01T00:00:00Z")],
                    ),
                )
            ]
        )
        assert keys_of(widget) == [f"p{n}" for n in range(10)]
        assert widget.rows[3].item is not None and widget.rows[3].item.state.key_point
        assert widget.render_line(4).text.startswith(" ★#✎ TASS")
        colours = {seg.text: seg.style.color for seg in widget.render_line(4) if seg.style}
        key_point = widget.get_component_rich_style("passage-list--key-point").color
        assert key_point is not None and colours["★"] == key_point
        assert colours["#"] == widget.get_component_rich_style("passage-list--tag").color
        assert colours["★"] != colours["#"]
        widget.patch([Row("p3", item(3, "Rewritten text"))])
        assert "Rewritten text" in widget.render_line(4).text
        widget.patch([Row("unknown", item(99))])  # not listed: ignored
        assert len(widget.rows) == 10


async def test_remove_keeps_the_cursor_on_keep_or_the_old_index() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 10)
        widget.cursor = 3
        await pilot.pause()
        app.seen.clear()
        widget.remove(["p3"])
        assert keys_of(widget) == ["p0", "p1", "p2", "p4", "p5", "p6", "p7", "p8", "p9"]
        assert widget.current is not None and widget.current.key == "p4"
        await pilot.pause()
        assert [m.row.key for m in app.of(PassageList.Highlighted)] == ["p4"]  # type: ignore[attr-defined]
        widget.remove({"p4", "p5"}, keep="p1")
        assert widget.current is not None and widget.current.key == "p1"
        widget.cursor = 6
        widget.remove(["p9"])  # the last row: the cursor goes to the new last row
        assert widget.current is not None and widget.current.key == "p8"
        widget.remove([r.key for r in widget.rows])
        assert widget.rows == [] and widget.current is None
        assert widget.is_attached  # remove(keys) never takes the widget out of the DOM


async def test_move_swaps_with_the_neighbour_and_the_cursor_follows() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 5)
        widget.cursor = 1
        widget.move("p1", +1)
        assert keys_of(widget) == ["p0", "p2", "p1", "p3", "p4"]
        assert widget.cursor == 2 and widget.current is not None and widget.current.key == "p1"
        widget.move("p1", -1)
        widget.move("p1", -1)
        assert keys_of(widget) == ["p1", "p0", "p2", "p3", "p4"]
        widget.move("p1", -1)  # already first
        assert keys_of(widget) == ["p1", "p0", "p2", "p3", "p4"] and widget.cursor == 0
        assert "Passage number 1." in widget.render_line(1).text
        assert "Passage number 0." in widget.render_line(2).text


async def test_insert_keeps_the_cursor_on_its_row() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 3)
        widget.cursor = 1
        widget.insert([Row("p9", item(9))], 0)
        assert keys_of(widget) == ["p9", "p0", "p1", "p2"]
        assert widget.current is not None and widget.current.key == "p1"


async def test_space_marks_and_moves_down() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 5)
        await pilot.press("space", "space", "j", "space")
        assert widget.marked == {"p0", "p1", "p3"}
        assert widget.cursor == 4
        assert [r.key for r in widget.marked_rows()] == ["p0", "p1", "p3"]
        assert widget.render_line(1).text.startswith("▌")
        assert widget.render_line(3).text.startswith(" ")
        await pilot.press("k", "space")  # unmark p3
        assert widget.marked == {"p0", "p1"}
        await pilot.pause()
        counts = [m.count for m in app.of(PassageList.MarksChanged)]  # type: ignore[attr-defined]
        assert counts == [1, 2, 3, 2]
        widget.move("p1", +2)
        assert [r.key for r in widget.marked_rows()] == ["p0", "p1"]
        assert widget.marked_rows()[1] is widget.rows[3]
        widget.clear_marks()
        assert widget.marked == set() and widget.marked_rows() == []
        assert not widget.render_line(1).text.startswith("▌")
        await pilot.pause()
        assert app.of(PassageList.MarksChanged)[-1].count == 0  # type: ignore[attr-defined]


async def test_marks_of_rows_that_are_gone_are_dropped() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 5)
        await pilot.press("space", "space")
        widget.remove(["p0"])
        assert widget.marked == {"p1"}
        widget.show(rows(5)[2:], "passages")
        assert widget.marked == set()


async def test_enter_and_click_select() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 10)
        await pilot.press("j", "enter")
        await pilot.pause()
        selected = app.of(PassageList.Selected)
        assert [m.row.key for m in selected] == ["p1"]  # type: ignore[attr-defined]
        await pilot.click(PassageList, offset=(10, 5))  # line 5 is row 4
        assert widget.cursor == 4
        await pilot.click(PassageList, offset=(10, 5))  # a click on the cursor row selects
        await pilot.click(PassageList, offset=(10, 0))  # the header: nothing
        await pilot.pause()
        assert [m.row.key for m in app.of(PassageList.Selected)] == ["p1", "p4"]  # type: ignore[attr-defined]
        assert widget.cursor == 4


async def test_markup_in_article_text_is_drawn_literally() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 0)
        hostile = Article("a2", "[bold]Title[/] [link=x]y", source="[/]", published="2024-01-02")
        widget.show(
            [
                Row("p1", item(1, "A [bold]loud[/] claim [/] and\n\tmore\x1b[31m", hostile)),
                Row("a2", article=hostile),
            ],
            "passages",
        )
        await pilot.pause()
        line = widget.render_line(1).text
        assert "[/]" in line and "A [bold]loud[/] claim [/] and more [31m" in line
        assert "\x1b" not in line and "\n" not in line and "\t" not in line
        widget.show([Row("a2", article=hostile)], "articles")
        await pilot.pause()
        header, row = widget.render_line(0).text, widget.render_line(1).text
        assert "Date" in header and "Article" in header
        assert "[bold]Title[/] [link=x]y" in row and "2024-01-02" in row and "[/]" in row


async def test_columns_fit_the_width_and_the_source_needs_room() -> None:
    app = ListApp()
    async with app.run_test(size=(50, 10)) as pilot:
        widget = await started(pilot, 0)
        widget.show([Row("p1", item(1, "word " * 40))], "passages")
        await pilot.pause()
        strip = widget.render_line(1)
        assert "TASS" not in strip.text  # narrower than 60: no source column
        assert strip.cell_length == widget.scrollable_content_region.width
        assert strip.text.rstrip().endswith("…")
    app = ListApp()
    async with app.run_test(size=(100, 10)) as pilot:
        widget = await started(pilot, 0)
        widget.show([Row("p1", item(1, "word " * 40))], "passages")
        await pilot.pause()
        assert "TASS" in widget.render_line(1).text
        assert "Source" in widget.render_line(0).text


async def test_the_cursor_looks_different_with_and_without_focus() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 3)
        focused = widget.render_line(1)
        plain = widget.render_line(2)
        app.query_one("#other", Static).can_focus = True
        app.query_one("#other", Static).focus()
        await pilot.pause()
        assert not widget.has_focus
        blurred = widget.render_line(1)

        def background(strip: Strip) -> object:
            colours = {seg.style.bgcolor for seg in strip if seg.style}
            assert len(colours) == 1  # the whole line, not just its text
            return colours.pop()

        assert len({background(focused), background(blurred), background(plain)}) == 3


async def test_empty_list_shows_the_hint() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 0)
        widget.set_empty_hint("Nothing here: press [m] to move passages in")
        await pilot.pause()
        assert widget.render_line(0).text.strip() == "Nothing here: press [m] to move passages in"
        assert widget.render_line(1).text.strip() == ""
        assert widget.current is None
        await pilot.press("j", "space", "G", "enter")
        assert widget.cursor == 0 and widget.marked == set()


async def test_ten_thousand_rows_show_fast() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await started(pilot, 0)
        many = rows(10_000)
        start = time.perf_counter()
        widget.show(many, "passages", keep="p5000")
        elapsed = time.perf_counter() - start
        assert elapsed < 0.15, f"show() of 10,000 rows took {elapsed * 1000:.0f} ms"
        await pilot.pause()
        assert widget.cursor == 5000
        assert "Passage number 5000." in "".join(widget.render_line(y).text for y in range(24))
        await pilot.press("G")
        assert widget.current is not None and widget.current.key == "p9999"
        assert widget.virtual_size.height == 10_001


def test_fit_and_one_line() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"
    assert fit("日本語です", 5) == "日本…"  # 2 cells each: cut to 4, then the ellipsis
    assert fit("anything", 0) == ""
    assert one_line("  a\n\n b\tc\x07 ") == "a b c"


SCREEN_KEYS = [
    "b",
    "t",
    "a",
    "m",
    "x",
    "o",
    "n",
    "y",
    "J",
    "K",
    "D",
    "X",
    "c",
    "w",
    "S",
    "R",
    "O",
    "e",
    "i",
    "s",
    "u",
    "r",
    "q",
    "/",
    "*",
    "+",
    "?",
    "escape",
    "enter",
]


def test_bindings_have_ids_and_leave_the_screen_keys_alone() -> None:
    bindings = [b for b in PassageList.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(PassageList.BINDINGS)
    assert all(b.id and b.id.startswith("passages.") and not b.show for b in bindings)
    bound = {key.strip() for b in bindings for key in b.key.split(",")}
    assert {"j", "k", "down", "up", "g", "G", "home", "end", "space"} <= bound
    assert {"pagedown", "pageup", "ctrl+f", "ctrl+b"} <= bound
    assert not bound & {*SCREEN_KEYS, "slash", "asterisk", "plus", "question_mark"}
