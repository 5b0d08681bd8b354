"""The main screen: sections | passages | reader. It routes; the panes and the session do.

Keys become calls on the session (`briefing.session`), run in thread workers that only post
messages (`tui/messages.py`); the handlers here patch the panes. Nothing here reads the
disk on the UI thread, and an edit never rebuilds the listing: moves and reorders show at
once, tags and notes as soon as their small write is done.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from briefing.analysis.annex import Entry
from briefing.briefs import BriefView, Item
from briefing.errors import BriefingError
from briefing.model import PassageState
from briefing.session import (
    AnnexListing,
    ArticleListing,
    Contents,
    ImportCancelled,
    JudgmentsListing,
    LibraryListing,
    Listing,
    NewListing,
    SearchListing,
    SectionListing,
    Session,
    TagsListing,
    UnsortedListing,
    summary_line,
)
from briefing.tui import flows
from briefing.tui.keys import FOOTER_PRIORITY, MAIN_BINDINGS
from briefing.tui.messages import (
    BookChanged,
    BriefLoaded,
    ContentsLoaded,
    EditApplied,
    EditFailed,
    Exported,
    FeedsRefreshed,
    ImportFinished,
    ImportProgress,
    IndexSynced,
    SearchesLoaded,
    StatusCounted,
)
from briefing.tui.widgets.bars import StatusBar, TitleBar
from briefing.tui.widgets.footer import KeyFooter
from briefing.tui.widgets.passage_list import PassageList, Row
from briefing.tui.widgets.passages_pane import PassagesPane
from briefing.tui.widgets.reader import (
    Reader,
    render_article,
    render_entry,
    render_item,
    render_judgment,
)
from briefing.tui.widgets.sections import SectionList, listing_title, section_state
from briefing.wording import plural

WATCH_SECONDS = 1.0
"""How often the watcher looks for other instances' writes (a few stat calls)."""

COUNT_DELAY = 0.2
"""Seconds after a big brief is shown before its length is counted (see show_status)."""

COUNT_INLINE = 2_000
"""Up to this many passages the status line's length (words, pages) is counted before the
line is drawn (a few milliseconds); a bigger brief is counted in a worker, so neither the
first frame nor an edit waits for 25,000 passages to be counted."""

READ_AFTER = 1.0
"""Seconds a new passage stays in the reader before it counts as read."""

FLUSH_SECONDS = 5.0
"""How often read marks are written (one write for all of them, never one per key)."""

FEEDS_SECONDS = 60.0
"""How often the open app looks for due feeds (a read of the small feeds file)."""

FEEDS_FIRST = 3.0
"""Seconds after start before the first look: the first frame never waits for the network."""

EMPTY_HINTS = {
    AnnexListing: "Nothing found in the brief's passages for this annex.",
    JudgmentsListing: "No key judgments yet: w writes one (how likely, how sure); "
    "L on passages links them to one.",
    NewListing: "Nothing new. R refreshes the feeds; `briefing feeds add URL` follows one.",
    SearchListing: "No passage matches this saved search (yet).",
    UnsortedListing: "Every passage of this brief's articles is in a section.",
    TagsListing: "No tagged passages yet: t tags the selected passage.",
    LibraryListing: "The library is empty: i imports a file or folder.",
}


