"""Text entry: one line (`InputDialog`) and several lines with drafts (`TextDialog`).

`DraftDialog` holds the rules shared with the note dialog: what was typed is never lost
silently. Escape on untouched text closes at once; escape on changed text asks whether to
keep it as a draft (restored next time the same dialog opens) or discard it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from briefing.tui.dialogs.base import Dialog, Drafts, T
from briefing.tui.dialogs.confirm import ChoiceDialog

RESTORED = "Draft restored — ctrl+s saves · escape discards or keeps it"


class InputDialog(Dialog[str | None]):
    """One line of input (a path, a title); enter submits the text, escape gives None."""

    DEFAULT_CSS = """
    InputDialog .title { margin-bottom: 1; }
    InputDialog .hint { margin-top: 1; }
    """

    def __init__(
        self,
        title: str,
        value: str = "",
        hint: str = "",
        placeholder: str = "",
        suggestions: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.hint, self.placeholder = title, value, hint, placeholder
        self.suggestions = list(suggestions) if suggestions else []

    def compose(self) -> ComposeResult:
        suggester = (
            SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
        )
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            # Not select_on_focus: the first key typed must not wipe the given value.
            yield Input(
                self.value,
                placeholder=self.placeholder,
                suggester=suggester,
                select_on_focus=False,
                id="value",
            )
            if self.hint:
                yield Static(Text(self.hint), classes="hint")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


class DraftDialog(Dialog[T]):
    """An editor whose unsaved text is offered as a draft instead of being thrown away.

    Subclasses compose a `TextArea` with id `text` (initially `self.start_text`), optionally a
    `.restored` line when `self.restored`, and implement `action_save`.
    """

    DEFAULT_CSS = """
    DraftDialog .restored { color: $accent; width: 1fr; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="dialog.save")]

    def __init__(self, initial: str, drafts: Drafts | None, draft_key: str | None) -> None:
        super().__init__()
        self.initial = initial
        self.drafts = drafts
        self.draft_key = draft_key
        self.start_text = initial
        self.restored = False
        draft = self._stored_draft()
        if draft is not None and draft != initial:
            self.start_text, self.restored = draft, True

    def _stored_draft(self) -> str | None:
        if self.drafts is None or self.draft_key is None:
            return None
        return self.drafts.get(self.draft_key)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#text", TextArea)

    @property
    def text(self) -> str:
        """The text as currently typed."""
        return self.editor.text

    @property
    def can_keep(self) -> bool:
        return self.drafts is not None and self.draft_key is not None

    def text_changed(self) -> bool:
        return self.text != self.initial

    def is_dirty(self) -> bool:
        """Whether closing now would lose something; the note dialog also counts the quote."""
        return self.text_changed()

    def keep_draft(self) -> None:
        """Store the current text as a draft if it differs from what the dialog opened with.

        Unchanged text drops any stored draft, which would only restore what the user undid.
        The app calls this before quitting with a dialog open.
        """
        if self.drafts is None or self.draft_key is None:
            return
        if self.text_changed():
            self.drafts.put(self.draft_key, self.text)
        else:
            self.drafts.drop(self.draft_key)

    def drop_draft(self) -> None:
        if self.drafts is not None and self.draft_key is not None:
            self.drafts.drop(self.draft_key)

    def action_cancel(self) -> None:
        """Close at once when nothing changed, otherwise ask: keep as draft, discard, or back."""
        if not self.is_dirty():
            self.drop_draft()
            self.dismiss(None)
            return
        choices: list[tuple[str, str, str]] = []
        if self.can_keep and self.text_changed():
            choices.append(("k", "keep", "keep as draft (restored next time)"))
        choices.append(("d", "discard", "discard the changes"))
        self.app.push_screen(ChoiceDialog("Unsaved text", choices), self._unsaved_answer)

    def _unsaved_answer(self, answer: str | None) -> None:
        if answer == "keep":
            self.keep_draft()
            self.dismiss(None)
        elif answer == "discard":
            self.drop_draft()
            self.dismiss(None)
        else:
            self.editor.focus()

    def focus_editor(self) -> None:
        """Focus the text with the cursor at its end, where one continues typing."""
        area = self.editor
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        raise NotImplementedError


class TextDialog(DraftDialog[str | None]):
    """Several lines (a note, a summary); ctrl+s saves the text and drops its draft."""

    DEFAULT_CSS = """
    TextDialog .title { margin-bottom: 1; }
    TextDialog .context { width: 1fr; max-height: 4; color: $text-muted; margin-bottom: 1; }
    TextDialog #text { height: 10; }
    """

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        context: str = "",
        drafts: Drafts | None = None,
        draft_key: str | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(value, drafts, draft_key)
        self.title_text, self.context, self.hint = title, context, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            if self.context:
                yield Static(Text(self.context), classes="context")
            yield TextArea(self.start_text, id="text", soft_wrap=True, show_line_numbers=False)
            if self.restored:
                yield Static(Text(RESTORED), classes="restored")
            keys = "ctrl+s saves · escape closes"
            yield Static(Text(f"{self.hint} · {keys}" if self.hint else keys), classes="hint")

    def on_mount(self) -> None:
        self.focus_editor()

    def action_save(self) -> None:
        self.drop_draft()
        self.dismiss(self.text)
