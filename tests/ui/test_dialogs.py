"""The typed dialogs driven by keys at 80x24: what each dismisses with, and how drafts behave."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, TextArea

from briefing.tui.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    Dialog,
    InputDialog,
    MemoryDrafts,
    NoteAction,
    NoteDialog,
    NoteDraft,
    NotesDialog,
    PickDialog,
    TagDialog,
    TagEdit,
    TextDialog,
)
from briefing.tui.dialogs.tags import clean_tags

PASSAGE = (
    "Ankara and Moscow agreed on a ceasefire in Idlib [bold]after[/] talks; "
    "the deal [/] leaves the M4 corridor under joint patrols. " * 3
).strip()


class DialogApp(App[None]):
    """A bare app with the same extra theme variables as the real one, so the CSS resolves."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {
            "tag-color": "ansi_cyan",
            "note-background": "$panel",
            "key-point-color": "$warning",
        }


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_dialog(app: DialogApp, pilot: Any, dialog: Screen[Any]) -> None:
    await app.push_screen(dialog, app.results.append)
    await pilot.pause()


# ---------------------------------------------------------------- confirm / choice


@pytest.mark.parametrize(
    ("key", "expected"), [("y", True), ("enter", True), ("n", False), ("escape", False)]
)
async def test_confirm(key: str, expected: bool) -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, ConfirmDialog("Overwrite [b]it[/]?", yes="overwrite"))
        assert "Overwrite [b]it[/]?" in screen_text(app)
        assert "y / enter: overwrite" in screen_text(app)
        await pilot.press(key)
        await pilot.pause()
    assert app.results == [expected]


async def test_choice_key_and_escape() -> None:
    choices = [("k", "keep", "keep it"), ("d", "drop", "drop [it]")]
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, ChoiceDialog("What now?", choices))
        assert "drop [it]" in screen_text(app)
        await pilot.press("x")  # not a choice: nothing happens
        await pilot.pause()
        assert app.results == [] and isinstance(app.screen, ChoiceDialog)
        await pilot.press("d")
        await pilot.pause()
        await open_dialog(app, pilot, ChoiceDialog("What now?", choices))
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == ["drop", None]


# ---------------------------------------------------------------- input / pick


async def test_input_submit_escape_and_suggestion() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, InputDialog("Title", "ab", hint="enter creates"))
        await pilot.press("c", "enter")
        await pilot.pause()
        await open_dialog(app, pilot, InputDialog("Title"))
        await pilot.press("x", "escape")
        await pilot.pause()
        await open_dialog(app, pilot, InputDialog("Brief", suggestions=["Russia-Turkey", "Syria"]))
        await pilot.press("r", "u")
        await pilot.pause()
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.results == ["abc", None, "Russia-Turkey"]


async def test_pick_filters_and_moves() -> None:
    choices = [("a", "Overview"), ("b", "Bilateral agenda"), ("c", "Background [notes]")]
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, PickDialog("Move to", choices, hint="enter moves"))
        await pilot.press("down", "enter")
        await pilot.pause()
        await open_dialog(app, pilot, PickDialog("Move to", choices))
        await pilot.press(*"back")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 1
        assert "Background [notes]" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await open_dialog(app, pilot, PickDialog("Move to", choices))
        await pilot.press(*"zzz", "enter", "escape")
        await pilot.pause()
    assert app.results == ["b", "c", None]


# ---------------------------------------------------------------- text + drafts


async def test_text_ctrl_s_saves_and_drops_draft() -> None:
    drafts = MemoryDrafts({"summary": "old draft"})
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TextDialog("Summary", drafts=drafts, draft_key="summary"))
        area = app.screen.query_one("#text", TextArea)
        assert area.text == "old draft"
        assert "Draft restored" in screen_text(app)
        await pilot.press("!", "ctrl+s")
        await pilot.pause()
    assert app.results == ["old draft!"]
    assert drafts.get("summary") is None


