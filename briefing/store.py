"""The book on disk: the only module that imports TinyDB.

A book is a folder of small TinyDB files, split by how often they change
(measured: one TinyDB file is rewritten whole on every write):

    articles.json        article metadata          written on import
    passages.json        passage text              written on import
    state.json           tags, notes, key points   written on every edit (stays small)
    briefs/<id>.json     one brief: its sections, filings and a copy of its own passages
    book.lock            the inter-process lock

So a note costs the same on a 10,000-article book as on an empty one, and a brief (the TUI's
first screen, export) is read from its own file without loading the library.

Safety, built here because TinyDB gives none: every write is atomic (temp file, fsync,
`os.replace`, fsync of the folder) and keeps the previous version as `<file>.bak`; every
read-modify-write holds `book.lock`, so two processes on one book both keep their changes;
reads are served from memory until the file changes on disk; a file that cannot be parsed
raises `BookError` and is never written over.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from briefing.errors import BookBusy, BookError, BookReadOnly, NotFound
from briefing.model import (
    Article,
    Brief,
    Filing,
    FilingOrder,
    Passage,
    PassageState,
    WrittenItem,
    article_id_of,
    is_written_id,
)

LOCK_TIMEOUT = 10.0
FORMAT_FILE = "format.json"
FORMAT_VERSION = 2
"""1: filings inside the brief file. 2: filings in `briefs/<id>.filings.json`, a format
file, an import journal, two backup generations."""
JOURNAL_FILE = "import.journal"
ORDER_SUFFIX = ".filings.json"
BRIEF_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_HEX2 = re.compile(r"^[0-9a-f]{2}$")


def _tables(data: object) -> bool:
    """Shaped like a book file: a mapping of tables, each a mapping."""
    return isinstance(data, dict) and all(isinstance(t, dict) for t in data.values())


def _check_brief_id(brief_id: str) -> None:
    if not BRIEF_ID.match(brief_id):
        raise BookError(
            f"brief id {brief_id[:80]!r}: use lower-case letters, digits and '-' (it names a "
            "file inside the book)"
        )


_ACTIVE: set[Path] = set()
"""Journals of imports running in this process (another Book on the same folder must not
roll them back)."""


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return False  # this process: `_ACTIVE` says whether it is importing now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TMP_MARK = ".tmp-"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def _write_durably(tmp: Path, data: bytes) -> None:
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _keep_backup(path: Path) -> None:
    """The current version becomes `<file>.bak` (and the one before, `.bak.1`)."""
    if not path.exists():
        return
    bak = path.with_name(path.name + ".bak")
    link = path.with_name(f".{path.name}.bak{_TMP_MARK}{secrets.token_hex(4)}")
    try:
        os.link(path, link)
        if bak.exists():  # two generations: .bak (the last version), .bak.1
            os.replace(bak, path.with_name(path.name + ".bak.1"))
        os.replace(link, bak)
    except OSError:
        with contextlib.suppress(OSError):
            link.unlink()


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(path)
    try:
        _write_durably(tmp, data)
        if backup:
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


WRITERS = 8
"""Threads that write and fsync the files of one batch together."""
WRITE_GROUP_BYTES = 16_000_000
"""About how much of the library `Book.add_articles` writes together: the files' fsyncs are
committed together, and at most this much of their new versions is in memory at once."""


def atomic_write_files(files: Sequence[tuple[Path, bytes]], *, backup: bool = True) -> None:
    """Several files written as `atomic_write_bytes` writes one, each whole or not at all:
    all are written to temp files and fsynced first, by `WRITERS` threads at once (fsyncs
    issued together are committed together: an import's 512 shard files took 1.4 s one by
    one, 0.3 s so), then put in place in the order given, then each folder is synced once.

    A crash part-way leaves some files new and some old, each whole: the caller orders
    them so that this is safe (passages before the articles that need them) and the import
    journal undoes a half-written batch."""
    if len(files) < 2:
        for path, data in files:
            atomic_write_bytes(path, data, backup=backup)
        return
    from concurrent.futures import ThreadPoolExecutor

    for folder in {path.parent for path, _ in files}:
        folder.mkdir(parents=True, exist_ok=True)
    temps = [_temp_path(path) for path, _ in files]
    try:
        with ThreadPoolExecutor(min(WRITERS, len(files))) as pool:
            for done in [
                pool.submit(_write_durably, tmp, data)
                for tmp, (_, data) in zip(temps, files, strict=True)
            ]:
                done.result()
        for tmp, (path, _) in zip(temps, files, strict=True):
            if backup:
                _keep_backup(path)
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    for folder in {path.parent for path, _ in files}:
        _fsync_dir(folder)


class SafeStorage(Storage):
    """A TinyDB storage: orjson, atomic writes, a cache that notices other writers."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._signature: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise BookError(f"{self.path}: cannot read the book ({exc.strerror})") from exc
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict[str, Any] | None:
        sig = self._stat()
        if sig is not None and sig == self._signature and self._data is not None:
            return self._data
        if sig is None:
            self._data, self._signature = None, None
            return None
        return self.read_raw()[1]

    def read_raw(self) -> tuple[bytes, dict[str, Any]] | tuple[None, None]:
        """The file as bytes and as data, read now (checked as `read` checks it)."""
        sig = self._stat()
        if sig is None:
            self._data, self._signature = None, None
            return None, None
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._data, self._signature = None, None
            return None, None
        except OSError as exc:
            raise BookError(f"{self.path}: cannot read the book ({exc.strerror})") from exc
        if not raw.strip():
            # The book never writes an empty file: one is a crash or a truncation.
            raise BookError(f"{self.path}: the book file is empty; {self._advice()}")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise BookError(
                f"{self.path}: the book file is corrupt ({exc}); {self._advice()}"
            ) from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise BookError(f"{self.path}: not a briefing book file; {self._advice()}")
        self._data, self._signature = data, sig
        return raw, data

    def _advice(self) -> str:
        """What to do, naming a backup only if there is one."""
        baks = [
            b.name
            for b in (self.path.with_name(self.path.name + x) for x in (".bak", ".bak.1"))
            if b.exists()
        ]
        where = f" (previous versions: {', '.join(baks)})" if baks else ""
        return (
            f"it was not changed; `briefing doctor --repair` restores the last good version{where}"
        )

    def write(self, data: dict[str, Any]) -> None:
        try:
            atomic_write_bytes(self.path, orjson.dumps(data))
        except OSError as exc:
            self._data, self._signature = None, None
            raise BookError(f"{self.path}: cannot write the book ({exc.strerror})") from exc
        self._data, self._signature = data, self._stat()

    def forget(self) -> None:
        """Drop the cached data (read again when next needed)."""
        self._data, self._signature = None, None

    def close(self) -> None:
        pass


