"""What an attack on sections, written items, the trash and brief JSON found, fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.demo import add_demo
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path) -> list[str]:
    add_demo(Book(tmp_path / "book"))
    return ["--book", str(tmp_path / "book"), "--brief", "demo"]


def test_a_refused_section_removal_changes_nothing(demo: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    for sid in ("ukraine", "regional", "bilateral"):
        assert run(capsys, *demo, "section", "rm", sid)[0] == 0
    book = Book(Path(demo[1]))
    before = book.order("demo").to_dict()
    code, _, err = run(capsys, *demo, "section", "rm", "overview")
    assert code == 2 and "at least one section" in err
    assert Book(Path(demo[1])).order("demo").to_dict() == before


def test_rm_of_a_good_and_a_bad_id_removes_nothing(demo: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    aid = Book(Path(demo[1])).articles()[0].id
    code, _, err = run(capsys, *demo, "rm", aid, "ffffffffff")
    assert code == 1 and "nothing was removed" in err
    assert Book(Path(demo[1])).has_article(aid) and Book(Path(demo[1])).trash() == []


def test_a_damaged_trash_record_is_one_line_and_writes_nothing(demo: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    trash = Path(demo[1]) / "trash"
    trash.mkdir()
    (trash / "a-list.json").write_text("[1, 2]")
    (trash / "b-bad-000000.json").write_text('{"kind": "brief", "id": "newc", "brief": "x"}')
    assert run(capsys, *demo, "trash")[0] == 0
    code, _, err = run(capsys, *demo, "restore", "b-bad-000000")
    assert code == 1 and "damaged trash record" in err and "Traceback" not in err
    assert "newc" not in Book(Path(demo[1])).brief_ids()


def test_undecodable_bytes_in_arguments_are_replaced(demo: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    bad = b"abc\xff\xfedef".decode("utf-8", "surrogateescape")
    code, _, err = run(capsys, *demo, "set", "title", bad)
    assert code == 0, err
    assert Book(Path(demo[1])).brief("demo").title == "abc\ufffd\ufffddef"  # type: ignore[union-attr]


def test_export_into_the_book_is_refused(demo: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    target = Path(demo[1]) / "briefs" / "demo.json"
    before = target.read_bytes()
    code, _, err = run(capsys, *demo, "export", "-o", str(target))
    assert code == 2 and "inside the book" in err
    assert target.read_bytes() == before


def test_a_crafted_brief_json_cannot_change_another_brief(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    book = Book(tmp_path / "book")
    add_demo(book)
    b = ["--book", str(book.path)]
    out = tmp_path / "demo.json"
    assert run(capsys, *b, "export", "--brief", "demo", "--format", "json", "-o", str(out))[0] == 0
    doc = json.loads(out.read_text())
    doc["brief"]["id"] = "colleague"
    p = doc["passages"][0]
    p["key_point"], p["tags"] = True, ["planted"]
    p["notes"] = [{"id": "n0000beef", "text": "INJECTED", "kind": "comment", "brief_id": "demo"}]
    out.write_text(json.dumps(doc))
    code, _, err = run(capsys, *b, "import", str(out))
    assert code == 1 and "belongs to brief 'colleague'" in err
    p["notes"][0]["brief_id"] = "colleague"
    doc["passages"][1]["text"] = "SPOOFED"
    out.write_text(json.dumps(doc))
    assert run(capsys, *b, "import", str(out))[0] == 0
    fresh = Book(book.path)
    st = fresh.state(p["id"])
    assert not st.key_point and st.tags == [] and st.notes == []  # the passage was there
    texts = [q.text for q in fresh.brief_passages("colleague").values()]
    assert "SPOOFED" not in texts  # the book's own text, never the file's
