"""The user's edits as operations: tags, notes, key points, moves, reordering, summaries.

An operation is applied under the book's lock to the state as it is on disk at that moment
("add this tag", never "set the tags to the list I read a minute ago"), so another
instance's saved work is never overwritten. Applying one returns its inverse, which is
itself an operation: undo applies the inverse — never a snapshot. An inverse carries what
it expects to find (`strict`); when another writer changed the same thing since, it leaves
their change alone and says so in one line (`Applied.conflicts`).
"""

from __future__ import annotations

import getpass
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from briefing import sectioning
from briefing.briefs import now_iso
from briefing.errors import NotFound, UsageError
from briefing.model import (
    ANNEXES,
    BRIEF_DETAILS,
    NOTE_KINDS,
    SECTION_STATUSES,
    WRITTEN_PREFIX,
    Article,
    Brief,
    FilingOrder,
    Note,
    Passage,
    PassageState,
    Section,
    WrittenItem,
    is_written_id,
)
from briefing.sanitize import clean_field
from briefing.store import Book


def _author() -> str:
    """The config's `author:`, else the login name."""
    from briefing.config import load_config

    configured = load_config()[0].author
    if configured:
        return clean_field(configured, limit=80)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Comma-separated or separate tags, whitespace collapsed, no leading '#', each once."""
    out: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            t = " ".join(part.split()).lstrip("#").strip()  # a leading '#'; "C#" stays
            if t and t not in out:
                out.append(t)
    return out


def _short(text: str, n: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


# -- what applying an operation gives back --------------------------------------------------


@dataclass
class Applied:
    """The result of an operation: its inverse and what changed, so a view can be patched
    instead of read again."""

    label: str
    inverse: Operation | None
    states: dict[str, PassageState] = field(default_factory=dict)
    """Passage states as written (tags, notes, key points changed)."""
    order: FilingOrder | None = None
    """The brief's filing order as written, when it changed."""
    brief: Brief | None = None
    """The brief as written, when its own fields (summary) changed."""
    new_passages: list[Passage] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)
    """Library passages (and their articles) newly copied into the brief."""
    written: dict[str, WrittenItem] | None = None
    """The brief's written items as written, when they changed."""
    reload: bool = False
    """The change reaches past one brief (articles left the book): read the view again."""
    conflicts: list[str] = field(default_factory=list)
    """One line for each part left alone because another writer changed it."""
    result: str = ""
    """An id the caller asked for (a new note's id)."""

    @property
    def changed(self) -> bool:
        return bool(self.states or self.order is not None or self.brief is not None)


class Operation(Protocol):
    label: str

    def apply(self, book: Book) -> Applied: ...


def _require_passages(book: Book, pids: Iterable[str]) -> None:
    for pid in pids:
        book.require_passage(pid)


# -- tags ------------------------------------------------------------------------------------


@dataclass
class Tag:
    """Add and/or remove tags on passages. `strict` (set on undo) reports tags that are
    no longer as this operation's inverse left them."""

    add: dict[str, tuple[str, ...]] = field(default_factory=dict)
    remove: dict[str, tuple[str, ...]] = field(default_factory=dict)
    strict: bool = False
    label: str = "tags"

    def apply(self, book: Book) -> Applied:
        pids = list(dict.fromkeys([*self.add, *self.remove]))
        _require_passages(book, pids)
        added: dict[str, tuple[str, ...]] = {}
        removed: dict[str, tuple[str, ...]] = {}
        conflicts: list[str] = []

        def change(st: PassageState) -> None:
            pid = st.passage_id
            drop = [t for t in self.remove.get(pid, ()) if t in st.tags]
            if self.strict:
                gone = [t for t in self.remove.get(pid, ()) if t not in st.tags]
                if gone:
                    conflicts.append(f"tag {', '.join(gone)} on {pid} was already removed")
            new = [t for t in self.add.get(pid, ()) if t not in st.tags and t not in drop]
            st.tags = [t for t in st.tags if t not in drop] + new
            if new:
                added[pid] = tuple(new)
            if drop:
                removed[pid] = tuple(drop)

        states = book.update_states(pids, change) if pids else {}
        inverse = Tag(add=removed, remove=added, strict=True, label=self.label)
        return Applied(
            self.label, inverse if (added or removed) else None, states, conflicts=conflicts
        )


# -- key points --------------------------------------------------------------------------------


