"""The middle pane: a title saying what is listed, a search box made on first use, and the
passage list. It owns filtering: the screen hands it all the rows of a listing and it shows
the ones that match what is typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing import search
from briefing.briefs import Item
from briefing.tui.widgets.passage_list import Mode, PassageList, Row


class PassagesPane(Vertical):
    DEFAULT_CSS = """
    PassagesPane > #search { height: 3; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.all_rows: list[Row] = []
        self.mode: Mode = "passages"
        self.query_text = ""
        self.empty_hint = ""
        self._word_cache: dict[int, tuple[Item, list[str]]] = {}

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
        self._word_cache.clear()
        self._refilter(keep)

    def _words(self, item: Item) -> list[str]:
        """An item's words, kept while the item is (an edit makes a new item)."""
        cached = self._word_cache.get(id(item))
        if cached is None or cached[0] is not item:
            cached = self._word_cache[id(item)] = (item, search.item_words(item))
        return cached[1]

    def _refilter(self, keep: str | None = None) -> None:
        q = self.query_text.strip()
        if q:
            test = search.matcher(q, last_is_prefix=True, tokens=self._words)
            shown = [
                r
                for r in self.all_rows
                if (r.item is not None and test(r.item))
                or (
                    r.article is not None
                    and search.article_matches(r.article, q, last_is_prefix=True)
                )
            ]
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
        self.plist.patch(rows)

    def remove_rows(self, keys: set[str], keep: str | None = None) -> None:
        self.all_rows = [r for r in self.all_rows if r.key not in keys]
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
        self.query_text = event.value
        current = self.plist.current
        self._refilter(current.key if current else None)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.plist.focus()
