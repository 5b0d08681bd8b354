"""The flows behind the main screen's keys: which dialog opens, and what its typed result
becomes (a session call in a worker). Kept apart from the screen so it stays a router.

Each flow takes the screen; edits go through `screen.run_edit(call)`, so they are written
in a worker and come back as `EditApplied`. Moves and reorders are shown on the list at
once (`PassagesPane.remove_rows`/`move_row`) and taken back if the write fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from briefing.errors import BriefingError
from briefing.model import Section
from briefing.session import ArticleListing, SectionListing, TagsListing, UnsortedListing
from briefing.wording import plural

if TYPE_CHECKING:
    from briefing.analysis.annex import Entry
    from briefing.briefs import Item
    from briefing.editing import Applied
    from briefing.tui.dialogs import NoteAction, NoteDraft, TagEdit
    from briefing.tui.messages import FeedsRefreshed, ImportFinished
    from briefing.tui.screens.main import MainScreen

EditCall = Callable[[], "Applied | None"]
TAKE_OUT = "__unsorted__"


class SessionDrafts:
    """Drafts kept by the session (and in the book, so a crash or `ctrl+q` keeps them)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def get(self, key: str) -> str | None:
        return self.screen.session.drafts.get(key)

    def put(self, key: str, text: str) -> None:
        self.screen.session.drafts[key] = text
        self.screen.run_worker(self.screen.session.save_drafts, thread=True, group="drafts")

    def drop(self, key: str) -> None:
        if self.screen.session.drafts.pop(key, None) is not None:
            self.screen.run_worker(self.screen.session.save_drafts, thread=True, group="drafts")


def not_yet(screen: MainScreen, what: str) -> None:
    screen.notify(f"{what}: not in this version yet (the key is kept for it).", markup=False)


def _count(items: Sequence[object]) -> str:
    return "" if len(items) == 1 else f" ({plural(len(items), 'passage')})"


# -- tags, notes, key points -------------------------------------------------------------------


def tag(screen: MainScreen) -> None:
    from briefing.tui.dialogs import TagDialog

    items = screen.targets()
    if not items:
        return
    current = list(dict.fromkeys(t for i in items for t in i.state.tags))
    known = sorted(screen.session.tags)
    pids = [i.passage.id for i in items]

    def done(edit: TagEdit | None) -> None:
        if edit and (edit.add or edit.remove):
            screen.passages.clear_marks()
            screen.run_edit(lambda: screen.session.tag(pids, edit.add, edit.remove))

    screen.app.push_screen(TagDialog(current, known, title="Tags" + _count(items)), done)


def annotate(screen: MainScreen, note_id: str | None = None) -> None:
    from briefing.tui.dialogs import NoteDialog

    items = screen.targets()
    if not items:
        return
    item = items[0]
    pid = item.passage.id
    note = next((n for n in item.state.notes if n.id == note_id), None) if note_id else None

    def done(draft: NoteDraft | None) -> None:
        if draft is None:
            return
        kind = "comment" if draft.comment else "working"
        if note is not None:
            screen.run_edit(
                lambda: screen.session.edit_note(note.id, draft.text, draft.quote, kind)
            )
        else:
            screen.run_edit(lambda: screen.session.add_note(pid, draft.text, draft.quote, kind))

    screen.app.push_screen(
        NoteDialog(
            item.passage.text,
            note_text=note.text if note else "",
            quote=note.quote if note else "",
            drafts=SessionDrafts(screen),
            draft_key=f"note:{note.id}" if note else f"note:{pid}",
            title="Edit note" if note else "Note on this passage",
            comment=note is not None and note.kind == "comment",
        ),
        done,
    )


def notes(screen: MainScreen) -> None:
    from briefing.tui.dialogs import NotesDialog

    items = screen.targets()
    if not items:
        return
    item = items[0]
    if not item.state.notes:
        screen.notify("This passage has no notes yet: a writes one.")
        return
    rows = [
        (n.id, n.text, " · ".join(x for x in (n.author, n.created[:10]) if x))
        for n in item.state.notes
    ]

    def done(action: NoteAction | None) -> None:
        if action is None:
            return
        if action.kind == "edit":
            annotate(screen, action.note_id)
        else:
            screen.run_edit(lambda: screen.session.delete_note(action.note_id))
            screen.notify("Note deleted — u brings it back.")

    screen.app.push_screen(NotesDialog(rows, title="Notes on this passage"), done)


