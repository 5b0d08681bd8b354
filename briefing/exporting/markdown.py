"""Compile a brief to CommonMark (renders on GitHub and in pandoc).

Article and note text is untrusted: it is escaped so it can never open a heading, a quote,
a list, a thematic break, raw HTML, a link or a footnote, and escape codes are stripped again.
A source URL becomes a link only when it is a plain http(s) URL; any other (`javascript:`,
`file:`, one with spaces or controls) is shown as escaped text. The front matter's strings
and, last, the whole document go through `safe_out`: nothing in the file can drive a
terminal that prints it. The output depends only on the book and the compile date, so two
exports are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from briefing.briefs import BriefView, Item
from briefing.model import Article
from briefing.sanitize import is_safe, safe_out, strip_unsafe

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#$])")
_BLOCK_START = re.compile(r"^(\s*)([-+=>:]|\d{1,9}(?=[.)]))")
# A URL written as a CommonMark autolink `<...>`: http(s) only, and nothing the autolink
# syntax forbids (spaces, `<`, `>`, controls); `is_safe` also rules out bidi overrides.
_LINKABLE_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)


def escape(text: str) -> str:
    """One line of untrusted text, safe anywhere inline and at the start of a block."""
    text = " ".join(strip_unsafe(text).split())
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    m = _BLOCK_START.match(text)
    if m:
        lead = m.group(2)
        text = lead + "\\" + text[len(lead) :] if lead[0].isdigit() else "\\" + text
    return text


def slug(title: str, used: dict[str, int]) -> str:
    """GitHub's heading anchor, made unique the way GitHub does."""
    base = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    n = used.get(base, 0)
    used[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


def information_as_of(articles: list[Article]) -> str | None:
    dates = [a.published for a in articles if a.published]
    return max(dates) if dates else None


def _citation(a: Article) -> str:
    parts = []
    if a.source:
        parts.append(escape(a.source))
    parts.append("“" + escape(a.title) + "”")
    if a.published:
        parts.append(escape(a.published) + (" (year inferred)" if a.published_inferred else ""))
    if a.publisher and a.publisher != a.source:
        parts.append(escape(a.publisher))
    text = ". ".join(parts) + "."
    url = a.url.strip()
    if url and _LINKABLE_URL.fullmatch(url) and is_safe(url):
        text += f" <{url}>"
    elif url and escape(url):
        text += f" {escape(url)}"
    return text


def _note_lines(item: Item) -> list[str]:
    out: list[str] = []
    for n in item.state.notes:
        who = ", ".join(x for x in (escape(n.author), escape(n.created[:10])) if x)
        lines = [escape(x) for x in strip_unsafe(n.text).split("\n") if x.strip()]
        head = f"> **Note**{f' ({who})' if who else ''}: " + (lines[0] if lines else "")
        out.append(head)
        out.extend(f"> {x}" for x in lines[1:])
        if n.quote:
            out.append(f"> — on “{escape(n.quote)}”")
        out.append("")
    return out


def to_markdown(view: BriefView, compiled: dt.date) -> str:
    b = view.brief
    cited = view.cited_articles()
    footnote = {a.id: n for n, a in enumerate(cited, 1)}
    nonempty = [s for s in view.sections if s.items]
    n_passages = sum(len(s.items) for s in nonempty)
    as_of = information_as_of(cited)
    front = {
        "title": safe_out(b.title, one_line=True),
        "brief": safe_out(b.id, one_line=True),
        "template": safe_out(b.template, one_line=True),
        "compiled": compiled.isoformat(),
        "information_as_of": safe_out(as_of, one_line=True) if as_of else None,
        "marking": safe_out(b.marking, one_line=True) or None,
        "sources": len(cited),
        "sections": len(nonempty),
        "passages": n_passages,
        "key_points": sum(1 for s in nonempty for i in s.items if i.state.key_point),
        "notes": sum(len(i.state.notes) for s in nonempty for i in s.items),
    }
    out: list[str] = ["---"]
    out.append(yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip("\n"))
    out += ["---", ""]
    if b.marking:
        out += [f"**{escape(b.marking)}**", ""]
    out += [f"# {escape(b.title)}", ""]
    if b.subtitle:
        out += [f"*{escape(b.subtitle)}*", ""]
    src_word = "source" if len(cited) == 1 else "sources"
    pas_word = "passage" if n_passages == 1 else "passages"
    meta = [f"Compiled {compiled.isoformat()}"]
    if as_of:
        meta.append(f"information as of {as_of}")
    meta.append(f"{len(cited)} {src_word}, {n_passages} {pas_word}")
    if b.audience:
        meta.append(f"for {escape(b.audience)}")
    out += [" · ".join(meta), ""]
    used: dict[str, int] = {}
    slug(b.title, used)
    if b.summary.strip():
        slug("Summary", used)
        out += ["## Summary", ""]
        for par in re.split(r"\n\s*\n", strip_unsafe(b.summary).strip()):
            out += [escape(par), ""]
    if nonempty:
        contents_slug = "Contents"
        slug(contents_slug, used)
        anchors = [(s, slug(s.section.title, used)) for s in nonempty]
        out += ["## Contents", ""]
        out += [f"- [{escape(s.section.title)}](#{a})" for s, a in anchors]
        out.append("")
    for s in nonempty:
        out += [f"## {escape(s.section.title)}", ""]
        if s.section.summary.strip():
            out += [f"*{escape(s.section.summary)}*", ""]
        for item in s.key_points_first:
            text = escape(item.passage.text)
            cite = f"[^{footnote[item.article.id]}]" if item.article else ""
            lead = "**Key point:** " if item.state.key_point else ""
            out += [f"{lead}{text}{cite}", ""]
            if item.state.tags:
                out += ["*Tags: " + ", ".join(escape(t) for t in item.state.tags) + "*", ""]
            out += _note_lines(item)
    if cited:
        out += ["## Sources", ""]
        for a in cited:
            out += [f"[^{footnote[a.id]}]: {_citation(a)}", ""]
    if b.marking:
        out += [f"**{escape(b.marking)}**", ""]
    # The last defence: every line above is built from escaped fields, but one pass over the
    # whole document costs little and guarantees no control character is written.
    return safe_out("\n".join(out).rstrip("\n") + "\n")
