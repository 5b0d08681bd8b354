"""Typed modal dialogs: each is a `ModalScreen[T]` whose result type says what comes back.

Editing dialogs (`TextDialog`, `NoteDialog`) keep unsaved text as a draft in a `Drafts` store
the caller provides, instead of losing it on escape.
"""

from briefing.tui.dialogs.base import Dialog, Drafts, MemoryDrafts
from briefing.tui.dialogs.confirm import ChoiceDialog, ConfirmDialog
from briefing.tui.dialogs.notes import NoteAction, NoteDialog, NoteDraft, NotesDialog
from briefing.tui.dialogs.pick import PickDialog
from briefing.tui.dialogs.tags import TagDialog, TagEdit
from briefing.tui.dialogs.text import DraftDialog, InputDialog, TextDialog

__all__ = [
    "ChoiceDialog",
    "ConfirmDialog",
    "Dialog",
    "DraftDialog",
    "Drafts",
    "InputDialog",
    "MemoryDrafts",
    "NoteAction",
    "NoteDialog",
    "NoteDraft",
    "NotesDialog",
    "PickDialog",
    "TagDialog",
    "TagEdit",
    "TextDialog",
]
