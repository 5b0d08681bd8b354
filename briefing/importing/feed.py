"""RSS, Atom and JSON Feed: one article per item.

RSS and Atom are read item by item by `stream.FeedStream` (lxml, in constant memory, no size
cap); feedparser reads the feeds that reader cannot start on (see `stream`) and the odd item.
Both give each item's fields as a `RawItem`, and `build_item` makes the article from it, so
what an item becomes does not depend on which of the two read it. JSON Feed, which needs no
tolerant parser, is read directly.

Damage. A feed cut off in the middle keeps the complete items before the break; the break
is reported (line and reason, from expat over the feed with what feedparser forgives
neutralised: `find_damage`). feedparser's tolerant parser would "read" the item being
written when the file ended (a title and no body imported as an article), and sets `bozo`
for harmless things too (a wrong encoding declaration, an `&nbsp;`, an undeclared `media:`
prefix), so on its path the structure is checked with `find_damage` when `bozo` is set.
Junk after the closed root element cuts nothing and is ignored. A complete item with only
a title (a wire flash) is an article.

Bodies. An item's body is HTML (RSS `description`, `content:encoded`, Atom `html`/`xhtml`)
or text; `html_paragraphs` makes paragraphs of either: block elements become paragraphs
(headings head the paragraphs after them), and so does the loose text around them and
between `<br>`s (`block_paragraphs`: no text lost, no two blocks' words glued), script and
style are dropped, entities are decoded (also in a body with no markup: `AT&amp;T` is
`AT&T`). A title that is HTML (Atom `type="html"`, or an RSS title feedparser would take
for HTML) is reduced to its text, its blocks and lines spaced.

Detection looks past the XML declaration, comments, processing instructions and a DOCTYPE
(however long) to the root element, reading at most `SNIFF_CHARS`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html as htmllib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple
from xml.parsers import expat

from briefing.importing.clean import decode, headline_of, tidy_line
from briefing.model import ParsedArticle
from briefing.wording import plural

SNIFF_CHARS = 64 * 1024
"""How far detection looks for the root element."""

_HEADS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_DROPPED = ("script", "style", "applet", "iframe")
"""Dropped with their content (as feedparser's sanitiser drops the first three; an iframe's
content is not markup to lxml, only text). Other elements are kept for their text."""

HTML_BLOCKS = frozenset(
    {
        *_HEADS,
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd"),
        *("details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure"),
        *("footer", "form", "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav"),
        *("ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul"),
    }
)
"""HTML's block elements: each ends the paragraph before it and starts another."""


@dataclass(frozen=True)
class BlockTags:
    """Which elements of a tree make paragraphs, and how (`block_paragraphs`): HTML's for a
    feed item's body, trafilatura's XML for a page."""

    blocks: frozenset[str]
    """Elements that end the paragraph before them and start another after them."""
    whole: frozenset[str]
    """The blocks that make one paragraph of all the text under them (a `<p>`, an `<li>`):
    a block inside one only puts a space between its words and the others'."""
    heads: frozenset[str]
    """The `whole` blocks that are headings: their text heads the paragraphs after them."""
    breaks: frozenset[str]
    """Line breaks: a paragraph break, except inside a `whole` block, where one is a space
    and two or more in a row end its paragraph (in a heading: a space)."""
    nested: dict[str, frozenset[str]]
    """A `whole` block with a child of these names is read as a container instead, block by
    block (an `<li>` holding a list, a `<blockquote>` of paragraphs)."""

    @cached_property
    def stops(self) -> tuple[str, ...]:
        """The names that end or break a paragraph."""
        return (*self.blocks, *self.breaks)


