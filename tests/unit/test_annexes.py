"""Annexes from the seed: who's who, chronology and key figures, reviewed and exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.session import Session
from briefing.store import Book

BRIEF = "russia-turkey"


@pytest.fixture
def book(tmp_path: Path, seed: Path) -> Path:
    path = tmp_path / "book"
    assert main(["--book", str(path), "import", str(seed), "--brief", BRIEF]) == 0
    return path


def listed(book: Path, capsys: pytest.CaptureFixture[str], annex: str) -> list[dict]:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--book", str(book), "--brief", BRIEF, annex, "--json"]) == 0
    return json.loads(capsys.readouterr().out)[annex]


def test_the_seed_holds_the_people_dates_and_figures_a_reader_needs(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = {e["title"]: e["detail"] for e in listed(book, capsys, "people")}
    for name, role in [
        ("Hakan Fidan", "Turkish Foreign Minister"),
        ("Sergey Lavrov", "Russian Foreign Minister"),
        ("Vladimir Putin", "Russian President"),
        ("Vladimir Medinsky", "Presidential Aide"),
        ("Andrey Belousov", "Defense Minister"),
        ("Konstantin Kosachev", "Deputy Speaker of the Federation Council"),
    ]:
        assert people.get(name) == role, (name, people)
    whens = [e["when"] for e in listed(book, capsys, "dates")]
    assert {"2025-05-16", "2025-05-24", "2025-05-25/2025-05-27"} <= set(whens)
    assert whens == sorted(whens)
    values = {e["title"] for e in listed(book, capsys, "figures")}
    assert {"6.7 million", "about 12.7%", "1,000 for 1,000"} <= values


def test_reviews_survive_new_passages_and_shape_the_two_copies(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    b = ["--book", str(book), "--brief", BRIEF]
    assert main([*b, "people", "--confirm", "sergey-lavrov", "--drop", "andrey-belousov"]) == 0
    assert main([*b, "people", "--set", "vladimir-putin", "role", "President of Russia"]) == 0
    assert main([*b, "people", "--confirm", "nobody-here"]) == 1
    assert "no people entry 'nobody-here'" in capsys.readouterr().err
    # A new article in the brief: the rules run again, the reviews stay with their entries.
    (tmp_path / "more.txt").write_text(
        "Lavrov speaks\n\nRussian Foreign Minister Sergey Lavrov spoke to reporters on May 28.\n"
    )
    assert main([*b, "import", str(tmp_path / "more.txt")]) == 0
    people = {e["key"]: e for e in listed(book, capsys, "people")}
    assert people["sergey-lavrov"]["status"] == "confirmed"
    assert len(people["sergey-lavrov"]["passages"]) >= 4
    assert "andrey-belousov" not in people
    assert people["vladimir-putin"]["detail"] == "President of Russia"
    capsys.readouterr()
    assert main([*b, "export", "-o", "-"]) == 0
    principal = capsys.readouterr().out
    annex = principal[principal.index("## Annex: Who's who") : principal.index("## Sources")]
    assert "Sergey Lavrov" in annex and "President of Russia" in annex  # a correction confirms
    assert "Kosachev" not in annex  # confirmed entries only
    assert "## Annex: Chronology" not in principal  # nothing confirmed there yet
    assert main([*b, "export", "--copy", "desk", "-o", "-"]) == 0
    desk = capsys.readouterr().out
    assert "**Vladimir Putin** — President of Russia" in desk
    assert "`konstantin-kosachev` *(unconfirmed)*" in desk
    assert "Belousov** —" not in desk  # dropped
    assert "## Annex: Chronology" in desk and "## Annex: Key figures" in desk
    assert main([*b, "set", "annexes", "dates"]) == 0
    assert main([*b, "export", "--copy", "desk", "-o", "-"]) == 0
    desk = capsys.readouterr().out
    assert "## Annex: Chronology" in desk and "Who's who" not in desk
    assert main([*b, "set", "annexes", "gossip"]) == 2


def test_merge_and_undo_in_a_session(book: Path) -> None:
    s = Session(Book(book), BRIEF)
    s.load()
    s.review("people", "vladimir-medinsky", into="vladimir-putin")
    people = {e.key: e for e in s.annex("people")}
    assert "vladimir-medinsky" not in people
    assert people["vladimir-putin"].merged == ("vladimir-medinsky",)
    s.undo()
    assert "vladimir-medinsky" in {e.key for e in s.annex("people")}
    with pytest.raises(Exception, match="itself"):
        s.review("people", "vladimir-putin", into="vladimir-putin")


def test_a_merge_never_makes_a_circle_nor_hides_people(book: Path) -> None:
    from briefing.errors import UsageError
    from briefing.model import Review

    s = Session(Book(book), BRIEF)
    s.load()
    s.review("people", "hakan-fidan", into="sergey-lavrov")
    with pytest.raises(UsageError, match="circle"):
        s.review("people", "sergey-lavrov", into="hakan-fidan")
    s.review("people", "vladimir-putin", status="dropped")
    with pytest.raises(UsageError, match="dropped"):
        s.review("people", "andrey-belousov", into="vladimir-putin")

    # A circle made by hand in the book merges nothing: nobody disappears.
    def circle(b) -> None:  # type: ignore[no-untyped-def]
        b.reviews["people:sergey-lavrov"] = Review(into="hakan-fidan")

    Book(book).update_brief(BRIEF, circle)
    s.load()
    keys = {e.key for e in s.annex("people")}
    assert {"hakan-fidan", "sergey-lavrov"} <= keys
