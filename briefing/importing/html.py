"""HTML pages: trafilatura extracts the main text and metadata; we add general rules.

The rules below remove boilerplate that extraction commonly keeps — "Read more:" teasers,
photo-credit and share lines, newsletter pitches — by shape, never by site-specific phrases.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.importing.clean import clean, headline_of, tidy_line
from briefing.importing.feed import xml_root
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
    ]
]


def is_boilerplate(par: str) -> bool:
    return any(rx.match(par) for rx in _BOILERPLATE)


def _json_ld_body(data: bytes | str) -> str:
    """The schema.org `articleBody` of the page's JSON-LD, if any (many news sites have one)."""
    import json

    from lxml import etree
    from lxml import html as lhtml

    try:
        root = lhtml.fromstring(data)
    except (etree.ParserError, ValueError):
        return ""
    best = ""
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            doc = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = [doc]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                body = node.get("articleBody")
                if isinstance(body, str) and len(body) > len(best):
                    best = body
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return best


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


def _text_of(el: Any) -> str:
    return tidy_line("".join(el.itertext()))


def parse_html(data: bytes | str, origin: str = "", url: str | None = None) -> ParsedArticle:
    import trafilatura  # slow to import: only when a page is imported
    from lxml import etree

    xml = trafilatura.extract(
        data,
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
    paragraphs: list[tuple[str, str]] = []
    heading = ""
    for el in main.iter("head", "p", "item", "quote", "row", "code"):
        if (
            el.tag in ("p", "quote")
            and el.getparent() is not None
            and el.getparent().tag
            in (
                "item",
                "quote",
                "cell",
            )
        ):
            continue
        text = _text_of(el)
        if not text or is_boilerplate(text):
            continue
        if el.tag == "head":
            heading = text
            continue
        paragraphs.append((heading, text))
    body = _json_ld_body(data)
    extracted = sum(len(t) for _, t in paragraphs)
    if len(body) > 1.5 * extracted + 200:
        # The extraction missed most of the article that the page itself declares.
        paragraphs = [("", t) for t in _chunks(clean(body)) if not is_boilerplate(t)]
    if not paragraphs:
        raise ValueError("no main text found in the HTML page")
    date = root.get("date") or None
    return ParsedArticle(
        title=tidy_line(root.get("title") or "") or headline_of(paragraphs[0][1]),
        paragraphs=paragraphs,
        source=tidy_line(root.get("sitename") or root.get("hostname") or ""),
        publisher=tidy_line(root.get("hostname") or ""),
        published=date[:10] if date else None,
        url=clean(root.get("url") or url or "").strip(),
        author=tidy_line(root.get("author") or ""),
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