def key_point(screen: MainScreen) -> None:
    items = screen.targets()
    if items:
        screen.passages.clear_marks()
        screen.run_edit(lambda: screen.session.toggle_key_point(items))


# -- moving ------------------------------------------------------------------------------------------


def _require_brief(screen: MainScreen) -> bool:
    if screen.session.view is None:
        screen.notify("No brief yet: b creates one.", severity="warning")
        return False
    return True


def _after_move(screen: MainScreen, pids: list[str]) -> None:
    """Moved out of this section (or out of Unsorted): gone from the list at once. In an
    article's list, the Library and Tags they stay (patched when the write is done)."""
    if isinstance(screen.listing, SectionListing | UnsortedListing):
        screen.pane.remove_rows(set(pids))
        screen.show_reader(screen.passages.current)
    elif isinstance(screen.listing, ArticleListing | TagsListing) and len(pids) == 1:
        screen.passages.action_cursor_down()


def move(screen: MainScreen) -> None:
    from briefing.tui.dialogs import PickDialog

    items = screen.targets()
    if not items or not _require_brief(screen):
        return
    view = screen.session.view
    assert view is not None
    choices = [(s.section.id, s.section.title) for s in view.sections]
    if any(i.section_id for i in items):
        choices.append((TAKE_OUT, "Unsorted (take out of the brief's sections)"))
    pids = [i.passage.id for i in items]

    def done(value: str | None) -> None:
        if value is None:
            return
        target = "" if value == TAKE_OUT else value
        moving = [i.passage.id for i in items if (i.section_id or "") != target]
        if not moving:
            return
        screen.passages.clear_marks()
        _after_move(screen, moving)
        screen.run_edit(lambda: screen.session.move(moving, target))

    hint = "type to filter · enter moves · escape cancels"
    screen.app.push_screen(PickDialog("Move to section" + _count(pids), choices, hint), done)


def take_out(screen: MainScreen) -> None:
    items = [i for i in screen.targets() if i.section_id]
    if not items:
        if screen.targets(quiet=True):
            screen.notify("Not in a section of this brief: nothing to take out.")
        return
    pids = [i.passage.id for i in items]
    screen.passages.clear_marks()
    _after_move(screen, pids)
    screen.run_edit(lambda: screen.session.move(pids, ""))
    screen.notify(
        f"Took {plural(len(pids), 'passage')} out — u puts {'it' if len(pids) == 1 else 'them'} back."
    )


def take_out_article(screen: MainScreen) -> None:
    from briefing.tui.dialogs import ConfirmDialog

    items = screen.targets()
    if not items or not _require_brief(screen):
        return
    aid = items[0].passage.article_id
    view = screen.session.view
    assert view is not None
    pids = [i.passage.id for i in view.items() if i.passage.article_id == aid]
    if not pids:
        screen.notify("No passage of this article is in a section.")
        return
    title = items[0].article.title if items[0].article else aid

    def done(ok: bool | None) -> None:
        if ok:
            _after_move(screen, pids)
            screen.run_edit(lambda: screen.session.take_out_article(aid))

    screen.app.push_screen(
        ConfirmDialog(f"Take all {plural(len(pids), 'passage')} of “{title}” out of the brief?"),
        done,
    )


def reorder(screen: MainScreen, delta: int) -> None:
    items = screen.targets()
    if not items:
        return
    item = items[0]
    if not isinstance(screen.listing, SectionListing) or not item.section_id:
        screen.notify("J/K reorder passages within a section of the brief.", severity="warning")
        return
    rows = screen.pane.all_rows
    keys = [r.key for r in rows]
    i = keys.index(item.passage.id) if item.passage.id in keys else -1
    if not 0 <= i + delta < len(rows) or screen.pane.query_text:
        return
    screen.pane.move_row(item.passage.id, delta)
    screen.run_edit(lambda: screen.session.reorder(item.passage.id, delta))


# -- written items ---------------------------------------------------------------------------------


