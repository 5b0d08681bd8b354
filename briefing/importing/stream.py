"""RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed read item by item, in bounded memory.

feedparser holds the whole feed, its parse and its sanitised copies in memory (810 MB for a
48 MB feed) and runs a Python SGML parser over every body (most of 39 s). Here the file is
read in chunks into lxml's pull parser; each item is turned into a `RawItem` (its fields as
strings) when its end tag is read, and then cleared, so memory does not grow with the
number of items and the feed has no size cap. What an item becomes (paragraphs, title,
date) is decided from a `RawItem` by `feed.build_item`, the same code for this reader and
for feedparser, so the two produce the same articles (tests/unit/test_streaming_import.py
compares them; so did a run over feedparser's own 1,700 test feeds: the differences left
are feedparser's sanitiser on hostile HTML, and its tolerant parser's `AT&T` → `AT&T;`).

The fields are read as feedparser reads them (which element wins when there are several,
an RSS `guid` taken as the link, `"Name (email)"` authors, category terms, the double-UTF-8
repair and the Windows-1252 mapping of C1 characters, dates as feedparser's date parser
reads them), because feedparser is what the book's existing articles were read with. An
item with something this reader does not model (iTunes or Media RSS titles and
descriptions, an Atom `<source>`, base64 content, `xml:base` inside the item, inline markup
in an RSS description...) is handed to feedparser on its own — its XML, inside the feed's
root element — so it too comes out as before.

Whole feeds go to feedparser (`FeedFallback`, read into memory under the size cap) only when
this reader cannot start: no encoding decodes the bytes, or a DOCTYPE declares entities
(lxml's `recover=True` was not used: it "repairs" a cut-off feed into a last item made of
whatever was read, which is what the damage rule below exists to prevent).

What is tolerated without a word, as feedparser tolerates it: an HTML entity XML does not
define (`&nbsp;`, read as the character), a bare `&`, control characters (kept for the
sanitiser, which drops them with any escape sequence they start), an undeclared prefix, a
wrong encoding declaration (the encoding is chosen as feedparser chooses it: the declared
one, else UTF-8, Windows-1252, ISO-8859-2, the first that decodes — judged on the first
`VALIDATE_BYTES`), junk after the root element. The first three are rewritten in the byte
stream outside CDATA sections and comments before lxml sees it (`_Neutraliser`).

Damage. The XML breaking before the root element closes (a feed cut off mid-way) ends the
read: the complete items before it are kept and `damage` says where and why, with expat's
line and wording as before (`feed.find_damage_in`, run over the file again only then). A
large feed that stops being valid UTF-8 after `VALIDATE_BYTES` is damaged there (the bytes
are named); feedparser would have read all of it as Windows-1252.
"""

from __future__ import annotations

import codecs
import html.entities
import io
import re
from collections.abc import Callable, Generator, Iterator
from typing import IO, Any

from briefing.importing.clean import tidy_line
from briefing.importing.feed import (
    _UNMAP,
    FeedMeta,
    RawItem,
    find_damage_in,
    fp_fix,
    html_text,
    json_feed_author,
)

CHUNK = 1 << 20
"""Bytes read (and given to the parser) at a time."""


class FeedFallback(Exception):
    """This reader cannot read the feed; feedparser must (the reason says why)."""


# -- feedparser's text repairs, for this reader's strings ------------------------------------------

_URIFIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")


def _urljoin(base: str, uri: str) -> str:
    """feedparser's `_urljoin`: `http:///x` → `http://x`, then relative to `base`."""
    if not base and ":///" not in uri:
        return uri  # what the two steps below make of it
    import urllib.parse

    uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def _looks_like_html(text: str) -> bool:
    """feedparser's guess that a nominally plain RSS text (a title) is HTML."""
    if "</" not in text and "&" not in text:
        return False
    from feedparser.mixin import _FeedParserMixin

    return bool(_FeedParserMixin.looks_like_html(text))


# -- control characters -----------------------------------------------------------------------------

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PUA = 0xF700
"""C0 control c travels through lxml (XML forbids it) as U+F700 + c; `feed.build_item`
maps it back, for the sanitiser to drop with any escape sequence it starts."""


def _pua(m: re.Match[bytes]) -> bytes:
    return chr(_PUA + m[0][0]).encode("utf-8")


