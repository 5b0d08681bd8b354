"""Write a file the user named (`export -o PATH`): to what is there, never over it blindly.

What `PATH` is decides how it is written:

* nothing yet: a new file, written atomically (temp file in the same folder, fsync, rename).
* a regular file: replaced atomically, with the same permission bits, and its old content
  kept as `<name>.bak` (an export is cheap to redo, an overwritten brief is not).
* a symbolic link: its target is written, by these same rules; the link stays a link.
* a FIFO, a character device (`/dev/null`, a terminal) or another non-regular file: written
  as a stream — opened for writing and written, no temp file, no rename. Renaming over one
  would put a regular file in its place (as root, `/dev/null` became one).
* a directory, a missing folder: an error naming the path, before anything is written.

Not `briefing.store.atomic_write_bytes`: that one is for the book, and creates missing
folders, keeps two backup generations, leaves new permission bits and skips the backup when
the folder cannot hold a hard link. Here a missing folder is the user's typo, one backup is
the promise, and a file's mode is the user's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import time
from pathlib import Path

from briefing.errors import BriefingError

FIFO_WAIT = 10.0
"""Seconds to wait for a reader to open a FIFO before giving up (never for ever)."""


class OutputError(BriefingError):
    """The output file cannot be written; the message names it."""


def write_output(path: Path, data: bytes) -> str:
    """Write `data` to the file the user named; returns what was done, for the message
    (`wrote brief.md (the old one is brief.md.bak)`). Raises OutputError."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({_reason(exc)})") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        target = Path(os.path.realpath(path))
        try:
            tst: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            tst = None  # a dangling link: create its target, as `>` in a shell does
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({_reason(exc)})") from None
        done = _write(target, tst, data)
        return f"{done} (through the link {path})"
    return _write(path, st, data)


def _write(path: Path, st: os.stat_result | None, data: bytes) -> str:
    if st is None:
        if not path.parent.is_dir():
            raise OutputError(f"{path}: no such folder {path.parent}")
        _replace(path, data, None)
        return f"wrote {path}"
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a directory")
    if stat.S_ISREG(st.st_mode):
        if not os.access(path.parent, os.W_OK | os.X_OK):
            # No temp file can go next to it: write it in place, after a copy as backup.
            bak = _backup_copy(path)
            _stream(path, data, truncate=True)
            return f"wrote {path} in place (its folder is read-only; the old one is {bak.name})"
        bak = _replace(path, data, st)
        return f"wrote {path} (the old one is {bak.name})"
    if stat.S_ISSOCK(st.st_mode):
        raise OutputError(f"{path}: cannot write (a socket)")
    _stream(path, data, truncate=False)
    return f"wrote {path} ({_kind(st.st_mode)})"


def _replace(path: Path, data: bytes, old: os.stat_result | None) -> Path:
    """Temp file, fsync, the old file hard-linked (else copied) to `.bak`, rename over."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    bak = path.with_name(path.name + ".bak")
    mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        with open(fd, "wb") as fh:
            if old is not None:
                os.chmod(tmp, mode)  # the umask must not narrow the user's own mode
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if old is not None:
            _keep_backup(path, bak)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"{path}: cannot write ({_reason(exc)})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return bak


def _keep_backup(path: Path, bak: Path) -> None:
    """`<name>.bak` becomes the current file, atomically (a hard link renamed into place),
    or a copy where the file system has no hard links."""
    if bak.is_dir() and not bak.is_symlink():
        raise OutputError(f"{path}: cannot keep the old version ({bak} is a directory)")
    link = path.with_name(f".{path.name}.bak.tmp-{secrets.token_hex(4)}")
    try:
        try:
            os.link(path, link)
        except OSError:
            shutil.copy2(path, link)
        os.replace(link, bak)
    except OSError:
        with contextlib.suppress(OSError):
            link.unlink()
        raise


def _backup_copy(path: Path) -> Path:
    """A copy of `path` as `<name>.bak`, for a file that must be written in place."""
    bak = path.with_name(path.name + ".bak")
    try:
        shutil.copyfile(path, bak)
    except OSError as exc:
        raise OutputError(
            f"{path}: not written: its folder is read-only and the old version cannot be "
            f"kept as {bak.name} ({_reason(exc)})"
        ) from None
    return bak


def _stream(path: Path, data: bytes, *, truncate: bool) -> None:
    """Open what is there for writing and write: a device or FIFO stays what it is.

    Opened non-blocking so a FIFO nobody reads is an error after `FIFO_WAIT` seconds rather
    than a hang; then switched back to blocking so a full pipe waits for its reader."""
    flags = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    if truncate:
        flags |= os.O_TRUNC
    deadline = time.monotonic() + FIFO_WAIT
    while True:
        try:
            fd = os.open(path, flags)
            break
        except OSError as exc:
            if exc.errno == errno.ENXIO and time.monotonic() < deadline:
                time.sleep(0.05)  # a FIFO without a reader yet
                continue
            if exc.errno == errno.ENXIO:
                raise OutputError(
                    f"{path}: cannot write (nothing is reading it; waited {FIFO_WAIT:.0f} s)"
                ) from None
            raise OutputError(f"{path}: cannot write ({_reason(exc)})") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({_reason(exc)})") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
