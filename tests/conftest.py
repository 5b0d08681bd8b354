"""Shared fixtures: every test gets its own user folders, and real data from ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIEFING_SHARED", REPO.parent / "shared"))
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data/config folders at tmp, so no test touches the real ones."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("BRIEFING_BOOK", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from briefing import aliases

    aliases.reset()  # read from this test's config and templates
    return tmp_path


def shared_path(*parts: str) -> Path:
    """A path in ../shared; skips the test when it is absent — unless
    BRIEFING_REQUIRE_SHARED=1 (set by .ci/run), where absence is a failure."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("BRIEFING_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} is missing but BRIEFING_REQUIRE_SHARED=1")
        pytest.skip(f"{path} is absent (real data from ../shared)")
    return path


@pytest.fixture
def seed() -> Path:
    return shared_path("seeds", "000_8c5d5f984634a6eb.txt")


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book"


@pytest.fixture
def book(book_path: Path):
    from briefing.store import Book

    return Book(book_path)
