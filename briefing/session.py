"""A working session on one book: the current brief, what is listed, edits and their undo.

Both the CLI and the TUI work through this layer, and it knows nothing of Textual: the TUI
calls it from worker threads and shows what it returns. Edits are serialised by one lock;
each one replaces `view` with a patched copy (never mutates the one a reader may be drawing
from), so the UI thread can read `session.view` at any time.
"""

from __future__ import annotations

import contextlib
import gc
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import briefs
from briefing.analysis.annex import Entry, review_key
from briefing.briefs import BriefView, Item, SectionView
from briefing.errors import BriefingError, NotFound, UsageError
from briefing.model import (
    BRIEF_DETAILS,
    COPIES,
    SECTION_STATUSES,
    Article,
    Brief,
    Passage,
    PassageState,
    SavedSearch,
)
from briefing.sanitize import is_safe, strip_unsafe
from briefing.store import Book
from briefing.wording import plural

if TYPE_CHECKING:
    from briefing.editing import Applied, Operation
    from briefing.importing import ImportReport
    from briefing.importing.feeds import Refreshed
    from briefing.overview import Overview
    from briefing.search.index import SearchIndex

DRAFTS = "drafts"
EXPORT_COPY = "export_copy"

ProgressFn = Callable[[int, int, str], None]
"""(done, total, current input name)"""

_WORD = re.compile(r"(?<!\S)\S*?[^\W_]")
"""The start of a whitespace-separated run up to its first letter or digit: one match per
run that holds one (in Python's Unicode `re`, `\\s` is what `str.split` splits on and
`[^\\W_]` is what `str.isalnum` accepts). The look-behind keeps it linear: a match is
tried only where a run starts, and a run without a letter costs one pass over it."""