async def test_text_escape_keep_then_restore() -> None:
    drafts = MemoryDrafts()
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TextDialog("Note", "v", drafts=drafts, draft_key="n1"))
        await pilot.press(*" two", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "Unsaved text" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert app.results == [None]
        assert drafts.get("n1") == "v two"
        assert not isinstance(app.screen, Dialog)
        # Reopen: the draft comes back, and says so.
        await open_dialog(app, pilot, TextDialog("Note", "v", drafts=drafts, draft_key="n1"))
        assert app.screen.query_one("#text", TextArea).text == "v two"
        assert "Draft restored — ctrl+s saves" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [None, "v two"]
    assert drafts.get("n1") is None


async def test_text_escape_discard_and_back() -> None:
    drafts = MemoryDrafts({"n1": "stale"})
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TextDialog("Note", drafts=drafts, draft_key="n1"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # back to editing, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        assert isinstance(app.focused, TextArea) and app.focused.text == "stale"
        await pilot.press("escape", "d")
        await pilot.pause()
    assert app.results == [None]
    assert drafts.get("n1") is None


async def test_text_escape_unchanged_closes_at_once() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TextDialog("Note", "same", context="[bold]ctx[/]"))
        assert "[bold]ctx[/]" in screen_text(app)
        await pilot.press("x", "backspace", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, Dialog)
    assert app.results == [None]


async def test_text_without_store_offers_only_discard() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TextDialog("Note"))
        await pilot.press("a", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "keep as draft" not in screen_text(app)
        await pilot.press("k")  # not offered: still asking
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("d")
        await pilot.pause()
    assert app.results == [None]


async def test_keep_draft_for_quit() -> None:
    drafts = MemoryDrafts()
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = TextDialog("Note", "a", drafts=drafts, draft_key="k")
        await open_dialog(app, pilot, dialog)
        dialog.keep_draft()
        assert drafts.get("k") is None  # unchanged: nothing to keep
        await pilot.press("b")
        dialog.keep_draft()
        assert drafts.get("k") == "ab"


# ---------------------------------------------------------------- note


async def test_note_quote_by_selecting_in_passage() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NoteDialog(PASSAGE))
        assert isinstance(app.focused, TextArea) and app.focused.id == "text"
        await pilot.press(*"Why now?")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "passage"
        await pilot.press(*["shift+right"] * 5)
        await pilot.pause()
        assert "on “Ankar”" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteDraft("Why now?", PASSAGE[:5])]


async def test_note_quote_cleared_and_initial_quote_kept() -> None:
    quote = "M4 corridor"
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NoteDialog(PASSAGE, note_text="old", quote=quote))
        assert app.screen.query_one("#passage", TextArea).selected_text == quote
        await pilot.press("ctrl+s")
        await pilot.pause()
        await open_dialog(app, pilot, NoteDialog(PASSAGE, note_text="old", quote=quote))
        await pilot.press("shift+tab", "ctrl+x")
        await pilot.pause()
        assert "no quote" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteDraft("old", quote), NoteDraft("old", "")]


async def test_note_empty_text_is_not_saved() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NoteDialog(PASSAGE))
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert "A note needs some text" in screen_text(app)
        assert app.results == []


async def test_note_drafts_keep_restore_discard() -> None:
    drafts = MemoryDrafts()
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NoteDialog(PASSAGE, drafts=drafts, draft_key="p1"))
        await pilot.press(*"half a thought", "escape", "k")
        await pilot.pause()
        assert drafts.get("p1") == "half a thought"
        await open_dialog(app, pilot, NoteDialog(PASSAGE, drafts=drafts, draft_key="p1"))
        assert app.screen.query_one("#text", TextArea).text == "half a thought"
        assert "Draft restored" in screen_text(app)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert drafts.get("p1") is None
        await open_dialog(app, pilot, NoteDialog(PASSAGE, drafts=drafts, draft_key="p1"))
        assert app.screen.query_one("#text", TextArea).text == ""
        await pilot.press("escape")  # unchanged: closes at once
        await pilot.pause()
        assert not isinstance(app.screen, Dialog)
    assert app.results == [None, None, None]


async def test_note_markup_in_passage_is_literal() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NoteDialog(PASSAGE, title="Note [/] on [bold]x"))
        text = screen_text(app)
        assert "Note [/] on [bold]x" in text
        assert "[bold]after[/]" in text


# ---------------------------------------------------------------- notes list


async def test_notes_dialog_actions() -> None:
    notes = [
        ("n1", "first\nsecond\nthird\nfourth line hidden", "root · 2026-11-29"),
        ("n2", "[bold]literal[/]", "ana · 2026-11-30"),
    ]
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, NotesDialog(notes))
        text = screen_text(app)
        assert "[bold]literal[/]" in text and "root · 2026-11-29" in text
        assert "fourth line hidden" not in text
        assert "enter edits · d deletes · escape closes" in text
        await pilot.press("d")
        await pilot.pause()
        await open_dialog(app, pilot, NotesDialog(notes))
        await pilot.press("down", "enter")
        await pilot.pause()
        await open_dialog(app, pilot, NotesDialog(notes))
        await pilot.press("delete")
        await pilot.pause()
        await open_dialog(app, pilot, NotesDialog(notes))
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [
        NoteAction("delete", "n1"),
        NoteAction("edit", "n2"),
        NoteAction("delete", "n1"),
        None,
    ]


