"""The full-text index: SQLite FTS5 beside the book, a derived cache of what search reads.

The book's TinyDB files stay the store of record; the index only answers "which passages
hold these words", so that a search over 200,000 passages reads the few that match
instead of all of them. It lives in `cache/search.sqlite3` inside the book and may be
deleted at any time: missing, stale, from another version, or corrupt, it is rebuilt and
a search never fails because of it. A book that cannot be written (a read-only copy)
is searched the old way, by reading every passage.

Staying in step. Every write to the book replaces whole files, so the index keeps the
fingerprint (inode, mtime, size) of each file it was built from: a library shard (its
articles and passages), the state file (tags, notes) and each brief's written items.
`sync` compares fingerprints (a stat each, nothing read) and re-reads only what changed:
a note re-indexes the passages whose tags or notes changed, an import the shards it wrote.
Commands that write call it right after their write; a search calls it before reading,
so an index left behind by a crash or an older version is caught up, never trusted.

Same words as the old scan. Each document is the passage's words as `search.words`
splits them (casefolded, apostrophes kept inside a word), joined by spaces, and FTS5's
tokenizer is told to split on exactly those spaces; queries are `search.parse`'s terms.
So `mir` does not find "Vladimir", a phrase must be in order, `russia's` is one word.

Document ids (FTS rowids) are `group << 16 | n`: a group is an article (n: its passage
index) or one brief's written items (n: their order), so the Library's filter learns
which articles match from the rowids alone.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.briefs import Item, _items_for, view
from briefing.errors import BookError
from briefing.model import Article, Passage, PassageState, passage_id
from briefing.search import Term, matcher, parse, words
from briefing.store import Book

VERSION = "1"
"""Bumped when what is indexed, or how, changes: an index of another version is rebuilt."""


def _version() -> str:
    """VERSION, and the spelling variants the words were made with (see `aliases`)."""
    from briefing import aliases

    signature = aliases.signature()
    return f"{VERSION}+{signature}" if signature else VERSION


FILE = "search.sqlite3"
SHIFT = 16
"""Passages per group; an article holds at most 2,000 (the import caps it)."""
BUSY_MS = 30_000
"""How long a second process waits for another one's sync before giving up."""

Progress = Callable[[int, int], None]
"""(groups of files done, total): a full rebuild is counted in library shards."""


def _doc_words(*parts: str) -> str:
    return " ".join(words("\n".join(parts)))


def base_words(p: Passage, article: Article | None) -> str:
    """What never changes: the text, its heading, the article's title and source."""
    if article is None:
        return _doc_words(p.text, p.heading)
    return _doc_words(p.text, p.heading, article.title, article.source)


def state_words(st: PassageState | None) -> str:
    """What edits change: tags and notes."""
    if st is None:
        return ""
    return _doc_words(*st.tags, *(n.text for n in st.notes))


def fts_query(terms: list[Term]) -> str:
    """The terms as an FTS5 expression: each a quoted phrase (words have no quotes: they
    are `\\w` runs and apostrophes), `*` after a prefix, AND between them."""
    return " ".join(f'"{" ".join(t.words)}"' + ("*" if t.prefix else "") for t in terms)


ShardDocs = list[tuple[str, list[tuple[int, str, str]]]]
"""One shard's documents: (article id, [(passage index, passage id, words)])."""


def shard_docs(book: Book, key: str) -> ShardDocs:
    """What a library shard adds to the index; pure, so a worker process can make it."""
    articles, passages = book.shard_content(key)
    by_article: dict[str, dict[int, Passage]] = {}
    for p in passages:  # a passage stored twice is indexed once
        by_article.setdefault(p.article_id, {}).setdefault(p.index, p)
    out: ShardDocs = []
    for a in {a.id: a for a in articles}.values():
        docs = [
            (p.index, p.id, base_words(p, a))
            for p in by_article.get(a.id, {}).values()
            if 0 <= p.index < 1 << SHIFT  # beyond any import's cap: not searchable
        ]
        out.append((a.id, docs))
    return out


def _shard_docs_at(path: str, key: str) -> ShardDocs:
    """`shard_docs` in a worker process (which opens the book itself)."""
    return shard_docs(Book(Path(path)), key)


@dataclass
class Hit:
    pid: str
    article_id: str
    """"" for a written item."""


