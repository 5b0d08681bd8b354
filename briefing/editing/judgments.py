"""Key judgments as operations: add, edit, delete, reorder, link passages.

Like every edit (see `briefing.editing`), each is applied under the book's lock to the brief
as it is on disk then, and gives back its inverse; an inverse that finds the judgment
changed by another writer since leaves it alone and says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from briefing.briefs import now_iso
from briefing.editing import Applied, _author, _require_passages, _short
from briefing.errors import NotFound, UsageError
from briefing.model import CONFIDENCES, JUDGMENT_PREFIX, LIKELIHOODS, Brief, Judgment
from briefing.sanitize import clean_field
from briefing.store import Book


def likelihood_word(text: str) -> str:
    """One of the scale's words, as typed: any case, spaces or hyphens, or a unique start
    ("very l" is "very likely"; "even" is "roughly even chance")."""
    wanted = " ".join(text.lower().replace("-", " ").replace("_", " ").split())
    if wanted in LIKELIHOODS:
        return wanted
    if wanted in ("even", "even chance", "roughly even"):
        return "roughly even chance"
    starts = [w for w in LIKELIHOODS if w.startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    raise UsageError(f"likelihood {text[:40]!r}: use one of {', '.join(LIKELIHOODS)}")


def confidence_word(text: str) -> str:
    wanted = text.strip().lower()
    starts = [c for c in CONFIDENCES if c.startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    raise UsageError(f"confidence {text[:40]!r}: use one of {', '.join(CONFIDENCES)}")


MAX_CHARS = 2000
"""A judgment is a sentence or two; the reasoning belongs in a section or a note."""


def _text(text: str) -> str:
    cleaned = clean_field(text, multiline=True, limit=MAX_CHARS + 1)
    if not cleaned:
        raise UsageError("the judgment is empty: say what the desk judges")
    if len(cleaned) > MAX_CHARS:
        raise UsageError(
            f"a judgment is at most {MAX_CHARS:,} characters (this one is "
            f"{len(clean_field(text, multiline=True, limit=10**9)):,}): say the call in a "
            "sentence or two and put the reasoning in a section or a note"
        )
    return cleaned


def _find(b: Brief, judgment_id: str) -> int:
    for n, j in enumerate(b.judgments):
        if j.id == judgment_id:
            return n
    known = ", ".join(j.id for j in b.judgments) or "none yet"
    raise NotFound(f"no judgment {judgment_id!r} in brief {b.id!r} (judgments: {known})")


def _unique(pids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(pids))


@dataclass
class AddJudgment:
    brief_id: str
    text: str
    likelihood: str
    confidence: str
    passages: list[str] = field(default_factory=list)
    judgment_id: str = ""
    index: int | None = None
    created: str = ""
    author: str | None = None
    label: str = "judgment"

    def apply(self, book: Book) -> Applied:
        text = _text(self.text)
        pids = _unique(self.passages)
        _require_passages(book, pids)
        judgment = Judgment(
            self.judgment_id or JUDGMENT_PREFIX + secrets.token_hex(3),
            text,
            likelihood_word(self.likelihood),
            confidence_word(self.confidence),
            pids,
            self.created or now_iso(),
            _author() if self.author is None else self.author,
        )

        def change(b: Brief) -> None:
            at = len(b.judgments) if self.index is None else min(self.index, len(b.judgments))
            b.judgments.insert(at, judgment)

        brief = book.update_brief(self.brief_id, change)
        inverse = DeleteJudgment(self.brief_id, judgment.id, judgment, self.label)
        return Applied(self.label, inverse, brief=brief, result=judgment.id)


@dataclass
class EditJudgment:
    """Change what is given (None: keep it). `passages` replaces the links; `link` adds to
    them. `expect` (on undo) is the judgment as this edit's undo expects to find it."""

    brief_id: str
    judgment_id: str
    text: str | None = None
    likelihood: str | None = None
    confidence: str | None = None
    passages: list[str] | None = None
    link: list[str] = field(default_factory=list)
    expect: Judgment | None = None
    label: str = "judgment edit"

    def apply(self, book: Book) -> Applied:
        text = _text(self.text) if self.text is not None else None
        likelihood = likelihood_word(self.likelihood) if self.likelihood is not None else None
        confidence = confidence_word(self.confidence) if self.confidence is not None else None
        _require_passages(book, [*(self.passages or []), *self.link])
        old: list[Judgment] = []
        new: list[Judgment] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            n = _find(b, self.judgment_id)
            j = b.judgments[n]
            if self.expect is not None and j != self.expect:
                conflicts.append(
                    f"judgment {self.judgment_id} was changed by another writer since; kept"
                )
                return
            pids = list(j.passages if self.passages is None else self.passages)
            edited = replace(
                j,
                text=j.text if text is None else text,
                likelihood=j.likelihood if likelihood is None else likelihood,
                confidence=j.confidence if confidence is None else confidence,
                passages=_unique([*pids, *self.link]),
            )
            old.append(j)
            new.append(edited)
            b.judgments[n] = edited

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if old:
            o = old[0]
            inverse = EditJudgment(
                self.brief_id,
                o.id,
                o.text,
                o.likelihood,
                o.confidence,
                list(o.passages),
                expect=new[0],
                label=self.label,
            )
        return Applied(
            self.label, inverse, brief=brief, conflicts=conflicts, result=self.judgment_id
        )


@dataclass
class DeleteJudgment:
    brief_id: str
    judgment_id: str
    expect: Judgment | None = None
    label: str = "judgment deleted"

    def apply(self, book: Book) -> Applied:
        gone: list[tuple[int, Judgment]] = []
        conflicts: list[str] = []

        def change(b: Brief) -> None:
            if b.judgment(self.judgment_id) is None and self.expect is not None:
                conflicts.append(f"judgment {self.judgment_id} was already deleted")
                return
            n = _find(b, self.judgment_id)
            j = b.judgments[n]
            if self.expect is not None and j != self.expect:
                conflicts.append(f"judgment {self.judgment_id} was changed by another writer; kept")
                return
            gone.append((n, j))
            del b.judgments[n]

        brief = book.update_brief(self.brief_id, change)
        inverse = None
        if gone:
            n, j = gone[0]
            inverse = AddJudgment(
                self.brief_id,
                j.text,
                j.likelihood,
                j.confidence,
                list(j.passages),
                j.id,
                n,
                j.created,
                j.author,
                self.label,
            )
        return Applied(
            self.label, inverse, brief=brief, conflicts=conflicts, result=self.judgment_id
        )


@dataclass
class MoveJudgment:
    brief_id: str
    judgment_id: str
    delta: int
    label: str = "judgment moved"

    def apply(self, book: Book) -> Applied:
        moved: list[int] = []

        def change(b: Brief) -> None:
            n = _find(b, self.judgment_id)
            to = min(max(n + self.delta, 0), len(b.judgments) - 1)
            if to != n:
                b.judgments.insert(to, b.judgments.pop(n))
                moved.append(to - n)

        brief = book.update_brief(self.brief_id, change)
        inverse = MoveJudgment(self.brief_id, self.judgment_id, -moved[0]) if moved else None
        return Applied(self.label, inverse, brief=brief, result=self.judgment_id)


def describe(j: Judgment) -> str:
    """One line: `likely (moderate confidence): text…`."""
    return f"{j.likelihood} ({j.confidence} confidence): {_short(j.text, 60)}"
