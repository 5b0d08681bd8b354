"""The right pane: the passage in the context of its article, with its tags and notes.

Built from `rich.text.Text` pieces (never markup), and redrawn only when the passage changes.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from briefing.briefs import Item
from briefing.model import Article, Passage


def render_item(
    item: Item, before: Passage | None, after: Passage | None, section: str
) -> RenderableType:
    t = Text()
    a = item.article
    if a:
        t.append(a.title + "\n", style="bold")
        meta = [
            x
            for x in (
                a.source,
                a.published
                and (a.published + (" (year inferred)" if a.published_inferred else "")),
                a.publisher,
            )
            if x
        ]
        t.append(" · ".join(meta) + "\n", style="dim")
    where = f"§ {section}" if section else "not in this brief"
    if item.passage.heading:
        where += f" · under “{item.passage.heading}”"
    t.append(f"{where} · {item.passage.id}\n", style="dim")
    if before:
        t.append("\n" + _clip(before.text, 160), style="dim")
    current = Panel(
        Text(item.passage.text),
        box=box.ROUNDED,
        title=Text("★ key point", style="bold yellow") if item.state.key_point else None,
        title_align="left",
        padding=(0, 1),
    )
    t2 = Text()
    if after:
        t2.append(_clip(after.text, 160) + "\n", style="dim")
    if item.state.tags:
        t2.append("\nTags: ", style="bold cyan")
        t2.append(", ".join(item.state.tags) + "\n", style="cyan")
    for n in item.state.notes:
        t2.append("\n✎ ", style="green")
        t2.append(n.text, style="green")
        if n.quote:
            t2.append(f"\n  on “{n.quote}”", style="dim")
        who = ", ".join(x for x in (n.author, n.created[:10]) if x)
        t2.append(f"\n  — {who}\n", style="dim")
    return Group(t, current, t2)


def render_article(a: Article, passages: list[Passage]) -> Text:
    t = Text()
    t.append(a.title + "\n", style="bold")
    meta = [x for x in (a.source, a.published, a.publisher, a.url) if x]
    t.append(" · ".join(meta) + "\n\n", style="dim")
    t.append(f"{a.passage_count} passages — enter lists them\n\n", style="dim")
    for p in passages[:3]:
        t.append(_clip(p.text, 400) + "\n\n")
    return t


def _clip(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Reader(VerticalScroll):
    DEFAULT_CSS = """
    Reader { padding: 0 1; }
    Reader > Static { width: 1fr; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("Choose a section, then a passage.", style="dim"), id="reader-body")

    def show(self, text: RenderableType) -> None:
        self.query_one("#reader-body", Static).update(text)
        self.scroll_home(animate=False)
