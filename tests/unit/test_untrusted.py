"""Untrusted text never drives the terminal, never stalls, never writes outside the book.

Found by an attack: the escape stripper was quadratic (40 KB of unterminated `ESC ]` took
11 s); escapes in CLI arguments and in imported brief JSON reached the book and the
terminal; a brief export with `brief.id` edited to `../../victim/settings` wrote outside
the book. The property tests at the end throw random bytes, Unicode and escape sequences at
every importer and every CLI string argument.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import ImportFailed
from briefing.importing import Source, parse_source
from briefing.importing.brief_json import BriefDocument
from briefing.model import Article, Filing, Note, ParsedArticle, Passage, PassageState
from briefing.sanitize import clean_field, safe_out, strip_unsafe
from briefing.store import Book

DATA = Path(__file__).resolve().parents[1] / "data"
BRIEF = "russia-turkey"
# What must never come out: ESC, the C1 controls (8-bit CSI/OSC/DCS/ST...), other C0
# controls but tab and newline, DEL, bidi overrides and isolates.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_safe(text: str, where: str = "") -> None:
    m = UNSAFE.search(text)
    assert m is None, (
        f"{where}: {m.group()!r} at {m.start()} in {text[max(0, m.start() - 40) : m.start() + 40]!r}"
    )


def run(*args: str) -> tuple[int, str, str]:
    """`briefing ARGS` in process: (exit status, stdout, stderr); argparse exits count."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


# -- 1. the stripper is linear ----------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "\x1b]" * 20_000,  # 40 KB: 11 s before
        "\x1b]" * 200_000,  # 400 KB: never finished before
        "\x1b]0;" + "a" * 400_000,  # one unterminated OSC, no newline
        "\x1bP" * 200_000,
        "\x9d" * 400_000,
        "\x1b[" * 200_000,
        "\x1b" * 400_000,
        "\x00" * 400_000,
        ("\x1b]8;;http://x\n" * 30_000),
    ],
    ids=["osc-40k", "osc-400k", "one-osc", "dcs", "c1-osc", "csi", "esc", "nul", "osc-lines"],
)
def test_strip_unsafe_is_fast_on_hostile_input(attack: str) -> None:
    start = time.perf_counter()
    out = strip_unsafe(attack)
    assert time.perf_counter() - start < 1.0
    assert_safe(out)