def write(screen: MainScreen) -> None:
    """`w`: on a written item, edit it; else write a new one at the end of this section."""
    from briefing.tui.dialogs import TextDialog

    current = screen.passages.current
    item = current.item if current else None
    if item is not None and item.is_written:
        item_id = item.passage.id

        def edited(text: str | None) -> None:
            if text is not None and text.strip():
                screen.run_edit(lambda: screen.session.edit_item(item_id, text))

        screen.app.push_screen(
            TextDialog(
                "Edit the written item",
                item.passage.text,
                drafts=SessionDrafts(screen),
                draft_key=f"item:{item_id}",
                hint="- and 1. lists, *em*, **strong**, https links",
            ),
            edited,
        )
        return
    if not isinstance(screen.listing, SectionListing) or screen.session.view is None:
        screen.notify("w writes in a section of the brief: choose one first.", severity="warning")
        return
    section_id = screen.listing.section_id
    section = screen.session.view.brief.section(section_id)
    title = section.title if section else section_id

    def done(text: str | None) -> None:
        if text is not None and text.strip():
            screen.run_edit(lambda: screen.session.write_item(section_id, text))

    screen.app.push_screen(
        TextDialog(
            f"Write in § {title}",
            "",
            drafts=SessionDrafts(screen),
            draft_key=f"write:{screen.session.brief_id}:{section_id}",
            hint="- and 1. lists, *em*, **strong**, https links",
        ),
        done,
    )


def remove(screen: MainScreen) -> None:
    """`D` on a written item deletes it (after a question; `u` brings it back)."""
    from briefing.tui.dialogs import ConfirmDialog

    current = screen.passages.current
    if current is not None and current.article is not None:
        remove_article(screen, current.article.id, current.article.title)
        return
    item = current.item if current else None
    if item is None or not item.is_written:
        screen.notify(
            "D deletes a written item, removes an article (in the Library) or, on the "
            "sections pane, a section. A passage: x takes it out of the brief.",
            markup=False,
        )
        return
    item_id = item.passage.id

    def done(ok: bool | None) -> None:
        if ok:
            screen.pane.remove_rows({item_id})
            screen.run_edit(lambda: screen.session.delete_item(item_id))
            screen.notify("Item deleted — u brings it back.")

    first = " ".join(item.passage.text.split())[:60]
    screen.app.push_screen(ConfirmDialog(f"Delete the written item “{first}”?"), done)


# -- key judgments -----------------------------------------------------------------------------------


def _judgment_choices(screen: MainScreen) -> list[tuple[str, str]]:
    view = screen.session.view
    return [(j.id, f"{j.likelihood} · {j.text[:70]}") for j in view.brief.judgments] if view else []


def judgment(screen: MainScreen) -> None:
    """`w` on the judgments: the text, then how likely, then how sure (each step shows the
    current value first: enter keeps it)."""
    from briefing.model import CONFIDENCES, LIKELIHOODS
    from briefing.tui.dialogs import PickDialog, TextDialog

    if not _require_brief(screen):
        return
    from briefing.tui.widgets.passage_list import PassageList

    view = screen.session.view
    current = screen.passages.current if isinstance(screen.focused, PassageList) else None
    old = view.brief.judgment(current.key) if view and current else None  # else a new one
    jid = old.id if old else None

    def save(text: str, likelihood: str, confidence: str) -> None:
        if jid is None:
            screen.run_edit(lambda: screen.session.add_judgment(text, likelihood, confidence))
        else:
            screen.run_edit(lambda: screen.session.edit_judgment(jid, text, likelihood, confidence))

    def texted(text: str | None) -> None:
        if text is None or not text.strip():
            return

        def liked(likelihood: str | None) -> None:
            if likelihood is None:
                return

            def sure(confidence: str | None) -> None:
                if confidence is not None:
                    save(text, likelihood, confidence)

            screen.app.push_screen(
                PickDialog(
                    "How sure is the desk? (sources and reasoning)",
                    [(c, c) for c in CONFIDENCES],
                    current=old.confidence if old else "moderate",
                ),
                sure,
            )

        screen.app.push_screen(
            PickDialog(
                "How likely? (the words of the ICD 203 scale)",
                [(w, w) for w in LIKELIHOODS],
                current=old.likelihood if old else "roughly even chance",
            ),
            liked,
        )

    screen.app.push_screen(
        TextDialog(
            "Edit the key judgment" if old else "A key judgment: what the desk judges",
            old.text if old else "",
            drafts=SessionDrafts(screen),
            draft_key=f"judgment:{screen.session.brief_id}:{jid or 'new'}",
            hint="then: how likely, how sure",
        ),
        texted,
    )


def delete_judgment(screen: MainScreen) -> None:
    from briefing.tui.dialogs import ConfirmDialog

    current = screen.passages.current
    view = screen.session.view
    old = view.brief.judgment(current.key) if view and current else None
    if old is None:
        return
    jid = old.id

    def done(ok: bool | None) -> None:
        if ok:
            screen.run_edit(lambda: screen.session.delete_judgment(jid))
            screen.notify("Judgment deleted — u brings it back.")

    first = " ".join(old.text.split())[:60]
    screen.app.push_screen(ConfirmDialog(f"Delete the judgment “{first}”?"), done)


