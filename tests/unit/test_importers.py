"""Each importer on small fixtures of our own (tests/data) and on the real seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.errors import ImportFailed
from briefing.importing import Source, detect, parse_source
from briefing.importing.clean import decode, strip_unsafe, tidy_line
from briefing.importing.text import infer_year

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str) -> list:
    return parse_source(Source(name, path=DATA / name), today=dt.date(2026, 11, 27))


def test_wire_story_layout() -> None:
    [a] = parse("wire.txt")
    assert a.title == "Ministers Meet in Vienna to Discuss Grain Corridor"
    assert a.published == "2024-03-03" and a.published_inferred
    assert a.source == "Example Wire"
    assert a.photo_credit == "ministry press office"
    headings = [h for h, _ in a.paragraphs]
    assert headings == ["", "", "Focus on Ukraine", "Bilateral Agenda"]
    assert not any("Photo" in t or "Based on" in t for _, t in a.paragraphs)


def test_seed(seed: Path) -> None:
    [a] = parse_source(Source(str(seed), path=seed))
    assert a.title == "Turkish Foreign Minister to Visit Moscow for Talks with Lavrov"
    assert a.published == "2025-05-26" and a.published_inferred
    assert a.source == "TASS"
    assert a.publisher == 'GSV "Russia - Islamic World"'
    assert a.photo_credit.startswith("official website")
    assert len(a.paragraphs) == 13
    # quotes, dashes and numbers kept exactly
    assert "“1,000 for 1,000”" in a.paragraphs[4][1]
    assert "May 25–27" in a.paragraphs[0][1]


def test_year_never_in_future() -> None:
    today = dt.date(2025, 3, 1)
    assert infer_year(5, 26, "in 2024 and 2025", today) == "2024-05-26"
    assert infer_year(1, 2, "no year at all", today) == "2025-01-02"


def test_latin1_decodes_as_cafe() -> None:
    [a] = parse("latin1.txt")
    assert a.title == "Café Society"
    assert "crème brûlée" in a.paragraphs[0][1]
    assert a.published == "2023-06-12" and not a.published_inferred


def test_terminal_escapes_and_controls_are_stripped() -> None:
    [a] = parse("terminal.txt")
    text = a.title + " ".join(t for _, t in a.paragraphs)
    assert "\x1b" not in text and "\x07" not in text and "\x00" not in text and "\x9b" not in text
    assert a.title == "Danger Title"
    assert "owned" not in text
    assert a.paragraphs[0][1] == "Body red text with nul and DCS."


def test_strip_unsafe_keeps_newlines_and_text() -> None:
    assert strip_unsafe("a\x1b[1mb\x1b[0m\nc\td") == "ab\nc\td"
    assert strip_unsafe("x\x9b31my\x9d8;;http://e\x9cz") == "xyz"  # 8-bit C1 forms
    assert tidy_line("a \u00a0\t b\nc") == "a b c"


def test_decode_utf8_and_bom() -> None:
    assert decode("é".encode())[0] == "é"
    assert decode(b"\xef\xbb\xbfhi")[0] == "hi"


def test_markdown() -> None:
    [a] = parse("article.md")
    assert a.title == "Energy Talks Resume"
    assert a.published == "2024-09-14"
    assert a.url == "https://example.org/energy-talks"
    assert a.tags == ["energy", "talks"]
    assert a.paragraphs[0] == ("", "The talks on gas transit resumed on Friday, said the ministry.")
    assert ("Bilateral Agenda", "A list item about banks.") in a.paragraphs


def test_html_page_with_boilerplate_rules() -> None:
    [a] = parse("page.html")
    assert a.title == "Harbour Reopens After Storm"
    assert a.published == "2024-02-10"
    texts = [t for _, t in a.paragraphs]
    assert any(t.startswith("The harbour reopened") for t in texts)
    assert not any(t.startswith(("Photo:", "Read more", "Copyright", "Subscribe")) for t in texts)
    assert ("Damage to the Quays", texts[-1]) in a.paragraphs


def test_rss_items_with_same_body_are_distinct() -> None:
    items = parse("feed.rss")
    assert [i.title for i in items] == ["First item", "Second item"]
    assert items[0].article_id() != items[1].article_id()
    assert items[0].paragraphs == [("", "The same body text."), ("", "Second paragraph.")]
    assert items[0].published == "2025-01-06"
    assert items[0].tags == ["energy"]
    assert items[0].source == "Example Wire"


def test_atom_headings() -> None:
    [a] = parse("feed.atom")
    assert a.paragraphs == [("Regional Issues", "Syria and Libya were discussed.")]
    assert a.url == "https://atom.example.com/a"


def test_json_feed() -> None:
    items = parse("feed.json")
    assert items[0].title == "JSON item" and items[0].published == "2025-03-04"
    assert items[0].tags == ["trade"]
    assert items[1].paragraphs == [("", "Text <b>not</b> html.")]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("<?xml version='1.0'?><rss version='2.0'>", "feed"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ('{"version": "https://jsonfeed.org/version/1", "items": []}', "jsonfeed"),
        ("<!DOCTYPE html><html>", "html"),
        ("# Title\n\ntext", "markdown"),
        ("Headline\n\n26 May\n\nText.", "text"),
    ],
)
def test_detect_by_content(text: str, fmt: str) -> None:
    assert detect(text, "noext") == fmt


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x00\x01\x02binary" * 100, "binary"),
        (b'{"title": "x"}\n{"title": "y"}\n', "not a JSON Feed"),
    ],
)
def test_bad_inputs_fail_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailed, match=reason):
        parse_source(Source("x", data=data))


def test_missing_file() -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        parse_source(Source("nope", path=Path("/nonexistent/file.txt")))


def test_huge_file_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.importing as imp

    monkeypatch.setattr(imp, "MAX_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("Headline\n\nA long text that is over the limit.")
    with pytest.raises(ImportFailed, match="too large"):
        parse_source(Source(str(big), path=big))


def test_a_json_feed_names_its_publisher_as_the_items_source() -> None:
    """NPR's technology feed is titled "Technology" and says its author is NPR."""
    import json

    from briefing.importing.feed import parse_json_feed

    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Technology",
        "authors": [{"name": "NPR"}],
        "items": [{"id": "1", "title": "Drones", "content_text": "Drones deliver blood."}],
    }
    [item] = parse_json_feed(json.loads(json.dumps(doc)))
    assert item.source == item.publisher == "NPR"
    del doc["authors"]
    [item] = parse_json_feed(doc)
    assert item.source == "Technology"