def listing_overview(listing: Listing, view: BriefView | None, pane: PassagesPane) -> Text:
    """The reader's text while the sections pane has focus."""
    text = Text()
    text.append(listing_title(listing, view) + "\n\n", style="bold")
    items = [r.item for r in pane.all_rows if r.item is not None]
    if isinstance(listing, JudgmentsListing):
        n = len(items)
        text.append(f"{plural(n, 'key judgment')}, each with how likely and how sure.\n\n")
        text.append("w writes one (on a judgment: edits it) · D deletes · J/K reorder\n")
        text.append("L on passages links them to the judgment they support\n", style="dim")
        return text
    if isinstance(listing, AnnexListing):
        marks = [i.passage.text[:1] for i in items]
        text.append(
            f"{plural(len(items), 'entry', 'entries')}: {marks.count('✓')} confirmed, "
            f"{marks.count('?')} not reviewed, {marks.count('✗')} dropped\n\n"
        )
        text.append("* confirms · D drops · u undoes", style="dim")
        if listing.annex == "people":
            text.append(" · w corrects a role · m merges two people", style="dim")
        text.append("\nThe principal's copy prints the confirmed ones.\n", style="dim")
        return text
    if isinstance(listing, SectionListing) and view:
        section = view.brief.section(listing.section_id)
        summary = section.summary if section else ""
        sv = next((x for x in view.sections if x.section.id == listing.section_id), None)
        if section is not None and sv is not None:
            text.append(f"status: {section_state(sv, view.brief.id)}", style="dim")
            text.append("  (c cycles)\n\n", style="dim")
        text.append((summary or "No summary for this section yet (S writes one).") + "\n\n")
        for note in section.notes if section else []:
            kind = "comment" if note.kind == "comment" else "working note"
            text.append(f"✎ {kind}: ", style="bold")
            text.append(note.text + "\n\n")
    elif isinstance(listing, LibraryListing):
        n = len(pane.all_rows)
        text.append(f"{plural(n, 'article')} in the book; enter lists them.\n\n")
        return text
    keys = sum(1 for i in items if i.state.key_point)
    tagged = sum(1 for i in items if i.state.tags)
    noted = sum(1 for i in items if i.state.notes)
    text.append(
        f"{plural(len(items), 'passage')} · {plural(keys, 'key point')} · "
        f"{tagged} tagged · {noted} with notes\n",
        style="dim",
    )
    text.append("enter or tab lists them", style="dim")
    if view and view.brief.details:
        text.append("\n\nBrief details (ctrl+e):\n", style="bold")
        for name, value in view.brief.details.items():
            text.append(f"{name}: ", style="dim")
            text.append(value + "\n")
    return text


def freeze_heap() -> None:
    """Leave what lives now (the brief just read: ~5 objects a passage, and the app itself)
    out of later garbage collections. A full collection scans every object there is: on a
    25,000-passage brief that was a 50–90 ms pause, now and then, in the middle of a key
    (and one right after the brief was read, before the first frame). Those objects are
    still freed when dropped (they hold no cycles); the app unfreezes them when it ends
    (BriefingApp.on_unmount)."""
    gc.freeze()


