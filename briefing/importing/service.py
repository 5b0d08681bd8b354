"""Import inputs into a book and file them into a brief.

The work is split three ways, so that an import uses every core and holds little: this
process lists the inputs, reads a large feed item by item (`FeedStream`) and writes; worker
processes (`parallel.Pool`) turn inputs, or chunks of a feed's items, into what the book
stores (HTML extraction, paragraphs, cleaning, ids); results come back in input order, so
ids and the order of the library do not depend on timing. Small imports stay in this
process: starting workers costs more than they would save.

Articles are written in batches bounded by the text they hold (`BATCH_BYTES`), not by their
number: each batch rewrites the library shards it touches (up to 256 pairs), so fewer,
larger batches write less, while memory stays bounded however long the feed is.

Feed items that a drop rule matches (the config's, and the target brief's template's: see
`filters`) are counted in the report and go no further: not stored, not filed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from briefing import sectioning
from briefing.briefs import ensure_brief, now_iso
from briefing.errors import ImportFailed
from briefing.importing import (
    MAX_BYTES,
    Built,
    ImportReport,
    Outcome,
    Source,
    build_chunk,
    feed_stream,
    left_out,
    outcome_message,
    parse_whole,
)
from briefing.importing.brief_json import BriefDocument, import_brief_document
from briefing.importing.feed import RawItem, damage_message
from briefing.importing.filters import DropRules, configured
from briefing.importing.parallel import Pool, in_process
from briefing.importing.stream import FeedFallback, FeedStream, JsonFeedStream
from briefing.model import Article, Brief, Passage
from briefing.store import Book, ImportJournal

Progress = Callable[[int, int, str], None]
"""(done, total, current input name)"""

BATCH_BYTES = 96_000_000
"""Bytes of passages (as stored) held before they are written: a batch's memory."""
BATCH_ARTICLES = 20_000
"""Nor more articles than this in one batch (metadata adds up too)."""
STREAM_BYTES = 2 * 1024 * 1024
"""A feed this large is read here item by item, its items made into articles by the
workers in chunks; a smaller input is parsed whole by one worker (or here)."""
CHUNK_ITEMS = 48
"""Feed items per task sent to a worker."""
CHUNK_BYTES = 512 * 1024
"""Nor more body text than this per task."""
POOL_BYTES = 1024 * 1024
"""Inputs parsed whole use the workers when there are at least two and they hold this
much (or two HTML pages: extraction is slow)."""
TICK = 0.2
"""Seconds between two progress reports inside one input."""


def import_sources(
    book: Book,
    sources: Iterable[Source],
    *,
    brief_id: str | None = None,
    tags: list[str] | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    feed_progress: Progress | None = None,
    drop: DropRules | None = None,
) -> ImportReport:
    """Import the inputs (all or nothing: see `Book.import_transaction`).

    `drop`: the rules that leave feed items out; None (the default) for the ones the user
    configured for this brief (`filters.configured`: wherever feed items come from, the
    same rules), `filters.NONE` for none. Rules that could not be read are in
    `report.warnings`.

    `progress(done, total, name)` is called before each input and, for a large feed, again
    every `TICK` seconds while it is read (the same values: a caller that cancels by
    raising from it can stop a long feed). `feed_progress(bytes read, bytes in all, name)`
    reports the reading of a large feed itself, for a bar that moves within one input."""
    report = ImportReport()
    srcs = list(sources)
    brief = ensure_brief(book, brief_id) if brief_id else None
    if drop is None:
        drop = configured(book, brief.id if brief else None)
    report.warnings += drop.warnings
    with tempfile.TemporaryDirectory(prefix="briefing-fetch-") as downloads:
        srcs = _fetch_urls(srcs, Path(downloads), progress)  # before the book is locked
        pool = Pool()
        try:
            with book.import_transaction(brief.id if brief else None) as journal:
                run = _Run(book, brief, tags or [], today, report, journal, pool, drop)
                run.run(srcs, progress, feed_progress)
        finally:
            pool.close()
    return report


def _fetch_urls(srcs: list[Source], folder: Path, progress: Progress | None) -> list[Source]:
    """URL inputs downloaded into `folder` (a failure stays as the input's problem)."""
    if not any(s.url and s.path is None and not s.problem for s in srcs):
        return srcs
    from briefing.importing.fetch import fetch

    out = []
    for n, src in enumerate(srcs):
        if src.url and src.path is None and not src.problem:
            if progress:
                progress(n, len(srcs), f"fetching {src.name}")
            try:
                path, final = fetch(src.url, folder, MAX_BYTES)
                src = Source(src.name, path=path, url=final)
            except ImportFailed as exc:
                src = Source(src.name, problem=str(exc), url=src.url)
        out.append(src)
    return out


