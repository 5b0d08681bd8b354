"""The JSON shapes of `list --json` and `export --format json` (documented in the README).

Every string written goes through `safe_out` (`dumps`): JSON escapes C0 controls but not
C1 ones (U+0080-U+009F, the 8-bit escape sequences) or bidi overrides, and a consumer that
prints a decoded value would pass an ESC on; book data should be clean, this makes sure.
"""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO

from briefing.briefs import BriefView, Item
from briefing.model import Article
from briefing.sanitize import is_safe, safe_out
from briefing.store import Book


def passage_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.passage.id,
        "article": item.passage.article_id,
        "section": item.section_id,
        "position": item.position,
        "heading": item.passage.heading,
        "text": item.passage.text,
        "tags": list(item.state.tags),
        "key_point": item.state.key_point,
        "notes": [n.to_dict() for n in item.state.notes],
    }


def article_json(a: Article, tags: list[str]) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "source": a.source,
        "publisher": a.publisher,
        "published": a.published,
        "published_inferred": a.published_inferred,
        "url": a.url,
        "author": a.author,
        "photo_credit": a.photo_credit,
        "tags": tags,
        "imported_at": a.imported_at,
    }


def brief_json(
    view: BriefView | None,
    items: list[Item],
    articles: list[Article],
    article_tags: dict[str, list[str]],
) -> dict[str, Any]:
    brief = None
    sections: list[dict[str, Any]] = []
    if view:
        b = view.brief
        brief = {
            "id": b.id,
            "title": b.title,
            "subtitle": b.subtitle,
            "audience": b.audience,
            "marking": b.marking,
            "summary": b.summary,
            "template": b.template,
            "details": dict(b.details),
        }
        sections = [
            {
                "id": s.section.id,
                "title": s.section.title,
                "summary": s.section.summary,
                "written": s.section.written,
                "status": s.section.status,
                "notes": [n.to_dict() for n in s.section.notes],
                "passages": [i.passage.id for i in s.items if not i.is_written],
            }
            for s in view.sections
        ]
    doc: dict[str, Any] = {
        "brief": brief,
        "sections": sections,
        "passages": [passage_json(i) for i in items if not i.is_written],
        "articles": [article_json(a, article_tags.get(a.id, [])) for a in articles],
    }
    written = [i for i in items if i.is_written]
    if written:
        doc["written"] = [written_json(i) for i in written]
    return doc


def written_json(item: Item) -> dict[str, Any]:
    """A written item: its text (the Markdown subset), where it sits and what it carries."""
    return {
        "id": item.passage.id,
        "section": item.section_id,
        "position": item.position,
        "text": item.passage.text,
        "tags": list(item.state.tags),
        "key_point": item.state.key_point,
        "notes": [n.to_dict() for n in item.state.notes],
    }


def _safe(value: Any) -> Any:
    """A copy of a JSON value with every string (keys too) through `safe_out`."""
    if isinstance(value, str):
        return value if is_safe(value) else safe_out(value)  # one regex search when clean
    if isinstance(value, dict):
        return {_safe(str(k)): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return value


def dumps(doc: Any) -> str:
    """The document as JSON text, every string made safe to print (see the module doc)."""
    return json.dumps(_safe(doc), ensure_ascii=False, indent=2) + "\n"


_MAYBE_UNSAFE = re.compile(
    rb"\\(?:u00[01]|[bfr])|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""How what `safe_out` removes looks once orjson has printed it: a C0 control as an escape,
DEL, C1 controls and bidi controls as their UTF-8 bytes. A backslash before `b` can match
too (an escaped backslash): a false alarm only costs the slow path."""


def _indented(doc: Any, depth: int) -> bytes:
    """One value as `dumps` would print it at `depth` levels of a 2-space indent."""
    import orjson

    raw = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    if _MAYBE_UNSAFE.search(raw):  # rare: clean every string, then print again
        raw = orjson.dumps(_safe(doc), option=orjson.OPT_INDENT_2)
    pad = b"\n" + b"  " * depth
    return b"  " * depth + raw.replace(b"\n", pad)


def write_library_json(book: Book, out: BinaryIO, tag: str | None = None) -> None:
    """`list --json` of the whole library (or its passages tagged `tag`), written as it is
    read: one shard of the library in memory at a time, each passage kept only as its
    printed bytes until it is written in library order (articles as imported). The same
    document as `brief_json` with no brief; 216,000 passages in seconds, not gigabytes."""
    from briefing.model import PassageState

    articles = book.articles()
    states = book.states()
    tags = book.article_tags()
    printed: dict[str, list[tuple[int, bytes]]] = {}
    for key in book.shard_keys():
        arts, passages = book.shard_content(key)
        by_id = {a.id: a for a in arts}
        for p in passages:
            st = states.get(p.id) or PassageState(p.id)
            if tag is not None and tag not in st.tags:
                continue
            item = Item(p, by_id.get(p.article_id), st, None, p.index)
            printed.setdefault(p.article_id, []).append((p.index, _indented(passage_json(item), 2)))
    out.write(b'{\n  "brief": null,\n  "sections": [],\n  "passages": [')
    first = True
    for a in articles:
        for _, raw in sorted(printed.get(a.id, []), key=lambda x: x[0]):
            out.write(b"\n" if first else b",\n")
            out.write(raw)
            first = False
    out.write(b"\n  ]," if not first else b"],")
    out.write(b'\n  "articles": [')
    first = True
    for a in articles:
        if a.id not in printed:
            continue
        out.write(b"\n" if first else b",\n")
        out.write(_indented(article_json(a, tags.get(a.id, [])), 2))
        first = False
    out.write(b"\n  ]\n}\n" if not first else b"]\n}\n")