class _File:
    """One TinyDB file of the book."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = TinyDB(path, storage=SafeStorage)
        self.storage: SafeStorage = self.db.storage  # type: ignore[assignment]
        self._tables: dict[str, Any] = {}

    def table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self.db.table(name, cache_size=0)
        return self._tables[name]

    def reset(self) -> None:
        """Forget per-process caches that another process's write makes stale (TinyDB caches a table's next id and query results)."""
        for t in self._tables.values():
            t._next_id = None
            t.clear_cache()

    def docs(self, table: str) -> list[dict[str, Any]]:
        data = self.storage.read() or {}
        return list(data.get(table, {}).values())


_Q = Query()


def _doc(item: Article | Passage) -> dict[str, Any]:
    """`item.to_dict()` without `asdict`'s deep copy (the fields are plain values)."""
    return dict(vars(item))


PassagesIn = Sequence[Passage | dict[str, Any]] | bytes
"""An article's passages for `Book.add_articles`: objects, their `to_dict()`s, or those as
`orjson.dumps` writes them, joined by newlines (orjson never writes a raw newline)."""


def _passage_docs(ps: PassagesIn) -> list[dict[str, Any]]:
    if isinstance(ps, bytes):
        return [orjson.loads(line) for line in ps.split(b"\n") if line]
    return [p if isinstance(p, dict) else _doc(p) for p in ps]


def _with_passages(storage: SafeStorage, fresh: Sequence[tuple[Article, PassagesIn]]) -> bytes:
    """A passage shard's file with the passages of `fresh` articles added.

    Usually the new passages are appended to the file's bytes as they are, as orjson would
    write them (the same bytes as loading, adding and dumping it all, at a fraction of the
    time); passages left over from a crash for one of these articles are replaced, through
    the data."""
    raw, data = storage.read_raw()
    table = (data or {}).get("passages", {})
    ids = {a.id for a, _ in fresh}
    leftovers = any(d.get("article_id") in ids for d in table.values())
    whole = raw is None or (
        data is not None
        and list(data) == ["passages"]
        and raw.startswith(b'{"passages":{')
        and raw.endswith(b"}}")
    )
    if not leftovers and whole:
        lines = b"\n".join(
            ps if isinstance(ps, bytes) else b"\n".join(orjson.dumps(d) for d in _passage_docs(ps))
            for _, ps in fresh
        ).split(b"\n")
        lines = [line for line in lines if line]
        keys = _key_prefixes(_next_key(table) if table else 1, len(lines))
        body = b",".join(map(bytes.__add__, keys, lines))
        if not table or raw is None:
            return b'{"passages":{' + body + b"}}"
        return raw[:-2] + b"," + body + b"}}"
    # Passages of an article that is not there are left from a crash: replace them.
    kept = {k: d for k, d in table.items() if d.get("article_id") not in ids}
    next_key = _next_key(kept) if kept else 1
    for _, ps in fresh:
        for doc in _passage_docs(ps):
            kept[str(next_key)] = doc
            next_key += 1
    return orjson.dumps({**(data or {}), "passages": kept})


_KEY_PREFIXES: list[bytes] = []


def _key_prefixes(start: int, count: int) -> list[bytes]:
    """`"start":`, `"start+1":`, ... as bytes, made once (a shard's passage keys)."""
    if len(_KEY_PREFIXES) < start + count:
        _KEY_PREFIXES.extend(b'"%d":' % k for k in range(len(_KEY_PREFIXES), start + count))
    return _KEY_PREFIXES[start : start + count]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _next_key(table: dict[str, Any]) -> int:
    return max((int(k) for k in table), default=0) + 1


def _add_missing(
    table: dict[str, Any], items: Iterable[Passage] | Iterable[Article]
) -> dict[str, Any]:
    """A copy of the raw TinyDB table with the items whose id it does not hold yet."""
    out = dict(table)
    have = {d["id"] for d in out.values()}
    key = _next_key(out)
    for item in items:
        if item.id not in have:
            out[str(key)] = item.to_dict()
            have.add(item.id)
            key += 1
    return out


class ImportJournal:
    """The ids an import is adding, on disk before the articles are (see
    `Book.import_transaction`)."""

    def __init__(self, book: Book, brief_id: str | None) -> None:
        self.book, self.brief_id = book, brief_id
        self.path = book.path / JOURNAL_FILE
        self.ids: list[str] = []
        self._known: set[str] = set()

    def add(self, article_ids: Iterable[str]) -> None:
        new = [a for a in dict.fromkeys(article_ids) if a not in self._known]
        if not new:
            return
        self.ids += new
        self._known.update(new)
        doc = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "articles": self.ids,
            "brief": self.brief_id,
        }
        with self.book.locked():
            atomic_write_bytes(self.path, orjson.dumps(doc), backup=False)

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            _fsync_dir(self.path.parent)