_LISTISH = frozenset({"ul", "ol", "dl", "table", "blockquote", *_HEADS})
HTML_TAGS = BlockTags(
    blocks=HTML_BLOCKS,
    whole=frozenset(
        {"p", "li", "blockquote", "pre", *_HEADS, "dd", "dt", "td", "th", "caption", "figcaption"}
    ),
    heads=_HEADS,
    breaks=frozenset({"br"}),
    nested={
        "li": _LISTISH,
        "dd": _LISTISH,
        "td": _LISTISH,
        "th": _LISTISH,
        "blockquote": HTML_BLOCKS,
    },
)
_HTML_TEXT_TAGS = BlockTags(
    blocks=HTML_TAGS.blocks,
    whole=HTML_TAGS.whole,
    heads=frozenset(),
    breaks=HTML_TAGS.breaks,
    nested=HTML_TAGS.nested,
)
"""`HTML_TAGS` with headings read as paragraphs (for a title, or a body of headings)."""


def block_paragraphs(
    root: Any, tags: BlockTags, skip: Callable[[str], bool] | None = None
) -> list[tuple[str, str]]:
    """The text under `root` as (heading, text) paragraphs, in document order.

    Every block ends a paragraph and starts another, so no two blocks' words touch, and the
    text around blocks (before, between and after them, loose in a container) makes
    paragraphs of its own, as does text between line breaks outside a `whole` block. A
    heading heads the paragraphs after it. `skip`: texts left out (a heading left out heads
    nothing). Comments and processing instructions are not text; their tails are. The tree
    is walked without recursion (lxml's `iterwalk`): a hostile depth costs no stack."""
    from lxml import etree

    out: list[tuple[str, str]] = []
    heading = ""
    parts: list[str] = []
    whole: Any = None  # the `whole` block being read
    brs = 0  # line breaks in a row inside it

    def flush() -> None:
        nonlocal heading
        if not parts:
            return
        text = tidy_line("".join(parts))
        parts.clear()
        if not text or (skip is not None and skip(text)):
            return
        if whole is not None and whole.tag in tags.heads:
            heading = text
        else:
            out.append((heading, text))

    blocks, breaks, wholes, nested = tags.blocks, tags.breaks, tags.whole, tags.nested
    tostring = etree.tostring
    holders = set()  # the elements with a block or a line break under them
    for stop in root.iterdescendants(*tags.stops):
        holders.add(root)
        up = stop.getparent()
        while up not in holders:  # each element once: linear time
            holders.add(up)
            up = up.getparent()
    if not holders:  # inline markup only: one paragraph, its text at C speed
        parts.append(tostring(root, method="text", encoding="unicode", with_tail=False))
        flush()
        return out
    walk = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walk:
        tag = el.tag
        if event == "start":
            text = el.text
            if tag in blocks:
                if whole is not None:
                    parts.append(" ")
                else:
                    if parts:
                        flush()
                    inner = nested.get(tag)
                    if tag in wholes and not (inner and any(c.tag in inner for c in el)):
                        whole, brs = el, 0
                        if len(el) and el not in holders:
                            # Only inline markup inside: its text at C speed, not by events.
                            text = tostring(el, method="text", encoding="unicode", with_tail=False)
                            walk.skip_subtree()
            elif tag in breaks:
                if whole is None:
                    flush()
                else:
                    brs += 1
                    if brs == 2 and whole.tag not in tags.heads:
                        flush()
                    parts.append(" ")
        elif event == "end":
            if el is whole:
                flush()
                whole = None
            elif tag in blocks or el is root:
                if whole is None:
                    flush()
                else:
                    parts.append(" ")
            if el is root:
                break
            text = el.tail
        else:  # a comment or a processing instruction: only its tail is text
            text = el.tail
        if text:
            parts.append(text)
            if brs and not text.isspace():
                brs = 0
    return out


def text_paragraphs(text: str) -> list[tuple[str, str]]:
    return [("", t) for t in (tidy_line(x) for x in re.split(r"\n\s*\n", text)) if t]


_FULL_PAGE = re.compile(r"^\s*<(?:html|!doctype)", re.I)
_PARSER: Any = None