@dataclass
class KeyPoint:
    """Set the key-point mark. `expect` (set on undo) is what this operation's inverse left."""

    values: dict[str, bool]
    expect: dict[str, bool] | None = None
    label: str = "key point"

    def apply(self, book: Book) -> Applied:
        _require_passages(book, self.values)
        before: dict[str, bool] = {}
        conflicts: list[str] = []

        def change(st: PassageState) -> None:
            pid = st.passage_id
            if self.expect is not None and st.key_point != self.expect.get(pid, st.key_point):
                conflicts.append(f"the key-point mark of {pid} was changed by another writer")
                return
            if st.key_point != self.values[pid]:
                before[pid] = st.key_point
                st.key_point = self.values[pid]

        states = book.update_states(self.values, change)
        inverse = KeyPoint(
            values=dict(before),
            expect={pid: self.values[pid] for pid in before},
            label=self.label,
        )
        return Applied(self.label, inverse if before else None, states, conflicts=conflicts)


# -- notes ---------------------------------------------------------------------------------------


def _quote_in(book: Book, pid: str, quote: str) -> None:
    if quote and quote not in book.passage(pid).text:
        raise UsageError(f"the quote {_short(quote)!r} does not occur in passage {pid}")


@dataclass
class AddNote:
    pid: str
    text: str
    quote: str = ""
    note_id: str = ""
    """Given on redo-like re-adds; else a new id is made."""
    created: str = ""
    author: str | None = None
    index: int | None = None
    """Where to put it back in the passage's notes (undo of a delete); None: at the end."""
    kind: str = "working"
    brief_id: str = ""
    """For a comment note: the brief it belongs to."""
    label: str = "note"

    def apply(self, book: Book) -> Applied:
        text = self.text.strip()
        if self.kind not in NOTE_KINDS:
            raise UsageError(f"a note is {' or '.join(NOTE_KINDS)}, not {self.kind!r}")
        if self.kind == "comment" and not self.brief_id:
            raise UsageError("a comment note belongs to a brief: give --brief")
        if not text:
            raise UsageError("the note is empty")
        book.require_passage(self.pid)
        _quote_in(book, self.pid, self.quote)
        note = Note(
            id=self.note_id or "n" + secrets.token_hex(4),
            text=text,
            created=self.created or now_iso(),
            author=_author() if self.author is None else self.author,
            quote=self.quote,
            kind=self.kind,
            brief_id=self.brief_id if self.kind == "comment" else "",
        )
        conflicts: list[str] = []

        def change(st: PassageState) -> None:
            if any(n.id == note.id for n in st.notes):
                conflicts.append(f"note {note.id} is already there")
                return
            at = len(st.notes) if self.index is None else min(self.index, len(st.notes))
            st.notes.insert(at, note)

        states = book.update_states([self.pid], change)
        inverse = (
            None if conflicts else DeleteNote(note.id, expect_text=note.text, label=self.label)
        )
        return Applied(self.label, inverse, states, conflicts=conflicts, result=note.id)


def _locate_note(book: Book, note_id: str) -> str:
    found = book.find_note(note_id)
    if found is None:
        raise NotFound(f"no note {note_id!r} in {book.path} (see `briefing list --json`)")
    return found[0]


@dataclass
class EditNote:
    note_id: str
    text: str
    quote: str | None = None
    """None keeps the quote."""
    expect_text: str | None = None
    label: str = "note edit"
    kind: str | None = None
    """None keeps the kind; "comment" needs `brief_id`."""
    brief_id: str = ""

    def apply(self, book: Book) -> Applied:
        text = self.text.strip()
        if not text:
            raise UsageError("the note is empty (to remove it: `briefing note --delete ID`)")
        pid = _locate_note(book, self.note_id)
        if self.quote:
            _quote_in(book, pid, self.quote)
        old: list[Note] = []
        conflicts: list[str] = []

        def change(st: PassageState) -> None:
            for i, n in enumerate(st.notes):
                if n.id != self.note_id:
                    continue
                if self.expect_text is not None and n.text != self.expect_text:
                    conflicts.append(f"note {n.id} was changed by another writer since")
                    return
                old.append(n)
                quote = n.quote if self.quote is None else self.quote
                kind = n.kind if self.kind is None else self.kind
                bid = (self.brief_id or n.brief_id) if kind == "comment" else ""
                st.notes[i] = Note(n.id, text, n.created, n.author, quote, kind, bid)
                return
            conflicts.append(f"note {self.note_id} was deleted by another writer")

        states = book.update_states([pid], change)
        inverse = None
        if old:
            o = old[0]
            inverse = EditNote(self.note_id, o.text, o.quote, text, self.label, o.kind, o.brief_id)
        return Applied(self.label, inverse, states, conflicts=conflicts, result=self.note_id)


