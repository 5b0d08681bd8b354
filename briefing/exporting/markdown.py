"""Compile a brief to CommonMark (renders on GitHub and in pandoc).

Two copies of one brief (`copy`): the principal's, which is what the brief says, and the
desk's, which adds what the desk works with (working notes, tags, passage ids, who wrote
each note). Comment notes are part of the brief they were written in and show in both.

One order for the whole document, so a reader always knows where to look: front matter,
the marking, title and header block (brief details, date, length), in the desk copy the
section status list, the summary (BLUF), the key points, contents, the sections (summary,
notes on the section, key points first, then passages), the numbered sources, the marking
again.

A section is printed when it has something to print in that copy: items, a summary, or
notes on the section that the copy shows. A section the desk has summarised but not yet
filled is not empty — the summary is the brief's own words, like a written item — so it
prints; one with nothing but a working note prints in the desk copy only. What makes a
section *empty* (the status `empty`, derived, never stored) is that the principal would
read nothing in it: no items, no summary, no comment of this brief (`section_has_content`).

Section statuses (drafting, ready, cleared) are the desk's workflow, not the brief's
content: only the desk copy lists them, right after the header block, so the principal's
copy of a brief reads the same whatever stage its sections are at. `unready_sections` gives
the titles a front end warns about when exporting.

Citations are plain bracketed numbers, escaped (`\\[1\\]`) so that neither CommonMark,
GitHub nor pandoc reads them as links or footnotes: they print as "[1]" everywhere and point
at the numbered list under `## Sources`. Footnotes are not used because renderers disagree
on them (pandoc's plain output moves them, some viewers drop them).

Written items (`Item.is_written`: objectives, points to make, a press line — text the desk
wrote into a section) are the brief's own words: they carry no citation, never reach
`## Sources`, and are rendered in the same subset as notes, so a bulleted "Points to make"
is a real list. They are placed, key-pointed and annotated like passages; the desk copy
shows their ids as it shows passage ids.

Article text is untrusted: it is escaped so it can never open a heading, a quote, a list, a
thematic break, raw HTML, a link or a footnote, and escape codes are stripped again. Notes,
summaries and written items, by the desk, may use a small Markdown subset (`render_subset`):
paragraphs with their line breaks, `-`/`*` and `1.` lists, `*em*`/`_em_`, `**strong**` and
`[text](http(s)://…)` links; everything else in them is escaped the same way. A source URL
becomes a link only when it is a plain http(s) URL; any other (`javascript:`, `file:`, one
with spaces or controls) is shown as escaped text. The front matter's strings and, last, the
whole document go through `safe_out`: nothing in the file can drive a terminal that prints
it. The output depends only on the book, the compile date and the copy, so two exports are
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

import yaml

from briefing.briefs import BriefView, Item, SectionView, articles_of
from briefing.errors import UsageError
from briefing.model import BRIEF_DETAILS, COPIES, Article, Note
from briefing.sanitize import is_safe, safe_out, strip_unsafe

# `^` is in the set for pandoc (superscript `^x^`, footnote `[^1]`); escaping it is harmless
# in CommonMark, where `\^` prints `^`.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#$^])")
_BLOCK_START = re.compile(r"^(\s*)([-+=>:]|\d{1,9}(?=[.)]))")
# A URL written as a CommonMark autolink `<...>`: http(s) only, and nothing the autolink
# syntax forbids (spaces, `<`, `>`, controls); `is_safe` also rules out bidi overrides.
_LINKABLE_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
# A link destination in a note or summary: http(s), and only characters that need no
# escaping in a destination and cannot end it early (no parentheses, brackets, quotes,
# backslashes, spaces). One character class: `fullmatch` is linear, it cannot backtrack.
_SUBSET_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+", re.IGNORECASE)

WORDS_PER_PAGE = 500
"""A printed page of a brief, for the header's length ("about 2½ pages")."""