# ---------------------------------------------------------------- tags


def test_clean_tags() -> None:
    assert clean_tags(" #a ,b  c,, a,##d ") == ["a", "b c", "d"]


async def test_tags_input_starts_empty_and_adds() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TagDialog(["russia", "energy"], ["russia", "syria"]))
        field = app.screen.query_one("#new", Input)
        assert field.value == "" and app.focused is field
        await pilot.press(*"#new,  two   words , russia,new")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [TagEdit(add=("new", "two words"), remove=())]


async def test_tags_remove_toggle_and_restore() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TagDialog(["russia", "energy", "idlib"], []))
        await pilot.press("ctrl+d")  # first tag, from the input
        await pilot.press("down", "down", "ctrl+d", "ctrl+d")  # third: removed, then restored
        await pilot.pause()
        assert "will be removed" in screen_text(app)
        await pilot.press("shift+tab")  # into the list: d toggles there
        assert isinstance(app.focused, OptionList)
        await pilot.press("up", "d")  # energy
        await pilot.press("tab", *"x", "enter")
        await pilot.pause()
    assert app.results == [TagEdit(add=("x",), remove=("russia", "energy"))]


async def test_tags_nothing_changed_is_none() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TagDialog(["a"], []))
        await pilot.press("ctrl+d", "ctrl+d", *"a", "enter")
        await pilot.pause()
        await open_dialog(app, pilot, TagDialog([], []))
        assert "No tags yet." in screen_text(app)
        await pilot.press("ctrl+d", "escape")
        await pilot.pause()
    assert app.results == [None, None]


async def test_tags_suggest_the_tag_after_the_comma() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, TagDialog(["energy"], ["energy", "Russia", "rust"]))
        await pilot.press(*"a, #Ru")
        await pilot.pause()
        await pilot.press("right")
        assert app.screen.query_one("#new", Input).value == "a, #Russia"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [TagEdit(add=("a", "Russia"), remove=())]


# ---------------------------------------------------------------- every dialog


def every_dialog() -> list[Dialog[Any]]:
    long = "A long hint that has to wrap rather than be cut off at the edge of the box " * 2
    return [
        ConfirmDialog(long),
        ChoiceDialog(long, [("k", "keep", "keep"), ("d", "discard", "discard")]),
        InputDialog("Title", hint=long),
        PickDialog("Pick", [(str(i), f"choice {i}") for i in range(30)], hint=long),
        TextDialog(
            "Text", context=long * 3, hint=long, drafts=MemoryDrafts({"k": "d"}), draft_key="k"
        ),
        NoteDialog(PASSAGE * 3, note_text="x", drafts=MemoryDrafts({"k": "d"}), draft_key="k"),
        NotesDialog([(str(i), "note\n" * 5, "root · 2026-11-29") for i in range(8)]),
        TagDialog([f"tag{i}" for i in range(12)], []),
    ]


@pytest.mark.parametrize("index", range(len(every_dialog())))
async def test_fits_at_80x24(index: int) -> None:
    """Every widget of every dialog lies inside its box, and the box inside the terminal."""
    dialog = every_dialog()[index]
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, dialog)
        box = dialog.query_one(".dialog-box").region
        assert box.width <= 80 and box.height <= 24
        assert app.screen.region.contains_region(box)
        inner = box.shrink((1, 1, 1, 1))
        for widget in dialog.query_one(".dialog-box").children:
            if widget.display:
                assert widget.region.height > 0, widget
                assert inner.contains_region(widget.region), widget
        hints = [w for w in dialog.query(".hint").results(Static)]
        assert hints, "every dialog says which keys do what"
        shown = screen_text(app).split()
        for hint in hints:  # wrapped, not cut: every word of every hint is on screen
            for word in str(hint.render()).split():
                assert word in shown, (hint, word)


def test_bindings_have_dialog_ids() -> None:
    for dialog in every_dialog():
        for cls in type(dialog).__mro__:
            for binding in cls.__dict__.get("BINDINGS", []) if issubclass(cls, Dialog) else []:
                assert isinstance(binding, Binding)
                assert binding.id is not None and binding.id.startswith("dialog."), (cls, binding)