def move_judgment(screen: MainScreen, delta: int) -> None:
    current = screen.passages.current
    if current is None or screen.pane.query_text:
        return
    rows = screen.pane.all_rows
    keys = [r.key for r in rows]
    i = keys.index(current.key) if current.key in keys else -1
    if not 0 <= i + delta < len(rows):
        return
    screen.pane.move_row(current.key, delta)
    jid = current.key
    screen.run_edit(lambda: screen.session.move_judgment(jid, delta))


def link_to_judgment(screen: MainScreen) -> None:
    """`L`: the passages support a judgment (chosen by typing a few of its words)."""
    from briefing.tui.dialogs import PickDialog

    items = [i for i in screen.targets() if not i.is_written]
    if not items:
        return
    choices = _judgment_choices(screen)
    if not choices:
        screen.notify(
            "No key judgments yet: choose Key judgments (top of the sections pane), w writes one.",
            severity="warning",
            markup=False,
        )
        return
    pids = [i.passage.id for i in items]

    def done(jid: str | None) -> None:
        if jid:
            screen.passages.clear_marks()
            screen.run_edit(lambda: screen.session.edit_judgment(jid, link=pids))
            screen.notify(f"Linked {plural(len(pids), 'passage')} to the judgment.", markup=False)

    screen.app.push_screen(PickDialog("Which judgment do they support?", choices), done)


# -- annex entries ------------------------------------------------------------------------------------


def _entry(screen: MainScreen) -> Entry | None:
    current = screen.passages.current
    return screen.entries.get(current.key) if current else None


def review(screen: MainScreen, status: str) -> None:
    """`*` confirms an entry (again: not reviewed), `D` drops it (again: back)."""
    from briefing.session import AnnexListing

    entry = _entry(screen)
    if entry is None or not isinstance(screen.listing, AnnexListing):
        return
    new = "" if entry.status == status else status
    annex, key = screen.listing.annex, entry.key
    screen.run_edit(lambda: screen.session.review(annex, key, status=new))
    said = {"confirmed": "Confirmed", "dropped": "Dropped", "": "Not reviewed"}[new]
    screen.notify(f"{said}: {entry.title} — u undoes.", markup=False)


def correct_entry(screen: MainScreen) -> None:
    """`w` on a person: correct the role (the rules' one is kept under it)."""
    from briefing.session import AnnexListing
    from briefing.tui.dialogs import InputDialog

    entry = _entry(screen)
    if entry is None or not isinstance(screen.listing, AnnexListing):
        return
    if entry.annex != "people":
        screen.notify("Only a person's role can be corrected; D drops a wrong entry.")
        return
    key = entry.key

    def done(role: str | None) -> None:
        if role is not None:
            screen.run_edit(lambda: screen.session.review("people", key, role=role.strip()))

    screen.app.push_screen(
        InputDialog(f"Role of {entry.title}", entry.detail, hint="empty: the rules' role"), done
    )


def merge_person(screen: MainScreen) -> None:
    """`m` on a person: the same person as another entry (spelt differently)."""
    from briefing.session import AnnexListing
    from briefing.tui.dialogs import PickDialog

    entry = _entry(screen)
    if entry is None or not isinstance(screen.listing, AnnexListing):
        return
    if entry.annex != "people":
        screen.notify("m merges people; D drops a wrong entry.")
        return
    others = [(e.key, e.title) for e in screen.entries.values() if e.key != entry.key]
    key = entry.key

    def done(into: str | None) -> None:
        if into:
            screen.run_edit(lambda: screen.session.review("people", key, into=into))
            screen.notify("Merged — u undoes.", markup=False)

    screen.app.push_screen(PickDialog(f"{entry.title} is the same person as…", others), done)


def remove_article(screen: MainScreen, article_id: str, title: str) -> None:
    """`D` on an article in the Library: out of the book and every brief, into the trash."""
    from briefing.tui.dialogs import ConfirmDialog

    def done(ok: bool | None) -> None:
        if ok:
            screen.pane.remove_rows({"a:" + article_id})
            screen.run_edit(lambda: screen.session.remove_articles([article_id]))
            screen.notify("Removed to the trash — u brings it back (or `briefing restore`).")

    screen.app.push_screen(
        ConfirmDialog(
            f"Remove “{title[:60]}” from the book? Its passages leave every brief; it is "
            "kept in the trash."
        ),
        done,
    )


