"""The user's edits: tags, notes, key points, moves, reordering and summaries.

Each edit returns what it replaced, so the TUI can undo it by putting that back. Every edit
writes only the small state file or one brief's file — never article content.
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Iterable

from briefing import sectioning
from briefing.briefs import now_iso
from briefing.errors import NotFound, UsageError
from briefing.model import Brief, Filing, Note, PassageState
from briefing.store import Book


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def clean_tags(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            t = " ".join(part.split()).strip("#")
            if t and t not in out:
                out.append(t)
    return out


def _copy(st: PassageState) -> PassageState:
    return PassageState.from_dict(st.to_dict())


def add_tags(book: Book, pid: str, tags: Iterable[str]) -> PassageState:
    """Add tags; returns the state before."""
    book.require_passage(pid)
    new = clean_tags(tags)
    if not new:
        raise UsageError("no tag given")
    before: list[PassageState] = []

    def change(st: PassageState) -> None:
        before.append(_copy(st))
        st.tags = st.tags + [t for t in new if t not in st.tags]

    book.update_state(pid, change)
    return before[0]


def set_tags(book: Book, pid: str, tags: Iterable[str]) -> PassageState:
    """Replace the tags; returns the state before."""
    book.require_passage(pid)
    new = clean_tags(tags)
    before: list[PassageState] = []

    def change(st: PassageState) -> None:
        before.append(_copy(st))
        st.tags = new

    book.update_state(pid, change)
    return before[0]


def add_note(book: Book, pid: str, text: str, quote: str = "") -> tuple[Note, PassageState]:
    """Add a note (optionally anchored to a quoted span); returns it and the state before."""
    book.require_passage(pid)
    text = text.strip()
    if not text:
        raise UsageError("the note is empty")
    note = Note(
        id="n" + secrets.token_hex(4), text=text, created=now_iso(), author=_author(), quote=quote
    )
    before: list[PassageState] = []

    def change(st: PassageState) -> None:
        before.append(_copy(st))
        st.notes.append(note)

    book.update_state(pid, change)
    return note, before[0]


def set_key_point(book: Book, pid: str, value: bool | None = None) -> PassageState:
    """Set (or, with None, toggle) the key-point mark; returns the state before."""
    book.require_passage(pid)
    before: list[PassageState] = []

    def change(st: PassageState) -> None:
        before.append(_copy(st))
        st.key_point = (not st.key_point) if value is None else value

    book.update_state(pid, change)
    return before[0]


def restore_state(book: Book, st: PassageState) -> None:
    """Undo: put a passage's earlier state back."""
    book.put_state(st)


def _require_filed(filings: list[Filing], pid: str, brief_id: str) -> None:
    if not any(f.passage_id == pid for f in filings):
        raise NotFound(f"passage {pid!r} is not filed in brief {brief_id!r}")


def move_passage(book: Book, brief: Brief, pid: str, section_id: str) -> list[Filing]:
    """Move by hand to the end of a section; returns the filings before."""
    if brief.section(section_id) is None:
        known = ", ".join(s.id for s in brief.sections)
        raise NotFound(f"no section {section_id!r} in brief {brief.id!r} (sections: {known})")
    before: list[list[Filing]] = []

    def change(cur: list[Filing]) -> list[Filing]:
        before.append(list(cur))
        if any(f.passage_id == pid for f in cur):
            return sectioning.move(cur, pid, section_id)
        return sectioning.move([*cur, Filing(pid, section_id, 10**9, True)], pid, section_id)

    new_passages = []
    new_articles = []
    if pid not in book.brief_passages(brief.id):
        book.require_passage(pid)
        p = book.passage(pid)
        new_passages = [p]
        art = book.article(p.article_id)
        new_articles = [art] if art else []
    book.update_filings(brief.id, change, new_passages=new_passages, new_articles=new_articles)
    return before[0]


def reorder_passage(book: Book, brief_id: str, pid: str, delta: int) -> list[Filing]:
    """Move up (-1) or down (+1) in its section; returns the filings before."""
    before: list[list[Filing]] = []

    def change(cur: list[Filing]) -> list[Filing]:
        _require_filed(cur, pid, brief_id)
        before.append(list(cur))
        return sectioning.reorder(cur, pid, delta)

    book.update_filings(brief_id, change)
    return before[0]


def restore_filings(book: Book, brief_id: str, filings: list[Filing]) -> None:
    book.update_filings(brief_id, lambda _cur: list(filings))


def set_summary(book: Book, brief_id: str, summary: str, section_id: str | None = None) -> str:
    """Set the brief's (or a section's) summary; returns the one before."""
    before: list[str] = []

    def change(b: Brief) -> None:
        if section_id:
            s = b.section(section_id)
            if s is None:
                raise NotFound(f"no section {section_id!r} in brief {b.id!r}")
            before.append(s.summary)
            s.summary = summary.strip()
        else:
            before.append(b.summary)
            b.summary = summary.strip()

    book.update_brief(brief_id, change)
    return before[0]


def unfile_passage(book: Book, brief_id: str, pid: str) -> list[Filing]:
    """Take a passage out of the brief's sections (it shows under Unsorted); returns before."""
    before: list[list[Filing]] = []

    def change(cur: list[Filing]) -> list[Filing]:
        _require_filed(cur, pid, brief_id)
        before.append(list(cur))
        # Kept as a hand filing in no section, so re-filing and re-import leave it out.
        return sectioning.move(cur, pid, "")

    book.update_filings(brief_id, change)
    return before[0]
