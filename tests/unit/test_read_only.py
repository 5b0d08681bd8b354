"""`--read-only`: a book opened not to be changed is not changed — nor the user's config."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import config
from briefing.cli import main
from briefing.demo import add_demo
from briefing.errors import BookReadOnly
from briefing.search.index import find
from briefing.session import Session
from briefing.store import Book
from briefing.tui.app import BriefingApp
from tests.ui.conftest import settle


def files(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    b = Book(tmp_path / "book")
    add_demo(b)
    return b.path


def test_every_write_is_refused_and_search_reads_without_the_index(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(book)
    ro = Book(book, read_only=True)
    assert not ro.writable
    with pytest.raises(BookReadOnly):
        ro.set_setting("x", 1)
    s = Session(ro, "demo")
    s.load()
    s.export_copy = "desk"
    s.save_settings()  # the choice lasts the session
    s.drafts["note:x"] = "draft"
    s.save_drafts()
    assert find(ro, "Fidan").items  # found by reading every passage
    assert main(["--book", str(book), "--read-only", "note", "906ccc008f.1", "x"]) != 0
    assert "read-only" in capsys.readouterr().err
    assert files(book) == before  # not a byte: no index, no settings, no drafts


async def test_a_read_only_session_leaves_the_config_file_alone(
    book: Path, user_dirs: Path
) -> None:
    cfg = user_dirs / "config" / "briefing"
    cfg.mkdir(parents=True)
    written = "# mine\ntheme: briefing-dark   # the team's\n"
    (cfg / "config.yaml").write_text(written)
    app = BriefingApp(Book(book, read_only=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.theme = "briefing-light"
        await settle(pilot, app)
    assert (cfg / "config.yaml").read_text() == written


def test_saving_a_setting_keeps_the_users_comments(user_dirs: Path) -> None:
    cfg = user_dirs / "config" / "briefing"
    cfg.mkdir(parents=True)
    (cfg / "config.yaml").write_text(
        "# My config: keep these comments!\ntheme: nord   # the team's theme\n"
        "drop:\n  - source: Sports Desk   # never sports\n"
    )
    config.save_setting("theme", "briefing-light")
    assert (cfg / "config.yaml").read_text() == (
        "# My config: keep these comments!\ntheme: briefing-light   # the team's theme\n"
        "drop:\n  - source: Sports Desk   # never sports\n"
    )
    config.save_setting("author", "J. Smith")
    assert (cfg / "config.yaml").read_text().endswith("author: J. Smith\n")