def _esc(text: str) -> str:
    """Every inline special character of `text` backslash-escaped."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_inline(text: str) -> str:
    """Untrusted text with every inline special character escaped, whitespace made single
    spaces (a run of spaces or a tab can neither indent a code block nor break a line)."""
    return _esc(" ".join(text.split()))


def _protect_start(line: str) -> str:
    """A line made unable to open a block: `-`, `+`, `=`, `>`, `:` or `12.`/`12)` at its
    start would make a list, a setext underline, a quote or a definition."""
    m = _BLOCK_START.match(line)
    if m:
        lead = m.group(2)
        return lead + "\\" + line[len(lead) :] if lead[0].isdigit() else "\\" + line
    return line


def escape(text: str) -> str:
    """One line of untrusted text, safe anywhere inline and at the start of a block."""
    return _protect_start(_escape_inline(strip_unsafe(text)))


# -- the Markdown subset of notes and summaries ----------------------------------------------


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _can_open(s: str, i: int, delim: str) -> bool:
    """An emphasis opener at `i`: not inside a word nor next to another `*`/`_` (where
    CommonMark's and pandoc's delimiter-run rules would pair it differently), and followed
    by text."""
    prev = s[i - 1] if i > 0 else " "
    nxt = s[i + len(delim)] if i + len(delim) < len(s) else " "
    return not _is_word_char(prev) and prev not in "*_" and not nxt.isspace()


def _can_close(s: str, j: int, delim: str) -> bool:
    """An emphasis closer at `j`: after text, and not followed by a word or another `*`/`_`
    (so it cannot merge with a following opener into one delimiter run)."""
    prev = s[j - 1]
    nxt = s[j + len(delim)] if j + len(delim) < len(s) else " "
    return not prev.isspace() and not _is_word_char(nxt) and nxt not in "*_"


class _Finder:
    """`str.find` with a memory per needle: scanning a line whose delimiters never close
    (`[[[[…`, `****…`) stays linear, because each search stops at the next occurrence and a
    later search that starts before it reuses the answer."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.last: dict[str, tuple[int, int]] = {}

    def find(self, needle: str, start: int) -> int:
        hit = self.last.get(needle)
        if hit is not None:
            searched_from, found = hit
            if searched_from <= start and (found == -1 or found >= start):
                return found
        found = self.s.find(needle, start)
        self.last[needle] = (start, found)
        return found


def _inline_subset(line: str) -> str:
    """One line of a note or summary: `**strong**`, `*em*`, `_em_` and `[text](http…)` kept,
    everything else escaped. One left-to-right pass; a delimiter that does not form one of
    those exactly (no nesting) is escaped as text."""
    s = " ".join(line.split())
    out: list[str] = []
    find = _Finder(s).find
    text_from = 0
    i = 0
    n = len(s)

    def flush(upto: int) -> None:
        if upto > text_from:
            out.append(_esc(s[text_from:upto]))

    while i < n:
        c = s[i]
        if c == "[":
            close = find("]", i + 1)
            inner = find("[", i + 1)
            if close > i + 1 and (inner == -1 or inner > close) and s.startswith("(", close + 1):
                end = find(")", close + 2)
                label = s[i + 1 : close].strip()
                url = s[close + 2 : end] if end != -1 else ""
                if label and _SUBSET_URL.fullmatch(url):
                    flush(i)
                    out.append(f"[{_esc(label)}]({url})")
                    i = text_from = end + 1
                    continue
        elif c in "*_":
            delim = "**" if s.startswith("**", i) else c
            if _can_open(s, i, delim):
                j = find(delim, i + len(delim))
                if j > i + len(delim) and _can_close(s, j, delim):
                    flush(i)
                    body = _esc(s[i + len(delim) : j])
                    out.append(f"{delim}{body}{delim}")
                    i = text_from = j + len(delim)
                    continue
        i += 1
    flush(n)
    return "".join(out)


