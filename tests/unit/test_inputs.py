"""Hostile and odd inputs: special files, links, huge texts, damaged feeds, one-line flashes.

Each test here failed before the fix it covers (a FIFO hung the import, a 5 MB paragraph
froze the reader for minutes, a cut-off feed imported its last title as an article).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

import briefing.importing as imp
from briefing.errors import ImportFailed
from briefing.importing import PartlyImported, Source, detect, expand, parse_source
from briefing.importing.clean import headline_of, split_long
from briefing.importing.feed import find_damage, looks_like_feed

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def run_with_timeout(fn, seconds: float = 5.0):  # type: ignore[no-untyped-def]
    """Run `fn` in a thread; fail (instead of hanging the suite) if it blocks."""
    out: list[object] = []
    err: list[BaseException] = []

    def target() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # handed to the test
            err.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"blocked for more than {seconds} s"
    if err:
        raise err[0]
    return out[0]


def failures(sources: list[Source]) -> dict[str, str]:
    """name -> reason for each source that fails to parse (nothing may block)."""
    out = {}
    for src in sources:
        try:
            run_with_timeout(lambda s=src: parse_source(s))
        except ImportFailed as exc:
            out[Path(src.name).name] = str(exc)
    return out


# -- 1. special files and links -------------------------------------------------------------


@needs_fifo
def test_fifo_in_a_folder_is_skipped_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nBody text.\n")
    os.mkfifo(tmp_path / "pipe")
    sources = run_with_timeout(lambda: list(expand([str(tmp_path)])))
    assert [Path(s.name).name for s in sources] == ["a.txt", "pipe"]
    assert failures(sources) == {"pipe": "not a regular file (a FIFO); not read"}


@needs_fifo
def test_fifo_given_directly_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    [src] = run_with_timeout(lambda: list(expand([str(fifo)])))
    with pytest.raises(ImportFailed, match="not a regular file"):
        run_with_timeout(lambda: parse_source(src))


@needs_fifo
def test_a_path_swapped_for_a_fifo_after_listing_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline\n\nBody.\n")
    [src] = list(expand([str(path)]))
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(ImportFailed, match="not a regular file"):
        run_with_timeout(lambda: parse_source(src))


def test_character_device_is_refused() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    [src] = list(expand(["/dev/zero"]))  # would never end if read
    with pytest.raises(ImportFailed, match=r"not a regular file \(a character device\)"):
        run_with_timeout(lambda: parse_source(src))


def test_socket_in_a_folder_is_skipped(tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets")
    folder = tmp_path / "in"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "s.sock"))
    except OSError:
        pytest.skip("cannot bind a unix socket here")
    try:
        assert failures(list(expand([str(folder)]))) == {
            "s.sock": "not a regular file (a socket); not read"
        }
    finally:
        sock.close()


def test_links_inside_a_folder_stay_inside(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nNot in the folder.\n")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "b.txt").write_text("Inner\n\nInside the folder.\n")
    (folder / "out.txt").symlink_to(outside)
    (folder / "outdir").symlink_to(tmp_path)
    (folder / "in.txt").symlink_to(folder / "sub" / "b.txt")
    (folder / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "nothing")
    sources = list(expand([str(folder)]))
    names = sorted(Path(s.name).name for s in sources)
    # in.txt is b.txt (read once, under the first name met); the loop ends.
    assert names == ["dangling.txt", "in.txt", "out.txt", "outdir"]
    fails = failures(sources)
    assert fails == {
        "out.txt": "a link to outside the folder; not followed",
        "outdir": "a link to outside the folder; not followed",
        "dangling.txt": "a broken link; skipped",
    }
    [inner] = [s for s in sources if s.name.endswith("in.txt")]
    [a] = parse_source(inner)
    assert a.title == "Inner"  # type: ignore[union-attr]


def test_a_link_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "a.txt"
    target.parent.mkdir()
    target.write_text("Named\n\nThe user named it.\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    [src] = list(expand([str(link)]))
    [a] = parse_source(src)
    assert a.title == "Named"  # type: ignore[union-attr]


# -- 3. sizes ------------------------------------------------------------------------------


def test_split_long_cuts_at_sentences_then_spaces_never_mid_word() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(2000))
    pieces = split_long(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text
    words = ("word " * 3000).strip()
    pieces = split_long(words, 1000)
    assert all(len(p) <= 1000 and p.split(" ")[-1] == "word" for p in pieces)
    assert " ".join(pieces) == words
    blob = "x" * 2500  # no whitespace at all: the only place a cut may fall mid-word
    assert split_long(blob, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    accents = "e\u0301" * 600  # never separate a letter from its accent
    assert all(not p.startswith("\u0301") for p in split_long(accents, 1001))


def test_a_huge_paragraph_becomes_several_passages() -> None:
    para = " ".join(["A sentence of a long wire paragraph."] * 60_000)  # ~2.2 MB
    data = f"Headline\n\n{para}\n".encode()
    [a] = parse_source(Source("big.txt", data=data))
    assert a.title == "Headline"  # type: ignore[union-attr]
    texts = [t for _, t in a.paragraphs]  # type: ignore[union-attr]
    assert len(texts) > 100
    assert all(len(t) <= imp.MAX_PASSAGE_CHARS for t in texts)
    assert " ".join(texts) == para


def test_an_article_over_the_caps_is_refused_naming_the_cap() -> None:
    many = "Headline\n\n" + "\n\n".join(f"Paragraph {i}." for i in range(2500))
    with pytest.raises(ImportFailed, match=r"too many paragraphs.*2,500.*limit is 2,000"):
        parse_source(Source("many.txt", data=many.encode()))
    huge = "Headline\n\n" + ("word " * 1_100_000)
    with pytest.raises(ImportFailed, match=r"too long for one article.*limit is 5,000,000"):
        parse_source(Source("huge.txt", data=huge.encode()))


def test_a_feed_item_over_the_caps_is_left_out_and_reported() -> None:
    big = "<p>" + "</p><p>".join(f"Paragraph {i}." for i in range(2500)) + "</p>"
    feed = (
        "<rss version='2.0'><channel><title>W</title>"
        "<item><title>Small</title><description>Fine.</description></item>"
        f"<item><title>Huge</title><description><![CDATA[{big}]]></description></item>"
        "</channel></rss>"
    )
    with pytest.raises(PartlyImported, match=r"item 2 \('Huge'\) left out: too many") as info:
        parse_source(Source("f.rss", data=feed.encode()))
    assert [i.title for i in info.value.items] == ["Small"]


def test_the_reader_lays_out_a_5_mb_passage_in_milliseconds() -> None:
    from textual.app import App, ComposeResult

    from briefing.briefs import Item
    from briefing.model import Passage, PassageState
    from briefing.tui.widgets.reader import Reader, render_item

    text = "word " * 1_000_000
    item = Item(Passage("a.0", "a", 0, text), None, PassageState("a.0"), None, 0)

    class Host(App[None]):
        def get_css_variables(self) -> dict[str, str]:
            return {**super().get_css_variables(), "key-point-color": "yellow", "tag-color": "cyan"}

        def compose(self) -> ComposeResult:
            yield Reader()

    async def run() -> tuple[float, str]:
        app = Host()
        async with app.run_test(size=(100, 30)) as pilot:
            reader = app.query_one(Reader)
            start = time.perf_counter()
            reader.show(render_item(item, None, None, "Overview"))
            shown = reader.text
            await pilot.pause()
            return time.perf_counter() - start, shown

    import asyncio

    elapsed, shown = asyncio.run(run())
    assert "4,984,0" in shown and "more characters" in shown
    assert len(shown.splitlines()) < 400
    assert elapsed < 1.0, f"{elapsed:.2f} s"


# -- 4. feeds ------------------------------------------------------------------------------


def test_feed_detected_past_a_long_doctype_and_comments() -> None:
    doctype = "<!DOCTYPE rss [" + "<!ENTITY e 'x'>" * 300 + "]>"  # ~4.5 KB
    text = f"<?xml version='1.0'?>\n<!-- {'c' * 3000} -->\n{doctype}\n<rss version='2.0'>"
    assert looks_like_feed(text)
    assert detect(text, "noext") == "feed"
    assert not looks_like_feed("<html><body>About <rss> feeds</body></html>")


def test_html_detected_past_a_long_comment() -> None:
    text = f"<!-- {'c' * 5000} -->\n<html><body><p>x</p></body></html>"
    assert detect(text, "noext") == "html"


def test_a_cut_off_feed_is_reported_not_imported() -> None:
    with pytest.raises(ImportFailed, match=r"damaged at line 1 \(no element found\)"):
        parse_source(Source("cut.rss", data=b"<rss><channel><item><title>x</title>"))


def test_complete_items_before_the_damage_are_kept() -> None:
    data = (
        b"<rss version='2.0'><channel>\n"
        b"<item><title>One</title><description>Body one.</description></item>\n"
        b"<item><title>Two</title><description>Body two.</description></item>\n"
        b"<item><title>Three</title><description>Cut o"
    )
    with pytest.raises(PartlyImported, match=r"damaged at line 4.*2 complete items") as info:
        parse_source(Source("cut.rss", data=data))
    assert [i.title for i in info.value.items] == ["One", "Two"]


def test_a_complete_title_only_item_is_a_flash() -> None:
    data = b"<rss version='2.0'><channel><item><title>Flash: quake</title></item></channel></rss>"
    [a] = parse_source(Source("flash.rss", data=data))
    assert a.title == "Flash: quake"  # type: ignore[union-attr]
    assert a.paragraphs == [("", "Flash: quake")]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        b"<title>a&nbsp;b</title>",  # HTML entity
        b"<title>AT&T</title>",  # bare ampersand
        b"<title>a</title><media:content url='x'/>",  # undeclared prefix
        b"<title>a\x01b</title>",  # control character
    ],
)
def test_sloppy_but_whole_feeds_are_not_damage(body: bytes) -> None:
    data = b"<rss><channel><item>" + body + b"</item><item><title>c</title></item></channel></rss>"
    assert find_damage(data) is None
    assert len(parse_source(Source("f.rss", data=data))) == 2


def test_junk_after_the_feed_cuts_nothing() -> None:
    data = b"<rss><channel><item><title>a</title></item></channel></rss>trailing junk<x>"
    assert find_damage(data) is None


# -- 5. a one-paragraph flash ------------------------------------------------------------------


def test_one_paragraph_from_stdin_is_an_article() -> None:
    [src] = list(expand(["-"], stdin=lambda: b"one paragraph\n"))
    [a] = parse_source(src)
    assert a.title == "one paragraph"  # type: ignore[union-attr]
    assert a.paragraphs == [("", "one paragraph")]  # type: ignore[union-attr]


def test_a_long_flash_takes_its_first_sentence_as_title() -> None:
    text = "Quake hits the capital. " + "Rescue teams are on their way to the area. " * 20
    [a] = parse_source(Source("-", data=text.encode()))
    assert a.title == "Quake hits the capital."  # type: ignore[union-attr]
    assert a.paragraphs == [("", text.strip())]  # type: ignore[union-attr]
    assert headline_of("x" * 500).endswith("…") and len(headline_of("x" * 500)) <= 120
