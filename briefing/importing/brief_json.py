"""Re-import a brief written by `briefing export --format json`.

The file carries the brief, its sections in order, its passages with their notes, tags and
key-point marks, and the cited articles' metadata — enough to hand a brief to a colleague's
book. Everything it brings is added; nothing already in the book is changed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing.errors import ImportFailed, NotFound
from briefing.importing.clean import tidy_line
from briefing.model import Article, Brief, Filing, Note, Passage, Section
from briefing.store import Book
from briefing.templates import get_template

FORMAT = "briefing-brief"


@dataclass
class BriefDocument:
    doc: dict[str, Any]
    origin: str


def is_brief_document(doc: object) -> bool:
    return isinstance(doc, dict) and doc.get("format") == FORMAT


def _passages(doc: dict[str, Any]) -> dict[str, list[Passage]]:
    by_article: dict[str, list[Passage]] = {}
    for p in doc.get("passages", []):
        aid, _, n = str(p["id"]).rpartition(".")
        if aid != p["article"] or not n.isdigit():
            raise ImportFailed(
                f"passage id {p['id']!r} does not belong to article {p['article']!r}"
            )
        by_article.setdefault(aid, []).append(
            Passage(p["id"], aid, int(n) - 1, tidy_line(p["text"]), tidy_line(p.get("heading", "")))
        )
    return by_article


def _brief(doc: dict[str, Any], created: str) -> Brief:
    b = doc["brief"]
    try:
        template = get_template(b.get("template", ""))
        brief = template.new_brief(b["id"], b["title"], created)
        rules = {s.id: s for s in brief.sections}
    except NotFound:
        brief, rules = (
            Brief(b["id"], b["title"], template=b.get("template", ""), created=created),
            {},
        )
    brief.sections = [
        Section(
            s["id"],
            s["title"],
            s.get("summary", ""),
            list(rules[s["id"]].headings) if s["id"] in rules else [],
            list(rules[s["id"]].keywords) if s["id"] in rules else [],
        )
        for s in doc["sections"]
    ]
    brief.default_section = (
        brief.default_section if brief.section(brief.default_section) else brief.sections[0].id
    )
    for key in ("subtitle", "audience", "marking", "summary"):
        setattr(brief, key, b.get(key, "") or "")
    return brief


def import_brief_document(book: Book, bd: BriefDocument, stamp: str) -> tuple[list[Article], int]:
    """Add the document's articles, brief, filings and notes. Returns (new articles, filed)."""
    doc = bd.doc
    try:
        by_article = _passages(doc)
        articles = []
        for a in doc.get("articles", []):
            ps = sorted(by_article.get(a["id"], []), key=lambda p: p.index)
            art = Article.from_dict({**a, "origin": bd.origin, "imported_at": stamp})
            art.passage_count = max((p.index + 1 for p in ps), default=0)
            articles.append((art, ps))
        new = [(a, ps) for a, ps in articles if not book.has_article(a.id)]
        book.add_articles(new)
        filed = 0
        if doc.get("brief"):
            brief = book.brief(doc["brief"]["id"], missing_ok=True)
            if brief is None:
                brief = _brief(doc, stamp)
                book.save_brief(brief)
            wanted = [
                (pid, s["id"] if brief.section(s["id"]) else brief.default_section)
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
        for p in doc.get("passages", []):
            _merge_state(book, p)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFailed(f"not a valid {FORMAT} file ({type(exc).__name__}: {exc})") from None
    return [a for a, _ in new], filed


def _merge_state(book: Book, p: dict[str, Any]) -> None:
    tags, notes, key_point = p.get("tags") or [], p.get("notes") or [], bool(p.get("key_point"))
    if not (tags or notes or key_point):
        return

    def merge(st: Any) -> None:
        st.tags += [t for t in tags if t not in st.tags]
        st.key_point = st.key_point or key_point
        have = {n.id for n in st.notes}
        st.notes += [Note.from_dict(n) for n in notes if n["id"] not in have]

    book.update_state(p["id"], merge)