# -- the brief -------------------------------------------------------------------------------------


def summary(screen: MainScreen) -> None:
    from briefing.tui.dialogs import TextDialog

    if not _require_brief(screen):
        return
    view = screen.session.view
    assert view is not None

    def done(text: str | None) -> None:
        if text is not None:
            screen.run_edit(lambda: screen.session.set_summary(text))

    screen.app.push_screen(
        TextDialog(
            "Summary (bottom line up front)",
            view.brief.summary,
            drafts=SessionDrafts(screen),
            draft_key=f"summary:{view.brief.id}",
        ),
        done,
    )


DETAIL_FIELDS = (
    "title",
    "subtitle",
    "marking",
    "meeting",
    "purpose",
    "drafter",
    "contact",
    "clearance",
)


def details(screen: MainScreen) -> None:
    """The brief's header fields as `field: value` lines, edited in one go."""
    from briefing.tui.dialogs import TextDialog

    if not _require_brief(screen):
        return
    view = screen.session.view
    assert view is not None
    b = view.brief
    current = {
        f: (
            b.details.get(f, "")
            if f in b.details or f not in ("title", "subtitle", "marking")
            else ""
        )
        for f in DETAIL_FIELDS
    }
    for f in ("title", "subtitle", "marking"):
        current[f] = str(getattr(b, f))
    text = "\n".join(f"{f}: {current[f]}" for f in DETAIL_FIELDS)

    def done(value: str | None) -> None:
        if value is None:
            return
        values: dict[str, str] = {}
        unknown = []
        for line in value.splitlines():
            if not line.strip():
                continue
            key, sep, rest = line.partition(":")
            key = key.strip().lower()
            if not sep or key not in DETAIL_FIELDS:
                unknown.append(key or line.strip())
                continue
            values[key] = rest.strip()
        if unknown:
            screen.notify(
                f"Not a field: {', '.join(unknown[:3])} (fields: {', '.join(DETAIL_FIELDS)})",
                severity="warning",
                markup=False,
            )
        screen.run_edit(lambda: screen.session.set_details(values))

    screen.app.push_screen(
        TextDialog(
            "Brief details (field: value — shown in the header of the export)",
            text,
            drafts=SessionDrafts(screen),
            draft_key=f"details:{b.id}",
            hint="meeting date, purpose, drafter, contact, clearance · an empty value clears it",
        ),
        done,
    )


# -- sections ----------------------------------------------------------------------------------------


def _current_section(screen: MainScreen) -> Section | None:
    """The section the sections pane (or the passage list) is on."""
    view = screen.session.view
    listing = screen.sections.current_listing if screen.sections.has_focus else screen.listing
    if view is None or not isinstance(listing, SectionListing):
        screen.notify("Choose a section of the brief first.", severity="warning")
        return None
    return view.brief.section(listing.section_id)


def section_summary(screen: MainScreen) -> None:
    from briefing.tui.dialogs import TextDialog

    section = _current_section(screen)
    if section is None:
        return
    sid = section.id

    def done(text: str | None) -> None:
        if text is not None:
            screen.run_edit(lambda: screen.session.set_summary(text, sid))

    screen.app.push_screen(
        TextDialog(
            f"Summary of § {section.title}",
            section.summary,
            drafts=SessionDrafts(screen),
            draft_key=f"section-summary:{screen.session.brief_id}:{sid}",
            hint="- and 1. lists, *em*, **strong**, https links",
        ),
        done,
    )


def section_note(screen: MainScreen) -> None:
    """`a` on the sections pane: a working note (desk) or, with ctrl+t, a comment."""
    from briefing.tui.dialogs import NoteDialog

    section = _current_section(screen)
    if section is None:
        return
    sid = section.id

    def done(draft: NoteDraft | None) -> None:
        if draft is not None:
            kind = "comment" if draft.comment else "working"
            screen.run_edit(lambda: screen.session.add_section_note(sid, draft.text, kind))

    screen.app.push_screen(
        NoteDialog(
            f"§ {section.title}\n{section.summary}".strip(),
            drafts=SessionDrafts(screen),
            draft_key=f"section-note:{screen.session.brief_id}:{sid}",
            title=f"Note on § {section.title}",
        ),
        done,
    )


