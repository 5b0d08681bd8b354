"""The JSON shapes of `list --json` and `export --format json` (documented in the README).

Every string written goes through `safe_out` (`dumps`): JSON escapes C0 controls but not
C1 ones (U+0080-U+009F, the 8-bit escape sequences) or bidi overrides, and a consumer that
prints a decoded value would pass an ESC on; book data should be clean, this makes sure.
"""

from __future__ import annotations

import json
from typing import Any

from briefing.briefs import BriefView, Item
from briefing.model import Article
from briefing.sanitize import safe_out


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
        return safe_out(value)
    if isinstance(value, dict):
        return {safe_out(str(k)): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return value


def dumps(doc: Any) -> str:
    """The document as JSON text, every string made safe to print (see the module doc)."""
    return json.dumps(_safe(doc), ensure_ascii=False, indent=2) + "\n"