class Book:
    """The repository the services use; nothing else touches the files."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        """Opened not to be changed (`--read-only`, `serve --read-only`): every write is
        refused as on a book the user may not write."""
        if self.path.exists() and not self.path.is_dir():
            raise BookError(f"{self.path}: not a book folder (a book is a folder of TinyDB files)")
        self._lock: Any = None
        """The inter-process lock, made on the first write (filelock costs ~10 ms to import,
        and the TUI's first frame writes nothing)."""
        self._state = _File(self.path / "state.json")
        self._briefs: dict[str, _File] = {}
        self._library: dict[str, _File] = {}
        self._article_index: tuple[Any, dict[str, dict[str, Any]]] | None = None
        self._orders: dict[str, _File] = {}
        self._feeds: _File | None = None
        self._news: _File | None = None
        self._seen_token: object = None
        """The change token after this process's last look or write (see `foreign_change`)."""
        self._foreign = False
        self._format_checked = False

    # -- locking -------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the book's lock for a whole read-modify-write."""
        if self.read_only:
            raise BookReadOnly(f"{self.path}: opened read-only; nothing was changed")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BookReadOnly(
                f"{self.path}: cannot create the book ({exc.strerror}); nothing was changed"
            ) from exc
        if not os.access(self.path, os.W_OK):
            raise BookReadOnly(f"{self.path}: the book is read-only; nothing was changed")
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(str(self.path / "book.lock"), timeout=LOCK_TIMEOUT)
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise BookBusy(
                f"{self.path}: the book is busy (another briefing has held its lock for "
                f"{LOCK_TIMEOUT:.0f} s); try again"
            ) from exc
        except OSError as exc:
            raise BookReadOnly(
                f"{self.path}: cannot create {self.path / 'book.lock'} ({exc.strerror}); "
                "nothing was changed"
            ) from exc
        try:
            for f in self._files():
                f.reset()
            if self._seen_token is not None and self.change_token() != self._seen_token:
                self._foreign = True  # someone wrote since we last looked
            if not self._format_checked:
                self._ensure_format()
            try:
                yield
            finally:
                if self._seen_token is not None:
                    self._seen_token = self.change_token()
        finally:
            self._lock.release()

    @property
    def writable(self) -> bool:
        """False for a book the user may read but not change (it opens read-only)."""
        if self.read_only:
            return False
        if not self.path.exists():
            return os.access(self.path.parent, os.W_OK)
        lock = self.path / "book.lock"
        return os.access(self.path, os.W_OK) and (not lock.exists() or os.access(lock, os.W_OK))

    # -- the format, its migration, and the import journal -----------------------------------

    def format_version(self) -> int | None:
        """The book's format version; None for a book from before versions (format 1)."""
        path = self.path / FORMAT_FILE
        try:
            doc = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            raise BookError(f"{path}: unreadable ({exc}); the book was not changed") from exc
        version = doc.get("version") if isinstance(doc, dict) else None
        if not isinstance(version, int):
            raise BookError(f"{path}: no format version; the book was not changed")
        return version

    def _refuse_newer(self, version: int | None) -> None:
        if version is not None and version > FORMAT_VERSION:
            raise BookError(
                f"{self.path}: made by a newer briefing (book format {version}; this version "
                f"reads up to {FORMAT_VERSION}); upgrade briefing to open it"
            )

    def _ensure_format(self) -> None:
        """Under the lock, once per process: refuse a newer book, migrate an older one
        (after a backup), and roll back an import that a crash interrupted."""
        version = self.format_version()
        self._refuse_newer(version)
        if version is None:
            if not self.is_empty():
                self._migrate_from_1()
            atomic_write_bytes(
                self.path / FORMAT_FILE,
                orjson.dumps({"format": "briefing-book", "version": FORMAT_VERSION}),
                backup=False,
            )
        self._format_checked = True
        self._recover()
        self._sweep_temp_files()

    def _sweep_temp_files(self) -> int:
        """Under the lock every temp file of the book is a killed writer's: the book's
        writers make them only while holding it."""
        removed = 0
        for folder in (self.path, self.path / "briefs", self.path / "library"):
            for p in folder.glob(f".*{_TMP_MARK}*"):
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed += 1
        return removed

    def _migrate_from_1(self) -> None:
        """Format 1 kept a brief's filings inside its (large) brief file; format 2 keeps them
        in `<id>.filings.json`. The brief files are copied to backups/ first."""
        backup = self.path / "backups" / f"format-1-{time.strftime('%Y%m%d-%H%M%S')}"
        for bid in self.brief_ids():
            src = self.path / "briefs" / f"{bid}.json"
            backup.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, backup / src.name)
        for bid in self.brief_ids():
            bf = self._brief_file(bid)
            data = dict(bf.storage.read() or {})
            legacy = data.pop("filings", None)
            if legacy is None:
                continue
            filings = [Filing.from_dict(d) for d in legacy.values()]
            self._order_file(bid).storage.write(
                {"order": FilingOrder.from_filings(filings).to_dict()}
            )
            bf.storage.write(data)
        self._move_demo_apart()

    def _move_demo_apart(self) -> None:
        """Format 1 made the demo as `russia-turkey`, the id a real brief from that template
        wants. A brief of that id holding only the demo article becomes `demo`."""
        old, new = "russia-turkey", "demo"
        if old not in self.brief_ids() or new in self.brief_ids():
            return
        articles = self.brief_articles(old)
        if not articles or not all(a.origin.startswith("demo:") for a in articles.values()):
            return
        folder = self.path / "briefs"
        data = dict(self._brief_file(old).storage.read() or {})
        docs = data.get("brief", {})
        data["brief"] = {k: {**d, "id": new} for k, d in docs.items()}
        self._brief_file(new).storage.write(data)
        order = self._order_file(old).storage.read()
        if order is not None:
            self._order_file(new).storage.write(order)
        for name in (f"{old}.json", f"{old}{ORDER_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
        self._briefs.pop(old, None)
        self._orders.pop(old, None)
        if self.get_setting("current_brief") == old:
            self._state.table("settings").upsert(
                {"key": "current_brief", "value": new}, _Q.key == "current_brief"
            )

    @contextlib.contextmanager
    def import_transaction(self, brief_id: str | None) -> Iterator[ImportJournal]:
        """All of an import or none of it.

        Before articles are written, their ids go into the journal (`journal.add`). If the
        import fails or is cancelled, they are removed here; if the process dies, the next
        process to write removes them (an import only adds, so taking it back is removing
        its articles, their passages and their filings). The journal is deleted at the end."""
        journal = ImportJournal(self, brief_id)
        _ACTIVE.add(journal.path.resolve())
        try:
            yield journal
        except BaseException:
            with self.locked():
                if journal.ids:
                    self._remove_articles(set(journal.ids), brief_id)
                journal.close()
            raise
        finally:
            _ACTIVE.discard(journal.path.resolve())
        with self.locked():
            journal.close()

    def _recover(self) -> None:
        journal = self.path / JOURNAL_FILE
        try:
            doc = orjson.loads(journal.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, orjson.JSONDecodeError):
            doc = {}  # torn journal: it was written before anything else, so nothing to undo
        here = doc.get("host") == socket.gethostname()
        # This process's own import, still running (not merely an import starting here
        # while a dead one's journal is still on disk: that one is undone first).
        ours = here and doc.get("pid") == os.getpid() and journal.resolve() in _ACTIVE
        if ours or (here and _alive(doc.get("pid"))):
            return  # a running import: not ours to undo
        ids = set(doc.get("articles") or [])
        if ids:
            self._remove_articles(ids, doc.get("brief"))
        with contextlib.suppress(FileNotFoundError):
            journal.unlink()

    def _remove_articles(self, ids: set[str], brief_id: str | None) -> None:
        for key in sorted({a[:2] for a in ids}):
            for kind in ("passages", "articles"):
                f = self._shard(kind, key)
                data = f.storage.read()
                if not data:
                    continue
                field = "article_id" if kind == "passages" else "id"
                table = data.get(kind, {})
                kept = {k: d for k, d in table.items() if d.get(field) not in ids}
                if len(kept) != len(table):
                    f.storage.write({**data, kind: kept})
        if brief_id and brief_id in self.brief_ids():
            order = self.order(brief_id)
            for pids in order.sections.values():
                pids[:] = [p for p in pids if article_id_of(p) not in ids]
            of = self._order_file(brief_id)
            of.storage.write({**(of.storage.read() or {}), "order": order.to_dict()})

    def _files(self) -> list[_File]:
        return [
            self._state,
            *self._briefs.values(),
            *self._orders.values(),
            *self._library.values(),
            *([self._feeds] if self._feeds is not None else []),
            *([self._news] if self._news is not None else []),
        ]

    def sweep(self) -> int:
        """Remove temp files left by a killed writer. Returns how many."""
        if not self.path.is_dir():
            return 0
        with self.locked():
            return self._sweep_temp_files()

    def check(self) -> None:
        """Read the format and the state file, so a newer or corrupt book is reported
        before anything else.

        Brief files and library shards are checked when they are read (with the same
        one-line error): reading them all here would make every command pay for them."""
        self._refuse_newer(self.format_version())
        self._state.storage.read()

    def is_empty(self) -> bool:
        return not self.brief_ids() and not self._shard_keys()

    def change_token(self) -> object:
        """A value that changes whenever any file of the book changes on disk."""
        sigs: list[Any] = []
        for folder in (self.path, self.path / "briefs", self.path / "library"):
            with contextlib.suppress(OSError):
                for entry in os.scandir(folder):
                    if entry.name.endswith(".json") and not entry.name.startswith("."):
                        st = entry.stat()
                        sigs.append((entry.path, st.st_ino, st.st_mtime_ns, st.st_size))
        return tuple(sorted(sigs))

    def watch_changes(self) -> None:
        """Start telling this process's writes from other processes' (`foreign_change`).

        Only a long-running process (the TUI) pays for it: two folder scans per write."""
        self._seen_token = self.change_token()
        self._foreign = False

    def foreign_change(self) -> bool:
        """True once after another process changed the book since we last looked.

        Our own writes do not count: the token is taken again under the lock right after
        each of them, and a change found on taking the lock is remembered."""
        if self._seen_token is None:
            self.watch_changes()
            return False
        token = self.change_token()
        changed = self._foreign or token != self._seen_token
        self._seen_token, self._foreign = token, False
        return changed

    # -- articles and passages (content, written on import only) ---------------------------
    # Sharded by the first two hex digits of the article id (256 shards), so that checking
    # one passage id, or importing one article into a big book, touches one small file.

    def _shard(self, kind: str, article_id: str) -> _File:
        if not _HEX2.match(article_id[:2]):
            raise NotFound(f"no article {article_id[:40]!r} (article ids are hexadecimal)")
        name = f"{kind}-{article_id[:2]}.json"
        f = self._library.get(name)
        if f is None:
            f = self._library[name] = _File(self.path / "library" / name)
        return f

    def _shard_keys(self) -> list[str]:
        folder = self.path / "library"
        if not folder.is_dir():
            return []
        keys = (p.name[len("articles-") : -len(".json")] for p in folder.glob("articles-*.json"))
        return sorted(k for k in keys if _HEX2.match(k))

    def _index(self) -> dict[str, dict[str, Any]]:
        """Every article's metadata by id, re-read only when a shard changed."""
        files = [self._shard("articles", key) for key in self._shard_keys()]
        docs_per_file = [f.docs("articles") for f in files]
        sig = tuple(f.storage._signature for f in files)
        if self._article_index is None or self._article_index[0] != sig:
            index = {d["id"]: d for docs in docs_per_file for d in docs}
            self._article_index = (sig, index)
        return self._article_index[1]

    def _article_doc(self, article_id: str) -> dict[str, Any] | None:
        if not _HEX2.match(article_id[:2]):
            return None
        for d in self._shard("articles", article_id).docs("articles"):
            if d["id"] == article_id:
                return d
        return None

    def articles(self) -> list[Article]:
        """All articles, in import order."""
        docs = sorted(
            self._index().values(), key=lambda d: (d.get("imported_at", ""), d.get("seq", 0))
        )
        return [Article.from_dict(d) for d in docs]

    def article(self, article_id: str) -> Article | None:
        d = self._article_doc(article_id)
        return Article.from_dict(d) if d else None

    def has_article(self, article_id: str) -> bool:
        return self._article_doc(article_id) is not None

    def shard_article_ids(self, key: str) -> set[str]:
        """The ids of the articles in one library shard (`key`: two hex digits), read now:
        import checks thousands of ids against the book with one read per shard."""
        if not _HEX2.match(key):
            return set()
        return {d["id"] for d in self._shard("articles", key).docs("articles")}

    def passages(self, article_ids: Iterable[str] | None = None) -> list[Passage]:
        if article_ids is None:
            keys = self._shard_keys()
            wanted = None
        else:
            wanted = set(article_ids)
            keys = sorted({a[:2] for a in wanted if _HEX2.match(a[:2])})
        out = []
        for key in keys:
            for d in self._shard("passages", key).docs("passages"):
                if wanted is None or d["article_id"] in wanted:
                    out.append(Passage.from_dict(d))
        return out

    def passage(self, pid: str) -> Passage:
        """One passage; the brief files are tried first so the library need not be loaded."""
        for bid in self.brief_ids():
            for doc in self._brief_file(bid).docs("passages"):
                if doc["id"] == pid:
                    return Passage.from_dict(doc)
        for p in self.passages([article_id_of(pid)]):
            if p.id == pid:
                return p
        raise NotFound(f"no passage {pid!r} in {self.path}")

    def require_passage(self, pid: str) -> None:
        """Check a passage id without loading any text: ids are `<article>.<n>` (or a
        written item's `w…`, which can be tagged and key-pointed the same way)."""
        if is_written_id(pid):
            if self.find_written(pid) is None:
                raise NotFound(f"no written item {pid!r} in {self.path}")
            return
        aid, _, n = pid.rpartition(".")
        art = self._article_doc(aid)
        if art is None or not n.isdigit() or not 1 <= int(n) <= art.get("passage_count", 0):
            raise NotFound(f"no passage {pid!r} in {self.path} (see `briefing list`)")

    def add_articles(
        self,
        items: Sequence[tuple[Article, PassagesIn]],
        journal: ImportJournal | None = None,
    ) -> set[str]:
        """Store new articles and their passages (passages first: a crash leaves no article
        without text). One write per touched shard, however many articles, the batch's files
        written together (`atomic_write_files`). Returns the ids really added: another
        process may have added some of them meanwhile.

        An article's passages may be Passages, their `to_dict()`s, or those as orjson
        writes them, one a line (`PassagesIn`: what import's workers hand back, put in the
        shard file as they are). The passage shards written are not kept in memory: an
        import holds one shard's passages at a time, however large the library."""
        added: set[str] = set()
        if not items:
            return added
        with self.locked():
            by_shard: dict[str, list[tuple[Article, PassagesIn]]] = {}
            met: set[str] = set()
            for a, ps in items:
                if a.id not in met:  # the same article twice in one call is stored once
                    met.add(a.id)
                    by_shard.setdefault(a.id[:2], []).append((a, ps))
            seq = self._article_count()
            order = {a.id: n for n, (a, _) in enumerate(items)}
            plan: list[tuple[str, _File, list[tuple[Article, PassagesIn]]]] = []
            for key, group in sorted(by_shard.items()):
                arts = self._shard("articles", key)
                known = {d["id"] for d in arts.docs("articles")}
                fresh = [(a, ps) for a, ps in group if a.id not in known]
                if fresh:
                    plan.append((key, arts, fresh))
            if journal is not None:
                # Under the same lock as the writes: only what this import really adds is
                # ever rolled back, never an article another import added meanwhile. One
                # journal write per batch, before any shard is written.
                journal.add(sorted(a.id for _, _, fresh in plan for a, _ in fresh))
            batch: list[tuple[str, _File, list[tuple[Article, PassagesIn]]]] = []
            size = 0
            for entry in plan:
                batch.append(entry)
                size += _size(self._shard("passages", entry[0]).path) + _size(entry[1].path)
                size += sum(len(ps) if isinstance(ps, bytes) else 1000 for _, ps in entry[2])
                if size >= WRITE_GROUP_BYTES or entry is plan[-1]:
                    self._write_shards(batch, seq, order)
                    added |= {a.id for _, _, fresh in batch for a, _ in fresh}
                    batch, size = [], 0
        return added

    def _article_count(self) -> int:
        """How many articles the library holds, without keeping the shards read."""
        count = 0
        for key in self._shard_keys():
            f = self._shard("articles", key)
            data = f.storage._data if f.storage._signature == f.storage._stat() else None
            if data is None:
                data = SafeStorage(f.path).read() or {}
            count += len(data.get("articles", {}))
        return count

    def _write_shards(
        self,
        plan: list[tuple[str, _File, list[tuple[Article, PassagesIn]]]],
        seq: int,
        order: dict[str, int],
    ) -> None:
        """Some shard pairs' new versions, written together (passages first)."""
        passage_files: list[tuple[Path, bytes]] = []
        article_files: list[tuple[Path, bytes]] = []
        written: list[tuple[_File, dict[str, Any] | None]] = []
        for key, arts, fresh in plan:
            shard = self._shard("passages", key)
            passage_files.append((shard.path, _with_passages(shard.storage, fresh)))
            written.append((shard, None))
            data = dict(arts.storage.read() or {})
            table = dict(data.get("articles", {}))
            next_key = _next_key(table)
            for a, _ in fresh:
                table[str(next_key)] = {**_doc(a), "seq": seq + order[a.id]}
                next_key += 1
            data["articles"] = table
            article_files.append((arts.path, orjson.dumps(data)))
            written.append((arts, data))
        try:
            atomic_write_files(passage_files + article_files)
        except OSError as exc:
            for f, _ in written:
                f.storage.forget()
            raise BookError(
                f"{self.path}: cannot write the library ({exc.strerror or exc})"
            ) from exc
        for f, _ in written:
            # Not kept: an import holds neither the library's text nor its metadata (the
            # next read of a shard reads it again).
            f.reset()
            f.storage.forget()

    # -- passage state (tags, notes, key points) ----------------------------------------------

    def states(self) -> dict[str, PassageState]:
        return {d["passage_id"]: PassageState.from_dict(d) for d in self._state.docs("passages")}

    def state(self, pid: str) -> PassageState:
        for d in self._state.docs("passages"):
            if d["passage_id"] == pid:
                return PassageState.from_dict(d)
        return PassageState(pid)

    def update_states(
        self, pids: Iterable[str], change: Callable[[PassageState], None]
    ) -> dict[str, PassageState]:
        """Apply `change` to each passage's state as it is on disk now, in one write under
        the lock (an edit of fifty marked passages is one write, not fifty)."""
        wanted = list(dict.fromkeys(pids))
        with self.locked():
            # Copy on write: a TUI worker may be reading the cached tables meanwhile.
            data = dict(self._state.storage.read() or {})
            table = dict(data.get("passages", {}))
            key_of = {d["passage_id"]: k for k, d in table.items()}
            out: dict[str, PassageState] = {}
            next_key = _next_key(table)
            for pid in wanted:
                key = key_of.get(pid)
                st = PassageState.from_dict(table[key]) if key else PassageState(pid)
                change(st)
                if key is None:
                    key = key_of[pid] = str(next_key)
                    next_key += 1
                table[key] = st.to_dict()
                out[pid] = st
            data["passages"] = table
            self._state.storage.write(data)
            return out

    def find_note(self, note_id: str) -> tuple[str, int] | None:
        """The passage that holds a note, and the note's place in its list."""
        for d in self._state.docs("passages"):
            for n, note in enumerate(d.get("notes", [])):
                if note.get("id") == note_id:
                    return d["passage_id"], n
        return None

    def update_state(self, pid: str, change: Callable[[PassageState], None]) -> PassageState:
        """Apply `change` to the passage's current state under the lock and save it."""
        with self.locked():
            table = self._state.table("passages")
            doc = table.get(_Q.passage_id == pid)
            st = PassageState.from_dict(doc) if doc else PassageState(pid)
            change(st)
            table.upsert(st.to_dict(), _Q.passage_id == pid)
            return st

    def put_state(self, st: PassageState) -> None:
        with self.locked():
            self._state.table("passages").upsert(st.to_dict(), _Q.passage_id == st.passage_id)

    def article_tags(self) -> dict[str, list[str]]:
        return {d["article_id"]: list(d["tags"]) for d in self._state.docs("article_tags")}

    def add_article_tags(self, tags: dict[str, list[str]]) -> None:
        """Add tags to articles, in one write however many articles."""
        if not tags:
            return
        with self.locked():
            # Copy on write: a TUI worker may be reading the cached tables meanwhile.
            data = dict(self._state.storage.read() or {})
            table = dict(data.get("article_tags", {}))
            key_of = {d["article_id"]: k for k, d in table.items()}
            next_key = _next_key(table)  # once: per article it made a 7,500-tag import O(n²)
            for aid, new in tags.items():
                key = key_of.get(aid)
                if key is None:
                    key = key_of[aid] = str(next_key)
                    next_key += 1
                    table[key] = {"article_id": aid, "tags": []}
                old = table[key]["tags"]
                table[key] = {"article_id": aid, "tags": old + [t for t in new if t not in old]}
            data["article_tags"] = table
            self._state.storage.write(data)

    def get_setting(self, key: str, default: Any = None) -> Any:
        for d in self._state.docs("settings"):
            if d.get("key") == key:
                return d.get("value", default)
        return default

    def set_setting(self, key: str, value: Any) -> None:
        with self.locked():
            self._state.table("settings").upsert({"key": key, "value": value}, _Q.key == key)

    # -- feed subscriptions (`feeds.json`: small, written by `feeds` commands) ------------------

    def _feeds_file(self) -> _File:
        if self._feeds is None:
            self._feeds = _File(self.path / "feeds.json")
        return self._feeds

    def feeds(self) -> list[dict[str, Any]]:
        """The subscriptions, in the order they were added (plain dicts: see importing.feeds)."""
        docs = [d for d in self._feeds_file().docs("feeds") if isinstance(d, dict)]
        return sorted(docs, key=lambda d: str(d.get("added", "")))  # a hand-edited file too

    def update_feeds(self, change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
        """Change the subscriptions (by URL) under the book's lock, as on disk now."""
        with self.locked():
            f = self._feeds_file()
            data = dict(f.storage.read() or {})
            by_url = {
                d["url"]: dict(d)
                for d in data.get("feeds", {}).values()
                if isinstance(d, dict) and isinstance(d.get("url"), str)
            }
            change(by_url)
            table = {str(n): d for n, d in enumerate(by_url.values(), 1)}
            f.storage.write({**data, "feeds": table})

    # -- what is new (`new.json`: passages a feed refresh brought, until they are read) ------------
    # One mapping, passage id → when its refresh ran, in arrival order. Kept apart from
    # state.json so that reading (marks written in batches) never rewrites the tags and notes,
    # and an edit never rewrites the read state.

    def _news_file(self) -> _File:
        if self._news is None:
            self._news = _File(self.path / "new.json")
        return self._news

    def new_passages(self) -> dict[str, str]:
        """Unread passages from feed refreshes: passage id → the refresh's time (ISO)."""
        data = self._news_file().storage.read() or {}
        new = data.get("passages", {})
        return dict(new) if isinstance(new, dict) else {}

    def update_new(self, add: Mapping[str, str] | None = None, read: Iterable[str] = ()) -> int:
        """Mark passages new (`add`) and read (`read`) in one write under the book's lock,
        on the file as it is now (another instance's marks stay). Returns how many are new."""
        read = set(read)
        if not add and not read:
            return len(self.new_passages())
        with self.locked():
            f = self._news_file()
            data = dict(f.storage.read() or {})
            new = dict(data.get("passages", {}))
            for pid in read:
                new.pop(pid, None)
            for pid, at in (add or {}).items():
                new.setdefault(pid, at)
            f.storage.write({**data, "passages": new})
            return len(new)

    # -- briefs ---------------------------------------------------------------------------------

    def _brief_file(self, brief_id: str) -> _File:
        f = self._briefs.get(brief_id)
        if f is None:
            _check_brief_id(brief_id)  # the id becomes a file name: never a path
            f = self._briefs[brief_id] = _File(self.path / "briefs" / f"{brief_id}.json")
        return f

    def _order_file(self, brief_id: str) -> _File:
        f = self._orders.get(brief_id)
        if f is None:
            _check_brief_id(brief_id)
            f = self._orders[brief_id] = _File(self.path / "briefs" / f"{brief_id}{ORDER_SUFFIX}")
        return f

    def brief_ids(self) -> list[str]:
        folder = self.path / "briefs"
        if not folder.is_dir():
            return []
        return sorted(
            p.stem
            for p in folder.glob("*.json")
            if not p.name.startswith(".")
            and not p.name.endswith(ORDER_SUFFIX)
            and BRIEF_ID.match(p.stem)
        )

    def briefs(self) -> list[Brief]:
        return [b for b in (self.brief(i, missing_ok=True) for i in self.brief_ids()) if b]

    def brief(self, brief_id: str, *, missing_ok: bool = False) -> Brief | None:
        docs = self._brief_file(brief_id).docs("brief") if brief_id in self.brief_ids() else []
        if not docs:
            if missing_ok:
                return None
            known = ", ".join(self.brief_ids()) or "none yet"
            raise NotFound(f"no brief {brief_id!r} in {self.path} (briefs: {known})")
        return Brief.from_dict(docs[0])

    def save_brief(self, brief: Brief) -> None:
        with self.locked():
            self._brief_file(brief.id).table("brief").upsert(brief.to_dict(), _Q.id == brief.id)

    def update_brief(self, brief_id: str, change: Callable[[Brief], None]) -> Brief:
        with self.locked():
            table = self._brief_file(brief_id).table("brief")
            doc = table.get(_Q.id == brief_id)
            if doc is None:
                raise NotFound(f"no brief {brief_id!r} in {self.path}")
            brief = Brief.from_dict(doc)
            change(brief)
            table.upsert(brief.to_dict(), _Q.id == brief_id)
            return brief

    def order(self, brief_id: str) -> FilingOrder:
        """Where the brief's passages sit (a fresh object: the caller may change it)."""
        data = self._order_file(brief_id).storage.read()
        try:
            if data is not None:
                return FilingOrder.from_dict(data.get("order", {}))
            # A format-1 book not yet migrated (it is on its first write).
            legacy = self._brief_file(brief_id).docs("filings")
            return FilingOrder.from_filings([Filing.from_dict(d) for d in legacy])
        except (KeyError, TypeError, ValueError) as exc:
            raise BookError(
                f"{self._order_file(brief_id).path}: not a filing order ({exc}); it was not changed"
            ) from exc

    def filings(self, brief_id: str) -> list[Filing]:
        return self.order(brief_id).to_filings()

    def brief_passages(self, brief_id: str) -> dict[str, Passage]:
        """The brief's own copy of the passages filed in it."""
        return {d["id"]: Passage.from_dict(d) for d in self._brief_file(brief_id).docs("passages")}

    def brief_articles(self, brief_id: str) -> dict[str, Article]:
        """The brief's own copy of the metadata of the articles it cites."""
        return {d["id"]: Article.from_dict(d) for d in self._brief_file(brief_id).docs("articles")}

    def update_order(
        self,
        brief_id: str,
        change: Callable[[FilingOrder], None],
        *,
        new_passages: Iterable[Passage] = (),
        new_articles: Iterable[Article] = (),
    ) -> FilingOrder:
        """Change the brief's filing order under the lock and save it.

        The order is a small file of its own; the brief file (with its copy of the
        passages, megabytes on a big brief) is written only when passages join it — first,
        so an order never names a passage the brief does not hold."""
        new_passages, new_articles = list(new_passages), list(new_articles)
        with self.locked():
            bf = self._brief_file(brief_id)
            if not bf.docs("brief"):
                raise NotFound(f"no brief {brief_id!r} in {self.path}")
            order = self.order(brief_id)
            change(order)
            if new_passages or new_articles:
                # Copy on write: a TUI worker may be reading the cached tables meanwhile.
                data = dict(bf.storage.read() or {})
                data["passages"] = _add_missing(data.get("passages", {}), new_passages)
                data["articles"] = _add_missing(data.get("articles", {}), new_articles)
                bf.storage.write(data)
            of = self._order_file(brief_id)
            of.storage.write({**(of.storage.read() or {}), "order": order.to_dict()})
            return order

    def written(self, brief_id: str) -> dict[str, WrittenItem]:
        """The items the desk wrote in this brief, by id (kept with its filing order)."""
        data = self._order_file(brief_id).storage.read() or {}
        try:
            return {k: WrittenItem.from_dict(d) for k, d in data.get("written", {}).items()}
        except (KeyError, TypeError) as exc:
            raise BookError(
                f"{self._order_file(brief_id).path}: a written item is damaged ({exc}); "
                "it was not changed"
            ) from exc

    def update_written(
        self,
        brief_id: str,
        change: Callable[[FilingOrder, dict[str, WrittenItem]], None],
    ) -> tuple[FilingOrder, dict[str, WrittenItem]]:
        """Change a brief's written items and where they sit, in one write."""
        with self.locked():
            if not self._brief_file(brief_id).docs("brief"):
                raise NotFound(f"no brief {brief_id!r} in {self.path}")
            order, items = self.order(brief_id), self.written(brief_id)
            change(order, items)
            of = self._order_file(brief_id)
            of.storage.write(
                {
                    **(of.storage.read() or {}),
                    "order": order.to_dict(),
                    "written": {k: w.to_dict() for k, w in items.items()},
                }
            )
            return order, items

    def find_written(self, item_id: str) -> str | None:
        """The brief that holds a written item."""
        for bid in self.brief_ids():
            if item_id in self.written(bid):
                return bid
        return None

    def update_filings(
        self,
        brief_id: str,
        change: Callable[[list[Filing]], list[Filing]],
        *,
        new_passages: Iterable[Passage] = (),
        new_articles: Iterable[Article] = (),
    ) -> list[Filing]:
        """Replace the brief's filings with `change(current)` under the lock (the list form
        for import and re-filing; single edits use `update_order`)."""
        result: list[list[Filing]] = []

        def via_order(order: FilingOrder) -> None:
            new = change(order.to_filings())
            result.append(new)
            fresh = FilingOrder.from_filings(new)
            order.sections, order.manual = fresh.sections, fresh.manual

        self.update_order(brief_id, via_order, new_passages=new_passages, new_articles=new_articles)
        return result[0]

    # -- the trash: what `rm` removes, kept until restored -------------------------------------

    def _trash_dir(self) -> Path:
        return self.path / "trash"

    def trash_articles(self, ids: list[str]) -> list[str]:
        """Remove articles from the book — their passages leave every brief — keeping all
        of it (text, notes, tags, places in each brief) in the trash. Returns trash ids."""
        out = []
        with self.locked():
            missing = [aid for aid in ids if self._article_doc(aid) is None]
            if missing:  # all or nothing: a typo in the second id removes nothing
                raise NotFound(
                    f"no article {', '.join(repr(m) for m in missing)} in {self.path}; nothing "
                    "was removed (see `briefing list --json`)"
                )
            for aid in ids:
                doc = self._article_doc(aid)
                assert doc is not None
                passages = [p.to_dict() for p in self.passages([aid])]
                pids = {p["id"] for p in passages}
                states = [d for d in self._state.docs("passages") if d["passage_id"] in pids]
                briefs: dict[str, Any] = {}
                for bid in self.brief_ids():
                    order = self.order(bid)
                    places = {
                        pid: [sid, n, pid in order.manual]
                        for sid, ps in order.sections.items()
                        for n, pid in enumerate(ps)
                        if pid in pids
                    }
                    copies = [
                        p.to_dict() for p in self.brief_passages(bid).values() if p.id in pids
                    ]
                    art = self.brief_articles(bid).get(aid)
                    if places or copies or art:
                        briefs[bid] = {
                            "places": places,
                            "passages": copies,
                            "article": art.to_dict() if art else None,
                        }
                record = {
                    "kind": "article",
                    "id": aid,
                    "title": doc.get("title", ""),
                    "removed": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "article": doc,
                    "passages": passages,
                    "states": states,
                    "briefs": briefs,
                }
                tid = self._write_trash(f"a-{aid}", record)
                # Written to the trash first: a crash from here on loses nothing.
                self._remove_articles({aid}, None)
                for bid in briefs:
                    order = self.order(bid)
                    for ps in order.sections.values():
                        ps[:] = [p for p in ps if p not in pids]
                    order.manual -= pids
                    of = self._order_file(bid)
                    of.storage.write({**(of.storage.read() or {}), "order": order.to_dict()})
                    bf = self._brief_file(bid)
                    data = dict(bf.storage.read() or {})
                    data["passages"] = {
                        k: d for k, d in data.get("passages", {}).items() if d.get("id") not in pids
                    }
                    data["articles"] = {
                        k: d for k, d in data.get("articles", {}).items() if d.get("id") != aid
                    }
                    bf.storage.write(data)
                if states:
                    data = dict(self._state.storage.read() or {})
                    data["passages"] = {
                        k: d
                        for k, d in data.get("passages", {}).items()
                        if d.get("passage_id") not in pids
                    }
                    self._state.storage.write(data)
                out.append(tid)
        return out

    def trash_brief(self, brief_id: str) -> str:
        """Remove a brief (its filings, written items and summary) into the trash."""
        with self.locked():
            bf = self._brief_file(brief_id)
            if not bf.docs("brief"):
                raise NotFound(f"no brief {brief_id!r} in {self.path}")
            brief = bf.storage.read() or {}
            order = self._order_file(brief_id).storage.read() or {}
            docs: list[dict[str, Any]] = list(brief.get("brief", {}).values())
            title = str(docs[0].get("title", "")) if docs else ""
            record = {
                "kind": "brief",
                "id": brief_id,
                "title": title,
                "removed": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "brief": brief,
                "order": order,
            }
            tid = self._write_trash(f"b-{brief_id}", record)
            folder = self.path / "briefs"
            for name in (f"{brief_id}.json", f"{brief_id}{ORDER_SUFFIX}"):
                with contextlib.suppress(FileNotFoundError):
                    (folder / name).unlink()
            self._briefs.pop(brief_id, None)
            self._orders.pop(brief_id, None)
            return tid

    def _write_trash(self, stem: str, record: dict[str, Any]) -> str:
        tid = f"{stem}-{secrets.token_hex(3)}"
        atomic_write_bytes(self._trash_dir() / f"{tid}.json", orjson.dumps(record), backup=False)
        return tid

    def trash(self) -> list[dict[str, str]]:
        """What the trash holds: id, kind, title, when."""
        folder = self._trash_dir()
        out = []
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                doc = orjson.loads(path.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                doc = None
            if not isinstance(doc, dict):
                out.append({"id": path.stem, "kind": "?", "title": "(unreadable)", "removed": ""})
                continue
            out.append(
                {
                    "id": path.stem,
                    "kind": str(doc.get("kind", "?")),
                    "title": str(doc.get("title", "")),
                    "removed": str(doc.get("removed", "")),
                }
            )
        return out

    def restore(self, trash_id: str) -> str:
        """Bring an item back from the trash; returns what it was ("article …")."""
        if not re.fullmatch(r"[ab]-[a-z0-9-]{1,80}", trash_id):
            raise NotFound(f"no {trash_id!r} in the trash (see `briefing trash`)")
        path = self._trash_dir() / f"{trash_id}.json"
        with self.locked():
            try:
                doc = orjson.loads(path.read_bytes())
            except FileNotFoundError:
                raise NotFound(f"no {trash_id!r} in the trash (see `briefing trash`)") from None
            except (OSError, orjson.JSONDecodeError) as exc:
                raise BookError(f"{path}: unreadable ({exc}); left as it is") from exc
            try:
                if not isinstance(doc, dict):
                    raise TypeError("not a trash record")
                if doc.get("kind") == "brief":
                    what = self._restore_brief(doc)
                else:
                    what = self._restore_article(doc)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise BookError(
                    f"{path}: a damaged trash record ({type(exc).__name__}: {exc}); "
                    "nothing was restored"
                ) from exc
            path.unlink()
            _fsync_dir(path.parent)
            return what

    def _restore_brief(self, doc: dict[str, Any]) -> str:
        bid = str(doc["id"])
        if bid in self.brief_ids():
            raise BookError(f"a brief {bid!r} exists again; rename or remove it first")
        brief, order = doc["brief"], doc.get("order") or {}
        # Checked as the book would read them, before either is written.
        if not _tables(brief) or not _tables(order):
            raise ValueError("its brief or filing order is not a book file")
        docs = list(brief.get("brief", {}).values())
        if not docs:
            raise ValueError("no brief in it")
        Brief.from_dict(docs[0])
        FilingOrder.from_dict(order.get("order", {}))
        self._brief_file(bid).storage.write(brief)
        if order:
            self._order_file(bid).storage.write(order)
        return f"brief {bid}"

    def _restore_article(self, doc: dict[str, Any]) -> str:
        aid = str(doc["id"])
        again = self._article_doc(aid) is not None
        if not again:
            art = Article.from_dict(doc["article"])
            passages = [Passage.from_dict(p) for p in doc.get("passages", [])]
            if not all(p.article_id == aid for p in passages):
                raise ValueError("passages of another article in it")
            self.add_articles([(art, passages)])
        if doc.get("states"):
            data = dict(self._state.storage.read() or {})
            table = dict(data.get("passages", {}))
            have = {d["passage_id"] for d in table.values()}
            key = _next_key(table)
            by_pid = {d["passage_id"]: k for k, d in table.items()}
            for st in doc["states"]:
                saved = PassageState.from_dict(st)  # checks its shape
                if st["passage_id"] not in have:
                    table[str(key)] = saved.to_dict()
                    key += 1
                    continue
                # Re-imported since: its notes and tags come back onto the passage as it is.
                now = PassageState.from_dict(table[by_pid[saved.passage_id]])
                now.tags += [t for t in saved.tags if t not in now.tags]
                now.key_point = now.key_point or saved.key_point
                ids = {n.id for n in now.notes}
                now.notes += [n for n in saved.notes if n.id not in ids]
                table[by_pid[saved.passage_id]] = now.to_dict()
            data["passages"] = table
            self._state.storage.write(data)
        for bid, info in (doc.get("briefs") or {}).items():
            if bid not in self.brief_ids():
                continue
            copies = [Passage.from_dict(p) for p in info.get("passages", [])]
            arts = [Article.from_dict(info["article"])] if info.get("article") else []
            places = sorted(info.get("places", {}).items(), key=lambda kv: kv[1][1])

            sections = {s.id for s in (self.brief(bid, missing_ok=True) or Brief("", "")).sections}

            def put_back(
                order: FilingOrder, places: list[Any] = places, sections: set[str] = sections
            ) -> None:
                for pid, (sid, n, manual) in places:
                    if order.locate(pid) is not None:
                        continue  # filed again since (re-imported): left where it is
                    # A section removed since: the passage waits under Unsorted.
                    order.insert(pid, sid if sid in sections else "", n, manual)

            self.update_order(bid, put_back, new_passages=copies, new_articles=arts)
        title = doc.get("title", "")
        if again:
            return f"the notes and tags of article {aid} ({title}), which is in the book again"
        return f"article {aid} ({title})"

    # -- what a derived cache (the search index) is built from --------------------------------

    def cache_dir(self) -> Path:
        """Where derived caches live: everything there can be deleted and is rebuilt."""
        return self.path / "cache"

    def content_signatures(self) -> dict[str, tuple[int, ...]]:
        """A cheap fingerprint (inode, mtime, size) of each file whose content is searched:
        `shard:XX` (a library shard pair), `state`, `written:<brief>`. Every write replaces
        its file, so a changed fingerprint means changed content; stat only, nothing read."""
        out: dict[str, tuple[int, ...]] = {}

        def fingerprint(path: Path) -> tuple[int, int, int] | None:
            try:
                st = path.stat()
            except OSError:
                return None
            return (st.st_ino, st.st_mtime_ns, st.st_size)

        for key in self._shard_keys():
            a = fingerprint(self.path / "library" / f"articles-{key}.json")
            p = fingerprint(self.path / "library" / f"passages-{key}.json")
            if a and p:
                out[f"shard:{key}"] = a + p
        if sig := fingerprint(self.path / "state.json"):
            out["state"] = sig
        for bid in self.brief_ids():
            if sig := fingerprint(self.path / "briefs" / f"{bid}{ORDER_SUFFIX}"):
                out[f"written:{bid}"] = sig
        return out

    def shard_keys(self) -> list[str]:
        """The library's shards (two hex digits each), for reading it one shard at a time."""
        return self._shard_keys()

    def shard_content(self, key: str) -> tuple[list[Article], list[Passage]]:
        """One library shard's articles and passages (`key`: two hex digits), read past the
        cache and not kept: a walk over every shard holds one in memory, not the library."""
        if not _HEX2.match(key):
            return [], []
        folder = self.path / "library"

        def docs(kind: str) -> list[dict[str, Any]]:
            data = SafeStorage(folder / f"{kind}-{key}.json").read() or {}
            return list(data.get(kind, {}).values())

        arts = [Article.from_dict(d) for d in docs("articles")]
        known = {a.id for a in arts}
        ps = [Passage.from_dict(d) for d in docs("passages") if d.get("article_id") in known]
        return arts, ps

    # -- checking and repairing ---------------------------------------------------------------

    def book_files(self) -> list[Path]:
        """Every data file of the book."""
        out = [self.path / "state.json", self.path / "feeds.json", self.path / "new.json"]
        for folder in (self.path / "briefs", self.path / "library"):
            if folder.is_dir():
                out += sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
        return [p for p in out if p.exists()]

    def verify(self) -> list[tuple[Path, str]]:
        """Read every file of the book; the ones that cannot be read, and why."""
        problems = []
        for path in self.book_files():
            try:
                SafeStorage(path).read()
            except BookError as exc:
                problems.append((path, str(exc)))
        return problems

    def repair(self) -> list[str]:
        """Put the newest readable backup generation in place of each damaged file; the
        damaged one is kept aside as `<name>.damaged-<time>`. Returns what was done."""
        done = []
        with self.locked():
            for path, _why in self.verify():
                for gen in (".bak", ".bak.1"):
                    bak = path.with_name(path.name + gen)
                    try:
                        if bak.exists() and SafeStorage(bak).read() is not None:
                            break
                    except BookError:
                        continue
                else:
                    done.append(f"{path}: damaged and no readable backup; left as it is")
                    continue
                aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
                os.replace(path, aside)
                shutil.copy2(bak, path)
                done.append(f"{path}: restored from {bak.name}; the damaged file is {aside.name}")
            for f in self._files():
                f.storage._data, f.storage._signature = None, None
        return done
