"""OPML: subscriptions in from another reader, out to any reader or another book."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from briefing.cli import main
from briefing.errors import ImportFailed, NotFound
from briefing.importing import feeds
from briefing.importing.opml import NS, OpmlFeed, parse_opml, read_opml, write_opml
from briefing.store import Book

READER = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Exported from a reader</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="Europe">
        <outline type="rss" text="Wire text" title="The Wire" xmlUrl="https://wire.example/rss"
                 htmlUrl="https://wire.example/"/>
        <outline type="rss" text="Only text" xmlurl="https://b.example/feed"/>
      </outline>
      <outline type="link" text="A page, not a feed" url="https://page.example/"/>
    </outline>
    <outline type="rss" text="Top" xmlUrl="https://top.example/atom"/>
    <outline type="rss" text="Twice" xmlUrl="https://wire.example/rss"/>
  </body>
</opml>"""


def cli(book: Path, *args: str) -> int:
    return main(["--book", str(book), *args])


def subs_of(book: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert cli(book, "feeds", "list", "--json") == 0
    return list(json.loads(capsys.readouterr().out)["feeds"])


# -- reading -----------------------------------------------------------------------------------


def test_nested_outlines_folders_become_tags_in_document_order() -> None:
    got = parse_opml(READER)
    assert [(f.url, f.title, f.tags) for f in got] == [
        ("https://wire.example/rss", "The Wire", ["News", "Europe"]),  # title before text
        ("https://b.example/feed", "Only text", ["News", "Europe"]),  # xmlurl, any case
        ("https://top.example/atom", "Top", []),
        # the second https://wire.example/rss is left out: the first one wins
    ]


def test_hostile_titles_and_folders_are_cleaned() -> None:
    """What XML can carry and a terminal must not get: a CSI (U+009B) with its sequence, a
    bidi override, a newline in a title; a comma in a folder name (it separates tags)."""
    data = (
        b'<opml version="2.0"><body><outline text="Tech, &#x202e;Science">'
        b'<outline text="&#x9b;2JWire&#10;Desk" xmlUrl="https://w.example/f"/>'
        b"</outline></body></opml>"
    )
    [feed] = parse_opml(data)
    assert feed.title == "Wire Desk"
    assert feed.tags == ["Tech", "Science"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file, not OPML"),
        (b"just some text\n", "not OPML: not XML (line 1"),
        (b"<opml><body>", "not OPML: not XML (line 1"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "root element is <rss>"),
        (b"<html><body><p>hi</p></body></html>", "not OPML: its root element is <html>"),
        (b'<opml version="2.0"><head/></opml>', "it has no <body>"),
        (b'<opml version="2.0"><body><outline text="x"/></body></opml>', "no feeds in it"),
    ],
)
def test_what_is_not_an_opml_subscription_list_is_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed) as err:
        parse_opml(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_entities_are_refused_and_never_expanded(tmp_path: Path) -> None:
    """Billion laughs and an external entity (a local file's contents in a title)."""
    laughs = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE opml [{laughs}]><opml version="2.0"><body>'
        '<outline text="&a9;" xmlUrl="https://x.example/f"/></body></opml>'
    ).encode()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&s;" xmlUrl="https://x.example/f"/>'
        "</body></opml>"
    ).encode()
    for data in (bomb, xxe):
        start = time.perf_counter()
        with pytest.raises(ImportFailed, match="declares entities"):
            parse_opml(data)
        assert time.perf_counter() - start < 1


def test_no_external_dtd_is_read(tmp_path: Path) -> None:
    """A DOCTYPE naming an external DTD (here a local file defining an entity): it is not
    loaded, so the entity stays undefined and nothing of the DTD reaches the title. (Nor
    would a DTD on the network be fetched: `no_network`.)"""
    dtd = tmp_path / "opml.dtd"
    dtd.write_text('<!ENTITY t "EXPANDED">')
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "{dtd.as_uri()}">'
        '<opml version="2.0"><body><outline text="&t;Wire" xmlUrl="https://x.example/f"/>'
        "</body></opml>"
    ).encode()
    [feed] = parse_opml(data)
    assert feed.title == "Wire"


# -- writing -----------------------------------------------------------------------------------


