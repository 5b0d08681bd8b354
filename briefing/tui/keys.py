"""The one key table of the main screen, with ids the config's `keymap:` can remap.

Keys that later features use are reserved here already (`n`, `R`, `O`, `y`), so the footer, `?` and the conflict check know them from the start and
a user's keymap does not have to change when those features arrive. Keys that mean
something else on the sections pane (`a`, `J`/`K`) are one binding each: the action looks
at which pane has focus, so no widget binding shadows a screen key.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _key(
    key: str,
    action: str,
    description: str,
    id: str,
    tooltip: str,
    show: bool = True,
    display: str | None = None,
) -> Binding:
    return Binding(key, action, description, show=show, id=id, tooltip=tooltip, key_display=display)


MAIN_BINDINGS: list[BindingType] = [
    _key("q", "app.quit", "Quit", "quit", "Quit (everything is already saved)"),
    _key(
        "question_mark", "help", "Help", "help", "Every key, as your keymap has them", display="?"
    ),
    _key("tab", "pane(1)", "Next pane", "next_pane", "Next pane", show=False),
    _key("shift+tab", "pane(-1)", "Previous pane", "previous_pane", "Previous pane", show=False),
    _key(
        "slash",
        "search",
        "Search",
        "search",
        "Filter this list as you type: text, notes, tags",
        display="/",
    ),
    _key("t", "tag", "Tag", "tag", "Add or remove tags (on the marked passages, if any)"),
    _key(
        "a",
        "annotate",
        "Note",
        "annotate",
        "Write a note on the passage (on the sections pane: on the section)",
    ),
    _key("A", "notes", "Notes", "notes", "The passage's notes: enter edits, d deletes", show=False),
    _key(
        "asterisk", "key_point", "Key pt", "key_point", "Mark or unmark as a key point", display="*"
    ),
    _key("m", "move", "Move", "move", "Move to another section (the marked passages, if any)"),
    _key(
        "x", "take_out", "Take out", "take_out", "Take out of the brief (to Unsorted)", show=False
    ),
    _key(
        "X",
        "take_out_article",
        "Take out article",
        "take_out_article",
        "Take every passage of this passage's article out of the brief",
        show=False,
    ),
    _key(
        "o", "open_url", "Open", "open_url", "Open the passage's source in the browser", show=False
    ),
    _key(
        "J",
        "reorder(1)",
        "Down",
        "move_down",
        "Move down in its section (on the sections pane: the section)",
        show=False,
    ),
    _key(
        "K",
        "reorder(-1)",
        "Up",
        "move_up",
        "Move up in its section (on the sections pane: the section)",
        show=False,
    ),
    _key("u", "undo", "Undo", "undo", "Undo the last change (never another instance's)"),
    _key(
        "e",
        "export",
        "Export",
        "export",
        "Compile the brief: the principal's or the desk copy, Markdown, Word or PDF",
    ),
    _key("i", "import", "Import", "import", "Import a file or folder into this brief"),
    _key(
        "b", "switch_brief", "Brief", "switch_brief", "Switch brief, or create one from a template"
    ),
    _key("s", "summary", "Summary", "summary", "Edit the brief's summary (BLUF)"),
    _key("r", "toggle_reader", "Reader", "toggle_reader", "Show or hide the reader", show=False),
    _key(
        "escape",
        "back",
        "Back",
        "back",
        "Back; clear the search or the marks; cancel an import",
        show=False,
    ),
    _key(
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "command_palette",
        "Command palette: every action, and themes",
        show=False,
    ),
    _key(
        "w",
        "write",
        "Write",
        "write",
        "Write an item in this section (on a written item: edit it)",
        show=False,
    ),
    _key(
        "L",
        "link",
        "Link",
        "link_judgment",
        "Link the passage (or the marked ones) to a key judgment it supports",
        show=False,
    ),
    _key(
        "ctrl+e",
        "details",
        "Details",
        "details",
        "The brief's header: title, marking, meeting, purpose, drafter, contact, clearance",
        show=False,
    ),
    # Reserved for features on their way; each says so when pressed.
    _key(
        "S",
        "section_summary",
        "Section summary",
        "section_summary",
        "Edit the selected section's summary",
        show=False,
    ),
    _key(
        "c",
        "section_status",
        "Status",
        "section_status",
        "Cycle the section's status",
        show=False,
    ),
    _key(
        "D",
        "remove",
        "Remove",
        "remove",
        "Delete a written item; remove the article (Library) or the section (sections pane)",
        show=False,
    ),
    _key(
        "plus",
        "add_section",
        "Add section",
        "add_section",
        "Add a section to the brief",
        show=False,
        display="+",
    ),
    _key(
        "ctrl+r",
        "rename_section",
        "Rename",
        "rename_section",
        "Rename the selected section",
        show=False,
    ),
    _key(
        "n",
        "next_new",
        "Next new",
        "next_new",
        "Next new (unread) passage: in this list, then in New",
        show=False,
    ),
    _key(
        "N",
        "toggle_new",
        "Read/new",
        "toggle_new",
        "Mark the passage (or the marked ones) read, or new again",
        show=False,
    ),
    _key(
        "R",
        "refresh_feeds",
        "Refresh",
        "refresh_feeds",
        "Refresh every followed feed now (due ones refresh by themselves)",
        show=False,
    ),
    _key(
        "O",
        "overview",
        "Overview",
        "overview",
        "The brief at a glance: sections, sources, judgments, people, what is new",
        show=False,
    ),
    _key(
        "y",
        "copy",
        "Copy",
        "copy",
        "Copy the passage with its citation (OSC 52 in a terminal; the browser's clipboard)",
        show=False,
    ),
]

FOOTER_PRIORITY = [
    "tag",
    "annotate",
    "key_point",
    "move",
    "undo",
    "search",
    "export",
    "import",
    "switch_brief",
    "summary",
    "quit",
    "help",
]
"""What the footer shows first when 80 columns cannot hold every key (`?` always shows)."""
