"""Re-import a brief written by `briefing export --format json`.

The file carries the brief, its sections in order, its passages with their notes, tags and
key-point marks, and the cited articles' metadata — enough to hand a brief to a colleague's
book. Everything it brings is added; nothing already in the book is changed or removed.

The file is untrusted (it came from someone else, and JSON is easy to edit), so it is
checked whole before anything is written (`validate`): every id must look like an id this
app makes — a brief id becomes a file name, so `../../victim/settings` would write outside
the book — and every string is cleaned by `clean_field` like any other text that enters the
book. A file that fails is refused in one line naming the field.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from briefing import sectioning
from briefing.errors import ImportFailed, NotFound
from briefing.model import (
    BRIEF_DETAILS,
    NOTE_KINDS,
    SECTION_STATUSES,
    Article,
    Brief,
    Filing,
    FilingOrder,
    Note,
    Passage,
    Section,
    WrittenItem,
)
from briefing.sanitize import TEXT_LIMIT, clean_field
from briefing.store import Book
from briefing.templates import get_template

FORMAT = "briefing-brief"

# What the app makes: brief and section ids like template ids (briefs.create_brief,
# templates._ID); article ids are 10 hex digits of a SHA-1 (model.ParsedArticle.article_id);
# a passage id is `<article id>.<n from 1>` (model.passage_id); a note id `n` + 8 hex digits
# (editing.AddNote). Passage numbers stop at six digits: no article has a million passages.
BRIEF_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
SECTION_ID = BRIEF_ID
ARTICLE_ID = re.compile(r"[0-9a-f]{10}")
PASSAGE_ID = re.compile(r"[0-9a-f]{10}\.[1-9][0-9]{0,5}")
NOTE_ID = re.compile(r"n[0-9a-f]{8}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

TAG_LIMIT = 200
"""Characters kept of a tag."""


class _Bad(Exception):
    """A field of the document is wrong: `where` names it, `why` says what is wrong."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")


@dataclass
class BriefDocument:
    """A brief export, checked and cleaned on construction (`validate`): `doc` holds only
    known fields, valid ids and clean strings. Raises ImportFailed otherwise."""

    doc: dict[str, Any]
    origin: str

    def __post_init__(self) -> None:
        self.doc = validate(self.doc)
        self.origin = clean_field(self.origin)


def is_brief_document(doc: object) -> bool:
    return isinstance(doc, dict) and doc.get("format") == FORMAT


# -- validation -------------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A bad value in an error message: its repr (which escapes controls), kept short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _get(d: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in d:
        raise _Bad(f"{where}.{key}" if where else key, "is missing")
    value = d[key]
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise _Bad(f"{where}.{key}" if where else key, f"must be {_TYPE_WORD.get(names, names)}")
    return value


_TYPE_WORD = {"str": "text", "list": "a list", "dict": "an object", "bool": "true or false"}


def _id(d: dict[str, Any], key: str, where: str, pattern: re.Pattern[str], what: str) -> str:
    value = _get(d, key, where, str)
    if not pattern.fullmatch(value):
        raise _Bad(f"{where}.{key}", f"{_shown(value)} is not a valid {what} id")
    return str(value)


def _text(
    d: dict[str, Any],
    key: str,
    where: str,
    *,
    required: bool = False,
    multiline: bool = False,
    limit: int | None = None,
) -> str:
    """A string field, cleaned; absent or null is "" unless required."""
    if d.get(key) is None and not required:
        return ""
    value = clean_field(_get(d, key, where, str), multiline=multiline, limit=limit)
    if required and not value:
        raise _Bad(f"{where}.{key}", "is empty")
    return value


def _list(d: dict[str, Any], key: str, where: str) -> list[Any]:
    if d.get(key) is None:
        return []
    return list(_get(d, key, where, list))


