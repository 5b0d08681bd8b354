"""`O`: the brief at a glance — section balance, sources and their dates, judgments, people
and what came in since the last export.

The figures are made in a worker (`Session.overview`); this screen only draws them. Bars are
block characters in the theme's colours and the dates are a `Sparkline`, so it reads at 80×24
and in 16 colours; text from articles is drawn as `Text`, never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Sparkline, Static

from briefing.errors import BriefingError
from briefing.overview import Overview
from briefing.session import Session
from briefing.wording import plural

BAR = 24
"""The widest bar, in cells."""

STATUS = {"drafting": "○", "ready": "◑", "cleared": "●", "empty": "·"}


def bar(n: int, most: int, width: int = BAR) -> str:
    """`█████▍` for n out of most: eighths of a cell, so small differences still show."""
    if most <= 0 or n <= 0:
        return ""
    eighths = max(1, round(n / most * width * 8))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def _cut(text: str, n: int) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _columns(width: int, name: int, most_bar: int) -> tuple[int, int]:
    """A name column and a bar that fit `width` cells on one line (a narrow terminal
    shortens both rather than wrapping the bar under the name)."""
    name = max(10, min(name, width // 2))
    return name, max(4, min(most_bar, width - name - 10))


def sections_text(o: Overview, width: int = 80) -> Text:
    """One line a section: status, title, passages and a bar (the balance at a glance)."""
    t = Text()
    name, bar_width = _columns(width, 26, BAR)
    most = max((n for _, n, _ in o.sections), default=0)
    for title, n, status in o.sections:
        t.append(f"{STATUS.get(status, '?')} {_cut(title, name):<{name}} {n:>5} ")
        t.append(bar(n, most, bar_width) + "\n", style="bold")
    return t


def sources_text(o: Overview, width: int = 80) -> Text:
    t = Text()
    t.append(f"{plural(o.articles, 'article')} from {plural(len(o.sources), 'source')}")
    if o.first_date:
        span = o.first_date if o.first_date == o.last_date else f"{o.first_date} – {o.last_date}"
        t.append(f", dated {span}")
    if o.undated:
        t.append(f" ({o.undated} undated)", style="dim")
    t.append("\n")
    name, bar_width = _columns(width, 22, 16)
    most = max((n for _, n in o.sources), default=0)
    for source, n in o.sources[:5]:
        t.append(f"{_cut(source, name):<{name}} {n:>4} ", style="")
        t.append(bar(n, most, bar_width) + "\n", style="bold")
    if len(o.sources) > 5:
        t.append(f"… and {len(o.sources) - 5} more\n", style="dim")
    return t


def judgments_text(o: Overview) -> Text:
    t = Text()
    if not o.judgments:
        t.append("None yet: Key judgments (top of the sections pane), w writes one.", style="dim")
        return t
    unsupported = sum(1 for _, _, n in o.judgments if n == 0)
    for likelihood, text, support in o.judgments[:6]:
        t.append(f"{likelihood:<20}", style="bold")
        t.append(f" {_cut(text, 44)}")
        t.append(f"  {support} ✓\n" if support else "  no support\n", style="dim")
    if unsupported:
        t.append(f"{plural(unsupported, 'judgment')} with no supporting passage\n", style="bold")
    return t


def people_text(o: Overview) -> Text:
    t = Text()
    if not o.people:
        t.append("Nobody named in the brief's passages (or not worked out yet).", style="dim")
        return t
    for name, role, n, status in o.people[:8]:
        mark = {"confirmed": "✓", "dropped": "✗"}.get(status, "?")
        t.append(f"{mark} {_cut(name, 24):<24}", style="bold")
        t.append(f" {n:>3}  {_cut(role, 34)}\n")
    if len(o.people) > 8:
        t.append(f"… and {len(o.people) - 8} more (Who's who lists them)\n", style="dim")
    return t


def new_text(o: Overview) -> Text:
    t = Text()
    if not o.last_export:
        t.append("Not exported yet: every passage is new to the principal.", style="dim")
        return t
    t.append(f"Since the last export ({o.last_export.replace('T', ' ')[:16]}): ")
    if o.new_since:
        t.append(
            f"{plural(o.new_since, 'passage')} from {plural(o.new_articles, 'article')}",
            style="bold",
        )
    else:
        t.append("nothing new")
    return t


class OverviewScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    OverviewScreen { align: center middle; }
    OverviewScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 100%; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    OverviewScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    OverviewScreen Sparkline { height: 2; margin: 0 0; }
    OverviewScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,q,O", "close", "Close", id="overview.close"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Overview · working it out…", style="bold"), id="ov-title")
            yield Static(Text("Sections", style="bold"), classes="heading")
            yield Static(id="ov-sections")
            yield Static(Text("Sources", style="bold"), classes="heading")
            yield Static(id="ov-sources")
            yield Sparkline([], id="ov-dates")
            yield Static(Text("Key judgments", style="bold"), classes="heading")
            yield Static(id="ov-judgments")
            yield Static(Text("People", style="bold"), classes="heading")
            yield Static(id="ov-people")
            yield Static(Text("New", style="bold"), classes="heading")
            yield Static(id="ov-new")
            yield Static(Text("escape closes · j/k scroll"), classes="hint")

    def on_mount(self) -> None:
        self.compute(people=False)  # the fast part first
        self.compute(people=True)

    @work(thread=True, group="overview", exit_on_error=False)
    def compute(self, people: bool) -> None:
        try:
            o = self.session.overview(people=people)
        except BriefingError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.show, o, people)

    def show(self, o: Overview, people: bool) -> None:
        """Draw what the worker worked out (each part's trailing line break dropped)."""

        def fit(text: Text) -> Text:
            text.rstrip()
            return text

        self.query_one("#ov-title", Static).update(Text(f"Overview · {o.title}", style="bold"))
        width = self.query_one("#ov-sections", Static).size.width or 80
        self.query_one("#ov-sections", Static).update(fit(sections_text(o, width)))
        self.query_one("#ov-sources", Static).update(fit(sources_text(o, width)))
        spark = self.query_one("#ov-dates", Sparkline)
        spark.data = o.per_day or [0]
        spark.display = len(o.per_day) > 1
        self.query_one("#ov-judgments", Static).update(fit(judgments_text(o)))
        if people:
            self.query_one("#ov-people", Static).update(fit(people_text(o)))
        self.query_one("#ov-new", Static).update(fit(new_text(o)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one(VerticalScroll)
        scroller.scroll_down() if direction == "down" else scroller.scroll_up()