@dataclass
class DeleteNote:
    note_id: str
    expect_text: str | None = None
    label: str = "note deleted"

    def apply(self, book: Book) -> Applied:
        found = book.find_note(self.note_id)
        if found is None:
            if self.expect_text is not None:  # undoing an add: someone removed it already
                return Applied(
                    self.label, None, conflicts=[f"note {self.note_id} was already deleted"]
                )
            raise NotFound(f"no note {self.note_id!r} in {book.path}")
        pid = found[0]
        gone: list[tuple[int, Note]] = []
        conflicts: list[str] = []

        def change(st: PassageState) -> None:
            for i, n in enumerate(st.notes):
                if n.id == self.note_id:
                    if self.expect_text is not None and n.text != self.expect_text:
                        conflicts.append(f"note {n.id} was changed by another writer; kept")
                        return
                    gone.append((i, n))
                    del st.notes[i]
                    return

        states = book.update_states([pid], change)
        inverse = None
        if gone:
            i, n = gone[0]
            inverse = AddNote(
                pid, n.text, n.quote, n.id, n.created, n.author, i, n.kind, n.brief_id, self.label
            )
        return Applied(self.label, inverse, states, conflicts=conflicts, result=self.note_id)


# -- filings: move, take out, reorder, re-file -------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a passage sits in a brief: section ("" = taken out, None = not filed at all),
    index within that section, and whether a person put it there."""

    section_id: str | None
    index: int = 0
    manual: bool = False


def _where(order: FilingOrder, pid: str) -> Place:
    found = order.locate(pid)
    if found is None:
        return Place(None)
    return Place(found[0], found[1], pid in order.manual)


def _index(order: FilingOrder) -> dict[str, Place]:
    """Every passage's place, in one pass (re-filing 25,000 passages must not be quadratic)."""
    return {
        pid: Place(sid, n, pid in order.manual)
        for sid, pids in order.sections.items()
        for n, pid in enumerate(pids)
    }


def _put(order: FilingOrder, pid: str, place: Place) -> None:
    """Put the passage at `place` (take it out of the order when its section is None)."""
    if place.section_id is None:
        order.remove(pid)
        order.manual.discard(pid)
    else:
        order.insert(pid, place.section_id, place.index, place.manual)


@dataclass
class Move:
    """Move passages by hand to the end of a section ("" takes them out of the brief's
    sections: they show under Unsorted, and re-filing leaves them out)."""

    brief_id: str
    pids: tuple[str, ...]
    section_id: str
    label: str = "move"

    def apply(self, book: Book) -> Applied:
        brief = book.brief(self.brief_id)
        assert brief is not None
        if self.section_id and brief.section(self.section_id) is None:
            known = ", ".join(s.id for s in brief.sections)
            raise NotFound(
                f"no section {self.section_id!r} in brief {brief.id!r} (sections: {known})"
            )
        have = book.brief_passages(self.brief_id)
        new_passages: list[Passage] = []
        new_articles: list[Article] = []
        cited = book.brief_articles(self.brief_id)
        for pid in self.pids:
            if is_written_id(pid):
                if not self.section_id:
                    raise UsageError(
                        f"{pid} is a written item: delete it (`briefing write --delete {pid}`) "
                        "rather than take it out"
                    )
                continue
            if pid not in have:
                if not self.section_id:
                    raise NotFound(f"passage {pid!r} is not in brief {self.brief_id!r}")
                book.require_passage(pid)
                p = book.passage(pid)
                art = book.article(p.article_id)
                if art is not None and art.is_demo and self.brief_id != "demo":
                    raise UsageError(
                        "the demo article stays in the demo brief (it is never cited elsewhere)"
                    )
                new_passages.append(p)
                if p.article_id not in cited and all(a.id != p.article_id for a in new_articles):
                    art = book.article(p.article_id)
                    if art:
                        new_articles.append(art)
        before: dict[str, Place] = {}

        def change(order: FilingOrder) -> None:
            # Places before any of them moved: undo puts each back there.
            orig = {pid: _where(order, pid) for pid in self.pids}
            for pid in self.pids:
                if orig[pid].section_id == self.section_id:
                    continue
                before[pid] = orig[pid]
                _put(order, pid, Place(self.section_id, 10**9, True))

        order = book.update_order(
            self.brief_id, change, new_passages=new_passages, new_articles=new_articles
        )
        after = {pid: _where(order, pid) for pid in before}
        inverse = Restore(self.brief_id, before, expect=after, label=self.label) if before else None
        return Applied(
            self.label,
            inverse,
            order=order,
            new_passages=new_passages,
            new_articles=new_articles,
        )


