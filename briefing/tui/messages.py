"""Messages that carry the results of workers (and of panes) to the main screen.

Workers never touch widgets: they post one of these and the screen routes it. Progress
messages replace their older copies in the queue, so a burst of them costs one repaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from briefing.briefs import BriefView
from briefing.session import Contents

if TYPE_CHECKING:
    from briefing.editing import Applied
    from briefing.importing import ImportReport
    from briefing.importing.feeds import Refreshed
    from briefing.model import SavedSearch


@dataclass
class BriefLoaded(Message):
    """The brief was read (at start, after switching, or after another instance wrote)."""

    view: BriefView | None
    tags: dict[str, int]
    first: bool = False


@dataclass
class ContentsLoaded(Message):
    """A listing's items were read (Unsorted, Library, Tags, an article)."""

    contents: Contents
    keep: str | None = None


@dataclass
class EditApplied(Message):
    """An edit (or its undo) was written; `applied` says what changed."""

    applied: Applied
    undo: bool = False


@dataclass
class EditFailed(Message):
    """An edit could not be written: the optimistic change on screen is taken back."""

    error: str


@dataclass
class ImportProgress(Message):
    done: int
    total: int
    name: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgress)


@dataclass
class ImportFinished(Message):
    report: ImportReport | None
    brief_id: str | None
    cancelled: bool = False


@dataclass
class Exported(Message):
    path: Path
    passages: int
    done: str = ""


@dataclass
class StatusCounted(Message):
    """The status line of `view`, counted in a worker (a big brief's length takes a while)."""

    view: BriefView | None
    line: str | None
    """None when the count failed (the worker's error is reported)."""


@dataclass
class BookChanged(Message):
    """Another process changed the book on disk."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BookChanged)


@dataclass
class IndexSynced(Message):
    """The book's search index is up to date (or cannot be used: `ready` False)."""

    ready: bool


@dataclass
class FeedsRefreshed(Message):
    """A refresh of the followed feeds ended (`asked`: the user pressed R; else the timer's
    refresh of the due ones). `error`: why it could not run at all."""

    results: list[Refreshed]
    asked: bool
    new_before: int
    error: str = ""
    warnings: tuple[str, ...] = ()


@dataclass
class SearchesLoaded(Message):
    """The saved searches of the config and of the brief's template."""

    searches: tuple[SavedSearch, ...]
