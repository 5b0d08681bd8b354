"""Import inputs into a book and file them into a brief."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from briefing import sectioning
from briefing.briefs import ensure_brief, now_iso
from briefing.errors import ImportFailed
from briefing.importing import (
    ImportReport,
    PartlyImported,
    Source,
    parse_source,
    to_article,
)
from briefing.importing.brief_json import BriefDocument, import_brief_document
from briefing.model import Article, Brief, ParsedArticle, Passage
from briefing.store import Book, ImportJournal

Progress = Callable[[int, int, str], None]
"""(done, total, current input name)"""

BATCH = 500
"""Articles stored per write: big imports rewrite the library files once per batch."""


def import_sources(
    book: Book,
    sources: Iterable[Source],
    *,
    brief_id: str | None = None,
    tags: list[str] | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    report = ImportReport()
    srcs = list(sources)
    brief = ensure_brief(book, brief_id) if brief_id else None
    with book.import_transaction(brief.id if brief else None) as journal:
        _run(book, srcs, brief, tags, progress, today, report, journal)
    return report


def _run(
    book: Book,
    srcs: list[Source],
    brief: Brief | None,
    tags: list[str] | None,
    progress: Progress | None,
    today: dt.date | None,
    report: ImportReport,
    journal: ImportJournal,
) -> None:
    """The import itself, inside one transaction: every article id goes into the journal
    before the article is written."""
    seen: set[str] = set()
    """Articles met in this run (the book answers for the rest, one small shard at a time)."""
    pending: list[tuple[Article, list[Passage]]] = []
    pending_tags: dict[str, list[str]] = {}
    to_file: list[Passage] = []
    stamp = now_iso()

    def flush() -> None:
        added = book.add_articles(pending, journal)
        # Another process may have imported some of them meanwhile (two imports of one
        # folder): those are reported as already in the book, not as imported twice.
        late = [a for a, _ in pending if a.id not in added]
        if late:
            gone = {a.id for a in late}
            report.added[:] = [a for a in report.added if a.id not in gone]
            report.skipped += [a.title for a in late]
        book.add_article_tags(pending_tags)
        pending.clear()
        pending_tags.clear()

    for n, src in enumerate(srcs):
        if progress:
            progress(n, len(srcs), src.name)
        try:
            parsed = parse_source(src, today)
        except PartlyImported as exc:  # a damaged feed: its complete items still come in
            report.failed.append((src.name, str(exc)))
            parsed = exc.items
        except ImportFailed as exc:
            report.failed.append((src.name, str(exc)))
            continue
        if parsed and isinstance(parsed[0], BriefDocument):
            try:
                journal.add(  # only the new ones: a rollback must not remove what was there
                    aid
                    for a in parsed[0].doc.get("articles", [])
                    if isinstance(a, dict)
                    and (aid := str(a.get("id", "")))
                    and not book.has_article(aid)
                )
                added, filed = import_brief_document(book, parsed[0], stamp)
            except ImportFailed as exc:
                report.failed.append((src.name, str(exc)))
                continue
            report.added += added
            report.filed += filed
            seen.update(a.id for a in added)
            continue
        for item in parsed:
            assert isinstance(item, ParsedArticle)
            for t in tags or []:
                if t not in item.tags:
                    item.tags.append(t)
            article, passages = to_article(item, stamp)
            if article.id in seen or book.has_article(article.id):
                report.skipped.append(article.title)
                if brief:  # an earlier import may have stopped before filing
                    to_file.extend(book.passages([article.id]))
                continue
            seen.add(article.id)
            pending.append((article, passages))
            if item.tags:
                pending_tags[article.id] = [t for t in item.tags if t]
            report.added.append(article)
            if brief:
                to_file.extend(passages)
        if len(pending) >= BATCH:
            flush()
    flush()
    if progress:
        progress(len(srcs), len(srcs), "")
    if brief and to_file:
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
        report.unsorted += sum(1 for _, sid in new if sid == sectioning.UNSORTED)
        report.filed += len(new) - report.unsorted