@dataclass
class Restore:
    """Put passages back where they were (the inverse of a move, reorder or re-file).
    A passage another writer moved since is left where they put it."""

    brief_id: str
    places: dict[str, Place]
    expect: dict[str, Place] | None = None
    label: str = "move"

    def apply(self, book: Book) -> Applied:
        before: dict[str, Place] = {}
        conflicts: list[str] = []

        def change(order: FilingOrder) -> None:
            now = {pid: _where(order, pid) for pid in self.places}
            ok = []
            for pid in self.places:
                want = self.expect.get(pid) if self.expect else None
                if want is not None and now[pid].section_id != want.section_id:
                    conflicts.append(f"{pid} was moved by another writer since; left there")
                    continue
                before[pid] = now[pid]
                ok.append(pid)
            for pid in ok:  # take them all out, then put each back in index order
                order.remove(pid)
            for pid in sorted(ok, key=lambda p: self.places[p].index):
                _put(order, pid, self.places[pid])

        order = book.update_order(self.brief_id, change)
        after = {pid: _where(order, pid) for pid in before}
        inverse = Restore(self.brief_id, before, expect=after, label=self.label) if before else None
        return Applied(self.label, inverse, order=order, conflicts=conflicts)


@dataclass
class Reorder:
    """Move a passage up (-1) or down (+1) in its section."""

    brief_id: str
    pid: str
    delta: int
    expect_index: int | None = None
    label: str = "reorder"

    def apply(self, book: Book) -> Applied:
        moved: list[Place] = []
        conflicts: list[str] = []

        def change(order: FilingOrder) -> None:
            was = _where(order, self.pid)
            if not was.section_id:
                raise NotFound(f"passage {self.pid!r} is not in a section of {self.brief_id!r}")
            if self.expect_index is not None and was.index != self.expect_index:
                conflicts.append(f"{self.pid} was moved by another writer since; left there")
                return
            pids = order.sections[was.section_id]
            j = was.index + self.delta
            if 0 <= j < len(pids):
                pids[was.index], pids[j] = pids[j], pids[was.index]
                order.manual.add(self.pid)
                moved.append(was)

        order = book.update_order(self.brief_id, change)
        inverse = None
        if moved:
            now = _where(order, self.pid)
            inverse = Reorder(self.brief_id, self.pid, -self.delta, now.index, self.label)
        return Applied(self.label, inverse, order=order, conflicts=conflicts)


@dataclass
class Refile:
    """File the brief's passages again by its rules; hand moves stay."""

    brief_id: str
    label: str = "re-file"

    def apply(self, book: Book) -> Applied:
        brief = book.brief(self.brief_id)
        assert brief is not None
        passages = list(book.brief_passages(self.brief_id).values())
        placed = {p.id: sid for p, sid in sectioning.file_passages(brief, passages)}
        before: dict[str, Place] = {}

        def change(order: FilingOrder) -> None:
            old = _index(order)
            written = [s.id for s in brief.sections if s.written]
            fresh = FilingOrder.from_filings(sectioning.refile(order.to_filings(), placed, written))
            order.sections, order.manual = fresh.sections, fresh.manual
            for sid, pids in order.sections.items():
                for pid in pids:
                    if old[pid].section_id != sid:
                        before[pid] = old[pid]

        order = book.update_order(self.brief_id, change)
        now = _index(order)
        after = {pid: now[pid] for pid in before}
        inverse = Restore(self.brief_id, before, expect=after, label=self.label) if before else None
        applied = Applied(self.label, inverse, order=order)
        applied.result = str(len(before))
        return applied


# -- the brief's own text -------------------------------------------------------------------------


@dataclass
class Summary:
    """Set the brief's (or a section's) summary."""

    brief_id: str
    text: str
    section_id: str | None = None
    expect: str | None = None
    label: str = "summary"

    def apply(self, book: Book) -> Applied:
        before: list[str] = []
        conflicts: list[str] = []
        new = self.text.strip()

        def change(b: Brief) -> None:
            holder = b.section(self.section_id) if self.section_id else None
            if self.section_id and holder is None:
                raise NotFound(f"no section {self.section_id!r} in brief {b.id!r}")
            current = holder.summary if holder else b.summary
            if self.expect is not None and current != self.expect:
                conflicts.append("the summary was changed by another writer since; kept")
                return
            before.append(current)
            if holder:
                holder.summary = new
            else:
                b.summary = new

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if before and before[0] != new:
            inverse = Summary(self.brief_id, before[0], self.section_id, new, self.label)
        return Applied(self.label, inverse, brief=brief, conflicts=conflicts)


BRIEF_FIELDS = ("title", "subtitle", "audience", "marking", *BRIEF_DETAILS, "annexes")
SECTION_FIELDS = ("title", "status")