def count_words(text: str) -> int:
    """`briefing.exporting.markdown.count_words`, the same number (a test holds them
    together), a few times faster: the status line counts a whole brief."""
    if not is_safe(text):  # only a control or bidi character makes strip_unsafe change it
        text = strip_unsafe(text)
    return len(_WORD.findall(text))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while a brief's view is built: its ~5 objects per passage
    all live on, and a 25,000-passage brief would otherwise be scanned again and again
    while it is made (a third of the load). What was made then goes straight to the
    oldest generation (`freeze` and `unfreeze` move every tracked object there, two list
    splices): left in the youngest, it would be scanned by the next two young collections,
    ~20 ms each, and a full one, not long after. The TUI freezes what it keeps (see
    `briefing.tui.screens.main.freeze_heap`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


# -- what can be listed -----------------------------------------------------------------------


@dataclass(frozen=True)
class SectionListing:
    section_id: str


@dataclass(frozen=True)
class UnsortedListing:
    pass


@dataclass(frozen=True)
class LibraryListing:
    pass


@dataclass(frozen=True)
class TagsListing:
    tag: str | None = None
    """None: every tagged passage."""


@dataclass(frozen=True)
class ArticleListing:
    article_id: str


@dataclass(frozen=True)
class JudgmentsListing:
    """The brief's key judgments (rows stand for judgments, not passages)."""


@dataclass(frozen=True)
class AnnexListing:
    """One of the brief's annexes (who's who, chronology, key figures): rows are entries."""

    annex: str


@dataclass(frozen=True)
class NewListing:
    """Passages feed refreshes brought that nobody has read yet, newest refresh first."""


@dataclass(frozen=True)
class SearchListing:
    """A saved search (a template's or the config's `searches:`), run when listed."""

    name: str
    query: str


Listing = (
    SectionListing
    | UnsortedListing
    | LibraryListing
    | TagsListing
    | ArticleListing
    | NewListing
    | SearchListing
    | JudgmentsListing
    | AnnexListing
)


@dataclass
class Contents:
    """What a listing holds: passages (as items) or, for the Library, articles."""

    listing: Listing
    items: list[Item] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    """An annex's entries (its items stand for them)."""


def judgment_items(brief: Brief) -> list[Item]:
    """The judgments as rows of a listing: an item whose passage id is the judgment's id,
    with no article, and the words a row shows."""
    return [
        Item(
            Passage(j.id, "", n, f"{j.likelihood} · {j.confidence} — {j.text}"),
            None,
            PassageState(j.id),
            None,
            n,
        )
        for n, j in enumerate(brief.judgments)
    ]


ENTRY_MARKS = {"confirmed": "✓", "dropped": "✗", "": "?"}


def entry_text(entry: Entry) -> str:
    """An annex entry on one line: `✓ Sergey Lavrov — Russian Foreign Minister`."""
    mark = ENTRY_MARKS.get(entry.status, "?")
    if entry.annex == "dates":
        said = "" if entry.title == entry.when else f" · {entry.title}"
        return f"{mark} {entry.when.replace('/', ' – ')}{said}: {entry.detail}"
    if entry.annex == "people":
        return f"{mark} {entry.title}" + (f" — {entry.detail}" if entry.detail else "")
    return f"{mark} {entry.title} {entry.detail}"


def entry_items(entries: list[Entry]) -> list[Item]:
    """Annex entries as rows of a listing (an item whose passage id is the entry's key)."""
    return [
        Item(Passage(e.key, "", n, entry_text(e)), None, PassageState(e.key), None, n)
        for n, e in enumerate(entries)
    ]


# -- undo ----------------------------------------------------------------------------------------


@dataclass
class Undo:
    label: str
    inverse: Operation


class UndoStack:
    """Inverse operations, newest last; bounded so a long day does not grow without end."""

    LIMIT = 200

    def __init__(self) -> None:
        self._items: list[Undo] = []

    def push(self, applied: Applied) -> None:
        if applied.inverse is not None:
            self._items.append(Undo(applied.label, applied.inverse))
            del self._items[: -self.LIMIT]

    def pop(self) -> Undo | None:
        return self._items.pop() if self._items else None

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


# -- the session ---------------------------------------------------------------------------------


class ImportCancelled(Exception):
    """Raised inside an import when the user asked to stop it."""


class Session:
    def __init__(self, book: Book, brief_id: str | None = None) -> None:
        self.book = book
        self.requested = brief_id
        self.view: BriefView | None = None
        self.tags: dict[str, int] = {}
        self.undo_stack = UndoStack()
        self.drafts: dict[str, str] = {}
        """Unsaved note and summary texts, by what they are for (kept in the book)."""
        self.export_copy = "principal"
        """The copy the TUI last exported (offered first next time)."""
        self._words: dict[str, int] = {}
        """Word counts by text (see word_count)."""
        self.loaded = False
        self._lock = threading.RLock()
        self._neighbours: tuple[BriefView | None, dict[str, list[Passage]]] = (None, {})
        self._index_ready = False
        self._index_reader: SearchIndex | None = None
        self.new: dict[str, str] = {}
        """Unread passages from feed refreshes (id → the refresh's time), as this session
        sees them: the book's, with the reads not yet written taken out."""
        self._reads: set[str] = set()
        self._unreads: dict[str, str] = {}
        self._reads_lock = threading.Lock()
        self.following = False
        """The book follows feeds (so the TUI lists New, and refreshes due feeds itself)."""

    @property
    def brief_id(self) -> str | None:
        return self.view.brief.id if self.view else None

    @property
    def brief(self) -> Brief | None:
        return self.view.brief if self.view else None

    # -- loading ------------------------------------------------------------------------------

    # -- the library's full-text search ------------------------------------------------------

    def sync_index(self) -> bool:
        """Bring the book's search index up to date (seconds on a big new book, a stat per
        file after): for a worker thread. It uses its own connection; keystrokes read with
        another (`library_text_hits`), so neither waits on the other in this process."""
        from briefing.search.index import SearchIndex

        index = SearchIndex(self.book)
        try:
            ready = index.sync()
        except BriefingError:
            ready = False
        finally:
            index.close()
        self._index_ready = ready
        self._index_reader = None  # a fresh reader sees the new articles
        return ready

    def library_text_hits(self, query: str) -> set[str] | None:
        """Ids of the articles with a passage matching the query (typed: the last word is a
        prefix from its second letter); None while the index is not ready or is busy, when
        the Library filters by titles alone. Never waits for another writer."""
        import sqlite3

        from briefing.search.index import SearchIndex

        if not self._index_ready:
            return None
        if self._index_reader is None:
            self._index_reader = SearchIndex(self.book, wait=0.02)
        try:
            return self._index_reader.article_ids(query, last_is_prefix=True)
        except (LookupError, sqlite3.Error):
            return None

    def sweep(self) -> int:
        """Remove temp files a killed writer left in the book (under its lock)."""
        try:
            return self.book.sweep()
        except BriefingError:
            return 0  # busy or read-only: the next start tries again

    def load(self, brief_id: str | None = None) -> BriefView | None:
        """Read the current (or the given) brief and the tag counts from disk."""
        with self._lock:
            wanted = brief_id or self.brief_id or self.requested
            if wanted and wanted not in self.book.brief_ids() and not brief_id:
                wanted = None  # the brief was removed meanwhile: fall back
            bid = briefs.current_brief_id(self.book, wanted)
            with gc_paused():
                self.view = briefs.view(self.book, bid) if bid else None
            self.tags = briefs.tag_counts(self.book)
            self._load_new()
            if not self.loaded:
                drafts = self.book.get_setting(DRAFTS, {})
                self.drafts = dict(drafts) if isinstance(drafts, dict) else {}
                copy = self.book.get_setting(EXPORT_COPY, "principal")
                self.export_copy = copy if copy in COPIES else "principal"
                self.book.watch_changes()
            self.loaded = True
            return self.view

    # -- what is new ----------------------------------------------------------------------------
    # Reading marks passages read in memory at once; the marks are written in batches
    # (`flush_reads`, from a timer and on exit), so reading never waits on the book's lock
    # and a key press never costs a write.

    def _load_new(self) -> None:
        self.following = bool(self.book.feeds())
        new = self.book.new_passages()
        with self._reads_lock:
            for pid in self._reads:
                new.pop(pid, None)
            new.update(self._unreads)
            self.new = new

    def mark_read(self, pids: Iterable[str]) -> bool:
        """Mark passages read (written with the next batch). True if one of them was new."""
        with self._reads_lock:
            gone = [p for p in pids if p in self.new]
            if not gone:
                return False
            new = dict(self.new)
            for pid in gone:
                del new[pid]
                self._unreads.pop(pid, None)
            self._reads.update(gone)
            self.new = new
            return True

    def mark_unread(self, pids: Iterable[str]) -> None:
        """Make passages new again (a user's `N` on a passage already read)."""
        now = briefs.now_iso()
        with self._reads_lock:
            new = dict(self.new)
            for pid in pids:
                new.setdefault(pid, now)
                self._unreads[pid] = new[pid]
                self._reads.discard(pid)
            self.new = new

    def flush_reads(self) -> int:
        """Write the pending read marks in one locked write; how many were written."""
        with self._reads_lock:
            reads, unreads = self._reads, self._unreads
            self._reads, self._unreads = set(), {}
        if not reads and not unreads:
            return 0
        try:
            self.book.update_new(unreads, reads)
        except BriefingError:
            with self._reads_lock:  # kept for the next try (a busy or read-only book)
                self._reads |= reads - set(self._unreads)
                self._unreads = {**unreads, **self._unreads}
            raise
        return len(reads) + len(unreads)

    def new_items(self) -> list[Item]:
        """The new passages, newest refresh first, then in the order they arrived; those
        whose article has left the book are marked read."""
        new = self.new
        wanted = sorted(new, key=new.__getitem__, reverse=True)  # stable: arrival order kept
        items = briefs.passage_items(self.book, self.view, wanted)
        found = {i.passage.id for i in items}
        missing = [p for p in wanted if p not in found]
        if missing:
            self.mark_read(missing)
        return items

    # -- saved searches ----------------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        """The config's saved searches, then the current brief's template's (a name once)."""
        from briefing.config import load_config
        from briefing.templates import load_templates

        out: dict[str, SavedSearch] = {}
        config, _errors = load_config()
        for s in config.searches:
            out.setdefault(s.name, s)
        template = self.view.brief.template if self.view else ""
        if template:
            templates, _problems = load_templates()
            for s in templates[template].searches if template in templates else []:
                out.setdefault(s.name, s)
        return list(out.values())

    def search_items(self, query: str) -> list[Item]:
        """A saved search's passages in the whole library, best first, with their places
        in the current brief."""
        from briefing.search.index import find

        found = find(self.book, query).items
        filed = {i.passage.id: i for i in self.view.items()} if self.view else {}
        return [filed.get(i.passage.id, i) for i in found]

    def save_settings(self) -> None:
        """Remember the TUI's choices (the export copy) in the book (not in one opened
        read-only: the choice lasts the session)."""
        if not self.book.read_only:
            self.book.set_setting(EXPORT_COPY, self.export_copy)

    def word_count(self, view: BriefView | None = None) -> int:
        """The brief's length as the export counts it (`prose_words`), with each text's
        count cached: after an edit only what changed is counted again. `view`: a view
        this session made (a worker counts the one it was asked about), else the current."""
        from briefing.exporting.markdown import prose_words

        v = view or self.view
        if v is None:
            return 0
        cache = self._words
        if len(cache) > 200_000:
            cache.clear()

        def count(text: str) -> int:
            n = cache.get(text)
            if n is None:
                n = cache[text] = count_words(text)
            return n

        return prose_words(v, count)

    def save_drafts(self) -> None:
        """Keep unsaved texts in the book: `ctrl+q` or a lost SSH link does not lose them."""
        if self.book.read_only:
            return  # nothing is written to a book opened read-only, drafts neither
        with self._lock:
            self.book.set_setting(DRAFTS, dict(self.drafts))

    def neighbours(self, passage: Passage) -> tuple[Passage | None, Passage | None]:
        """The passages before and after this one in its article, as far as the brief
        holds them (the reader shows a passage between its neighbours)."""
        view, by_article = self._neighbours
        if view is not self.view:
            by_article = {}
            for i in self.view.items() if self.view else []:
                by_article.setdefault(i.passage.article_id, []).append(i.passage)
            for ps in by_article.values():
                ps.sort(key=lambda p: p.index)
            self._neighbours = (self.view, by_article)
        ps = by_article.get(passage.article_id, [])
        before = next((p for p in reversed(ps) if p.index < passage.index), None)
        after = next((p for p in ps if p.index > passage.index), None)
        return before, after

    def open_brief(self, brief_id: str) -> BriefView | None:
        """Make another brief current (and remember it for the next start)."""
        with self._lock:
            view = self.load(brief_id)
            self.undo_stack.clear()
            self.book.set_setting(briefs.CURRENT, brief_id)
            return view

    def create_brief(self, template_id: str, title: str) -> BriefView | None:
        brief = briefs.create_brief(self.book, template_id, title)
        return self.open_brief(brief.id)

    def require_view(self) -> BriefView:
        if self.view is None:
            raise UsageError("no brief yet: create one from a template first")
        return self.view

    def contents(self, listing: Listing) -> Contents:
        """The items of a listing (reads the disk for all but a section's)."""
        v = self.view
        match listing:
            case SectionListing(section_id=sid):
                sv = next((s for s in v.sections if s.section.id == sid), None) if v else None
                return Contents(listing, items=list(sv.items) if sv else [])
            case UnsortedListing():
                return Contents(listing, items=briefs.unsorted_items(self.book, v) if v else [])
            case LibraryListing():
                return Contents(listing, articles=self.book.articles())
            case TagsListing(tag=tag):
                return Contents(listing, items=briefs.tagged_items(self.book, v, tag))
            case ArticleListing(article_id=aid):
                return Contents(listing, items=briefs.article_items(self.book, aid, v))
            case NewListing():
                return Contents(listing, items=self.new_items())
            case JudgmentsListing():
                return Contents(listing, items=judgment_items(v.brief) if v else [])
            case AnnexListing(annex=annex):
                entries = self.annex(annex, dropped=True) if v else []
                return Contents(listing, items=entry_items(entries), entries=entries)
            case SearchListing(query=query):
                return Contents(listing, items=self.search_items(query))
        raise AssertionError(listing)

    def item(self, pid: str) -> Item | None:
        """A filed passage of the current brief, as the view holds it now."""
        v = self.view
        if v is None:
            return None
        for i in v.items():
            if i.passage.id == pid:
                return i
        return None

    # -- edits --------------------------------------------------------------------------------

    def apply(self, op: Operation, *, undoable: bool = True) -> Applied:
        """Apply an operation to the book and patch the view; its inverse goes on the undo
        stack (call from a worker: it writes)."""
        with self._lock:
            applied = op.apply(self.book)
            self._after(applied)
            if undoable:
                self.undo_stack.push(applied)
            return applied

    def undo(self) -> Applied | None:
        """Apply the inverse of the last edit; None when there is nothing to undo."""
        with self._lock:
            last = self.undo_stack.pop()
            if last is None:
                return None
            applied = last.inverse.apply(self.book)
            applied.label = last.label
            self._after(applied)
            return applied

    def _after(self, applied: Applied) -> None:
        if applied.reload:
            self.load()
        else:
            self._patch(applied)

    def _patch(self, applied: Applied) -> None:
        """A new view with what the edit wrote (a copy: the UI may be drawing the old one)."""
        v = self.view
        if applied.states:
            self.tags = briefs.tag_counts(self.book)
        if v is None:
            return
        brief = applied.brief or v.brief
        states = applied.states
        articles = dict(v.articles)
        for a in applied.new_articles:
            articles.setdefault(a.id, a)
        if applied.order is not None:
            known = {i.passage.id: i for i in v.items()}
            passages = {pid: i.passage for pid, i in known.items()}
            for p in applied.new_passages:
                passages.setdefault(p.id, p)
            for wid, w in (applied.written or {}).items():
                passages[wid] = w.as_passage()  # new text too: an edited item is a new row
            wanted = [applied.order.sections.get(s.id, []) for s in brief.sections]
            if any(pid not in passages for pids in wanted for pid in pids):
                # A passage comes back from Unsorted: the brief file has its copy.
                for pid, p in self.book.brief_passages(brief.id).items():
                    passages.setdefault(pid, p)
            new_sections = []
            for section, pids in zip(brief.sections, wanted, strict=True):
                sv = SectionView(section)
                for n, pid in enumerate(pids):
                    old = known.get(pid)
                    if (
                        old is not None
                        and pid not in states
                        and (old.section_id, old.position) == (section.id, n)
                        and old.passage is passages.get(pid, old.passage)
                    ):
                        sv.items.append(old)  # unchanged: the same object, no row repaints
                        continue
                    found = passages.get(pid)
                    if found is None:
                        continue
                    st = states.get(pid) or (old.state if old else None) or self.book.state(pid)
                    art = articles.get(found.article_id)
                    sv.items.append(Item(found, art, st, section.id, n))
                new_sections.append(sv)
            self.view = BriefView(brief, new_sections, articles, v.linked)
            if brief.judgments != v.brief.judgments:
                self.view.linked = briefs.linked_passages(self.book, self.view)
            return
        if states or applied.brief is not None:
            old_items = {sv.section.id: sv.items for sv in v.sections}
            new_sections = []
            for section in brief.sections:  # the brief's order: sections may have moved
                items = [
                    replace(i, state=states[i.passage.id]) if i.passage.id in states else i
                    for i in old_items.get(section.id, [])
                ]
                new_sections.append(SectionView(section, items))
            self.view = BriefView(brief, new_sections, articles, v.linked)
            if brief.judgments != v.brief.judgments:
                self.view.linked = briefs.linked_passages(self.book, self.view)
            if applied.brief is None and self._neighbours[0] is v:
                # The same passages in the same places: only their state changed.
                self._neighbours = (self.view, self._neighbours[1])

    # -- the edits, by name (what the keys and commands call) ------------------------------------

    def tag(
        self, pids: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> Applied:
        from briefing import editing

        new, gone = tuple(editing.clean_tags(add)), tuple(editing.clean_tags(remove))
        ids = list(pids)
        if not new and not gone:
            raise UsageError("no tag given")
        label = "tags" if len(ids) == 1 else f"tags on {plural(len(ids), 'passage')}"
        return self.apply(
            editing.Tag(
                add={pid: new for pid in ids} if new else {},
                remove={pid: gone for pid in ids} if gone else {},
                label=label,
            )
        )

    def toggle_key_point(self, items: list[Item]) -> Applied:
        """Mark them all, unless all are marked already: then unmark them all."""
        from briefing import editing

        value = not all(i.state.key_point for i in items)
        label = "key point" if len(items) == 1 else f"key points on {plural(len(items), 'passage')}"
        return self.apply(editing.KeyPoint({i.passage.id: value for i in items}, label=label))

    def add_note(self, pid: str, text: str, quote: str = "", kind: str = "working") -> Applied:
        """A working note (for the desk) or a comment note (part of the current brief)."""
        from briefing import editing

        bid = self.brief_id or "" if kind == "comment" else ""
        return self.apply(editing.AddNote(pid, text, quote, kind=kind, brief_id=bid))

    def edit_note(
        self, note_id: str, text: str, quote: str | None = None, kind: str | None = None
    ) -> Applied:
        """A passage's note, or a section's (found by its id)."""
        from briefing import editing

        if self.book.find_note(note_id) is None:
            sbid = self.section_note_brief(note_id)
            if sbid is not None:
                return self.apply(editing.EditSectionNote(sbid, note_id, text, kind))
        bid = self.brief_id or ""
        return self.apply(editing.EditNote(note_id, text, quote, kind=kind, brief_id=bid))

    def write_item(self, section_id: str, text: str) -> Applied:
        """Write an item (a point to make, a press line) at the end of a section."""
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.WriteItem(v.brief.id, section_id, text))

    def edit_item(self, item_id: str, text: str) -> Applied:
        from briefing import editing

        return self.apply(editing.EditItem(item_id, text))

    def delete_item(self, item_id: str) -> Applied:
        from briefing import editing

        return self.apply(editing.DeleteItem(item_id))

    # -- key judgments ----------------------------------------------------------------------------

    def add_judgment(
        self, text: str, likelihood: str, confidence: str, passages: Iterable[str] = ()
    ) -> Applied:
        """A key judgment at the end of the brief's list; `result` is its id."""
        from briefing.editing.judgments import AddJudgment

        v = self.require_view()
        return self.apply(AddJudgment(v.brief.id, text, likelihood, confidence, list(passages)))

    def edit_judgment(
        self,
        judgment_id: str,
        text: str | None = None,
        likelihood: str | None = None,
        confidence: str | None = None,
        passages: list[str] | None = None,
        link: Iterable[str] = (),
    ) -> Applied:
        from briefing.editing.judgments import EditJudgment

        v = self.require_view()
        op = EditJudgment(
            v.brief.id, judgment_id, text, likelihood, confidence, passages, list(link)
        )
        return self.apply(op)

    def delete_judgment(self, judgment_id: str) -> Applied:
        from briefing.editing.judgments import DeleteJudgment

        return self.apply(DeleteJudgment(self.require_view().brief.id, judgment_id))

    def move_judgment(self, judgment_id: str, delta: int) -> Applied:
        from briefing.editing.judgments import MoveJudgment

        return self.apply(MoveJudgment(self.require_view().brief.id, judgment_id, delta))

    # -- annexes: who's who, chronology, key figures -----------------------------------------------

    def annex(self, annex: str, *, dropped: bool = False) -> list[Entry]:
        """An annex of the brief, reviews applied (see `analysis.annex`)."""
        from briefing import aliases
        from briefing.analysis.annex import entries

        return entries(self.require_view(), annex, aliases.spellings(), dropped=dropped)

    def review(
        self,
        annex: str,
        key: str,
        *,
        status: str | None = None,
        name: str | None = None,
        role: str | None = None,
        into: str | None = None,
    ) -> Applied:
        """Confirm, drop, correct or merge an entry (`key` as the annex lists it)."""
        from briefing.editing.reviews import SetReview

        v = self.require_view()
        if (name or role) and status is None:
            current = v.brief.reviews.get(review_key(annex, key))
            if current is None or not current.status:
                status = "confirmed"  # a correction is a review: the desk has checked it
        known = {e.key for e in self.annex(annex, dropped=True)}
        merged = {
            k.split(":", 1)[1]
            for k, r in v.brief.reviews.items()
            if k.startswith(annex + ":") and r.into
        }
        for wanted in (key, into):
            if wanted and wanted not in known and wanted not in merged:
                sample = ", ".join(sorted(known)[:8]) or "none"
                raise NotFound(f"no {annex} entry {wanted!r} in {v.brief.id} (entries: {sample})")
        if into:
            reviews = v.brief.reviews
            target = reviews.get(review_key(annex, into))
            if target is not None and target.status == "dropped":
                raise UsageError(f"{into} is dropped: `--unreview {into}` first, then merge")
            step, seen = into, {into}
            while (r := reviews.get(review_key(annex, step))) is not None and r.into:
                if r.into == key:
                    raise UsageError(
                        f"{into} is merged into {key} already: merging {key} into it would "
                        "make a circle (`--unreview` one of them first)"
                    )
                if r.into in seen:
                    break
                seen.add(r.into)
                step = r.into
        return self.apply(SetReview(v.brief.id, annex, key, status, name, role, into))

    def remove_articles(self, ids: Iterable[str]) -> Applied:
        """Articles out of the book and every brief, into the trash (undoable)."""
        from briefing import editing

        ids = tuple(dict.fromkeys(ids))
        label = "remove article" if len(ids) == 1 else f"remove {plural(len(ids), 'article')}"
        return self.apply(editing.TrashArticles(ids, label))

    def remove_brief(self, brief_id: str) -> Applied:
        from briefing import editing

        applied = self.apply(editing.TrashBrief(brief_id))
        if self.brief_id == brief_id:
            self.view = None
            self.load()
        return applied

    def restore(self, trash_id: str) -> Applied:
        from briefing import editing

        return self.apply(editing.RestoreTrash((trash_id,)))

    def set_details(self, values: dict[str, str]) -> Applied | None:
        """Set several header fields at once (one undo step); None when nothing changed."""
        from briefing import editing

        v = self.require_view()
        ops: list[editing.Operation] = []
        for name, value in values.items():
            current = (
                v.brief.details.get(name, "")
                if name in BRIEF_DETAILS
                else str(getattr(v.brief, name, ""))
            )
            if " ".join(value.split()) != current:
                ops.append(editing.SetField(v.brief.id, name, value))
        if not ops:
            return None
        return self.apply(editing.Batch(ops, "brief details"))

    # -- sections ---------------------------------------------------------------------------------

    def add_section_note(self, section_id: str, text: str, kind: str = "working") -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.AddSectionNote(v.brief.id, section_id, text, kind))

    def section_note_brief(self, note_id: str) -> str | None:
        """The brief one of whose sections holds this note."""
        for bid in self.book.brief_ids():
            brief = self.book.brief(bid, missing_ok=True)
            if brief and any(n.id == note_id for s in brief.sections for n in s.notes):
                return bid
        return None

    def cycle_status(self, section_id: str) -> Applied:
        """drafting → ready → cleared → drafting."""
        from briefing import editing

        v = self.require_view()
        section = v.brief.section(section_id)
        if section is None:
            raise NotFound(f"no section {section_id!r} in brief {v.brief.id!r}")
        order = list(SECTION_STATUSES)
        nxt = order[(order.index(section.status) + 1) % len(order)]
        return self.apply(editing.SetField(v.brief.id, "status", nxt, section_id, label="status"))

    def add_section(self, section_id: str, title: str, index: int | None = None) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.AddSection(v.brief.id, section_id, title, index))

    def remove_section(self, section_id: str) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.RemoveSection(v.brief.id, section_id))

    def move_section(self, section_id: str, position: int) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.MoveSection(v.brief.id, section_id, position))

    def set_field(self, field: str, value: str, section_id: str | None = None) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.SetField(v.brief.id, field, value, section_id))

    def delete_note(self, note_id: str) -> Applied:
        from briefing import editing

        if self.book.find_note(note_id) is None:
            sbid = self.section_note_brief(note_id)
            if sbid is not None:
                return self.apply(editing.DeleteSectionNote(sbid, note_id))
        return self.apply(editing.DeleteNote(note_id))

    def move(self, pids: Iterable[str], section_id: str) -> Applied:
        """Move to a section of the current brief; "" takes them out (to Unsorted)."""
        from briefing import editing

        v = self.require_view()
        ids = tuple(pids)
        label = "take out" if not section_id else "move"
        if len(ids) > 1:
            label += f" of {plural(len(ids), 'passage')}"
        return self.apply(editing.Move(v.brief.id, ids, section_id, label=label))

    def reorder(self, pid: str, delta: int) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.Reorder(v.brief.id, pid, delta))

    def take_out_article(self, article_id: str) -> Applied:
        from briefing import editing

        v = self.require_view()
        pids = tuple(i.passage.id for i in v.items() if i.passage.article_id == article_id)
        if not pids:
            raise NotFound(f"no passage of article {article_id} is in a section of {v.brief.id}")
        return self.apply(editing.Move(v.brief.id, pids, "", label="take out article"))

    def set_summary(self, text: str, section_id: str | None = None) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.Summary(v.brief.id, text, section_id))

    def refile(self) -> Applied:
        from briefing import editing

        v = self.require_view()
        return self.apply(editing.Refile(v.brief.id))

    # -- import --------------------------------------------------------------------------------

    def import_paths(
        self,
        paths: list[str],
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Import files and folders into the book and file them into the current brief.

        `cancelled` is asked between inputs: what was imported before it said yes stays
        (each article is stored whole or not at all)."""
        from briefing.importing import expand
        from briefing.importing.service import import_sources

        def step(done: int, total: int, name: str) -> None:
            if cancelled():
                raise ImportCancelled()
            if progress:
                progress(done, total, name)

        sources = list(expand(paths))
        report = import_sources(self.book, sources, brief_id=self.brief_id, progress=step)
        self.load()
        return report

    # -- feeds -----------------------------------------------------------------------------------

    def feeds_due(self) -> bool:
        """A followed feed is due (a read of the small feeds file; for a timer's worker)."""
        import time

        from briefing.importing.feeds import subscriptions

        now = time.time()
        return any(s.due(now) for s in subscriptions(self.book))

    def refresh_feeds(
        self,
        *,
        due_only: bool = False,
        progress: ProgressFn | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> list[Refreshed]:
        """Fetch the followed feeds (the due ones) and import what is new; the brief is read
        again if anything came. `warn`: drop rules that could not be read."""
        from briefing.importing.feeds import refresh

        results = refresh(self.book, due_only=due_only, progress=progress, warn=warn)
        if any(r.added for r in results):
            self.load()
        else:
            self._load_new()
        return results

    # -- export ---------------------------------------------------------------------------------

    def export_text(self, fmt: str = "md", date: str | None = None, copy: str = "principal") -> str:
        """The compiled brief (Markdown) or its JSON form (which another book can import)."""
        from briefing.exporting import compile_date

        v = self.require_view()
        compiled = compile_date(date)
        if fmt == "json":
            from briefing.exporting.json import brief_json, dumps

            doc = brief_json(v, v.items(), v.cited_articles(), self.book.article_tags())
            header = {"format": "briefing-brief", "version": 1, "compiled": compiled.isoformat()}
            return dumps({**header, **doc})
        from briefing.exporting.markdown import to_markdown

        return to_markdown(v, compiled, copy=copy)

    def export_bytes(
        self, fmt: str = "md", date: str | None = None, copy: str = "principal"
    ) -> bytes:
        """The compiled brief as bytes: md and json as UTF-8; docx and pdf converted from the
        Markdown by pandoc (`pip install 'briefing[office]'`)."""
        if fmt in ("docx", "pdf"):
            from briefing.exporting.office import convert

            return convert(self.export_text("md", date, copy), fmt)
        return self.export_text(fmt, date, copy).encode("utf-8")

    @staticmethod
    def format_for(path: Path, fmt: str | None = None) -> str:
        """The format asked for, else the one the file name says (.docx, .pdf, .json)."""
        if fmt:
            return fmt
        return {".docx": "docx", ".pdf": "pdf", ".json": "json"}.get(path.suffix.lower(), "md")

    def export(
        self, path: Path, fmt: str = "md", date: str | None = None, copy: str = "principal"
    ) -> tuple[int, str]:
        """Write the compiled brief to `path`; returns the number of passages and what was
        done ("wrote …", "replaced … (old version kept as ….bak)", "wrote to the FIFO …").
        A symlink's target is written, a FIFO or device is written as a stream, never
        replaced."""
        from briefing.errors import UsageError
        from briefing.output import write_output

        book = self.book.path.resolve()
        target = path.expanduser().resolve()
        if target == book or book in target.parents:
            raise UsageError(f"{path}: that is inside the book ({book}); export somewhere else")

        done = write_output(path, self.export_bytes(fmt, date, copy))
        self.note_export()
        return sum(1 for i in self.require_view().items() if not i.is_written), done

    def note_export(self) -> None:
        """Remember when this brief was last exported (the overview's "new since")."""
        from briefing.overview import LAST_EXPORT

        # A read-only book exports all the same.
        with contextlib.suppress(BriefingError), self.book.locked():
            done = self.book.get_setting(LAST_EXPORT, {})
            done = dict(done) if isinstance(done, dict) else {}
            done[self.require_view().brief.id] = briefs.now_iso()
            self.book.set_setting(LAST_EXPORT, done)

    def overview(self, *, people: bool = True) -> Overview:
        """The brief at a glance (see `briefing.overview`); for a worker."""
        from briefing.overview import LAST_EXPORT, overview

        v = self.require_view()
        done = self.book.get_setting(LAST_EXPORT, {})
        last = done.get(v.brief.id, "") if isinstance(done, dict) else ""
        return overview(v, last if isinstance(last, str) else "", people=people)

    # -- other processes ------------------------------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """True when another process changed the book since we last looked."""
        return self.book.foreign_change()


def summary_line(view: BriefView | None, words: int | None = None) -> str:
    """The status line's description of a brief."""
    if view is None:
        return "no brief · b creates one · ? for keys"
    every = view.items()
    articles = [i.passage.article_id for i in every]  # one pass each: 25,000 items
    written = articles.count("")  # a written item has no article (Item.is_written)
    sources = len(set(articles)) - (1 if written else 0)
    keys = sum(1 for i in every if i.state.key_point)
    passages = len(every) - written
    length = ""
    if words is not None:
        from briefing.exporting.markdown import pages_phrase

        length = f" · {words:,} words, {pages_phrase(words)}"
    own = f" + {plural(written, 'written item')}" if written else ""
    return (
        f"{plural(passages, 'passage')} from {plural(sources, 'source')}{own}"
        f"{length} · {plural(keys, 'key point')} · ? for keys"
    )