def _subset_line_kind(line: str) -> tuple[str, str, str]:
    """(kind, marker, content) of one line: `blank`, `bullet` (`- x`, `* x`), `ordered`
    (`1. x`, up to 9 digits as CommonMark allows), or `para`."""
    s = " ".join(line.split())
    if not s:
        return "blank", "", ""
    if s[:2] in ("- ", "* "):
        return "bullet", "-", s[2:]
    digits = 0
    while digits < len(s) and digits < 10 and "0" <= s[digits] <= "9":
        digits += 1
    if 0 < digits <= 9 and s.startswith(". ", digits):
        return "ordered", f"{int(s[:digits])}.", s[digits + 2 :]
    return "para", "", s


def render_subset(text: str) -> list[str]:
    """A note or summary as Markdown lines, keeping its line breaks (see the module doc).

    Lines are read one at a time. Consecutive lines of text are one paragraph whose lines
    end in a hard break (`\\`), so a three-line note prints on three lines; a blank line
    starts a new paragraph; `- `/`* ` lines are bullets (always written `- `) and `1. ` lines
    numbered items. Blocks are separated by a blank line, which both CommonMark and pandoc
    (which wants one before a list) read the same way, and which stops a following line
    being taken as a lazy continuation of a list item. No block is nested.
    """
    blocks: list[tuple[str, list[str]]] = []
    kind_before = "blank"
    for raw in strip_unsafe(text).split("\n"):
        kind, marker, content = _subset_line_kind(raw)
        if kind == "blank":
            kind_before = kind
            continue
        rendered = _protect_start(_inline_subset(content))
        line = f"{marker} {rendered}" if marker else rendered
        if kind == kind_before:
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
        kind_before = kind
    out: list[str] = []
    for kind, lines in blocks:
        if out:
            out.append("")
        if kind == "para":
            out += [x + "\\" for x in lines[:-1]] + lines[-1:]
        else:
            out += lines
    return out


def _quoted(lines: list[str]) -> list[str]:
    return [f"> {x}" if x else ">" for x in lines]


# -- pieces of the document ------------------------------------------------------------------


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


def cite_mark(n: int) -> str:
    """The pointer to source `n`: brackets escaped, so it prints "[n]" and is never a link
    reference (`[1]` with a `[1]: …` line somewhere) nor a footnote."""
    return f"\\[{n}\\]"


def _notes_shown(notes: Iterable[Note], brief_id: str, copy: str) -> list[Note]:
    return [n for n in notes if n.shows_in(brief_id, copy)]


def _note_lines(notes: list[Note], copy: str) -> list[str]:
    """Each note as a block quote: a head line saying what it is (and in the desk copy who
    wrote it and when), then its text in the Markdown subset."""
    out: list[str] = []
    for n in notes:
        label = "Comment" if n.kind == "comment" else "Working note"
        who = ""
        if copy == "desk":
            who = ", ".join(x for x in (escape(n.author), escape(n.created[:10])) if x)
        extra = f" ({who})" if who else ""
        if n.quote.strip():
            extra += f", on “{escape(n.quote)}”"
        head = f"**{label}**{extra}:" if extra else f"**{label}:**"
        body = render_subset(n.text)
        out += _quoted([head, *(["", *body] if body else [])])
        out.append("")
    return out


def _section_notes(s: SectionView) -> list[Note]:
    """Notes on a section as a whole: they print under its heading (after its summary,
    before its items), filtered and drawn like passage notes."""
    return list(s.section.notes)


SECTION_DONE = ("ready", "cleared")
"""Statuses that need no warning on export."""


def section_has_content(s: SectionView, brief_id: str) -> bool:
    """Whether the principal would read anything in the section: an item, its summary, or a
    comment of this brief on it. This is the line between a section and an `empty` one, the
    same in both copies (a working note alone is the desk's, not the brief's content)."""
    return bool(
        s.items
        or render_subset(s.section.summary)
        or _notes_shown(_section_notes(s), brief_id, "principal")
    )


