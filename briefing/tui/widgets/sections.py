"""The left pane: the brief's sections with passage counts, then Unsorted, Library, Tags."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.briefs import BriefView

UNSORTED = "unsorted"
LIBRARY = "library"
TAGS = "tags"


def section_option_id(section_id: str) -> str:
    return f"s:{section_id}"


def label(title: str, count: int | None, indent: str = "", width: int = 22) -> Text:
    """`Title  12`: the title shortened so the count always shows."""
    number = "" if count is None else f" {count}"
    room = max(4, width - len(number))
    name = indent + title
    if len(name) > room:
        name = name[: room - 1] + "…"
    text = Text(name, no_wrap=True)
    text.append(number, style="dim")
    return text


class SectionList(OptionList):
    """Sections of the current brief; choosing one lists its passages."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    _shown: tuple[BriefView | None, dict[str, int]] | None = None
    """What show_brief last showed, to lay it out again at a new width."""

    def show_brief(self, view: BriefView | None, tags: dict[str, int]) -> None:
        """Rebuild the options, keeping the highlighted one where it still exists."""
        self._shown = (view, tags)
        keep = self.highlighted_id
        w = max(8, (self.content_size.width or 23) - 1)
        options: list[Option] = []
        if view:
            options += [
                Option(
                    label(s.section.title, len(s.items), width=w),
                    id=section_option_id(s.section.id),
                )
                for s in view.sections
            ]
            options.append(Option(label("Unsorted", None, width=w), id=UNSORTED))
        options.append(Option(label("Library", None, width=w), id=LIBRARY))
        options.append(Option(label("Tags", sum(tags.values()), width=w), id=TAGS))
        options += [
            Option(label("#" + name, n, "  ", width=w), id=f"tag:{name}")
            for name, n in sorted(tags.items())
        ]
        self.clear_options()
        self.add_options(options)
        ids = [o.id for o in options]
        self.highlighted = ids.index(keep) if keep in ids else 0

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show_brief(*self._shown)

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
