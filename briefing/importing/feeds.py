"""Feed subscriptions: follow a feed, fetch only what changed, import what is new.

A subscription is a feed URL with where its items go (a brief, tags) and how often it is
due. `refresh` fetches the due feeds concurrently, at most `PER_HOST` at a time from one
host, each with the ETag and Last-Modified the server gave last time: a feed that has not
changed answers 304 and costs nothing, and items already in the book are skipped by the
import as always. A failure backs off (twice the interval per failure in a row, at most a
day); a server that answers 429 or 503 with `Retry-After` is not asked again before then
(at most a day either). A feed whose body cannot be imported is a failure like any other,
and its new ETag and Last-Modified are not kept, so the next refresh asks for it in full.
Each feed's status (last success, last error, items new) is kept in the book's
`feeds.json`, so `feeds list` shows it and a crontab line can run `feeds refresh --due`;
that file may be old or edited by hand, so what is wrongly typed in it reads as the
default (`Subscription.from_dict`), never as an error.

A feed is known by its URL with the scheme and host in lower case (`normal_url`):
`HTTP://Example.org/feed` is `http://example.org/feed`, wherever a URL is given.

A subscription may name the source of its items (`--source`): an item's source is its own
`<source>`, else that name, else the feed's title. The drop rules (`filters`: the config's
and the brief's template's) leave items out of each refresh; they are counted per feed.
The subscriptions go to and come from other readers as OPML (`import_opml`, `export_opml`;
the format is in `opml`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.briefs import create_brief, ensure_brief
from briefing.errors import ImportFailed, NotFound, TemplateError, UsageError
from briefing.importing import MAX_BYTES, Source
from briefing.importing.fetch import (
    Fetched,
    Refused,
    client,
    get,
    is_url,
    normal_url,
    validator,
)
from briefing.importing.filters import DropRules, configured
from briefing.importing.opml import OpmlFeed, read_opml, write_opml
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
"""The longest a failing feed is left alone (a day), whatever the server said."""
MOST_EVERY = 366 * 86400
"""The longest interval (a year): beyond it a feed is not followed but forgotten."""


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
        """A subscription as `feeds.json` keeps it. The file may be old or edited by hand:
        a field missing, of the wrong type or out of range reads as its default (a bad
        `next_due`: due now), so that listing and refreshing never fail on it."""
        sub = cls(str(d.get("url", "")))
        for f in fields(cls):
            if f.name != "url" and f.name in d:
                setattr(sub, f.name, _fit(f.name, d[f.name], getattr(sub, f.name)))
        return sub

    def due(self, now: float) -> bool:
        return not math.isfinite(self.next_due) or self.next_due <= now


def _fit(name: str, value: Any, default: Any) -> Any:
    """`value` for the field `name` of a Subscription if it is a sound one, else `default`."""
    if name == "brief":
        return value if isinstance(value, str) and value else None
    if name == "tags":
        return [t for t in value if isinstance(t, str) and t] if isinstance(value, list) else []
    if name in ("etag", "modified"):  # sent back as a header: must be one httpx can send
        return validator(value) if isinstance(value, str) else ""
    if isinstance(default, str):
        return value if isinstance(value, str) else default
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if not math.isfinite(value) or value < 0:
        return default
    if name == "next_due":
        return float(value)
    if name == "every":
        return min(max(int(value), 60), MOST_EVERY) if value else default
    return int(min(value, 1 << 31))


def parse_every(text: str) -> int:
    """`30m`, `2h`, `1d`, `90s` (or plain minutes) as seconds; a minute to a year."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", text.lower())
    if not m:
        raise UsageError(f"--every {text!r}: say how often as 30m, 2h or 1d")
    if len(m[1].lstrip("0")) > 12:
        raise UsageError(f"--every {text[:40]!r}: at least once a year (366d)")
    seconds = int(m[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 60}[m[2]]
    if seconds < 60:
        raise UsageError(f"--every {text!r}: at most once a minute")
    if seconds > MOST_EVERY:
        raise UsageError(f"--every {text!r}: at least once a year (366d)")
    return seconds


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def subscriptions(book: Book) -> list[Subscription]:
    """The followed feeds, in the order they were added (an entry of `feeds.json` that is
    not a subscription at all, without a URL, is passed over)."""
    return [
        Subscription.from_dict(d)
        for d in book.feeds()
        if isinstance(d, dict) and isinstance(d.get("url"), str) and d["url"]
    ]


def _known(feeds: dict[str, Any], url: str) -> list[str]:
    """The keys of `feeds` that are `url` (the same but for the case of scheme and host)."""
    want = normal_url(url)
    if want in feeds:
        return [want] + [k for k in feeds if k != want and normal_url(k) == want]
    return [k for k in feeds if normal_url(k) == want]


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
    url = normal_url(url)
    if brief is not None:
        ensure_brief(book, brief)  # as import does: made from the template of that id
    source = clean_field(source)
    made: list[Subscription] = []

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        known = _known(feeds, url)  # followed already, perhaps as `HTTP://Host/...`
        old = Subscription.from_dict(feeds[known[0]]) if known else Subscription(url)
        for key in known:
            del feeds[key]
        old.url = url
        old.brief, old.tags, old.every, old.source = brief, list(tags), every, source
        old.added = old.added or _now_iso()
        feeds[url] = asdict(old)
        made.append(old)

    book.update_feeds(change)
    return made[0]


@dataclass
class Removed:
    """What `remove` did."""

    removed: list[str] = field(default_factory=list)
    """The URLs no longer followed."""
    missing: list[str] = field(default_factory=list)
    """One line per URL given that is not followed (with the closest that are)."""


CLOSEST = 3
"""How many followed feeds a mistyped URL's message names."""


def remove(book: Book, urls: list[str] | None, *, every: bool = False) -> Removed:
    """Stop following these feeds (`every`: all of them), in one change; a URL that is not
    followed is a line in `missing` (naming at most `CLOSEST` followed feeds like it, never
    the whole list) and the others are removed. Their articles stay in the book."""
    done = Removed()

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        done.removed.clear()
        done.missing.clear()
        if every:
            done.removed.extend(feeds)
            feeds.clear()
            return
        for url in urls or []:
            known = _known(feeds, url)
            if not known:
                done.missing.append(_not_followed(url, list(feeds)))
            for key in known:
                del feeds[key]
                done.removed.append(key)

    book.update_feeds(change)
    return done


def _not_followed(url: str, followed: list[str]) -> str:
    """One line: `url` is not followed; the few followed feeds most like it, and how many
    there are (a book may follow ten thousand)."""
    if not followed:
        return f"no subscription {url[:300]!r} (no feeds are followed)"
    want = normal_url(url)
    close = difflib.get_close_matches(want, followed, n=CLOSEST, cutoff=0.6)
    like = f"closest: {', '.join(close)}; " if close else ""
    return (
        f"no subscription {url[:300]!r} ({like}{len(followed):,} followed: `briefing feeds list`)"
    )


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

    now = time.time() if now is None else now
    subs = subscriptions(book)
    if urls:
        followed = {normal_url(s.url) for s in subs}
        missing = [u for u in urls if normal_url(u) not in followed]
        if missing:
            shown = ", ".join(u[:300] for u in missing[:CLOSEST])
            more = f" and {len(missing) - CLOSEST:,} more" if len(missing) > CLOSEST else ""
            raise NotFound(f"not followed: {shown}{more} (see `briefing feeds list`)")
        wanted = {normal_url(u) for u in urls}
        subs = [s for s in subs if normal_url(s.url) in wanted]
    elif due_only:
        subs = [s for s in subs if s.due(now)]
    results: dict[str, Refreshed] = {s.url: Refreshed(s.url) for s in subs}
    by_url = {s.url: s for s in subs}
    importing = _Importing(book, results, now, warn)
    with tempfile.TemporaryDirectory(prefix="briefing-feeds-") as tmp:
        # What has come back is imported while the rest is still on its way (a slow host's
        # feeds arrive last): the import of the many overlaps the wait for the few. Each
        # wave is one transaction per (brief, tags) — one lock, one journal, one write per
        # shard for the lot, not one per feed.
        for wave in _fetch_waves(subs, Path(tmp), progress):
            groups: dict[tuple[str | None, tuple[str, ...]], list[Subscription]] = {}
            for url, got in wave.items():
                sub, result = by_url[url], results[url]
                if isinstance(got, ImportFailed):
                    result.error = str(got)
                    wait = got.retry_after if isinstance(got, Refused) else 0
                    _failed(sub, result.error, now, wait)
                elif got.path is None:
                    result.unchanged = True
                    _succeeded(sub, got, now)
                else:  # how it went is known once it is imported: its state is set then
                    groups.setdefault((sub.brief, tuple(sub.tags)), []).append(sub)
            for (brief, tags), group in groups.items():
                if progress:
                    progress(len(subs), len(subs), f"importing {len(group)} feeds")
                importing.group(brief, list(tags), group, wave)

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        for sub in subs:
            if sub.url in feeds:  # not removed meanwhile
                feeds[sub.url] = asdict(sub)

    book.update_feeds(change)
    return [results[s.url] for s in subs]


class _Importing:
    """Imports what feeds sent into their briefs and sets each feed's state from how it
    went; the drop rules of a brief are read once per refresh."""

    def __init__(
        self,
        book: Book,
        results: dict[str, Refreshed],
        now: float,
        warn: Callable[[str], None] | None,
    ) -> None:
        self.book, self.results, self.now, self.warn = book, results, now, warn
        self.rules: dict[str | None, DropRules] = {}
        self.warned: set[str] = set()

    def group(
        self,
        brief: str | None,
        tags: list[str],
        group: list[Subscription],
        fetched: dict[str, Fetched | ImportFailed],
    ) -> None:
        from briefing.importing.service import import_sources

        book, results, now = self.book, self.results, self.now
        sources = []
        for sub in group:
            got = fetched[sub.url]
            assert isinstance(got, Fetched) and got.path is not None
            sources.append(Source(sub.url, path=got.path, url=got.url, default_source=sub.source))
        if brief is not None:
            try:
                ensure_brief(book, brief)  # removed since? made again, as on `add`
            except (NotFound, TemplateError, UsageError) as exc:
                for sub in group:  # asked in full next time: nothing of it was read
                    results[sub.url].error = str(exc)
                    _failed(sub, str(exc), now)
                return
        if brief not in self.rules:
            self.rules[brief] = configured(book, brief)
        report = import_sources(book, sources, brief_id=brief, tags=tags, drop=self.rules[brief])
        for line in report.warnings:
            if self.warn and line not in self.warned:
                self.warn(line)
            self.warned.add(line)
        added: dict[str, int] = {}
        for a in report.added:
            added[a.origin] = added.get(a.origin, 0) + 1
        # What a refresh brings is new until read (the TUI's New listing, `list --new`).
        stamp = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond: newest first
        book.update_new(
            {passage_id(a.id, n): stamp for a in report.added for n in range(a.passage_count)}
        )
        failed = dict(report.failed)
        untitled = {s.url: s for s in group if not s.title}
        for a in report.added:  # a feed's own title, for `feeds list` and the OPML export
            named = untitled.pop(a.origin, None)
            if named is not None and a.publisher:
                named.title = clean_field(a.publisher, limit=200)
        for sub in group:
            result = results[sub.url]
            result.added = sub.new = added.get(sub.url, 0)
            result.dropped = sub.dropped = report.dropped.get(sub.url, 0)
            got = fetched[sub.url]
            assert isinstance(got, Fetched)
            if sub.url not in failed:
                _succeeded(sub, got, now)
                continue
            # Its body could not be imported, or not all of it: its new validators are
            # not kept (a 304 next time would hide what was lost), and unless it brought
            # something new it is a failure, backing off like one.
            result.error = failed[sub.url]
            if result.added:
                _succeeded(sub, Fetched(None, got.url, sub.etag, sub.modified), now)
                sub.last_error = f"{_now_iso()} {result.error}"
            else:
                _failed(sub, result.error, now)


def _succeeded(sub: Subscription, got: Fetched, now: float) -> None:
    """A feed answered and what it sent was read: `got`'s validators are kept."""
    sub.etag, sub.modified = got.etag, got.modified
    sub.failures = 0
    sub.last_ok = _now_iso()
    sub.last_error = ""
    sub.next_due = now + sub.every


def _failed(sub: Subscription, why: str, now: float, wait: float = 0.0) -> None:
    """A feed failed (`why`): asked again after twice its interval per failure in a row, or
    after the `wait` its server asked for, at most `MOST_BACKOFF` from `now` either way. Its
    validators stay those it was asked with."""
    sub.failures += 1
    sub.last_error = f"{_now_iso()} {why}"
    backoff = min(sub.every * 2 ** min(sub.failures, 10), MOST_BACKOFF)
    wait = min(wait, MOST_BACKOFF) if math.isfinite(wait) else MOST_BACKOFF
    sub.next_due = now + max(backoff, wait, 0.0)


# -- OPML -----------------------------------------------------------------------------------------


@dataclass
class OpmlImported:
    """What `import_opml` did."""

    added: list[Subscription] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Feeds followed already: left as they are (their brief, tags and interval kept)."""
    duplicates: list[str] = field(default_factory=list)
    """Feeds the file lists more than once (any case of scheme and host): followed once,
    as the first of them says."""
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
    read = read_opml(data)
    found = read.feeds
    if brief is not None:
        ensure_brief(book, brief)  # as `add` does: the user named it, so it must be there
    done = OpmlImported(duplicates=[f.url for f in read.duplicates])
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
            every=every or (min(feed.every, MOST_EVERY) if feed.every >= 60 else EVERY),
            title=feed.title,
            source=feed.source,
        )
        wanted.append(sub)
    stamp = _now_iso()

    def change(feeds: dict[str, dict[str, Any]]) -> None:
        done.added.clear()
        done.already.clear()
        followed = {normal_url(k) for k in feeds}
        for sub in wanted:
            if normal_url(sub.url) in followed:
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


def _host(url: str) -> str:
    """Where `url` is asked (host and port), as PER_HOST counts them."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:  # `http://[::1/`: its request fails, as one line, in its turn
        return url


GATHER = 0.25
"""Seconds a wave waits for more answers after its first: a few transactions per refresh,
not one per feed, and no import waits long behind a slow host."""


def _fetch_waves(
    subs: list[Subscription], folder: Path, progress: Progress | None
) -> Iterator[dict[str, Fetched | ImportFailed]]:
    """Every feed fetched (conditionally), many at once but at most PER_HOST per host,
    handed over in waves as the answers come: what came back so far (and in the GATHER
    seconds after), while the rest is still being fetched."""
    hosts: dict[str, threading.Semaphore] = {}
    for s in subs:
        hosts.setdefault(_host(s.url), threading.Semaphore(PER_HOST))
    done = [0]
    lock = threading.Lock()

    def one(sub: Subscription) -> Fetched | ImportFailed:
        with hosts[_host(sub.url)]:
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
            except Exception as exc:  # one feed's surprise is its line, not every feed's end
                why = " ".join(str(exc).split())[:200]
                return ImportFailed(
                    f"cannot fetch ({type(exc).__name__}{': ' if why else ''}{why})"
                )
            finally:
                with lock:
                    done[0] += 1
                    if progress:
                        progress(done[0], len(subs), f"fetched {sub.url}")

    if not subs:
        return
    with client(WORKERS) as http, ThreadPoolExecutor(min(WORKERS, len(subs))) as pool:
        url_of = {pool.submit(one, sub): sub.url for sub in subs}
        pending = set(url_of)
        while pending:
            arrived, pending = wait(pending, return_when=FIRST_COMPLETED)
            if pending:
                more, pending = wait(pending, timeout=GATHER)
                arrived |= more
            yield {url_of[f]: f.result() for f in arrived}
