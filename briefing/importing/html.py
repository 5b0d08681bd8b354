"""HTML pages: trafilatura extracts the main text and metadata; we add general rules.

The rules below remove boilerplate that extraction commonly keeps — "Read more:" teasers,
photo-credit and share lines, newsletter pitches, boxes of labelled page metadata ("Date …",
"Keywords …", "Permalink …") — by shape, never by site-specific phrases.

Text loose in the article (outside any paragraph: before, between or after its blocks) is
made paragraphs before trafilatura reads the page (`wrap_loose_text`), and its XML is read
block by block (`feed.block_paragraphs`), so no text is lost there and no two blocks' words
are glued together.

The page is untrusted: its metadata only ever chooses between values, and every value that
reaches the article passes through `tidy_line`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefing.importing.clean import clean, headline_of, tidy_line
from briefing.importing.feed import HTML_BLOCKS, BlockTags, block_paragraphs, xml_root
from briefing.importing.text import parse_written_date
from briefing.model import ParsedArticle

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in [
        r"^(?:read|see) (?:more|also|next)\b\s*[:—-]",
        r"^(?:related|recommended|more on this|also read|don't miss|most read)\s*(?:stories|articles|posts|reading)?\s*[:—-]?\s*$",
        r"^(?:related|recommended)\s*(?:stories|articles|posts|reading)?\s*:",
        r"^(?:photo|image|picture|video|graphic|illustration|credit|source image)s?\s*(?:credit)?\s*:\s*\S.{0,150}$",
        r"^\((?:photo|image|picture|credit|courtesy|source)s?\b.{0,150}\)$",
        r"^(?:our|editorial) (?:standards|policies|principles|ethics)\b.{0,100}$",
        r"^.{0,150}\bread more\b.{0,80}$",
        r"^(?:submit|send) (?:your|us your) (?:letter|story|tip|news)\b.{0,150}$",
        r".{0,150}\b(?:getty images|shutterstock|associated press|afp via getty|reuters/[a-z]+)\s*\)?\.?$",
        r"^(?:share|share this|share on|tweet|email|print)(?:\s+(?:article|story|this))?\s*:?\s*$",
        r"^(?:advertisement|sponsored|sponsored content|ad)\s*$",
        r"^(?:sign up|subscribe)\b.{0,120}(?:newsletter|updates|inbox)\b.*$",
        r"^by registering, you agree\b.*$",
        r"^(?:copyright|©)\s*\d{4}\b.{0,200}$",
        r"^all rights reserved\.?$",
        r"^(?:follow us|follow)\s+on\b.{0,80}$",
        r"^explore further\s*$",
        r"^(?:this (?:article|story) (?:was|has been) (?:updated|corrected)).{0,10}$",
        r"^(?:watch|play|listen to)\s+(?:the\s+)?(?:video|audio|clip|podcast)\s*[:—-]?\s*"
        r"\d{1,2}:\d{2}(?::\d{2})?$",
    ]
]


def is_boilerplate(par: str) -> bool:
    return any(rx.match(par) for rx in _BOILERPLATE)


def _page_tree(data: bytes | str) -> Any | None:
    """The page as an lxml tree for what trafilatura does not give: JSON-LD, dated meta tags."""
    from lxml import etree
    from lxml import html as lhtml

    try:
        return lhtml.fromstring(data)
    except (etree.ParserError, ValueError):
        return None


def _json_ld_nodes(page: Any) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD scripts, nested ones included (a `@graph` holds the
    article beside the site and the breadcrumbs)."""
    for script in page.xpath('//script[@type="application/ld+json"]'):
        try:
            doc = json.loads(script.text_content() or "")
        except (ValueError, RecursionError):  # RecursionError: hostile nesting
            continue
        stack = [doc]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                stack.extend(v for v in node.values() if isinstance(v, dict | list))


def _json_ld_body(page: Any) -> str:
    """The schema.org `articleBody` of the page's JSON-LD, if any (many news sites have one)."""
    best = ""
    for node in _json_ld_nodes(page):
        body = node.get("articleBody")
        if isinstance(body, str) and len(body) > len(best):
            best = body
    return best


# -- dates the page states -------------------------------------------------------------------

_PUBLISHED_KEYS = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "published_time",
        "datepublished",
        "date_published",
        "publish-date",
        "publish_date",
        "publishdate",
        "pubdate",
        "parsely-pub-date",
        "dc.date.issued",
        "dcterms.issued",
        "prism.publicationdate",
        "citation_publication_date",
    }
)
"""Meta names that say when the article was first published (not changed, not crawled)."""
_UTC = re.compile(r"(?:Z|[+-]00:?00)$", re.I)