def _body(fragment: str) -> Any:
    """The `<body>` an HTML fragment parses into, `_DROPPED` taken out (their tails kept):
    what `lxml.html.fragment_fromstring(..., create_parent=True)`
    holds, without its Python element classes (a third of the time went there)."""
    global _PARSER
    from lxml import etree

    if _PARSER is None:
        _PARSER = etree.HTMLParser()
    page = fragment if _FULL_PAGE.match(fragment) else f"<html><body>{fragment}</body></html>"
    doc = etree.fromstring(page, _PARSER)
    if doc is None:
        raise ValueError("empty document")
    bodies = [e for e in doc if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "body"]
    if len(bodies) != 1:
        raise ValueError("not one body")
    etree.strip_elements(bodies[0], *_DROPPED, with_tail=False)
    return bodies[0]


def _as_text(fragment: str) -> str:
    """A fragment that cannot be parsed, as text: its tags replaced by spaces."""
    return tidy_line(re.sub(r"<[^>]+>", " ", fragment))


def html_paragraphs(fragment: str) -> list[tuple[str, str]]:
    """A feed item's HTML body as (heading, text) paragraphs (`block_paragraphs`): each
    block element, each run of text around them and each run between `<br>`s outside a
    block is a paragraph; a heading heads the paragraphs after it. A body of headings alone
    is one paragraph of them."""
    if "<" not in fragment:
        return text_paragraphs(htmllib.unescape(fragment) if "&" in fragment else fragment)
    try:
        body = _body(fragment)
    except Exception:  # lxml raises several types for hopeless markup
        return [("", text)] if (text := _as_text(fragment)) else []
    out = block_paragraphs(body, HTML_TAGS)
    if not out:
        text = " ".join(t for _, t in block_paragraphs(body, _HTML_TEXT_TAGS))
        if text:
            out.append(("", text))
    return out


def html_text(fragment: str) -> str:
    """The text of an HTML fragment (a title), on one line: its blocks and lines joined
    with spaces."""
    if "<" not in fragment:
        return tidy_line(htmllib.unescape(fragment) if "&" in fragment else fragment)
    try:
        body = _body(fragment)
    except Exception:
        return _as_text(fragment)
    return " ".join(t for _, t in block_paragraphs(body, _HTML_TEXT_TAGS))


