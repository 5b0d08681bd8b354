"""The main screen: sections | passages | reader, and every action on a passage.

Storage, import and export run in thread workers; their results come back to the main
thread with `call_from_thread`. Navigation never touches the disk: `j`/`k` moves the table
cursor and redraws the reader, nothing else.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static

from briefing import briefs, editing, search
from briefing.briefs import BriefView, Item
from briefing.errors import BriefingError
from briefing.model import Article, Passage
from briefing.store import Book
from briefing.tui.widgets.passages import PassageTable, Row
from briefing.tui.widgets.reader import Reader, render_article, render_item
from briefing.tui.widgets.sections import LIBRARY, TAGS, UNSORTED, SectionList

UNFILE = "__unsorted__"


def dialogs():  # type: ignore[no-untyped-def]
    """Dialog classes, imported on first use to keep start-up short."""
    from briefing.tui.screens import dialogs as module

    return module


def help_screen(rows: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from briefing.tui.screens.help import HelpScreen

    return HelpScreen(rows)


POLL_SECONDS = 2.0


@dataclass
class Undo:
    label: str
    run: Callable[[], None]
    keep: str | None = None


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit (everything is already saved)"),
        Binding("question_mark", "help", "Help", id="help", key_display="?", tooltip="This list"),
        Binding("tab", "pane(1)", "Next pane", id="next_pane", show=False),
        Binding("shift+tab", "pane(-1)", "Previous pane", id="previous_pane", show=False),
        Binding(
            "slash",
            "search",
            "Search",
            id="search",
            tooltip="Filter this list as you type: text, notes, tags",
        ),
        Binding("t", "tag", "Tag", id="tag", tooltip="Tag the passage (comma-separated)"),
        Binding(
            "a",
            "annotate",
            "Note",
            id="annotate",
            tooltip="Write a note on the passage (ctrl+s saves)",
        ),
        Binding(
            "asterisk",
            "key_point",
            "Key pt",
            id="key_point",
            key_display="*",
            tooltip="Mark or unmark as a key point",
        ),
        Binding("m", "move", "Move", id="move", tooltip="Move the passage to another section"),
        Binding(
            "J",
            "reorder(1)",
            "Down",
            id="move_down",
            show=False,
            tooltip="Move the passage down in its section",
        ),
        Binding(
            "K",
            "reorder(-1)",
            "Up",
            id="move_up",
            show=False,
            tooltip="Move the passage up in its section",
        ),
        Binding(
            "i", "import", "Import", id="import", tooltip="Import a file or folder into this brief"
        ),
        Binding("e", "export", "Export", id="export", tooltip="Compile the brief to Markdown"),
        Binding(
            "b",
            "switch_brief",
            "Brief",
            id="switch_brief",
            tooltip="Switch brief, or create one from a template",
        ),
        Binding("s", "summary", "Summary", id="summary", tooltip="Edit the brief's summary (BLUF)"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding(
            "r",
            "toggle_reader",
            "Reader",
            id="toggle_reader",
            show=False,
            tooltip="Show or hide the reader",
        ),
        Binding(
            "escape", "back", "Back", id="back", show=False, tooltip="Back, or clear the search"
        ),
        Binding(
            "ctrl+p",
            "app.command_palette",
            "Commands",
            id="command_palette",
            show=False,
            tooltip="Command palette: every action, and themes",
        ),
    ]
    """Keys of the main screen; each id can be remapped in the config file's `keymap:`."""

    def __init__(self, book: Book, brief_id: str | None) -> None:
        super().__init__()
        self.book = book
        self.brief_id = brief_id
        self.view: BriefView | None = None
        self.listing: str = ""
        self.all_rows: list[Row] = []
        self.undo_stack: list[Undo] = []
        self.token: object = None
        self._library: list[Article] | None = None
        self._neighbours: dict[str, list[Passage]] = {}
        self._query = ""

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("briefing"), id="title")
        with Horizontal(id="panes"):
            yield SectionList(id="sections")
            with Vertical(id="middle"):
                yield PassageTable(id="passages")
            yield Reader(id="reader")
        yield Static(Text(""), id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sections", SectionList).focus()
        # The brief is one small file: read it right here, so the first frame shows it.
        # Everything later (reloads, the library) goes through workers.
        try:
            self.apply(*self.read_brief(), keep=None, first=True)
        except BriefingError as exc:
            self.error(exc)
        self.set_interval(POLL_SECONDS, self.poll)

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < 100, "-narrow")
        self.set_class(width < 60, "-tiny")

    def on_descendant_focus(self) -> None:
        self._mark_pane(self.focused)

    def _mark_pane(self, pane: object) -> None:
        """Narrow layouts show panes by which one has focus (see app.tcss)."""
        self.set_class(isinstance(pane, SectionList), "-in-sections")
        self.set_class(isinstance(pane, Reader), "-in-reader")

    def focus_pane(self, pane: SectionList | PassageTable | Reader) -> None:
        """Show the pane first (it may be collapsed at this width), then focus it."""
        self._mark_pane(pane)
        self.call_after_refresh(pane.focus)

    def action_pane(self, step: int) -> None:
        panes: list[SectionList | PassageTable | Reader] = [
            self.sections,
            self.table,
            self.query_one(Reader),
        ]
        focused = self.focused
        current = (
            1
            if isinstance(focused, Input)
            else next((i for i, p in enumerate(panes) if p is focused), 0)
        )
        self.focus_pane(panes[(current + step) % len(panes)])

    # -- loading --------------------------------------------------------------------------

    @property
    def table(self) -> PassageTable:
        return self.query_one("#passages", PassageTable)

    @property
    def sections(self) -> SectionList:
        return self.query_one("#sections", SectionList)

    def read_brief(self) -> tuple[BriefView | None, dict[str, int], object]:
        """The brief (not the library), its tag counts, and the book's change token."""
        token = self.book.change_token()
        bid = briefs.current_brief_id(self.book, self.brief_id)
        view = briefs.view(self.book, bid) if bid else None
        return view, briefs.tag_counts(self.book), token

    @work(thread=True, exclusive=True, group="load")
    def load(self, first: bool = False, keep: str | None = None) -> None:
        """Read the brief again (after an edit, or another instance's) and show it."""
        try:
            loaded = self.read_brief()
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return
        self.app.call_from_thread(self.apply, *loaded, keep=keep, first=first)

    def apply(
        self,
        view: BriefView | None,
        tags: dict[str, int],
        token: object,
        keep: str | None,
        first: bool,
    ) -> None:
        self.view, self.token = view, token
        self.brief_id = view.brief.id if view else None
        self._neighbours.clear()
        if view:
            for item in view.items():
                self._neighbours.setdefault(item.passage.article_id, []).append(item.passage)
        title = Text("briefing", style="bold")
        if view:
            title.append(" · " + view.brief.title)
            if view.brief.marking:
                title.append(f"  [{view.brief.marking}]", style="bold reverse")
        else:
            title.append(" · no brief yet — press b to create one, i to import")
        self.query_one("#title", Static).update(title)
        self.sections.show_brief(view, tags)
        if first or not self.listing:
            self.listing = self.sections.highlighted_id or ""
        self.show_listing(keep=keep)
        self.set_status()

    def set_status(self, extra: str = "") -> None:
        """The status line: what the brief holds, or the progress of long work."""
        if extra:
            text = Text(extra, no_wrap=True)
        elif self.view:
            n, sources = len(self.view.items()), len(self.view.cited_articles())
            text = Text(
                f"{n} passages from {sources} source{'s' if sources != 1 else ''} · "
                f"{sum(1 for i in self.view.items() if i.state.key_point)} key points · "
                "? for keys",
                style="dim",
                no_wrap=True,
            )
        else:
            text = Text("no brief · b creates one · ? for keys", style="dim", no_wrap=True)
        self.query_one("#status", Static).update(text)

    def poll(self) -> None:
        """Pick up another instance's changes (two SSH sessions on one book)."""
        if self.token is not None and self.book.change_token() != self.token:
            self._library = None
            current = self.table.current
            self.load(keep=current.key if current else None)

    def error(self, exc: Exception) -> None:
        self.notify(str(exc), severity="error", markup=False, timeout=8)

    # -- listings ---------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#sections")
    def section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.listing:
            self.listing = event.option.id
            self.show_listing()

    @on(OptionList.OptionSelected, "#sections")
    def section_selected(self) -> None:
        self.focus_pane(self.table)

    def show_listing(self, keep: str | None = None) -> None:
        listing, view = self.listing, self.view
        if listing.startswith("s:") and view:
            sid = listing[2:]
            sv = next((s for s in view.sections if s.section.id == sid), None)
            self.set_rows(
                [Row(i.passage.id, item=i) for i in (sv.items if sv else [])], "passages", keep
            )
        elif listing == LIBRARY:
            if self._library is None:
                self.set_rows([], "articles")
                self.load_library()
            else:
                self.set_rows(
                    [Row("a:" + a.id, article=a) for a in self._library], "articles", keep
                )
        else:
            self.set_rows([], "passages")
            self.load_items(listing, keep)

    @work(thread=True, exclusive=True, group="items")
    def load_items(self, listing: str, keep: str | None) -> None:
        view = self.view
        try:
            if listing == UNSORTED and view:
                items = briefs.unsorted_items(self.book, view)
            elif listing == TAGS:
                items = briefs.tagged_items(self.book, view)
            elif listing.startswith("tag:"):
                items = briefs.tagged_items(self.book, view, listing[4:])
            elif listing.startswith("article:"):
                items = briefs.article_items(self.book, listing[8:], view)
            else:
                items = []
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return

        def show() -> None:
            if listing.startswith("article:"):  # the whole article: every neighbour is known
                self._neighbours[listing[8:]] = [i.passage for i in items]
            if self.listing == listing:
                self.set_rows([Row(i.passage.id, item=i) for i in items], "passages", keep)

        self.app.call_from_thread(show)

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        """The whole library, read only when asked for (it can hold thousands of articles)."""
        try:
            articles = self.book.articles()
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return

        def show() -> None:
            self._library = articles
            if self.listing == LIBRARY:
                self.show_listing()

        self.app.call_from_thread(show)

    def set_rows(self, rows: list[Row], mode: str, keep: str | None = None) -> None:
        self.all_rows = rows
        shown = self.filtered(rows)
        self.table.show(shown, mode, keep)
        if not shown:
            self.query_one(Reader).show(self.empty_hint())
        else:
            self.show_reader(self.table.current)

    def empty_hint(self) -> Text:
        if self._query:
            return Text(f"Nothing matches “{self._query}”. escape clears the search.", style="dim")
        if self.listing == UNSORTED:
            return Text("Every passage of this brief's articles is in a section.", style="dim")
        if self.listing.startswith("tag") or self.listing == TAGS:
            return Text("No tagged passages yet: t tags the selected passage.", style="dim")
        if self.listing == LIBRARY:
            return Text("The library is empty: i imports a file or folder.", style="dim")
        return Text(
            "No passages here yet: i imports articles, m moves a passage here.", style="dim"
        )

    def filtered(self, rows: list[Row]) -> list[Row]:
        q = self._query.strip()
        if not q:
            return rows
        return [
            r
            for r in rows
            if (r.item is not None and search.matches(r.item, q))
            or (r.article is not None and search.article_matches(r.article, q))
        ]

    # -- reader -------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#passages")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_reader(self.table.current)

    def show_reader(self, row: Row | None) -> None:
        reader = self.query_one(Reader)
        if row is None:
            return
        if row.article is not None:
            reader.show(render_article(row.article))
            return
        assert row.item is not None
        item = row.item
        before, after = self.neighbours(item.passage)
        section = ""
        if item.section_id and self.view:
            s = self.view.brief.section(item.section_id)
            section = s.title if s else item.section_id
        reader.show(render_item(item, before, after, section))

    def neighbours(self, p: Passage) -> tuple[Passage | None, Passage | None]:
        known = {x.index: x for x in self._neighbours.get(p.article_id, [])}
        return known.get(p.index - 1), known.get(p.index + 1)

    @on(DataTable.RowSelected, "#passages")
    def row_selected(self) -> None:
        row = self.table.current
        if row and row.article is not None:
            self.listing = "article:" + row.article.id
            self.show_listing()
        else:
            self.focus_pane(self.query_one(Reader))

    # -- actions --------------------------------------------------------------------------------

    def current_item(self) -> Item | None:
        row = self.table.current
        if row is None or row.item is None:
            self.notify("Select a passage first (tab to the passages pane).", severity="warning")
            return None
        return row.item

    def search_box(self) -> Input | None:
        found = self.query("#search")
        return found.first(Input) if found else None

    def action_search(self) -> None:
        """The search box is made on first use: one widget less to build at start-up."""
        box = self.search_box()
        if box is None:
            box = Input(placeholder="search text, notes and tags — escape clears", id="search")
            self.query_one("#middle").mount(box, before=self.table)
        box.display = True
        self.call_after_refresh(box.focus)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        current = self.table.current
        self.set_rows(self.all_rows, self.table.mode, current.key if current else None)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.focus_pane(self.table)

    def action_back(self) -> None:
        box = self.search_box()
        if box is not None and (box.display or self._query):
            box.value = ""
            box.display = False
            self._query = ""
            self.set_rows(self.all_rows, self.table.mode)
            self.focus_pane(self.table)
        elif self.listing.startswith("article:"):
            aid = self.listing[8:]
            self.listing = LIBRARY
            self.show_listing(keep="a:" + aid)
        elif isinstance(self.focused, Reader):
            self.focus_pane(self.table)

    def action_toggle_reader(self) -> None:
        self.toggle_class("-reader-hidden")

    def action_help(self) -> None:
        """Our keys, in the order of BINDINGS, as the keymap has them now."""
        keys: dict[str, list[str]] = {}
        for active in self.app.active_bindings.values():
            b = active.binding
            if b.id:
                keys.setdefault(b.id, []).append(self.app.get_key_display(b))
        rows = [
            (
                " / ".join(keys.get(b.id) or [self.app.get_key_display(b)]),
                b.tooltip or b.description,
            )
            for b in self.BINDINGS
            if isinstance(b, Binding) and b.id
        ]
        rows += [
            ("j / k, ↓ / ↑", "Move (in the reader: scroll)"),
            ("enter", "Open: a section's passages, an article, the reader"),
        ]
        self.app.push_screen(help_screen(rows))

    def action_tag(self) -> None:
        item = self.current_item()
        if item is None:
            return

        def done(value: object) -> None:
            if isinstance(value, str):
                self.edit(
                    "tags",
                    item.passage.id,
                    lambda: editing.set_tags(self.book, item.passage.id, [value]),
                    lambda before: lambda: editing.restore_state(self.book, before),
                )

        self.app.push_screen(
            dialogs().InputDialog(
                "Tags for this passage",
                ", ".join(item.state.tags),
                hint="comma-separated · enter saves · escape cancels",
                placeholder="e.g. mediation, follow-up",
            ),
            done,
        )

    def action_annotate(self) -> None:
        item = self.current_item()
        if item is None:
            return

        def done(value: object) -> None:
            if isinstance(value, str) and value.strip():
                self.edit(
                    "note",
                    item.passage.id,
                    lambda: editing.add_note(self.book, item.passage.id, value)[1],
                    lambda before: lambda: editing.restore_state(self.book, before),
                )

        context = (
            item.passage.text if len(item.passage.text) < 300 else item.passage.text[:299] + "…"
        )
        self.app.push_screen(dialogs().TextDialog("Note on this passage", "", context), done)

    def action_key_point(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self.edit(
            "key point",
            item.passage.id,
            lambda: editing.set_key_point(self.book, item.passage.id),
            lambda before: lambda: editing.restore_state(self.book, before),
        )

    def action_move(self) -> None:
        item = self.current_item()
        if item is None or self.view is None:
            if self.view is None:
                self.notify("No brief yet: b creates one.", severity="warning")
            return
        choices = [(s.section.id, s.section.title) for s in self.view.sections]
        if item.section_id:
            choices.append((UNFILE, "Unsorted (take out of the brief's sections)"))
        bid = self.view.brief.id
        brief = self.view.brief

        def done(value: object) -> None:
            if not isinstance(value, str) or value == item.section_id:
                return
            if value == UNFILE:
                do = lambda: editing.unfile_passage(self.book, bid, item.passage.id)  # noqa: E731
            else:
                do = lambda: editing.move_passage(self.book, brief, item.passage.id, value)  # noqa: E731
            self.edit(
                "move",
                item.passage.id,
                do,
                lambda before: lambda: editing.restore_filings(self.book, bid, before),
                keep_next=True,
            )

        self.app.push_screen(
            dialogs().PickDialog(
                "Move to section", choices, hint="type to filter · enter moves · escape cancels"
            ),
            done,
        )

    def action_reorder(self, delta: int) -> None:
        item = self.current_item()
        if (
            item is None
            or self.view is None
            or not item.section_id
            or not self.listing.startswith("s:")
        ):
            self.notify("J/K reorder passages within a section of the brief.", severity="warning")
            return
        bid = self.view.brief.id
        self.edit(
            "reorder",
            item.passage.id,
            lambda: editing.reorder_passage(self.book, bid, item.passage.id, delta),
            lambda before: lambda: editing.restore_filings(self.book, bid, before),
        )

    def action_summary(self) -> None:
        if self.view is None:
            self.notify("No brief yet: b creates one.", severity="warning")
            return
        bid = self.view.brief.id

        def done(value: object) -> None:
            if isinstance(value, str):
                self.edit(
                    "summary",
                    None,
                    lambda: editing.set_summary(self.book, bid, value),
                    lambda before: lambda: editing.set_summary(self.book, bid, before),
                )

        self.app.push_screen(
            dialogs().TextDialog("Summary (bottom line up front)", self.view.brief.summary), done
        )

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        undo = self.undo_stack.pop()
        self.run_edit(undo.run, None, f"Undone: {undo.label}", undo.keep)

    # -- the one path every edit takes ---------------------------------------------------------

    def edit(
        self,
        label: str,
        keep: str | None,
        do: Callable[[], Any],
        make_undo: Callable[[Any], Callable[[], None]],
        keep_next: bool = False,
    ) -> None:
        """Run `do` in a worker; what it returns (the state before) becomes the undo."""
        if keep_next:
            rows = self.table.rows_data
            i = self.table.cursor_row
            nxt = rows[i + 1].key if i + 1 < len(rows) else (rows[i - 1].key if i > 0 else None)
            keep_after = nxt if self.listing.startswith("s:") else keep
        else:
            keep_after = keep

        def wrapped() -> None:
            before = do()
            self.undo_stack.append(Undo(label, make_undo(before), keep))
            del self.undo_stack[:-100]

        self.run_edit(wrapped, label, None, keep_after)

    @work(thread=True, group="edit")
    def run_edit(
        self, fn: Callable[[], None], label: str | None, message: str | None, keep: str | None
    ) -> None:
        try:
            fn()
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return
        if message:
            self.app.call_from_thread(self.notify, message)
        self.load(keep=keep)

    # -- import, export, briefs -------------------------------------------------------------------

    def action_import(self) -> None:
        def done(value: object) -> None:
            if isinstance(value, str) and value.strip():
                self.run_import(value.strip())

        self.app.push_screen(
            dialogs().InputDialog(
                "Import a file or folder" + (f" into {self.brief_id}" if self.brief_id else ""),
                os.getcwd() + os.sep,
                hint="text, Markdown, HTML, RSS/Atom/JSON feeds; folders recursively · enter imports",
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: str) -> None:
        from briefing.importing import expand
        from briefing.importing.service import import_sources

        def progress(done: int, total: int, name: str) -> None:
            filled = int(20 * done / max(total, 1))
            bar = "█" * filled + "░" * (20 - filled)
            line = f"importing {bar} {done}/{total} {Path(name).name}" if name else "filing…"
            self.app.call_from_thread(self.set_status, line)

        try:
            sources = list(expand([path]))
            report = import_sources(self.book, sources, brief_id=self.brief_id, progress=progress)
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return
        finally:
            self.app.call_from_thread(self.set_status)
        msg = report.summary(self.brief_id)
        self.app.call_from_thread(self.notify, msg[0].upper() + msg[1:], markup=False)
        if report.failed:
            lines = "\n".join(f"{Path(name).name}: {why}" for name, why in report.failed[:8])
            more = f"\n… and {len(report.failed) - 8} more" if len(report.failed) > 8 else ""
            self.app.call_from_thread(
                self.notify,
                lines + more,
                title=f"{len(report.failed)} failed",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self._library = None
        self.load()

    def action_export(self) -> None:
        if self.view is None:
            self.notify("No brief to export yet.", severity="warning")
            return
        default = os.path.join(os.getcwd(), f"{self.view.brief.id}.md")

        def confirmed(path: Path) -> Callable[[object], None]:
            def go(ok: object) -> None:
                if ok:
                    self.run_export(path)

            return go

        def done(value: object) -> None:
            if not isinstance(value, str) or not value.strip():
                return
            path = Path(value.strip()).expanduser()
            if path.is_dir():
                path = path / f"{self.brief_id}.md"
            if path.exists():
                self.app.push_screen(
                    dialogs().ConfirmDialog(f"{path} exists. Overwrite it?"), confirmed(path)
                )
            else:
                self.run_export(path)

        self.app.push_screen(
            dialogs().InputDialog(
                "Export the brief to Markdown", default, hint="enter writes · escape cancels"
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, path: Path) -> None:
        from briefing.exporting import compile_date
        from briefing.exporting.markdown import to_markdown
        from briefing.store import atomic_write_bytes

        try:
            assert self.brief_id
            view = briefs.view(self.book, self.brief_id)
            text = to_markdown(view, compile_date())
            atomic_write_bytes(path, text.encode("utf-8"), backup=False)
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return
        except OSError as exc:
            self.app.call_from_thread(
                self.error, BriefingError(f"{path}: cannot write ({exc.strerror})")
            )
            return
        self.app.call_from_thread(
            self.notify, f"Wrote {path.resolve()} ({len(view.items())} passages)", markup=False
        )

    def action_switch_brief(self) -> None:
        from briefing.templates import load_templates

        choices = [(b.id, f"{b.title}  ({b.id})") for b in self.book.briefs()]
        templates, _ = load_templates()
        choices += [
            (f"new:{t.id}", f"New brief from template: {t.title} ({t.id})")
            for t in templates.values()
        ]

        def done(value: object) -> None:
            if not isinstance(value, str):
                return
            if value.startswith("new:"):
                self.new_brief(value[4:])
            else:
                self.open_brief(value)

        self.app.push_screen(
            dialogs().PickDialog("Switch brief", choices, hint="enter opens · escape cancels"), done
        )

    def open_brief(self, brief_id: str) -> None:
        self.brief_id = brief_id
        self.listing = ""
        self.undo_stack.clear()
        self.remember_brief(brief_id)
        self.load(first=True)

    @work(thread=True, group="edit")
    def remember_brief(self, brief_id: str) -> None:
        with contextlib.suppress(BriefingError):
            self.book.set_setting(briefs.CURRENT, brief_id)

    def new_brief(self, template_id: str) -> None:
        def done(value: object) -> None:
            if isinstance(value, str) and value.strip():
                self.create_brief(template_id, value.strip())

        self.app.push_screen(
            dialogs().InputDialog("Title of the new brief", "", hint="enter creates"), done
        )

    @work(thread=True, group="edit")
    def create_brief(self, template_id: str, title: str) -> None:
        try:
            brief = briefs.create_brief(self.book, template_id, title)
        except BriefingError as exc:
            self.app.call_from_thread(self.error, exc)
            return
        self.app.call_from_thread(self.open_brief, brief.id)
