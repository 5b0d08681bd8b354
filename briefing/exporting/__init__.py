"""Compile a brief: Markdown for people, JSON for tools."""

from __future__ import annotations

import datetime as dt
import os
import re

from briefing.errors import UsageError


def compile_date(explicit: str | None = None) -> dt.date:
    """`--date`, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    if explicit:
        try:
            return dt.date.fromisoformat(explicit)
        except ValueError:
            raise UsageError(f"--date {explicit!r}: use YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and re.fullmatch(r"\d+", epoch):
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()
