"""The middle pane: a list of passages (or of articles, in the Library) drawn line by line.

A DataTable builds every row up front, so a 10,000-passage section takes a second to open, and
it has no cheap way to patch, swap or drop one row. This widget keeps the rows as a plain
Python list and draws with the line API, the way Toolong draws its log view: `render_line`
builds only the lines on screen, each row's `Strip` is cached until the row (or its cursor,
mark or focus state) changes, and every edit repaints only the lines it touched. Moving the
cursor by one row repaints two lines, which keeps a `j`/`k` press to a few hundred bytes over
SSH.

Article text is drawn as plain `Segment`s, never parsed as markup, so a title containing
`[bold]` or `[/]` shows literally. Control characters are replaced before drawing, because a
stray escape in an imported article would otherwise reach the terminal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal, overload

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.await_remove import AwaitRemove
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.briefs import Item
from briefing.model import Article
from briefing.tui.widgets.repaint import drop_stale_regions

Mode = Literal["passages", "articles"]

MARK_W = 1
"""The multi-select mark, before the passage marks."""
MARKS_W = 3
"""`★` key point, `#` tags, `✎` notes."""
SOURCE_W = 12
DATE_W = 10
COUNT_W = 4
SOURCE_MIN_WIDTH = 60
"""The source column only where there is room for it (the reader shows it too)."""
TEXT_LIMIT = 400
"""Characters of a passage read to make its one line: enough for any terminal width, and
collapsing the whitespace of a 20,000-character passage on every repaint would not be cheap."""
STRIP_CACHE_MAX = 2048
"""Rendered rows kept; only rows that were on screen are ever rendered, so this is a
screenful of rows many times over, and clearing it costs nothing but re-rendering."""

MULTI_MARK = "▌"

_CONTROL = {c: " " for c in (*range(0x20), *range(0x7F, 0xA0))}
"""C0/C1 control characters (tabs and newlines included) become spaces, then collapse."""


@dataclass
class Row:
    key: str
    item: Item | None = None
    article: Article | None = None


def one_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """The start of `text` on one line: whitespace collapsed, control characters gone."""
    return " ".join(text[:limit].translate(_CONTROL).split())


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis at the edge, or padded."""
    if width <= 0:
        return ""
    if text.isascii():  # the common case: one cell per character
        if len(text) <= width:
            return text.ljust(width)
        return text[: width - 1] + "…"
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "…"


def source_of(article: Article | None) -> str:
    return (article.source or article.publisher) if article else ""


