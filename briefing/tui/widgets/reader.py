"""The right pane: the passage in the context of its article, with its tags and notes.

Built from `rich.text.Text` pieces (never markup), and redrawn only when the passage changes.

Laying text out costs time in proportion to its length (a 5 MB passage took 324 s), so
what is laid out is bounded: a passage shows its first `SHOWN_CHARS` characters (about 200
lines of a usual pane) and then a line saying how much more there is; titles, headings,
tags and notes are bounded likewise. The export and `briefing list` give the whole text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from briefing.analysis.annex import Entry
from briefing.briefs import Item
from briefing.model import Article, Judgment, Passage
from briefing.tui.widgets.repaint import drop_stale_regions
from briefing.wording import plural


@dataclass(frozen=True)
class Palette:
    """The reader's colours, taken from the theme (see Reader.palette)."""

    key_point: Style = Style(bold=True, color="yellow")  # noqa: RUF009  (immutable)
    tag: Style = Style(color="cyan")  # noqa: RUF009
    note: Style = Style(color="green")  # noqa: RUF009


MATCH = Style(bold=True, underline=True)
"""The words a search matched, in the reader."""

SHOWN_CHARS = 16_000
"""The most of one passage (or note) the reader lays out: ~200 lines at 80 columns."""
SHOWN_LINE = 500
"""The most of a one-line field (title, source, heading, quote, tags) laid out."""


