"""Errors a user can act on.

Every failure that a user can cause (a bad file, a corrupt book, an unknown id) is a
`BriefingError`; the CLI prints its message on one line and exits non-zero, the TUI shows
it as a notification. Anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class: the message is complete and fit to show a user."""

    exit_code = 1


class BookError(BriefingError):
    """The book cannot be read or written (corrupt, unreadable, locked)."""


class BookReadOnly(BookError):
    """The book may be read but not changed (a read-only folder or lock file)."""


class BookBusy(BookError):
    """Another process held the book's lock for too long."""


class NotFound(BriefingError):
    """An id (passage, brief, section, template, note) that does not exist."""


class TemplateError(BriefingError):
    """A brief template is invalid: the message names file, line and field."""


class ThemeError(BriefingError):
    """A theme file is invalid: the message names file and field."""


class ImportFailed(BriefingError):
    """One input could not be imported; the others go on."""


class UsageError(BriefingError):
    """The command line asks for something that cannot be done."""

    exit_code = 2
