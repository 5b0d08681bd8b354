"""The desk's word on annex entries (confirm, drop, correct, merge), as undoable operations.

A review is kept in the brief by the entry's stable key and replaced whole under the lock,
so two instances reviewing different entries never undo each other; an undo that finds the
entry's review changed by another writer since leaves it and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefing.analysis.annex import review_key
from briefing.editing import Applied
from briefing.errors import UsageError
from briefing.model import ANNEXES, REVIEW_STATUSES, Brief, Review
from briefing.sanitize import clean_field
from briefing.store import Book


@dataclass
class SetReview:
    """Change what is given of one entry's review (None: keep it; "" clears it)."""

    brief_id: str
    annex: str
    key: str
    status: str | None = None
    name: str | None = None
    role: str | None = None
    into: str | None = None
    expect: Review | None = None
    """On undo: the review as this edit left it."""
    label: str = "review"

    def apply(self, book: Book) -> Applied:
        if self.annex not in ANNEXES:
            raise UsageError(f"no annex {self.annex!r} (annexes: {', '.join(ANNEXES)})")
        if self.status not in (None, "", *REVIEW_STATUSES):
            raise UsageError(f"a review is {' or '.join(REVIEW_STATUSES)}, not {self.status!r}")
        if self.into is not None and self.into == self.key:
            raise UsageError("an entry cannot be merged into itself")
        name = clean_field(self.name, limit=200) if self.name is not None else None
        role = clean_field(self.role, limit=300) if self.role is not None else None
        slot = review_key(self.annex, self.key)
        before: list[Review] = []
        after: list[Review] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            old = b.reviews.get(slot) or Review()
            if self.expect is not None and old != self.expect:
                conflicts.append(f"{self.key} was reviewed by another writer since; kept")
                return
            new = replace(
                old,
                status=old.status if self.status is None else self.status,
                name=old.name if name is None else name,
                role=old.role if role is None else role,
                into=old.into if self.into is None else self.into,
            )
            before.append(old)
            after.append(new)
            if new.empty:
                b.reviews.pop(slot, None)
            else:
                b.reviews[slot] = new

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if before and before[0] != after[0]:
            o = before[0]
            inverse = SetReview(
                self.brief_id,
                self.annex,
                self.key,
                o.status,
                o.name,
                o.role,
                o.into,
                expect=after[0],
                label=self.label,
            )
        return Applied(self.label, inverse, brief=brief, conflicts=conflicts, result=self.key)
