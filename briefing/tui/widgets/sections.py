"""The left pane: the brief's sections with passage counts, then Unsorted, New (what feed
refreshes brought and nobody read yet), the saved searches, Library, Tags.

It owns which listing is chosen: moving the highlight posts `ListingChosen`, `enter` posts
`Opened`; the screen decides what to show. Option ids are internal; the messages carry
typed listings.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.briefs import BriefView, SectionView
from briefing.model import SavedSearch
from briefing.session import (
    AnnexListing,
    JudgmentsListing,
    LibraryListing,
    Listing,
    NewListing,
    SearchListing,
    SectionListing,
    TagsListing,
    UnsortedListing,
)
from briefing.tui.widgets.repaint import drop_stale_regions


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


def listing_title(listing: Listing, view: BriefView | None) -> str:
    """What the passages pane's title says for a listing."""
    match listing:
        case SectionListing(section_id=sid):
            s = view.brief.section(sid) if view else None
            return f"§ {s.title}" if s else "§ ?"
        case UnsortedListing():
            return "Unsorted (in no section)"
        case LibraryListing():
            return "Library"
        case NewListing():
            return "New (not yet read)"
        case JudgmentsListing():
            return "Key judgments"
        case AnnexListing(annex=annex):
            from briefing.analysis.annex import TITLES

            return f"Annex: {TITLES.get(annex, annex)}"
        case SearchListing(name=name, query=query):
            return f"⌕ {name}: {query}"
        case TagsListing(tag=None):
            return "Tagged passages"
        case TagsListing(tag=tag):
            return f"#{tag}"
    return "Article"


def section_state(s: SectionView, brief_id: str) -> str:
    """`exporting.markdown.section_status` (what the export says), without loading the
    exporter for the usual cases: a section with items has content, and one with no items,
    no summary and no notes has none."""
    if s.items:
        return s.section.status
    if not s.section.summary.strip() and not s.section.notes:
        return "empty"
    from briefing.exporting.markdown import section_status

    return section_status(s, brief_id)


ANNEX_LABELS = {"people": "Who's who", "dates": "Chronology", "figures": "Key figures"}

STATUS_GLYPHS = {"drafting": "○", "ready": "◑", "cleared": "●", "empty": "·"}


