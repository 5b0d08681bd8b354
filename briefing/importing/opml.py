"""OPML 2.0: the subscription list every feed reader imports and exports.

Reading. Every `<outline>` with an `xmlUrl` is a feed, at any depth; an outline without one
that holds outlines is a folder. A feed's title is its `title`, else its `text` (unless that
is its URL: `text` is required, and a feed without a title is written with its URL there).
The folders it sits in become its tags (outermost first: `News/Europe` gives `News` and
`Europe`), as a reader's folders are how its user sorted the feeds. OPML's `category`
attribute is not read (few readers write it, and its slash paths say nothing a tag could).
What briefing itself wrote (below) is read back exactly and wins over the folders.
A feed's URL is read with its scheme and host in lower case (`HTTP://Example.org/f` is
`http://example.org/f`), and a feed the file lists again is counted, not followed twice.

The file comes from anywhere (another reader, the web), so it is parsed by lxml with no
entity expansion, no DTD, no network, libxml2's depth and size limits in force, at most
`MAX_BYTES` and `MAX_FEEDS` feeds; a DOCTYPE that declares entities is refused before
parsing. Titles and tags go through the sanitiser like any field that enters the book.

Writing. One outline per subscription (`type="rss"`, `text`, `title`, `xmlUrl`), inside a
folder named after its first tag when it has one (so other readers show them sorted as
the book does); what only briefing knows — the brief, its template, the tags, the
interval, the `--source` name — is kept in attributes of briefing's own namespace, which
OPML 2.0 allows and other readers ignore, so that an export imported into another book
gives the same subscriptions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from briefing.errors import ImportFailed
from briefing.importing.fetch import normal_url
from briefing.sanitize import clean_field

NS = "urn:x-briefing:opml:1"
"""The namespace of briefing's own attributes (`briefing:brief` ...)."""
MAX_BYTES = 10 * 1024 * 1024
"""Larger files are refused: a reader's export of a thousand feeds is ~200 KB."""
MAX_FEEDS = 10_000
"""More feeds than this in one file is not a subscription list."""


@dataclass
class OpmlFeed:
    """One feed of an OPML file: what a subscription is made from. `brief`, `template`,
    `every` and `source` are set only in a file briefing wrote."""

    url: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    brief: str = ""
    template: str = ""
    every: int = 0
    source: str = ""
    line: int = 0
    """Where it is in the file (for a message about it)."""


@dataclass
class OpmlFile:
    """What `read_opml` found: the feeds, each once, and those the file lists again."""

    feeds: list[OpmlFeed]
    duplicates: list[OpmlFeed] = field(default_factory=list)


def _tags(names: Iterable[str]) -> list[str]:
    """Tags as the book keeps them: cleaned, no comma inside one (a comma separates
    tags everywhere else), no leading '#', each once."""
    out: list[str] = []
    for raw in names:
        for part in clean_field(raw).split(","):
            tag = " ".join(part.split()).lstrip("#").strip()
            if tag and tag not in out:
                out.append(tag)
    return out


