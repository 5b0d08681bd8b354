"""Write a note on a passage (optionally quoting a span of it), and list notes to edit/delete."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Document, Selection

from briefing.tui.dialogs.base import Dialog, Drafts
from briefing.tui.dialogs.text import RESTORED, DraftDialog

NO_QUOTE = "no quote — tab into the passage and select a span with shift+arrows"


@dataclass(frozen=True)
class NoteDraft:
    """A note to save: its text (stripped, never empty) and the quoted span ("" for none)."""

    text: str
    quote: str
    comment: bool = False
    """A comment for the brief (printed in the principal's copy), not a working note."""


@dataclass(frozen=True)
class NoteAction:
    """What to do with one of the listed notes."""

    kind: Literal["edit", "delete"]
    note_id: str


def _shorten(quote: str, limit: int = 110) -> str:
    """One line of the quote for the "on “…”" line: long spans keep their start and end."""
    flat = " ".join(quote.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 40].rstrip() + " … " + flat[-36:].lstrip()


class PassageArea(TextArea):
    """The read-only passage: moving with shift+arrows (or dragging) selects the quote.

    In a read-only TextArea cut/delete do nothing, so those keys clear the quote instead.
    """

    def action_cut(self) -> None:
        self._clear()

    def action_delete_left(self) -> None:
        self._clear()

    def action_delete_right(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.selection = Selection.cursor(self.cursor_location)
        screen = self.screen
        if isinstance(screen, NoteDialog):
            screen.clear_quote()


class NoteDialog(DraftDialog[NoteDraft | None]):
    """The passage (to pick a quote from) above the note's text; ctrl+s saves a `NoteDraft`.

    The quote is only ever taken from the passage's own selection, so it is an exact substring
    of the passage and the exported note can point at the words it is about.
    """

    DEFAULT_CSS = """
    NoteDialog .title { margin-bottom: 0; }
    NoteDialog #passage { height: auto; max-height: 6; }
    NoteDialog #quote { width: 1fr; height: auto; max-height: 2; color: $accent; }
    NoteDialog #quote.-none { color: $text-muted; }
    NoteDialog #text { height: 7; }
    NoteDialog #kind { width: 1fr; color: $text-muted; }
    NoteDialog #kind.-comment { color: $accent; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+t", "toggle_kind", "Working/comment", id="dialog.note_kind", priority=True)
    ]

    def __init__(
        self,
        passage_text: str,
        *,
        note_text: str = "",
        quote: str = "",
        drafts: Drafts | None = None,
        draft_key: str | None = None,
        title: str = "Note on this passage",
        comment: bool = False,
    ) -> None:
        super().__init__(note_text, drafts, draft_key)
        self.initial_comment = self.comment = comment
        self.passage_text = passage_text
        self.title_text = title
        self.initial_quote = quote if quote and quote in passage_text else ""
        self.quote = self.initial_quote

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            yield PassageArea(
                self.passage_text,
                id="passage",
                read_only=True,
                soft_wrap=True,
                show_line_numbers=False,
                highlight_cursor_line=False,
            )
            yield Static(id="quote")
            yield TextArea(
                self.start_text,
                id="text",
                soft_wrap=True,
                show_line_numbers=False,
                placeholder="your note",
            )
            yield Static(id="kind")
            if self.restored:
                yield Static(Text(RESTORED), classes="restored")
            yield Static(id="message", classes="message")
            yield Static(
                Text(
                    "tab: pick a quote in the passage (shift+arrows; ctrl+x clears it) · "
                    "ctrl+t working/comment · ctrl+s saves · escape closes"
                ),
                classes="hint",
            )

    def _show_kind(self) -> None:
        label = self.query_one("#kind", Static)
        label.set_class(self.comment, "-comment")
        label.update(
            Text(
                "comment for the brief: printed in the principal's copy"
                if self.comment
                else "working note: for the desk only (ctrl+t makes it a comment)"
            )
        )

    def action_toggle_kind(self) -> None:
        self.comment = not self.comment
        self._show_kind()

    def on_mount(self) -> None:
        self.query_one("#message").display = False
        self._show_kind()
        if self.quote:
            self._select_quote(self.quote)
        self._show_quote()
        self.focus_editor()

    @property
    def passage(self) -> PassageArea:
        return self.query_one("#passage", PassageArea)

    def _select_quote(self, quote: str) -> None:
        """Show an existing quote as the passage's selection, so it can be adjusted."""
        document = self.passage.document
        start = document.text.find(quote)
        if start < 0 or not isinstance(document, Document):
            return
        self.passage.selection = Selection(
            document.get_location_from_index(start),
            document.get_location_from_index(start + len(quote)),
        )

    def _show_quote(self) -> None:
        label = self.query_one("#quote", Static)
        label.set_class(not self.quote, "-none")
        label.update(Text(f"on “{_shorten(self.quote)}”" if self.quote else NO_QUOTE))

    @on(TextArea.SelectionChanged, "#passage")
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        """A non-empty selection becomes the quote; moving the cursor alone keeps the last one."""
        span = event.text_area.selected_text.strip()
        if span and span in self.passage_text and span != self.quote:
            self.quote = span
            self._show_quote()

    def clear_quote(self) -> None:
        """Note on the whole passage again (ctrl+x, delete or backspace in the passage)."""
        self.quote = ""
        self._show_quote()

    def is_dirty(self) -> bool:
        return (
            self.text_changed()
            or self.quote != self.initial_quote
            or self.comment != self.initial_comment
        )

    def action_save(self) -> None:
        text = self.text.strip()
        if not text:
            self.app.bell()
            message = self.query_one("#message", Static)
            message.update(Text("A note needs some text — type it, or escape to close."))
            message.display = True
            self.editor.focus()
            return
        self.drop_draft()
        self.dismiss(NoteDraft(text, self.quote, self.comment))


def _clip(text: str, lines: int = 3, width: int = 60) -> str:
    """The first few display lines of a note, so a long one doesn't fill the list."""
    rows: list[str] = []
    for line in text.splitlines():
        rows.extend(textwrap.wrap(line, width=width) or [""])
    while rows and not rows[-1]:
        rows.pop()
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1] + " …"
    return "\n".join(rows)


class NotesDialog(Dialog[NoteAction | None]):
    """The notes on a passage as a list; enter edits the highlighted one, d deletes it.

    The dialog only reports the choice: the caller opens the `NoteDialog` or asks to confirm.
    """

    DEFAULT_CSS = """
    NotesDialog .title { margin-bottom: 1; }
    NotesDialog #notes { height: auto; max-height: 16; }
    NotesDialog .empty { color: $text-muted; width: 1fr; }
    NotesDialog .hint { margin-top: 1; }
    """
    BINDINGS = [Binding("d,delete", "delete", "Delete", id="dialog.delete")]

    def __init__(self, notes: list[tuple[str, str, str]], *, title: str = "Notes") -> None:
        super().__init__()
        self.notes = list(notes)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            if self.notes:
                options: list[Option | None] = []
                for note_id, text, meta in self.notes:
                    if options:
                        options.append(None)
                    prompt = Text(_clip(text))
                    if meta:
                        prompt.append("\n" + meta, style="dim")
                    options.append(Option(prompt, id=note_id))
                yield OptionList(*options, id="notes")
            else:
                yield Static(Text("No notes on this passage."), classes="empty")
            yield Static(Text("enter edits · d deletes · escape closes"), classes="hint")

    def on_mount(self) -> None:
        if self.notes:
            options = self.query_one("#notes", OptionList)
            options.highlighted = 0
            options.focus()

    def _highlighted(self) -> str | None:
        if not self.notes:
            return None
        options = self.query_one("#notes", OptionList)
        option = options.highlighted_option
        return option.id if option is not None else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(NoteAction("edit", event.option.id))

    def action_delete(self) -> None:
        note_id = self._highlighted()
        if note_id is None:
            self.app.bell()
            return
        self.dismiss(NoteAction("delete", note_id))