def test_strip_unsafe_sequences() -> None:
    s = strip_unsafe
    assert s("a\x1b[1;31mb\x1b[0m") == "ab"  # CSI
    assert s("a\x9b2Jb") == "ab"  # 8-bit CSI
    assert s("a\x1b]0;title\x07b") == "ab"  # OSC ended by BEL
    assert s("a\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"  # OSC 8 hyperlink
    assert s("a\x9d0;t\x9cb") == "ab"  # 8-bit OSC and ST
    assert s("a\x1bP+q544e\x1b\\b") == "ab"  # DCS
    assert s("a\x90data\x9cb \x98sos\x9cc \x9epm\x9cd \x9fapc\x9ce") == "ab c d e"
    assert s("a\x1b_apc\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d") == "abcd"
    assert s("a\x1b(Bb\x1b7c\x1b=d") == "abcd"  # charset, DECSC, keypad
    assert s("a\x1b") == "a" and s("\x1b\nb") == "\nb"  # a lone ESC


def test_unterminated_string_is_dropped_to_the_end_of_its_line_only() -> None:
    assert strip_unsafe("keep \x1b]0;owned\nnext line") == "keep \nnext line"
    assert strip_unsafe("keep \x1bPq#0;2;0\nnext") == "keep \nnext"
    assert strip_unsafe("x \x1b]0;never ends") == "x "
    # An ESC inside a string ends it (a terminal starts the next sequence there).
    assert strip_unsafe("a\x1b]0;t\x1b[31mb") == "ab"
    # CAN and SUB abort a sequence in a terminal: so here.
    assert strip_unsafe("a\x1b]0;t\x18b") == "ab"


def test_controls_bidi_and_newlines() -> None:
    assert strip_unsafe("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"
    assert strip_unsafe("\x00a\x7fb\x85c\x08d") == "abcd"
    assert strip_unsafe("\u202eevil\u202c \u2066x\u2069") == "evil x"
    assert strip_unsafe("café — ñ € \u00a0 中文 🙂") == "café — ñ € \u00a0 中文 🙂"


def test_clean_field_and_safe_out() -> None:
    assert clean_field("  a\x1b[31m \n b\t ") == "a b"
    assert clean_field("line 1  \n\n\x1b]0;x\x07line 2\n\n", multiline=True) == "line 1\n\nline 2"
    assert clean_field("cafe\u0301") == "café"  # NFC: matches what importers store
    assert clean_field("x" * 50, limit=10) == "x" * 9 + "…"
    assert clean_field("\x1b[2J") == "" and clean_field(" \n ", multiline=True) == ""
    assert safe_out("a\x1b[2J\nb") == "a\nb" and safe_out("a\nb\tc", one_line=True) == "a b c"
    assert safe_out(None) == "None"


# -- 2. the CLI: arguments cleaned, output safe ----------------------------------------------


@pytest.fixture
def b(book_path: Path) -> list[str]:
    code, _, err = run("--book", str(book_path), "import", str(DATA / "wire.txt"), "--brief", BRIEF)
    assert code == 0, err
    return ["--book", str(book_path)]


def first_pid(b: list[str]) -> str:
    return str(json.loads(run(*b, "list", "--brief", BRIEF, "--json")[1])["passages"][0]["id"])


def test_text_arguments_are_cleaned_before_they_reach_the_book(b: list[str]) -> None:
    pid = first_pid(b)
    assert run(*b, "note", pid, "see \x1b]0;owned\x07this\x9b2J\n\u202eline 2")[0] == 0
    assert run(*b, "tag", pid, "gr\x1b[31main", "\x9dx\x9c,sea")[0] == 0
    assert run(*b, "summary", "BLUF \x1b[5mblink\x1b[0m")[0] == 0
    code, out, err = run(*b, "new", "--template", "daily", "--title", "Day\x1b]0;x\x07 one")
    assert code == 0 and "created brief 'day-one'" in out, err
    doc = json.loads(run(*b, "list", "--brief", BRIEF, "--json")[1])
    p = next(p for p in doc["passages"] if p["id"] == pid)
    assert p["notes"][0]["text"] == "see this\nline 2"
    assert p["tags"] == ["grain", "sea"]
    assert (
        json.loads(run(*b, "export", "--brief", BRIEF, "--format", "json")[1])["brief"]["summary"]
        == "BLUF blink"
    )
    assert "day-one              Day one  [daily" in run(*b, "briefs")[1]


def test_quote_is_cleaned_and_must_still_occur(b: list[str]) -> None:
    pid = first_pid(b)
    text = json.loads(run(*b, "list", "--brief", BRIEF, "--json")[1])["passages"][0]["text"]
    word = text.split()[1]
    code, _, err = run(*b, "note", pid, "n", "--quote", f"{word}\x1b[0m")
    assert code == 0, err


def test_id_arguments_with_controls_are_refused(b: list[str]) -> None:
    pid = first_pid(b)
    for args in (
        ["new", "--template", "daily", "--title", "T", "--id", "x\x1b[31my"],
        ["tag", pid + "\x1b[2J", "t"],
        ["note", pid + "\x9b", "text"],
        ["move", pid, "ukraine\x1b]0;x\x07"],
        ["list", "--brief", BRIEF + "\x1b[8m"],
    ):
        code, out, err = run(*b, *args)
        assert code == 2 and "an id cannot hold control characters" in err, (args, err)
        assert_safe(out + err)


def test_argparse_errors_are_safe(b: list[str]) -> None:
    code, out, err = run(*b, "list", "--\x1b]0;owned\x07")
    assert code == 2 and "unrecognized arguments" in err
    assert_safe(out + err)


@pytest.fixture
def dirty(b: list[str], book_path: Path) -> str:
    """A book holding escape sequences everywhere, as an old version or a hand-edited file
    could leave it: nothing printed or exported from it may carry them."""
    book = Book(book_path)
    aid = "abcdef0123"
    art = Article(
        aid,
        "Title \x1b]0;owned\x07here",
        source="TASS\x9b2J",
        publisher="Pub\u202e",
        url="javascript:alert(1)\x1b[0m",
        author="\x1bP+q\x1b\\Anna",
        published="2026-01-02",
        passage_count=1,
    )
    psg = Passage(f"{aid}.1", aid, 0, "Passage \x1b[2J text \x9d8;;http://x\x9c", "Head\x1b[1m")
    book.add_articles([(art, [psg])])
    book.update_filings(
        BRIEF,
        lambda cur: [*cur, Filing(psg.id, "overview", len(cur), manual=True)],
        new_passages=[psg],
        new_articles=[art],
    )

    def change(brief: Any) -> None:
        brief.title = "Brief \x1b]2;pwn\x07title"
        brief.summary = "sum\x9b31mmary"
        brief.marking = "TLP\u202e:RED"
        brief.sections[0].title = "Over\x1b[7mview"

    book.update_brief(BRIEF, change)
    note = Note("n12345678", "note \x1b[2J", "2026-01-01\x1b[1m", "me\x9b", "Passage")
    book.put_state(PassageState(psg.id, tags=["t\x1b[31m"], key_point=True, notes=[note]))
    return psg.id


def test_printing_book_data_is_safe(b: list[str], dirty: str) -> None:
    for args in (
        ["briefs"],
        ["list"],
        ["list", "--brief", BRIEF],
        ["list", "--brief", BRIEF, "--json"],
        ["search", "passage"],
        ["search", "passage", "--json"],
        ["export", "--brief", BRIEF],
        ["export", "--brief", BRIEF, "--format", "json"],
        ["tag", dirty, "x"],
    ):
        code, out, err = run(*b, *args)
        assert code == 0, (args, err)
        assert_safe(out + err, " ".join(args))
    assert "Passage  text" in run(*b, "list", "--brief", BRIEF)[1]


def test_export_links_only_http_urls(b: list[str], dirty: str) -> None:
    out = run(*b, "export", "--brief", BRIEF)[1]
    assert "<javascript" not in out and "javascript:alert(1)" in out  # shown as text


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.com/a?b=1", True),
        ("HTTP://EXAMPLE.COM/", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("http://e.x/\x1b]8;;http://evil\x1b\\", False),
        ("http://e.x/a b", False),
        ("http://e.x/\u202etxt.exe", False),
        ("http://e.x/<script>", False),
    ],
)
def test_citation_url_is_a_link_only_when_plain_http(url: str, link: bool) -> None:
    from briefing.exporting.markdown import _citation

    text = _citation(Article("abcdef0123", "T", source="S", url=url))
    assert (f"<{url}>" in text) is link
    assert_safe(safe_out(text))
    if not link:
        assert "<" not in text.replace("\\<", "")


def test_import_error_lines_are_safe(b: list[str], tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b]0;owned\x07\x1b[2J.txt"
    bad.write_bytes(b"")
    code, out, err = run(*b, "import", str(bad))
    assert code == 1 and "empty file" in err
    assert_safe(out + err)


# -- 3. imported brief JSON: ids checked, strings cleaned ------------------------------------


def exported(b: list[str]) -> dict[str, Any]:
    pid = first_pid(b)
    run(*b, "note", pid, "a note")
    run(*b, "tag", pid, "grain")
    code, out, _ = run(*b, "export", "--brief", BRIEF, "--format", "json")
    assert code == 0
    doc: dict[str, Any] = json.loads(out)
    return doc


def import_doc(tmp_path: Path, doc: dict[str, Any], name: str = "b.json") -> tuple[int, str, Path]:
    book = tmp_path / "other"
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    code, _, err = run("--book", str(book), "import", str(path))
    return code, err, book


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("brief.id", "../../victim/settings"),
        ("brief.id", "/tmp/victim"),
        ("brief.id", "..\\victim"),
        ("brief.id", "Upper"),
        ("sections[0].id", "../x"),
        ("articles[0].id", "../../x"),
        ("passages[0].id", "../x.1"),
        ("passages[0].article", "ABCDEF0123"),
        ("passages[0].notes[0].id", "../n"),
        ("brief.template", "../../../etc/passwd"),
    ],
)
def test_bad_ids_refuse_the_file_naming_the_field(
    b: list[str], tmp_path: Path, field: str, value: str
) -> None:
    doc = exported(b)
    target: Any = doc
    *parents, last = re.findall(r"[a-z_]+|\d+", field)
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[last] = value
    code, err, book = import_doc(tmp_path, doc)
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith(f"briefing: {tmp_path / 'b.json'}: not a valid briefing-brief file: ")
    assert f"{field}: " in line
    assert not (tmp_path / "victim").exists() and not Path("/tmp/victim.json").exists()
    assert not (book / "briefs").exists() or not list((book / "briefs").iterdir())


