"""The search index: the same passages as reading every one, kept in step with the book,
and never the reason a search fails."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.briefs import library_items, view
from briefing.cli import main
from briefing.editing import DeleteNote, WriteItem, add_note, add_tags
from briefing.exporting.json import _MAYBE_UNSAFE, brief_json
from briefing.importing import expand
from briefing.importing.service import import_sources
from briefing.sanitize import is_safe
from briefing.search import highlight, item_words, search, snippet, words
from briefing.search.index import SearchIndex, search_book
from briefing.store import Book
from tests.conftest import DATA, shared_path

WIRE = DATA / "wire.txt"


def ids(items: list) -> set[str]:  # type: ignore[type-arg]
    return {i.passage.id for i in items}


def _book(path: Path, *inputs: Path, brief: str | None = None) -> Book:
    book = Book(path)
    import_sources(book, list(expand([str(p) for p in inputs])), brief_id=brief)
    return book


@pytest.fixture
def small(tmp_path: Path) -> Book:
    inputs = [DATA / n for n in ("wire.txt", "article.md", "feed.rss", "feed.atom", "page.html")]
    return _book(tmp_path / "book", *inputs, brief="russia-turkey")


def test_every_single_word_finds_what_the_old_scan_found(small: Book) -> None:
    """Over text, heading, tags, notes, title and source; in the library and in a brief."""
    items = library_items(small)
    first = items[0].passage.id
    add_tags(small, first, ["grain-deal"])
    add_note(small, first, "Ask the ministry about Akkuyu")
    items = library_items(small)
    vocabulary = sorted({w for i in items for w in item_words(i)})
    assert {"grain", "deal", "akkuyu", "ministry"} <= set(vocabulary)
    brief = view(small, "russia-turkey").items()
    for word in vocabulary:
        assert ids(search_book(small, word)) == ids(search(items, word)), word
        assert ids(search_book(small, word, "russia-turkey")) == ids(search(brief, word)), word


def test_phrases_prefixes_and_whole_words(small: Book) -> None:
    items = library_items(small)
    for query in ['"Black Sea"', "Black Sea", "Erdo*", "mir", "putin lavrov", '"sea black"']:
        assert ids(search_book(small, query)) == ids(search(items, query)), query


def test_edits_and_imports_reach_the_index_without_a_rebuild(small: Book, tmp_path: Path) -> None:
    index = SearchIndex(small)
    assert index.sync() and index.stale() == []
    pid = library_items(small)[3].passage.id
    assert search_book(small, "zanzibarish") == []
    note, _ = add_note(small, pid, "zanzibarish remark")
    assert index.stale() == ["state"]
    assert ids(search_book(small, "zanzibarish", index=index)) == {pid}
    DeleteNote(note.id).apply(small)
    assert search_book(small, "zanzibarish", index=index) == []
    extra = tmp_path / "extra.txt"
    extra.write_text("Quokka diplomacy\n\nThe quokka summit opened in Perth.\n")
    import_sources(small, [next(iter(expand([str(extra)])))])
    assert len(index.stale()) == 1  # one shard, not the library
    assert len(search_book(small, "perth", index=index)) == 1


def test_written_items_are_found_in_their_brief(small: Book) -> None:
    section = view(small, "russia-turkey").brief.sections[0].id
    WriteItem("russia-turkey", section, "Our own assessment of the wombat question.").apply(small)
    found = search_book(small, "wombat", "russia-turkey")
    assert len(found) == 1 and found[0].is_written
    assert search_book(small, "wombat") == []  # the library holds articles only


def test_a_corrupt_missing_or_foreign_index_is_rebuilt(small: Book) -> None:
    items = library_items(small)
    expected = ids(search(items, "sea"))
    index = SearchIndex(small)
    index.sync()
    index.close()
    index.path.write_bytes(b"this is not a database" * 100)
    assert ids(search_book(small, "sea")) == expected
    db = sqlite3.connect(index.path)
    db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
    db.commit()
    db.close()
    assert ids(search_book(small, "sea")) == expected
    index.path.unlink()
    assert ids(search_book(small, "sea")) == expected
    assert index.path.exists()


def test_an_unwritable_cache_falls_back_to_reading_every_passage(small: Book) -> None:
    small.cache_dir().write_text("a file where the cache folder would be")
    index = SearchIndex(small)
    assert not index.sync()
    assert "cannot be written" in index.unavailable
    assert ids(search_book(small, "sea")) == ids(search(library_items(small), "sea"))


def test_two_processes_syncing_at_once_both_get_a_whole_index(small: Book) -> None:
    results: list[set[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(ids(search_book(Book(small.path), "sea")))
        except BaseException as exc:
            errors.append(exc)

    for _ in range(5):  # each time from no index at all: all three create it at once
        SearchIndex(small).drop()
        results.clear()
        threads = [threading.Thread(target=run) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(results) == 3 and results[0] == results[1] == results[2] != set()


def test_a_full_rebuild_in_a_worker_process_gives_the_same_index(small: Book) -> None:
    import briefing.search.index as si

    expected = {w: ids(search_book(small, w)) for w in ("sea", "putin", "grain", "the")}
    SearchIndex(small).drop()
    old = si.POOL_FROM
    si.POOL_FROM = 1
    try:
        assert {w: ids(search_book(small, w)) for w in expected} == expected
    finally:
        si.POOL_FROM = old


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_the_index_splits_text_into_the_same_words(text: str) -> None:
    """FTS5 is given our words joined by spaces: each must come back as one token."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE f USING fts5(base, tokenize = "
        "\"unicode61 remove_diacritics 0 tokenchars '''’_'\")"
    )
    toks = words(text)
    db.execute("INSERT INTO f VALUES (?)", (" ".join(toks),))
    for tok in set(toks):
        hit = db.execute("SELECT count(*) FROM f WHERE f MATCH ?", (f'"{tok}"',)).fetchone()
        assert hit == (1,), tok


