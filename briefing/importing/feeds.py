"""Feed subscriptions: follow a feed, fetch only what changed, import what is new.

A subscription is a feed URL with where its items go (a brief, tags) and how often it is
due. `refresh` fetches the due feeds concurrently, at most `PER_HOST` at a time from one
host, each with the ETag and Last-Modified the server gave last time: a feed that has not
changed answers 304 and costs nothing, and items already in the book are skipped by the
import as always. A failure backs off (twice the interval per failure in a row, at most a
day); a server that answers 429 or 503 with `Retry-After` is not asked again before then.
Each feed's status (last success, last error, items new) is kept in the book's
`feeds.json`, so `feeds list` shows it and a crontab line can run `feeds refresh --due`.

A subscription may name the source of its items (`--source`): an item's source is its own
`<source>`, else that name, else the feed's title. The drop rules (`filters`: the config's
and the brief's template's) leave items out of each refresh; they are counted per feed.
The subscriptions go to and come from other readers as OPML (`import_opml`, `export_opml`;
the format is in `opml`).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.briefs import create_brief, ensure_brief
from briefing.errors import ImportFailed, NotFound, TemplateError, UsageError
from briefing.importing import MAX_BYTES, Source
from briefing.importing.fetch import Fetched, Refused, client, get, is_url
from briefing.importing.filters import DropRules, configured
from briefing.importing.opml import OpmlFeed, parse_opml, write_opml
from briefing.model import passage_id
from briefing.sanitize import clean_field
from briefing.store import Book

EVERY = 30 * 60
"""A new subscription's interval (seconds): every 30 minutes."""
PER_HOST = 2
"""Requests at once to one host: polite, and what most servers allow without a 429."""
WORKERS = 32
"""Requests at once in all."""
MOST_BACKOFF = 24 * 3600


@dataclass
class Subscription:
    url: str
    brief: str | None = None
    tags: list[str] = field(default_factory=list)
    every: int = EVERY
    added: str = ""
    etag: str = ""
    modified: str = ""
    last_ok: str = ""
    last_error: str = ""
    failures: int = 0
    next_due: float = 0.0
    """When it is due again (seconds since the epoch); 0: now."""
    new: int = 0
    """Articles the last refresh that brought anything imported."""
    title: str = ""
    """What the user calls it (from an OPML file; empty: shown by its URL)."""
    source: str = ""
    """The source of its items that do not name their own (`feeds add --source`); empty:
    the feed's title."""
    dropped: int = 0
    """Items the drop rules left out of the last refresh that brought anything."""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Subscription:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})

    def due(self, now: float) -> bool:
        return self.next_due <= now