def test_export_is_opml_2_that_a_plain_xml_reader_reads() -> None:
    """What any reader needs: version 2.0, a head with a title, outlines with type, text and
    xmlUrl; a folder per first tag; hostile text escaped, not dropped into the markup."""
    data = write_opml(
        [
            OpmlFeed("https://a.example/f?x=1&y=2", title='A <b>"bold"</b> & co', tags=["eu"]),
            OpmlFeed("https://b.example/f", source="Wire\x1b[2J", every=3600),
        ]
    )
    root = etree.fromstring(data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text == "briefing feeds"
    outlines = root.findall(".//outline[@xmlUrl]")
    assert [(o.get("type"), o.get("text"), o.get("xmlUrl")) for o in outlines] == [
        ("rss", 'A <b>"bold"</b> & co', "https://a.example/f?x=1&y=2"),
        ("rss", "https://b.example/f", "https://b.example/f"),  # no title: its URL
    ]
    assert outlines[0].getparent().get("text") == "eu"
    assert outlines[1].get(f"{{{NS}}}source") == "Wire"
    assert b"\x1b" not in data


def test_export_to_a_file_replaces_it_atomically_and_keeps_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    out = tmp_path / "subs.opml"
    out.write_text("the old list")
    assert cli(book, "feeds", "add", "https://a.example/f") == 0
    assert cli(book, "feeds", "export", str(out)) == 0
    assert "(1 feed)" in capsys.readouterr().err
    assert Path(f"{out}.bak").read_text() == "the old list"
    assert [f.url for f in parse_opml(out.read_bytes())] == ["https://a.example/f"]
    assert cli(book, "feeds", "export", str(tmp_path / "no-such-folder" / "x.opml")) == 1
    assert "no-such-folder" in capsys.readouterr().err


def test_export_to_standard_output(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", "https://a.example/f") == 0
    capfdbinary.readouterr()
    assert cli(book, "feeds", "export", "-") == 0
    assert [f.url for f in parse_opml(capfdbinary.readouterr().out)] == ["https://a.example/f"]


# -- round trip and the book -------------------------------------------------------------------

_KEPT = ("url", "brief", "tags", "every", "title", "source")
"""What a subscription is (the rest is its state: etag, last success, ...)."""


def test_export_then_import_into_a_fresh_book_gives_the_same_subscriptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    out = tmp_path / "subs.opml"
    assert cli(old, "new", "--template", "daily", "--title", "Morning desk", "--id", "morning") == 0
    a_feed = ["https://a.example/f", "--brief", "morning", "--tag", "eu", "--tag", "energy"]
    assert cli(old, "feeds", "add", *a_feed, "--every", "2h", "--source", "Reuters") == 0
    assert cli(old, "feeds", "add", "https://b.example/f", "--brief", "russia-turkey") == 0
    assert cli(old, "feeds", "add", "https://c.example/f", "--tag", "eu") == 0
    Book(old).update_feeds(  # a title, as an OPML import gives
        lambda f: f["https://c.example/f"].update(title="Commission & co")
    )
    assert cli(old, "feeds", "export", str(out)) == 0
    assert cli(new, "feeds", "import", str(out)) == 0
    assert "following 3 new feeds" in capsys.readouterr().out
    before = {s["url"]: {k: s[k] for k in _KEPT} for s in subs_of(old, capsys)}
    after = {s["url"]: {k: s[k] for k in _KEPT} for s in subs_of(new, capsys)}
    assert after == before  # (in the file's order: grouped in folders by first tag)
    assert after["https://a.example/f"]["source"] == "Reuters"  # not an empty comparison
    # The brief made from `daily` under another id is made again from `daily`.
    assert Book(new).brief("morning").template == "daily"
    # Importing it again changes nothing: they are all followed already.
    assert cli(new, "feeds", "import", str(out)) == 0
    assert "following 0 new feeds" in capsys.readouterr().out
    assert {s["url"]: {k: s[k] for k in _KEPT} for s in subs_of(new, capsys)} == before


def test_import_from_a_reader_keeps_what_is_followed_and_reports_what_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book"
    opml = tmp_path / "reader.opml"
    opml.write_bytes(
        READER.replace(b"</body>", b'<outline text="Gopher" xmlUrl="gopher://x/f"/></body>')
    )
    assert cli(book, "feeds", "add", "https://top.example/atom", "--every", "1d") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "import", str(opml), "--tag", "from-reader", "--every", "2h") == 1
    out, err = capsys.readouterr()
    assert "following 2 new feeds" in out and "1 followed already" in out
    assert "1 left out" in out
    assert "'gopher://x/f' is not an http(s) URL; left out" in err
    subs = {s["url"]: s for s in subs_of(book, capsys)}
    assert subs["https://top.example/atom"]["every"] == 86400  # left as it was
    wire = subs["https://wire.example/rss"]
    assert wire["title"] == "The Wire"
    assert wire["tags"] == ["News", "Europe", "from-reader"]
    assert wire["every"] == 7200


def test_import_into_a_brief_that_cannot_be_made_leaves_those_feeds_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Book(tmp_path / "book")
    data = write_opml(
        [
            OpmlFeed("https://a.example/f", brief="nowhere", template="no-such-template"),
            OpmlFeed("https://b.example/f"),
            OpmlFeed("https://c.example/f", brief="../../etc"),  # never a path
            OpmlFeed("https://d.example/f", brief="../../etc", template="daily"),
        ]
    )
    done = feeds.import_opml(book, data)
    assert [s.url for s in done.added] == ["https://b.example/f"]
    assert len(done.problems) == 3 and "'nowhere'" in done.problems[0]
    assert all("'../../etc': not lower-case letters" in p for p in done.problems[1:])
    assert Book(tmp_path / "book").brief_ids() == []
    # --brief puts them all in one brief, whatever the file says; it must be there.
    with pytest.raises(NotFound):
        feeds.import_opml(book, data, brief="nowhere")
    done = feeds.import_opml(book, data, brief="daily")
    assert [(s.url, s.brief) for s in done.added] == [
        ("https://a.example/f", "daily"),
        ("https://c.example/f", "daily"),
        ("https://d.example/f", "daily"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "feeds add URL"),
        (b"\x00\x01binary", "not OPML"),
    ],
)
def test_import_of_what_is_not_opml_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "subs.opml"
    if content is not None:
        path.write_bytes(content)
    assert cli(tmp_path / "book", "feeds", "import", str(path)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: " in err and message in err


def test_feeds_help_explains_import_and_export(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["feeds", "--help"])
    out = capsys.readouterr().out
    assert "briefing feeds import FILE.opml" in out and "briefing feeds export" in out
    assert "--source NAME" in out and "drop:" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "OPML" in capsys.readouterr().out


# -- one feed, whatever the case of its scheme and host ------------------------------------------

HOSTILE = b"""<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="Lower" xmlUrl="http://127.0.0.1:18932/hostile.xml"/>
  <outline text="Upper" xmlUrl="HTTP://127.0.0.1:18932/hostile.xml"/>
  <outline text="Host" xmlUrl="http://LOCALHOST:18932/Path.xml"/>
  <outline text="Again" xmlUrl="http://localhost:18932/Path.xml"/>
  <outline text="Path" xmlUrl="http://localhost:18932/path.xml"/>
</body></opml>"""


def test_a_feed_listed_again_in_another_case_is_one_feed_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scheme and host are case-insensitive, the path is not."""
    urls = [
        "http://127.0.0.1:18932/hostile.xml",
        "http://localhost:18932/Path.xml",
        "http://localhost:18932/path.xml",
    ]
    assert [f.url for f in parse_opml(HOSTILE)] == urls
    read = read_opml(HOSTILE)
    assert [(f.url, f.line) for f in read.duplicates] == [(urls[0], 4), (urls[1], 6)]
    book = tmp_path / "book"
    opml = tmp_path / "hostile.opml"
    opml.write_bytes(HOSTILE)
    assert cli(book, "feeds", "import", str(opml)) == 0
    out = capsys.readouterr().out
    assert "following 3 new feeds" in out and "2 duplicates in the file (followed once)" in out
    assert [s["url"] for s in subs_of(book, capsys)] == urls


def test_a_feed_followed_already_in_another_case_is_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    book = tmp_path / "book"
    assert cli(book, "feeds", "add", "HTTP://LocalHost:18932/Path.xml", "--every", "1d") == 0
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(HOSTILE)))
    capsys.readouterr()
    assert cli(book, "feeds", "import", "-") == 0
    out = capsys.readouterr().out
    assert "following 2 new feeds" in out and "1 followed already" in out
    subs = {s["url"]: s["every"] for s in subs_of(book, capsys)}
    assert subs == {
        "http://localhost:18932/Path.xml": 86400,
        "http://127.0.0.1:18932/hostile.xml": 1800,
        "http://localhost:18932/path.xml": 1800,
    }


@pytest.mark.parametrize("every", ["\u00b2", "\u0663\u0660\u0660", "9" * 400, "-60", "1e9"])
def test_a_hostile_interval_in_the_file_is_the_default(every: str) -> None:
    data = (
        f'<opml version="2.0" xmlns:briefing="{NS}"><body>'
        f'<outline text="x" xmlUrl="https://x.example/f" briefing:every="{every}"/>'
        "</body></opml>"
    ).encode()
    [feed] = parse_opml(data)
    assert feed.every == 0  # read as not said: the default interval


def test_an_interval_from_the_file_is_at_most_a_year(tmp_path: Path) -> None:
    book = Book(tmp_path / "book")
    done = feeds.import_opml(book, write_opml([OpmlFeed("https://x.example/f", every=10**8)]))
    assert [s.every for s in done.added] == [feeds.MOST_EVERY]
