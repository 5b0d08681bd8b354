"""Choose one of many (a section, a brief) by typing a few letters."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui.dialogs.base import Dialog


class PickDialog(Dialog[str | None]):
    """A filter input over a list of (value, label) choices; enter picks the highlighted one.

    up/down are priority bindings so the list moves while the filter keeps the focus: the user
    never has to leave the keyboard's typing position to choose.
    """

    DEFAULT_CSS = """
    PickDialog .title { margin-bottom: 1; }
    PickDialog OptionList { height: auto; max-height: 12; }
    PickDialog .hint { margin-top: 1; }
    """
    BINDINGS = [
        Binding("down", "down", show=False, priority=True, id="dialog.down"),
        Binding("up", "up", show=False, priority=True, id="dialog.up"),
    ]

    def __init__(
        self, title: str, choices: list[tuple[str, str]], hint: str = "", current: str = ""
    ) -> None:
        super().__init__()
        self.title_text, self.choices, self.hint = title, list(choices), hint
        self.current = current
        """The value highlighted first (the one chosen last time)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            yield Input(placeholder="type to filter", id="filter")
            yield OptionList(*self._options(""), id="choices")
            if self.hint:
                yield Static(Text(self.hint), classes="hint")

    def _options(self, query: str) -> list[Option]:
        """The choices holding every typed word; those that begin with what was typed come
        first ("very l" is "very likely" before "very unlikely")."""
        typed = " ".join(query.casefold().split())
        words = typed.split()
        found = [
            (value, label)
            for value, label in self.choices
            if all(w in label.casefold() or w in value.casefold() for w in words)
        ]
        found.sort(key=lambda c: not (c[1].casefold().startswith(typed) and typed))
        return [Option(Text(label), id=value) for value, label in found]

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
            values = [value for value, _label in self.choices]
            options.highlighted = values.index(self.current) if self.current in values else 0
        self.query_one(Input).focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            self.app.bell()
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
