"""Feed subscriptions: follow a feed, fetch only what changed, import what is new.

A subscription is a feed URL with where its items go (a brief, tags) and how often it is
due. `refresh` fetches the due feeds concurrently, at most `PER_HOST` at a time from one
host, each with the ETag and Last-Modified the server gave last time: a feed that has not
changed answers 304 and costs nothing, and items already in the book are skipped by the
import as always. A failure backs off (twice the interval per failure in a row, at most a
day); a server that answers 429 or 503 with `Retry-After` is not asked again before then.
Each feed's status (last success, last error, items new) is kept in the book's
`feeds.json`, so `feeds list` shows it and a crontab line can run `feeds refresh --due`.
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

from briefing.briefs import ensure_brief
from briefing.errors import ImportFailed, NotFound, UsageError
from briefing.importing import MAX_BYTES, Source
from briefing.importing.fetch import Fetched, Refused, client, get, is_url
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
    book: Book, url: str, brief: str | None, tags: list[str], every: int = EVERY
) -> Subscription:
    """Follow a feed (again, with new settings, if it is followed already)."""
    if not is_url(url):
        raise UsageError(f"{url!r}: a feed to follow is an http(s) URL")
    if brief is not None:
        ensure_brief(book, brief)  # as import does: made from the template of that id
    made: list[Subscription] = []

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        old = Subscription.from_dict(feeds[url]) if url in feeds else Subscription(url)
        old.brief, old.tags, old.every = brief, list(tags), every
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


Progress = Callable[[int, int, str], None]


def refresh(
    book: Book,
    urls: list[str] | None = None,
    *,
    due_only: bool = False,
    progress: Progress | None = None,
    now: float | None = None,
) -> list[Refreshed]:
    """Fetch the subscriptions (these `urls`, or the due ones, or all) and import what is
    new into each one's brief. One line of result per feed; nothing here raises for a feed."""
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
        for (brief, tags), group in groups.items():
            if progress:
                progress(len(subs), len(subs), f"importing {len(group)} feeds")
            sources = []
            for sub in group:
                got = fetched[sub.url]
                assert isinstance(got, Fetched) and got.path is not None
                sources.append(Source(sub.url, path=got.path, url=got.url))
            report = import_sources(book, sources, brief_id=brief, tags=list(tags))
            added: dict[str, int] = {}
            for a in report.added:
                added[a.origin] = added.get(a.origin, 0) + 1
            failed = dict(report.failed)
            for sub in group:
                result = results[sub.url]
                result.added = sub.new = added.get(sub.url, 0)
                if sub.url in failed:
                    result.error = failed[sub.url]
                    sub.last_error = f"{_now_iso()} {result.error}"

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        for sub in subs:
            if sub.url in feeds:  # not removed meanwhile
                feeds[sub.url] = asdict(sub)

    book.update_feeds(change)
    return [results[s.url] for s in subs]


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