class MainScreen(Screen[None]):
    BINDINGS = MAIN_BINDINGS
    """Keys of the main screen (tui/keys.py); each id can be remapped in `keymap:`."""

    def __init__(self, session: Session) -> None:
        # The sections pane has focus first (on_mount): its class from the start, so that
        # focus does not restyle the whole screen before the first frame.
        super().__init__(classes="-in-sections")
        self.session = session
        self.listing: Listing | None = None
        self.back_to: Listing | None = None
        """The Library, while an article's passages are listed (escape goes back)."""
        self._overview_shown = False
        self._status_brief: str | None = None
        """The brief the status line describes (see show_status)."""
        self._counting = False
        """A count for the status line is under way (or about to start), in a worker."""
        self._read_timer: Timer | None = None
        self._go_reading = False
        """`n` opened the New listing: its first passage is read as if moved to."""
        self.entries: dict[str, Entry] = {}
        """The annex listed now, by entry key (its rows stand for these)."""
        self._refreshing = False
        """A feed refresh is under way (R, or the timer's)."""

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        with Horizontal(id="panes"):
            yield SectionList(id="sections")
            yield PassagesPane(id="middle")
            yield Reader(id="reader")
        yield StatusBar(id="status")
        yield KeyFooter(FOOTER_PRIORITY)

    @property
    def sections(self) -> SectionList:
        return self.query_one(SectionList)

    @property
    def pane(self) -> PassagesPane:
        return self.query_one(PassagesPane)

    @property
    def passages(self) -> PassageList:
        return self.query_one(PassageList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.sections.focus()
        # The brief is one small file, read before the first frame by the app (see app.py),
        # so the first screen shows it; later reads go through workers.
        self.show_brief(self.session.view, self.session.tags, first=True)
        self.watch_book()
        self.set_interval(FLUSH_SECONDS, self.flush_reads)
        self.set_timer(FEEDS_FIRST, self.refresh_due_feeds)
        self.set_interval(FEEDS_SECONDS, self.refresh_due_feeds)
        self.call_after_refresh(self.load_searches)

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < 100, "-narrow")
        self.set_class(width < 60, "-tiny")

    def on_descendant_focus(self) -> None:
        self._mark_pane(self.focused)
        if isinstance(self.focused, PassageList) and self._overview_shown:
            self.show_reader(self.passages.current)

    def _mark_pane(self, pane: object) -> None:
        """Narrow layouts show panes by which one has focus (see app.tcss)."""
        self.set_class(isinstance(pane, SectionList), "-in-sections")
        self.set_class(isinstance(pane, Reader), "-in-reader")

    def focus_pane(self, pane: SectionList | PassageList | Reader) -> None:
        self._mark_pane(pane)
        self.call_after_refresh(pane.focus)

    def action_pane(self, step: int) -> None:
        panes: list[SectionList | PassageList | Reader] = [
            self.sections,
            self.passages,
            self.reader,
        ]
        focused = self.focused
        current = (
            1
            if isinstance(focused, Input)
            else next((i for i, p in enumerate(panes) if p is focused), 0)
        )
        self.focus_pane(panes[(current + step) % len(panes)])

    # -- the brief and its listings --------------------------------------------------------

    def show_brief(self, view: object, tags: dict[str, int], first: bool = False) -> None:
        v = self.session.view
        self.query_one(TitleBar).show_brief(v, not self.session.book.writable)
        self.sections.show_brief(v, tags, new=self.new_count, reset=first)
        self.passages.new_keys = self.session.new
        self.show_status(new_brief=first)
        if first:
            freeze_heap()
        gone = isinstance(self.listing, SectionListing) and (
            v is None or v.brief.section(self.listing.section_id) is None
        )
        if first or self.listing is None or gone:
            self.listing = self.sections.current_listing
        current = self.passages.current
        self.show_listing(keep=current.key if current else None)

    def show_listing(self, keep: str | None = None) -> None:
        listing = self.listing
        if listing is None:
            return
        self.pane.set_title(listing_title(listing, self.session.view))
        if isinstance(listing, SectionListing | JudgmentsListing):
            self.show_contents(self.session.contents(listing), keep)
        else:
            self.show_reader(None)  # the new listing's overview now, not the last one's
            hint = EMPTY_HINTS.get(type(listing), "No passages here.")
            self.pane.show(
                [], "articles" if isinstance(listing, LibraryListing) else "passages", hint=hint
            )
            self.pane.set_title(listing_title(listing, self.session.view) + " · reading…")
            self.load_contents(listing, keep)

    def show_contents(self, contents: Contents, keep: str | None) -> None:
        listing = contents.listing
        self.entries = {e.key: e for e in contents.entries}
        if isinstance(listing, LibraryListing):
            rows = [Row("a:" + a.id, article=a) for a in contents.articles]
            mode = "articles"
            self.pane.text_search = self.session.library_text_hits
            self.sync_index()
        else:
            self.pane.text_search = None
            rows = [Row(i.passage.id, item=i) for i in contents.items]
            mode = "passages"
        self.passages.heading = (
            "Judgment"
            if isinstance(listing, JudgmentsListing)
            else "Entry"
            if isinstance(listing, AnnexListing)
            else "Passage"
        )
        hint = EMPTY_HINTS.get(
            type(listing), "No passages here yet: i imports articles, m moves a passage here."
        )
        view = self.session.view
        if isinstance(listing, SectionListing) and view:
            section = view.brief.section(listing.section_id)
            if section is not None and section.written:
                hint = "Nothing written here yet: w writes an item (lists, *em*, **strong**)."
        title = listing_title(listing, self.session.view)
        if isinstance(listing, ArticleListing) and contents.items and contents.items[0].article:
            title = contents.items[0].article.title
        self.pane.set_title(title, len(rows))
        self.pane.show(rows, mode, keep, hint=hint)  # type: ignore[arg-type]
        self.show_reader(self.passages.current, reading=self._go_reading)

    @work(thread=True, exclusive=True, group="contents", exit_on_error=False)
    def load_contents(self, listing: Listing, keep: str | None) -> None:
        self.post_message(ContentsLoaded(self.session.contents(listing), keep))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def sync_index(self) -> None:
        """The Library's search reads passage text from the book's index: bring it up to
        date in the background (the titles are searched meanwhile)."""
        self.post_message(IndexSynced(self.session.sync_index()))

    def on_passages_pane_query_changed(self, message: PassagesPane.QueryChanged) -> None:
        self.show_reader(self.passages.current)

    def on_index_synced(self, message: IndexSynced) -> None:
        if self.pane.mode == "articles":
            self.pane.refilter()

    def on_contents_loaded(self, message: ContentsLoaded) -> None:
        if message.contents.listing == self.listing:
            self.show_contents(message.contents, message.keep)

    def on_section_list_listing_chosen(self, message: SectionList.ListingChosen) -> None:
        if message.listing != self.listing:
            self.listing, self.back_to = message.listing, None
            self.passages.clear_marks()
            self.show_listing()

    def on_section_list_opened(self, message: SectionList.Opened) -> None:
        self.focus_pane(self.passages)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_brief(self, brief_id: str | None = None, first: bool = False) -> None:
        session = self.session
        view = session.open_brief(brief_id) if brief_id else session.load()
        self.post_message(BriefLoaded(view, dict(session.tags), first))

    def on_brief_loaded(self, message: BriefLoaded) -> None:
        self.show_brief(message.view, message.tags, message.first)
        if not message.first:
            freeze_heap()
        self.load_searches()  # another brief may have another template

    @work(thread=True, exclusive=True, group="searches", exit_on_error=False)
    def load_searches(self) -> None:
        self.post_message(SearchesLoaded(tuple(self.session.saved_searches())))

    def on_searches_loaded(self, message: SearchesLoaded) -> None:
        self.sections.show_brief(
            self.session.view, self.session.tags, new=self.new_count, searches=message.searches
        )

    # -- the status line -----------------------------------------------------------------------

    def show_status(self, new_brief: bool = False) -> None:
        """The brief's counts and length; a big brief's are counted in a worker, and until
        they come the line says what it said (after an edit) or leaves the length out (a
        brief just opened)."""
        view = self.session.view
        if view is None or sum(len(s.items) for s in view.sections) <= COUNT_INLINE:
            self.status.show_summary(summary_line(view, self.session.word_count()))
            return
        opened = new_brief or self._status_brief != view.brief.id
        if opened:
            self.status.show_summary(summary_line(view))
        self._status_brief = view.brief.id
        if not self._counting:
            # After the frame that shows the brief or the edit: a thread counting 25,000
            # passages takes the interpreter from the UI thread every few milliseconds,
            # and from the thread that writes the frame to the terminal. A brief just
            # opened is counted a moment later (the first count reads every passage).
            self._counting = True
            if opened:
                self.set_timer(COUNT_DELAY, self._count_now)
            else:
                self.call_after_refresh(self._count_now)
        # else: when the count under way ends, the view of then is counted (on_status_counted)

    def _count_now(self) -> None:
        view = self.session.view
        if view is None:
            self._counting = False
            return
        self.count_status(view)

    # A description: by default Textual describes a worker by the repr of its arguments,
    # and the repr of a 25,000-passage view took 0.3 s.
    @work(thread=True, group="status", exit_on_error=False, description="count the brief")
    def count_status(self, view: BriefView) -> None:
        line: str | None = None
        try:
            line = summary_line(view, self.session.word_count(view))
        finally:  # even on an error (reported as any worker's): the next count may start
            self.post_message(StatusCounted(view, line))

    def on_status_counted(self, message: StatusCounted) -> None:
        """One count at a time: edits made while it ran are counted by one more."""
        self._counting = False
        if message.view is self.session.view:
            if message.line is not None:
                self.status.show_summary(message.line)
        elif self.session.view is not None:
            self.show_status()

    # -- the reader -------------------------------------------------------------------------------

    def on_passage_list_highlighted(self, message: PassageList.Highlighted) -> None:
        # A passage counts as read when the user went to it, not when a refresh put new
        # rows under the cursor (`R` on the New listing must not read what just came).
        self.show_reader(message.row, reading=message.moved or self._go_reading)
        self._go_reading = False

    def on_passage_list_selected(self, message: PassageList.Selected) -> None:
        row = message.row
        if row.article is not None:
            self.back_to = self.listing
            self.listing = ArticleListing(row.article.id)
            self.show_listing()
        else:
            self.focus_pane(self.reader)

    def show_reader(self, row: Row | None, *, reading: bool = True) -> None:
        if isinstance(self.focused, SectionList) and self.listing is not None:
            # Browsing sections: what the section holds, not its first passage (a few
            # short lines, so moving between sections costs little over SSH).
            self._overview_shown = True
            self.reader.show(listing_overview(self.listing, self.session.view, self.pane))
            return
        self._overview_shown = False
        if row is None:
            self.reader.show(Text(self.pane.empty_hint or " ", style="dim"))
        elif row.article is not None:
            self.reader.show(render_article(row.article))
        elif row.item is not None and isinstance(self.listing, JudgmentsListing):
            self.reader.show(self.render_judgment(row.key))
        elif row.item is not None and isinstance(self.listing, AnnexListing):
            entry = self.entries.get(row.key)
            view = self.session.view
            items = {i.passage.id: i for i in view.items()} if view else {}
            if entry is not None:
                self.reader.show(render_entry(entry, items))
        elif row.item is not None:
            self.reader.show(self.render_passage(row.item))
            if row.key in self.session.new and reading:
                self._read_soon(row.key)

    # -- what is new ------------------------------------------------------------------------------

    @property
    def new_count(self) -> int | None:
        """How many passages are new; None when the book follows no feed and none is new
        (the sections pane then has no New listing)."""
        n = len(self.session.new)
        return n if n or self.session.following else None

    def _read_soon(self, key: str) -> None:
        """A new passage shown in the reader for READ_AFTER seconds has been read."""
        if self._read_timer is not None:
            self._read_timer.stop()

        def read() -> None:
            current = self.passages.current
            if current is None or current.key != key or self.has_class("-reader-hidden"):
                return
            self.set_read([key], read=True)

        self._read_timer = self.set_timer(READ_AFTER, read)

    def set_read(self, keys: list[str], *, read: bool) -> None:
        """Mark passages read (or new again): at once on screen, on disk with the next batch."""
        if read:
            self.session.mark_read(keys)
        else:
            self.session.mark_unread(keys)
        self.passages.new_keys = self.session.new
        self.passages.refresh_keys(keys)
        self.sections.set_new_count(self.new_count)

    def flush_reads(self) -> None:
        self.run_worker(
            self._flush_now, thread=True, group="reads", exclusive=True, exit_on_error=False
        )

    def _flush_now(self) -> None:
        self.session.flush_reads()

    def action_next_new(self) -> None:
        """The next new passage of this listing; after the last, the New listing's first."""
        new = self.session.new
        rows = self.passages.rows
        start = self.passages.cursor + 1 if isinstance(self.focused, PassageList) else 0
        for index in range(start, len(rows)):
            if rows[index].key in new:
                self.passages.cursor = index
                self.focus_pane(self.passages)
                return
        if not new:
            hint = "R refreshes the feeds" if self.session.following else "no feeds followed"
            self.notify(f"Nothing new ({hint}).", markup=False)
            return
        if self.listing == NewListing():
            self.notify("No new passage after this one here; g goes to the first.", markup=False)
            return
        self.listing, self.back_to = NewListing(), None
        self.sections.select_listing(NewListing())
        self.passages.clear_marks()
        self._go_reading = True
        self.show_listing()
        self.focus_pane(self.passages)

    def action_toggle_new(self) -> None:
        """`N`: mark the passages read, or new again if none of them is new."""
        items = self.targets()
        if not items:
            return
        keys = [i.passage.id for i in items if not i.is_written]
        read = any(k in self.session.new for k in keys)
        self.set_read(keys, read=read)
        what = "read" if read else "new again"
        self.notify(f"Marked {plural(len(keys), 'passage')} {what}.", markup=False)

    def action_refresh_feeds(self) -> None:
        if not self.session.following:
            self.notify(
                "No feeds followed yet: `briefing feeds add URL --brief ID` follows one.",
                markup=False,
            )
            return
        if self._refreshing:
            self.notify("A refresh is under way.", markup=False)
            return
        self.status.show_progress(0, 1, "refreshing feeds")
        self._refreshing = True
        self.run_feeds(asked=True)

    def refresh_due_feeds(self) -> None:
        if self.session.following and not self._refreshing and self.importing is None:
            self._refreshing = True
            self.run_feeds(asked=False)

    @work(thread=True, group="feeds", exit_on_error=False)
    def run_feeds(self, asked: bool) -> None:
        before = len(self.session.new)
        try:
            if not asked and not self.session.feeds_due():
                self.post_message(FeedsRefreshed([], asked, before))
                return

            def progress(done: int, total: int, name: str) -> None:
                self.post_message(ImportProgress(done, total, name))

            warnings: list[str] = []
            results = self.session.refresh_feeds(
                due_only=not asked, progress=progress if asked else None, warn=warnings.append
            )
        except BriefingError as exc:
            self.post_message(FeedsRefreshed([], asked, before, str(exc)))
            return
        except Exception as exc:
            # A refresh runs by itself every minute: whatever a server sent, it must never
            # end the session the user is working in. Said once, like any refresh error.
            self.post_message(FeedsRefreshed([], asked, before, f"refresh failed ({exc!r:.200})"))
            return
        self.post_message(FeedsRefreshed(results, asked, before, warnings=tuple(warnings)))

    def on_feeds_refreshed(self, message: FeedsRefreshed) -> None:
        self._refreshing = False
        if message.asked:
            self.status.clear_progress()
        flows.report_refresh(self, message)
        added = sum(r.added for r in message.results)
        if added:
            self.show_brief(self.session.view, self.session.tags)
        else:
            self.passages.new_keys = self.session.new
            self.sections.show_brief(self.session.view, self.session.tags, new=self.new_count)

    def render_judgment(self, judgment_id: str) -> RenderableType:
        view = self.session.view
        judgment = view.brief.judgment(judgment_id) if view else None
        if view is None or judgment is None:
            return Text("")
        return render_judgment(judgment, view.linked)

    def render_passage(self, item: Item) -> RenderableType:
        rows = self.pane.all_rows
        keys = [r.key for r in rows]
        before = after = None
        if isinstance(self.listing, ArticleListing) and item.passage.id in keys:
            i = keys.index(item.passage.id)
            prev = rows[i - 1].item if i > 0 else None
            nxt = rows[i + 1].item if i + 1 < len(rows) else None
            before = prev.passage if prev else None
            after = nxt.passage if nxt else None
        else:
            neighbours = self.session.neighbours(item.passage)
            before, after = neighbours
        view = self.session.view
        section = view.brief.section(item.section_id) if view and item.section_id else None
        title = section.title if section else ""
        query = self.pane.query_text.strip()
        return render_item(item, before, after, title, self.reader.palette, query)

    # -- edits: the screen's side of each is in flows.py ---------------------------------------------

    def targets(self, *, quiet: bool = False) -> list[Item]:
        """The marked passages, else the highlighted one."""
        if isinstance(self.listing, JudgmentsListing):
            if not quiet:
                self.notify(
                    "On a judgment: w edits it, D deletes it, J/K reorder; "
                    "L on passages links them to one.",
                    markup=False,
                )
            return []
        if isinstance(self.listing, AnnexListing):
            if not quiet:
                self.notify(
                    "On an annex entry: * confirms it, D drops it, w corrects a person's "
                    "role, m merges a person into another.",
                    markup=False,
                )
            return []
        rows = self.passages.marked_rows() or (
            [self.passages.current] if self.passages.current else []
        )
        items = [r.item for r in rows if r is not None and r.item is not None]
        if not items and not quiet:
            self.notify("Select a passage first (tab to the passages pane).", severity="warning")
        return items

    @work(thread=True, group="edit", exit_on_error=False)
    def run_edit(self, call: flows.EditCall, undo: bool = False) -> None:
        """Write an edit (or an undo) and post what it changed."""
        try:
            applied = call()
        except BriefingError as exc:
            self.post_message(EditFailed(str(exc)))
            return
        if applied is not None:
            self.post_message(EditApplied(applied, undo))

    def on_edit_applied(self, message: EditApplied) -> None:
        applied = message.applied
        if message.undo:
            self.notify(f"Undone: {applied.label}", markup=False)
        for line in applied.conflicts[:3]:
            self.notify(line, severity="warning", markup=False, timeout=8)
        if applied.reload or applied.brief is not None:
            # Articles left the book, or the brief itself changed (a section's summary,
            # notes, status, title, place): show it again — a few short lists.
            self.show_brief(self.session.view, self.session.tags)
            return
        view = self.session.view
        self.query_one(TitleBar).show_brief(view, not self.session.book.writable)
        self.sections.show_brief(view, self.session.tags, new=self.new_count)
        self.show_status()
        current = self.passages.current
        keep = current.key if current else None
        if isinstance(self.listing, SectionListing) and (applied.order is not None or message.undo):
            items = self.session.contents(self.listing).items
            if [i.passage.id for i in items] != [r.key for r in self.pane.all_rows]:
                rows = [Row(i.passage.id, item=i) for i in items]
                self.pane.show(rows, "passages", keep, hint=self.pane.empty_hint)
                self.pane.set_title(listing_title(self.listing, view), len(rows))
                self.show_reader(self.passages.current)
                return
        if isinstance(self.listing, UnsortedListing) and applied.order is not None and message.undo:
            self.show_listing(keep=keep)  # an undone move: passages leave or join Unsorted
            return
        self.patch_rows(applied.states, applied.order is not None)

    def patch_rows(self, states: Mapping[str, PassageState], filings_changed: bool) -> None:
        """Patch the rows an edit touched (their state, or their section after a move)."""
        changed: list[Row] = []
        view = self.session.view
        filed_items = {i.passage.id: i for i in view.items()} if view and filings_changed else {}
        rows = (
            self.pane.all_rows
            if filings_changed
            else [r for r in self.pane.all_rows if r.key in states]  # a tag on 1 of 10,000
        )
        for row in rows:
            if row.item is None:
                continue
            pid = row.item.passage.id
            if not filings_changed and pid not in states:
                continue
            filed = filed_items.get(pid)
            if filed is not None:
                new = filed
            elif pid in states:
                new = replace(row.item, state=states[pid])
                if filings_changed:
                    new = replace(new, section_id=None)
            elif filings_changed and row.item.section_id is not None and self.session.view:
                new = replace(row.item, section_id=None)
            else:
                continue
            if new is not row.item:
                changed.append(Row(row.key, item=new))
        if changed:
            self.pane.patch(changed)
            current = self.passages.current
            if current is not None and current.key in {r.key for r in changed}:
                self.show_reader(current)

    def on_edit_failed(self, message: EditFailed) -> None:
        self.notify(message.error, severity="error", markup=False, timeout=8)
        current = self.passages.current
        self.show_listing(keep=current.key if current else None)

    # -- other instances --------------------------------------------------------------------------

    def watch_book(self) -> None:
        """Look for other processes' writes (two SSH sessions on one book) every second.

        The timer only starts a worker: the stat calls run off the UI thread."""
        self.set_interval(WATCH_SECONDS, self.check_book)

    def check_book(self) -> None:
        """Look now (also when the terminal regains focus)."""
        self.run_worker(
            self._check_now, thread=True, group="watch", exclusive=True, exit_on_error=False
        )

    def _check_now(self) -> None:
        if self.session.changed_elsewhere():
            self.post_message(BookChanged())

    def on_book_changed(self, message: BookChanged) -> None:
        self.load_brief()

    # -- import and export -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, path: str) -> None:
        worker = get_current_worker()
        try:
            report = self.session.import_paths(
                [path],
                progress=lambda d, t, n: self._progress(ImportProgress(d, t, Path(n).name)),
                cancelled=lambda: worker.is_cancelled,
            )
        except ImportCancelled:
            self.session.load()
            self.post_message(ImportFinished(None, self.session.brief_id, cancelled=True))
            return
        self.post_message(ImportFinished(report, self.session.brief_id))

    def _progress(self, message: ImportProgress) -> None:
        self.post_message(message)

    def on_import_progress(self, message: ImportProgress) -> None:
        self.status.show_progress(message.done, message.total, message.name)

    def on_import_finished(self, message: ImportFinished) -> None:
        self.status.clear_progress()
        flows.report_import(self, message)
        self.show_brief(self.session.view, self.session.tags)

    @property
    def importing(self) -> Worker[None] | None:
        for w in self.workers:
            if w.group == "import" and w.state in (WorkerState.PENDING, WorkerState.RUNNING):
                return w
        return None

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, path: Path, copy: str = "principal") -> None:
        n, done = self.session.export(path, self.session.format_for(path), copy=copy)
        self.post_message(Exported(path, n, done))

    def on_exported(self, message: Exported) -> None:
        from briefing.exporting.markdown import unready_sections

        if self.session.view is not None and (unready := unready_sections(self.session.view)):
            self.notify(
                f"Not ready: {', '.join(unready)} (c sets a section's status)",
                severity="warning",
                markup=False,
            )
        what = message.done or f"wrote {message.path}"
        self.notify(
            f"{what[0].upper()}{what[1:]} ({plural(message.passages, 'passage')})", markup=False
        )

    # -- failures of any worker --------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place turns a failed worker into a message the user can act on."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, BriefingError):
            self.notify(str(error), severity="error", markup=False, timeout=8)
        elif isinstance(error, OSError):
            self.notify(f"{error.filename or ''}: {error.strerror}", severity="error", markup=False)
        else:
            raise error  # type: ignore[misc]
        if event.worker.group in ("import", "feeds"):
            self.status.clear_progress()
            self._refreshing = False

    # -- actions: each one line here, the flow in flows.py --------------------------------------------

    def action_help(self) -> None:
        flows.show_help(self)

    def action_search(self) -> None:
        self.pane.open_search()

    def action_back(self) -> None:
        if self.importing is not None:
            flows.ask_cancel_import(self)
        elif self.pane.searching:
            self.pane.close_search()
        elif self.passages.marked:
            self.passages.clear_marks()
        elif isinstance(self.listing, ArticleListing) and self.back_to is not None:
            aid = self.listing.article_id
            self.listing, self.back_to = self.back_to, None
            self.show_listing(keep="a:" + aid)
        elif isinstance(self.focused, Reader):
            self.focus_pane(self.passages)

    def action_toggle_reader(self) -> None:
        self.toggle_class("-reader-hidden")

    def action_tag(self) -> None:
        flows.tag(self)

    def action_annotate(self) -> None:
        if isinstance(self.focused, SectionList):
            flows.section_note(self)
        else:
            flows.annotate(self)

    def action_notes(self) -> None:
        flows.notes(self)

    def action_key_point(self) -> None:
        if isinstance(self.listing, AnnexListing):
            flows.review(self, "confirmed")
        else:
            flows.key_point(self)

    def action_move(self) -> None:
        if isinstance(self.listing, AnnexListing):
            flows.merge_person(self)
        else:
            flows.move(self)

    def action_take_out(self) -> None:
        flows.take_out(self)

    def action_take_out_article(self) -> None:
        flows.take_out_article(self)

    def action_open_url(self) -> None:
        flows.open_url(self)

    def action_reorder(self, delta: int) -> None:
        if isinstance(self.focused, SectionList):
            flows.move_section(self, delta)
        elif isinstance(self.listing, JudgmentsListing):
            flows.move_judgment(self, delta)
        else:
            flows.reorder(self, delta)

    def action_section_summary(self) -> None:
        flows.section_summary(self)

    def action_section_status(self) -> None:
        flows.section_status(self)

    def action_add_section(self) -> None:
        flows.add_section(self)

    def action_rename_section(self) -> None:
        flows.rename_section(self)

    def action_undo(self) -> None:
        if not len(self.session.undo_stack):
            self.notify("Nothing to undo.")
            return
        self.run_edit(self.session.undo, undo=True)

    def action_summary(self) -> None:
        flows.summary(self)

    def action_import(self) -> None:
        flows.import_dialog(self)

    def action_export(self) -> None:
        flows.export_dialog(self)

    def action_switch_brief(self) -> None:
        flows.switch_brief(self)

    def action_details(self) -> None:
        flows.details(self)

    def action_write(self) -> None:
        if isinstance(self.listing, AnnexListing):
            flows.correct_entry(self)
        elif isinstance(self.listing, JudgmentsListing):
            flows.judgment(self)
        else:
            flows.write(self)

    def action_link(self) -> None:
        flows.link_to_judgment(self)

    def action_remove(self) -> None:
        if isinstance(self.listing, AnnexListing) and not isinstance(self.focused, SectionList):
            flows.review(self, "dropped")
        elif isinstance(self.listing, JudgmentsListing) and not isinstance(
            self.focused, SectionList
        ):
            flows.delete_judgment(self)
        elif isinstance(self.focused, SectionList):
            flows.remove_section(self)
        else:
            flows.remove(self)

    def action_copy(self) -> None:
        flows.copy_with_citation(self)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_download(self, name: str, copy: str) -> None:
        """Served in a browser: the brief is compiled here and the browser downloads it."""
        import io

        fmt = self.session.format_for(Path(name))
        data = self.session.export_bytes(fmt, copy=copy)
        self.session.note_export()
        self.app.call_from_thread(
            self.app.deliver_binary, io.BytesIO(data), save_filename=name, name=name
        )
        self.app.call_from_thread(self.notify, f"{name}: the browser downloads it", markup=False)

    def action_overview(self) -> None:
        from briefing.tui.screens.overview import OverviewScreen

        if self.session.view is None:
            self.notify("No brief yet: b creates one.", severity="warning")
            return
        self.app.push_screen(OverviewScreen(self.session))

    def action_reserved(self, what: str) -> None:
        flows.not_yet(self, what)