@dataclass
class PageDates:
    """The dates a page states in its own metadata (meta tags, JSON-LD, `itemprop`)."""

    published: list[str] = field(default_factory=list)
    """Its publication dates, those written in local time first: `…T00:30Z` may be the
    evening before where the article was written."""
    stated: set[str] = field(default_factory=set)
    """Every date its metadata states (published, modified, plain `date`)."""


def page_dates(page: Any) -> PageDates:
    found: list[tuple[str, str]] = []  # (key, raw value)
    # Not every `<time>`: teasers of other articles carry their own.
    for el in page.xpath("//meta[@content] | //*[@itemprop][@content or @datetime]"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or ""
        found.append((key.strip().lower(), el.get("content") or el.get("datetime") or ""))
    for node in _json_ld_nodes(page):
        for key in ("datePublished", "dateModified", "dateCreated"):
            if isinstance(node.get(key), str):
                found.append((key.lower(), node[key]))
    dates = PageDates()
    published: list[tuple[bool, str]] = []
    for key, raw in found:
        raw = raw.strip()[:64]
        iso = parse_written_date(raw) if raw else None
        if iso:
            dates.stated.add(iso)
            if key in _PUBLISHED_KEYS:
                published.append((bool(_UTC.search(raw)), iso))
    dates.published = [iso for _, iso in sorted(published, key=lambda p: p[0])]
    return dates


def choose_date(extracted: str | None, page: PageDates, labelled: str | None) -> str | None:
    """The article's date: the page's own word over a guess.

    trafilatura's date may come from the URL or from any dated element of the page, such as a
    teaser for another article. It stands when the page's metadata states it as the
    publication date, or states it at all while giving no publication date. Otherwise the
    publication date of the metadata wins, then a labelled "Date …" line of the text."""
    if page.published:
        return extracted if extracted in page.published else page.published[0]
    if labelled and extracted not in page.stated:
        return labelled
    return extracted


# -- labelled metadata lines -----------------------------------------------------------------

_LABEL_LINE = re.compile(
    r"""^(?:
        (?P<author>authors?|autor(?:in|en|innen)?|written\s+by|posted\s+by|verfasst\s+von)
      | (?P<byline>by|von)
      | (?P<published>date|dated|datum|published(?:\s+(?:on|at))?|posted(?:\s+(?:on|at))?
          |first\s+published(?:\s+on)?|erschienen(?:\s+am)?|veröffentlicht(?:\s+am)?
          |publiziert(?:\s+am)?)
      | (?P<updated>(?:last\s+)?updated(?:\s+(?:on|at))?|last\s+modified|modified
          |(?:zuletzt\s+)?aktualisiert(?:\s+am)?|geändert(?:\s+am)?|stand)
      | (?P<terms>keywords?|tags?|topics?|subjects?|categor(?:y|ies)|filed\s+under
          |related(?:\s+(?:subjects|topics|tags|themes))?
          |schlagw[oö]rte?r?|stichw[oö]rte?r?|themen|kategorien?)
      | (?P<action>print|permalink|short\s?link|share|feedback|drucken|teilen|kurzlink)
    )(?P<sep>\s*:\s*|\s+)(?P<value>\S.*)$""",
    re.I | re.X,
)
_SENTENCE_END = tuple(".!?:;")
_GENDER_SUFFIX = re.compile(r"(?:in|innen)\b")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_THIS_PAGE = re.compile(
    r"\b(?:this|the)\s+(?:page|article|story|post)\b|\bdiese[nrs]?\s+(?:seite|artikel|beitrag)\b",
    re.I,
)


@dataclass(frozen=True)
class PageFacts:
    """What the page's metadata says, to recognise lines of the text that only repeat it."""

    author: str = ""
    tags: frozenset[str] = frozenset()


_NAME_LINK = re.compile(r"(?:and|und|&|von|van|de[nrl]?|du|da|di|la|le|y|et|zu|al|el|bin)$", re.I)


def _is_name_list(value: str, colon: bool = True) -> bool:
    """One or a few names: no digits, no sentence, a handful of words. Without a colon the
    words must be capitalised too ("Author Ben Knight", not "Author and activist …")."""
    words = value.replace(",", " ").split()
    return (
        len(value) <= 80
        and 0 < len(words) <= 8
        and not any(c.isdigit() for c in value)
        and not value.endswith(_SENTENCE_END)
        and (colon or all(w[0].isupper() or _NAME_LINK.match(w) for w in words))
    )


def _repeats(value: str, known: str) -> bool:
    return bool(known) and known.casefold() in value.casefold() and len(value) <= 80


def _is_term_list(value: str, tags: frozenset[str], colon: bool) -> bool:
    """A list of short terms (`wine, Ahr Valley, red wine`), not a sentence that happens to
    start with "Topics" or "Keywords". Without a colon it takes three terms or one of the
    page's own tags, since "Keywords matter, says X" is two "terms"."""
    if len(value) > 300 or value.endswith(_SENTENCE_END):
        return False
    terms = [t.strip() for t in re.split(r"[,;|]", value) if t.strip()]
    if not terms or any(len(t) > 40 or len(t.split()) > 5 for t in terms):
        return False
    return colon or len(terms) >= 3 or any(t.casefold() in tags for t in terms)


def _is_page_action(label: str, value: str) -> bool:
    """`Permalink https://…`, `Print Print this page`: a link or a button, not a sentence."""
    if _URL.match(value):
        return True
    return (
        len(value) <= 60
        and not value.endswith(_SENTENCE_END)
        and (label.casefold() in value.casefold() or bool(_THIS_PAGE.search(value)))
    )


def metadata_line(par: str, facts: PageFacts) -> tuple[str, str] | None:
    """(kind, value) when `par` is a short labelled line of page metadata — `published`,
    `updated`, `author`, `terms` or `action` — else None.

    A label alone proves nothing ("Date night is back…", "Print media…"): the value must have
    the shape of what the label announces (a whole date, a few names, a list of terms, a
    link), or repeat what the page's metadata already says."""
    if len(par) > 300:
        return None
    m = _LABEL_LINE.match(par)
    if not m:
        return None
    value = m["value"].strip()
    if m["sep"] == ":" and _GENDER_SUFFIX.match(value):
        return None  # "Autor:innen": one word (the gender colon), a heading, not a label
    colon = ":" in m["sep"]
    kind = next(k for k in ("author", "byline", "published", "updated", "terms", "action") if m[k])
    ok = {
        "author": lambda: _is_name_list(value, colon) or _repeats(value, facts.author),
        "byline": lambda: _repeats(value, facts.author),
        "published": lambda: parse_written_date(value) is not None,
        "updated": lambda: parse_written_date(value) is not None,
        "terms": lambda: _is_term_list(value, facts.tags, colon),
        "action": lambda: _is_page_action(m[kind], value),
    }[kind]()
    if not ok:
        return None
    return ("author" if kind == "byline" else kind), value


def _is_prose(par: str) -> bool:
    return len(par) >= 150 and par.rstrip('"”’»)').endswith((".", "!", "?", "…"))


def _tail_repeats(pars: list[str], box: set[int]) -> set[int]:
    """Short lines said twice after the article's last paragraph of prose, every copy beside a
    line of the metadata `box`: the same box shown twice (one per screen size) with its
    unlabelled furniture ("Print this page"). Other repeated lines are left alone: tables and
    lists repeat cells ("| Option | Value |") that belong to the story."""
    last = max((i for i, p in enumerate(pars) if _is_prose(p)), default=len(pars))
    copies: dict[str, list[int]] = {}
    for i in range(last + 1, len(pars)):
        if len(pars[i]) <= 200:
            copies.setdefault(pars[i], []).append(i)
    near = box | {j for i in box for j in (i - 1, i + 1)}
    return {
        i for same in copies.values() if len(same) > 1 and near.issuperset(same) for i in same
    } - box


@dataclass
class Labelled:
    """What the dropped metadata lines said, for the article's own fields."""

    published: str | None = None
    author: str = ""


def metadata_lines(pars: list[str], facts: PageFacts) -> tuple[set[int], Labelled]:
    """The indexes of the page-metadata lines among `pars`, and what they said.

    Beside the labelled lines themselves: a short line between two of them (a "Send us your
    feedback." in the same box) and the lines of the tail that the page repeats."""
    found = {i: hit for i, p in enumerate(pars) if (hit := metadata_line(p, facts))}
    drop = set(found)
    drop |= {
        i
        for i in range(1, len(pars) - 1)
        if i - 1 in found and i + 1 in found and len(pars[i]) <= 160
    }
    drop |= _tail_repeats(pars, drop)
    said = Labelled()
    for kind, value in (found[i] for i in sorted(found)):
        if kind == "published" and said.published is None:
            said.published = parse_written_date(value)
        elif kind == "author" and not said.author and _is_name_list(value):
            said.author = value
    return drop, said


def _drop_metadata(
    paragraphs: list[tuple[str, str]], facts: PageFacts
) -> tuple[list[tuple[str, str]], Labelled]:
    drop, said = metadata_lines([t for _, t in paragraphs], facts)
    kept = [p for i, p in enumerate(paragraphs) if i not in drop]
    return (kept or paragraphs), said


def _is_organisation(author: str, page: Any, root: Any) -> bool:
    """An "author" that is the site or its publisher (a byline the page did not fill in)."""
    names = [root.get("sitename") or "", root.get("hostname") or ""]
    if page is not None:
        names += page.xpath(
            "//meta[@name='publisher' or @property='og:site_name'"
            " or @name='application-name']/@content"
        )
    return any(author.casefold() in str(n).casefold() for n in names if n)


def _page_facts(
    root: Any, page: Any, paragraphs: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], str, str | None]:
    """The passages without the page's metadata lines, and the author and date the page
    states (trafilatura's `root` attributes, the raw `page`, and what those lines said)."""
    author = tidy_line(root.get("author") or "")
    tags = re.split(r"[,;]", (root.get("tags") or "") + "," + (root.get("categories") or ""))
    facts = PageFacts(author, frozenset(t.strip().casefold() for t in tags if t.strip()))
    paragraphs, said = _drop_metadata(paragraphs, facts)
    if said.author and (not author or _is_organisation(author, page, root)):
        author = tidy_line(said.author)
    dates = page_dates(page) if page is not None else PageDates()
    published = choose_date((root.get("date") or "")[:10] or None, dates, said.published)
    return paragraphs, author, published


