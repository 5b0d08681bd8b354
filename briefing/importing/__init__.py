"""Import articles: detect the format of each input, parse it, store it, file it.

Inputs are files, folders (recursively) or `-` (standard input). Each input that fails is
reported in one line and the rest go on; the caller decides the exit status.

What is read. Only regular files: a FIFO, a device or a socket is reported as "not a
regular file" and never opened (opening a FIFO waits for a writer for ever; a device may
never end). Inside a folder, a symbolic link is followed only when it resolves to
somewhere inside that folder; one that leads out of it (or nowhere) is skipped with one
line, so importing a folder never reads what the folder does not hold. A link named on the
command line is followed wherever it leads: the user named it.

Sizes. A paragraph longer than `MAX_PASSAGE_CHARS` is cut into several passages at
sentence ends or spaces (mid-word only inside one huge token); an article of more than
`MAX_PASSAGES` passages or `MAX_ARTICLE_CHARS` characters is refused, naming the input.
A feed has no total cap (each item is an article): RSS, Atom and (above `MAX_BYTES`) JSON
Feed are read item by item (`stream`), so a feed of any size imports in bounded memory; an
item over the caps is left out and reported, and the feed's other items are imported. Any
other input over `MAX_BYTES` is refused, and so is a feed that only feedparser can read
(see `stream.FeedFallback`): feedparser holds it whole, and ~15 times its size besides.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from briefing.errors import ImportFailed
from briefing.importing.brief_json import BriefDocument, is_brief_document
from briefing.importing.clean import decode, headline_of, looks_binary, split_long, tidy_line
from briefing.importing.feed import (
    FeedMeta,
    RawItem,
    build_item,
    damage_message,
    is_json_feed,
    json_feed_item,
    looks_like_feed,
    parse_feed,
    parse_json_feed,
)
from briefing.importing.html import looks_like_html, parse_html
from briefing.importing.markdown import looks_like_markdown, parse_markdown
from briefing.importing.stream import FeedFallback, FeedStream, JsonFeedStream
from briefing.importing.text import parse_text
from briefing.model import Article, ParsedArticle, Passage, passage_id
from briefing.sanitize import clean_field
from briefing.wording import plural

MAX_BYTES = 50 * 1024 * 1024
"""Larger inputs are refused (but feeds, read item by item): no real article is that big,
and parsing it whole would stall."""

MAX_PASSAGE_CHARS = 20_000
"""Longer paragraphs become several passages: a passage is what the reader lays out and
the user tags and moves; one of megabytes froze the interface for minutes."""
MAX_PASSAGES = 2_000
"""More passages than this in one article is not an article (a dump, a book, a log)."""
MAX_ARTICLE_CHARS = 5_000_000
"""Nor is an article of more text than this (5 MB)."""
MAX_TITLE_CHARS = 300
"""Longer titles are cut at a word: a title is shown on one line everywhere."""

_SKIP_SUFFIXES = {".pyc", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".zip", ".gz", ".exe", ".so"}


@dataclass
class Source:
    """One input: where it came from and its bytes (read lazily).

    `problem`, when set, is why the input cannot be read (found while listing the inputs,
    e.g. a FIFO); reading it raises ImportFailed with that reason and opens nothing."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    problem: str = ""
    url: str = ""
    """For an input given as a URL: the URL, then (once fetched into `path`) the final one,
    after redirects, which an article from a page cites."""
    default_source: str = ""
    """For a feed: the source of its items that do not name their own (`<source>`), in place
    of the feed's title — a subscription's `--source`. Unused for any other input."""

    def read(self) -> bytes:
        """All of it (at most `MAX_BYTES`)."""
        if self.data is not None:
            if self.problem:
                raise ImportFailed(self.problem)
            if len(self.data) > MAX_BYTES:
                raise ImportFailed(_too_large(len(self.data)))
            return self.data
        with self.open() as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                raise ImportFailed(_too_large(size))
            data = fh.read(MAX_BYTES + 1)  # the file may grow after the stat
        if len(data) > MAX_BYTES:
            raise ImportFailed(_too_large(len(data)))
        return data

    def open(self) -> BinaryIO:
        """The input as a binary file (a feed is read in chunks; no size cap here)."""
        if self.problem:
            raise ImportFailed(self.problem)
        if self.data is not None:
            return io.BytesIO(self.data)
        if self.path is None:  # a URL that was not fetched (the import fetches first)
            raise ImportFailed("not fetched")
        # Checked before opening (a FIFO must never be opened), and again on the open file
        # (the path may have been swapped meanwhile): O_NONBLOCK makes that open return at
        # once even if it is a FIFO after all.
        _check_regular(os.stat(self.path))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(self.path, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            _check_regular(os.fstat(fd))
        except BaseException:
            os.close(fd)
            raise
        return open(fd, "rb")

    def size(self) -> int:
        """Its size in bytes (0 when it cannot be read: reading it says why)."""
        if self.data is not None:
            return len(self.data)
        if self.problem or self.path is None:
            return 0
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

    def head(self, size: int = 64 * 1024) -> bytes:
        with self.open() as fh:
            return fh.read(size)


def _too_large(size: int) -> str:
    return f"too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES // 10**6} MB)"


def _kind(mode: int) -> str:
    """What a non-regular file is, in a word the user knows."""
    kinds = [
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ]
    return next((word for test, word in kinds if test(mode)), "a special file")


def _check_regular(st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise ImportFailed(f"not a regular file ({_kind(st.st_mode)}); not read")


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Titles of articles that were already in the book."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(input name, reason) pairs."""
    filed: int = 0
    unsorted: int = 0
    """Passages of articles that matched no section: in the brief, under Unsorted."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Feed items the drop rules left out (see `filters`), by input name: not imported,
    only counted."""
    warnings: list[str] = field(default_factory=list)
    """What the user should know though nothing failed (drop rules that could not be read)."""

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def summary(self, brief_id: str | None) -> str:
        """One line for the user, the same in the CLI and the TUI."""
        passages = sum(a.passage_count for a in self.added)
        line = f"imported {plural(len(self.added), 'article')}, {plural(passages, 'passage')}"
        if self.skipped:
            line += f"; {len(self.skipped)} already in the book"
        if self.dropped_total:
            line += f"; {plural(self.dropped_total, 'feed item')} dropped by the drop rules"
        if brief_id:
            line += f"; filed {plural(self.filed, 'passage')} into {brief_id}"
            if self.unsorted:
                line += f" ({self.unsorted} under Unsorted: they match no section)"
        if self.failed:
            line += f"; {len(self.failed)} failed"
        return line


def expand(inputs: Iterable[str], stdin: Callable[[], bytes] | None = None) -> Iterator[Source]:
    """Files, folders (recursively, hidden files skipped) and `-`, in a stable order.

    Nothing is opened here. An input that cannot be read comes out as a Source with a
    `problem` (one failure line when it is parsed): a FIFO, device or socket, a link that
    leads out of its folder."""
    for raw in inputs:
        if raw == "-":
            yield Source("-", data=stdin() if stdin else b"")
            continue
        if raw.lower().startswith(("http://", "https://")):
            yield Source(raw, url=raw)  # fetched by the import (see importing.fetch)
            continue
        path = Path(raw).expanduser()
        try:
            st = path.stat()  # follows a link: the user named it
        except OSError:
            yield Source(str(path), path=path)  # reading it says why (no such file, ...)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path)
        elif stat.S_ISREG(st.st_mode):
            yield Source(str(path), path=path)
        else:
            yield Source(str(path), problem=f"not a regular file ({_kind(st.st_mode)}); not read")


_OUTSIDE = "a link to outside the folder; not followed"


def _walk(folder: Path) -> Iterator[Source]:
    """A folder's files in sorted order; links followed only within the folder, each
    directory and each file visited once (a link loop ends, a linked file is not imported
    twice)."""
    try:
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        yield Source(str(folder), path=folder)
        return
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()

    def inside(target: Path) -> bool:
        return target == root or target.is_relative_to(root)

    def visit(shown: Path, real: Path) -> Iterator[Source]:
        try:
            st = real.stat()
            if (st.st_dev, st.st_ino) in seen_dirs:
                return
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(real), key=lambda e: e.name)
        except OSError as exc:
            yield Source(str(shown), problem=f"cannot list the folder ({exc.strerror or exc})")
            return
        found: list[Source] = []  # this folder's files and failures, in name order
        dirs: list[tuple[Path, Path]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = shown / entry.name
            try:
                link = entry.is_symlink()
                if link:
                    target = Path(os.path.realpath(real / entry.name))
                    if not inside(target):
                        found.append(Source(str(p), problem=_OUTSIDE))
                        continue
                    est = target.stat()
                else:
                    target = real / entry.name
                    est = entry.stat(follow_symlinks=False)
            except OSError as exc:
                why = "a broken link" if link else f"cannot read ({exc.strerror or exc})"
                found.append(Source(str(p), problem=f"{why}; skipped"))
                continue
            if stat.S_ISDIR(est.st_mode):
                dirs.append((p, target))
            elif p.suffix.lower() in _SKIP_SUFFIXES:
                continue
            elif not stat.S_ISREG(est.st_mode):
                found.append(
                    Source(str(p), problem=f"not a regular file ({_kind(est.st_mode)}); not read")
                )
            elif (est.st_dev, est.st_ino) not in seen_files:
                seen_files.add((est.st_dev, est.st_ino))
                # The resolved path: a later swap of the link cannot lead the read outside.
                found.append(Source(str(p), path=target))
        yield from found
        for p, target in dirs:
            yield from visit(p, target)

    yield from visit(folder, root)


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


class PartlyImported(ImportFailed):
    """Some of an input's articles could be read and some not (a feed damaged halfway, an
    item over the size caps). The message says what was lost; `items` is what was read,
    for the caller to import while it reports the message as a failure."""

    def __init__(self, message: str, items: list[ParsedArticle]) -> None:
        super().__init__(message)
        self.items = items


def _failure(exc: OSError) -> ImportFailed:
    if isinstance(exc, FileNotFoundError):
        return ImportFailed("no such file")
    if isinstance(exc, IsADirectoryError):
        return ImportFailed("is a directory")
    if isinstance(exc, PermissionError):
        return ImportFailed("permission denied")
    return ImportFailed(exc.strerror or str(exc))


_JSON_FEED_HEAD = re.compile(r'^\s*\{.*?"version"\s*:\s*"[^"]*jsonfeed\.org', re.S)


def _feed_kind(head: bytes) -> str:
    """ "feed" for RSS or Atom (by the root element), "jsonfeed" for a JSON Feed (by its
    version, in the first bytes), else ""."""
    if not head.strip() or looks_binary(head):
        return ""
    text, _ = decode(head)
    if text.lstrip().startswith(("{", "[")):
        return "jsonfeed" if _JSON_FEED_HEAD.match(text) else ""
    return "feed" if looks_like_feed(text) else ""


def feed_stream(src: Source, json_from: int = 0) -> FeedStream | JsonFeedStream | None:
    """The input as a feed read item by item (prepared: see `stream`), or None when it is
    not RSS or Atom, or not a JSON Feed of at least `json_from` bytes (a smaller one is
    read whole: `json` says more about a broken one). FeedFallback when feedparser must
    read it whole."""
    try:
        kind = _feed_kind(src.head())
        size = src.size()
        stream: FeedStream | JsonFeedStream
        if kind == "feed":
            stream = FeedStream(src.open, size)
        elif kind == "jsonfeed" and json_from and size >= json_from:
            stream = JsonFeedStream(src.open, size)
        else:
            return None
        stream.meta.source = src.default_source
        stream.prepare()
    except OSError as exc:
        raise _failure(exc) from None
    return stream


def parse_source(
    src: Source, today: dt.date | None = None
) -> list[ParsedArticle] | list[BriefDocument]:
    """One input to articles; raises ImportFailed with a reason fit for the user
    (PartlyImported, carrying the articles that could be read, when only some could).

    A feed's articles are all returned here; `import_sources` reads a large one in chunks
    (`feed_stream`, `build_chunk`) instead."""
    problems: list[str] = []
    try:
        stream = feed_stream(src, json_from=MAX_BYTES + 1)
    except FeedFallback:
        stream = None  # feedparser reads it, below
    if stream is not None:
        try:
            items = [
                clean_metadata(item) for raw in stream if (item := _item(raw, stream, src.name))
            ]
        except OSError as exc:
            raise _failure(exc) from None
        if stream.damage:
            problems.append(damage_message(*stream.damage))
        return _within_caps(stream.fmt, items, problems)
    try:
        data = src.read()
    except OSError as exc:
        raise _failure(exc) from None
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
            items = parse_json_feed(doc, src.name, source=src.default_source)
        elif fmt == "feed":
            items = parse_feed(data, src.name, problems, source=src.default_source)
        elif fmt == "html":
            items = [parse_html(data, src.name)]
        elif fmt == "markdown":
            items = [parse_markdown(text, src.name)]
        else:
            items = [parse_text(text, src.name, today)]
    except ValueError as exc:
        raise ImportFailed(f"{fmt}: {exc}") from None
    if src.url and fmt in ("html", "markdown", "text"):
        for item in items:
            item.url = src.url  # the page as fetched (after redirects): what the brief cites
    return _within_caps(fmt, [clean_metadata(item) for item in items], problems)


def _item(raw: Any, stream: FeedStream | JsonFeedStream, origin: str) -> ParsedArticle | None:
    if isinstance(raw, RawItem):
        return build_item(raw, stream.meta, origin)
    return json_feed_item(raw, stream.meta, origin)


def _within_caps(fmt: str, items: list[ParsedArticle], problems: list[str]) -> list[ParsedArticle]:
    """The articles fitted to the size caps. A feed's item over them is left out and
    reported; for any other input, the input fails."""
    if fmt in ("feed", "jsonfeed"):
        kept = []
        for n, item in enumerate(items, 1):
            try:
                kept.append(fit_to_caps(item))
            except ValueError as exc:
                problems.append(left_out(n, item.title, exc))
        items = kept
    else:
        try:
            items = [fit_to_caps(item) for item in items]
        except ValueError as exc:
            raise ImportFailed(f"{fmt}: {exc}") from None
    if message := outcome_message(fmt, problems, bool(items)):
        if not items:
            raise ImportFailed(message)
        raise PartlyImported(message, items)
    return items


def left_out(n: int, title: str, why: Exception | str) -> str:
    return f"item {n} ({_clip(title, 60)!r}) left out: {why}"


def outcome_message(fmt: str, problems: list[str], any_items: bool) -> str:
    """The one line an input's import reports ("" when all went well)."""
    if problems:
        if not any_items:
            return f"{fmt}: {'; '.join(problems)}; nothing could be imported"
        return f"{fmt}: {'; '.join(problems)}"
    if not any_items:
        return f"{fmt}: no articles found"
    return ""


_ONE_LINE_FIELDS = (
    "title",
    "source",
    "publisher",
    "url",
    "language",
    "author",
    "photo_credit",
    "origin",
)


def clean_metadata(item: ParsedArticle) -> ParsedArticle:
    """Every metadata field through the one sanitiser: a feed's `<link>` or `language` is as
    untrusted as its text (an OSC 52 in a URL once wrote the terminal's clipboard)."""
    for name in _ONE_LINE_FIELDS:
        setattr(item, name, clean_field(getattr(item, name) or ""))
    item.tags = [t for t in (clean_field(t) for t in item.tags) if t]
    return item


def fit_to_caps(item: ParsedArticle) -> ParsedArticle:
    """The article with long paragraphs cut into passages and a long title shortened;
    ValueError (saying which cap, and by how much) when it is too big to be an article."""
    chars = sum(len(t) for _, t in item.paragraphs)
    if chars > MAX_ARTICLE_CHARS:
        raise ValueError(
            f"too long for one article ({chars:,} characters of text; "
            f"the limit is {MAX_ARTICLE_CHARS:,})"
        )
    if any(len(t) > MAX_PASSAGE_CHARS for _, t in item.paragraphs):
        item.paragraphs = [
            (heading, piece)
            for heading, text in item.paragraphs
            for piece in split_long(text, MAX_PASSAGE_CHARS)
        ]
    if len(item.paragraphs) > MAX_PASSAGES:
        raise ValueError(
            f"too many paragraphs for one article ({len(item.paragraphs):,}; "
            f"the limit is {MAX_PASSAGES:,})"
        )
    if len(item.title) > MAX_TITLE_CHARS:
        item.title = headline_of(item.title, MAX_TITLE_CHARS)
    return item


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_article(parsed: ParsedArticle, imported_at: str) -> tuple[Article, list[Passage]]:
    article, passages = article_docs(parsed, imported_at)
    return Article(**article), [Passage(**p) for p in passages]


def article_docs(
    parsed: ParsedArticle, imported_at: str, tidy: Callable[[str], str] = tidy_line
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`to_article` as the book stores it (`Article.to_dict()`, `Passage.to_dict()`): what a
    worker process hands back, without building objects only to take them apart. `tidy`:
    how paragraphs are tidied (`str` for a feed's, which `html_paragraphs` tidied and
    `fit_to_caps` only cut at spaces)."""
    aid = parsed.article_id()
    passages = [
        {
            "id": passage_id(aid, i),
            "article_id": aid,
            "index": i,
            "text": tidy(text),
            "heading": tidy(heading) if heading else "",
        }
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
    return dict(vars(article)), passages


@dataclass
class Built:
    """One article as the book stores it, and its tags (made in a worker process)."""

    article: dict[str, Any]
    passages: bytes
    """Its passages as the library file holds them, one a line (`store.PassagesIn`): a
    worker's result crosses to this process as one string, not 30 dicts."""
    tags: list[str]
    size: int
    """Bytes of passages: what holding it costs."""

    def passage_list(self) -> list[Passage]:
        return [Passage.from_dict(orjson.loads(line)) for line in self.passages.split(b"\n")]


def built(item: ParsedArticle, imported_at: str, tidy: Callable[[str], str] = tidy_line) -> Built:
    article, passages = article_docs(item, imported_at, tidy)
    # One dumps for the list, cut between its items: `},{"id":"` cannot occur inside a
    # JSON string (its quotes would be escaped), so each cut is between two passages.
    blob = orjson.dumps(passages)[1:-1].replace(b'},{"id":"', b'}\n{"id":"')
    return Built(article, blob, [t for t in item.tags if t], len(blob))


def build_chunk(
    raws: list[Any], meta: FeedMeta, origin: str, imported_at: str
) -> list[Built | tuple[str, str] | None]:
    """Feed items (RawItems, as such or as plain tuples, or JSON Feed items) made into
    articles (runs in a worker process): per item a Built, or (title, why) for an item over
    the size caps, or None for one that is no article."""
    out: list[Built | tuple[str, str] | None] = []
    for raw in raws:
        if isinstance(raw, tuple):
            item = build_item(RawItem._make(raw), meta, origin)
        else:
            item = json_feed_item(raw, meta, origin)
        if item is None:
            out.append(None)
            continue
        clean_metadata(item)
        try:
            out.append(built(fit_to_caps(item), imported_at, str))
        except ValueError as exc:
            out.append((item.title, str(exc)))
    return out


@dataclass
class Outcome:
    """What one input gave: its articles as stored, or a brief document; `failure` is the
    line to report (why it failed, or what of it was left out)."""

    items: list[Built] = field(default_factory=list)
    brief: BriefDocument | None = None
    failure: str = ""


def parse_whole(src: Source, today: dt.date | None, imported_at: str) -> Outcome:
    """`parse_source` made into what the book stores (runs in a worker process)."""
    try:
        parsed = parse_source(src, today)
    except PartlyImported as exc:
        return Outcome([built(i, imported_at) for i in exc.items], failure=str(exc))
    except ImportFailed as exc:
        return Outcome(failure=str(exc))
    if parsed and isinstance(parsed[0], BriefDocument):
        return Outcome(brief=parsed[0])
    return Outcome([built(i, imported_at) for i in parsed if isinstance(i, ParsedArticle)])
