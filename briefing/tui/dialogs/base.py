"""The shared pieces of every dialog: the modal base class, its CSS, and the draft store.

Each dialog is a `ModalScreen[T]` with a precise result type so the main screen's callbacks
are checked by mypy instead of receiving `object`. Escape cancels (`dismiss(None)`) unless a
dialog has a better answer (a confirmation says "no", an editor asks about unsaved text).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

T = TypeVar("T")

DIALOG_CSS = """
Dialog { align: center middle; }
Dialog > .dialog-box {
    width: 70; max-width: 95%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}
Dialog .title { text-style: bold; color: $primary; width: 1fr; }
Dialog .hint { color: $text-muted; width: 1fr; }
Dialog .message { color: $accent; width: 1fr; }
"""


class Dialog(ModalScreen[T]):
    """A centred box on top of the current screen; escape cancels.

    Subclasses compose their content inside a container with the class `dialog-box` so they
    all share the same frame, width and colours (theme variables only, so every theme works).
    """

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        """Cancel: the caller gets None. Overridden where None is not the right answer."""
        self.dismiss(None)


class Drafts(Protocol):
    """Where unsaved text of an editing dialog is kept between openings.

    The app passes a persisted implementation so a note survives escape, a crash or ctrl+q;
    the dialogs only need these three calls.
    """

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, text: str) -> None: ...

    def drop(self, key: str) -> None: ...


class MemoryDrafts:
    """Drafts kept in a dict: for tests, and for callers with nothing to persist to."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self.texts: dict[str, str] = dict(initial or {})

    def get(self, key: str) -> str | None:
        return self.texts.get(key)

    def put(self, key: str, text: str) -> None:
        self.texts[key] = text

    def drop(self, key: str) -> None:
        self.texts.pop(key, None)