def test_valid_export_round_trips(b: list[str], tmp_path: Path) -> None:
    doc = exported(b)
    code, err, book = import_doc(tmp_path, doc)
    assert code == 0, err
    again = json.loads(run("--book", str(book), "export", "--brief", BRIEF, "--format", "json")[1])
    assert again["passages"] == doc["passages"] and again["sections"] == doc["sections"]


def test_brief_json_strings_are_cleaned(b: list[str], tmp_path: Path) -> None:
    doc = exported(b)
    doc["brief"]["title"] = "T\x1b]0;owned\x07itle"
    doc["brief"]["summary"] = "S\x9b2J"
    doc["sections"][0]["title"] = "Sec\u202e"
    doc["articles"][0]["url"] = "http://x/\x1b[31m"
    doc["articles"][0]["source"] = "Src\x1bP+q\x1b\\"
    p = doc["passages"][0]
    p["text"] = "Text\x1b[2J here"
    p["tags"] = ["g\x1b[1m"]
    p["notes"][0]["text"] = "N\x9d0;x\x9cote"
    code, err, book = import_doc(tmp_path, doc)
    assert code == 0, err
    for args in (["export", "--brief", BRIEF, "--format", "json"], ["list", "--brief", BRIEF]):
        out = run("--book", str(book), *args)[1]
        assert_safe(out)
    raw = "".join(p.read_text() for p in book.rglob("*.json"))
    assert "\\u001b" not in raw and "\x1b" not in raw and "\x9b" not in raw
    got = json.loads(run("--book", str(book), "export", "--brief", BRIEF, "--format", "json")[1])
    assert got["brief"]["title"] == "Title" and got["passages"][0]["notes"][0]["text"] == "Note"