@dataclass
class SetField:
    """Set one field of the brief (title, marking, meeting date, drafter…) or of a section."""

    brief_id: str
    field: str
    value: str
    section_id: str | None = None
    expect: str | None = None
    label: str = "field"

    def apply(self, book: Book) -> Applied:
        allowed = SECTION_FIELDS if self.section_id else BRIEF_FIELDS
        if self.field not in allowed:
            what = "a section" if self.section_id else "a brief"
            raise UsageError(f"{what} has no field {self.field!r} (fields: {', '.join(allowed)})")
        value = clean_field(self.value, limit=300)
        if self.field == "status" and value not in SECTION_STATUSES:
            raise UsageError(f"a section's status is {', '.join(SECTION_STATUSES)}, not {value!r}")
        if self.field == "title" and not value:
            raise UsageError("a title cannot be empty")
        if self.field == "annexes" and not self.section_id:
            names = [n.strip() for n in value.replace(" ", ",").split(",") if n.strip()]
            unknown = [n for n in names if n not in ANNEXES]
            if unknown:
                raise UsageError(
                    f"no annex {unknown[0]!r}: annexes are {', '.join(ANNEXES)} "
                    '(comma-separated; "" for none)'
                )
            value = ",".join(dict.fromkeys(names))
        before: list[str] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            if self.section_id:
                section = b.section(self.section_id)
                if section is None:
                    raise NotFound(f"no section {self.section_id!r} in brief {b.id!r}")
                current = str(getattr(section, self.field))
            elif self.field in BRIEF_DETAILS:
                current = b.details.get(self.field, "")
            elif self.field == "annexes":
                current = ",".join(b.annexes)
            else:
                current = str(getattr(b, self.field))
            if self.expect is not None and current != self.expect:
                conflicts.append(f"{self.field} was changed by another writer since; kept")
                return
            before.append(current)
            if self.section_id and section is not None:
                setattr(section, self.field, value)
            elif self.field in BRIEF_DETAILS:
                if value:
                    b.details[self.field] = value
                else:
                    b.details.pop(self.field, None)
            elif self.field == "annexes":
                b.annexes = [n for n in value.split(",") if n]
            else:
                setattr(b, self.field, value)

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if before and before[0] != value:
            inverse = SetField(
                self.brief_id, self.field, before[0], self.section_id, value, self.label
            )
        return Applied(self.label, inverse, brief=brief, conflicts=conflicts)


# -- written items ---------------------------------------------------------------------------------


def _new_item_id() -> str:
    return WRITTEN_PREFIX + secrets.token_hex(4)


@dataclass
class WriteItem:
    """Write an item in a section of a brief (at the end, or back at `index` on undo)."""

    brief_id: str
    section_id: str
    text: str
    item_id: str = ""
    index: int | None = None
    created: str = ""
    author: str | None = None
    label: str = "written item"

    def apply(self, book: Book) -> Applied:
        text = clean_field(self.text, multiline=True)
        if not text:
            raise UsageError("the item is empty")
        item = WrittenItem(
            self.item_id or _new_item_id(),
            text,
            self.created or now_iso(),
            _author() if self.author is None else self.author,
        )
        conflicts: list[str] = []

        def change(order: FilingOrder, items: dict[str, WrittenItem]) -> None:
            brief = book.brief(self.brief_id)  # under the lock: the section cannot vanish now
            assert brief is not None
            _section(brief, self.section_id)
            if item.id in items:
                conflicts.append(f"item {item.id} is already there")
                return
            items[item.id] = item
            at = 10**9 if self.index is None else self.index
            order.insert(item.id, self.section_id, at, True)

        order, items = book.update_written(self.brief_id, change)
        inverse = None if conflicts else DeleteItem(item.id, expect_text=text, label=self.label)
        return Applied(
            self.label, inverse, order=order, written=items, conflicts=conflicts, result=item.id
        )


def _item_brief(book: Book, item_id: str) -> str:
    bid = book.find_written(item_id)
    if bid is None:
        raise NotFound(f"no written item {item_id!r} in {book.path} (see `briefing list --json`)")
    return bid


@dataclass
class EditItem:
    item_id: str
    text: str
    expect_text: str | None = None
    label: str = "item edit"

    def apply(self, book: Book) -> Applied:
        text = clean_field(self.text, multiline=True)
        if not text:
            raise UsageError(
                f"the item is empty (to remove it: `briefing write --delete {self.item_id}`)"
            )
        bid = _item_brief(book, self.item_id)
        old: list[str] = []
        conflicts: list[str] = []

        def change(order: FilingOrder, items: dict[str, WrittenItem]) -> None:
            item = items.get(self.item_id)
            if item is None:
                conflicts.append(f"item {self.item_id} was deleted by another writer")
                return
            if self.expect_text is not None and item.text != self.expect_text:
                conflicts.append(f"item {self.item_id} was changed by another writer since; kept")
                return
            old.append(item.text)
            items[self.item_id] = WrittenItem(item.id, text, item.created, item.author)

        order, items = book.update_written(bid, change)
        inverse = EditItem(self.item_id, old[0], text, self.label) if old else None
        return Applied(self.label, inverse, order=order, written=items, conflicts=conflicts)