# -- encodings ------------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")
_BOMS = [
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF8, "utf-8"),
]


def sniff_encoding(head: bytes) -> tuple[int, str, str]:
    """(length of the BOM, encoding the BOM says, encoding the XML declaration says)."""
    bom, bom_enc = 0, ""
    for mark, enc in _BOMS:
        if head.startswith(mark) and not (enc.startswith("utf-16") and head[2:4] == b"\0\0"):
            bom, bom_enc = len(mark), enc
            break
    text = head[bom:]
    if bom_enc and bom_enc != "utf-8":
        try:
            text = head[bom : bom + 400].decode(bom_enc, "ignore").encode("utf-8")
        except LookupError:
            text = b""
    m = _XML_ENCODING.match(text[:400])
    declared = m[1].decode("ascii", "replace").lower() if m else ""
    if bom_enc and declared.replace("_", "-") in ("utf-16", "utf16", "u16", "utf-32", "utf32"):
        declared = bom_enc
    if declared == "gb2312":
        declared = "gb18030"
    return bom, bom_enc, declared


def _decodes(chunks: Callable[[], Iterator[bytes]], encoding: str) -> bool:
    """True when the stream decodes in `encoding` (up to `VALIDATE_BYTES`, nothing kept)."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
    except LookupError:
        return False
    seen = 0
    try:
        for chunk in chunks():
            decoder.decode(chunk)
            seen += len(chunk)
            if seen >= VALIDATE_BYTES:
                return True  # a character cut at the end is not judged
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


VALIDATE_BYTES = 4 * 1024 * 1024
"""How much of a feed is decoded to choose its encoding (all of a feed this size or less)."""


def choose_encoding(head: bytes, chunks: Callable[[], Iterator[bytes]]) -> tuple[int, str]:
    """(BOM length, encoding): the declared encoding, the BOM's, UTF-8, Windows-1252,
    ISO-8859-2 — the first in which every byte decodes (feedparser's order, without HTTP
    headers), judged on the first `VALIDATE_BYTES` (a larger feed that changes encoding
    after that is damaged from there, see `FeedStream`). FeedFallback when none does."""
    bom, bom_enc, declared = sniff_encoding(head)
    tried: list[str] = []
    for enc in (declared or "utf-8", declared, bom_enc, "utf-8", "windows-1252", "iso-8859-2"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        if _decodes(chunks, enc):
            return bom, enc
    raise FeedFallback("no encoding decodes it")


# -- neutralising what XML forbids and feedparser forgives ------------------------------------------

_BAD_AMP = re.compile(rb"&(?!amp;|lt;|gt;|quot;|apos;|#)")
_C1_RAW = re.compile(rb"\xc2[\x80-\x9f]")
_C1_REF = re.compile(rb"&#(?:1[2-5][0-9]|[xX][89][0-9a-fA-F]);")


def _may_hold_c1(data: bytes) -> bool:
    """A C1 control in the UTF-8 (or as a reference): feedparser maps those to Windows-1252
    characters (`feed.fp_fix`), a check worth skipping for the feeds that hold none."""
    return (b"\xc2" in data and _C1_RAW.search(data) is not None) or (
        b"&#" in data and _C1_REF.search(data) is not None
    )


_CONTROL_SET = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _needs_fixing(data: bytes) -> bool:
    """A bare `&`, an entity XML does not define, or a C0 control (two C-speed scans)."""
    return _BAD_AMP.search(data) is not None or len(data.translate(None, _CONTROL_SET)) != len(data)


_NAMED = re.compile(rb"&([A-Za-z_][\w.-]*);")
_BARE = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_MARKERS = (b"<![CDATA[", b"<!--")


def _entity(m: re.Match[bytes]) -> bytes:
    name = m[1]
    if name in _XML_ENTITIES:
        return m[0]
    code = html.entities.name2codepoint.get(name.decode("ascii"))
    if code is None:
        return b"&amp;" + name + b";"  # an entity nobody defines: its text, as written
    return b"&#%d;" % code


class _Neutraliser:
    """The UTF-8 byte stream with what XML forbids and feedparser forgives rewritten,
    chunk by chunk, outside CDATA sections and comments: an HTML entity becomes a character
    reference (`&nbsp;` → `&#160;`), a bare `&` is escaped, a C0 control becomes a
    private-use character. A chunk that needs none of it (found by one regex search) passes
    as it is."""

    def __init__(self) -> None:
        self.inside: bytes | None = None
        """The end marker of the CDATA section or comment the stream is in."""
        self.carry = b""
        self.controls = False

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        data = self.carry + chunk
        self.carry = b""
        if not final:  # hold back what may be the start of an entity or a marker
            cut = len(data)
            for mark, reach in ((b"&", 40), (b"<", 9), (b"]", 2), (b"-", 2)):
                at = data.rfind(mark, max(0, len(data) - reach))
                if at >= 0:
                    cut = min(cut, at)
            data, self.carry = data[:cut], data[cut:]
        fix = _needs_fixing(data)
        if self.inside is None and not fix and b"<!" not in data:
            return data
        out: list[bytes] = []
        pos = 0
        while pos < len(data):
            if self.inside is not None:
                end = data.find(self.inside, pos)
                if end < 0:
                    out.append(data[pos:])
                    break
                end += len(self.inside)
                out.append(data[pos:end])
                pos, self.inside = end, None
                continue
            start = data.find(b"<!", pos)
            if start < 0:
                out.append(self._fix(data[pos:]) if fix else data[pos:])
                break
            out.append(self._fix(data[pos:start]) if fix else data[pos:start])
            for mark in _MARKERS:
                if data.startswith(mark, start):
                    self.inside = b"]]>" if mark == b"<![CDATA[" else b"-->"
                    out.append(mark)
                    pos = start + len(mark)
                    break
            else:  # a DOCTYPE or another declaration
                out.append(b"<!")
                pos = start + 2
        return b"".join(out)

    def _fix(self, plain: bytes) -> bytes:
        if not plain or not _needs_fixing(plain):
            return plain
        plain = _NAMED.sub(_entity, _BARE.sub(b"&amp;", plain))
        fixed = _CONTROL_BYTES.sub(_pua, plain)
        if len(fixed) != len(plain):
            self.controls = True
        return fixed


# -- reading the stream -----------------------------------------------------------------------------

_NAMESPACES = {
    "": "",
    "http://backend.userland.com/rss": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://example.com/newformat#": "",
    "http://example.com/necho": "",
    "http://purl.org/echo/": "",
    "uri/of/echo/namespace#": "",
    "http://purl.org/pie/": "",
    "http://purl.org/atom/ns#": "",
    "http://www.w3.org/2005/atom": "",
    "http://purl.org/rss/1.0/modules/rss091#": "",
    "http://webns.net/mvcb/": "admin",
    "http://purl.org/rss/1.0/modules/aggregation/": "ag",
    "http://purl.org/rss/1.0/modules/annotate/": "annotate",
    "http://media.tangent.org/rss/1.0/": "audio",
    "http://backend.userland.com/blogchannelmodule": "blogchannel",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html": "creativecommons",
    "http://backend.userland.com/creativecommonsrssmodule": "creativecommons",
    "http://purl.org/rss/1.0/modules/company": "co",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://my.theinfo.org/changed/1.0/rss/": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/email/": "email",
    "http://purl.org/rss/1.0/modules/event/": "ev",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://freshmeat.net/rss/fm/": "fm",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://postneo.com/icbm/": "icbm",
    "http://purl.org/rss/1.0/modules/image/": "image",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://example.com/dtds/podcast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/link/": "l",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
    "http://prismstandard.org/namespaces/1.2/basic/": "prism",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/modules/reference/": "ref",
    "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
    "http://purl.org/rss/1.0/modules/search/": "search",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://schemas.xmlsoap.org/soap/envelope/": "soap",
    "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
    "http://hacks.benhammersley.com/rss/streaming/": "str",
    "http://purl.org/rss/1.0/modules/subscription/": "sub",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://schemas.pocketsoap.com/rss/mydescmodule/": "szf",
    "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
    "http://purl.org/rss/1.0/modules/threading/": "thr",
    "http://purl.org/rss/1.0/modules/textinput/": "ti",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://wellformedweb.org/commentapi/": "wfw",
    "http://purl.org/rss/1.0/modules/wiki/": "wiki",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/xml/1998/namespace": "xml",
    "http://podlove.org/simple-chapters": "psc",
}
"""Namespace → the prefix feedparser files its elements under (its own table)."""

_NAME_CACHE: dict[tuple[str, str | None], str] = {}


def _name(el: Any) -> str:
    """An element's name as feedparser knows it: `title`, `dc:creator`, `content:encoded`
    (known namespaces by their usual prefix, others by the document's), lower-case."""
    tag = el.tag
    key = (tag, el.prefix)
    name = _NAME_CACHE.get(key)
    if name is not None:
        return name
    if tag[0] == "{":
        uri, local = tag[1:].split("}", 1)
        lowered = uri.lower()
        if "backend.userland.com/rss" in lowered:
            lowered = "http://backend.userland.com/rss"
        prefix = _NAMESPACES.get(lowered)
        if prefix is None:
            prefix = el.prefix or ""
    elif ":" in tag:  # an undeclared prefix: lxml keeps it in the name
        prefix, local = tag.split(":", 1)
    else:
        prefix, local = "", tag
    name = f"{prefix}:{local}".lower() if prefix else local.lower()
    if len(_NAME_CACHE) < 10_000:
        _NAME_CACHE[key] = name
    return name


_TITLES = {"title", "dc:title"}
_DESCRIPTIONS = {"description", "dc:description", "summary"}
_CONTENTS = {"content:encoded", "fullitem", "content"}
_PUBLISHED = {"pubdate", "published", "issued", "dcterms:issued"}
_UPDATED = {"updated", "modified", "dc:date", "dcterms:modified", "lastbuilddate"}
_AUTHORS = {"author", "dc:creator", "dc:author", "itunes:author", "managingeditor"}
_CATEGORIES = {"category", "dc:subject", "keywords"}
_IGNORED = {
    "comments",
    "enclosure",
    "created",
    "dcterms:created",
    "wfw:comment",
    "wfw:commentrss",
    "slash:comments",
    "slash:department",
    "slash:section",
    "slash:hit_parade",
    "feedburner:origlink",
    "feedburner:origenclosurelink",
    "thr:total",
    "thr:in-reply-to",
    "media:content",
    "media:thumbnail",
    "georss:point",
    "geo:lat",
    "geo:long",
    "trackback:ping",
    "pingback:server",
    "pingback:target",
}
"""Leaf elements that give none of the fields an article takes (feedparser files them
elsewhere)."""
_AUTHOR_PARTS = {"name", "email", "uri", "url", "homepage"}
_TEXT_TYPES = {"text", "plain", "text/plain", "html", "text/html", "xhtml", "application/xhtml+xml"}
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


class _Odd(Exception):
    """An item this reader does not model: feedparser reads it."""


def _plain(el: Any) -> str:
    """An element's text when it holds no elements (comments and PIs are skipped, as
    feedparser skips them); _Odd when it holds markup."""
    if len(el) == 0:
        return el.text or ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            raise _Odd
        parts.append(child.tail or "")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup(el: Any) -> str:
    """An element's content with its child elements as HTML tags (namespace prefixes
    dropped, as feedparser rebuilds inline XHTML), its text escaped."""
    parts = [_escape(el.text or "")]
    for child in el:
        if isinstance(child.tag, str):
            tag = child.tag.rsplit("}", 1)[-1].split(":")[-1]
            parts.append(f"<{tag}>{_markup(child)}</{tag}>")
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _content_type(el: Any, default: str) -> str:
    t = (el.get("type") or default).lower()
    if t not in _TEXT_TYPES or el.get("mode") is not None or el.get("src") is not None:
        raise _Odd
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(
        t, "application/xhtml+xml" if t == "xhtml" else t
    )


def _value(el: Any, kind: str = "", fix: bool = True) -> str:
    """An element's text; for XHTML content (`kind`), its markup (feedparser rebuilds it as
    HTML tags). Markup anywhere else is _Odd (feedparser has rules of its own for it).
    `fix`: feedparser's repairs (`feed.fp_fix`) now; a body's are made by a worker."""
    if len(el) and any(isinstance(c.tag, str) for c in el):
        if kind != "application/xhtml+xml":
            raise _Odd
        text = _markup(el).strip()
    else:
        text = _plain(el).strip()
    return fp_fix(text) if fix else text


def _attr(el: Any, name: str) -> str | None:
    """An attribute by its lower-cased name (feedparser lower-cases them)."""
    for key, value in el.attrib.items():
        if key.lower() == name:
            return str(value)
    return None


def extract_item(item: Any, base: str, atom: bool) -> RawItem:
    """An item element's fields, as feedparser reads them; _Odd when it cannot say."""
    if item.get(_XML_BASE) is not None or _attr(item, "base") is not None:
        raise _Odd
    title: str | None = None
    title_html = False
    title_locked = False
    link: str | None = None
    summary: str | None = None
    contents: list[str] = []
    has_content = False
    published = updated = None
    author = ""
    authors = 0
    tags: list[list[str | None]] = []
    source = ""
    for el in item:
        if not isinstance(el.tag, str):
            continue
        if el.get(_XML_BASE) is not None:
            raise _Odd
        name = _name(el)
        if name in _TITLES:
            kind = _content_type(el, "text/plain")
            value = _value(el)
            if title_locked:
                continue
            title = value
            title_html = kind in _HTML_TYPES or (not atom and _looks_like_html(value))
            if value:
                title_locked = True
        elif name == "link":
            href = _attr(el, "url") or _attr(el, "uri") or _attr(el, "href")
            if href is not None:
                rel = (_attr(el, "rel") or "alternate").lower()
                default = "application/atom+xml" if rel == "self" else "text/html"
                ctype = (_attr(el, "type") or default).lower()
                ctype = {"html": "text/html", "xhtml": "application/xhtml+xml"}.get(ctype, ctype)
                if rel == "alternate" and ctype in _HTML_TYPES:
                    link = _urljoin(base, href)
                if len(el):
                    raise _Odd
            else:
                value = _urljoin(base, _value(el)) if _plain(el).strip() else ""
                if "&" in value:
                    value = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", value.replace("&amp;", "&"))
                link = value
        elif name in ("guid", "id"):
            value = _value(el)
            is_link = (_attr(el, "ispermalink") or "true") == "true"
            if is_link:
                value = _urljoin(base, value) if value else value
                if link is None:
                    link = value
        elif name in _DESCRIPTIONS:
            default = "text/plain" if name == "summary" else "text/html"
            kind = _content_type(el, default)
            value = _value(el, kind, fix=False)
            if summary is not None and not has_content:
                has_content = True  # feedparser: a second summary is content
                contents.append(value)
            else:
                summary = value
        elif name in _CONTENTS:
            default = "text/plain" if name == "content" else "text/html"
            kind = _content_type(el, default)
            has_content = True
            value = _value(el, kind, fix=False)
            contents.append(value)
            if summary is None:
                summary = value
        elif name in _PUBLISHED:
            published = _value(el)
        elif name in _UPDATED:
            updated = _value(el)
        elif name in _AUTHORS:
            authors += 1
            if len(el) == 0 or all(not isinstance(c.tag, str) for c in el):
                author = _value(el)
                continue
            if authors > 1 or name != "author":
                raise _Odd
            detail: dict[str, str] = {}
            for part in el:
                if not isinstance(part.tag, str):
                    continue
                pname = _name(part)
                if pname not in _AUTHOR_PARTS:
                    raise _Odd
                key = {"uri": "href", "url": "href", "homepage": "href"}.get(pname, pname)
                detail[key] = _plain(part).strip()
            nm, email = detail.get("name"), detail.get("email")
            author = f"{nm} ({email})" if nm and email else nm or email or ""
        elif name in _CATEGORIES:
            term = _attr(el, "term")
            scheme = _attr(el, "scheme")
            if scheme is None:
                scheme = _attr(el, "domain")
            label = _attr(el, "label")
            if term or scheme or label:
                tag = [term, scheme, label]
                if tag not in tags:
                    tags.append(tag)
            value = _value(el)
            if value:
                if tags and not tags[-1][0]:
                    tags[-1][0] = value
                elif [value, None, None] not in tags:
                    tags.append([value, None, None])
        elif name == "source":
            if _attr(el, "url") is None and len(el):
                raise _Odd  # an Atom source: a feed of its own
            value = _value(el)
            if value:
                source = value
            title_locked = False  # feedparser forgets the title's depth here
        elif name in _IGNORED:
            if len(el) and any(isinstance(c.tag, str) for c in el):
                raise _Odd
        else:
            raise _Odd
    body = max(contents, key=len) if contents else ""
    return RawItem(
        title=title or "",
        title_html=title_html,
        body=body or summary or "",
        fix_body=True,
        link=link or "",
        author=author,
        tags=tuple(t[0] for t in tags if t[0]),
        source=source,
        dates=(published, updated),
    )


def _place(el: Any) -> tuple[Any, ...]:
    """What tells an item's parent (the root, or a channel) from another: its tag,
    attributes and depth (element objects come and go: their `id` is no key)."""
    depth = sum(1 for _ in el.iterancestors())
    return (depth, el.tag, tuple(el.attrib.items()))


class _Reading:
    """What a feed read item by item has, whatever its format: the bytes (opened again for
    each pass), how far it is read (`done` of `total` bytes, for progress), the feed's
    shared fields so far (`meta`), the items given, and where it broke off (`damage`:
    complete items, line, reason)."""

    def __init__(self, open_bytes: Callable[[], IO[bytes]], total: int) -> None:
        self.open_bytes = open_bytes
        self.total = total
        self.done = 0
        self.meta = FeedMeta(c1=False)
        self.damage: tuple[int, int, str] | None = None
        self.items = 0


class FeedStream(_Reading):
    """One feed read item by item: iterating gives its RawItems in document order. `meta`
    is the feed's title and language as far as read; `damage` is set (complete items, line,
    reason) when the feed broke off; `done` and `total` count bytes, for progress.

    `prepare()` first: it chooses the encoding and raises FeedFallback for a feed this
    reader cannot start on."""

    fmt = "feed"

    def __init__(self, open_bytes: Callable[[], IO[bytes]], total: int) -> None:
        super().__init__(open_bytes, total)
        self.kind = ""
        """rss, rdf or atom (from the root element)."""
        self._encoding = "utf-8"
        self._bom = 0
        self._bases: dict[tuple[Any, ...], str] = {}
        self._envelopes: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}

    def _chunks(self, skip: int = 0) -> Iterator[bytes]:
        with self.open_bytes() as fh:
            if skip:
                fh.read(skip)
            while chunk := fh.read(CHUNK):
                yield chunk

    def prepare(self) -> None:
        with self.open_bytes() as fh:
            head = fh.read(64 * 1024)
        root = re.search(rb"<[A-Za-z_]", head)
        if b"<!ENTITY" in head[: root.start() if root else len(head)]:
            raise FeedFallback("its DOCTYPE declares entities")
        self._bom, self._encoding = choose_encoding(head, self._chunks)

    def _utf8(self, neutralise: bool) -> Iterator[bytes]:
        """The feed as UTF-8, chunk by chunk (neutralised: see `_Neutraliser`)."""
        utf8 = codecs.lookup(self._encoding).name == "utf-8"
        decoder = None if utf8 else codecs.getincrementaldecoder(self._encoding)("replace")
        neutral = _Neutraliser() if neutralise else None
        self.done = self._bom
        for chunk in self._chunks(self._bom):
            self.done += len(chunk)
            out = chunk if decoder is None else decoder.decode(chunk).encode()
            if neutral is not None:
                out = neutral.feed(out)
                self.meta.controls |= neutral.controls
            if not self.meta.c1 and _may_hold_c1(out):
                self.meta.c1 = True
            yield out
        tail = b"" if decoder is None else decoder.decode(b"", final=True).encode()
        if neutral is not None:
            tail = neutral.feed(tail, final=True)
            self.meta.controls |= neutral.controls
        yield tail

    def __iter__(self) -> Iterator[RawItem]:
        """The items. The feed is first read as it is; only if lxml stops on it is it read
        again from the start, neutralised, past the items already given: most feeds need
        nothing neutralised, and looking for what might need it cost a tenth of the time."""
        error = yield from self._parse(neutralise=False)
        if error is not None:
            error = yield from self._parse(neutralise=True)
        if error is not None:
            self._broke(error)

    def _parse(self, neutralise: bool) -> Generator[RawItem, None, Exception | None]:
        """Yield the items after the first `self.items`; return the error that ended the
        document before its root element closed (None when it did not)."""
        from lxml import etree

        parser = etree.XMLPullParser(
            events=("end",),
            tag=["{*}item", "{*}entry", "{*}title", "{*}language", "{*}rss", "{*}RDF", "{*}feed"],
            encoding="utf-8",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # a huge item is left out by the size caps, not by the parser
        )
        skip = self.items
        seen = 0
        root: Any = None
        error: Exception | None = None
        for chunk in self._with_end(self._utf8(neutralise)):
            try:
                if chunk is None:
                    parser.close()
                    return None  # the document is whole (its root is not always ours)
                parser.feed(chunk)
            except etree.XMLSyntaxError as exc:
                error = exc
            for _, el in parser.read_events():
                if root is None:
                    root = el.getroottree().getroot()
                    self._start(root)
                if el is root:
                    return None
                local = el.tag.rsplit("}", 1)[-1]
                if local in ("item", "entry"):
                    parent = el.getparent()
                    if parent is not None and (parent is root or parent.getparent() is root):
                        seen += 1
                        if seen > skip:
                            yield self._item(el, parent, root)
                            self.items += 1
                        el.clear(keep_tail=False)
                        while el.getprevious() is not None:
                            del parent[0]
                elif local in ("title", "language") and seen >= skip:
                    self._channel_field(el, root)
            if error is not None:
                return error
        return None

    @staticmethod
    def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
        yield from chunks
        yield None

    def _start(self, root: Any) -> None:
        local = root.tag.rsplit("}", 1)[-1].lower()
        self.kind = {"rdf": "rdf", "feed": "atom"}.get(local, "rss")
        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", root.get("lang"))
        if lang:
            self.meta.language = lang.replace("_", "-")

    def _base(self, el: Any) -> str:
        """The base URI feedparser resolves an item's links against: `xml:base` on the root
        and on the channel (inside an item: the item goes to feedparser)."""
        key = _place(el)
        if key not in self._bases:
            base = ""
            for node in reversed([el, *el.iterancestors()]):
                given = node.get(_XML_BASE) or node.get("base")
                if base:
                    from feedparser.urls import make_safe_absolute_uri

                    base = make_safe_absolute_uri(base, given or base) or base
                elif given:
                    base = _urljoin(base, given)
            self._bases[key] = base
        return self._bases[key]

    def _envelope(self, parent: Any, root: Any) -> tuple[bytes, bytes]:
        """The feed's root element (and channel) around where an item goes, as XML text:
        an odd item is read by feedparser inside it (same version, namespaces, base)."""
        key = _place(parent)
        if key not in self._envelopes:
            from lxml import etree

            shell = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
            holder = shell
            if parent is not root:
                holder = etree.SubElement(shell, parent.tag, attrib=dict(parent.attrib))
            etree.SubElement(holder, "briefing-item")
            head, _, tail = etree.tostring(shell).partition(b"<briefing-item/>")
            self._envelopes[key] = (head, tail)
        return self._envelopes[key]

    def _channel_field(self, el: Any, root: Any) -> None:
        """The feed's title (the first that is not empty) and language (the last)."""
        parent = el.getparent()
        if parent is None or not (
            parent is root
            or (parent.getparent() is root and parent.tag.rsplit("}", 1)[-1] == "channel")
        ):
            return
        name = _name(el)
        try:
            if name in _TITLES and not self.meta.title:
                kind = _content_type(el, "text/plain")
                value = _value(el).translate(_UNMAP)  # controls back, for the sanitiser
                is_html = kind in _HTML_TYPES or (self.kind != "atom" and _looks_like_html(value))
                self.meta.title = html_text(value) if is_html else tidy_line(value)
            elif name in ("language", "dc:language"):
                self.meta.language = _value(el).translate(_UNMAP)
        except _Odd:
            pass

    def _item(self, el: Any, parent: Any, root: Any) -> RawItem:
        try:
            return extract_item(el, self._base(parent), self.kind == "atom")
        except _Odd:
            from lxml import etree

            head, tail = self._envelope(parent, root)
            return RawItem(xml=head + etree.tostring(el) + tail)

    def _broke(self, error: Exception | None) -> None:
        """The feed ended before its root element closed: where and why, in expat's words
        as before (over the same text), else in lxml's."""
        found = find_damage_in(self._texts())
        if found is not None:
            _, line, reason = found
        else:
            line = int(getattr(error, "lineno", 0) or 0)
            reason = str(getattr(error, "msg", "") or error or "no element found")
            reason = re.sub(r", line \d+, column \d+$", "", reason.split("\n")[0]).strip()
            if "not proper UTF-8" in reason:
                reason = "not UTF-8 from there on"
            elif "Excessive depth" in reason:  # never lxml's advice to the user
                reason = "elements nested too deep (over 2,048 levels)"
        self.damage = (self.items, line, reason)

    def _texts(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._encoding)("replace")
        for chunk in self._chunks(self._bom):
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


