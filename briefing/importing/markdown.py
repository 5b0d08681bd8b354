"""Markdown: the first heading is the title, later headings are subheadings.

Parsed with markdown-it-py (already needed by rich), so passages hold plain text: inline
markup is dropped, link text kept. A leading YAML front matter block may give title, date,
source, url and tags.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.importing.clean import clean, headline_of, tidy_line
from briefing.model import ParsedArticle

_FRONT = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
_MD = MarkdownIt("commonmark")


def _inline_text(tok: Token) -> str:
    parts: list[str] = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return tidy_line("".join(parts))


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m[1])
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[m.end() :]


def _iso(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def parse_markdown(text: str, origin: str = "") -> ParsedArticle:
    meta, body = _front_matter(clean(text))
    tokens = _MD.parse(body)
    title = str(meta.get("title") or "").strip()
    heading = ""
    paragraphs: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            content = _inline_text(tokens[i + 1])
            if not paragraphs and not heading and tok.tag == "h1":
                title = title or content  # the document's own title
            else:
                heading = content
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            content = _inline_text(tok)
            if content:
                paragraphs.append((heading, content))
        elif tok.type in ("fence", "code_block"):
            content = tidy_line(tok.content)
            if content:
                paragraphs.append((heading, content))
    if not title and paragraphs:
        first = paragraphs[0][1]
        if len(paragraphs) > 1 and len(first) <= 120:
            title = paragraphs.pop(0)[1]  # a short first line stands as the title
        else:
            title = headline_of(first)  # a flash or a long lede: keep its text as a passage
    if not paragraphs:
        raise ValueError("no paragraphs")
    tags = meta.get("tags") or []
    return ParsedArticle(
        title=tidy_line(title),
        paragraphs=paragraphs,
        source=tidy_line(str(meta.get("source", "") or "")),
        publisher=tidy_line(str(meta.get("publisher", "") or "")),
        published=_iso(meta.get("date") or meta.get("published")),
        url=str(meta.get("url", "") or "").strip(),
        author=tidy_line(str(meta.get("author", "") or "")),
        tags=[tidy_line(str(t)) for t in tags] if isinstance(tags, list) else [],
        format="markdown",
        origin=origin,
    )


def looks_like_markdown(text: str) -> bool:
    head = text[:4000]
    if _FRONT.match(head):
        return True
    return bool(re.search(r"(?m)^#{1,6} \S", head)) or bool(
        re.search(r"(?m)^(?:\*\*|__)\S.*(?:\*\*|__)$|\[[^\]]+\]\([^)]+\)", head)
    )
