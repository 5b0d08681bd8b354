"""Import articles: detect the format of each input, parse it, store it, file it.

Inputs are files, folders (recursively) or `-` (standard input). Each input that fails is
reported in one line and the rest go on; the caller decides the exit status.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import ImportFailed
from briefing.importing.brief_json import BriefDocument, is_brief_document
from briefing.importing.clean import decode, looks_binary, tidy_line
from briefing.importing.feed import is_json_feed, looks_like_feed, parse_feed, parse_json_feed
from briefing.importing.html import looks_like_html, parse_html
from briefing.importing.markdown import looks_like_markdown, parse_markdown
from briefing.importing.text import parse_text
from briefing.model import Article, ParsedArticle, Passage, passage_id
from briefing.wording import plural

MAX_BYTES = 50 * 1024 * 1024
"""Larger inputs are refused: no real article is that big, and parsing would stall."""

_SKIP_SUFFIXES = {".pyc", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".zip", ".gz", ".exe", ".so"}


@dataclass
class Source:
    """One input: where it came from and its bytes (read lazily)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        size = self.path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(
                f"too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES // 10**6} MB)"
            )
        return self.path.read_bytes()


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Titles of articles that were already in the book."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(input name, reason) pairs."""
    filed: int = 0

    def summary(self, brief_id: str | None) -> str:
        """One line for the user, the same in the CLI and the TUI."""
        passages = sum(a.passage_count for a in self.added)
        line = f"imported {plural(len(self.added), 'article')}, {plural(passages, 'passage')}"
        if self.skipped:
            line += f"; {len(self.skipped)} already in the book"
        if brief_id:
            line += f"; filed {plural(self.filed, 'passage')} into {brief_id}"
        if self.failed:
            line += f"; {len(self.failed)} failed"
        return line


def expand(inputs: Iterable[str], stdin: Callable[[], bytes] | None = None) -> Iterator[Source]:
    """Files, folders (recursively, hidden files skipped) and `-`, in a stable order."""
    for raw in inputs:
        if raw == "-":
            yield Source("-", data=stdin() if stdin else b"")
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    p = Path(root) / f
                    if not f.startswith(".") and p.suffix.lower() not in _SKIP_SUFFIXES:
                        yield Source(str(p), path=p)
        else:
            yield Source(str(path), path=path)


def detect(text: str, name: str = "") -> str:
    """The format by content first, the file name second."""
    return _detect(text, name)[0]


def _detect(text: str, name: str) -> tuple[str, Any]:
    """(format, parsed JSON or None): JSON input is parsed once, here."""
    js = read_json(text)
    if js is not None:
        return js
    if looks_like_feed(text):
        return "feed", None
    if looks_like_html(text):
        return "html", None
    lower = name.lower()
    if lower.endswith((".md", ".markdown")) or looks_like_markdown(text):
        return "markdown", None
    return "text", None


def read_json(text: str) -> tuple[str, Any] | None:
    """JSON Feed, a brief export, or other JSON (or JSON Lines, refused later rather than
    imported as a wall of text); None when the input is not JSON."""
    head = text.lstrip()
    if not head.startswith(("{", "[")):
        return None
    try:
        doc = json.loads(head)
    except ValueError:
        try:
            json.loads(head.split("\n", 1)[0])
        except ValueError:
            return None
        return "json", None
    if is_json_feed(doc):
        return "jsonfeed", doc
    if is_brief_document(doc):
        return "brief", doc
    return "json", doc


def parse_source(
    src: Source, today: dt.date | None = None
) -> list[ParsedArticle] | list[BriefDocument]:
    """One input to articles; raises ImportFailed with a reason fit for the user."""
    try:
        data = src.read()
    except FileNotFoundError:
        raise ImportFailed("no such file") from None
    except IsADirectoryError:
        raise ImportFailed("is a directory") from None
    except PermissionError:
        raise ImportFailed("permission denied") from None
    except OSError as exc:
        raise ImportFailed(exc.strerror or str(exc)) from None
    if not data.strip():
        raise ImportFailed("empty file")
    if looks_binary(data):
        raise ImportFailed("binary file, not an article")
    text, _ = decode(data)
    fmt, doc = _detect(text, src.name)
    try:
        if fmt == "brief":
            return [BriefDocument(doc, src.name)]
        if fmt == "json":
            raise ImportFailed("JSON that is not a JSON Feed (nothing to import)")
        if fmt == "jsonfeed":
            items = parse_json_feed(doc, src.name)
        elif fmt == "feed":
            items = parse_feed(data, src.name)
        elif fmt == "html":
            items = [parse_html(data, src.name)]
        elif fmt == "markdown":
            items = [parse_markdown(text, src.name)]
        else:
            items = [parse_text(text, src.name, today)]
    except ValueError as exc:
        raise ImportFailed(f"{fmt}: {exc}") from None
    if not items:
        raise ImportFailed(f"{fmt}: no articles found")
    return items


def to_article(parsed: ParsedArticle, imported_at: str) -> tuple[Article, list[Passage]]:
    aid = parsed.article_id()
    passages = [
        Passage(passage_id(aid, i), aid, i, tidy_line(text), tidy_line(heading))
        for i, (heading, text) in enumerate(parsed.paragraphs)
    ]
    article = Article(
        id=aid,
        title=tidy_line(parsed.title),
        source=parsed.source,
        publisher=parsed.publisher,
        published=parsed.published,
        published_inferred=parsed.published_inferred,
        url=parsed.url,
        language=parsed.language,
        author=parsed.author,
        photo_credit=parsed.photo_credit,
        format=parsed.format,
        origin=parsed.origin,
        imported_at=imported_at,
        content_hash=parsed.content_hash(),
        passage_count=len(passages),
    )
    return article, passages