def stream_from_bytes(data: bytes) -> FeedStream:
    return FeedStream(lambda: io.BytesIO(data), len(data))


# -- JSON Feed ----------------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER: Any = None


def _decoder() -> Any:
    global _DECODER
    if _DECODER is None:
        import json

        _DECODER = json.JSONDecoder()
    return _DECODER


class JsonFeedStream(_Reading):
    """A JSON Feed read item by item, in constant memory: the top-level keys are read as
    they come, the `items` array one item at a time (`json`'s `raw_decode` over a buffer of
    about one chunk), so a JSON Feed has no size cap either. Iterating gives the items (as
    `json` gives them); `meta` is the feed's title and language as far as read (they come
    before the items in the feeds seen: an item read before them has neither); `damage`
    is set when the JSON breaks off (complete items, line, reason)."""

    fmt = "jsonfeed"

    def __init__(self, open_bytes: Callable[[], IO[bytes]], total: int) -> None:
        super().__init__(open_bytes, total)
        self._buf = ""
        self._pos = 0
        self._lines = 0
        """Lines in the text dropped from the buffer (for where the damage is)."""
        self._eof = False
        self._chunks: Iterator[str] = iter(())

    def prepare(self) -> None:
        """Nothing to choose: JSON is UTF-8 (an undecodable byte is read as U+FFFD)."""

    def _texts(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
        with self.open_bytes() as fh:
            while chunk := fh.read(CHUNK):
                self.done += len(chunk)
                yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)

    def _more(self) -> bool:
        """Read another chunk into the buffer (dropping what was read); False at the end."""
        if self._eof:
            return False
        text = next(self._chunks, None)
        if text is None:
            self._eof = True
            return False
        self._lines += self._buf.count("\n", 0, self._pos)
        self._buf = self._buf[self._pos :] + text
        self._pos = 0
        return True

    def _peek(self) -> str:
        """The next character past white space ("" at the end)."""
        while True:
            self._pos = _JSON_SPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def _expect(self, chars: str) -> str:
        ch = self._peek()
        if not ch or ch not in chars:
            raise ValueError(f"expected {' or '.join(repr(c) for c in chars)}")
        self._pos += 1
        return ch

    def _value(self) -> Any:
        import json

        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._grow():
                    continue
                raise ValueError(exc.msg) from None
            if end == len(self._buf) and self._grow():
                continue  # a number (or literal) may go on in the next chunk
            self._pos = end
            return value

    def _grow(self) -> bool:
        """More text for a value that did not end in the buffer: at least as much again as
        is buffered of it, so that one huge item is parsed a few times, not once a chunk."""
        wanted = len(self._buf) - self._pos
        start = len(self._buf) - self._pos
        grown = False
        while self._more():
            grown = True
            if len(self._buf) - self._pos - start >= wanted:
                break
        return grown

    def __iter__(self) -> Iterator[Any]:
        _decoder()
        self._chunks = self._texts()
        try:
            self._expect("{")
            if self._peek() == "}":
                return
            while True:
                key = self._value()
                self._expect(":")
                if key == "items" and self._peek() == "[":
                    self._pos += 1
                    if self._peek() == "]":
                        self._pos += 1
                    else:
                        while True:
                            item = self._value()
                            yield item
                            self.items += 1
                            if self._expect(",]") == "]":
                                break
                else:
                    value = self._value()
                    if key == "title":
                        self.meta.title = tidy_line(str(value))
                    elif key == "language":
                        self.meta.language = str(value or "")
                    elif key in ("author", "authors") and not self.meta.publisher:
                        self.meta.publisher = json_feed_author(value)
                if self._expect(",}") == "}":
                    return
        except ValueError as exc:
            line = self._lines + self._buf.count("\n", 0, self._pos) + 1
            self.damage = (self.items, line, str(exc) or "not JSON")