@dataclass
class DeleteItem:
    item_id: str
    expect_text: str | None = None
    label: str = "item deleted"

    def apply(self, book: Book) -> Applied:
        bid = book.find_written(self.item_id)
        if bid is None:
            if self.expect_text is not None:  # undoing a write: someone removed it already
                return Applied(
                    self.label, None, conflicts=[f"item {self.item_id} was already deleted"]
                )
            raise NotFound(f"no written item {self.item_id!r} in {book.path}")
        gone: list[tuple[WrittenItem, Place]] = []
        conflicts: list[str] = []

        def change(order: FilingOrder, items: dict[str, WrittenItem]) -> None:
            item = items.get(self.item_id)
            if item is None:
                return
            if self.expect_text is not None and item.text != self.expect_text:
                conflicts.append(f"item {self.item_id} was changed by another writer; kept")
                return
            gone.append((item, _where(order, self.item_id)))
            del items[self.item_id]
            order.remove(self.item_id)
            order.manual.discard(self.item_id)

        order, items = book.update_written(bid, change)
        inverse = None
        if gone:
            item, place = gone[0]
            inverse = WriteItem(
                bid,
                place.section_id or "",
                item.text,
                item.id,
                place.index,
                item.created,
                item.author,
                self.label,
            )
        return Applied(
            self.label,
            inverse,
            order=order,
            written=items,
            conflicts=conflicts,
            result=self.item_id,
        )


# -- sections of one brief: notes, and adding, removing, moving them ---------------------------------


def _section(b: Brief, section_id: str) -> Section:
    section = b.section(section_id)
    if section is None:
        known = ", ".join(s.id for s in b.sections)
        raise NotFound(f"no section {section_id!r} in brief {b.id!r} (sections: {known})")
    return section


def _section_note(b: Brief, note_id: str) -> tuple[Section, int] | None:
    for section in b.sections:
        for n, note in enumerate(section.notes):
            if note.id == note_id:
                return section, n
    return None


@dataclass
class AddSectionNote:
    brief_id: str
    section_id: str
    text: str
    kind: str = "working"
    note_id: str = ""
    index: int | None = None
    created: str = ""
    author: str | None = None
    label: str = "section note"

    def apply(self, book: Book) -> Applied:
        text = clean_field(self.text, multiline=True)
        if not text:
            raise UsageError("the note is empty")
        if self.kind not in NOTE_KINDS:
            raise UsageError(f"a note is {' or '.join(NOTE_KINDS)}, not {self.kind!r}")
        note = Note(
            self.note_id or "n" + secrets.token_hex(4),
            text,
            self.created or now_iso(),
            _author() if self.author is None else self.author,
            "",
            self.kind,
            self.brief_id if self.kind == "comment" else "",
        )

        def change(b: Brief) -> None:
            section = _section(b, self.section_id)
            at = len(section.notes) if self.index is None else min(self.index, len(section.notes))
            section.notes.insert(at, note)

        brief = book.update_brief(self.brief_id, change)
        inverse = DeleteSectionNote(self.brief_id, note.id, text, self.label)
        return Applied(self.label, inverse, brief=brief, result=note.id)


@dataclass
class EditSectionNote:
    brief_id: str
    note_id: str
    text: str
    kind: str | None = None
    expect_text: str | None = None
    label: str = "section note edit"

    def apply(self, book: Book) -> Applied:
        text = clean_field(self.text, multiline=True)
        if not text:
            raise UsageError("the note is empty (to remove it: `briefing note --delete ID`)")
        old: list[Note] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            found = _section_note(b, self.note_id)
            if found is None:
                conflicts.append(f"note {self.note_id} was deleted by another writer")
                return
            section, n = found
            note = section.notes[n]
            if self.expect_text is not None and note.text != self.expect_text:
                conflicts.append(f"note {self.note_id} was changed by another writer since; kept")
                return
            old.append(note)
            kind = note.kind if self.kind is None else self.kind
            bid = self.brief_id if kind == "comment" else ""
            section.notes[n] = Note(note.id, text, note.created, note.author, "", kind, bid)

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if old:
            o = old[0]
            inverse = EditSectionNote(self.brief_id, self.note_id, o.text, o.kind, text, self.label)
        return Applied(self.label, inverse, brief=brief, conflicts=conflicts, result=self.note_id)