def _chunks(body: str) -> list[str]:
    """articleBody often has no paragraph breaks: cut it at sentence ends, ~600 characters."""
    out: list[str] = []
    for block in body.split("\n"):
        block = tidy_line(block)
        sentences = re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", block)
        current = ""
        for sentence in sentences:
            current = f"{current} {sentence}".strip()
            if len(current) >= 600:
                out.append(current)
                current = ""
        if current:
            out.append(current)
    return [c for c in out if c]


_XML_TAGS = BlockTags(
    blocks=frozenset({"head", "p", "item", "quote", "row", "cell", "code", "list", "table"}),
    whole=frozenset({"head", "p", "item", "quote", "row", "code"}),
    heads=frozenset({"head"}),
    breaks=frozenset({"lb"}),
    nested={
        "item": frozenset({"list", "quote", "table", "head"}),
        "quote": frozenset({"p", "list", "quote", "table", "head", "code"}),
    },
)
"""The paragraphs of trafilatura's XML: a `row` is one paragraph (its cells spaced), an
`item` with a list in it and a `quote` of paragraphs are read block by block."""

_CONTAINERS = ("body", "article", "main", "section", "div", "blockquote")
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_FURNITURE = frozenset({"header", "footer", "nav", "aside", "form", "figure", "menu"})
"""The page's furniture: the loose text in them is left to trafilatura (labels like "NEWS"
beside the date in an article's header, menus), not made paragraphs."""


