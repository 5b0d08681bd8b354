"""The middle pane: a DataTable of passages (or of articles, in the Library).

DataTable renders only the visible rows and redraws only the rows whose highlight moved,
which keeps a `j`/`k` press to a few hundred bytes over SSH (ListView/OptionList slow down
at ~1,000 rows: textual#2783, #5498). Every cell is a `rich.text.Text`, so article text is
never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from briefing.briefs import Item
from briefing.model import Article

MARKS_W = 3
SOURCE_W = 12


@dataclass
class Row:
    key: str
    item: Item | None = None
    article: Article | None = None


def marks(item: Item) -> Text:
    st = item.state
    if st.empty:
        return Text("   ", no_wrap=True)  # one plain segment: fewer bytes per redrawn row
    text = Text(no_wrap=True)
    text.append("★" if st.key_point else " ", style="bold yellow")
    text.append("#" if st.tags else " ", style="cyan")
    text.append("✎" if st.notes else " ", style="green")
    return text


def first_line(text: str) -> Text:
    return Text(" ".join(text.split())[:300], no_wrap=True, overflow="ellipsis")


class PassageTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_header=True, **kwargs)  # type: ignore[arg-type]
        self.rows_data: list[Row] = []
        self.mode = "passages"
        self._layout: tuple[str, int] | None = None
        """(mode, width) the columns were made for."""
        self._pending_keep: str | None = None
        """The row to select once the table is laid out (see show)."""

    @property
    def with_source(self) -> bool:
        """The source column only where there is room for it (the reader shows it too)."""
        return (self.size.width or 80) >= 60

    def _text_width(self) -> int:
        width = self.size.width or 60
        fixed = MARKS_W + 2 + (SOURCE_W + 2 if self.with_source else 0)
        fixed += 12 if self.mode == "articles" else 0
        return max(10, width - fixed - 2)

    def _columns(self) -> None:
        self.clear(columns=True)
        self.add_column(Text(""), width=MARKS_W, key="marks")
        if self.with_source:
            self.add_column(Text("Source"), width=SOURCE_W, key="source")
        if self.mode == "articles":
            self.add_column(Text("Date"), width=10, key="date")
            self.add_column(Text("Article"), width=self._text_width(), key="text")
        else:
            self.add_column(Text("Passage"), width=self._text_width(), key="text")

    def show(self, rows: list[Row], mode: str, keep: str | None = None) -> None:
        """Replace the rows; the cursor goes to `keep` if present, else stays at its index."""
        if not self.size.width:  # not laid out yet: on_resize builds it once, at its width
            self.rows_data, self.mode, self._pending_keep = rows, mode, keep
            return
        index = self.cursor_row
        layout = (mode, self.size.width)
        if layout != self._layout or not self.columns:
            self._layout = layout
            self.mode = mode
            self._columns()
        else:
            self.clear()  # same columns: keep them, so only the rows are redrawn
        self.rows_data = rows
        for row in rows:
            self.add_row(*self._cells(row), key=row.key)
        if not rows:
            return
        keys = [r.key for r in rows]
        target = keys.index(keep) if keep in keys else min(max(index, 0), len(rows) - 1)
        self.move_cursor(row=target, animate=False)

    def _cells(self, row: Row) -> list[Text]:
        if row.article is not None:
            a = row.article
            cells = [
                Text(str(a.passage_count), style="dim", no_wrap=True),
                Text(a.source or a.publisher, no_wrap=True, overflow="ellipsis"),
                Text(a.published or "", no_wrap=True),
                first_line(a.title),
            ]
        else:
            assert row.item is not None
            i = row.item
            source = (i.article.source or i.article.publisher) if i.article else ""
            cells = [
                marks(i),
                Text(source, no_wrap=True, overflow="ellipsis"),
                first_line(i.passage.text),
            ]
        if not self.with_source:
            del cells[1]
        return cells

    @property
    def current(self) -> Row | None:
        if not self.rows_data or self.cursor_row < 0 or self.cursor_row >= len(self.rows_data):
            return None
        return self.rows_data[self.cursor_row]

    def on_resize(self) -> None:
        keep = self._pending_keep
        if self.columns and self.current:
            keep = self.current.key
        self._pending_keep = None
        self.show(self.rows_data, self.mode, keep)