def section_status(screen: MainScreen) -> None:
    section = _current_section(screen)
    if section is not None:
        sid = section.id
        screen.run_edit(lambda: screen.session.cycle_status(sid))


def add_section(screen: MainScreen) -> None:
    from briefing.tui.dialogs import InputDialog

    if not _require_brief(screen):
        return
    from briefing.briefs import slugify

    def done(title: str | None) -> None:
        if title and title.strip():
            view = screen.session.view
            assert view is not None
            base = slugify(title)[:40]
            sid, n = base, 2
            while view.brief.section(sid) is not None:
                sid, n = f"{base}-{n}", n + 1
            listing = screen.sections.current_listing
            index = None
            if isinstance(listing, SectionListing):
                ids = [s.id for s in view.brief.sections]
                index = ids.index(listing.section_id) + 1 if listing.section_id in ids else None
            screen.run_edit(lambda: screen.session.add_section(sid, title.strip(), index))

    screen.app.push_screen(
        InputDialog("Title of the new section", "", hint="added after the current section"),
        done,
    )


def rename_section(screen: MainScreen) -> None:
    from briefing.tui.dialogs import InputDialog

    section = _current_section(screen)
    if section is None:
        return
    sid = section.id

    def done(title: str | None) -> None:
        if title and title.strip() and title.strip() != section.title:
            screen.run_edit(lambda: screen.session.set_field("title", title, sid))

    screen.app.push_screen(InputDialog("Rename the section", section.title), done)


def remove_section(screen: MainScreen) -> None:
    from briefing.tui.dialogs import ConfirmDialog

    section = _current_section(screen)
    if section is None:
        return
    sid = section.id
    view = screen.session.view
    n = next((len(sv.items) for sv in view.sections if sv.section.id == sid), 0) if view else 0

    def done(ok: bool | None) -> None:
        if ok:
            screen.run_edit(lambda: screen.session.remove_section(sid))
            screen.notify("Section removed — u brings it back.")

    what = f"its {plural(n, 'passage')} go to Unsorted" if n else "it is empty"
    screen.app.push_screen(
        ConfirmDialog(f"Remove the section “{section.title}” from this brief? ({what})"), done
    )


def move_section(screen: MainScreen, delta: int) -> None:
    section = _current_section(screen)
    view = screen.session.view
    if section is None or view is None:
        return
    ids = [s.id for s in view.brief.sections]
    position = ids.index(section.id) + delta
    if 0 <= position < len(ids):
        sid = section.id
        screen.run_edit(lambda: screen.session.move_section(sid, position))


def switch_brief(screen: MainScreen) -> None:
    from briefing.templates import load_templates
    from briefing.tui.dialogs import PickDialog

    choices = [(b.id, f"{b.title}  ({b.id})") for b in screen.session.book.briefs()]
    templates, _ = load_templates()
    choices += [
        (f"new:{t.id}", f"New brief from template: {t.title} ({t.id})") for t in templates.values()
    ]

    def done(value: str | None) -> None:
        if value is None:
            return
        if value.startswith("new:"):
            new_brief(screen, value[4:])
        else:
            screen.listing = None
            screen.load_brief(value, first=True)

    screen.app.push_screen(
        PickDialog("Switch brief", choices, "enter opens · escape cancels"), done
    )


def new_brief(screen: MainScreen, template_id: str) -> None:
    from briefing.tui.dialogs import InputDialog

    def done(title: str | None) -> None:
        if title and title.strip():
            screen.listing = None
            screen.run_worker(lambda: _create(screen, template_id, title.strip()), thread=True)

    screen.app.push_screen(InputDialog("Title of the new brief", "", hint="enter creates"), done)


def _create(screen: MainScreen, template_id: str, title: str) -> None:
    from briefing.tui.messages import BriefLoaded

    try:
        view = screen.session.create_brief(template_id, title)
    except BriefingError as exc:
        screen.app.call_from_thread(screen.notify, str(exc), severity="error", markup=False)
        return
    screen.post_message(BriefLoaded(view, dict(screen.session.tags), first=True))


# -- import and export ---------------------------------------------------------------------------------


