"""The domain: plain dataclasses, no I/O.

An `Article` is split into ordered `Passage`s when imported and never changes after that.
Everything a user changes — where a passage is filed (`Filing`), its tags, notes and key-point
mark (`PassageState`), a brief's summary — lives in separate records, so an edit never
rewrites article content (see `store.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


def short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def passage_id(article_id: str, index: int) -> str:
    """Passage ids are readable and derived: `<article id>.<index from 1>`."""
    return f"{article_id}.{index + 1}"


def article_id_of(pid: str) -> str:
    return pid.rsplit(".", 1)[0]


@dataclass
class Passage:
    id: str
    article_id: str
    index: int
    text: str
    heading: str = ""
    """The article subheading the passage stood under ("" for the lede)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        return cls(
            id=d["id"],
            article_id=d["article_id"],
            index=d["index"],
            text=d["text"],
            heading=d.get("heading", ""),
        )


@dataclass
class Article:
    id: str
    title: str
    source: str = ""
    """The outlet that wrote it (e.g. TASS)."""
    publisher: str = ""
    """Where it was found (a site, a feed, a newsletter)."""
    published: str | None = None
    """ISO date `YYYY-MM-DD` or None."""
    published_inferred: bool = False
    """True when the year (or the date) was inferred, not read."""
    url: str = ""
    language: str = ""
    author: str = ""
    photo_credit: str = ""
    format: str = ""
    origin: str = ""
    """The file (or `-`) it came from."""
    imported_at: str = ""
    content_hash: str = ""
    passage_count: int = 0

    @property
    def is_demo(self) -> bool:
        """The built-in demo article: it stays in the demo brief."""
        return self.origin.startswith("demo:")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)


NOTE_KINDS = ("working", "comment")
BRIEF_DETAILS = ("meeting", "purpose", "drafter", "contact", "clearance")
"""Header fields a real brief carries (`briefing set FIELD VALUE`)."""
COPIES = ("principal", "desk")
SECTION_STATUSES = ("drafting", "ready", "cleared")
LIKELIHOODS = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
"""The words of analytic standards (ICD 203) for how likely a judgment is, in order."""
ANNEXES = ("people", "dates", "figures")
"""Reference annexes a brief can export: who's who, a chronology, key figures."""
REVIEW_STATUSES = ("confirmed", "dropped")
CONFIDENCES = ("low", "moderate", "high")
"""How sure the desk is of its sources and reasoning: not the same thing as likelihood."""


@dataclass
class Note:
    id: str
    text: str
    created: str
    author: str = ""
    quote: str = ""
    """A span of the passage the note is anchored to (a highlight); "" for the whole passage."""
    kind: str = "working"
    """`working`: for the desk, shown wherever the passage is (never in the principal's
    copy). `comment`: part of the brief it was written in (`brief_id`), printed there."""
    brief_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "text": self.text,
            "quote": self.quote,
            "author": self.author,
            "created": self.created,
        }
        if self.kind != "working":
            d["kind"], d["brief_id"] = self.kind, self.brief_id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Note:
        return cls(
            id=d["id"],
            text=d["text"],
            created=d.get("created", ""),
            author=d.get("author", ""),
            quote=d.get("quote", ""),
            kind=d.get("kind", "working") if d.get("kind") in NOTE_KINDS else "working",
            brief_id=d.get("brief_id", ""),
        )

    def shows_in(self, brief_id: str, copy: str) -> bool:
        """Whether this note is printed in `copy` ("principal" or "desk") of a brief."""
        if self.kind == "comment":
            return self.brief_id == brief_id
        return copy == "desk"


@dataclass
class PassageState:
    """What the user added to a passage: tags, notes, key-point mark."""

    passage_id: str
    tags: list[str] = field(default_factory=list)
    key_point: bool = False
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage_id": self.passage_id,
            "tags": list(self.tags),
            "key_point": self.key_point,
            "notes": [n.to_dict() for n in self.notes],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PassageState:
        return cls(
            passage_id=d["passage_id"],
            tags=list(d.get("tags", [])),
            key_point=bool(d.get("key_point", False)),
            notes=[Note.from_dict(n) for n in d.get("notes", [])],
        )

    @property
    def empty(self) -> bool:
        return not (self.tags or self.key_point or self.notes)


@dataclass
class Section:
    id: str
    title: str
    summary: str = ""
    headings: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    written: bool = False
    """A section the desk writes (objectives, points to make, press line): filing never
    puts a passage here, though one may be moved here by hand."""
    status: str = "drafting"
    """drafting, ready or cleared (a section without content is shown as empty: derived)."""
    notes: list[Note] = field(default_factory=list)
    """Notes on the section itself: working ones for the desk, comments for the brief."""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["notes"] = [n.to_dict() for n in self.notes]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        status = d.get("status", "drafting")
        return cls(
            id=d["id"],
            title=d["title"],
            summary=d.get("summary", ""),
            headings=list(d.get("headings", [])),
            keywords=list(d.get("keywords", [])),
            written=bool(d.get("written", False)),
            status=status if status in SECTION_STATUSES else "drafting",
            notes=[Note.from_dict(n) for n in d.get("notes", [])],
        )