_CP1252 = {
    c: bytes([c]).decode("cp1252")
    for c in range(0x80, 0xA0)
    if c not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1 = re.compile("[\x80-\x9f]")


def fp_fix(text: str, c1: bool = True) -> str:
    """What feedparser does to every text it stores: text that is UTF-8 read as Latin-1
    (`Ã©`) is read again as UTF-8, and C1 controls become the Windows-1252 characters they
    stand for (U+0093 → “). `c1=False`: the text is known to hold none."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    if c1 and _C1.search(text):
        text = text.translate(_CP1252)
    return text


def iso_from_struct(value: Any) -> str | None:
    if not value:
        return None
    try:
        return dt.date(*time.struct_time(value)[:3]).isoformat()
    except (TypeError, ValueError):
        return None


# -- what an item becomes, whoever read it -----------------------------------------------------------


class RawItem(NamedTuple):
    """One feed item's fields as read, before anything is decided from them.

    `xml`, when set, is the item alone (inside its feed's root element) for feedparser to
    read: the other fields are then empty."""

    title: str = ""
    title_html: bool = False
    body: str = ""
    link: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    published: str | None = None
    """ISO date, when already known (feedparser's entries)."""
    dates: tuple[str | None, str | None] | None = None
    """The last published and the last updated date as written (the streaming reader's)."""
    xml: bytes = b""
    fix_body: bool = False
    """The body still needs feedparser's repairs (`fp_fix`: left to the worker)."""


@dataclass
class FeedMeta:
    """What every item of a feed shares."""

    title: str = ""
    language: str = ""
    publisher: str = ""
    """Who publishes the feed, when it says so apart from its title (a JSON Feed's author:
    NPR's technology feed is titled "Technology"; its items' source is NPR)."""
    source: str = ""
    """The source of the items that do not name their own, when the reader was told one
    (a subscription's `--source`: a wire's feed titled "Top stories" is the wire's). It
    wins over the feed's title and publisher, never over an item's own `<source>`."""
    controls: bool = False
    """Control characters travelled as private-use characters (see `stream`)."""
    c1: bool = True
    """The feed may hold C1 controls (see `fp_fix`; the streaming reader knows)."""


_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_PUA = 0xF700
_UNMAP = {_PUA + c: c for c in range(0x20)}


def raw_from_entry(entry: Any) -> RawItem:
    """A feedparser entry's fields."""
    body = ""
    if entry.get("content"):
        body = max((c.get("value", "") for c in entry.content), key=len)
    body = body or entry.get("summary", "") or entry.get("description", "")
    detail = entry.get("title_detail") or {}
    src = entry.get("source") or {}
    return RawItem(
        title=entry.get("title", "") or "",
        title_html=detail.get("type") in _HTML_TYPES,
        body=body or "",
        link=entry.get("link") or "",
        author=entry.get("author", "") or "",
        tags=tuple(t.get("term") for t in entry.get("tags", []) if t.get("term")),
        source=(src.get("title", "") or "") if isinstance(src, dict) else "",
        published=iso_from_struct(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _via_feedparser(xml: bytes) -> RawItem | None:
    import feedparser

    parsed = feedparser.parse(xml)
    return raw_from_entry(parsed.entries[0]) if parsed.entries else None


_MONTHS = {
    m: n
    for n, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun), )?(\d{1,2}) ([a-z]{3}) (\d{4}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? (gmt|ut|utc|z|[+-]\d{4})"
)
_W3CDTF = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:t(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(z|[+-]\d{2}:\d{2}))?"
)


def _common_date(value: str) -> str | None:
    """The UTC date of a date in one of the two forms nearly every feed uses (RFC 822 with
    a numeric or UT zone, W3C date-time), computed as feedparser computes it; None for any
    other form (feedparser's parser reads those)."""
    text = value.lower()
    if m := _RFC822.fullmatch(text):
        month = _MONTHS.get(m[2])
        zone = m[7]
        offset = 0 if zone[0] not in "+-" else (int(zone[1:3]) * 60 + int(zone[3:5]))
        if zone[0] == "-":
            offset = -offset
        if month is None:
            return None
        parts = (int(m[3]), month, int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0))
    elif m := _W3CDTF.fullmatch(text):
        zone = m[7] or "z"
        offset = 0 if zone == "z" else (int(zone[1:3]) * 60 + int(zone[4:6]))
        if zone[0] == "-":
            offset = -offset
        parts = (int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
    else:
        return None
    try:
        stamp = dt.datetime(*parts) - dt.timedelta(minutes=offset)
    except (ValueError, OverflowError):
        return None
    return stamp.date().isoformat()


def _iso_date(value: str | None) -> str | None:
    """A date as written in a feed, as an ISO date in UTC (feedparser's parser: it knows
    the formats found in the wild; the two common ones are read here, `_common_date`);
    None when unreadable."""
    if not value:
        return None
    if (common := _common_date(value)) is not None:
        return common
    from feedparser.datetimes import _parse_date

    return iso_from_struct(_parse_date(value))


def build_item(raw: RawItem, meta: FeedMeta, origin: str) -> ParsedArticle | None:
    """The article an item makes; None for an item with neither a title nor a body."""
    if raw.xml:
        found = _via_feedparser(raw.xml)
        if found is None:
            return None
        raw = found
    if meta.controls:
        raw = raw._replace(
            title=raw.title.translate(_UNMAP),
            body=raw.body.translate(_UNMAP),
            link=raw.link.translate(_UNMAP),
            author=raw.author.translate(_UNMAP),
            tags=tuple(t.translate(_UNMAP) for t in raw.tags),
            source=raw.source.translate(_UNMAP),
        )
    if raw.fix_body:
        raw = raw._replace(body=fp_fix(raw.body, meta.c1))
    paragraphs = html_paragraphs(raw.body) if raw.body else []
    title = (html_text(raw.title) if raw.title_html else tidy_line(raw.title)) or (
        headline_of(paragraphs[0][1], 100) if paragraphs else ""
    )
    if not paragraphs:
        if not title:
            return None
        paragraphs = [("", title)]
    published = raw.published
    if raw.dates is not None:
        published = _iso_date(raw.dates[0]) or _iso_date(raw.dates[1])
    return ParsedArticle(
        title=title,
        paragraphs=paragraphs,
        source=tidy_line(raw.source) or tidy_line(meta.source) or meta.title,
        publisher=meta.title,
        published=published,
        url=raw.link.strip(),
        author=tidy_line(raw.author),
        language=meta.language,
        tags=[tidy_line(t) for t in raw.tags if t],
        format="feed",
        origin=origin,
    )


def feed_meta(parsed: Any) -> FeedMeta:
    """feedparser's feed-level fields."""
    feed = parsed.feed
    detail = feed.get("title_detail") or {}
    title = feed.get("title", "") or ""
    return FeedMeta(
        title=html_text(title) if detail.get("type") in _HTML_TYPES else tidy_line(title),
        language=feed.get("language", "") or "",
    )


def parse_feed(
    data: bytes, origin: str = "", problems: list[str] | None = None, *, source: str = ""
) -> list[ParsedArticle]:
    """The feed's items as articles, read by feedparser (the whole feed in memory: for the
    feeds the streaming reader cannot read). Damage (see the module) leaves out the items
    from the break on and appends one line about it to `problems`. `source`: the source of
    the items that do not name one (`FeedMeta.source`)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.bozo:
        raise ValueError(f"not a readable feed ({parsed.bozo_exception})")
    entries = list(parsed.entries)
    if parsed.bozo and (damage := find_damage(data)) is not None:
        complete, line, reason = damage
        message = damage_message(complete, line, reason)
        if problems is None:
            raise ValueError(message)
        problems.append(message)
        entries = entries[:complete]
    meta = feed_meta(parsed)
    meta.source = source
    out = []
    for entry in entries:
        item = build_item(raw_from_entry(entry), meta, origin)
        if item is not None:
            out.append(item)
    return out


def damage_message(complete: int, line: int, reason: str) -> str:
    return (
        f"damaged at line {line} ({reason}): the items from there on are left out "
        f"({plural(complete, 'complete item')} before it)"
    )


def parse_json_feed(
    doc: dict[str, Any], origin: str = "", *, source: str = ""
) -> list[ParsedArticle]:
    meta = json_feed_meta(doc)
    meta.source = source
    out: list[ParsedArticle] = []
    for item in doc.get("items", []) or []:
        if (article := json_feed_item(item, meta, origin)) is not None:
            out.append(article)
    return out


def json_feed_meta(doc: dict[str, Any]) -> FeedMeta:
    return FeedMeta(
        title=tidy_line(str(doc.get("title", ""))),
        language=str(doc.get("language", "") or ""),
        publisher=json_feed_author(doc.get("authors") or doc.get("author")),
    )


def json_feed_author(value: object) -> str:
    """The name of a JSON Feed's `author` (1.0) or first of its `authors` (1.1)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return tidy_line(str(value.get("name", "") or ""))
    return ""


def json_feed_item(item: object, meta: FeedMeta, origin: str) -> ParsedArticle | None:
    """The article a JSON Feed item makes; None for one with neither title nor body."""
    if not isinstance(item, dict):
        return None
    body = item.get("content_html") or ""
    paragraphs = html_paragraphs(body) if body else []
    if not paragraphs and item.get("content_text"):
        paragraphs = text_paragraphs(str(item["content_text"]))
    if not paragraphs and item.get("summary"):
        paragraphs = [("", tidy_line(str(item["summary"])))]
    title = tidy_line(str(item.get("title", ""))) or (
        headline_of(paragraphs[0][1], 100) if paragraphs else ""
    )
    if not paragraphs:
        if not title:
            return None
        paragraphs = [("", title)]
    date = str(item.get("date_published") or item.get("date_modified") or "")
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    author = ", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))
    return ParsedArticle(
        title=title,
        paragraphs=paragraphs,
        source=tidy_line(meta.source) or meta.publisher or meta.title,
        publisher=meta.publisher or meta.title,
        published=date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
        url=str(item.get("url") or item.get("external_url") or "").strip(),
        author=tidy_line(author),
        language=meta.language,
        tags=[tidy_line(str(t)) for t in item.get("tags", []) or []],
        format="feed",
        origin=origin,
    )


_ENTITY_BARE = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_ENTITY_NAMED = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z_][\w.-]*);")
_XML_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ITEMS = {"item", "entry"}


def find_damage(data: bytes) -> tuple[int, int, str] | None:
    """Where the feed's XML breaks before its root element closes: (complete items before
    the break, line, expat's reason); None when the structure is whole.

    What feedparser shrugs off is neutralised first, so only structural damage counts: the
    text is decoded as import decodes it and given to expat as UTF-8 (a wrong encoding
    declaration is not damage), control characters become spaces, a bare `&` or an entity
    XML does not define (`&nbsp;`) is escaped (so nothing is expanded either), and prefixes
    are not resolved (expat without namespaces: `media:content` is just a name)."""
    return find_damage_in([decode(data)[0]])


def find_damage_in(texts: Iterable[str]) -> tuple[int, int, str] | None:
    """`find_damage` over a feed given as pieces of text (a file read chunk by chunk). An
    entity cut by a chunk boundary is escaped like any other: it cannot look like damage."""
    parser = expat.ParserCreate(encoding="utf-8")
    state = {"depth": 0, "items": 0, "closed": False}

    def start(name: str, attrs: Any) -> None:
        state["depth"] += 1

    def end(name: str) -> None:
        state["depth"] -= 1
        if state["depth"] == 0:
            state["closed"] = True
        elif state["depth"] <= 2 and name.rsplit(":", 1)[-1] in _ITEMS:
            state["items"] += 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for text in texts:
            raw = _XML_CONTROLS.sub(b" ", text.encode("utf-8"))
            parser.Parse(_ENTITY_NAMED.sub(rb"&amp;\1;", _ENTITY_BARE.sub(b"&amp;", raw)), False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if state["closed"]:
            return None  # junk after the feed: every item is whole
        return int(state["items"]), exc.lineno, expat.ErrorString(exc.code) or "not XML"
    return None


_PROLOG_ITEM = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I
)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]")


def xml_root(text: str, limit: int = SNIFF_CHARS) -> str | None:
    """The name of the root element (prefix dropped), past the XML declaration, comments,
    processing instructions and a DOCTYPE, within the first `limit` characters; None when
    there is none there (not markup, or a prolog longer than that)."""
    head = text[:limit].lstrip("\ufeff")
    pos = 0
    while m := _PROLOG_ITEM.match(head, pos):
        if m.end() == pos:
            break
        pos = m.end()
    m = _ROOT.match(head, pos)
    return m[1].rsplit(":", 1)[-1] if m else None


def looks_like_feed(text: str) -> bool:
    """RSS (`rss`, RSS 1.0's `rdf:RDF`) or Atom (`feed`), decided by the root element."""
    return xml_root(text) in ("rss", "RDF", "feed")


def is_json_feed(doc: object) -> bool:
    return isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", ""))
