"""`write_output`: the file the user named is written to, never swapped for another.

Each test failed with the previous `atomic_write_bytes(path, ...)` export (a rename over
whatever was there): a link became a file, a FIFO became a file, the old brief was lost.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

import briefing.output as output
from briefing.errors import BriefingError
from briefing.output import OutputError, write_output


def test_a_new_file(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    assert write_output(out, b"new") == f"wrote {out}"
    assert out.read_bytes() == b"new"
    assert not (tmp_path / "brief.md.bak").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temp file left


def test_an_existing_file_is_replaced_keeping_a_backup_and_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_bytes(b"old")
    out.chmod(0o600)
    msg = write_output(out, b"new")
    assert out.read_bytes() == b"new"
    assert (tmp_path / "brief.md.bak").read_bytes() == b"old"
    assert "brief.md.bak" in msg
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    write_output(out, b"newer")
    assert (tmp_path / "brief.md.bak").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "brief.md.bak"]


def test_a_link_is_kept_and_its_target_written(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    msg = write_output(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert (tmp_path / "real.md.bak").read_bytes() == b"old"
    assert "through the link" in msg


def test_a_dangling_link_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    write_output(link, b"x")
    assert link.is_symlink() and (tmp_path / "later.md").read_bytes() == b"x"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    msg = write_output(fifo, b"streamed" * 10_000)  # more than a pipe buffer
    reader.join(5)
    assert got == [b"streamed" * 10_000]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert "a FIFO" in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_nobody_reads_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "FIFO_WAIT", 0.2)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"pipe: cannot write \(nothing is reading it"):
        write_output(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_stays_a_device() -> None:
    null = Path("/dev/null")
    if not null.exists():
        pytest.skip("no /dev/null")
    assert write_output(null, b"discarded") == "wrote /dev/null (a character device)"
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_missing_folder_is_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "brief.md"
    with pytest.raises(OutputError, match=r"brief\.md: no such folder .*such$") as info:
        write_output(out, b"x")
    assert "\n" not in str(info.value)
    assert isinstance(info.value, BriefingError)
    assert not (tmp_path / "no").exists()


def test_a_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_output(tmp_path, b"x")


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "brief.md"
    out.write_bytes(b"old")

    def boom(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", boom)
    with pytest.raises(OutputError, match=r"brief\.md: cannot write \(No space left"):
        write_output(out, b"new")
    assert out.read_bytes() == b"old"
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_file_in_a_read_only_folder_is_written_in_place_after_a_backup(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "brief.md"
    out.write_bytes(b"old")
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="old version cannot be kept"):
            write_output(out, b"new")  # no .bak can be made: nothing is written
        assert out.read_bytes() == b"old"
    finally:
        folder.chmod(0o755)
