"""Feeds read item by item: the same articles as feedparser, damage and caps as before, no
total size cap, batched atomic writes, results in input order whether parsed here or by
worker processes, progress inside a large feed."""

from __future__ import annotations

import dataclasses
import io
import json
import random
from pathlib import Path

import orjson
import pytest

from briefing.errors import ImportFailed
from briefing.importing import PartlyImported, Source, parse_source
from briefing.importing import service as service_module
from briefing.importing.clean import _INLINE_SPACE, clean, tidy_line
from briefing.importing.feed import (
    _common_date,
    build_item,
    html_paragraphs,
    iso_from_struct,
    parse_feed,
)
from briefing.importing.parallel import Pool
from briefing.importing.service import import_sources
from briefing.importing.stream import FeedFallback, FeedStream, stream_from_bytes
from briefing.model import ParsedArticle
from briefing.store import Book, atomic_write_files
from tests.conftest import DATA, shared_path


def streamed(data: bytes, origin: str = "o") -> tuple[list[ParsedArticle], FeedStream]:
    stream = stream_from_bytes(data)
    stream.prepare()
    items = [a for raw in stream if (a := build_item(raw, stream.meta, origin)) is not None]
    return items, stream


def same_as_feedparser(data: bytes) -> None:
    """The streaming reader gives what feedparser gives, field by field."""
    problems: list[str] = []
    expected = parse_feed(data, "o", problems)
    got, stream = streamed(data)
    assert not problems and stream.damage is None
    assert [dataclasses.asdict(a) for a in got] == [dataclasses.asdict(a) for a in expected]


# -- the same articles as feedparser -----------------------------------------------------------


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_the_test_feeds_read_as_feedparser_reads_them(name: str) -> None:
    same_as_feedparser((DATA / name).read_bytes())


@pytest.mark.shared
def test_the_real_feeds_read_as_feedparser_reads_them() -> None:
    folder = shared_path("corpus", "feeds")
    feeds = [p for p in sorted(folder.iterdir()) if p.suffix in (".rss", ".atom", ".xml")]
    assert feeds
    for path in feeds:
        same_as_feedparser(path.read_bytes())


RSS = (
    "<?xml version='1.0' encoding='utf-8'?>"
    "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'"
    " xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:media='http://search.yahoo.com/mrss/'"
    " xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel><title>Wire</title>"
    "<language>de</language>{items}</channel></rss>"
)
ITEMS = [
    # content:encoded wins over description; the last dc:creator; categories, deduplicated
    "<item><title>t</title><description>short</description><content:encoded><![CDATA["
    "<p>long body</p><h2>Head</h2><p>more</p>]]></content:encoded><dc:creator>A</dc:creator>"
    "<dc:creator>B</dc:creator><category domain='d'>c1</category><category>c2</category>"
    "<category>c1</category><dc:subject>s</dc:subject>"
    "<pubDate>Tue, 07 Jan 2025 23:30:00 -0500</pubDate></item>",
    # a guid is the link unless isPermaLink is false; a link after it wins
    "<item><guid>http://g/1</guid><title>g1</title></item>",
    "<item><guid isPermaLink='false'>abc</guid><title>g2</title></item>",
    "<item><title>g3</title><guid>http://g/3</guid><link>http://l/3?a=1&amp;b=2</link></item>",
    # entities XML does not define, CDATA with a bare ampersand, a title that is HTML
    "<item><title>a&nbsp;b &eacute;t&eacute;</title><description>caf&eacute;</description></item>",
    "<item><title><![CDATA[AT&T & Co]]></title><description><![CDATA[<p>a & b</p>]]></description>"
    "</item>",
    "<item><title>&lt;em&gt;Hello&lt;/em&gt; &amp;amp; world</title><description>x</description>"
    "</item>",
    # a body in entities with no markup; a body of inline XHTML (feedparser reads that item)
    "<item><title>e</title><description>AT&amp;amp;T rocks</description></item>",
    "<item><title>i</title><description><p>inline <b>x</b></p></description></item>",
    # what this reader does not model goes to feedparser item by item
    "<item><media:group><media:title>mt</media:title><media:description>md</media:description>"
    "</media:group><description>desc</description></item>",
    "<item><title>ep</title><itunes:summary>sum</itunes:summary><itunes:keywords>a, b"
    "</itunes:keywords></item>",
    # the RSS source element, a mojibake title, a C1 quote
    "<item><title>caf\u00c3\u00a9 \u0093q\u0094</title><source url='http://s'>Reuters</source>"
    "<description>x</description></item>",
    # no title: the first sentence; nothing at all: no article
    "<item><description>&lt;p&gt;Only a body. Second sentence.&lt;/p&gt;</description></item>",
    "<item></item>",
]