class SectionList(OptionList):
    """Sections of the current brief, then the other listings."""

    DEFAULT_CSS = """
    SectionList > .sections--drafting { color: $status-drafting; }
    SectionList > .sections--ready { color: $status-ready; }
    SectionList > .sections--cleared { color: $status-cleared; }
    SectionList > .sections--empty { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "sections--drafting",
        "sections--ready",
        "sections--cleared",
        "sections--empty",
    }

    BINDINGS = [
        Binding("j,down", "down", "Down", show=False, id="sections.down"),
        Binding("k,up", "up", "Up", show=False, id="sections.up"),
    ]
    """Own keys: moving never wraps from the first section to the last tag."""

    @dataclass
    class ListingChosen(Message):
        listing: Listing

    @dataclass
    class Opened(Message):
        listing: Listing

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As OptionList's, but moving it repaints two lines, not the pane (bytes over SSH)."""

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)
        if old is None or new is None or not self.is_mounted:
            self.refresh()
            return
        drop_stale_regions(self)
        width = self.size.width
        for index in (old, new):
            line = self._index_to_line.get(index)
            if line is not None:
                self.refresh(Region(0, line - int(self.scroll_offset.y), width, 1))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[BriefView | None, dict[str, int]] | None = None
        self._listings: list[Listing] = []
        self._signature: tuple[object, ...] = ()
        self._new: int | None = None
        self._searches: tuple[SavedSearch, ...] = ()

    def show_brief(
        self,
        view: BriefView | None,
        tags: dict[str, int],
        *,
        new: int | None = None,
        searches: tuple[SavedSearch, ...] | None = None,
        reset: bool = False,
    ) -> None:
        """Rebuild the options (only when what they say changed), keeping the highlight
        (`reset`: a brief just opened, so its first section). `new`: how many passages
        are new (None: no feeds and nothing new, so no New listing); `searches`: the saved
        searches (None: as before)."""
        if searches is not None:
            self._searches = searches
        if (new is None) != (self._new is None):
            self._signature = ()  # the New listing comes or goes
        self._new = new
        w = max(8, (self.content_size.width or 23) - 1)
        judgments = len(view.brief.judgments) if view else 0
        sections = (
            [
                (s.section.id, s.section.title, len(s.items), section_state(s, view.brief.id))
                for s in view.sections
            ]
            if view
            else []
        )
        signature = (
            w,
            view is not None,
            tuple(sections),
            tuple(sorted(tags.items())),
            self._searches,
            judgments,
            tuple(view.brief.annexes) if view else (),
        )
        self._shown = (view, tags)
        if signature == self._signature and not reset:
            self.set_new_count(new)
            return
        self._signature = signature
        keep = None if reset else self.current_listing
        options: list[Option] = []
        listings: list[Listing] = []
        if view:
            options.append(Option(label("Key judgments", judgments, width=w)))
            listings.append(JudgmentsListing())
            for annex in view.brief.annexes:
                options.append(Option(label(ANNEX_LABELS.get(annex, annex), None, width=w)))
                listings.append(AnnexListing(annex))
        for sid, title, n, status in sections:
            options.append(Option(self._status_label(title, n, status, w)))
            listings.append(SectionListing(sid))
        if view:
            options.append(Option(label("Unsorted", None, width=w)))
            listings.append(UnsortedListing())
        if new is not None:
            options.append(Option(self._new_label(new, w)))
            listings.append(NewListing())
        for search in self._searches:
            options.append(Option(label("⌕ " + search.name, None, width=w)))
            listings.append(SearchListing(search.name, search.query))
        options.append(Option(label("Library", None, width=w)))
        listings.append(LibraryListing())
        options.append(Option(label("Tags", sum(tags.values()), width=w)))
        listings.append(TagsListing())
        for name, n in sorted(tags.items()):
            options.append(Option(label("#" + name, n, "  ", width=w)))
            listings.append(TagsListing(name))
        self._listings = listings
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self.add_options(options)
            # A brief just opened shows its first section (the judgments sit above it).
            first = next((n for n, x in enumerate(listings) if isinstance(x, SectionListing)), 0)
            self.highlighted = listings.index(keep) if keep in listings else first

    def _new_label(self, count: int, width: int) -> Text:
        text = label("New", count, width=width)
        if count:
            text.stylize("bold", 0, 3)
        return text

    def set_new_count(self, count: int | None) -> None:
        """Say how many passages are new, repainting that one line (a passage read every
        second or so must not repaint the pane over SSH)."""
        if count is None or self._new is None or NewListing() not in self._listings:
            return
        self._new = count
        index = self._listings.index(NewListing())
        w = max(8, (self.content_size.width or 23) - 1)
        self.get_option_at_index(index)._set_prompt(self._new_label(count, w))
        self._option_render_cache.clear()
        line = self._index_to_line.get(index)
        if line is not None and self.is_mounted:
            drop_stale_regions(self)
            self.refresh(Region(0, line - int(self.scroll_offset.y), self.size.width, 1))

    def _status_label(self, title: str, count: int, status: str, width: int) -> Text:
        """`○ Title 12`: the section's status as a glyph in the theme's colour (`empty` when
        the principal would read nothing there, whatever its status: as the export says)."""
        state = status
        glyph = STATUS_GLYPHS.get(state, "?")
        style = self.get_component_rich_style(f"sections--{state}", partial=True)
        text = Text(glyph + " ", style=style, no_wrap=True)
        text.append_text(label(title, count, width=width - 2))
        return text

    def select_listing(self, listing: Listing) -> None:
        if listing in self._listings:
            self.highlighted = self._listings.index(listing)

    @property
    def current_listing(self) -> Listing | None:
        if self.highlighted is None or not self._listings:
            return None
        return self._listings[min(self.highlighted, len(self._listings) - 1)]

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show_brief(*self._shown, new=self._new)

    def action_down(self) -> None:
        if self.highlighted is not None and self.highlighted < self.option_count - 1:
            self.highlighted += 1

    def action_up(self) -> None:
        if self.highlighted is not None and self.highlighted > 0:
            self.highlighted -= 1

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        listing = self.current_listing
        if listing is not None:
            self.post_message(self.ListingChosen(listing))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        listing = self.current_listing
        if listing is not None:
            self.post_message(self.Opened(listing))