def _has_text(el: Any) -> bool:
    return el.tag not in _NOT_TEXT and any(t.strip() for t in el.itertext())


def _wrap_runs(el: Any, holders: set[Any]) -> None:
    """`el`'s loose runs in `<p>`s (see `wrap_loose_text`); `holders`: the elements that
    hold blocks."""
    kids = list(el)
    blocks = [isinstance(k.tag, str) and (k.tag in HTML_BLOCKS or k in holders) for k in kids]
    if not any(blocks):
        return
    if not (
        (el.text or "").strip()
        or any((k.tail or "").strip() for k in kids)
        or any(
            not b and isinstance(k.tag, str) and _has_text(k)
            for k, b in zip(kids, blocks, strict=True)
        )
    ):
        return
    new: list[Any] = []
    run: Any = None  # the <p> being filled

    def add_text(text: str | None) -> None:
        nonlocal run
        if not text:
            return
        if run is not None:
            if len(run):
                run[-1].tail = (run[-1].tail or "") + text
            else:
                run.text = (run.text or "") + text
        elif text.strip():
            run = el.makeelement("p", {})
            run.text = text
            new.append(run)
        elif new:  # white space between blocks stays where it was
            new[-1].tail = (new[-1].tail or "") + text
        else:
            el.text = (el.text or "") + text

    lead, el.text = el.text, None
    add_text(lead)
    for kid, block in zip(kids, blocks, strict=True):
        tail, kid.tail = kid.tail, None
        el.remove(kid)
        if block or kid.tag == "br":
            if kid.tag == "div" and kid not in holders and _has_text(kid):
                kid.tag = "p"  # a line of text among the runs: trafilatura drops a <div>
            run = None
            new.append(kid)
        elif run is not None:
            run.append(kid)
        elif isinstance(kid.tag, str) and _has_text(kid):
            run = el.makeelement("p", {})
            run.append(kid)
            new.append(run)
        else:
            new.append(kid)
        add_text(tail)
    el.extend(new)