def test_rss_fields_read_as_feedparser_reads_them() -> None:
    same_as_feedparser(RSS.format(items="".join(ITEMS)).encode())


ATOM = (
    "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='de_DE'"
    " xml:base='http://example.com/blog/'><title type='html'>&lt;b&gt;Bold&lt;/b&gt; feed"
    "</title><entry><title type='html'>A &amp;amp; B &lt;i&gt;x&lt;/i&gt;</title>"
    "<link rel='self' href='http://s'/><link href='posts/1'/><id>urn:1</id>"
    "<author><name>N</name><email>e@x.org</email></author><category term='t1' label='L'/>"
    "<published>2021-05-06T01:00:00+03:00</published><updated>2021-06-06T00:00:00Z</updated>"
    "<summary>sum</summary><content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>"
    "<p>P1 <b>bold</b></p><h3>H</h3><p>P2</p></div></content></entry>"
    "<entry><title>only id</title><link rel='self' href='http://self'/><id>urn:uuid:2</id>"
    "<updated>2003-12-13T18:30:02Z</updated><summary>Some text.</summary></entry></feed>"
)
RDF = (
    "<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'"
    " xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
    "<channel rdf:about='x'><title>R</title><dc:language>fr</dc:language></channel>"
    "<item rdf:about='http://r/1'><title>r1</title><link>http://r/1</link>"
    "<description>d1</description><dc:date>2004-01-01</dc:date><dc:creator>C</dc:creator>"
    "</item></rdf:RDF>"
)


@pytest.mark.parametrize("feed", [ATOM, RDF], ids=["atom", "rdf"])
def test_atom_and_rdf_read_as_feedparser_reads_them(feed: str) -> None:
    same_as_feedparser(feed.encode())


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (
            "<?xml version='1.0' encoding='iso-8859-1'?><rss><channel><item><title>\u00e9t\u00e9"
            "</title></item></channel></rss>".encode("latin-1"),
            "\u00e9t\u00e9",
        ),
        (
            "<?xml version='1.0' encoding='windows-1251'?><rss><channel><item><title>\u043f\u0440"
            "\u0438\u0432\u0435\u0442</title></item></channel></rss>".encode("cp1251"),
            "\u043f\u0440\u0438\u0432\u0435\u0442",
        ),
        (
            "<?xml version='1.0' encoding='utf-16'?><rss><channel><item><title>\u00e9t\u00e9"
            "</title></item></channel></rss>".encode("utf-16"),
            "\u00e9t\u00e9",
        ),
        (  # declared Latin-1, written in UTF-8: the declaration is wrong, not the feed
            "<?xml version='1.0' encoding='iso-8859-1'?><rss><channel><item><title>\u00e9t\u00e9"
            " \u043f</title></item></channel></rss>".encode(),
            "\u00e9t\u00e9 \u043f",
        ),
        (  # declared UTF-8, written in Windows-1252
            b"<?xml version='1.0' encoding='utf-8'?><rss><channel><item><title>\xe9t\xe9 \x93q\x94"
            b"</title></item></channel></rss>",
            "\u00e9t\u00e9 \u201cq\u201d",
        ),
    ],
    ids=["latin-1", "windows-1251", "utf-16", "wrong-declaration", "not-utf-8"],
)
def test_encodings_are_chosen_as_feedparser_chooses_them(data: bytes, title: str) -> None:
    same_as_feedparser(data)
    assert streamed(data)[0][0].title == title


def test_sloppy_feeds_read_better_than_feedparser_reads_them() -> None:
    """feedparser's tolerant parser writes a bare `AT&T` as `AT&T;` and loses the `;` of an
    entity nobody defines; the streaming reader keeps both as written."""
    data = (
        b"<rss><channel><title>A&B</title><item><title>AT&T wins</title>"
        b"<description>a &bogus; b</description></item></channel></rss>"
    )
    [item], _ = streamed(data)
    assert (item.title, item.source, item.paragraphs) == ("AT&T wins", "A&B", [("", "a &bogus; b")])


