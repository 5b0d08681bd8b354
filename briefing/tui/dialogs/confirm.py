"""Yes/no questions and small one-key choices."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from briefing.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """A yes/no question: y or enter answers True, n or escape False (never None).

    The result is a plain bool so callers can write `if answer:` without a None case.
    """

    DEFAULT_CSS = """
    ConfirmDialog .question { width: 1fr; text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("y", "yes", "Yes", id="dialog.yes"),
        Binding("enter", "yes", "Yes", show=False, id="dialog.yes_enter"),
        Binding("n", "cancel", "No", id="dialog.no"),
    ]

    def __init__(self, question: str, yes: str = "yes", no: str = "no") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.question), classes="question")
            yield Static(Text(f"y / enter: {self.yes} · n / escape: {self.no}"), classes="hint")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Escape and n mean "no": answer False rather than None."""
        self.dismiss(False)


class ChoiceDialog(Dialog[str | None]):
    """A question answered by one key among a few: each choice is (key, value, label).

    The keys are per-instance, so they are matched in `on_key` rather than declared as
    bindings; escape still cancels with None.
    """

    DEFAULT_CSS = """
    ChoiceDialog .question { width: 1fr; text-style: bold; margin-bottom: 1; }
    ChoiceDialog .choice { width: 1fr; }
    ChoiceDialog .hint { margin-top: 1; }
    """

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self._by_key = {key: value for key, value, _label in self.choices}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.question), classes="question")
            for key, _value, label in self.choices:
                line = Text.assemble((f"{key:>6}", "bold"), "  ", label)
                yield Static(line, classes="choice")
            yield Static(Text("escape: back"), classes="hint")

    def on_key(self, event: events.Key) -> None:
        value = self._by_key.get(event.key)
        if value is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(value)