def _attr(el: Any, name: str) -> str:
    """An attribute by name, in any case (`xmlUrl`, `xmlurl`: both are in the wild)."""
    value = el.get(name)
    if value is None:
        lower = name.lower()
        value = next((v for k, v in el.attrib.items() if str(k).lower() == lower), None)
    return str(value or "")


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_SECONDS = re.compile(r"[0-9]{1,9}")
_ROOT = re.compile(rb"<[A-Za-z_]")


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML file, in document order, each URL once (the first). Raises
    ImportFailed with a one-line reason for anything that is not an OPML subscription
    list (not XML, another root element, no feeds)."""
    return read_opml(data).feeds


def read_opml(data: bytes) -> OpmlFile:
    """`parse_opml`, and the outlines left out as a URL listed before them (the same but
    for the case of scheme and host)."""
    from lxml import etree

    if len(data) > MAX_BYTES:
        raise ImportFailed(f"too large for an OPML file (over {MAX_BYTES // 2**20} MB)")
    if not data.strip():
        raise ImportFailed("empty file, not OPML")
    root_at = _ROOT.search(data)
    if _ENTITY_DECL.search(data, 0, root_at.start() if root_at else len(data)):
        raise ImportFailed("not OPML: its DOCTYPE declares entities (refused: never expanded)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = str(exc.msg or exc).split("\n")[0]
        reason = re.sub(r", line \d+, column \d+$", "", reason)
        raise ImportFailed(f"not OPML: not XML (line {exc.lineno}: {reason})") from None
    if root is None or not isinstance(root.tag, str):
        raise ImportFailed("not OPML: no root element")
    name = etree.QName(root).localname
    if name.lower() != "opml":
        hint = (
            " — a feed: follow it with `briefing feeds add URL`"
            if name in ("rss", "feed", "RDF")
            else ""
        )
        raise ImportFailed(f"not OPML: its root element is <{clean_field(name)[:40]}>{hint}")
    body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), None)
    if body is None:
        raise ImportFailed("not OPML: it has no <body>")
    feeds: list[OpmlFeed] = []
    again: list[OpmlFeed] = []
    seen: set[str] = set()
    # In document order, without recursion: each level's outlines and the folders above.
    stack: list[tuple[Iterator[Any], tuple[str, ...]]] = [(_outlines(body), ())]
    while stack:
        outlines, folders = stack[-1]
        child = next(outlines, None)
        if child is None:
            stack.pop()
            continue
        raw = _attr(child, "xmlUrl").strip()
        title = clean_field(_attr(child, "title") or _attr(child, "text"))
        if title == raw:
            title = ""  # a feed with no title is written with its URL as its text
        url = normal_url(clean_field(raw))
        if url:
            if url not in seen:
                seen.add(url)
                feeds.append(_feed(child, url, title, folders))
                if len(feeds) > MAX_FEEDS:
                    raise ImportFailed(f"more than {MAX_FEEDS:,} feeds: not a subscription list")
            else:
                again.append(OpmlFeed(url, title, line=int(child.sourceline or 0)))
            if len(child):  # a feed holding outlines: rare; they are read, in its folder
                stack.append((_outlines(child), folders))
        elif len(child):
            stack.append((_outlines(child), (*folders, title) if title else folders))
    if not feeds:
        raise ImportFailed("an OPML file with no feeds in it (no outline has an xmlUrl)")
    return OpmlFile(feeds, again)


def _outlines(el: Any) -> Iterator[Any]:
    return (c for c in el if isinstance(c.tag, str) and c.tag.lower() == "outline")


def _feed(el: Any, url: str, title: str, folders: tuple[str, ...]) -> OpmlFeed:
    ours = {k.split("}", 1)[1]: str(v) for k, v in el.attrib.items() if k.startswith(f"{{{NS}}}")}
    tags = _tags(ours["tags"].split(",")) if "tags" in ours else _tags(folders)
    every = ours.get("every", "").strip()
    return OpmlFeed(
        url=url,
        title=title,
        tags=tags,
        brief=clean_field(ours.get("brief", "")),
        template=clean_field(ours.get("template", "")),
        every=int(every) if _SECONDS.fullmatch(every) else 0,  # not `²`, not 400 digits
        source=clean_field(ours.get("source", "")),
        line=int(el.sourceline or 0),
    )


# -- writing ------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    """Text fit for an XML attribute: cleaned, and without what XML 1.0 cannot hold."""
    return _NOT_XML.sub("", clean_field(text))


def _created() -> str:
    """RFC 822, as OPML wants; SOURCE_DATE_EPOCH when set (a reproducible file)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def write_opml(feeds: Iterable[OpmlFeed], title: str = "briefing feeds") -> bytes:
    """An OPML 2.0 document (UTF-8) of the feeds, as described in the module."""
    from lxml import etree

    root = etree.Element("opml", version="2.0", nsmap={"briefing": NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _x(title)
    etree.SubElement(head, "dateCreated").text = _created()
    body = etree.SubElement(root, "body")
    folders: dict[str, Any] = {}
    for feed in feeds:
        parent = body
        if feed.tags:
            name = _x(feed.tags[0])
            if name not in folders:
                folders[name] = etree.SubElement(body, "outline", text=name, title=name)
            parent = folders[name]
        text = _x(feed.title or feed.url)  # required; the URL is read back as "no title"
        el = etree.SubElement(parent, "outline", type="rss", text=text)
        if feed.title:
            el.set("title", _x(feed.title))
        el.set("xmlUrl", _x(feed.url))
        for key, value in (
            ("brief", feed.brief),
            ("template", feed.template),
            ("tags", ",".join(_x(t) for t in feed.tags)),
            ("every", str(feed.every) if feed.every else ""),
            ("source", feed.source),
        ):
            if value:
                el.set(f"{{{NS}}}{key}", _x(value))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