def test_control_characters_come_back_for_the_sanitiser() -> None:
    data = b"<rss><channel><item><title>a\x01b\x1b[31mred</title></item></channel></rss>"
    [item], stream = streamed(data)
    assert stream.meta.controls
    assert "\x1b" not in tidy_line(item.title) and "[31m" not in item.title  # escape dropped


def test_a_doctype_declaring_entities_goes_to_feedparser() -> None:
    data = (
        b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY who 'World'>]><rss><channel><item>"
        b"<title>Hello &who;</title></item></channel></rss>"
    )
    with pytest.raises(FeedFallback):
        streamed(data)
    [item] = parse_source(Source("e.rss", data=data))
    assert item.title == "Hello World"  # type: ignore[union-attr]


# -- bodies, dates, tidy: fast paths that must change nothing ------------------------------------------


def test_html_paragraphs() -> None:
    body = (
        "<p>One <b>bold</b> &amp; more.</p><script>x()</script><h2>Head</h2>"
        "<ul><li>Item <p>nested</p></li></ul><div><p>In a div.</p>tail</div>"
        "<object><p>Fallback text.</p></object><iframe><p>frame</p></iframe><p><!-- c -->x</p>"
    )
    assert html_paragraphs(body) == [
        ("", "One bold & more."),
        ("Head", "Item nested"),
        ("Head", "In a div."),
        ("Head", "tail"),  # loose text after a block is a paragraph of its own
        ("Head", "Fallback text."),
        ("Head", "x"),
    ]
    assert html_paragraphs("AT&amp;T\n\nsecond") == [("", "AT&T"), ("", "second")]
    assert html_paragraphs("just text") == [("", "just text")]


def test_the_common_dates_read_as_feedparser_reads_them() -> None:
    from feedparser.datetimes import _parse_date

    rng = random.Random(7)
    days = ["Mon", "Tue", "Sun", ""]
    months = ["Jan", "Feb", "Jun", "Dec", "Foo"]
    zones = ["GMT", "UT", "UTC", "Z", "+0000", "-0500", "+0530", "+1400", "EST", "+05:30"]
    fast = 0
    for _ in range(20_000):
        y, mo, d = rng.choice([1, 1999, 2024, 9999]), rng.randint(0, 13), rng.randint(0, 32)
        h, mi, s = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        if rng.random() < 0.5:
            day = rng.choice(days)
            text = (
                f"{day + ', ' if day else ''}{d:02d} {rng.choice(months)} {y:04d} {h:02d}:{mi:02d}"
            )
            text += (f":{s:02d}" if rng.random() < 0.8 else "") + " " + rng.choice(zones)
        else:
            zone = rng.choice(["Z", "z", "+03:00", "-05:30", "", "+0300"])
            text = f"{y:04d}-{mo:02d}-{d:02d}"
            if rng.random() < 0.8:
                text += f"T{h:02d}:{mi:02d}" + (f":{s:02d}.5" if rng.random() < 0.5 else "") + zone
        mine = _common_date(text)
        if mine is not None:
            fast += 1
            assert mine == iso_from_struct(_parse_date(text)), text
    assert fast > 5000


def test_tidy_line_fast_path_changes_nothing() -> None:
    def reference(text: str) -> str:
        return _INLINE_SPACE.sub(" ", clean(text).replace("\n", " ")).strip()

    rng = random.Random(3)
    alphabet = list("ab cé\t\n\r\u00a0\u2007\u202f\u3000\u2003\x1b[m\x9b\x85\u202a\u2066e\u0301 .")
    alphabet += ["\x00", "\x7f", "\u200b", "\u2028", "\uf701", "  "]
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert tidy_line(text) == reference(text), repr(text)


# -- through parse_source and import_sources ---------------------------------------------------------


def big_feed(n: int, body_words: int = 30) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>http://x/{i}</link><category>c{i % 3}</category>"
        f"<description>&lt;p&gt;{'word ' * body_words}{i}.&lt;/p&gt;&lt;p&gt;Second {i}."
        "&lt;/p&gt;</description></item>\n"
        for i in range(n)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Big</title>{items}</channel></rss>".encode()


def test_a_feed_has_no_total_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.importing as imp

    path = tmp_path / "big.rss"
    path.write_bytes(big_feed(50))
    monkeypatch.setattr(imp, "MAX_BYTES", 1000)
    assert len(parse_source(Source(str(path), path=path))) == 50
    text = tmp_path / "big.txt"
    text.write_text("Headline\n\n" + "word " * 500)
    with pytest.raises(ImportFailed, match="too large"):
        parse_source(Source(str(text), path=text))