def section_status(s: SectionView, brief_id: str) -> str:
    """`drafting`, `ready` or `cleared` as set, or `empty` (derived) for a section without
    content: an empty section has nothing to clear, whatever was once set on it."""
    return s.section.status if section_has_content(s, brief_id) else "empty"


def unready_sections(view: BriefView) -> list[str]:
    """Titles (one line each, cleaned for a terminal) of the sections with content whose
    status is neither ready nor cleared: what an export warns about. Empty sections are not
    listed — they are not printed, so there is nothing in them to clear."""
    bid = view.brief.id
    return [
        safe_out(s.section.title, one_line=True)
        for s in view.sections
        if section_has_content(s, bid) and s.section.status not in SECTION_DONE
    ]


def _section_printed(s: SectionView, brief_id: str, copy: str) -> bool:
    """Whether `copy` prints the section: it has content, or notes this copy shows (in the
    desk copy, a working note alone is enough — it is what the desk needs to see there)."""
    return section_has_content(s, brief_id) or bool(_notes_shown(_section_notes(s), brief_id, copy))


def _status_lines(view: BriefView) -> list[str]:
    """The desk copy's section status list: every section of the brief in order, with its
    status. Lines joined by hard breaks under a bold label rather than a Markdown list: it
    sits before the first `##` heading, where the document keeps lists out (only the
    summary, key points, contents and sources are lists)."""
    if not view.sections:
        return []
    rows = [
        f"{escape(s.section.title)}: {escape(section_status(s, view.brief.id))}"
        for s in view.sections
    ]
    return ["**Section status:**\\", *(x + "\\" for x in rows[:-1]), rows[-1], ""]


def count_words(text: str) -> int:
    """Words a reader reads: whitespace-separated runs holding a letter or a digit (a bullet
    `-` or a dash is not a word)."""
    return sum(1 for w in strip_unsafe(text).split() if any(ch.isalnum() for ch in w))


def prose_words(view: BriefView, count: Callable[[str], int] = count_words) -> int:
    """The length of the principal's copy, counted on its prose: the summary, the key
    judgments, the key points
    (as listed up front and again in their section), section summaries, passages and the
    comments printed with them. Headings, the header block, contents, sources, citation
    marks and the markings are not prose. Both copies state this one number: it is what the
    principal has to read. Every section counts, items or not: one the principal's copy
    leaves out adds nothing (it has no summary, items or comments). `count` may be a cached
    `count_words` (the TUI's status line counts a 25,000-passage brief after every edit)."""
    b = view.brief
    words = count(b.summary) + sum(count(j.text) for j in b.judgments)
    for s in view.sections:
        words += count(s.section.summary)
        for note in _notes_shown(_section_notes(s), b.id, "principal"):
            words += count(note.text)
        for item in s.items:
            words += count(item.passage.text) * (2 if item.state.key_point else 1)
            for note in _notes_shown(item.state.notes, b.id, "principal"):
                words += count(note.text)
    return words


