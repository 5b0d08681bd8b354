"""Key judgments: written, edited, linked, reordered, deleted and undone; in the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.editing.judgments import confidence_word, likelihood_word
from briefing.errors import NotFound, UsageError
from briefing.session import Session
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def brief(tmp_path: Path) -> Session:
    book = Book(tmp_path / "book")
    s = Session(book, "russia-turkey")
    from briefing.importing import expand
    from briefing.importing.service import import_sources

    import_sources(book, list(expand([str(DATA / "wire.txt")])), brief_id="russia-turkey")
    s.load()
    return s


def pids(s: Session) -> list[str]:
    return [i.passage.id for i in s.require_view().items()]


def test_the_scale_words_are_forgiving_but_exact(brief: Session) -> None:
    assert likelihood_word("Very-Likely") == "very likely"
    assert likelihood_word("very l") == "very likely"
    assert likelihood_word("even") == "roughly even chance"
    assert confidence_word("Mod") == "moderate"
    with pytest.raises(UsageError, match="almost no chance"):
        likelihood_word("probable")
    with pytest.raises(UsageError):
        likelihood_word("very")  # very likely or very unlikely?
    with pytest.raises(UsageError):
        confidence_word("")


def test_add_edit_link_move_delete_and_undo(brief: Session) -> None:
    s = brief
    p1, p2 = pids(s)[:2]
    first = s.add_judgment("Fidan will meet Putin.", "likely", "moderate", [p1]).result
    second = s.add_judgment("The talks will not end the war.", "almost certain", "high").result
    b = s.require_view().brief
    assert [j.id for j in b.judgments] == [first, second]
    assert b.judgments[0].passages == [p1] and s.require_view().linked[p1][0].id == p1
    s.edit_judgment(second, likelihood="very likely", link=[p2, p2])
    j = s.require_view().brief.judgment(second)
    assert j is not None and j.likelihood == "very likely" and j.passages == [p2]
    s.undo()
    j = s.require_view().brief.judgment(second)
    assert j is not None and j.likelihood == "almost certain" and j.passages == []
    s.move_judgment(second, -1)
    assert [j.id for j in s.require_view().brief.judgments] == [second, first]
    s.delete_judgment(first)
    assert [j.id for j in s.require_view().brief.judgments] == [second]
    s.undo()  # back in its place, with its link
    again = s.require_view().brief.judgments
    assert [j.id for j in again] == [second, first] and again[1].passages == [p1]
    # What is on disk is what the session shows.
    assert Book(s.book.path).brief("russia-turkey").judgments == again  # type: ignore[union-attr]


def test_mistakes_are_refused_with_a_reason(brief: Session) -> None:
    s = brief
    with pytest.raises(UsageError, match="empty"):
        s.add_judgment("  ", "likely", "low")
    with pytest.raises(NotFound):
        s.add_judgment("x", "likely", "low", ["nope.1"])
    with pytest.raises(NotFound, match="no judgment"):
        s.edit_judgment("j000000", text="x")
    assert s.require_view().brief.judgments == []


def test_undo_leaves_another_writers_change_alone(brief: Session) -> None:
    s = brief
    jid = s.add_judgment("Talks in June.", "likely", "low").result
    s.edit_judgment(jid, text="Talks in July.")
    other = Session(Book(s.book.path), "russia-turkey")
    other.load()
    other.edit_judgment(jid, confidence="high")  # another instance, meanwhile
    applied = s.undo()
    assert applied is not None and applied.conflicts
    j = Book(s.book.path).brief("russia-turkey").judgment(jid)  # type: ignore[union-attr]
    assert j is not None and j.text == "Talks in July." and j.confidence == "high"


def test_export_lists_them_after_the_summary_with_their_sources(brief: Session) -> None:
    s = brief
    p1 = pids(s)[0]
    s.set_summary("Fidan goes to Moscow.")
    s.add_judgment("Fidan will meet Putin.", "likely", "moderate", [p1])
    s.add_judgment("Unsupported [call].", "unlikely", "low")
    principal = s.export_text()
    desk = s.export_text(copy="desk")
    assert principal.index("## Summary") < principal.index("## Key judgments")
    assert principal.index("## Key judgments") < principal.index("## Contents")
    assert "1. **Likely** (moderate confidence): Fidan will meet Putin. \\[1\\]" in principal
    assert "2. **Unlikely** (low confidence): Unsupported \\[call\\]." in principal
    assert "no supporting passage" not in principal
    assert desk.count("no supporting passage") == 1
    assert "judgments: 2" in principal


def test_cli_judge(brief: Session, capsys: pytest.CaptureFixture[str]) -> None:
    b = ["--book", str(brief.book.path), "--brief", "russia-turkey"]
    p1 = pids(brief)[0]
    assert main([*b, "judge", "Talks go ahead.", "--likelihood", "very l", "--confidence", "high",
                 "--passage", p1]) == 0  # fmt: skip
    jid = capsys.readouterr().out.strip()
    assert main([*b, "judge", "--edit", jid, "--unlink", p1, "--confidence", "low"]) == 0
    assert main([*b, "judge", "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out[out.index("{") :])
    assert doc["judgments"][0]["passages"] == [] and doc["judgments"][0]["confidence"] == "low"
    assert main([*b, "judge", "No likelihood"]) == 2
    assert "--likelihood" in capsys.readouterr().err
    assert main([*b, "judge", "--delete", jid]) == 0
    assert main([*b, "judge"]) == 0
    assert "no key judgments yet" in capsys.readouterr().out


def test_a_long_judgment_is_refused_not_cut(brief: Session) -> None:
    with pytest.raises(UsageError, match="at most 2,000 characters"):
        brief.add_judgment("x" * 10_000, "likely", "low")
    jid = brief.add_judgment("Line\u2028separated\x85words", "likely", "low").result
    j = brief.require_view().brief.judgment(jid)
    assert j is not None and j.text == "Line\nseparated\nwords"


def test_unlinking_what_is_not_linked_is_an_error(
    brief: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    b = ["--book", str(brief.book.path), "--brief", "russia-turkey"]
    jid = brief.add_judgment("Talks go ahead.", "likely", "low").result
    assert main([*b, "judge", "--edit", jid, "--unlink", "nope.1"]) == 2
    assert "not linked" in capsys.readouterr().err