@dataclass
class DeleteSectionNote:
    brief_id: str
    note_id: str
    expect_text: str | None = None
    label: str = "section note deleted"

    def apply(self, book: Book) -> Applied:
        gone: list[tuple[str, int, Note]] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            found = _section_note(b, self.note_id)
            if found is None:
                conflicts.append(f"note {self.note_id} was already deleted")
                return
            section, n = found
            note = section.notes[n]
            if self.expect_text is not None and note.text != self.expect_text:
                conflicts.append(f"note {self.note_id} was changed by another writer; kept")
                return
            gone.append((section.id, n, note))
            del section.notes[n]

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if gone:
            sid, n, note = gone[0]
            inverse = AddSectionNote(
                self.brief_id,
                sid,
                note.text,
                note.kind,
                note.id,
                n,
                note.created,
                note.author,
                self.label,
            )
        return Applied(self.label, inverse, brief=brief, conflicts=conflicts, result=self.note_id)


SECTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class AddSection:
    """A section of this brief (not of its template); `section` restores a removed one."""

    brief_id: str
    section_id: str
    title: str
    index: int | None = None
    written: bool = False
    section: Section | None = None
    pids: tuple[str, ...] = ()
    manual: tuple[str, ...] = ()
    label: str = "add section"

    def apply(self, book: Book) -> Applied:
        if not SECTION_ID.match(self.section_id):
            raise UsageError(
                f"section id {self.section_id[:60]!r}: use lower-case letters, digits and '-'"
            )
        title = clean_field(self.title, limit=200)
        if not title:
            raise UsageError("a section needs a title")
        new = self.section or Section(self.section_id, title, written=self.written)

        def change(b: Brief) -> None:
            if b.section(self.section_id) is not None:
                raise UsageError(f"brief {b.id!r} already has a section {self.section_id!r}")
            if self.index is not None and not 0 <= self.index <= len(b.sections):
                raise UsageError(
                    f"position {self.index + 1}: the brief has {len(b.sections)} sections"
                )
            at = len(b.sections) if self.index is None else min(self.index, len(b.sections))
            b.sections.insert(at, new)

        conflicts: list[str] = []

        def back(order: FilingOrder) -> None:
            for pid in self.pids:
                where = order.locate(pid)
                if where is not None and where[0] != "":
                    conflicts.append(f"{pid} was moved by another writer since; left there")
                    continue
                order.insert(pid, self.section_id, 10**9, pid in self.manual)

        with book.locked():
            brief = book.update_brief(self.brief_id, change)
            order = book.update_order(self.brief_id, back)
        inverse = RemoveSection(self.brief_id, self.section_id, self.label)
        return Applied(
            self.label,
            inverse,
            brief=brief,
            order=order,
            conflicts=conflicts,
            result=self.section_id,
        )


@dataclass
class RemoveSection:
    """Take a section out of this brief; its passages go to Unsorted."""

    brief_id: str
    section_id: str
    label: str = "remove section"

    def apply(self, book: Book) -> Applied:
        removed: list[tuple[int, Section]] = []

        def change(b: Brief) -> None:
            section = _section(b, self.section_id)
            if len(b.sections) == 1:
                raise UsageError("a brief keeps at least one section")
            removed.append((b.sections.index(section), section))
            b.sections.remove(section)
            if b.default_section == section.id:
                b.default_section = sectioning.default_section(b) or b.sections[0].id

        moved: list[str] = []
        manual: list[str] = []

        def to_unsorted(order: FilingOrder) -> None:
            pids = list(order.sections.get(self.section_id, []))
            if any(is_written_id(p) for p in pids):
                raise UsageError("the section holds written items: move or delete them first")
            for pid in pids:
                moved.append(pid)
                if pid in order.manual:
                    manual.append(pid)
                order.insert(pid, "", 10**9, True)
            order.sections.pop(self.section_id, None)

        with book.locked():
            current = book.brief(self.brief_id)
            assert current is not None
            _section(current, self.section_id)  # refused before anything is written
            if len(current.sections) == 1:
                raise UsageError("a brief keeps at least one section")
            if any(
                is_written_id(p)
                for p in book.order(self.brief_id).sections.get(self.section_id, [])
            ):
                raise UsageError("the section holds written items: move or delete them first")
            order = book.update_order(self.brief_id, to_unsorted)
            brief = book.update_brief(self.brief_id, change)
        index, section = removed[0]
        inverse = AddSection(
            self.brief_id,
            section.id,
            section.title,
            index,
            section.written,
            section,
            tuple(moved),
            tuple(manual),
            self.label,
        )
        return Applied(self.label, inverse, brief=brief, order=order)


