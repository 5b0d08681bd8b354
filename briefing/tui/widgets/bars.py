"""The title line (brief and marking) and the status line (what the brief holds, progress).

The marking (`OFFICIAL`, `TLP:AMBER`) is what a reader must never miss, so at any width the
title gives way and the marking is drawn whole.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from briefing.briefs import BriefView


class TitleBar(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("briefing"), **kwargs)  # type: ignore[arg-type]
        self._view: BriefView | None = None
        self.read_only = False

    def show_brief(self, view: BriefView | None, read_only: bool = False) -> None:
        self._view, self.read_only = view, read_only
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        view = self._view
        width = max(10, (self.content_size.width or 80))
        marking = f" [{view.brief.marking}] " if view and view.brief.marking else ""
        if self.read_only:
            marking = " read-only " + marking
        head = "briefing"
        title = (
            f" · {view.brief.title}"
            if view
            else " · no brief yet — press b to create one, i to import"
        )
        room = width - len(marking) - 1
        text = Text(no_wrap=True, overflow="crop")
        line = head + title
        if len(line) > room:
            line = line[: max(1, room - 1)] + "…"
        text.append(line[: len(head)], style="bold")
        text.append(line[len(head) :])
        if marking:
            text.append(" " * max(1, width - len(line) - len(marking)))
            text.append(marking, style="bold reverse")
        self.update(text)


class StatusBar(Static):
    """One line: the brief's counts, or the progress of long work (import, export)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text(""), **kwargs)  # type: ignore[arg-type]
        self._summary = Text("")
        self._progress: Text | None = None

    def show_summary(self, line: str) -> None:
        self._summary = Text(line, style="dim", no_wrap=True, overflow="ellipsis")
        if self._progress is None:
            self.update(self._summary)

    def show_progress(self, done: int, total: int, name: str) -> None:
        filled = int(20 * done / max(total, 1))
        bar = "█" * filled + "░" * (20 - filled)
        line = f"importing {bar} {done}/{total} {name}" if name else "filing…"
        self._progress = Text(line + " · escape cancels", no_wrap=True, overflow="ellipsis")
        self.update(self._progress)

    def show_text(self, text: Text) -> None:
        """A one-off line (a link to open) until the next summary or progress."""
        self._progress = None
        self.update(text)

    def clear_progress(self) -> None:
        self._progress = None
        self.update(self._summary)