def test_brief_document_is_checked_when_read() -> None:
    with pytest.raises(ImportFailed, match=r"brief\.id: '\.\./x' is not a valid brief id"):
        BriefDocument(
            {"format": "briefing-brief", "brief": {"id": "../x", "title": "t"}, "sections": []},
            "f.json",
        )
    with pytest.raises(ImportFailed, match=r"sections: a brief needs at least one section"):
        BriefDocument(
            {"format": "briefing-brief", "brief": {"id": "x", "title": "t"}, "sections": []}, "f"
        )


# -- 4. properties: random input in, nothing unsafe out --------------------------------------

PIECES = [
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b_", "\x1b\\", "\x9b", "\x9d", "\x90", "\x9c",
    "\x98", "\x9e", "\x9f", "\x85", "\x07", "\x00", "\x7f", "\x18", "\r", "\n", "\t",
    "\u202e", "\u2066", "0;", "31m", "2J", "8;;http://e", "<b>", "&amp;", "# ", "- ", "]",
]  # fmt: skip
nasty = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=6), st.characters()), max_size=16
).map("".join)


def _wrap(fmt: str, a: str, b: str) -> str:
    j = json.dumps
    if fmt == "rss":
        return (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{a}</title><item>"
            f"<title>{a}</title><link>http://e.x/{b}</link><author>{b}</author>"
            f"<description>{b} {a}</description></item></channel></rss>"
        )
    if fmt == "atom":
        return (
            "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>{a}</title><entry><title>{b}</title><link href='http://e.x/{a}'/>"
            f"<author><name>{a}</name></author><content type='html'>{b}</content></entry></feed>"
        )
    if fmt == "html":
        return (
            f"<html><head><title>{a}</title><meta name='author' content='{b}'></head><body>"
            f"<article><h1>{a}</h1><p>{b} and some more words to make a paragraph.</p>"
            f"<h2>{b}</h2><p>{a} further text in another paragraph here.</p></article></body></html>"
        )
    if fmt == "markdown":
        return f"# {a}\n\nBy {b}\n\n## {b}\n\n{a} text.\n\n- {b}\n"
    if fmt == "jsonfeed":
        return j(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": a,
                "items": [
                    {"id": "1", "url": f"http://e.x/{b}", "title": a, "content_text": b,
                     "authors": [{"name": b}], "tags": [a]},
                    {"id": "2", "title": b, "content_html": f"<p>{a}</p>"},
                ],
            }
        )  # fmt: skip
    if fmt == "brief":
        return j(
            {
                "format": "briefing-brief",
                "brief": {"id": "b", "title": a or "t", "summary": b, "marking": a},
                "sections": [{"id": "s", "title": b or "s", "passages": ["abcdef0123.1"]}],
                "passages": [
                    {"id": "abcdef0123.1", "article": "abcdef0123", "text": a, "heading": b,
                     "tags": [a, b], "notes": [{"id": "n0123abcd", "text": b or "x", "quote": a,
                                                "author": b, "created": a}]}
                ],
                "articles": [{"id": "abcdef0123", "title": a, "source": b, "url": b,
                              "author": a, "publisher": b}],
            }
        )  # fmt: skip
    return f"{a}\n\n{b}\n\nBody {a} {b}.\n"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _strings(getattr(value, name))


