"""Small modal dialogs: tag, note, move, path, brief, text, confirm.

Each returns its result with `dismiss(...)` (None when cancelled); the main screen decides
what to do with it. Text from the book is shown literally (Text objects, markup=False).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

DIALOG_CSS = """
Dialog { align: center middle; }
Dialog > Vertical {
    width: 70; max-width: 95%; height: auto; max-height: 90%;
    border: round $primary; background: $surface; padding: 0 1;
}
Dialog .title { text-style: bold; color: $primary; margin-bottom: 1; width: 1fr; }
Dialog .hint { color: $text-muted; margin-top: 1; width: 1fr; }
Dialog OptionList { height: auto; max-height: 12; }
Dialog TextArea { height: 10; }
"""


class Dialog(ModalScreen[object]):
    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class InputDialog(Dialog):
    """One line of input: tags (comma-separated), a path, a title."""

    def __init__(self, title: str, value: str = "", hint: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.hint, self.placeholder = title, value, hint, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            yield Input(self.value, placeholder=self.placeholder, id="value")
            if self.hint:
                yield Label(Text(self.hint), classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class TextDialog(Dialog):
    """Several lines: a note, a summary. ctrl+s saves, escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="dialog.save")]

    def __init__(self, title: str, value: str = "", context: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.context = title, value, context

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            if self.context:
                yield Static(Text(self.context, style="dim"), classes="context")
            yield TextArea(self.value, id="text", soft_wrap=True, show_line_numbers=False)
            yield Label(Text("ctrl+s saves · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class PickDialog(Dialog):
    """Choose one of several options; typing filters them; enter picks the highlighted one."""

    BINDINGS = [
        Binding("down", "down", show=False, priority=True),
        Binding("up", "up", show=False, priority=True),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text, self.choices, self.hint = title, choices, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            yield Input(placeholder="type to filter", id="filter")
            yield OptionList(*self._options(""), id="choices")
            if self.hint:
                yield Label(Text(self.hint), classes="hint")

    def _options(self, query: str) -> list[Option]:
        q = query.casefold().strip()
        return [
            Option(Text(label), id=value)
            for value, label in self.choices
            if not q or all(w in label.casefold() or w in value for w in q.split())
        ]

    @on(Input.Changed)
    def filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
        self.query_one(Input).focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(Input.Submitted)
    def submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            self.app.bell()
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ConfirmDialog(Dialog):
    BINDINGS = [
        Binding("y", "yes", "Yes", id="dialog.yes"),
        Binding("n", "cancel", "No", id="dialog.no"),
        Binding("enter", "yes", "Yes", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question), classes="title")
            yield Label(Text("y / enter: yes · n / escape: no"), classes="hint")

    def action_yes(self) -> None:
        self.dismiss(True)