def import_dialog(screen: MainScreen) -> None:
    from briefing.tui.dialogs import InputDialog

    if screen.importing is not None:
        screen.notify("An import is running: escape cancels it.", severity="warning")
        return

    def done(value: str | None) -> None:
        if value and value.strip():
            screen.run_import(value.strip())

    bid = screen.session.brief_id
    screen.app.push_screen(
        InputDialog(
            "Import a file, folder or URL" + (f" into {bid}" if bid else ""),
            os.getcwd() + os.sep,
            hint="text, Markdown, HTML, RSS/Atom/JSON feeds; folders recursively; "
            "http(s) pages and feeds · enter imports",
        ),
        done,
    )


def ask_cancel_import(screen: MainScreen) -> None:
    from briefing.tui.dialogs import ConfirmDialog

    def done(ok: bool | None) -> None:
        worker = screen.importing
        if ok and worker is not None:
            worker.cancel()
            screen.notify("Stopping the import (what is imported so far stays)…")

    screen.app.push_screen(ConfirmDialog("Cancel the running import?"), done)


def report_import(screen: MainScreen, message: ImportFinished) -> None:
    if message.cancelled or message.report is None:
        screen.notify("Import cancelled; what was imported before stays in the book.")
        return
    report = message.report
    line = report.summary(message.brief_id)
    screen.notify(line[0].upper() + line[1:], markup=False)
    if report.failed:
        lines = "\n".join(f"{Path(name).name}: {why}" for name, why in report.failed[:8])
        more = f"\n… and {len(report.failed) - 8} more" if len(report.failed) > 8 else ""
        screen.notify(
            lines + more,
            title=f"{len(report.failed)} failed",
            severity="warning",
            markup=False,
            timeout=10,
        )


def report_refresh(screen: MainScreen, message: FeedsRefreshed) -> None:
    """What a refresh brought: always after R; after the timer's, only when something came."""
    if message.error:
        screen.notify(f"Feeds: {message.error}", severity="error", markup=False, timeout=8)
        return
    for line in message.warnings[:3]:
        screen.notify(line, severity="warning", markup=False, timeout=10)
    results = message.results
    articles = sum(r.added for r in results)
    dropped = sum(r.dropped for r in results)
    passages = max(0, len(screen.session.new) - message.new_before)
    failed = [r for r in results if r.error]
    if articles:
        feeds = sum(1 for r in results if r.added)
        screen.notify(
            f"{plural(articles, 'new article')} ({plural(passages, 'new passage')}) from "
            f"{plural(feeds, 'feed')}: n goes to them.",
            markup=False,
        )
    elif message.asked:
        screen.notify(f"Nothing new in {plural(len(results), 'feed')}.", markup=False)
    if dropped and message.asked:
        screen.notify(f"{plural(dropped, 'item')} left out by the drop rules.", markup=False)
    if failed and message.asked:
        lines = "\n".join(f"{r.url}: {r.error}" for r in failed[:6])
        more = f"\n… and {len(failed) - 6} more" if len(failed) > 6 else ""
        screen.notify(
            lines + more,
            title=f"{plural(len(failed), 'feed')} failed",
            severity="warning",
            markup=False,
            timeout=10,
        )


def export_dialog(screen: MainScreen) -> None:
    """Which copy (the last one chosen is offered on enter), then where."""
    from briefing.tui.dialogs import ChoiceDialog

    view = screen.session.view
    if view is None:
        screen.notify("No brief to export yet.", severity="warning")
        return
    last = screen.session.export_copy
    choices = [
        ("enter", last, f"the {last} copy again"),
        ("p", "principal", "principal's copy: the brief as the reader gets it"),
        ("d", "desk", "desk copy: with working notes, tags and passage ids"),
    ]

    def chosen(copy: str | None) -> None:
        if copy is not None:
            screen.session.export_copy = copy
            screen.run_worker(
                screen.session.save_settings, thread=True, group="settings", exit_on_error=False
            )
            export_path_dialog(screen, copy)

    screen.app.push_screen(ChoiceDialog("Export which copy?", choices), chosen)