FORMATS = ["text", "markdown", "html", "rss", "atom", "jsonfeed", "brief"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from([*FORMATS, "bytes"]),
    a=nasty,
    b=nasty,
    raw=st.binary(max_size=200),
    encoding=st.sampled_from(["utf-8", "latin-1", "cp1252"]),
)
def test_property_importers_never_pass_escapes(
    fmt: str, a: str, b: str, raw: bytes, encoding: str
) -> None:
    if fmt == "bytes":
        data = raw + a.encode("utf-8", "replace") + raw
    else:
        text = _wrap(fmt, a, b)
        data = text.encode(encoding, "replace") if encoding != "utf-8" else text.encode()
    try:
        parsed = parse_source(Source("fuzz.txt", data=data), dt.date(2026, 1, 1))
    except ImportFailed as exc:
        assert_safe(str(exc), "error")
        return
    for item in parsed:
        if isinstance(item, BriefDocument):
            for s in _strings(item.doc):
                assert_safe(s, f"{fmt} field")
            continue
        for name in item.__dataclass_fields__:
            for s in _strings(getattr(item, name)):
                assert_safe(s, f"{fmt} {name}")


@pytest.mark.parametrize("fmt", ["atom", "jsonfeed", "rss"])
def test_feed_item_link_escapes_are_stripped(fmt: str) -> None:
    [item, *_] = parse_source(Source("f", data=_wrap(fmt, "T\x1b", "B\x1b").encode()))
    assert isinstance(item, ParsedArticle)
    assert_safe(item.url, "url")


_CLI_SHAPES = [
    lambda pid, x, y: ["note", pid, x],
    lambda pid, x, y: ["note", pid, x or "n", "--quote", y],
    lambda pid, x, y: ["tag", pid, x, y],
    lambda pid, x, y: ["untag", pid, x],
    lambda pid, x, y: ["summary", x],
    lambda pid, x, y: ["summary", x, "--section", y],
    lambda pid, x, y: ["new", "--template", "daily", "--title", x, "--id", y],
    lambda pid, x, y: ["new", "--template", x, "--title", y],
    lambda pid, x, y: ["search", x],
    lambda pid, x, y: ["list", "--brief", BRIEF, "--tag", x],
    lambda pid, x, y: ["list", "--brief", x, "--section", y],
    lambda pid, x, y: ["move", pid, x],
    lambda pid, x, y: ["move", x, y],
    lambda pid, x, y: ["keypoint", x],
    lambda pid, x, y: ["note", "--edit", x, y],
    lambda pid, x, y: ["note", "--delete", x],
    lambda pid, x, y: ["tag", x, y],
]


@pytest.fixture
def cli_book(b: list[str]) -> tuple[list[str], str]:
    return b, first_pid(b)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=st.sampled_from(range(len(_CLI_SHAPES))), x=nasty, y=nasty)
def test_property_cli_arguments_never_reach_the_terminal(
    cli_book: tuple[list[str], str], shape: int, x: str, y: str
) -> None:
    b, pid = cli_book
    argv = _CLI_SHAPES[shape](pid, x, y)
    if "\x00" in "".join(argv):
        argv = [a.replace("\x00", "") for a in argv]  # a real argv cannot hold NUL
    code, out, err = run(*b, *argv)
    event(f"{argv[0]} exit {code}")
    assert_safe(out + err, " ".join(map(repr, argv)))
    if shape in (0, 1, 2, 4):  # it changed the brief: what is printed and exported is safe
        for args in (["list", "--brief", BRIEF], ["export", "--brief", BRIEF]):
            code, out, err = run(*b, *args)
            warnings = [
                x for x in err.splitlines() if not x.startswith("briefing: warning: not ready:")
            ]
            assert code == 0 and not warnings, err
            assert_safe(err, "export warning")
            assert_safe(out, " ".join(args))
