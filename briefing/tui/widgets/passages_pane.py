"""The middle pane: a title saying what is listed, a search box made on first use, and the
passage list. It owns filtering: the screen hands it all the rows of a listing and it shows
the ones that match what is typed.

Filtering goes through a word index of the listing (`search.WordIndex`), made in a thread
as soon as the search box opens, so a keystroke looks words up instead of reading 10,000
rows again; patches and removals keep it in step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from briefing import search
from briefing.tui.widgets.passage_list import Mode, PassageList, Row


def row_words(row: object) -> list[str]:
    """What the filter matches a row against (as `search.matcher` and `article_matches`)."""
    assert isinstance(row, Row)
    if row.item is not None:
        return search.item_words(row.item)
    if row.article is not None:
        return search.article_words(row.article)
    return []


class IndexBuild:
    """A listing's word index, made in a thread (10,000 rows take ~100 ms).

    `result()` waits for it: a keystroke that comes before it is done gets it as soon as it
    is (the thread runs alone meanwhile), and one that comes after gets it at once."""

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows
        self._index: search.WordIndex | None = None
        self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._index = self._make()

    def _make(self) -> search.WordIndex:
        index = search.WordIndex(row_words)
        for row in self._rows:
            if row.item is not None or row.article is not None:
                index.add(row.key, row)
        return index

    def result(self) -> search.WordIndex:
        self._thread.join()
        if self._index is None:  # the thread failed: the error shows here, on the UI thread
            self._index = self._make()
        return self._index


class PassagesPane(Vertical):
    class QueryChanged(Message):
        """What is typed in the search changed (the reader marks the words it matches)."""

    DEFAULT_CSS = """
    PassagesPane > #search { height: 3; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.all_rows: list[Row] = []
        self.mode: Mode = "passages"
        self.query_text = ""
        self.empty_hint = ""
        self._index: IndexBuild | None = None
        """The word index of all_rows, once the search box has been opened on them."""
        self.text_search: Callable[[str], set[str] | None] | None = None
        """For the Library: ids of the articles whose passages match a query (None while
        that cannot be asked: the titles alone then decide)."""
        self._touched: set[str] = set()
        """Keys of rows patched or removed since the index was started (see _word_index)."""

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="passages-title", classes="pane-title")
        yield PassageList(id="passages")

    @property
    def plist(self) -> PassageList:
        return self.query_one(PassageList)

    def set_title(self, title: str, count: int | None = None) -> None:
        self._title, self._counted = title, count is not None
        text = Text(title, no_wrap=True, overflow="ellipsis")
        if count is not None:
            text.append(f" · {count}", style="dim")
        self.query_one("#passages-title", Static).update(text)

    def recount(self) -> None:
        """The title's count after rows left or joined the list (a move, a take-out)."""
        if getattr(self, "_counted", False):
            self.set_title(self._title, len(self.all_rows))

    def show(self, rows: list[Row], mode: Mode, keep: str | None = None, hint: str = "") -> None:
        """All the rows of a listing; the list shows those matching the search."""
        self.all_rows, self.mode, self.empty_hint = rows, mode, hint
        self._index = None
        self._touched.clear()
        if self.searching:
            self._start_index()
        self._refilter(keep)

    def _start_index(self) -> None:
        if self._index is None:
            self._index = IndexBuild(list(self.all_rows))
            self._touched.clear()

    def _word_index(self) -> search.WordIndex:
        """The index of all_rows as they are now (started here if the box did not)."""
        self._start_index()
        assert self._index is not None
        index = self._index.result()
        if self._touched:
            rows = {r.key: r for r in self.all_rows}
            for key in self._touched:
                row = rows.get(key)
                if row is not None and (row.item is not None or row.article is not None):
                    index.add(key, row)  # replaces what was indexed of it
                else:
                    index.discard(key)
            self._touched.clear()
        return index

    def refilter(self) -> None:
        """Filter again with what is typed (what a query finds changed)."""
        if self.query_text.strip():
            current = self.plist.current
            self._refilter(current.key if current else None)

    def _refilter(self, keep: str | None = None) -> None:
        q = self.query_text.strip()
        if q:
            found = self._word_index().find(q, last_is_prefix=True)
            if found is not None and self.mode == "articles" and self.text_search:
                # The Library: titles from the word index, passage text from the book's.
                hits = self.text_search(q)
                if hits:
                    found = found | {"a:" + aid for aid in hits}
            if found is None:  # no words in the query (`-`, `*`): every row matches
                shown = [r for r in self.all_rows if r.item is not None or r.article is not None]
            else:
                shown = [r for r in self.all_rows if r.key in found]
        else:
            shown = self.all_rows
        hint = (
            f"Nothing matches “{q}”. escape clears the search."
            if q and self.all_rows
            else self.empty_hint
        )
        self.plist.set_empty_hint(hint)
        self.plist.show(shown, self.mode, keep)

    # -- keeping all_rows in step with what the list shows --------------------------------------

    def patch(self, rows: list[Row]) -> None:
        by_key = {r.key: r for r in rows}
        self.all_rows = [by_key.get(r.key, r) for r in self.all_rows]
        self._touched.update(by_key)
        self.plist.patch(rows)

    def remove_rows(self, keys: set[str], keep: str | None = None) -> None:
        self.all_rows = [r for r in self.all_rows if r.key not in keys]
        self._touched.update(keys)
        self.plist.remove_rows(keys, keep)
        self.recount()

    def move_row(self, key: str, delta: int) -> None:
        """Swap with the neighbour in the section (J/K), in both lists."""
        keys = [r.key for r in self.all_rows]
        if key in keys:
            i = keys.index(key)
            j = i + delta
            if 0 <= j < len(self.all_rows):
                self.all_rows[i], self.all_rows[j] = self.all_rows[j], self.all_rows[i]
        self.plist.move(key, delta)

    # -- search ---------------------------------------------------------------------------------

    @property
    def search_box(self) -> Input | None:
        found = self.query("#search")
        return found.first(Input) if found else None

    @property
    def searching(self) -> bool:
        box = self.search_box
        return box is not None and (bool(box.display) or bool(self.query_text))

    def open_search(self) -> None:
        """The search box is made on first use: one widget less to build at start-up."""
        box = self.search_box
        if box is None:
            box = Input(placeholder="search text, notes and tags — escape clears", id="search")
            self.mount(box, before=self.plist)
        box.display = True
        # After the box is drawn: the thread would slow the frame that shows it.
        self.call_after_refresh(self._start_index)
        self.call_after_refresh(box.focus)

    def close_search(self) -> None:
        box = self.search_box
        if box is not None:
            box.value = ""
            box.display = False
        if self.query_text:
            self.query_text = ""
            current = self.plist.current
            self._refilter(current.key if current else None)
        self.plist.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.query_text:
            return  # close_search cleared the box and the list already
        self.query_text = event.value
        current = self.plist.current
        self._refilter(current.key if current else None)
        self.post_message(self.QueryChanged())

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.plist.focus()
