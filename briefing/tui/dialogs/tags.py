"""Edit a passage's tags as a change (add these, remove those), never by retyping them all.

The old dialog pre-filled the input with the current tags, so the first key typed replaced
them. Here the input starts empty and only adds; the current tags are a list where each can
be marked for removal (and unmarked) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing import editing
from briefing.tui.dialogs.base import Dialog


@dataclass(frozen=True)
class TagEdit:
    """What the user asked for: tags to add (cleaned, none already current) and to remove."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


def clean_tags(text: str) -> list[str]:
    """The tags typed in the box, cleaned as every tag is (`editing.clean_tags`)."""
    return editing.clean_tags([text])


class TagSuggester(Suggester):
    """Completes the tag being typed after the last comma from the known tags.

    `SuggestFromList` would only complete the whole input, i.e. the first tag.
    """

    def __init__(self, known: list[str], exclude: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = list(dict.fromkeys(known))
        self.exclude = set(exclude)

    async def get_suggestion(self, value: str) -> str | None:
        head, _sep, last = value.rpartition(",")
        stem = last.lstrip()
        word = stem.lstrip("#")
        if not word:
            return None
        prefix = value[: len(value) - len(word)]
        typed = set(clean_tags(head))
        candidates = [t for t in self.known if t not in self.exclude and t not in typed]
        for matches in (
            lambda t: t.startswith(word),
            lambda t: t.casefold().startswith(word.casefold()),
        ):
            for tag in candidates:
                if tag != word and matches(tag):
                    return prefix + tag
        return None


class TagDialog(Dialog[TagEdit | None]):
    """Current tags (each removable) plus an empty input for new ones; enter saves.

    up/down move in the tag list even while the input has focus, and ctrl+d toggles the
    highlighted tag from anywhere, so the whole edit can be done without leaving the input.
    """

    DEFAULT_CSS = """
    TagDialog .title { margin-bottom: 1; }
    TagDialog #current { height: auto; max-height: 8; color: $tag-color; }
    TagDialog .empty { color: $text-muted; width: 1fr; }
    TagDialog #new { margin-top: 1; }
    TagDialog .hint { margin-top: 1; }
    """
    BINDINGS = [
        # Not a priority binding: a priority enter would run before the input has taken
        # the keys typed just before it (a fast typist or a paste would lose the tags).
        Binding("enter", "save", "Save", id="dialog.save"),
        Binding("down", "down", show=False, priority=True, id="dialog.down"),
        Binding("up", "up", show=False, priority=True, id="dialog.up"),
        Binding("ctrl+d", "toggle_tag", "Remove/restore", priority=True, id="dialog.toggle"),
        Binding("d,delete", "toggle_tag", "Remove/restore", show=False, id="dialog.toggle_list"),
    ]

    def __init__(self, current: list[str], known: list[str], *, title: str = "Tags") -> None:
        super().__init__()
        self.current = list(dict.fromkeys(current))
        self.known = list(known)
        self.title_text = title
        self.removed: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text), classes="title")
            if self.current:
                yield OptionList(*[self._option(t) for t in self.current], id="current")
            else:
                yield Static(Text("No tags yet."), classes="empty")
            yield Input(
                "",
                placeholder="add tags, comma-separated",
                suggester=TagSuggester(self.known, self.current),
                id="new",
            )
            yield Static(
                Text(
                    "up/down pick a tag · ctrl+d removes or restores it · "
                    "→ accepts a suggestion · enter saves · escape cancels"
                ),
                classes="hint",
            )

    def _option(self, tag: str) -> Option:
        if tag in self.removed:
            prompt = Text.assemble(("#" + tag, "strike dim"), ("  will be removed", "italic"))
        else:
            prompt = Text("#" + tag)
        return Option(prompt, id=tag)

    def on_mount(self) -> None:
        if self.current:
            self.query_one("#current", OptionList).highlighted = 0
        self.query_one("#new", Input).focus()

    def _list(self) -> OptionList | None:
        return self.query_one("#current", OptionList) if self.current else None

    def action_down(self) -> None:
        if (options := self._list()) is not None:
            options.action_cursor_down()

    def action_up(self) -> None:
        if (options := self._list()) is not None:
            options.action_cursor_up()

    def action_toggle_tag(self) -> None:
        """Mark the highlighted tag for removal, or take the mark back."""
        options = self._list()
        if options is None or options.highlighted is None:
            self.app.bell()
            return
        tag = options.get_option_at_index(options.highlighted).id
        assert tag is not None
        self.removed.symmetric_difference_update({tag})
        options.replace_option_prompt(tag, self._option(tag).prompt)

    def edit(self) -> TagEdit | None:
        """The change as it stands; None when it would change nothing."""
        typed = clean_tags(self.query_one("#new", Input).value)
        add = tuple(t for t in typed if t not in self.current)
        # Retyping a tag marked for removal keeps it.
        remove = tuple(t for t in self.current if t in self.removed and t not in typed)
        return TagEdit(add, remove) if add or remove else None

    def action_save(self) -> None:
        self.dismiss(self.edit())

    @on(Input.Submitted, "#new")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(OptionList.OptionSelected, "#current")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()