@dataclass
class MoveSection:
    brief_id: str
    section_id: str
    position: int
    """0-based place among the brief's sections."""
    label: str = "move section"

    def apply(self, book: Book) -> Applied:
        was: list[int] = []

        def change(b: Brief) -> None:
            section = _section(b, self.section_id)
            if not 0 <= self.position < len(b.sections):
                raise UsageError(
                    f"position {self.position + 1}: the brief has {len(b.sections)} sections"
                )
            was.append(b.sections.index(section))
            b.sections.remove(section)
            b.sections.insert(max(0, min(self.position, len(b.sections))), section)

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if was and was[0] != self.position:
            inverse = MoveSection(self.brief_id, self.section_id, was[0], self.label)
        return Applied(self.label, inverse, brief=brief)


# -- removing articles and briefs (to the trash) -------------------------------------------------------


@dataclass
class TrashArticles:
    """Remove articles from the book (their passages leave every brief) into the trash."""

    ids: tuple[str, ...]
    label: str = "remove"

    def apply(self, book: Book) -> Applied:
        tids = book.trash_articles(list(self.ids))
        return Applied(
            self.label, RestoreTrash(tuple(tids), self.label), result=" ".join(tids), reload=True
        )


@dataclass
class TrashBrief:
    brief_id: str
    label: str = "remove brief"

    def apply(self, book: Book) -> Applied:
        tid = book.trash_brief(self.brief_id)
        return Applied(self.label, RestoreTrash((tid,), self.label), result=tid, reload=True)


@dataclass
class RestoreTrash:
    """Bring items back from the trash (the undo of a removal)."""

    tids: tuple[str, ...]
    label: str = "restore"

    def apply(self, book: Book) -> Applied:
        done = [book.restore(t) for t in self.tids]
        articles = tuple(t.split("-")[1] for t in self.tids if t.startswith("a-"))
        briefs = [t.split("-", 1)[1].rsplit("-", 1)[0] for t in self.tids if t.startswith("b-")]
        inverse: Operation | None = None
        if articles:
            inverse = TrashArticles(articles, self.label)
        elif briefs:
            inverse = TrashBrief(briefs[0], self.label)
        return Applied(self.label, inverse, result="; ".join(done), reload=True)


# -- several at once ---------------------------------------------------------------------------------


@dataclass
class Batch:
    """Several operations as one undo step (applied in order, undone in reverse)."""

    ops: list[Operation]
    label: str = "changes"

    def apply(self, book: Book) -> Applied:
        out = Applied(self.label, None)
        inverses: list[Operation] = []
        for op in self.ops:
            a = op.apply(book)
            out.states.update(a.states)
            if a.order is not None:
                out.order = a.order
            if a.written is not None:
                out.written = a.written
            out.reload = out.reload or a.reload
            if a.brief is not None:
                out.brief = a.brief
            out.new_passages += a.new_passages
            out.new_articles += a.new_articles
            out.conflicts += a.conflicts
            if a.inverse is not None:
                inverses.append(a.inverse)
        if inverses:
            out.inverse = Batch(list(reversed(inverses)), self.label)
        return out


# -- the one-call forms the CLI, tests and benchmarks use --------------------------------------------


def add_tags(book: Book, pid: str, tags: Iterable[str]) -> Applied:
    new = clean_tags(tags)
    if not new:
        raise UsageError("no tag given")
    return Tag(add={pid: tuple(new)}).apply(book)


def remove_tags(book: Book, pid: str, tags: Iterable[str]) -> Applied:
    gone = clean_tags(tags)
    if not gone:
        raise UsageError("no tag given")
    book.require_passage(pid)
    have = book.state(pid).tags
    missing = [t for t in gone if t not in have]
    if missing:
        raise UsageError(
            f"{pid} has no tag {', '.join(missing)} (its tags: {', '.join(have) or 'none'})"
        )
    return Tag(remove={pid: tuple(gone)}, label="untag").apply(book)


def add_note(book: Book, pid: str, text: str, quote: str = "") -> tuple[Note, Applied]:
    applied = AddNote(pid, text, quote).apply(book)
    note = next(n for n in applied.states[pid].notes if n.id == applied.result)
    return note, applied


def set_key_point(book: Book, pid: str, value: bool | None = None) -> Applied:
    """Set (or, with None, toggle) the key-point mark."""
    book.require_passage(pid)
    if value is None:
        value = not book.state(pid).key_point
    return KeyPoint({pid: value}).apply(book)


def move_passage(book: Book, brief: Brief, pid: str, section_id: str) -> Applied:
    if not section_id:
        raise UsageError("no section given")
    return Move(brief.id, (pid,), section_id).apply(book)


def reorder_passage(book: Book, brief_id: str, pid: str, delta: int) -> Applied:
    return Reorder(brief_id, pid, delta).apply(book)


def set_summary(book: Book, brief_id: str, summary: str, section_id: str | None = None) -> Applied:
    return Summary(brief_id, summary, section_id).apply(book)