@pytest.fixture
def streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every feed streamed through the worker pipeline, in small chunks."""
    monkeypatch.setattr(service_module, "STREAM_BYTES", 1)
    monkeypatch.setattr(service_module, "CHUNK_ITEMS", 7)


def articles(book: Book) -> list[tuple[str, str, int, list[str]]]:
    return [
        (a.id, a.title, a.passage_count, [p.text for p in book.passages([a.id])])
        for a in book.articles()
    ]


@pytest.mark.usefixtures("streaming")
@pytest.mark.parametrize("workers", [0, 2], ids=["here", "pool"])
def test_a_streamed_feed_imports_what_parse_source_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(service_module, "Pool", lambda: Pool(workers))
    path = tmp_path / "f.rss"
    path.write_bytes(big_feed(40))
    expected = parse_source(Source(str(path), path=path))
    book = Book(tmp_path / "book")
    report = import_sources(book, [Source(str(path), path=path)], tags=["mine"])
    assert not report.failed
    assert [a.title for a in book.articles()] == [a.title for a in expected]  # type: ignore[union-attr]
    assert len(book.passages()) == 80
    tags = book.article_tags()
    assert all(tags[a.id][-1] == "mine" for a in book.articles())
    again = import_sources(book, [Source(str(path), path=path)])
    assert len(again.skipped) == 40 and not again.added


def test_workers_and_this_process_make_the_same_book(tmp_path: Path, monkeypatch) -> None:
    """Results come back in input order: the same ids, order and files either way."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i:02}.md").write_text(f"# Article {i}\n\nText of {i}.\n\nMore {i}.\n")
    (folder / "z.rss").write_bytes(big_feed(30))
    monkeypatch.setattr(service_module, "POOL_BYTES", 0)
    monkeypatch.setattr(service_module, "STREAM_BYTES", 1000)
    monkeypatch.setattr(service_module, "now_iso", lambda: "2026-01-01T00:00:00Z")
    books = []
    for workers in (0, 2):
        monkeypatch.setattr(service_module, "Pool", lambda w=workers: Pool(w))
        book = Book(tmp_path / f"book{workers}")
        import_sources(book, [Source(str(p), path=p) for p in sorted(folder.iterdir())])
        books.append(book)
    assert articles(books[0]) == articles(books[1])
    assert [a.id for a in books[0].articles()] == [a.id for a in books[1].articles()]
    for name in ("passages-", "articles-"):
        for path in sorted((books[0].path / "library").glob(f"{name}*.json")):
            assert path.read_bytes() == (books[1].path / "library" / path.name).read_bytes()