def _obj(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(where, "must be an object")
    return value


def _tags(p: dict[str, Any], where: str) -> list[str]:
    out: list[str] = []
    for i, t in enumerate(_list(p, "tags", where)):
        if not isinstance(t, str):
            raise _Bad(f"{where}.tags[{i}]", "must be text")
        tag = clean_field(t, limit=TAG_LIMIT)
        if tag and tag not in out:
            out.append(tag)
    return out


def _note(n: object, where: str) -> dict[str, Any]:
    n = _obj(n, where)
    return {
        "id": _id(n, "id", where, NOTE_ID, "note"),
        "text": _text(n, "text", where, required=True, multiline=True),
        "quote": _text(n, "quote", where, limit=TEXT_LIMIT),
        "author": _text(n, "author", where),
        "created": _text(n, "created", where, limit=40),
        **_note_kind(n, where),
    }


def _note_kind(n: dict[str, Any], where: str) -> dict[str, Any]:
    """A comment note keeps its kind and the brief it belongs to (checked as an id)."""
    kind = n.get("kind", "working")
    if kind not in NOTE_KINDS:
        raise _Bad(f"{where}.kind", f"{_shown(kind)} is not one of {', '.join(NOTE_KINDS)}")
    if kind == "working":
        return {}
    return {"kind": kind, "brief_id": _id(n, "brief_id", where, BRIEF_ID, "brief")}


def _passage(p: object, where: str) -> dict[str, Any]:
    p = _obj(p, where)
    pid = _id(p, "id", where, PASSAGE_ID, "passage")
    aid = _id(p, "article", where, ARTICLE_ID, "article")
    if pid.rpartition(".")[0] != aid:
        raise _Bad(f"{where}.id", f"passage id {pid!r} does not belong to article {aid!r}")
    notes = [_note(n, f"{where}.notes[{i}]") for i, n in enumerate(_list(p, "notes", where))]
    key_point = p.get("key_point", False)
    if not isinstance(key_point, bool) and key_point is not None:
        raise _Bad(f"{where}.key_point", "must be true or false")
    return {
        "id": pid,
        "article": aid,
        "text": _text(p, "text", where, limit=TEXT_LIMIT),
        "heading": _text(p, "heading", where),
        "tags": _tags(p, where),
        "key_point": bool(key_point),
        "notes": notes,
    }


def _article(a: object, where: str) -> dict[str, Any]:
    a = _obj(a, where)
    published = a.get("published")
    if published is not None and not (isinstance(published, str) and _DATE.fullmatch(published)):
        raise _Bad(f"{where}.published", f"{_shown(published)} is not a date YYYY-MM-DD")
    out: dict[str, Any] = {
        "id": _id(a, "id", where, ARTICLE_ID, "article"),
        "title": _text(a, "title", where),
        "published": published,
        "published_inferred": bool(a.get("published_inferred", False)),
    }
    for key in ("source", "publisher", "url", "author", "photo_credit", "language"):
        out[key] = _text(a, key, where)
    return out


def _brief_fields(b: object) -> dict[str, Any]:
    b = _obj(b, "brief")
    template = _text(b, "template", "brief")
    if template and not BRIEF_ID.fullmatch(template):
        raise _Bad("brief.template", f"{_shown(template)} is not a valid template id")
    out: dict[str, Any] = {
        "id": _id(b, "id", "brief", BRIEF_ID, "brief"),
        "title": _text(b, "title", "brief", required=True),
        "template": template,
        "summary": _text(b, "summary", "brief", multiline=True),
    }
    for key in ("subtitle", "audience", "marking"):
        out[key] = _text(b, key, "brief")
    details = b.get("details") or {}
    if not isinstance(details, dict):
        raise _Bad("brief.details", "must be a mapping of fields to text")
    out["details"] = {
        k: _text(details, k, "brief.details") for k in BRIEF_DETAILS if details.get(k)
    }
    return out


def _section(s: object, where: str, passage_ids: set[str]) -> dict[str, Any]:
    s = _obj(s, where)
    pids = []
    for i, pid in enumerate(_list(s, "passages", where)):
        if not isinstance(pid, str) or not PASSAGE_ID.fullmatch(pid):
            raise _Bad(f"{where}.passages[{i}]", f"{_shown(pid)} is not a valid passage id")
        if pid not in passage_ids:
            raise _Bad(f"{where}.passages[{i}]", f"{pid!r} is not one of the file's passages")
        pids.append(pid)
    written = s.get("written", False)
    if not isinstance(written, bool):
        raise _Bad(f"{where}.written", "must be true or false")
    status = s.get("status", "drafting")
    if status not in SECTION_STATUSES:
        raise _Bad(
            f"{where}.status", f"{_shown(status)} is not one of {', '.join(SECTION_STATUSES)}"
        )
    notes = [_note(n, f"{where}.notes[{i}]") for i, n in enumerate(_list(s, "notes", where))]
    return {
        "status": status,
        "notes": notes,
        "id": _id(s, "id", where, SECTION_ID, "section"),
        "title": _text(s, "title", where, required=True),
        "summary": _text(s, "summary", where, multiline=True),
        "written": written,
        "passages": pids,
    }


WRITTEN_ID = re.compile(r"w[0-9a-f]{8}")


def _written(w: object, where: str, sections: set[str]) -> dict[str, Any]:
    w = _obj(w, where)
    sid = _id(w, "section", where, SECTION_ID, "section")
    if sid not in sections:
        raise _Bad(f"{where}.section", f"{sid!r} is not one of the brief's sections")
    notes = [_note(n, f"{where}.notes[{i}]") for i, n in enumerate(_list(w, "notes", where))]
    key_point = w.get("key_point", False)
    if not isinstance(key_point, bool):
        raise _Bad(f"{where}.key_point", "must be true or false")
    return {
        "id": _id(w, "id", where, WRITTEN_ID, "written item"),
        "section": sid,
        "text": _text(w, "text", where, required=True, multiline=True),
        "tags": _tags(w, where),
        "key_point": key_point,
        "notes": notes,
    }


def validate(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with only known fields, every id checked and every string cleaned.

    Raises ImportFailed naming the first wrong field, e.g.
    `brief.id: '../../victim/settings' is not a valid brief id`.
    """
    try:
        passages = [_passage(p, f"passages[{i}]") for i, p in enumerate(_list(doc, "passages", ""))]
        articles = [_article(a, f"articles[{i}]") for i, a in enumerate(_list(doc, "articles", ""))]
        out: dict[str, Any] = {"format": FORMAT, "passages": passages, "articles": articles}
        if doc.get("brief") is not None:
            out["brief"] = _brief_fields(doc["brief"])
            have = {p["id"] for p in passages}
            raw_sections = _get(doc, "sections", "", list)
            out["sections"] = [
                _section(s, f"sections[{i}]", have) for i, s in enumerate(raw_sections)
            ]
            if not out["sections"]:
                raise _Bad("sections", "a brief needs at least one section")
            ids = [s["id"] for s in out["sections"]]
            for i, sid in enumerate(ids):
                if sid in ids[:i]:
                    raise _Bad(f"sections[{i}].id", f"duplicate section id {sid!r}")
            out["written"] = [
                _written(w, f"written[{i}]", set(ids))
                for i, w in enumerate(_list(doc, "written", ""))
            ]
            bid = out["brief"]["id"]
            holders = [
                *(("passages", i, p) for i, p in enumerate(passages)),
                *(("written", i, w) for i, w in enumerate(out["written"])),
                *(("sections", i, s) for i, s in enumerate(out["sections"])),
            ]
            for what, i, holder in holders:
                for j, n in enumerate(holder["notes"]):
                    if n.get("kind") == "comment" and n.get("brief_id") != bid:
                        raise _Bad(
                            f"{what}[{i}].notes[{j}].brief_id",
                            f"a comment in this file belongs to brief {bid!r}, not "
                            f"{_shown(n.get('brief_id'))}",
                        )
        else:
            out["brief"], out["sections"], out["written"] = None, [], []
        for what, items in (("passages", passages), ("articles", articles)):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item["id"] in seen:
                    raise _Bad(f"{what}[{i}].id", f"{item['id']!r} is there twice")
                seen.add(item["id"])
    except _Bad as exc:
        raise ImportFailed(f"not a valid {FORMAT} file: {exc}") from None
    return out


# -- import -----------------------------------------------------------------------------------


def _passages(doc: dict[str, Any]) -> dict[str, list[Passage]]:
    by_article: dict[str, list[Passage]] = {}
    for p in doc["passages"]:
        n = int(p["id"].rpartition(".")[2])
        by_article.setdefault(p["article"], []).append(
            Passage(p["id"], p["article"], n - 1, p["text"], p["heading"])
        )
    return by_article


def _brief(doc: dict[str, Any], created: str) -> Brief:
    b = doc["brief"]
    try:
        template = get_template(b["template"])
        brief = template.new_brief(b["id"], b["title"], created)
        rules = {s.id: s for s in brief.sections}
    except NotFound:
        brief, rules = Brief(b["id"], b["title"], template=b["template"], created=created), {}
    brief.sections = [
        Section(
            s["id"],
            s["title"],
            s["summary"],
            list(rules[s["id"]].headings) if s["id"] in rules and not s["written"] else [],
            list(rules[s["id"]].keywords) if s["id"] in rules and not s["written"] else [],
            s["written"],
            s["status"],
            [Note.from_dict(n) for n in s["notes"]],
        )
        for s in doc["sections"]
    ]
    brief.default_section = sectioning.default_section(brief) or brief.sections[0].id
    for key in ("subtitle", "audience", "marking", "summary"):
        setattr(brief, key, b[key])
    brief.details = dict(b.get("details") or {})
    return brief


def import_brief_document(book: Book, bd: BriefDocument, stamp: str) -> tuple[list[Article], int]:
    """Add the document's articles, brief, filings and notes. Returns (new articles, filed)."""
    doc = bd.doc
    try:
        by_article = _passages(doc)
        articles = []
        for a in doc["articles"]:
            ps = sorted(by_article.get(a["id"], []), key=lambda p: p.index)
            art = Article.from_dict({**a, "origin": bd.origin, "imported_at": stamp})
            art.passage_count = max((p.index + 1 for p in ps), default=0)
            articles.append((art, ps))
        new = [(a, ps) for a, ps in articles if not book.has_article(a.id)]
        fresh = {a.id for a, _ in new}
        # Articles the book has already: their text comes from the book, never the file.
        for i, (a, _ps) in enumerate(articles):
            if a.id not in fresh:
                known = book.article(a.id) or a
                articles[i] = (known, sorted(book.passages([a.id]), key=lambda p: p.index))
        book.add_articles(new)
        filed = 0
        if doc["brief"]:
            brief = book.brief(doc["brief"]["id"], missing_ok=True)
            if brief is None:
                brief = _brief(doc, stamp)
                book.save_brief(brief)
            wanted = [
                (pid, s["id"] if brief.section(s["id"]) else sectioning.default_section(brief))
                for s in doc["sections"]
                for pid in s["passages"]
            ]
            all_passages = [p for _, ps in articles for p in ps]

            def add(cur: list[Filing]) -> list[Filing]:
                have = {f.passage_id for f in cur}
                out = list(cur)
                for pid, sid in wanted:
                    if pid not in have:
                        out.append(Filing(pid, sid, len(out), manual=True))
                        have.add(pid)
                return out

            before = len(book.filings(brief.id))
            filed = (
                len(
                    book.update_filings(
                        brief.id,
                        add,
                        new_passages=all_passages,
                        new_articles=[a for a, _ in articles],
                    )
                )
                - before
            )
            _import_written(book, brief.id, doc.get("written", []))
        # Tags, notes and key points come in only with passages new to the book: an import
        # never changes what a passage already carries in the briefs that cite it.
        for p in doc["passages"]:
            if p["article"] in fresh:
                _merge_state(book, p)
        for w in doc.get("written", []):
            _merge_state(book, w)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFailed(f"not a valid {FORMAT} file ({type(exc).__name__}: {exc})") from None
    return [a for a, _ in new], filed


def _import_written(book: Book, brief_id: str, items: list[dict[str, Any]]) -> None:
    """Written items the brief does not hold yet, at the end of their sections."""
    if not items:
        return

    brief = book.brief(brief_id)
    assert brief is not None
    fallback = sectioning.default_section(brief) or brief.sections[0].id

    def add(order: FilingOrder, have: dict[str, WrittenItem]) -> None:
        for w in items:
            if w["id"] in have:
                continue
            if book.find_written(w["id"]) not in (None, brief_id):
                # The id is another brief's item (a copy of this brief, say): a new one.
                w["id"] = "w" + secrets.token_hex(4)
            have[w["id"]] = WrittenItem(w["id"], w["text"])
            sid = w["section"] if brief.section(w["section"]) else fallback
            order.insert(w["id"], sid, 10**9, True)

    book.update_written(brief_id, add)


def _merge_state(book: Book, p: dict[str, Any]) -> None:
    tags, notes, key_point = p["tags"], p["notes"], p["key_point"]
    if not (tags or notes or key_point):
        return

    def merge(st: Any) -> None:
        st.tags += [t for t in tags if t not in st.tags]
        st.key_point = st.key_point or key_point
        have = {n.id for n in st.notes}
        st.notes += [Note.from_dict(n) for n in notes if n["id"] not in have]

    book.update_state(p["id"], merge)