def _bounded(text: str, limit: int = SHOWN_CHARS) -> tuple[str, int]:
    """The start of `text` that is laid out (cut at a space near the limit when there is
    one) and how many characters are left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind(" ", max(0, limit - 200), limit)
    shown = text[: cut if cut > 0 else limit]
    return shown, len(text) - len(shown)


def _more(hidden: int) -> Text:
    return Text(f"\n… {hidden:,} more characters", style="dim italic")


def _one_line(text: str) -> str:
    return " ".join(text[:300].split())


def _line(text: str) -> str:
    return _clip(text, SHOWN_LINE)


class LeftBar:
    """The passage itself, marked by a bar down its left edge.

    Not a box: a frame costs two more lines and two more cells a line, all sent again each
    time the reader moves to another passage (~300 bytes a key over SSH)."""

    BAR = "▌ "

    def __init__(self, inner: RenderableType, style: Style, title: Text | None = None) -> None:
        self.inner, self.style, self.title = inner, style, title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - len(self.BAR))
        bar = Segment(self.BAR, self.style)
        if self.title is not None:
            yield bar
            yield from self.title.render(console)
            yield Segment.line()
        for line in console.render_lines(self.inner, options.update_width(width), pad=False):
            yield bar
            yield from line
            yield Segment.line()


def render_judgment(
    judgment: Judgment,
    linked: dict[str, tuple[Passage, Article | None]],
) -> RenderableType:
    """A key judgment: its call, then each supporting passage with its source (the reader
    checks the desk's reasoning against the evidence)."""
    t = Text()
    t.append(f"{judgment.likelihood.capitalize()}", style="bold")
    t.append(f" · {judgment.confidence} confidence · {judgment.id}\n\n", style="dim")
    shown, hidden = _bounded(judgment.text)
    t.append(shown + "\n")
    if hidden:
        t.append_text(_more(hidden))
    support = [linked[pid] for pid in judgment.passages if pid in linked]
    if not support:
        t.append("\nNo supporting passage yet: L on a passage links it here.", style="dim")
        return t
    t.append(f"\nSupported by {len(support)}:\n", style="dim")
    for passage, article in support:
        source = _line(article.source or article.title) if article else ""
        t.append(f"\n{passage.id}", style="dim")
        if source:
            t.append(f" · {source}", style="dim")
        t.append("\n" + _one_line(passage.text)[:300] + "\n")
    return t


def render_entry(entry: Entry, items: Mapping[str, Item]) -> RenderableType:
    """An annex entry and the passages it came from (the desk checks it against them)."""
    from briefing.session import ENTRY_MARKS

    t = Text()
    status = {"confirmed": "confirmed", "dropped": "dropped"}.get(entry.status, "not reviewed")
    t.append(f"{ENTRY_MARKS.get(entry.status, '?')} {_line(entry.title)}", style="bold")
    t.append(f"  {status} · {entry.key}\n", style="dim")
    if entry.when:
        t.append(entry.when.replace("/", " – ") + "\n", style="dim")
    if entry.detail:
        t.append(_one_line(entry.detail) + "\n")
    if entry.context:
        t.append("“" + _one_line(entry.context) + "”\n", style="dim")
    if entry.merged:
        t.append(f"merged: {', '.join(entry.merged)}\n", style="dim")
    keys = "* confirms · D drops · u undoes"
    if entry.annex == "people":
        keys += " · w corrects the role · m merges into another"
    t.append(keys + "\n\n", style="dim")
    for pid in entry.passages[:12]:
        item = items.get(pid)
        if item is None:
            continue
        t.append(f"{pid}\n", style="dim")
        t.append(_one_line(item.passage.text)[:400] + "\n\n")
    return t


def render_item(
    item: Item,
    before: Passage | None,
    after: Passage | None,
    section: str,
    palette: Palette | None = None,
    query: str = "",
) -> RenderableType:
    """`query`: what the list is filtered by; its words are marked in the passage."""
    pal = palette or Palette()
    t = Text()
    a = item.article
    if a:
        t.append(_line(a.title) + "\n", style="bold")
        meta = [
            _line(x)
            for x in (
                a.source,
                a.published
                and (a.published + (" (year inferred)" if a.published_inferred else "")),
                a.publisher,
            )
            if x
        ]
        t.append(" · ".join(meta) + "\n", style="dim")
    where = f"§ {_line(section)}" if section else "not in this brief"
    if item.passage.heading:
        where += f" · under “{_line(item.passage.heading)}”"
    t.append(f"{where} · {item.passage.id}\n\n", style="dim")
    # The neighbours, one line each: enough to place the passage in its article, and
    # every line here is sent again for each passage the reader moves to.
    lead = Text("", no_wrap=True, overflow="ellipsis")
    if before:
        lead.append(_one_line(before.text), style="dim")
    shown, hidden = _bounded(item.passage.text)
    body = Text(shown)
    if query:
        from briefing.search import highlight

        for start, end in highlight(shown, query, last_is_prefix=True):
            body.stylize(MATCH, start, end)  # a style on our Text: nothing is parsed
    if hidden:
        body.append_text(_more(hidden))
    current = LeftBar(
        body,
        pal.key_point if item.state.key_point else Style(),  # plain: one colour run a line
        Text("★ key point", style=pal.key_point) if item.state.key_point else None,
    )
    t2 = Text()
    trail = Text("", no_wrap=True, overflow="ellipsis")
    if after:
        trail.append(_one_line(after.text), style="dim")
    if item.state.tags:
        t2.append("\nTags: ", style=pal.tag + Style(bold=True))
        t2.append(_line(", ".join(item.state.tags)) + "\n", style=pal.tag)
    budget = SHOWN_CHARS  # for all the notes together: there may be many
    for i, n in enumerate(item.state.notes):
        if budget <= 0:
            rest = item.state.notes[i:]
            t2.append_text(_more(sum(len(x.text) for x in rest)))
            t2.append(f" in {len(rest)} more notes\n", style="dim italic")
            break
        t2.append("\n✎ ", style=pal.note)
        if n.kind == "comment":
            t2.append("comment: ", style=pal.note + Style(bold=True))
        note, hidden = _bounded(n.text, budget)
        budget -= len(note)
        t2.append(note, style=pal.note)
        if hidden:
            t2.append_text(_more(hidden))
        if n.quote:
            t2.append(f"\n  on “{_line(n.quote)}”", style="dim")
        who = ", ".join(x for x in (n.author, n.created[:10]) if x)
        t2.append(f"\n  — {who}\n", style="dim")
    return Group(t, lead, current, trail, t2)


def render_article(a: Article) -> Text:
    """An article row of the Library: its metadata (its text is one `enter` away)."""
    t = Text()
    t.append(_line(a.title) + "\n", style="bold")
    meta = [_line(x) for x in (a.source, a.published, a.publisher, a.url) if x]
    t.append(" · ".join(meta) + "\n\n", style="dim")
    t.append(f"{plural(a.passage_count, 'passage')} — enter lists them\n", style="dim")
    return t


def _clip(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _one_run_for_blanks(segments: list[Segment]) -> list[Segment]:
    """Blank runs (the margin, the padding after short lines) take the style of the text
    beside them when only the foreground differs: a space looks the same in any
    foreground colour, and one style run a line instead of three saves ~40 bytes for every
    line sent when the reader moves to another passage."""
    out = list(segments)
    for i, seg in enumerate(out):
        if seg.control or seg.text.strip(" ") or seg.style is None:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(out):
                other = out[j]
                if (
                    other.style is not None
                    and other.text.strip(" ")
                    and other.style.bgcolor == seg.style.bgcolor
                    and not (other.style.underline or other.style.reverse or other.style.strike)
                    and not (
                        other.style.link or (other.style.bgcolor is None and seg.style.bgcolor)
                    )
                ):
                    out[i] = Segment(seg.text, other.style)
                    break
    return out


class Reader(Widget, can_focus=True):
    """A fixed-size view of pre-rendered lines, scrolled by its own offset.

    Not a ScrollView on purpose: a content change there is a layout change (its virtual
    size), and a layout in the same frame as the table's two-row cursor update makes
    Textual repaint the whole table — 17 KB per `j` instead of ~1.5 KB. Here a new passage
    repaints exactly this pane.
    """

    DEFAULT_CSS = """
    Reader { padding: 0; }
    Reader > .reader--key-point { color: $key-point-color; text-style: bold; }
    Reader > .reader--tag { color: $tag-color; }
    Reader > .reader--note { color: $success; }
    """
    COMPONENT_CLASSES = {"reader--key-point", "reader--tag", "reader--note"}
    MARGIN = 1
    """Columns of space either side of the text, drawn as part of each line (a CSS padding
    would be extra segments on every line sent)."""
    BINDINGS = [
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="reader.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
    ]
    """Own keys while the reader has focus; none of them shadows a key of the screen."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._content: RenderableType = Text("Choose a section, then a passage.", style="dim")
        self._lines: list[Strip] = []
        self._width = -1
        self.offset_y = 0
        self._style: Style | None = None
        self._palette: Palette | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style = self._palette = None

    @property
    def base_style(self) -> Style:
        """`rich_style`, worked out once per style change (Textual walks the ancestors for
        it, and each line drawn takes it)."""
        if self._style is None:
            self._style = self.rich_style
        return self._style

    def show(self, content: RenderableType) -> None:
        """Show new content, repainting only the lines that differ from what is on screen."""
        height = self.content_size.height
        if not height or not self._lines:
            self._content, self._width, self.offset_y = content, -1, 0
            self.refresh()
            return
        before = [self.render_line(y) for y in range(height)]
        self._content, self._width, self.offset_y = content, -1, 0
        after = [self.render_line(y) for y in range(height)]
        width = self.size.width
        drop_stale_regions(self)
        for y, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                self.refresh(Region(0, y, width, 1))

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests)."""
        self._render_lines()
        return "\n".join(s.text.rstrip() for s in self._lines)

    def _render_lines(self) -> None:
        width = self.content_size.width or 40
        if width == self._width:
            return
        inner = max(10, width - 2 * self.MARGIN)
        console = self.app.console
        options = console.options.update_width(inner).update(highlight=False, markup=False)
        base = self.base_style
        lines = console.render_lines(self._content, options, style=base, pad=True)
        margin = Segment(" " * self.MARGIN, base)
        self._lines = [
            Strip(_one_run_for_blanks([margin, *line, margin]))
            .crop_extend(0, width, base)
            .simplify()
            for line in lines
        ]
        self._width = width

    def render_line(self, y: int) -> Strip:
        self._render_lines()
        height = self.content_size.height
        n = y + self.offset_y
        more = len(self._lines) - self.offset_y > height
        if y == height - 1 and more:
            hint = f"── more below ({len(self._lines) - self.offset_y - height + 1} lines): j / space ──"
            text = (" " * self.MARGIN + hint)[: self._width].ljust(self._width)
            return Strip([Segment(text, self.base_style + Style(dim=True))], self._width)
        if n < len(self._lines):
            return self._lines[n]
        return Strip.blank(self._width, self.base_style)

    def on_resize(self) -> None:
        self._width = -1

    @property
    def palette(self) -> Palette:
        """The theme's colours for markers, tags and notes (high-contrast reaches them)."""
        if self._palette is None:
            self._palette = Palette(
                self.get_component_rich_style("reader--key-point", partial=True),
                self.get_component_rich_style("reader--tag", partial=True),
                self.get_component_rich_style("reader--note", partial=True),
            )
        return self._palette

    def scroll_lines_to(self, y: int) -> None:
        """Scroll so line `y` is at the top (not `_scroll_to`: that is Textual's own)."""
        height = self.content_size.height or 1
        top = max(0, min(y, len(self._lines) - height + 1))
        if top != self.offset_y:
            self.offset_y = top
            self.refresh()

    def action_scroll(self, step: int) -> None:
        self.scroll_lines_to(self.offset_y + step)

    def action_page(self, step: int) -> None:
        self.scroll_lines_to(self.offset_y + step * max(1, self.content_size.height - 2))

    def action_top(self) -> None:
        self.scroll_lines_to(0)