def test_highlights_are_whole_words_and_phrases() -> None:
    text = "Vladimir said the Mir card and the Black Sea; the sea was black."
    marked = [text[s:e] for s, e in highlight(text, "mir")]
    assert marked == ["Mir"]
    assert [text[s:e] for s, e in highlight(text, '"black sea"')] == ["Black", "Sea"]
    assert [text[s:e] for s, e in highlight(text, "vlad*")] == ["Vladimir"]
    line, spans = snippet(
        "x " * 100 + "the Akkuyu plant", highlight("x " * 100 + "the Akkuyu plant", "akkuyu")
    )
    assert line.startswith("…") and [line[s:e] for s, e in spans] == ["Akkuyu"]


def test_cli_search_takes_several_words_and_prints_no_styles_into_a_pipe(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--book", str(small.path), "search", "Black", "Sea"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.strip() and "(no passages)" not in out
    assert main(["--book", str(small.path), "search", "zzzqqq"]) == 0
    assert "(no passages)" in capsys.readouterr().out


def test_reindex_rebuilds(small: Book, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--book", str(small.path), "reindex"]) == 0
    assert "search index rebuilt" in capsys.readouterr().out
    assert SearchIndex(small).stale() == []


def test_streamed_library_json_is_the_same_document(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    first = library_items(small)[0].passage.id
    add_tags(small, first, ["energy"])
    items = library_items(small)
    from briefing.briefs import articles_of

    expected = brief_json(None, items, articles_of(items), small.article_tags())
    assert main(["--book", str(small.path), "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(expected))
    assert main(["--book", str(small.path), "list", "--json", "--tag", "energy"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in doc["passages"]] == [first] and len(doc["articles"]) == 1
    assert main(["--book", str(small.path), "list", "--json", "--tag", "none-such"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "brief": None,
        "sections": [],
        "passages": [],
        "articles": [],
    }


def test_the_fast_path_of_the_json_printer_misses_no_unsafe_character() -> None:
    ranges = [
        *range(0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
    for cp in ranges:
        ch = chr(cp)
        if not is_safe(ch):
            raw = orjson.dumps({"text": f"a{ch}b"}, option=orjson.OPT_INDENT_2)
            assert _MAYBE_UNSAFE.search(raw), hex(cp)


def test_real_articles_search_the_same_with_and_without_the_index(tmp_path: Path) -> None:
    corpus = shared_path("corpus", "web-articles.jsonl")
    folder = tmp_path / "in"
    folder.mkdir()
    for n, line in enumerate(corpus.read_text(encoding="utf-8").splitlines()[:60]):
        row = json.loads(line)
        (folder / f"{n:03}.txt").write_text(f"{row['title']}\n\n{row['text']}\n", encoding="utf-8")
    book = _book(tmp_path / "book", folder)
    items = library_items(book)
    for query in ["Berlin", "die", "the", "Bundes*", '"in der"', "data science", "über"]:
        assert ids(search_book(book, query)) == ids(search(items, query)), query


def test_an_edit_on_the_command_line_is_in_the_index_when_the_command_ends(small: Book) -> None:
    index = SearchIndex(small)
    index.sync()
    pid = library_items(small)[0].passage.id
    assert main(["--book", str(small.path), "note", pid, "okapi sighting"]) == 0
    assert index.stale() == []  # synced by the command, not by the search below
    assert ids(search_book(small, "okapi", index=index)) == {pid}


def test_a_command_does_not_build_an_index_nobody_asked_for(small: Book) -> None:
    pid = library_items(small)[0].passage.id
    assert main(["--book", str(small.path), "tag", pid, "x"]) == 0
    assert not SearchIndex(small).path.exists()


def test_library_filter_finds_articles_by_passage_text_from_the_second_letter(
    small: Book,
) -> None:
    items = library_items(small)
    index = SearchIndex(small)
    index.sync()
    by_text = {i.passage.article_id for i in search(items, "moldova")}
    assert by_text and index.article_ids("Moldova") == by_text
    assert index.article_ids("mo", last_is_prefix=True) == {
        i.passage.article_id for i in search(items, "mo*")
    }
    # One letter of the word being typed is not searched yet: the rest of the query is.
    assert index.article_ids("moldova x", last_is_prefix=True) == by_text
    assert index.article_ids("m", last_is_prefix=True) == set()


def test_the_command_shows_the_best_fifty_and_says_how_many_more(
    small: Book, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.cli as cli

    monkeypatch.setattr(cli, "SHOWN", 2)
    every = search(library_items(small), "the")
    assert len(every) > 3
    assert main(["--book", str(small.path), "search", "the"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and f"{len(every) - 2:,} more" in lines[-1]
    assert main(["--book", str(small.path), "search", "the", "--limit", "0"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(every)
    assert main(["--book", str(small.path), "search", "the", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["passages"]) == len(every)


def test_a_search_while_another_process_writes_the_index_goes_without_it(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    index = SearchIndex(small)
    index.sync()
    index.close()
    pid = library_items(small)[0].passage.id
    add_note(small, pid, "capybara census")  # the index is now behind
    other = sqlite3.connect(index.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another briefing, rebuilding it
    try:
        assert main(["--book", str(small.path), "search", "capybara"]) == 0
        out, err = capsys.readouterr()
        assert pid in out and "searching without it" in err
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert index.path.exists()  # a busy index is never taken for a damaged one
    assert ids(search_book(small, "capybara")) == {pid}


@pytest.mark.parametrize("offset", [4096, 40_000])
def test_a_damaged_index_never_shows_a_traceback(
    small: Book, capsys: pytest.CaptureFixture[str], offset: int
) -> None:
    import random

    index = SearchIndex(small)
    index.sync()
    index.close()
    with index.path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(random.Random(offset).randbytes(30_000))
    expected = ids(search(library_items(small), "sea"))
    assert main(["--book", str(small.path), "doctor"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--book", str(small.path), "search", "sea", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert {p["id"] for p in json.loads(out)["passages"]} == expected


def test_reindex_under_another_open_connection_and_edits_that_follow(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = SearchIndex(small)
    reader.sync()
    before = ids(search_book(small, "sea", index=reader))
    assert main(["--book", str(small.path), "reindex"]) == 0
    pid = library_items(small)[0].passage.id
    assert main(["--book", str(small.path), "note", pid, "marmot"]) == 0
    assert ids(search_book(small, "sea", index=reader)) == before  # the old connection copes
    assert ids(search_book(small, "marmot", index=reader)) == {pid}
    assert "Traceback" not in capsys.readouterr().err


def test_reindex_with_a_folder_where_the_index_goes_says_so_in_one_line(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    (small.cache_dir() / "search.sqlite3").mkdir(parents=True)
    assert main(["--book", str(small.path), "reindex"]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["--book", str(small.path), "search", "sea"]) == 0  # without it


def test_a_query_with_no_words_is_a_one_line_error(
    small: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--book", str(small.path), "search", "!!!"]) == 2
    assert "nothing to search for" in capsys.readouterr().err
