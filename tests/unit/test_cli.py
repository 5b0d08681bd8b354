"""The command line, end to end, as a script or a user would call it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def b(book_path: Path) -> list[str]:
    return ["--book", str(book_path)]


def test_import_list_tag_note_export(capsys, b) -> None:
    code, out, _ = run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey")
    assert code == 0 and "imported 1 article, 4 passages" in out
    code, out, _ = run(capsys, *b, "list", "--brief", "russia-turkey", "--json")
    doc = json.loads(out)
    assert doc["brief"]["id"] == "russia-turkey" and doc["brief"]["marking"] == "TLP:AMBER"
    assert [s["id"] for s in doc["sections"]] == ["overview", "ukraine", "regional", "bilateral"]
    pid = doc["sections"][1]["passages"][0]
    assert run(capsys, *b, "tag", pid, "grain", "sea")[0] == 0
    assert run(capsys, *b, "note", pid, "Check [this]")[0] == 0
    assert run(capsys, *b, "keypoint", pid)[0] == 0
    assert run(capsys, *b, "move", pid, "bilateral")[0] == 0
    doc = json.loads(run(capsys, *b, "list", "--json")[1])  # current brief not implied
    assert doc["brief"] is None and doc["sections"] == []
    assert all(p["section"] is None for p in doc["passages"])
    doc = json.loads(run(capsys, *b, "list", "--brief", "russia-turkey", "--json")[1])
    p = next(p for p in doc["passages"] if p["id"] == pid)
    assert p["tags"] == ["grain", "sea"] and p["key_point"] is True and p["section"] == "bilateral"
    assert p["notes"][0]["text"] == "Check [this]"
    assert set(p["notes"][0]) == {"id", "text", "quote", "author", "created"}
    assert set(p) == {
        "id",
        "article",
        "section",
        "position",
        "heading",
        "text",
        "tags",
        "key_point",
        "notes",
    }
    art = doc["articles"][0]
    assert {"id", "title", "source", "publisher", "published", "url", "tags", "imported_at"} <= set(
        art
    )
    code, out, _ = run(capsys, *b, "export", "--brief", "russia-turkey", "--date", "2026-01-02")
    assert code == 0 and "compiled: '2026-01-02'" in out and "**Key point:**" in out
    code, out, _ = run(capsys, *b, "export", "--format", "json", "--date", "2026-01-02")
    assert json.loads(out)["compiled"] == "2026-01-02"


def test_export_to_file_and_source_date_epoch(capsys, b, tmp_path, monkeypatch) -> None:
    run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out1, out2 = tmp_path / "a.md", tmp_path / "b.md"
    assert run(capsys, *b, "export", "-o", str(out1))[0] == 0
    assert run(capsys, *b, "export", "-o", str(out2))[0] == 0
    assert out1.read_bytes() == out2.read_bytes()
    assert "compiled: '2023-11-14'" in out1.read_text()


def test_folder_import_reports_bad_files_and_goes_on(capsys, b, tmp_path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes((DATA / "wire.txt").read_bytes())
    (folder / "sub" / "b.md").write_bytes((DATA / "article.md").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bin.dat").write_bytes(b"\x00\x01\x02\x03" * 500)
    code, out, err = run(capsys, *b, "import", str(folder))
    assert code == 1
    assert "imported 2 articles" in out and "2 failed" in out
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("briefing: ") for line in lines)
    assert any("empty.txt: empty file" in line for line in lines)
    # re-import is a no-op
    code, out, _ = run(capsys, *b, "import", str(folder / "a.txt"))
    assert code == 0 and "imported 0 articles" in out and "1 already in the book" in out


def test_stdin_import(capsys, b, monkeypatch) -> None:
    data = (DATA / "wire.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, *b, "import", "-", "--tag", "wire")
    assert code == 0 and "imported 1 article" in out
    doc = json.loads(run(capsys, *b, "list", "--json")[1])
    assert doc["articles"][0]["tags"] == ["wire"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["note", "nope.1", "x"], "no passage 'nope.1'"),
        (["export", "--brief", "zzz"], "no brief 'zzz'"),
        (["export"], "has no brief yet"),
        (["new", "--template", "nope", "--title", "T"], "no brief template 'nope'"),
        (["import", "/nonexistent/x.txt"], "/nonexistent/x.txt: no such file"),
        (["list", "--section", "x"], "--section needs --brief"),
    ],
)
def test_errors_are_one_line(capsys, b, args, message) -> None:
    code, _, err = run(capsys, *b, *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_corrupt_book_one_line_and_untouched(capsys, b, book_path) -> None:
    run(capsys, *b, "import", str(DATA / "wire.txt"))
    [shard] = (book_path / "library").glob("articles-*.json")
    shard.write_text("{not json")
    code, _, err = run(capsys, *b, "list")
    assert code == 1 and shard.name in err and "corrupt" in err
    assert len(err.strip().splitlines()) == 1
    assert shard.read_text() == "{not json"
    code, _, err = run(capsys, *b, "import", str(DATA / "wire.txt"))
    assert code == 1 and shard.read_text() == "{not json"
    (book_path / "state.json").write_text("[]")
    code, _, err = run(capsys, *b, "briefs")
    assert code == 1 and "state.json: not a briefing book file" in err


def test_new_briefs_search_locate_themes(capsys, b) -> None:
    code, out, _ = run(capsys, *b, "new", "--template", "visit", "--title", "Ankara visit")
    assert code == 0 and "ankara-visit" in out
    code, out, _ = run(capsys, *b, "briefs")
    assert "ankara-visit" in out and "russia-turkey" in out and "daily" in out
    run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "ankara-visit")
    code, out, _ = run(capsys, *b, "search", "ceasefire", "--json")
    assert len(json.loads(out)["passages"]) == 1
    assert run(capsys, *b, "locate", "config")[1].strip().endswith("briefing/config.yaml")
    code, out, _ = run(capsys, *b, "themes")
    assert "briefing-dark" in out and "briefing-light" in out


def test_help_explains() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "briefing", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("import", "export", "--book", "examples:"):
        assert word in out


def test_refile_keeps_hand_moves(capsys, b) -> None:
    run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey")
    doc = json.loads(run(capsys, *b, "list", "--brief", "russia-turkey", "--json")[1])
    pid = doc["sections"][0]["passages"][0]
    run(capsys, *b, "move", pid, "regional")
    code, out, _ = run(capsys, *b, "refile")
    assert code == 0 and "1 hand move kept" in out
    doc = json.loads(
        run(capsys, *b, "list", "--brief", "russia-turkey", "--section", "regional", "--json")[1]
    )
    assert [p["id"] for p in doc["passages"]] == [pid]


def test_demo_only_when_the_tui_opens_an_empty_default_book(capsys, monkeypatch) -> None:
    from briefing import locations
    from briefing.store import Book
    from briefing.tui.app import BriefingApp

    assert run(capsys, "list", "--json")[0] == 0
    assert run(capsys, "briefs")[0] == 0
    assert Book(locations.default_book()).is_empty()  # other commands never add the demo
    opened = []
    monkeypatch.setattr(BriefingApp, "run", lambda self: opened.append(self.session.book.path))
    monkeypatch.setenv("BRIEFING_FORCE_TUI", "1")
    assert (
        run(
            capsys,
        )[0]
        == 0
    )
    assert opened == [locations.default_book()]
    doc = json.loads(run(capsys, "list", "--brief", "demo", "--json")[1])
    assert [len(s["passages"]) for s in doc["sections"]] == [4, 3, 3, 3]
    assert run(capsys)[0] == 0  # a second start adds nothing
    assert len(json.loads(run(capsys, "list", "--json")[1])["articles"]) == 1


def test_tui_needs_a_terminal(capsys, b) -> None:
    code, _, err = run(capsys, *b)
    assert code == 2 and "needs a terminal" in err


def test_json_export_reimports_into_another_book(capsys, b, tmp_path) -> None:
    run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey")
    doc = json.loads(run(capsys, *b, "list", "--brief", "russia-turkey", "--json")[1])
    pid = doc["sections"][0]["passages"][1]
    run(capsys, *b, "note", pid, "keep me")
    run(capsys, *b, "note", pid, "for the minister", "--comment", "--brief", "russia-turkey")
    run(capsys, *b, "tag", pid, "handover")
    run(capsys, *b, "move", pid, "regional")
    run(capsys, *b, "summary", "The bottom line.")
    exported = tmp_path / "brief.json"
    run(capsys, *b, "export", "--format", "json", "-o", str(exported), "--date", "2026-01-01")
    other = ["--book", str(tmp_path / "other")]
    code, out, _ = run(capsys, *other, "import", str(exported))
    assert code == 0 and "imported 1 article, 4 passages" in out
    md = [
        run(capsys, *x, "export", "--brief", "russia-turkey", "--date", "2026-01-01", *c)[1]
        for x in (b, other)
        for c in ([], ["--copy", "desk"])
    ]
    assert md[0] == md[2] and md[1] == md[3]  # both copies survive the round trip
    assert "keep me" not in md[2] and "for the minister" in md[2]  # principal's copy
    assert "keep me" in md[3] and "The bottom line." in md[3]  # the desk copy
    code, out, _ = run(capsys, *other, "import", str(exported))  # again: nothing doubles
    assert code == 0
    again = json.loads(run(capsys, *other, "list", "--brief", "russia-turkey", "--json")[1])
    p = next(p for p in again["passages"] if p["id"] == pid)
    assert len(p["notes"]) == 2 and p["tags"] == ["handover"] and p["section"] == "regional"


def test_tui_refuses_unknown_brief_and_corrupt_brief_file(capsys, b, book_path) -> None:
    run(capsys, *b, "import", str(DATA / "wire.txt"), "--brief", "russia-turkey")
    code, _, err = run(capsys, *b, "--brief", "nope")
    assert code == 1 and "no brief 'nope'" in err
    (book_path / "briefs" / "russia-turkey.json").write_text("{broken")
    code, _, err = run(capsys, *b)
    assert code == 1 and "russia-turkey.json" in err and "corrupt" in err
    assert (book_path / "briefs" / "russia-turkey.json").read_text() == "{broken"


def test_names_may_follow_options(capsys, b) -> None:
    """`feeds add --every 2h URL`: argparse alone calls the URL unrecognised."""
    assert run(capsys, *b, "feeds", "add", "--every", "2h", "http://127.0.0.1:9/f.xml")[0] == 0
    code, out, _ = run(capsys, *b, "feeds", "list")
    assert code == 0 and "every 2h" in out
    with pytest.raises(SystemExit) as exited:  # as argparse ends it, with its usage line
        run(capsys, *b, "feeds", "list", "--bogus")
    assert exited.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