class PassageList(ScrollView, can_focus=True, inherit_bindings=False):
    """Passages (or articles) of one section, one per line under a header line.

    The cursor is an index into `rows`; `current` is the row under it. Marks (for
    multi-select) are kept by key, so they survive patches and reorders.
    """

    DEFAULT_CSS = """
    PassageList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .passage-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .passage-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .passage-list--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        &:ansi > .passage-list--header {
            background: ansi_default;
            color: ansi_default;
            text-style: bold;
        }
        & > .passage-list--key-point {
            color: $key-point-color;
            text-style: bold;
        }
        & > .passage-list--tag {
            color: $tag-color;
        }
        & > .passage-list--note {
            color: $success;
        }
        & > .passage-list--mark {
            color: $accent;
            text-style: bold;
        }
        & > .passage-list--dim {
            color: $foreground-muted;
        }
        & > .passage-list--new {
            color: $accent;
            text-style: bold;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "passage-list--cursor",
        "passage-list--header",
        "passage-list--key-point",
        "passage-list--tag",
        "passage-list--note",
        "passage-list--mark",
        "passage-list--dim",
        "passage-list--new",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="passages.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="passages.up"),
        Binding("g,home", "first", "First", show=False, id="passages.first"),
        Binding("G,end", "last", "Last", show=False, id="passages.last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="passages.page_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="passages.page_up"),
        Binding("space", "toggle_mark", "Mark", show=False, id="passages.mark"),
    ]
    """`enter` is deliberately not a binding (screens bind it); `key_enter` posts Selected
    only when it reaches this widget."""

    @dataclass
    class Highlighted(Message):
        """The cursor is on another row, or the rows were replaced (`show`)."""

        row: Row | None
        passage_list: PassageList | None = None
        moved: bool = False
        """The user moved the cursor here (not: the rows were replaced under it)."""

        @property
        def control(self) -> PassageList | None:
            return self.passage_list

        def can_replace(self, message: Message) -> bool:
            """A burst of cursor moves is worth only its last highlight."""
            return (
                isinstance(message, PassageList.Highlighted)
                and message.passage_list is self.passage_list
            )

    @dataclass
    class Selected(Message):
        """Enter on a row, or a click on the row under the cursor."""

        row: Row
        passage_list: PassageList | None = None

        @property
        def control(self) -> PassageList | None:
            return self.passage_list

    @dataclass
    class MarksChanged(Message):
        """The number of marked rows changed."""

        count: int
        passage_list: PassageList | None = None

        @property
        def control(self) -> PassageList | None:
            return self.passage_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows: list[Row] = []
        self._cursor = 0
        self.mode: Mode = "passages"
        self.marked: set[str] = set()
        """Keys of the rows marked for multi-select (read-only use; see toggle_mark)."""
        self.heading = "Passage"
        """What the rows are, in the header line ("Judgment", "Entry" for those listings)."""
        self.new_keys: Collection[str] = frozenset()
        """Keys of new (unread) passages: drawn bold with a `•`. The screen hands in the
        session's mapping and calls `refresh_keys` for rows whose state it changed."""
        self._empty_hint = ""
        self._index: dict[str, int] | None = None
        """key -> index into rows: built on demand, dropped when rows are replaced, inserted or
        removed, and updated in place by move() (J/K on a long list stays O(1)-ish)."""
        self._strips: dict[str, tuple[tuple[object, ...], object, Strip]] = {}
        """key -> (how it was drawn, what it was drawn from, the drawn row). What it was
        drawn from (the row's item or article) is compared by identity: an edit makes a new
        item, and new rows for the same items (a filter, a section shown again) draw as
        before."""
        self._styles: dict[tuple[str, bool], Style] = {}
        """Component styles as the theme and focus make them now (see _style)."""
        self._highlight_due = False
        self._moved = False
        self._highlighted_key: str | None = None
        """The key last posted in Highlighted, so a reorder that leaves the cursor on the same
        row does not post again."""

    # -- the model ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        """The rows in list order (do not modify; use show/patch/remove/move/insert)."""
        return self._rows

    @property
    def cursor(self) -> int:
        return self._cursor

    @cursor.setter
    def cursor(self, index: int) -> None:
        self._move_cursor(index)

    @property
    def current(self) -> Row | None:
        if 0 <= self._cursor < len(self._rows):
            return self._rows[self._cursor]
        return None

    def index_of(self, key: str) -> int | None:
        """Where the row with `key` is, or None."""
        if self._index is None:
            self._index = {row.key: n for n, row in enumerate(self._rows)}
        return self._index.get(key)

    def marked_rows(self) -> list[Row]:
        """The marked rows in list order."""
        if not self.marked:
            return []
        return [row for row in self._rows if row.key in self.marked]

    def set_empty_hint(self, text: str) -> None:
        """What the list says when it has no rows (e.g. how to file passages here)."""
        self._empty_hint = text
        if not self._rows:
            self.refresh()

    def show(self, rows: list[Row], mode: Mode, keep: str | None = None) -> None:
        """Replace all rows; the cursor goes to `keep` if present, else stays at its index.

        Nothing is rendered here: only the lines on screen are drawn, on the next refresh.
        Marks of rows that are gone are dropped.
        """
        old_index = self._cursor
        before = self._screen_lines()
        self._rows = list(rows)
        self.mode = mode
        self._index = None
        target = self.index_of(keep) if keep is not None else None
        self._cursor = self._clamp(old_index if target is None else target)
        self._prune_marks()
        self._update_virtual_size()
        self._scroll_cursor_visible()
        self._refresh_changed(before)
        self._highlighted_key = None  # rows replaced: post even for the same key
        self._request_highlight()

    def patch(self, rows: Iterable[Row]) -> None:
        """Replace rows with the same key in place, repainting only those on screen."""
        for row in rows:
            index = self.index_of(row.key)
            if index is None:
                continue
            self._rows[index] = row
            self._strips.pop(row.key, None)
            self._refresh_row(index)

    @overload
    def remove(self) -> AwaitRemove: ...

    @overload
    def remove(self, keys: Collection[str], keep: str | None = None) -> None: ...

    def remove(
        self, keys: Collection[str] | None = None, keep: str | None = None
    ) -> AwaitRemove | None:
        """With keys, `remove_rows`; without, Widget.remove (take the widget out of the DOM),
        which Textual and other code may still call on any widget."""
        if keys is None:
            return super().remove()
        self.remove_rows(keys, keep)
        return None

    def remove_rows(self, keys: Collection[str], keep: str | None = None) -> None:
        """Drop the rows with these keys; the cursor goes to `keep`, else stays at its index
        (so it lands on the row that moved up into the removed row's place)."""
        gone = set(keys)
        if not any(row.key in gone for row in self._rows):
            target = self.index_of(keep) if keep is not None else None
            if target is not None:
                self._move_cursor(target)
            return
        old_index = self._cursor
        self._rows = [row for row in self._rows if row.key not in gone]
        self._index = None
        for key in gone:
            self._strips.pop(key, None)
        target = self.index_of(keep) if keep is not None else None
        self._cursor = self._clamp(old_index if target is None else target)
        self._prune_marks()
        self._update_virtual_size()
        self.refresh()
        self._scroll_cursor_visible()
        self._request_highlight()

    def insert(self, rows: list[Row], index: int) -> None:
        """Insert rows before `index`; the cursor stays on the row it was on."""
        if not rows:
            return
        index = max(0, min(index, len(self._rows)))
        current = self.current
        self._rows[index:index] = rows
        self._index = None
        for row in rows:
            self._strips.pop(row.key, None)
        if current is not None and index <= self._cursor:
            self._cursor += len(rows)
        self._cursor = self._clamp(self._cursor)
        self._update_virtual_size()
        self.refresh()
        self._scroll_cursor_visible()
        self._request_highlight()

    def move(self, key: str, delta: int) -> None:
        """Move the row `delta` places (±1 swaps it with its neighbour); the cursor follows it.

        Only the lines between the old and the new place are repainted.
        """
        index = self.index_of(key)
        if index is None:
            return
        target = max(0, min(index + delta, len(self._rows) - 1))
        if target == index:
            return
        row = self._rows.pop(index)
        self._rows.insert(target, row)
        low, high = min(index, target), max(index, target)
        if self._index is not None:  # only the rows between the two places changed index
            for n in range(low, high + 1):
                self._index[self._rows[n].key] = n
        old_cursor = self._cursor
        self._cursor = target
        # Rows between the two places shifted by one; the cursor state of the rows at the old
        # cursor and the target changed: invalidate what they were drawn for by repainting.
        low, high = min(low, old_cursor), max(high, old_cursor)
        self._refresh_rows(low, high - low + 1)
        self._scroll_cursor_visible()
        self._request_highlight()

    # -- marks -------------------------------------------------------------------------------

    def toggle_mark(self, key: str) -> None:
        if key in self.marked:
            self.marked.discard(key)
        else:
            self.marked.add(key)
        index = self.index_of(key)
        if index is not None:
            self._refresh_row(index)
        self.post_message(self.MarksChanged(len(self.marked), self))

    def clear_marks(self) -> None:
        if not self.marked:
            return
        keys, self.marked = self.marked, set()
        for key in keys:
            index = self.index_of(key)
            if index is not None:
                self._refresh_row(index)
        self.post_message(self.MarksChanged(0, self))

    def _prune_marks(self) -> None:
        """Forget marks of rows no longer listed (a section switch, a move elsewhere)."""
        if not self.marked:
            return
        kept = {key for key in self.marked if self.index_of(key) is not None}
        if kept != self.marked:
            self.marked = kept
            self.post_message(self.MarksChanged(len(kept), self))

    # -- cursor and scrolling ----------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self._rows) - 1))

    @property
    def _page(self) -> int:
        """Rows visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _move_cursor(self, index: int) -> None:
        index = self._clamp(index)
        old = self._cursor
        if index == old:
            return
        self._cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_cursor_visible()
        self._moved = True
        self._request_highlight()

    def _scroll_cursor_visible(self) -> None:
        """Scroll (without animation) just enough for the cursor row to be on screen."""
        height = self.scrollable_content_region.height - 1
        if height <= 0 or not self._rows:
            return
        top = self.scroll_offset.y
        # force: right after show() the scrollbar (and so "may scroll") is not there yet.
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, force=True)

    def _update_virtual_size(self) -> None:
        # +1 for the header line; the hint takes the one line of an empty list.
        height = len(self._rows) + 1 if self._rows else 1
        # Never less than the viewport: a list that fits keeps one virtual size, so
        # switching between two short sections is not a layout (a full repaint).
        height = max(height, self.scrollable_content_region.height)
        size = Size(self.scrollable_content_region.width, height)
        if size != self.virtual_size:
            self.virtual_size = size

    def _request_highlight(self) -> None:
        """Post Highlighted once the burst of moves is over (after the next refresh)."""
        if not self._highlight_due:
            self._highlight_due = True
            self.call_after_refresh(self._post_highlight)

    def _post_highlight(self) -> None:
        self._highlight_due = False
        moved, self._moved = self._moved, False
        row = self.current
        key = row.key if row else None
        if key == self._highlighted_key and row is not None:
            return
        self._highlighted_key = key
        self.post_message(self.Highlighted(row, self, moved))

    # -- repainting --------------------------------------------------------------------------

    def _screen_lines(self) -> list[Strip] | None:
        """The lines on screen now (None before the first layout)."""
        height = self.scrollable_content_region.height
        if not height or not self.is_mounted:
            return None
        return [self.render_line(y) for y in range(height)]

    def _refresh_changed(self, before: list[Strip] | None) -> None:
        """Repaint only the lines that differ from `before`: moving between two sections
        resends their differing rows, not the whole pane (blank lines stay as they are)."""
        after = self._screen_lines()
        if before is None or after is None or len(before) != len(after):
            self.refresh()
            return
        width = max(self.size.width, 1)
        changed = [y for y, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
        if changed:
            drop_stale_regions(self)
            for y in changed:
                self.refresh(Region(0, y, width, 1))

    def refresh_keys(self, keys: Iterable[str]) -> None:
        """Repaint these rows (their new/read state changed), where they are listed."""
        for key in keys:
            index = self.index_of(key)
            if index is not None:
                self._refresh_row(index)

    def _refresh_row(self, index: int) -> None:
        self._refresh_rows(index, 1)

    def _refresh_rows(self, index: int, count: int) -> None:
        """Repaint rows `index`..`index+count-1`, only the part on screen."""
        if not self._rows:
            return
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        first = max(index, top)
        last = min(index + count, top + height - 1)  # exclusive; line 0 is the header
        if last <= first:
            return
        width = max(self.size.width, 1)
        drop_stale_regions(self)
        self.refresh(Region(0, first - top + 1, width, last - first))

    def notify_style_update(self) -> None:
        """Colours changed (theme, focus): the cached rows were drawn in the old ones."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def _style(self, name: str = "", partial: bool = False) -> Style:
        """The widget's style (no name) or a component's, worked out once per style change:
        Textual works one out by walking the ancestors, and a row takes several."""
        key = (name, partial)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = (
                self.get_component_rich_style(name, partial=partial) if name else self.rich_style
            )
        return style

    def _on_resize(self, event: events.Resize) -> None:
        # Cached rows stay: each was drawn for a width, and is drawn again at another.
        self._update_virtual_size()
        self._scroll_cursor_visible()

    def _on_focus(self, event: events.Focus) -> None:
        # Widget._on_focus (called too, Textual dispatches along the MRO) repaints all.
        self._scroll_cursor_visible()

    # -- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style()
        if not self._rows:
            if y == 0 and self._empty_hint:
                dim = base + self._style("passage-list--dim", partial=True)
                return Strip([Segment(fit(" " + one_line(self._empty_hint), width), dim)], width)
            return Strip.blank(width, base)
        if y == 0:
            return self._header(width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        return self._row_strip(index, width)

    def _with_source(self, width: int) -> bool:
        return width >= SOURCE_MIN_WIDTH

    def _header(self, width: int) -> Strip:
        style = self._style("passage-list--header")
        lead = " " * MARK_W
        source = fit("Source", SOURCE_W + 1) if self._with_source(width) else ""
        if self.mode == "articles":
            text = lead + "#".rjust(COUNT_W) + " " + source + fit("Date", DATE_W + 1) + "Article"
        else:
            text = lead + " " * (MARKS_W + 1) + source + self.heading
        return Strip([Segment(fit(text, width), style)], width)

    def _row_strip(self, index: int, width: int) -> Strip:
        row = self._rows[index]
        state = (
            width,
            self.mode,
            index == self._cursor,
            row.key in self.marked,
            self.has_focus,
            row.key in self.new_keys,
        )
        source = row.item if row.item is not None else row.article
        cached = self._strips.get(row.key)
        if cached is not None and cached[0] == state and cached[1] is source:
            return cached[2]
        strip = self._draw_row(
            row, width, index == self._cursor, row.key in self.marked, row.key in self.new_keys
        )
        if len(self._strips) >= STRIP_CACHE_MAX:
            self._strips.clear()
        self._strips[row.key] = (state, source, strip)
        return strip

    def _draw_row(
        self, row: Row, width: int, cursor: bool, marked: bool, new: bool = False
    ) -> Strip:
        """One row as segments, in exactly `width` cells; text is never parsed as markup."""
        base = self._style("passage-list--cursor") if cursor else self._style()

        def part(name: str) -> Style:
            # On the cursor row the cursor's own colours win: a yellow ★ on a yellow cursor
            # (high-contrast) would vanish; the glyphs still tell the marks apart.
            if cursor:
                return base
            return base + self._style(name, partial=True)

        segments: list[Segment] = [
            Segment(MULTI_MARK, part("passage-list--mark")) if marked else Segment(" ", base)
        ]
        used = MARK_W
        with_source = self._with_source(width)
        if row.article is not None and row.item is None:
            a = row.article
            segments.append(
                Segment(
                    str(a.passage_count).rjust(COUNT_W)[-COUNT_W:] + " ", part("passage-list--dim")
                )
            )
            used += COUNT_W + 1
            if with_source:
                segments.append(Segment(fit(one_line(source_of(a), 100), SOURCE_W) + " ", base))
                used += SOURCE_W + 1
            segments.append(Segment(fit(one_line(a.published or "", 20), DATE_W) + " ", base))
            used += DATE_W + 1
            text = one_line(a.title)
        else:
            item = row.item
            st = item.state if item else None
            after = Segment("•", part("passage-list--new")) if new else Segment(" ", base)
            if st is None or st.empty:
                segments += [Segment("   ", base), after]
            else:
                segments += [
                    Segment("★", part("passage-list--key-point"))
                    if st.key_point
                    else Segment(" ", base),
                    Segment("#", part("passage-list--tag")) if st.tags else Segment(" ", base),
                    Segment("✎", part("passage-list--note")) if st.notes else Segment(" ", base),
                    after,
                ]
            used += MARKS_W + 1
            if with_source:
                source = source_of(item.article) if item else ""
                segments.append(Segment(fit(one_line(source, 100), SOURCE_W) + " ", base))
                used += SOURCE_W + 1
            text = one_line(item.passage.text) if item else row.key
        rest = width - used
        if rest > 0:
            segments.append(Segment(fit(text, rest), base + Style(bold=True) if new else base))
        strip = Strip(segments)
        if rest < 0:  # narrower than the fixed columns
            strip = strip.crop(0, width)
        return strip.simplify()

    # -- input -------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor - 1)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self._rows) - 1)

    def action_page_down(self) -> None:
        """Move a page, keeping the cursor on the same screen line (as a pager does)."""
        page = self._page
        self.scroll_to(y=self.scroll_offset.y + page, animate=False)
        self._move_cursor(self._cursor + page)

    def action_page_up(self) -> None:
        page = self._page
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False)
        self._move_cursor(self._cursor - page)

    def action_toggle_mark(self) -> None:
        """Mark (or unmark) the current row and go to the next, so `space` marks a run."""
        row = self.current
        if row is None:
            return
        self.toggle_mark(row.key)
        self._move_cursor(self._cursor + 1)

    def key_enter(self, event: events.Key) -> bool:
        """Post Selected; with no rows, let `enter` go on to the screen."""
        row = self.current
        if row is None:
            return False
        event.stop()
        self.post_message(self.Selected(row, self))
        return True

    async def _on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a click on the cursor row (or a double click) selects."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1 or not self._rows:
            return
        index = self.scroll_offset.y + offset.y - 1
        if index >= len(self._rows):
            return
        event.stop()
        if index == self._cursor:
            self.post_message(self.Selected(self._rows[index], self))
        else:
            self._move_cursor(index)