class _Run:
    """One import, inside its transaction: every article id goes into the journal before
    the article is written (`Book.add_articles`)."""

    def __init__(
        self,
        book: Book,
        brief: Brief | None,
        tags: list[str],
        today: dt.date | None,
        report: ImportReport,
        journal: ImportJournal,
        pool: Pool,
        drop: DropRules,
    ) -> None:
        self.book, self.brief, self.tags, self.today = book, brief, tags, today
        self.report, self.journal, self.pool, self.drop = report, journal, pool, drop
        self.seen: set[str] = set()
        """Articles met in this run (the book answers for the rest, one small shard at a time)."""
        self.in_book: dict[str, set[str]] = {}
        """The book's article ids per shard, read once (an article another process adds
        meanwhile is caught by `Book.add_articles` and reported as already there)."""
        self.pending: list[tuple[Article, bytes]] = []
        self.pending_tags: dict[str, list[str]] = {}
        self.pending_bytes = 0
        self.to_file: list[Passage] = []
        self.stamp = now_iso()

    # -- the inputs ----------------------------------------------------------------------------

    def run(self, srcs: list[Source], progress: Progress | None, within: Progress | None) -> None:
        streams = {i: s for i, src in enumerate(srcs) if (s := self._stream(src)) is not None}
        whole = [src for i, src in enumerate(srcs) if i not in streams]
        outcomes = self._outcomes(whole)
        for n, src in enumerate(srcs):
            step = _step(progress, n, len(srcs), src.name)
            step()
            if n in streams:
                self._read_feed(src, streams[n], step, within)
            else:
                self._take_outcome(src, next(outcomes))
        self.flush()
        if progress:
            progress(len(srcs), len(srcs), "")
        self._file()

    def _stream(self, src: Source) -> FeedStream | JsonFeedStream | None:
        """A large feed as a stream of items; None for anything else (parsed whole)."""
        if src.problem or src.size() < STREAM_BYTES:
            return None
        try:
            return feed_stream(src, json_from=STREAM_BYTES)
        except (FeedFallback, ImportFailed):
            return None  # feedparser reads it whole, or reading it says why it cannot

    def _outcomes(self, whole: list[Source]) -> Iterator[Outcome]:
        tasks = ((src, self.today, self.stamp) for src in whole)
        pages = sum(1 for s in whole if s.name.lower().endswith((".html", ".htm")))
        worth = len(whole) >= 2 and (sum(s.size() for s in whole) >= POOL_BYTES or pages >= 2)
        if worth and self.pool.active:
            return self.pool.ordered(parse_whole, tasks)
        return in_process(parse_whole, tasks)

    def _take_outcome(self, src: Source, outcome: Outcome) -> None:
        if outcome.failure:
            self.report.failed.append((src.name, outcome.failure))
        if outcome.brief is not None:
            self._take_brief(src, outcome.brief)
            return
        for item in outcome.items:
            self.take(item)

    def _take_brief(self, src: Source, doc: BriefDocument) -> None:
        try:
            self.journal.add(  # only the new ones: a rollback must not remove what was there
                aid
                for a in doc.doc.get("articles", [])
                if isinstance(a, dict)
                and (aid := str(a.get("id", "")))
                and not self.book.has_article(aid)
            )
            added, filed = import_brief_document(self.book, doc, self.stamp)
        except ImportFailed as exc:
            self.report.failed.append((src.name, str(exc)))
            return
        self.report.added += added
        self.report.filed += filed
        self.seen.update(a.id for a in added)

    def _read_feed(
        self,
        src: Source,
        stream: FeedStream | JsonFeedStream,
        tick: Callable[[], None],
        within: Progress | None,
    ) -> None:
        """A large feed, its items made into articles by the workers chunk by chunk."""
        tasks = (
            (chunk, dataclasses.replace(stream.meta), src.name, self.stamp)
            for chunk in _chunks(stream)
        )
        results = self.pool.ordered(build_chunk, tasks) if self.pool.active else None
        problems: list[str] = []
        items = ok = 0
        last = time.monotonic()
        try:
            for chunk in results or in_process(build_chunk, tasks):
                for result in chunk:
                    if result is None:
                        continue
                    items += 1
                    if isinstance(result, Built):
                        ok += 1
                        self.take(result)
                    else:
                        problems.append(left_out(items, *result))
                if time.monotonic() - last >= TICK:
                    last = time.monotonic()
                    tick()
                    if within:
                        within(stream.done, stream.total, src.name)
        except OSError as exc:
            self.report.failed.append((src.name, f"{stream.fmt}: {exc.strerror or exc}"))
            return
        if stream.damage:
            problems.insert(0, damage_message(*stream.damage))
        if message := outcome_message(stream.fmt, problems, ok > 0):
            self.report.failed.append((src.name, message))
        if within:
            within(stream.total, stream.total, src.name)

    # -- articles -------------------------------------------------------------------------------

    def take(self, item: Built) -> None:
        doc = item.article
        if self.drop and self.drop.drops(doc):
            origin = str(doc.get("origin", ""))
            self.report.dropped[origin] = self.report.dropped.get(origin, 0) + 1
            return
        for name in _SHARED_FIELDS:  # one string for all of a feed's articles, not one each
            if isinstance(value := doc.get(name), str):
                doc[name] = sys.intern(value)
        article = Article(**doc)
        item_tags = item.tags + [t for t in self.tags if t not in item.tags]
        if article.id in self.seen or self._in_book(article.id):
            self.report.skipped.append(article.title)
            if self.brief:  # an earlier import may have stopped before filing
                self.to_file.extend(self.book.passages([article.id]))
            return
        self.seen.add(article.id)
        self.pending.append((article, item.passages))
        if item_tags:
            self.pending_tags[article.id] = item_tags
        self.report.added.append(article)
        if self.brief:
            self.to_file.extend(item.passage_list())
        self.pending_bytes += item.size
        if self.pending_bytes >= BATCH_BYTES or len(self.pending) >= BATCH_ARTICLES:
            self.flush()

    def _in_book(self, aid: str) -> bool:
        key = aid[:2]
        if key not in self.in_book:
            self.in_book[key] = self.book.shard_article_ids(key)
        return aid in self.in_book[key]

    def flush(self) -> None:
        if not self.pending:
            return
        added = self.book.add_articles(self.pending, self.journal)
        # Another process may have imported some of them meanwhile (two imports of one
        # folder): those are reported as already in the book, not as imported twice.
        late = [a for a, _ in self.pending if a.id not in added]
        if late:
            gone = {a.id for a in late}
            self.report.added[:] = [a for a in self.report.added if a.id not in gone]
            self.report.skipped += [a.title for a in late]
        self.book.add_article_tags(self.pending_tags)
        self.pending.clear()
        self.pending_tags.clear()
        self.pending_bytes = 0

    def _file(self) -> None:
        brief, to_file, book = self.brief, self.to_file, self.book
        if not brief or not to_file:
            return
        placed = sectioning.file_passages(brief, to_file)
        arts = [
            a for aid in dict.fromkeys(p.article_id for p in to_file) if (a := book.article(aid))
        ]
        before = {f.passage_id for f in book.filings(brief.id)}
        book.update_filings(
            brief.id,
            lambda cur: sectioning.add_filings(cur, placed),
            new_passages=to_file,
            new_articles=arts,
        )
        new = [(p, sid) for p, sid in placed if p.id not in before]
        self.report.unsorted += sum(1 for _, sid in new if sid == sectioning.UNSORTED)
        self.report.filed += len(new) - self.report.unsorted


_SHARED_FIELDS = ("source", "publisher", "language", "format", "origin", "imported_at")
"""Article fields most of an import's articles share: the report keeps every article."""


def _json_size(item: object) -> int:
    if not isinstance(item, dict):
        return 0
    return sum(len(v) for v in item.values() if isinstance(v, str))


def _step(progress: Progress | None, n: int, total: int, name: str) -> Callable[[], None]:
    def step() -> None:
        if progress:
            progress(n, total, name)

    return step


def _chunks(stream: FeedStream | JsonFeedStream) -> Iterator[list[Any]]:
    """A feed's items in lists of at most `CHUNK_ITEMS` items and about `CHUNK_BYTES` of
    text (one task for a worker each)."""
    chunk: list[Any] = []
    size = 0
    for raw in stream:
        if isinstance(raw, RawItem):
            chunk.append(tuple(raw))  # a plain tuple pickles in half the time
            size += len(raw.body) + len(raw.xml)
        else:
            chunk.append(raw)
            size += _json_size(raw)
        if len(chunk) >= CHUNK_ITEMS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