def pages_phrase(words: int) -> str:
    """ "about 2½ pages": pages at `WORDS_PER_PAGE`, to the nearest half (the export's
    header and the TUI's status line say it the same way)."""
    halves = (words * 2 + WORDS_PER_PAGE // 2) // WORDS_PER_PAGE
    if halves == 0:
        return "under half a page"
    whole, half = divmod(halves, 2)
    number = (str(whole) if whole else "") + ("½" if half else "")
    return f"about {number} {'page' if halves <= 2 else 'pages'}"


def length_line(words: int) -> str:
    """ "1,240 words · about 2½ pages"."""
    return f"{words:,} {'word' if words == 1 else 'words'} · {pages_phrase(words)}"


def _source_order(view: BriefView) -> list[Article]:
    """Sources numbered by first appearance in the document: the key judgments' sources,
    then the key points listed up front, then the sections in order, key points first in
    each."""
    judged = [
        a
        for j in view.brief.judgments
        for pid in j.passages
        if (a := view.linked.get(pid, (None, None))[1]) is not None
    ]
    key_points = [i for s in view.sections for i in s.items if i.state.key_point]
    rest = articles_of([*key_points, *(i for s in view.sections for i in s.key_points_first)])
    return list({a.id: a for a in [*judged, *rest]}.values())


def _annex_lines(view: BriefView, annex: str, number: dict[str, int], copy: str) -> list[str]:
    """One annex as a list: the principal's copy has the entries the desk confirmed; the
    desk copy has every entry not dropped, each with its key, the unconfirmed marked."""
    from briefing import aliases
    from briefing.analysis.annex import TITLES, entries

    shown = [
        e
        for e in entries(view, annex, aliases.spellings())
        if copy == "desk" or e.status == "confirmed"
    ]
    if not shown:
        return []
    article_of = {i.passage.id: i.article for i in view.items() if i.article is not None}
    out = [f"## Annex: {TITLES[annex]}", ""]
    for e in shown:
        sources = sorted(
            {number[a.id] for pid in e.passages if (a := article_of.get(pid)) and a.id in number}
        )
        cites = "".join(" " + cite_mark(k) for k in sources)
        title = escape(" ".join(e.title.split()))
        detail = escape(" ".join(e.detail.split()))
        if annex == "people":
            line = f"- **{title}**" + (f" — {detail}" if detail else "")
        elif annex == "dates":
            when = escape(e.when.replace("/", " – "))
            said = "" if e.title == e.when else f" ({title})"
            line = f"- **{when}**{said}: {detail}"
        else:
            context = escape(" ".join(e.context.split()))
            line = f"- **{title}** {detail}" + (f": “{context}”" if context else "")
        line += cites
        if copy == "desk":
            line += f" `{e.key}`" + ("" if e.status == "confirmed" else " *(unconfirmed)*")
        out.append(line)
    return [*out, ""]


def _judgment_lines(view: BriefView, number: dict[str, int], copy: str) -> list[str]:
    """`1. **Likely** (moderate confidence): text [2][5]`; the desk copy adds each one's id
    and flags a judgment no passage supports (the principal's copy cannot check it)."""
    out = ["## Key judgments", ""]
    for n, j in enumerate(view.brief.judgments, 1):
        sources = sorted(
            {
                number[a.id]
                for pid in j.passages
                if (a := view.linked.get(pid, (None, None))[1]) is not None and a.id in number
            }
        )
        cites = "".join(" " + cite_mark(k) for k in sources)
        text = escape(" ".join(j.text.split()))
        line = f"{n}. **{j.likelihood.capitalize()}** ({j.confidence} confidence): {text}{cites}"
        if copy == "desk":
            line += f" `{j.id}`"
            if not sources:
                line += " — **no supporting passage**"
        out.append(line)
    return [*out, ""]


_LIST_LINE = re.compile(r"^(- |\d{1,9}\. )")
"""A line of `render_subset` that is a list item. Its paragraph lines can never match:
`_protect_start` escapes a leading `-` or `1.` in them."""


def _is_list_line(line: str) -> bool:
    return bool(_LIST_LINE.match(line))


def _other_markers(lines: list[str]) -> list[str]:
    """`lines` with their first list written with the other marker (`*` for `-`, `1)` for
    `1.`). Two lists one after the other are one list in CommonMark however many blank
    lines part them; a change of marker is what starts a new one (pandoc also splits
    numbered lists on it, and at worst joins two bulleted ones into one list)."""
    out = list(lines)
    for n, line in enumerate(out):
        if not _is_list_line(line):
            break
        if line.startswith("- "):
            out[n] = "* " + line[2:]
        else:
            num, rest = line.split(". ", 1)
            out[n] = f"{num}) {rest}"
    return out


def _item_body(item: Item, number: dict[str, int]) -> list[str]:
    """What an item says, as Markdown lines: a passage is one escaped paragraph ending with
    its source's number; a written item is the desk's text in the subset, uncited (it has
    no source, and citing nothing would print a bare number)."""
    if item.is_written:
        return render_subset(item.passage.text)
    cite = f" {cite_mark(number[item.article.id])}" if item.article else ""
    return [f"{escape(item.passage.text)}{cite}"]


def _key_point_entry(title: str, body: list[str]) -> list[str]:
    """One bullet of the Key points block: the section title, then the item. A written
    item's further lines are indented under the bullet, so its paragraphs and lists stay
    inside that key point; one that opens with a list starts it on its own line."""
    head = f"- **{title}:**"
    if not body:
        return [head]
    if _is_list_line(body[0]):
        first, rest = head, ["", *body]
    else:
        first, rest = f"{head} {body[0]}", body[1:]
    return [first, *(f"  {x}" if x else "" for x in rest)]


def _passage_lines(
    item: Item, number: dict[str, int], brief_id: str, copy: str, after_list: bool = False
) -> list[str]:
    """A passage ending with its source's number (a written item: its text, uncited); in
    the desk copy its id and tags on the line below; then the notes this copy prints.

    `after_list`: the lines before end in a list, so a written item that opens with one
    writes it with the other marker, or it would become part of that list."""
    body = _item_body(item, number)
    if item.is_written and after_list:
        body = _other_markers(body)
    out = list(body)
    if item.state.key_point:
        if out and not _is_list_line(out[0]):
            out[0] = f"**Key point:** {out[0]}"
        else:
            out = ["**Key point:**", *(["", *out] if out else [])]
    if copy == "desk":
        desk = [escape(item.passage.id)]
        if item.state.tags:
            desk.append("Tags: " + ", ".join(escape(t) for t in item.state.tags))
        line = "*" + " · ".join(desk) + "*"
        if not out:
            out = [line]
        elif _is_list_line(out[-1]):
            # After a list its own paragraph: on the list's last line it would be read as
            # part of that item.
            out += ["", line]
        else:
            # On the passage's last line (after a hard break), so the id stays with its text.
            out[-1] += "\\"
            out.append(line)
    out.append("")
    out += _note_lines(_notes_shown(item.state.notes, brief_id, copy), copy)
    return out


def _ends_in_list(lines: list[str]) -> bool:
    """Whether the last block written so far is a list (the blank lines after it aside)."""
    last = next((x for x in reversed(lines) if x), "")
    return _is_list_line(last)


def to_markdown(view: BriefView, compiled: dt.date, *, copy: str = "principal") -> str:
    """The brief as Markdown: `copy` is "principal" (the default: what the brief says) or
    "desk" (adds working notes, tags, passage ids and note authors)."""
    if copy not in COPIES:
        raise UsageError(f"copy {copy!r}: use {' or '.join(COPIES)}")
    b = view.brief
    cited = _source_order(view)
    number = {a.id: n for n, a in enumerate(cited, 1)}
    # The sections this copy prints (see the module doc): items, a summary or notes shown.
    nonempty = [s for s in view.sections if _section_printed(s, b.id, copy)]
    # A written item is not a passage: the header counts the evidence (passages of
    # sources) apart from what the desk wrote.
    n_written = sum(1 for s in nonempty for i in s.items if i.is_written)
    n_passages = sum(len(s.items) for s in nonempty) - n_written
    key_points = [(s, i) for s in nonempty for i in s.items if i.state.key_point]
    as_of = information_as_of(cited)
    words = prose_words(view)
    shown_notes = sum(
        len(_notes_shown(i.state.notes, b.id, copy)) for s in nonempty for i in s.items
    ) + sum(len(_notes_shown(_section_notes(s), b.id, copy)) for s in nonempty)
    front = {
        "title": safe_out(b.title, one_line=True),
        "brief": safe_out(b.id, one_line=True),
        "template": safe_out(b.template, one_line=True),
        "copy": copy,
        "compiled": compiled.isoformat(),
        "information_as_of": safe_out(as_of, one_line=True) if as_of else None,
        "marking": safe_out(b.marking, one_line=True) or None,
        "sources": len(cited),
        "sections": len(nonempty),
        "passages": n_passages,
        # Only when there are any, so the front matter of a brief without them is unchanged.
        **({"written_items": n_written} if n_written else {}),
        **({"judgments": len(b.judgments)} if b.judgments else {}),
        "key_points": len(key_points),
        "notes": shown_notes,
        "words": words,
    }
    out: list[str] = ["---"]
    out.append(yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip("\n"))
    out += ["---", ""]
    if b.marking:
        out += [f"**{escape(b.marking)}**", ""]
    out += [f"# {escape(b.title)}", ""]
    if b.subtitle:
        out += [f"*{escape(b.subtitle)}*", ""]
    details = [
        f"**{key.capitalize()}:** {escape(b.details[key])}"
        for key in BRIEF_DETAILS
        if escape(b.details.get(key, ""))
    ]
    if details:
        out += [x + "\\" for x in details[:-1]] + details[-1:] + [""]
    src_word = "source" if len(cited) == 1 else "sources"
    pas_word = "passage" if n_passages == 1 else "passages"
    meta = [f"Compiled {compiled.isoformat()}"]
    if as_of:
        meta.append(f"information as of {as_of}")
    counts = f"{len(cited)} {src_word}, {n_passages} {pas_word}"
    if n_written:
        counts += f", {n_written} written {'item' if n_written == 1 else 'items'}"
    meta.append(counts)
    if b.audience:
        meta.append(f"for {escape(b.audience)}")
    out += [" · ".join(meta) + "\\", length_line(words), ""]
    if copy == "desk":
        out += [
            "**Desk copy:** with working notes, tags and passage ids; not for the principal.",
            "",
            *_status_lines(view),
        ]
    used: dict[str, int] = {}
    slug(b.title, used)
    summary = render_subset(b.summary)
    if summary:
        slug("Summary", used)
        out += ["## Summary", "", *summary, ""]
    if b.judgments:
        slug("Key judgments", used)
        out += _judgment_lines(view, number, copy)
    if key_points:
        slug("Key points", used)
        out += ["## Key points", ""]
        for s, item in key_points:
            out += _key_point_entry(escape(s.section.title), _item_body(item, number))
        out.append("")
    if nonempty:
        slug("Contents", used)
        anchors = [(s, slug(s.section.title, used)) for s in nonempty]
        out += ["## Contents", ""]
        out += [f"- [{escape(s.section.title)}](#{a})" for s, a in anchors]
        out.append("")
    for s in nonempty:
        out += [f"## {escape(s.section.title)}", ""]
        section_summary = render_subset(s.section.summary)
        if section_summary:
            out += [*section_summary, ""]
        out += _note_lines(_notes_shown(_section_notes(s), b.id, copy), copy)
        for item in s.key_points_first:
            out += _passage_lines(item, number, b.id, copy, _ends_in_list(out))
    for annex in b.annexes:
        lines = _annex_lines(view, annex, number, copy)
        if lines:
            slug(lines[0].removeprefix("## "), used)
            out += lines
    if cited:
        out += ["## Sources", ""]
        out += [f"{n}. {_citation(a)}" for n, a in enumerate(cited, 1)]
        out.append("")
    if b.marking:
        out += [f"**{escape(b.marking)}**", ""]
    # The last defence: every line above is built from escaped fields, but one pass over the
    # whole document costs little and guarantees no control character is written.
    return safe_out("\n".join(out).rstrip("\n") + "\n")