def _busy(exc: Exception) -> bool:
    """Locked by another writer: wait or go without, never take it for damage."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


_SCHEMA = [
    "CREATE TABLE files (name TEXT PRIMARY KEY, sig TEXT NOT NULL)",
    "CREATE TABLE groups (num INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, source TEXT)",
    "CREATE INDEX groups_source ON groups(source)",
    "CREATE TABLE odd_ids (doc INTEGER PRIMARY KEY, pid TEXT NOT NULL)",
    "CREATE INDEX odd_pid ON odd_ids(pid)",
    "CREATE TABLE states (pid TEXT PRIMARY KEY, words TEXT NOT NULL)",
    # Split on exactly the spaces between our words (see the module doc).
    "CREATE VIRTUAL TABLE fts USING fts5(base, state, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '''’_'\")",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
]


class SearchIndex:
    """One book's index. Cheap to create; the database is opened on first use."""

    def __init__(self, book: Book, *, wait: float = BUSY_MS / 1000) -> None:
        self.book = book
        self.wait = wait
        """Seconds to wait for another process's write (a UI keystroke waits ~none)."""
        self.path = book.cache_dir() / FILE
        self._db: sqlite3.Connection | None = None
        self._groups: dict[int, str] | None = None
        """group number -> article id (or `written:<brief>`), read once per sync."""
        self.unavailable = (
            "the book is open read-only (the index, a file in it, is not written)"
            if book.read_only
            else ""
        )
        """Why the index cannot be used (a read-only book), for a note to the user."""
        self.busy = False
        """The last sync found another process writing the index (and did not wait)."""
        self.ready = False
        """The last sync left the index up to date and usable."""

    # -- the database ------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.wait, isolation_level=None)
        db.execute("PRAGMA synchronous=NORMAL")
        self._prepare(db)
        return db

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        if self.unavailable:
            return None
        try:
            self.path.parent.mkdir(exist_ok=True)
            try:
                db = self._open()
            except sqlite3.DatabaseError as exc:
                if _busy(exc):
                    self.busy = True
                    return None  # another process is writing it: not usable this moment
                # Corrupt, or not a database at all: a cache, so start over.
                self._drop()
                db = self._open()
        except (sqlite3.Error, OSError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.unavailable = f"the search index cannot be written ({why})"
            return None
        self._db = db
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Create the tables, or empty an index of another version, under the write lock:
        two processes opening a new index at once do not undo each other."""

        def current() -> bool:
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            except sqlite3.OperationalError as exc:  # no such table: new
                if "locked" in str(exc):
                    raise
                return False
            return bool(row) and row[0] == _version()

        if current():  # the usual case, read without taking the write lock
            return
        with self._write(db):
            if current():
                return
            for table in ("fts", "files", "groups", "odd_ids", "states", "meta"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('version', ?)", (_version(),))

    def _drop(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()

    def drop(self) -> None:
        """Empty the index (it is rebuilt by the next sync). In place, in one transaction:
        another process reading or writing it meanwhile keeps a consistent file."""
        db = self._connect()
        if db is None:
            return
        try:
            with self._write(db):
                for table in ("fts", "files", "groups", "odd_ids", "states", "meta"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('version', ?)", (_version(),))
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                raise
            self.close()
            self._drop()  # damaged: remove it; the sync makes a new one

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextlib.contextmanager
    def _write(self, db: sqlite3.Connection) -> Iterator[None]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- keeping it in step ------------------------------------------------------------

    def status(self) -> str:
        """One line for `briefing doctor`; builds nothing."""
        if not self.path.exists():
            return "not built yet (the first search builds it)"
        if not self.path.is_file():
            return f"{self.path} is not a file; searches read every passage"
        db = self._connect()
        if db is None:
            if self.busy:
                return "being updated by another briefing"
            return f"unusable: {self.unavailable}; searches read every passage"
        try:
            docs = db.execute("SELECT count(*) FROM fts").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return f"unreadable ({exc}); the next search rebuilds it"
        behind = self.stale()
        state = (
            f"{len(behind)} files behind (the next search catches up)" if behind else "up to date"
        )
        return f"{self.path}, {docs:,} passages, {state}"

    def stale(self) -> list[str]:
        """The book's files the index does not reflect yet (empty: up to date). Stat only."""
        db = self._connect()
        if db is None:
            return []
        try:
            stored = dict(db.execute("SELECT name, sig FROM files").fetchall())
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                return []
            return ["(damaged)"]  # the sync that follows starts it over
        now = {k: repr(v) for k, v in self.book.content_signatures().items()}
        return sorted(
            {k for k, v in now.items() if stored.get(k) != v} | (stored.keys() - now.keys())
        )

    def sync(self, progress: Progress | None = None) -> bool:
        """Bring the index in step with the book; False when it cannot be used (the caller
        then searches without it). Safe to call often: when nothing changed it costs a
        stat per file; two processes syncing at once take turns. Never raises for the
        index's sake (a damaged one is started over once, then given up for this run)."""
        self.ready = self._bring_up_to_date(progress)
        return self.ready

    def _bring_up_to_date(self, progress: Progress | None) -> bool:
        self.busy = False
        for attempt in (1, 2, 3):
            db = self._connect()
            if db is None:
                return False
            try:
                if not self.stale():
                    self._groups = None
                    return True
                with self._write(db):
                    self._sync(db, progress)
                self._groups = None
                return True
            except BookError:
                raise
            except sqlite3.DatabaseError as exc:
                if _busy(exc):  # another process is writing it (longer than `wait`)
                    self.busy = True
                    return False
                self.close()
                if attempt == 1 and isinstance(exc, sqlite3.OperationalError):
                    continue  # its file was replaced under us: open it again
                if attempt < 3:
                    with contextlib.suppress(OSError):
                        self._drop()  # damaged: a cache, so start over
                    continue
                self.unavailable = f"the search index cannot be used ({exc})"
            except OSError as exc:
                self.close()
                self.unavailable = f"the search index cannot be written ({exc.strerror or exc})"
                return False
        return False

    def _sync(self, db: sqlite3.Connection, progress: Progress | None) -> None:
        # Under the write lock: what another process synced meanwhile is not redone.
        stored = dict(db.execute("SELECT name, sig FROM files").fetchall())
        now = {k: repr(v) for k, v in self.book.content_signatures().items()}
        changed = sorted(k for k, v in now.items() if stored.get(k) != v)
        gone = sorted(stored.keys() - now.keys())
        sources = [k for k in changed + gone if k != "state"]
        states = self.book.states()
        state_text = {pid: state_words(st) for pid, st in states.items()}
        total = len([s for s in sources if s in now])
        rebuilt: set[str] = set()
        """Passages indexed just now, with their current tags and notes."""
        for source in sources:
            self._drop_source(db, source)
        live = [s for s in sources if s in now]
        shards = [s for s in live if s.startswith("shard:")]
        made = _made_elsewhere(self.book, [s.partition(":")[2] for s in shards])
        for n, source in enumerate(live):
            if source.startswith("shard:") and made is not None:
                rebuilt |= self._insert_shard(db, source, next(made), state_text)
            else:
                rebuilt |= self._add_source(db, source, state_text)
            if progress:
                progress(n + 1, total)
        # Tags and notes: only the passages whose words changed are touched.
        known = dict(db.execute("SELECT pid, words FROM states").fetchall())
        for pid in known.keys() | state_text.keys():
            new = state_text.get(pid, "")
            if known.get(pid, "") == new or pid in rebuilt:
                continue
            doc = self._doc_of(db, pid)
            if doc is not None:
                db.execute("UPDATE fts SET state = ? WHERE rowid = ?", (new, doc))
        db.execute("DELETE FROM states")
        db.executemany(
            "INSERT INTO states VALUES (?, ?)", [(p, w) for p, w in state_text.items() if w]
        )
        db.execute("DELETE FROM files")
        db.executemany("INSERT INTO files VALUES (?, ?)", sorted(now.items()))

    def _drop_source(self, db: sqlite3.Connection, source: str) -> None:
        for (num,) in db.execute("SELECT num FROM groups WHERE source = ?", (source,)).fetchall():
            lo, hi = num << SHIFT, ((num + 1) << SHIFT) - 1
            db.execute("DELETE FROM fts WHERE rowid BETWEEN ? AND ?", (lo, hi))
            db.execute("DELETE FROM odd_ids WHERE doc BETWEEN ? AND ?", (lo, hi))
        db.execute("DELETE FROM groups WHERE source = ?", (source,))

    def _new_group(self, db: sqlite3.Connection, name: str, source: str) -> int:
        cur = db.execute("INSERT INTO groups (name, source) VALUES (?, ?)", (name, source))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _add_source(self, db: sqlite3.Connection, source: str, states: dict[str, str]) -> set[str]:
        """Index one source's documents; returns their passage ids."""
        kind, _, key = source.partition(":")
        if kind == "shard":
            return self._insert_shard(db, source, shard_docs(self.book, key), states)
        rows: list[tuple[int, str, str]] = []
        odd: list[tuple[int, str]] = []
        items = list(self.book.written(key).values())[: 1 << SHIFT]
        num = self._new_group(db, source, source)
        for n, w in enumerate(items):
            doc = num << SHIFT | n
            odd.append((doc, w.id))
            rows.append((doc, base_words(w.as_passage(), None), states.get(w.id, "")))
        db.executemany("INSERT INTO fts (rowid, base, state) VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO odd_ids VALUES (?, ?)", odd)
        return {w.id for w in items}

    def _insert_shard(
        self, db: sqlite3.Connection, source: str, docs: ShardDocs, states: dict[str, str]
    ) -> set[str]:
        rows: list[tuple[int, str, str]] = []
        odd: list[tuple[int, str]] = []
        pids: set[str] = set()
        for aid, passages in docs:
            num = self._new_group(db, aid, source)
            for index, pid, base in passages:
                doc = num << SHIFT | index
                if pid != passage_id(aid, index):
                    odd.append((doc, pid))
                rows.append((doc, base, states.get(pid, "")))
                pids.add(pid)
        db.executemany("INSERT INTO fts (rowid, base, state) VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO odd_ids VALUES (?, ?)", odd)
        return pids

    def _doc_of(self, db: sqlite3.Connection, pid: str) -> int | None:
        row = db.execute("SELECT doc FROM odd_ids WHERE pid = ?", (pid,)).fetchone()
        if row:
            return int(row[0])
        aid, _, n = pid.rpartition(".")
        if not n.isdigit():
            return None
        g = db.execute("SELECT num FROM groups WHERE name = ?", (aid,)).fetchone()
        return (int(g[0]) << SHIFT | (int(n) - 1)) if g else None

    # -- asking ------------------------------------------------------------------------

    def group_names(self) -> set[str]:
        """Every indexed article id (and `written:<brief>`)."""
        db = self._connect()
        return set(self._group_names(db).values()) if db is not None else set()

    def _group_names(self, db: sqlite3.Connection) -> dict[int, str]:
        if self._groups is None:
            self._groups = dict(db.execute("SELECT num, name FROM groups").fetchall())
        return self._groups

    def hits(self, query: str, *, last_is_prefix: bool = False, ranked: bool = True) -> list[Hit]:
        """Passages (and written items) holding every term, best first when `ranked`.
        The caller has synced; an unusable index raises LookupError (search without it)."""
        db = self._connect()
        if db is None:
            raise LookupError(self.unavailable)
        terms = parse(query, last_is_prefix=last_is_prefix)
        if not terms:
            return []
        order = " ORDER BY rank" if ranked else ""
        docs = db.execute(
            f"SELECT rowid FROM fts WHERE fts MATCH ?{order}", (fts_query(terms),)
        ).fetchall()
        names = self._group_names(db)
        odd = dict(db.execute("SELECT doc, pid FROM odd_ids").fetchall()) if docs else {}
        out = []
        for (doc,) in docs:
            name = names.get(doc >> SHIFT)
            if name is None:
                continue
            pid = odd.get(doc) or passage_id(name, doc & ((1 << SHIFT) - 1))
            out.append(Hit(pid, "" if name.startswith("written:") else name))
        return out

    def article_ids(self, query: str, *, last_is_prefix: bool = False) -> set[str]:
        """Articles with a passage holding every term (the Library's filter).

        Typing: a word being typed is a prefix only from its second letter on. One letter
        matches nearly every article and costs the most (a fifth of a second on 10,000
        articles), so until the second letter the word is left out of the query."""
        db = self._connect()
        if db is None:
            raise LookupError(self.unavailable)
        terms = parse(query, last_is_prefix=last_is_prefix)
        if last_is_prefix and terms and terms[-1].prefix and len(terms[-1].words[-1]) < 2:
            terms = (
                terms[:-1]
                if len(terms[-1].words) == 1
                else [*terms[:-1], Term(terms[-1].words[:-1])]
            )
        if not terms:
            return set()
        rows = db.execute(
            f"SELECT DISTINCT rowid >> {SHIFT} FROM fts WHERE fts MATCH ?", (fts_query(terms),)
        )
        names = self._group_names(db)
        return {n for (g,) in rows if (n := names.get(g)) and not n.startswith("written:")}


POOL_FROM = 24
"""Re-read this many shards or more and two processes share the work: one reads and splits
passages into words while this one writes the index (a full rebuild: ~2x faster)."""


def _made_elsewhere(book: Book, keys: list[str]) -> Iterator[ShardDocs] | None:
    """The shards' documents made by a worker process, in order; None when not worth it
    (few shards) or not possible (no processes here)."""
    if len(keys) < POOL_FROM:
        return None
    try:
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        # Fork is fast, but a forked copy of a threaded process (the TUI) can hang: spawn.
        methods = multiprocessing.get_all_start_methods()
        one_thread = threading.active_count() == 1 and "fork" in methods
        context = multiprocessing.get_context("fork" if one_thread else "spawn")
        pool = ProcessPoolExecutor(1, mp_context=context)
    except Exception:  # no processes here (a sandbox; Textual holds stderr): not worth it
        return None
    path = str(book.path)

    def results() -> Iterator[ShardDocs]:
        done = 0
        try:
            with pool:
                for docs in pool.map(_shard_docs_at, [path] * len(keys), keys, chunksize=4):
                    done += 1
                    yield docs
        except Exception:  # no worker here after all (odd fds, a sandbox): this process
            for key in keys[done:]:
                yield shard_docs(book, key)

    return results()


@dataclass
class Found:
    items: list[Item]
    """The best `limit` of them, best first."""
    total: int
    """How many passages match in all."""


def search_book(
    book: Book,
    query: str,
    brief_id: str | None = None,
    *,
    progress: Progress | None = None,
    index: SearchIndex | None = None,
) -> list[Item]:
    """Every passage the query matches, best first (see `find`)."""
    return find(book, query, brief_id, progress=progress, index=index).items


def find(
    book: Book,
    query: str,
    brief_id: str | None = None,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    index: SearchIndex | None = None,
    synced: bool = False,
) -> Found:
    """The passages every term matches, best first: in one brief (its sections, then its
    written items) or in the whole library. Uses the index, synced first; without one
    (a read-only book) reads every passage, slower but the same. With a `limit`, only the
    best ones are read from the book: a common word in a big library costs what is shown.
    `synced`: the caller has just synced `index` (its `ready` says how that went)."""
    from briefing.search import search

    index = index or SearchIndex(book)
    v = view(book, brief_id) if brief_id else None
    hits: list[Hit] | None = None
    if index.ready if synced else index.sync(progress):
        try:
            hits = index.hits(query)
        except (LookupError, sqlite3.Error):  # replaced or damaged since the sync
            hits = None
    if hits is None:
        from briefing.briefs import library_items

        every = search(v.items() if v else library_items(book), query)
        return Found(every[:limit] if limit else every, len(every))
    if v is not None:
        items = {i.passage.id: i for i in v.items()}
        found = [items[h.pid] for h in hits if h.pid in items]
        # A filed passage whose article left the library is not in the index: scan those.
        groups = index.group_names()
        unknown = [
            i
            for i in items.values()
            if (i.passage.article_id or f"written:{brief_id}") not in groups
        ]
        test = matcher(query)
        found += [i for i in unknown if test(i)]
        return Found(found[:limit] if limit else found, len(found))
    total = len(hits)
    hits = hits[:limit] if limit else hits
    wanted: dict[str, set[str]] = {}
    for h in hits:
        if h.article_id:
            wanted.setdefault(h.article_id[:2], set()).add(h.pid)
    passages: dict[str, Passage] = {}
    for key, pids in sorted(wanted.items()):  # one shard in memory at a time
        passages.update((p.id, p) for p in book.shard_content(key)[1] if p.id in pids)
    ordered = [passages[h.pid] for h in hits if h.pid in passages]
    return Found(_items_for(book, None, ordered), total)
