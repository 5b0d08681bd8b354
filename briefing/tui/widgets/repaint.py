"""Keep a partial repaint partial.

Textual (8.2) collects the regions a widget asks to repaint and hands them to the screen on
the next update. When that update is a full layout (after a focus change restyles the
panes, say), the screen repaints everything and forgets its dirty widgets — but each
widget keeps its collected regions. The next time the widget repaints two lines, the stale
full-widget region rides along and the whole pane is sent again: 2–4 KB on a keypress that
should cost a few hundred bytes over SSH.

`drop_stale_regions` clears regions that are already on screen before a widget asks for a
partial repaint. A region is stale only when no repaint is pending for the widget (neither
flagged on the widget nor queued on its screen), so a real pending repaint is never lost.
"""

from __future__ import annotations

from textual.widget import Widget


def drop_stale_regions(widget: Widget) -> None:
    if widget._repaint_required:
        return
    try:
        pending = widget in widget.screen._dirty_widgets
    except Exception:  # not on a screen yet: nothing was sent, nothing to drop
        return
    if not pending:
        widget._repaint_regions.clear()