@pytest.mark.usefixtures("streaming")
def test_a_streamed_feed_cut_off_keeps_its_complete_items(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    data = big_feed(20)
    path.write_bytes(data[: data.index(b"<item><title>Item 13<") + 40])
    book = Book(tmp_path / "book")
    report = import_sources(book, [Source(str(path), path=path)])
    assert len(report.added) == 13
    [(name, reason)] = report.failed
    assert name == str(path)
    assert (
        "damaged at line 14 (no element found)" in reason
        and "13 complete items before it" in reason
    )


@pytest.mark.usefixtures("streaming")
def test_a_streamed_item_over_the_caps_is_left_out_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.importing as imp

    monkeypatch.setattr(imp, "MAX_ARTICLE_CHARS", 400)
    data = big_feed(10).replace(b"word word", b"word " * 100 + b"word", 1)
    path = tmp_path / "f.rss"
    path.write_bytes(data)
    book = Book(tmp_path / "book")
    report = import_sources(book, [Source(str(path), path=path)])
    assert len(report.added) == 9
    [(_, reason)] = report.failed
    assert reason.startswith("feed: item 1 ('Item 0') left out: too long for one article")


@pytest.mark.usefixtures("streaming")
def test_progress_moves_inside_a_large_feed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(service_module, "TICK", 0)
    path = tmp_path / "f.rss"
    path.write_bytes(big_feed(200))
    calls: list[tuple[int, int, str]] = []
    read: list[tuple[int, int, str]] = []
    import_sources(
        Book(tmp_path / "book"),
        [Source(str(path), path=path)],
        progress=lambda *a: calls.append(a),
        feed_progress=lambda *a: read.append(a),
    )
    assert calls[0] == (0, 1, str(path)) and calls[-1] == (1, 1, "")
    assert len(calls) > 5 and all(c == (0, 1, str(path)) for c in calls[:-1])
    size = path.stat().st_size
    assert read[-1] == (size, size, str(path))
    assert [r[0] for r in read] == sorted(r[0] for r in read)


@pytest.mark.usefixtures("streaming")
@pytest.mark.parametrize("workers", [0, 2], ids=["here", "pool"])
def test_cancelling_inside_a_feed_leaves_nothing(tmp_path: Path, monkeypatch, workers) -> None:
    monkeypatch.setattr(service_module, "Pool", lambda: Pool(workers))
    monkeypatch.setattr(service_module, "TICK", 0)
    monkeypatch.setattr(service_module, "BATCH_BYTES", 2000)  # batches written before it
    path = tmp_path / "f.rss"
    path.write_bytes(big_feed(300))
    book = Book(tmp_path / "book")
    seen = []

    def progress(done: int, total: int, name: str) -> None:
        seen.append(done)
        if len(seen) > 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_sources(book, [Source(str(path), path=path)], progress=progress)
    fresh = Book(book.path)
    assert fresh.articles() == [] and fresh.passages() == []
    assert not (book.path / "import.journal").exists()


# -- the store's batched writes -------------------------------------------------------------------


def test_passages_given_as_lines_are_stored_as_objects_would_be(tmp_path: Path) -> None:
    from briefing.importing import built, to_article

    items = [
        ParsedArticle(f"T{i}", [("", f"Text {i} \u00e9."), ("H", f"More {i}.")], url=f"u{i}")
        for i in range(40)
    ]
    as_objects, as_lines = Book(tmp_path / "a"), Book(tmp_path / "b")
    stamp = "2026-01-01T00:00:00Z"
    for start in (0, 20):  # twice: appended to existing shard files the second time
        chunk = items[start : start + 20]
        as_objects.add_articles([to_article(p, stamp) for p in chunk])
        as_lines.add_articles([(to_article(p, stamp)[0], built(p, stamp).passages) for p in chunk])
    for path in sorted((as_objects.path / "library").glob("*.json")):
        assert path.read_bytes() == (as_lines.path / "library" / path.name).read_bytes()
        assert orjson.dumps(orjson.loads(path.read_bytes())) == path.read_bytes()


def test_passages_left_by_a_crash_are_replaced(tmp_path: Path) -> None:
    from briefing.importing import built, to_article

    book = Book(tmp_path / "book")
    parsed = ParsedArticle("T", [("", "One."), ("", "Two.")], url="u")
    article, passages = to_article(parsed, "x")
    book.add_articles([(article, passages)])
    # A crash after the passages were written and before the article was: only passages.
    shard = book.path / "library" / f"articles-{article.id[:2]}.json"
    shard.write_bytes(orjson.dumps({"articles": {}}))
    assert Book(book.path).add_articles([(article, built(parsed, "x").passages)]) == {article.id}
    assert [p.text for p in Book(book.path).passages()] == ["One.", "Two."]


def test_a_failed_batch_write_leaves_the_old_files_and_no_temp_files(
    tmp_path: Path, monkeypatch
) -> None:
    import briefing.store as store

    files = [(tmp_path / f"f{i}.json", b"new %d" % i) for i in range(6)]
    for path, _ in files:
        path.write_bytes(b"old")
    real = store._write_durably

    def fail_on_the_fourth(tmp: Path, data: bytes) -> None:
        if data == b"new 3":
            raise OSError(28, "No space left on device")
        real(tmp, data)

    monkeypatch.setattr(store, "_write_durably", fail_on_the_fourth)
    with pytest.raises(OSError):
        atomic_write_files(files)
    assert [p.read_bytes() for p, _ in files] == [b"old"] * 6
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _ in files)


def test_parse_source_reports_damage_and_caps_as_before() -> None:
    data = (
        b"<rss version='2.0'><channel>\n<item><title>One</title></item>\n"
        b"<item><title>Two</title><description>Cut o"
    )
    with pytest.raises(PartlyImported, match=r"damaged at line 3 \(no element found\)"):
        parse_source(Source("cut.rss", data=data))


# -- JSON Feed, read item by item too -----------------------------------------------------------


