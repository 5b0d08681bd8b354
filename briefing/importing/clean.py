"""Make untrusted text safe and tidy before it enters the book.

Imported text may carry terminal escape sequences (which would drive the user's terminal
when printed), control characters, odd encodings and layout whitespace. Everything that
enters the book passes through here once, so every later consumer can trust it.
"""

from __future__ import annotations

import re
import unicodedata

from briefing.sanitize import strip_unsafe

__all__ = ["clean", "decode", "is_blank", "looks_binary", "strip_unsafe", "tidy_line"]

_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")


def clean(text: str) -> str:
    """Safe + NFC; whitespace layout kept (for importers that read line structure)."""
    return unicodedata.normalize("NFC", strip_unsafe(text))


def tidy_line(text: str) -> str:
    """One paragraph on one line: runs of spaces, tabs and NBSP become one space."""
    return _INLINE_SPACE.sub(" ", clean(text).replace("\n", " ")).strip()


def is_blank(line: str) -> bool:
    """Blank, or holding only spaces/NBSP (the seed's separator lines)."""
    return not line.strip() and not _INLINE_SPACE.sub("", line).strip()


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: BOMs, then UTF-8, then Windows-1252, then Latin-1 (never fails).

    Returns (text, encoding). A Latin-1 file therefore imports as `café`, not `caf\\ufffd`.
    """
    boms = [
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ]
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    # Control bytes other than whitespace and ESC (escape codes are stripped, not refused).
    controls = sum(1 for b in head if b < 9 or (13 < b < 32 and b != 27))
    return bool(head) and (controls / len(head) > 0.05 or head.count(0) > 8)
