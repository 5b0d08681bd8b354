"""The JSON shapes of `list --json` and `export --format json` (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from briefing.briefs import BriefView, Item
from briefing.model import Article


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
        }
        sections = [
            {
                "id": s.section.id,
                "title": s.section.title,
                "summary": s.section.summary,
                "passages": [i.passage.id for i in s.items],
            }
            for s in view.sections
        ]
    return {
        "brief": brief,
        "sections": sections,
        "passages": [passage_json(i) for i in items],
        "articles": [article_json(a, article_tags.get(a.id, [])) for a in articles],
    }


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