def json_feed(n: int) -> bytes:
    items = [
        {
            "id": str(i),
            "url": f"http://j/{i}",
            "title": f"J {i}",
            "content_html": f"<p>Body {i} é.</p><p>Second {i}.</p>",
            "date_published": "2025-03-04T05:06:07Z",
            "tags": ["t"],
            "n": 1.5e300 + i,
        }
        for i in range(n)
    ]
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "JF", "items": items}
    return json.dumps(doc, indent=1, ensure_ascii=False).encode()


def test_a_json_feed_read_item_by_item_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.importing.stream as stream_module
    from briefing.importing.feed import json_feed_item, parse_json_feed
    from briefing.importing.stream import JsonFeedStream

    monkeypatch.setattr(stream_module, "CHUNK", 37)  # values cut across chunks everywhere
    data = json_feed(30)
    stream = JsonFeedStream(lambda: io.BytesIO(data), len(data))
    got = [a for raw in stream if (a := json_feed_item(raw, stream.meta, "o"))]
    assert stream.damage is None
    assert got == parse_json_feed(orjson.loads(data), "o")
    cut = data[: data.index(b'"J 17"')]
    stream = JsonFeedStream(lambda: io.BytesIO(cut), len(cut))
    assert len(list(stream)) == 17  # items 0 to 16
    assert stream.damage is not None and stream.damage[0] == 17


@pytest.mark.usefixtures("streaming")
def test_a_large_json_feed_has_no_size_cap(tmp_path: Path, monkeypatch) -> None:
    import briefing.importing as imp

    monkeypatch.setattr(imp, "MAX_BYTES", 1000)
    path = tmp_path / "f.json"
    path.write_bytes(json_feed(40))
    assert len(parse_source(Source(str(path), path=path))) == 40
    book = Book(tmp_path / "book")
    report = import_sources(book, [Source(str(path), path=path)])
    assert not report.failed and len(report.added) == 40
    assert book.articles()[0].source == "JF" and book.articles()[0].published == "2025-03-04"
    cut = tmp_path / "cut.json"
    data = path.read_bytes()
    cut.write_bytes(data[: data.index(b'"J 39"')])
    report = import_sources(Book(tmp_path / "book2"), [Source(str(cut), path=cut)])
    [(_, reason)] = report.failed
    assert reason.startswith("jsonfeed: damaged at line") and len(report.added) == 39


def test_sloppy_content_late_in_a_feed_reads_it_again_neutralised(monkeypatch) -> None:
    """The feed is read as it is until lxml stops on an `&nbsp;` or a control character;
    then again from the start, neutralised, past the items already given: none twice."""
    import briefing.importing.stream as stream_module

    monkeypatch.setattr(stream_module, "CHUNK", 200)
    items = [
        f"<item><title>Item {i}</title><description>Body {i}.</description></item>"
        for i in range(30)
    ]
    items[20] = "<item><title>a&nbsp;b AT&T \x01</title><description>x</description></item>"
    data = RSS.format(items="".join(items)).encode()
    same_as_feedparser(data.replace(b"AT&T \x01", b"ATT"))  # what feedparser reads alike
    got, stream = streamed(data)
    assert [a.title for a in got] == [f"Item {i}" for i in range(20)] + ["a b AT&T"] + [
        f"Item {i}" for i in range(21, 30)
    ]
    assert stream.damage is None and stream.meta.controls


def test_an_escape_sequence_in_a_streamed_feeds_title_is_dropped_whole(tmp_path: Path) -> None:
    """The channel title, like every item field, reaches the sanitiser with its controls
    (it once kept the OSC 52 payload as private-use characters)."""
    from briefing.importing import Source
    from briefing.importing.service import STREAM_BYTES, import_sources
    from briefing.store import Book

    body = "word " * 400
    items = "".join(
        f"<item><title>Item {n}</title><link>https://x.example/{n}</link>"
        f"<description>{body}</description></item>"
        for n in range(STREAM_BYTES // len(body) + 50)
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>Feed \x1b]52;c;ZXZpbA==\x07 [/]</title>{items}</channel></rss>"
    ).encode()
    assert len(feed) > STREAM_BYTES
    book = Book(tmp_path / "book")
    report = import_sources(book, [Source("big.rss", data=feed)])
    assert report.added and not report.failed
    article = book.articles()[0]
    assert article.source == article.publisher == "Feed [/]"