def wrap_loose_text(tree: Any) -> None:
    """Each run of loose text in a container that holds blocks (text and inline elements
    before, between or after the blocks of a `<div>`, `<section>`, `<article>`..., up to
    the next block or `<br>`) wrapped in a `<p>` of its own, outside the page's furniture
    (`_FURNITURE`); a `<div>` of text alone among such runs becomes a `<p>` too.

    trafilatura reads loose text badly: it drops some (the text of a `<section>` before its
    first paragraph, words before an inline `<code>`) and glues some to the text beside it
    (a nested `<div>`'s, which it drops once the text around it is paragraphs). As
    paragraphs, it keeps or drops them as it does any other. A container without blocks is
    left alone: a `<div>` of text is a paragraph to it."""
    from lxml import etree

    holders: set[Any] = set()
    for block in tree.iter(*HTML_BLOCKS):
        up = block.getparent()
        while up is not None and up not in holders:  # each element once: linear time
            holders.add(up)
            up = up.getparent()
    containers = []
    furniture = 0  # how many header, footer, nav... elements the walk is in
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if el.tag in _FURNITURE:
            furniture += 1 if event == "start" else -1
        elif event == "start" and not furniture and el.tag in _CONTAINERS:
            containers.append(el)
    for el in containers:
        _wrap_runs(el, holders)


def _loaded(data: bytes | str) -> Any:
    """The page as trafilatura loads it, loose text wrapped (`wrap_loose_text`); the data
    itself when trafilatura cannot load it (it says why when extracting)."""
    from trafilatura import load_html
    from trafilatura.settings import DEFAULT_CONFIG

    try:
        tree = load_html(data, DEFAULT_CONFIG.getint("DEFAULT", "MAX_FILE_SIZE"))
    except Exception:  # trafilatura and lxml raise several types for hopeless input
        return data
    if tree is None:
        return data
    wrap_loose_text(tree)
    return tree


def parse_html(data: bytes | str, origin: str = "", url: str | None = None) -> ParsedArticle:
    import trafilatura  # slow to import: only when a page is imported
    from lxml import etree

    xml = trafilatura.extract(
        _loaded(data),
        url=url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    if not xml:
        raise ValueError("no main text found in the HTML page")
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        raise ValueError("no main text found in the HTML page")
    paragraphs = block_paragraphs(main, _XML_TAGS, skip=is_boilerplate)
    page = _page_tree(data)
    body = _json_ld_body(page) if page is not None else ""
    extracted = sum(len(t) for _, t in paragraphs)
    if len(body) > 1.5 * extracted + 200:
        # The extraction missed most of the article that the page itself declares.
        paragraphs = [("", t) for t in _chunks(clean(body)) if not is_boilerplate(t)]
    paragraphs, author, published = _page_facts(root, page, paragraphs)
    if not paragraphs:
        raise ValueError("no main text found in the HTML page")
    return ParsedArticle(
        title=tidy_line(root.get("title") or "") or headline_of(paragraphs[0][1]),
        paragraphs=paragraphs,
        source=tidy_line(root.get("sitename") or root.get("hostname") or ""),
        publisher=tidy_line(root.get("hostname") or ""),
        published=published,
        url=clean(root.get("url") or url or "").strip(),
        author=author,
        language=root.get("language") or "",
        format="html",
        origin=origin,
    )


def looks_like_html(text: str) -> bool:
    """An `html` root element (past any prolog, see `xml_root`), or the markers of a page
    near the start."""
    if (xml_root(text) or "").lower() == "html":
        return True
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(?:html|head|body)[\s>]", head)
    )