def export_path_dialog(screen: MainScreen, copy: str) -> None:
    from briefing.tui.dialogs import ConfirmDialog, InputDialog

    view = screen.session.view
    assert view is not None
    name = f"{view.brief.id}.md" if copy == "principal" else f"{view.brief.id}-desk.md"
    if screen.app.is_web:
        # In a browser the file is the reader's, not the server's: a name, then a download.

        def named(value: str | None) -> None:
            if value and value.strip():
                screen.run_download(Path(value.strip()).name, copy)

        screen.app.push_screen(
            InputDialog(
                f"Download the {copy} copy",
                name,
                hint="the name says the format: .md, .docx (Word), .pdf, .json · enter "
                "downloads · escape cancels",
            ),
            named,
        )
        return
    default = os.path.join(os.getcwd(), name)

    def done(value: str | None) -> None:
        if not value or not value.strip():
            return
        path = Path(value.strip()).expanduser()
        if path.is_dir():
            path = path / name
        if path.exists():

            def confirmed(ok: bool | None) -> None:
                if ok:
                    screen.run_export(path, copy)

            screen.app.push_screen(
                ConfirmDialog(f"{path} exists. Overwrite it? (the old one is kept as .bak)"),
                confirmed,
            )
        else:
            screen.run_export(path, copy)

    screen.app.push_screen(
        InputDialog(
            f"Export the {copy} copy",
            default,
            hint="the name says the format: .md, .docx (Word), .pdf, .json · enter writes · "
            "escape cancels",
        ),
        done,
    )


# -- copying -----------------------------------------------------------------------------------------


def citation_text(item: Item) -> str:
    """`“…” — TASS, 26 May 2025`: what `y` puts on the clipboard."""
    import datetime as dt

    # Quotation marks inside the quote become single ones: “… ‘Mir’ bank cards.”
    text = " ".join(item.passage.text.split())
    text = text.replace("“", "‘").replace("”", "’")
    if text.count('"') % 2 == 0 and '"' in text:
        text = re.sub(r'"([^"]*)"', r"‘\1’", text)
    a = item.article
    if a is None:
        return text
    parts = [a.source or a.publisher or a.title]
    if a.published:
        try:
            day = dt.date.fromisoformat(a.published[:10])
            parts.append(f"{day.day} {day:%B %Y}")
        except ValueError:
            parts.append(a.published)
    return f"“{text}” — {', '.join(p for p in parts if p)}"


def copy_with_citation(screen: MainScreen) -> None:
    """`y`: the passage and its citation to the clipboard — only ever on this key, never
    because of anything in an article (OSC 52 in a terminal, over SSH too; the browser's
    clipboard when served)."""
    from briefing.sanitize import strip_unsafe

    items = screen.targets()
    if not items:
        return
    text = "\n\n".join(strip_unsafe(citation_text(i)) for i in items)
    screen.app.copy_to_clipboard(text)
    what = "passage" if len(items) == 1 else f"{len(items)} passages"
    screen.notify(f"Copied the {what} with its citation.", markup=False)


# -- the source URL ----------------------------------------------------------------------------------

_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f]+$")


def safe_url(url: str) -> str | None:
    """The URL if it is http(s) with no control characters or spaces; else None."""
    url = url.strip()
    return url if _SAFE_URL.match(url) else None


def open_url(screen: MainScreen) -> None:
    items = screen.targets()
    if not items:
        return
    article = items[0].article
    url = safe_url(article.url) if article and article.url else None
    if url is None:
        screen.notify("This passage's article has no web address to open.", severity="warning")
        return
    link = Text("↗ ", style="bold")
    link.append(url, style=Style(link=url, underline=True))
    screen.status.show_text(link)
    browser = os.environ.get("BROWSER", "").split(os.pathsep)[0].strip()
    argv = browser.split() if browser else []
    if argv and shutil.which(argv[0]):
        try:
            subprocess.Popen(  # never through a shell: the URL is one argument
                [*argv, url],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            screen.notify(f"{argv[0]}: {exc.strerror}", severity="error", markup=False)
            return
        screen.notify(f"Opened in {argv[0]}.", markup=False)
    else:
        screen.notify("The link is in the status line ($BROWSER is not set).", markup=False)


# -- help ----------------------------------------------------------------------------------------------


def show_help(screen: MainScreen) -> None:
    """Our keys, in the order of the key table, as the keymap has them now."""
    from textual.binding import Binding

    from briefing.tui.screens.help import HelpScreen

    keys: dict[str, list[str]] = {}
    for active in screen.app.active_bindings.values():
        b = active.binding
        if b.id:
            keys.setdefault(b.id, []).append(screen.app.get_key_display(b))
    rows = [
        (
            " / ".join(keys.get(b.id) or [screen.app.get_key_display(b)]),
            b.tooltip or b.description,
        )
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.id
    ]
    rows += [
        ("j / k, ↓ / ↑", "Move (in the reader: scroll)"),
        ("space", "Mark a passage (t, *, m, x then act on every marked one)"),
        ("enter", "Open: a section's passages, an article, the reader"),
    ]
    screen.app.push_screen(HelpScreen(rows))
