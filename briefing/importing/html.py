"""HTML pages: trafilatura extracts the main text and metadata; we add general rules.

The rules below remove boilerplate that extraction commonly keeps — "Read more:" teasers,
photo-credit and share lines, newsletter pitches — by shape, never by site-specific phrases.
"""

from __future__ import annotations

import re

from lxml import etree

from briefing.importing.clean import clean, tidy_line
from briefing.model import ParsedArticle

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in [
        r"^(?:read|see) (?:more|also|next)\b\s*[:—-]",
        r"^(?:related|recommended|more on this|also read|don't miss|most read)\s*(?:stories|articles|posts|reading)?\s*[:—-]?\s*$",
        r"^(?:related|recommended)\s*(?:stories|articles|posts|reading)?\s*:",
        r"^(?:photo|image|picture|video|graphic|illustration|credit|source image)s?\s*(?:credit)?\s*:\s*\S.{0,150}$",
        r"^\((?:photo|image|picture)s?\b.{0,150}\)$",
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


def _text_of(el: etree._Element) -> str:
    return tidy_line("".join(el.itertext()))


def parse_html(data: bytes | str, origin: str = "", url: str | None = None) -> ParsedArticle:
    import trafilatura  # slow to import: only when a page is imported

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
    if not paragraphs:
        raise ValueError("no main text found in the HTML page")
    date = root.get("date") or None
    return ParsedArticle(
        title=tidy_line(root.get("title") or "") or paragraphs[0][1][:120],
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
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(?:html|head|body)[\s>]", head)
    )
