"""RSS, Atom and JSON Feed: one article per item.

feedparser copes with the feeds found in the wild; it is slow on very large feeds
(22 s for 10,000 items), so JSON Feed, which needs no tolerant parser, is read directly.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from briefing.importing.clean import tidy_line
from briefing.model import ParsedArticle

_BLOCKS = {"p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td"}
_HEADS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def text_paragraphs(text: str) -> list[tuple[str, str]]:
    return [("", t) for t in (tidy_line(x) for x in re.split(r"\n\s*\n", text)) if t]


def html_paragraphs(fragment: str) -> list[tuple[str, str]]:
    """A feed item's HTML body as (heading, text) paragraphs."""
    if "<" not in fragment:
        return text_paragraphs(fragment)
    from lxml import html as lhtml

    try:
        root = lhtml.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for hopeless markup
        return [("", tidy_line(re.sub(r"<[^>]+>", " ", fragment)))]
    for bad in root.xpath("//script|//style|//iframe|//object"):
        bad.drop_tree()
    out: list[tuple[str, str]] = []
    heading = ""
    blocks = [el for el in root.iter() if isinstance(el.tag, str) and el.tag in _BLOCKS]
    nested = {el for el in blocks for anc in el.iterancestors() if anc in blocks}
    for el in blocks:
        if el in nested:
            continue
        text = tidy_line(el.text_content())
        if not text:
            continue
        if el.tag in _HEADS:
            heading = text
        else:
            out.append((heading, text))
    if not out:
        text = tidy_line(root.text_content())
        if text:
            out.append(("", text))
    return out


def _iso_from_struct(value: Any) -> str | None:
    if not value:
        return None
    try:
        return dt.date(*time.struct_time(value)[:3]).isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes, origin: str = "") -> list[ParsedArticle]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.bozo:
        raise ValueError(f"not a readable feed ({parsed.bozo_exception})")
    feed_title = tidy_line(parsed.feed.get("title", ""))
    out: list[ParsedArticle] = []
    for entry in parsed.entries:
        body = ""
        if entry.get("content"):
            body = max((c.get("value", "") for c in entry.content), key=len)
        body = body or entry.get("summary", "") or entry.get("description", "")
        paragraphs = html_paragraphs(body) if body else []
        title = tidy_line(entry.get("title", "")) or (paragraphs[0][1][:100] if paragraphs else "")
        if not paragraphs:
            if not title:
                continue
            paragraphs = [("", title)]
        source = tidy_line(entry.get("source", {}).get("title", "")) if entry.get("source") else ""
        out.append(
            ParsedArticle(
                title=title,
                paragraphs=paragraphs,
                source=source or feed_title,
                publisher=feed_title,
                published=_iso_from_struct(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
                url=(entry.get("link") or "").strip(),
                author=tidy_line(entry.get("author", "")),
                language=parsed.feed.get("language", "") or "",
                tags=[tidy_line(t.get("term", "")) for t in entry.get("tags", []) if t.get("term")],
                format="feed",
                origin=origin,
            )
        )
    return out


def parse_json_feed(doc: dict[str, Any], origin: str = "") -> list[ParsedArticle]:
    feed_title = tidy_line(str(doc.get("title", "")))
    out: list[ParsedArticle] = []
    for item in doc.get("items", []) or []:
        if not isinstance(item, dict):
            continue
        body = item.get("content_html") or ""
        paragraphs = html_paragraphs(body) if body else []
        if not paragraphs and item.get("content_text"):
            paragraphs = text_paragraphs(str(item["content_text"]))
        if not paragraphs and item.get("summary"):
            paragraphs = [("", tidy_line(str(item["summary"])))]
        title = tidy_line(str(item.get("title", ""))) or (
            paragraphs[0][1][:100] if paragraphs else ""
        )
        if not paragraphs:
            if not title:
                continue
            paragraphs = [("", title)]
        date = str(item.get("date_published") or item.get("date_modified") or "")
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = ", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))
        out.append(
            ParsedArticle(
                title=title,
                paragraphs=paragraphs,
                source=feed_title,
                publisher=feed_title,
                published=date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
                url=str(item.get("url") or item.get("external_url") or "").strip(),
                author=tidy_line(author),
                language=str(doc.get("language", "") or ""),
                tags=[tidy_line(str(t)) for t in item.get("tags", []) or []],
                format="feed",
                origin=origin,
            )
        )
    return out


def looks_like_feed(text: str) -> bool:
    head = text[:2048].lstrip()
    return bool(re.search(r"<(?:rss|feed|rdf:RDF)[\s>]", head))


def is_json_feed(doc: object) -> bool:
    return isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", ""))