WRITTEN_PREFIX = "w"
"""Written items' ids are `w` + 8 hex digits; passages' are `<article>.<n>`."""


def is_written_id(item_id: str) -> bool:
    return item_id.startswith(WRITTEN_PREFIX) and "." not in item_id


@dataclass
class WrittenItem:
    """Text the desk wrote in a section of one brief (a point to make, a press line). It is
    placed and key-pointed like a passage; its text allows the safe Markdown subset."""

    id: str
    text: str
    created: str = ""
    author: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "created": self.created, "author": self.author}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WrittenItem:
        return cls(
            id=d["id"], text=d["text"], created=d.get("created", ""), author=d.get("author", "")
        )

    def as_passage(self) -> Passage:
        """How a view holds it: a passage with no article."""
        return Passage(self.id, "", 0, self.text)


@dataclass
class Filing:
    """A passage's place in a brief. `manual` filings are never moved by re-filing."""

    passage_id: str
    section_id: str
    position: int
    manual: bool = False

    def to_dict(self) -> dict[str, Any]:
        # Not asdict(): a 25,000-passage brief writes this 25,000 times per move.
        return {
            "passage_id": self.passage_id,
            "section_id": self.section_id,
            "position": self.position,
            "manual": self.manual,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Filing:
        return cls(
            passage_id=d["passage_id"],
            section_id=d["section_id"],
            position=int(d["position"]),
            manual=bool(d.get("manual", False)),
        )


@dataclass
class FilingOrder:
    """Where a brief's passages sit: for each section, passage ids in order.

    The section "" holds passages taken out by hand (they show under Unsorted and
    re-filing leaves them out). `manual` are the passages a person placed. This compact
    form is what the book stores, so moving one passage in a 25,000-passage brief edits two
    lists instead of rewriting 25,000 records.
    """

    sections: dict[str, list[str]] = field(default_factory=dict)
    manual: set[str] = field(default_factory=set)

    def locate(self, pid: str) -> tuple[str, int] | None:
        for sid, pids in self.sections.items():
            if pid in pids:
                return sid, pids.index(pid)
        return None

    def remove(self, pid: str) -> None:
        for pids in self.sections.values():
            if pid in pids:
                pids.remove(pid)
                return

    def insert(self, pid: str, section_id: str, index: int, manual: bool) -> None:
        self.remove(pid)
        pids = self.sections.setdefault(section_id, [])
        pids.insert(min(max(index, 0), len(pids)), pid)
        if manual:
            self.manual.add(pid)
        else:
            self.manual.discard(pid)

    def __len__(self) -> int:
        return sum(len(p) for p in self.sections.values())

    def copy(self) -> FilingOrder:
        return FilingOrder({k: list(v) for k, v in self.sections.items()}, set(self.manual))

    def to_filings(self) -> list[Filing]:
        return [
            Filing(pid, sid, n, pid in self.manual)
            for sid, pids in self.sections.items()
            for n, pid in enumerate(pids)
        ]

    @classmethod
    def from_filings(cls, filings: list[Filing]) -> FilingOrder:
        order = cls()
        for f in sorted(filings, key=lambda f: f.position):
            order.sections.setdefault(f.section_id, []).append(f.passage_id)
            if f.manual:
                order.manual.add(f.passage_id)
        return order

    def to_dict(self) -> dict[str, Any]:
        return {
            "sections": {k: list(v) for k, v in self.sections.items()},
            "manual": sorted(self.manual),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FilingOrder:
        sections = d.get("sections", {})
        if not isinstance(sections, dict) or not all(
            isinstance(v, list) and all(isinstance(p, str) for p in v) for v in sections.values()
        ):
            raise ValueError("filing order: sections must map ids to lists of passage ids")
        return cls({str(k): list(v) for k, v in sections.items()}, set(d.get("manual", [])))


@dataclass
class Review:
    """The desk's word on one extracted annex entry (a person, a date, a figure), kept by
    the entry's stable key so a fresh extraction finds it again: confirmed or dropped, a
    corrected name or role, or (a person) merged into another entry."""

    status: str = ""
    """"", "confirmed" or "dropped"."""
    name: str = ""
    role: str = ""
    into: str = ""
    """A person merged into the entry with this key."""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Review:
        status = d.get("status", "")
        return cls(
            status=status if status in REVIEW_STATUSES else "",
            name=str(d.get("name", "")),
            role=str(d.get("role", "")),
            into=str(d.get("into", "")),
        )

    @property
    def empty(self) -> bool:
        return not (self.status or self.name or self.role or self.into)


JUDGMENT_PREFIX = "j"
"""Judgments' ids are `j` + 6 hex digits."""


@dataclass
class Judgment:
    """A key judgment of a brief: the desk's call, how likely, how sure, and the passages
    that support it (ids; a judgment with none is flagged in the desk copy)."""

    id: str
    text: str
    likelihood: str
    confidence: str
    passages: list[str] = field(default_factory=list)
    created: str = ""
    author: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Judgment:
        likelihood = d.get("likelihood", "")
        confidence = d.get("confidence", "")
        return cls(
            id=d["id"],
            text=d.get("text", ""),
            likelihood=likelihood if likelihood in LIKELIHOODS else "roughly even chance",
            confidence=confidence if confidence in CONFIDENCES else "low",
            passages=[p for p in d.get("passages", []) if isinstance(p, str)],
            created=d.get("created", ""),
            author=d.get("author", ""),
        )


@dataclass
class Brief:
    id: str
    title: str
    template: str = ""
    subtitle: str = ""
    audience: str = ""
    marking: str = ""
    summary: str = ""
    default_section: str = ""
    created: str = ""
    sections: list[Section] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    """Meeting date, purpose, drafter, contact, clearance (see BRIEF_DETAILS)."""
    judgments: list[Judgment] = field(default_factory=list)
    annexes: list[str] = field(default_factory=list)
    """Which reference annexes the export adds (see ANNEXES), in that order."""
    reviews: dict[str, Review] = field(default_factory=dict)
    """The desk's word on annex entries, by `<annex>:<entry key>`."""

    def judgment(self, judgment_id: str) -> Judgment | None:
        return next((j for j in self.judgments if j.id == judgment_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sections"] = [s.to_dict() for s in self.sections]
        d["judgments"] = [j.to_dict() for j in self.judgments]
        d["reviews"] = {k: r.to_dict() for k, r in self.reviews.items() if not r.empty}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        return cls(
            id=d["id"],
            title=d["title"],
            template=d.get("template", ""),
            subtitle=d.get("subtitle", ""),
            audience=d.get("audience", ""),
            marking=d.get("marking", ""),
            summary=d.get("summary", ""),
            default_section=d.get("default_section", ""),
            created=d.get("created", ""),
            sections=[Section.from_dict(s) for s in d.get("sections", [])],
            details={
                str(k): str(v)
                for k, v in (d.get("details") or {}).items()
                if k in BRIEF_DETAILS and isinstance(v, str)
            },
            judgments=[
                Judgment.from_dict(j)
                for j in d.get("judgments") or []
                if isinstance(j, dict) and isinstance(j.get("id"), str)
            ],
            annexes=[a for a in d.get("annexes") or [] if a in ANNEXES],
            reviews={
                str(k): Review.from_dict(r)
                for k, r in (d.get("reviews") or {}).items()
                if isinstance(r, dict)
            },
        )


@dataclass
class ParsedArticle:
    """What an importer produces, before the store gives it an id."""

    title: str
    paragraphs: list[tuple[str, str]]
    """(heading, text) pairs in order."""
    source: str = ""
    publisher: str = ""
    published: str | None = None
    published_inferred: bool = False
    url: str = ""
    language: str = ""
    author: str = ""
    photo_credit: str = ""
    format: str = ""
    origin: str = ""
    tags: list[str] = field(default_factory=list)

    def identity(self) -> str:
        """Re-import of the same article is a no-op: same URL, else same title and text."""
        if self.url:
            return "url:" + self.url.strip()
        body = "\n".join(t for _, t in self.paragraphs)
        return "text:" + self.title.strip() + "\n" + body

    def content_hash(self) -> str:
        return short_hash(self.identity(), 40)

    def article_id(self) -> str:
        return short_hash(self.identity(), 10)


@dataclass(frozen=True)
class SavedSearch:
    """A search kept as a listing (newsboat's query feeds): a brief template's or the
    config's `searches:` entry. The query is in `briefing search`'s language."""

    name: str
    query: str


def merge_alias_groups(groups: Iterable[Sequence[str]]) -> list[tuple[str, ...]]:
    """Groups of spellings that share a word are one name: `[Kyiv, Kiev]` and `[Kiev,
    Kyjiw]` are Kyiv, Kiev and Kyjiw, spelt as the first group's first word. Filing and
    search both use this, so they never disagree about which words are one."""
    merged: list[list[str]] = []
    for group in groups:
        words = list(dict.fromkeys(group))
        folded = {w.casefold() for w in words}
        hits = [m for m in merged if folded & {w.casefold() for w in m}]
        if not hits:
            merged.append(words)
            continue
        first = hits[0]
        for other in hits[1:]:
            first += other
            merged.remove(other)
        first += words
        kept: dict[str, str] = {}
        for w in first:
            kept.setdefault(w.casefold(), w)  # each word once, where it first came
        first[:] = kept.values()
    return [tuple(m) for m in merged]
