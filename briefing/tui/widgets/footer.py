"""A one-line key footer that fits 80 columns and keeps its order when keys are remapped.

Textual's `Footer` lays keys out in binding-map order and cuts off at the right edge
(`e Expor` at 80 columns); a key remapped with `App.set_keymap` moves to the end of that
order. This footer lays out the screen's shown bindings in a fixed priority order, drops
the least important ones that do not fit, and always keeps the help key at the right end,
so a user can find every other key from there.

It is one `Text` on one line, recomputed when the screen's bindings change or the width
does, and repainted only when the result differs: over SSH every repaint is bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterEntry:
    """One key shown in the footer."""

    key: str
    """The key as bound now (after the keymap): what a click simulates."""
    key_display: str
    description: str
    enabled: bool
    node: DOMNode
    binding: Binding

    @property
    def width(self) -> int:
        return len(self.key_display) + 1 + len(self.description)


class KeyFooter(Widget, can_focus=False):
    """The current screen's keys, most important first, `? Help` always at the right.

    `priority` lists binding ids (or actions, for bindings without an id) in the order
    they should be shown; other shown bindings follow in their BINDINGS order.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--disabled",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--disabled {
            color: $text-disabled;
        }
    }
    """
    GAP = 1
    """Spaces between entries: one, like Textual's compact footer (the key's colour and bold
    set it apart), so more keys fit at 80 columns."""

    def __init__(
        self,
        priority: list[str],
        *,
        help_id: str = "help",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.priority = list(priority)
        self.help_id = help_id
        self._entries: tuple[FooterEntry, ...] = ()
        """What fits now, left to right; the help entry (if any) is last."""
        self._layout_key: tuple[object, ...] | None = None
        """What the last layout drew (entries and width): unchanged means no repaint."""
        self._spans: list[tuple[int, int, FooterEntry]] = []
        self._screen: Screen[object] | None = None

    # -- what to show ------------------------------------------------------------------

    def _rank(self, entry: FooterEntry) -> int | None:
        for name in (entry.binding.id, entry.binding.action):
            if name and name in self.priority:
                return self.priority.index(name)
        return None

    def shown_entries(self) -> tuple[list[FooterEntry], FooterEntry | None]:
        """The screen's shown bindings in display order, and the help entry apart."""
        screen = self.screen
        app = self.app
        entries: list[FooterEntry] = []
        seen: set[tuple[int, str]] = set()
        help_entry: FooterEntry | None = None
        nodes: list[DOMNode] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            node = active.node
            if node not in nodes:
                nodes.append(node)
            ident = (id(node), binding.id or binding.action)
            if binding.id == self.help_id and help_entry is None:
                help_entry = FooterEntry(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description or "Help",
                    active.enabled,
                    node,
                    binding,
                )
                continue
            if not binding.show or ident in seen:
                continue  # `j,down`: show the first key of one action only
            seen.add(ident)
            entries.append(
                FooterEntry(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    active.enabled,
                    node,
                    binding,
                )
            )
        # The keymap moves a remapped binding to the end of its node's bindings: order by
        # the node's own (un-remapped) BINDINGS instead.
        order: dict[tuple[int, str], tuple[int, int]] = {}
        for position, node in enumerate(nodes):
            for index, (_key, binding) in enumerate(node._bindings):
                order.setdefault((id(node), binding.id or binding.action), (position, index))

        def sort_key(entry: FooterEntry) -> tuple[int, int, int]:
            rank = self._rank(entry)
            ident = (id(entry.node), entry.binding.id or entry.binding.action)
            position, index = order.get(ident, (len(nodes), 0))
            if rank is not None:
                return (0, rank, 0)
            return (1, position, index)

        entries.sort(key=sort_key)
        return entries, help_entry

    def fit(self, width: int) -> tuple[FooterEntry, ...]:
        """The longest priority prefix that fits `width` next to the help entry."""
        entries, help_entry = self.shown_entries()
        room = width - 1  # one space of margin on the left
        if help_entry is not None:
            room -= help_entry.width + 1  # and one on the right
        chosen: list[FooterEntry] = []
        used = 0
        for entry in entries:
            need = entry.width + (self.GAP if chosen else 0)
            if used + need > room:
                break
            chosen.append(entry)
            used += need
        if help_entry is not None:
            chosen.append(help_entry)
        return tuple(chosen)

    # -- keeping it current --------------------------------------------------------------

    def recompute(self) -> None:
        """Lay out again; repaint only if what would be drawn changed."""
        if not self.is_attached or not self.size.width:
            return
        entries = self.fit(self.size.width)
        layout_key = (
            tuple((e.key_display, e.description, e.enabled) for e in entries),
            self.size.width,
        )
        if layout_key != self._layout_key:
            self._layout_key = layout_key
            self._entries = entries
            self.refresh()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.recompute()

    def on_mount(self) -> None:
        self._screen = self.screen
        self._screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.recompute)

    def on_unmount(self) -> None:
        if self._screen is not None:
            self._screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, event: events.Resize) -> None:
        self.recompute()

    # -- drawing ---------------------------------------------------------------------------

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        disabled_style = self.get_component_rich_style("key-footer--disabled")
        width = self.size.width
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, FooterEntry]] = []
        entries = list(self._entries)
        help_entry = None
        if entries and entries[-1].binding.id == self.help_id:
            help_entry = entries.pop()
        text.append(" ")

        def add(entry: FooterEntry) -> None:
            start = len(text)
            if entry.enabled:
                text.append(entry.key_display, key_style)
                text.append(" " + entry.description, description_style)
            else:
                text.append(f"{entry.key_display} {entry.description}", disabled_style)
            spans.append((start, len(text), entry))

        for i, entry in enumerate(entries):
            if i:
                text.append(" " * self.GAP)
            add(entry)
        if help_entry is not None:
            text.append(" " * max(1, width - len(text) - help_entry.width - 1))
            add(help_entry)
        self._spans = spans
        return text

    @property
    def plain(self) -> str:
        """What the footer shows, as text (for tests and debugging)."""
        return self.render().plain

    def on_click(self, event: events.Click) -> None:
        """Clicking an entry presses its key, so it does exactly what the key does."""
        for start, end, entry in self._spans:
            if start <= event.x < end:
                event.stop()
                if entry.enabled:
                    self.app.simulate_key(entry.key)
                else:
                    self.app.bell()
                return
