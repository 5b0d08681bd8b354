"""RSS, Atom and JSON Feed: one article per item.

feedparser copes with the feeds found in the wild; it is slow on very large feeds
(22 s for 10,000 items), so JSON Feed, which needs no tolerant parser, is read directly.

Damage. feedparser's tolerant parser also "reads" a feed cut off in the middle: the item
being written when the file ended comes back with whatever fields it had (a title and no
body imported as an article). feedparser sets `bozo` for that, but also for harmless things
(a declared encoding that was wrong, an `&nbsp;`, an undeclared `media:` prefix), so
`bozo` alone cannot decide. When it is set, the feed's structure is checked with expat
after neutralising those harmless things: if the XML breaks before the root element closes,
the complete items before the break are kept, the rest are left out, and the break is
reported (line and reason). Junk after the closed root element cuts nothing and is ignored.
A complete item with only a title (a wire flash) is an article.

Detection looks past the XML declaration, comments, processing instructions and a DOCTYPE
(however long) to the root element, reading at most `SNIFF_CHARS`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any
from xml.parsers import expat

from briefing.importing.clean import decode, headline_of, tidy_line
from briefing.model import ParsedArticle
from briefing.wording import plural

SNIFF_CHARS = 64 * 1024
"""How far detection looks for the root element."""

_BLOCKS = {"p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "td"}
_HEADS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def text_paragraphs(text: str) -> list[tuple[str, str]]:
    return [("", t) for t in (tidy_line(x) for x in re.split(r"\n\s*\n", text)) if t]


def html_paragraphs(fragment: str) -> list[tuple[str, str]]:
    """A feed item's HTML body as (heading, text) paragraphs."""
    if "<" not in fragment:
        return text_paragraphs(fragment)
    from lxml import html as lhtml

    try:
        root = lhtml.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for hopeless markup
        return [("", tidy_line(re.sub(r"<[^>]+>", " ", fragment)))]
    for bad in root.xpath("//script|//style|//iframe|//object"):
        bad.drop_tree()
    out: list[tuple[str, str]] = []
    heading = ""
    blocks = [el for el in root.iter() if isinstance(el.tag, str) and el.tag in _BLOCKS]
    nested = {el for el in blocks for anc in el.iterancestors() if anc in blocks}
    for el in blocks:
        if el in nested:
            continue
        text = tidy_line(el.text_content())
        if not text:
            continue
        if el.tag in _HEADS:
            heading = text
        else:
            out.append((heading, text))
    if not out:
        text = tidy_line(root.text_content())
        if text:
            out.append(("", text))
    return out


def _iso_from_struct(value: Any) -> str | None:
    if not value:
        return None
    try:
        return dt.date(*time.struct_time(value)[:3]).isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(
    data: bytes, origin: str = "", problems: list[str] | None = None
) -> list[ParsedArticle]:
    """The feed's items as articles. Damage (see the module) leaves out the items from the
    break on and appends one line about it to `problems`."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.bozo:
        raise ValueError(f"not a readable feed ({parsed.bozo_exception})")
    entries = list(parsed.entries)
    if parsed.bozo and (damage := find_damage(data)) is not None:
        complete, line, reason = damage
        message = (
            f"damaged at line {line} ({reason}): the items from there on are left out "
            f"({plural(complete, 'complete item')} before it)"
        )
        if problems is None:
            raise ValueError(message)
        problems.append(message)
        entries = entries[:complete]
    feed_title = tidy_line(parsed.feed.get("title", ""))
    out: list[ParsedArticle] = []
    for entry in entries:
        body = ""
        if entry.get("content"):
            body = max((c.get("value", "") for c in entry.content), key=len)
        body = body or entry.get("summary", "") or entry.get("description", "")
        paragraphs = html_paragraphs(body) if body else []
        title = tidy_line(entry.get("title", "")) or (
            headline_of(paragraphs[0][1], 100) if paragraphs else ""
        )
        if not paragraphs:
            if not title:
                continue
            paragraphs = [("", title)]
        source = tidy_line(entry.get("source", {}).get("title", "")) if entry.get("source") else ""
        out.append(
            ParsedArticle(
                title=title,
                paragraphs=paragraphs,
                source=source or feed_title,
                publisher=feed_title,
                published=_iso_from_struct(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
                url=(entry.get("link") or "").strip(),
                author=tidy_line(entry.get("author", "")),
                language=parsed.feed.get("language", "") or "",
                tags=[tidy_line(t.get("term", "")) for t in entry.get("tags", []) if t.get("term")],
                format="feed",
                origin=origin,
            )
        )
    return out


def parse_json_feed(doc: dict[str, Any], origin: str = "") -> list[ParsedArticle]:
    feed_title = tidy_line(str(doc.get("title", "")))
    out: list[ParsedArticle] = []
    for item in doc.get("items", []) or []:
        if not isinstance(item, dict):
            continue
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
                continue
            paragraphs = [("", title)]
        date = str(item.get("date_published") or item.get("date_modified") or "")
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = ", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))
        out.append(
            ParsedArticle(
                title=title,
                paragraphs=paragraphs,
                source=feed_title,
                publisher=feed_title,
                published=date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
                url=str(item.get("url") or item.get("external_url") or "").strip(),
                author=tidy_line(author),
                language=str(doc.get("language", "") or ""),
                tags=[tidy_line(str(t)) for t in item.get("tags", []) or []],
                format="feed",
                origin=origin,
            )
        )
    return out


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
    text, _ = decode(data)
    raw = text.encode("utf-8")
    raw = _XML_CONTROLS.sub(b" ", raw)
    raw = _ENTITY_NAMED.sub(rb"&amp;\1;", _ENTITY_BARE.sub(b"&amp;", raw))
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
        parser.Parse(raw, True)
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