def parse_every(text: str) -> int:
    """`30m`, `2h`, `1d`, `90s` (or plain minutes) as seconds; at least a minute."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", text.lower())
    if not m:
        raise UsageError(f"--every {text!r}: say how often as 30m, 2h or 1d")
    seconds = int(m[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 60}[m[2]]
    if seconds < 60:
        raise UsageError(f"--every {text!r}: at most once a minute")
    return seconds


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def subscriptions(book: Book) -> list[Subscription]:
    return [Subscription.from_dict(d) for d in book.feeds()]


def add(
    book: Book,
    url: str,
    brief: str | None,
    tags: list[str],
    every: int = EVERY,
    source: str = "",
) -> Subscription:
    """Follow a feed (again, with new settings, if it is followed already). `source`: the
    source of its items that do not name one (else the feed's title)."""
    if not is_url(url):
        raise UsageError(f"{url!r}: a feed to follow is an http(s) URL")
    if brief is not None:
        ensure_brief(book, brief)  # as import does: made from the template of that id
    source = clean_field(source)
    made: list[Subscription] = []

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        old = Subscription.from_dict(feeds[url]) if url in feeds else Subscription(url)
        old.brief, old.tags, old.every, old.source = brief, list(tags), every, source
        old.added = old.added or _now_iso()
        feeds[url] = asdict(old)
        made.append(old)

    book.update_feeds(change)
    return made[0]


def remove(book: Book, url: str) -> None:
    def change(feeds: dict[str, dict[str, Any]]) -> None:
        if url not in feeds:
            known = ", ".join(feeds) or "none"
            raise NotFound(f"no subscription {url!r} (followed: {known})")
        del feeds[url]

    book.update_feeds(change)


@dataclass
class Refreshed:
    url: str
    added: int = 0
    unchanged: bool = False
    error: str = ""
    dropped: int = 0
    """Items the drop rules left out (not imported, only counted)."""


Progress = Callable[[int, int, str], None]


def refresh(
    book: Book,
    urls: list[str] | None = None,
    *,
    due_only: bool = False,
    progress: Progress | None = None,
    now: float | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Refreshed]:
    """Fetch the subscriptions (these `urls`, or the due ones, or all) and import what is
    new into each one's brief, but for what the drop rules leave out. One line of result
    per feed; nothing here raises for a feed. `warn` is told, once each, of drop rules that
    could not be read (a broken config or template: the others still apply)."""
    from briefing.importing.service import import_sources

    now = time.time() if now is None else now
    subs = subscriptions(book)
    if urls:
        missing = [u for u in urls if u not in {s.url for s in subs}]
        if missing:
            raise NotFound(f"not followed: {', '.join(missing)} (see `briefing feeds list`)")
        subs = [s for s in subs if s.url in urls]
    elif due_only:
        subs = [s for s in subs if s.due(now)]
    results: dict[str, Refreshed] = {s.url: Refreshed(s.url) for s in subs}
    asked = {s.url: (s.etag, s.modified) for s in subs}
    with tempfile.TemporaryDirectory(prefix="briefing-feeds-") as tmp:
        fetched = _fetch_all(subs, Path(tmp), progress)
        # Everything that came back is imported in one transaction per (brief, tags): one
        # lock, one journal and one write per shard for the lot, not one per feed.
        groups: dict[tuple[str | None, tuple[str, ...]], list[Subscription]] = {}
        for sub in subs:
            got = fetched[sub.url]
            result = results[sub.url]
            if isinstance(got, ImportFailed):
                result.error = str(got)
                wait = got.retry_after if isinstance(got, Refused) else 0.0
                sub.failures += 1
                sub.last_error = f"{_now_iso()} {got}"
                backoff = min(sub.every * 2 ** min(sub.failures, 10), MOST_BACKOFF)
                sub.next_due = now + max(backoff, wait)
                continue
            sub.etag, sub.modified = got.etag, got.modified
            if got.path is None:
                result.unchanged = True
            else:
                groups.setdefault((sub.brief, tuple(sub.tags)), []).append(sub)
            sub.failures = 0
            sub.last_ok = _now_iso()
            sub.last_error = ""
            sub.next_due = now + sub.every
        rules: dict[str | None, DropRules] = {}
        warned: set[str] = set()
        for (brief, tags), group in groups.items():
            if progress:
                progress(len(subs), len(subs), f"importing {len(group)} feeds")
            sources = []
            for sub in group:
                got = fetched[sub.url]
                assert isinstance(got, Fetched) and got.path is not None
                sources.append(
                    Source(sub.url, path=got.path, url=got.url, default_source=sub.source)
                )
            if brief is not None:
                try:
                    ensure_brief(book, brief)  # removed since? made again, as on `add`
                except (NotFound, TemplateError, UsageError) as exc:
                    for sub in group:  # asked in full next time: nothing of it was read
                        results[sub.url].error = str(exc)
                        sub.last_error = f"{_now_iso()} {exc}"
                        sub.etag, sub.modified = asked[sub.url]
                    continue
            if brief not in rules:
                rules[brief] = configured(book, brief)
            report = import_sources(
                book, sources, brief_id=brief, tags=list(tags), drop=rules[brief]
            )
            for line in report.warnings:
                if warn and line not in warned:
                    warn(line)
                warned.add(line)
            added: dict[str, int] = {}
            for a in report.added:
                added[a.origin] = added.get(a.origin, 0) + 1
            # What a refresh brings is new until read (the TUI's New listing, `list --new`).
            stamp = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond: newest first
            book.update_new(
                {passage_id(a.id, n): stamp for a in report.added for n in range(a.passage_count)}
            )
            failed = dict(report.failed)
            for sub in group:
                result = results[sub.url]
                result.added = sub.new = added.get(sub.url, 0)
                result.dropped = sub.dropped = report.dropped.get(sub.url, 0)
                if sub.url in failed:
                    result.error = failed[sub.url]
                    sub.last_error = f"{_now_iso()} {result.error}"

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        for sub in subs:
            if sub.url in feeds:  # not removed meanwhile
                feeds[sub.url] = asdict(sub)

    book.update_feeds(change)
    return [results[s.url] for s in subs]


# -- OPML -----------------------------------------------------------------------------------------


@dataclass
class OpmlImported:
    """What `import_opml` did."""

    added: list[Subscription] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Feeds followed already: left as they are (their brief, tags and interval kept)."""
    problems: list[str] = field(default_factory=list)
    """One line per feed of the file left out, and why."""


def import_opml(
    book: Book,
    data: bytes,
    *,
    brief: str | None = None,
    tags: list[str] | None = None,
    every: int | None = None,
) -> OpmlImported:
    """Follow every feed of an OPML file (see `opml` for what is read from it) that is not
    followed yet, in one change of the book's subscriptions. `brief` files them all into
    that brief (else each goes where the file says, if briefing wrote it), `tags` are added
    to theirs, `every` replaces the interval the file gives (default: `EVERY`).

    ImportFailed (one line) when the file is not an OPML subscription list; a feed of it
    that cannot be followed (not an http(s) URL, a brief that cannot be made) is a line in
    `problems` and the others are followed."""
    found = parse_opml(data)
    if brief is not None:
        ensure_brief(book, brief)  # as `add` does: the user named it, so it must be there
    done = OpmlImported()
    made: dict[str, str] = {}  # brief → why it cannot be made ("" when it is there now)
    wanted: list[Subscription] = []
    for feed in found:
        name = f"line {feed.line} ({feed.title or feed.url})"
        if not is_url(feed.url):
            done.problems.append(f"{name}: {feed.url!r} is not an http(s) URL; left out")
            continue
        into = brief or feed.brief or None
        if into is not None and into not in made:
            made[into] = _make_brief(book, into, "" if brief else feed.template)
        if into is not None and made[into]:
            done.problems.append(f"{name}: {made[into]}; left out")
            continue
        sub = Subscription(
            feed.url,
            brief=into,
            tags=feed.tags + [t for t in tags or [] if t not in feed.tags],
            every=every or (feed.every if feed.every >= 60 else EVERY),
            title=feed.title,
            source=feed.source,
        )
        wanted.append(sub)
    stamp = _now_iso()

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        done.added.clear()
        done.already.clear()
        for sub in wanted:
            if sub.url in feeds:
                done.already.append(sub.url)
                continue
            sub.added = stamp
            feeds[sub.url] = asdict(sub)
            done.added.append(sub)

    book.update_feeds(change)
    return done


_BRIEF_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def _make_brief(book: Book, brief_id: str, template: str) -> str:
    """Make the brief a feed of an OPML file goes to, if the book has none: from the
    template the file names, else from the template of its id (as `feeds add` does).
    Returns why it cannot be made ("" when it is there)."""
    if not _BRIEF_ID.fullmatch(brief_id):  # the file's word: never a path in the book
        return f"brief id {brief_id[:80]!r}: not lower-case letters, digits and '-'"
    try:
        if template and book.brief(brief_id, missing_ok=True) is None:
            try:
                create_brief(book, template, brief_id=brief_id)
                return ""
            except NotFound:
                pass  # that template is not here: perhaps one of the brief's own id is
        ensure_brief(book, brief_id)
    except (NotFound, TemplateError, UsageError) as exc:
        return str(exc)
    return ""


def export_opml(book: Book) -> tuple[bytes, int]:
    """The subscriptions as an OPML 2.0 document (see `opml`), and how many there are."""
    subs = subscriptions(book)
    templates: dict[str, str] = {}
    for sub in subs:
        if sub.brief and sub.brief not in templates:
            found = book.brief(sub.brief, missing_ok=True)
            templates[sub.brief] = found.template if found else ""
    feeds = [
        OpmlFeed(
            url=sub.url,
            title=sub.title,
            tags=list(sub.tags),
            brief=sub.brief or "",
            template=templates.get(sub.brief or "", ""),
            every=sub.every,
            source=sub.source,
        )
        for sub in subs
    ]
    return write_opml(feeds), len(feeds)


def _fetch_all(
    subs: list[Subscription], folder: Path, progress: Progress | None
) -> dict[str, Fetched | ImportFailed]:
    """Every feed fetched (conditionally), many at once but at most PER_HOST per host."""
    hosts: dict[str, threading.Semaphore] = {}
    for s in subs:
        hosts.setdefault(urlsplit(s.url).netloc.lower(), threading.Semaphore(PER_HOST))
    done = [0]
    lock = threading.Lock()

    def one(sub: Subscription) -> Fetched | ImportFailed:
        with hosts[urlsplit(sub.url).netloc.lower()]:
            try:
                return get(
                    sub.url,
                    folder,
                    MAX_BYTES,
                    etag=sub.etag,
                    modified=sub.modified,
                    session=http,
                )
            except ImportFailed as exc:
                return exc
            finally:
                with lock:
                    done[0] += 1
                    if progress:
                        progress(done[0], len(subs), f"fetched {sub.url}")

    if not subs:
        return {}
    with client(WORKERS) as http, ThreadPoolExecutor(min(WORKERS, len(subs))) as pool:
        return dict(zip((s.url for s in subs), pool.map(one, subs), strict=True))
