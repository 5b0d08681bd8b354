"""Spelling variants (Kyiv/Kiev) searched, highlighted and filed as one name."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import aliases
from briefing.cli import main
from briefing.errors import TemplateError
from briefing.search import highlight, matcher, search
from briefing.search.index import SearchIndex, find
from briefing.session import Session
from briefing.store import Book
from briefing.templates import parse_template


def test_the_seed_finds_kyiv_for_kiev_and_kiev_for_kyiv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: Path
) -> None:
    book = tmp_path / "book"
    assert main(["--book", str(book), "import", str(seed), "--brief", "russia-turkey"]) == 0
    capsys.readouterr()
    b = Book(book)
    for query, other in (("Kiev", "Moscow and Kyiv agreed"), ("Kyiv", "present Kiev with")):
        found = [i.passage.text for i in find(b, query).items]
        assert any(other in text for text in found), query  # the other spelling's passage
        # The in-memory matcher (a listing's /) agrees with the index.
        items = Session(b, "russia-turkey").load().items()  # type: ignore[union-attr]
        assert {i.passage.text for i in search(items, query)} == set(found)
    assert main(["--book", str(book), "search", "Kiev"]) == 0
    assert "Moscow and Kyiv agreed" in capsys.readouterr().out.replace("\x1b[1m", "").replace(
        "\x1b[22m", ""
    )
    text = "Moscow and Kyiv agreed; Kiev said"
    assert [text[s:e] for s, e in highlight(text, "kiev")] == ["Kyiv", "Kiev"]


def test_changing_the_aliases_rebuilds_the_index(tmp_path: Path, seed: Path) -> None:
    book = Book(tmp_path / "book")
    assert main(["--book", str(book.path), "import", str(seed)]) == 0
    aliases.configure([])
    assert not any("Kiev" in i.passage.text for i in find(book, "Kyiv").items)
    aliases.configure([("Kyiv", "Kiev")])
    index = SearchIndex(book)
    assert index.sync()
    assert any("Kiev" in i.passage.text for i in find(book, "Kyiv", index=index).items)
    index.close()


def test_a_new_brief_files_every_spelling_of_a_keyword(tmp_path: Path, user_dirs: Path) -> None:
    folder = user_dirs / "config" / "briefing" / "briefs"
    folder.mkdir(parents=True)
    (folder / "desk.yaml").write_text(
        "id: desk\ntitle: Desk\naliases:\n  - [Kyiv, Kiev]\nsections:\n"
        "  - {id: other, title: Other, keywords: [weather]}\n"
        "  - {id: ukraine, title: Ukraine, keywords: [Kyiv]}\n"
    )
    config = user_dirs / "config" / "briefing"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.yaml").write_text("aliases:\n  - [Odesa, Odessa]\n")
    (tmp_path / "a.txt").write_text("Talks in Kiev\n\nThe talks in Kiev went on late.\n")
    book = tmp_path / "book"
    assert main(["--book", str(book), "new", "--template", "desk", "--title", "Desk"]) == 0
    brief = Book(book).brief("desk")
    assert brief is not None and brief.section("ukraine").keywords == ["Kyiv", "Kiev"]  # type: ignore[union-attr]
    assert main(["--book", str(book), "import", str(tmp_path / "a.txt"), "--brief", "desk"]) == 0
    v = Session(Book(book), "desk").load()
    assert v is not None and [i.section_id for i in v.items()] == ["ukraine"]
    assert matcher("odessa")(v.items()[0]) is False
    assert aliases.table()["odessa"] == "odesa" and aliases.table()["kiev"] == "kyiv"


@pytest.mark.parametrize(
    ("aliases_yaml", "field"),
    [
        ("aliases: Kyiv\n", "aliases:"),
        ("aliases:\n  - [Kyiv]\n", "aliases.0:"),
        ("aliases:\n  - [Kyiv, New York]\n", "aliases.0.1:"),
        ("aliases:\n  - [Kyiv, Kiev]\n  - [Kiev, Kyjiw]\n", "aliases.1.0:"),
    ],
)
def test_bad_aliases_name_the_file_line_and_field(
    tmp_path: Path, aliases_yaml: str, field: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(f"id: t\ntitle: T\n{aliases_yaml}sections:\n  - {{id: a, title: A}}\n")
    with pytest.raises(TemplateError) as caught:
        parse_template(path)
    message = str(caught.value)
    assert "t.yaml:" in message and field in message, message


def test_groups_sharing_a_word_are_one_name_for_filing_search_and_doctor(
    tmp_path: Path, user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = user_dirs / "config" / "briefing"
    (cfg / "briefs").mkdir(parents=True)
    (cfg / "config.yaml").write_text("aliases:\n  - [Kyiv, Kiev]\n  - [Kyiv]\n  - []\n")
    (cfg / "briefs" / "x.yaml").write_text(
        "id: x\ntitle: X\naliases:\n  - [Kiev, Kyjiw]\nsections:\n"
        "  - {id: other, title: Other, keywords: [weather]}\n"
        "  - {id: ukraine, title: Ukraine, keywords: [Kyjiw]}\n"
    )
    table = aliases.table()
    assert table["kiev"] == table["kyjiw"] == "kyiv"
    book = tmp_path / "book"
    assert main(["--book", str(book), "new", "--template", "x", "--title", "X"]) == 0
    (tmp_path / "a.txt").write_text("Zebras in Kyiv\n\nZebras were seen in Kyiv.\n")
    assert main(["--book", str(book), "--brief", "x", "import", str(tmp_path / "a.txt")]) == 0
    v = Session(Book(book), "x").load()
    assert v is not None and [i.section_id for i in v.items()] == ["ukraine"]  # via Kyjiw
    assert [i.passage.text for i in find(Book(book), "Kyjiw zebras").items] == [
        "Zebras were seen in Kyiv."
    ]
    capsys.readouterr()
    assert main(["--book", str(book), "doctor"]) == 1
    out = "".join(capsys.readouterr())
    assert "aliases.1" in out and "aliases.2" in out  # every bad group, not the first only
    assert "'kiev' is in more than one group" in out
