"""Make untrusted text safe and tidy before it enters the book.

Imported text may carry terminal escape sequences (which would drive the user's terminal
when printed), control characters, odd encodings and layout whitespace. Everything that
enters the book passes through here once, so every later consumer can trust it.

Sizes are bounded here too (`split_long`, `headline_of`): a passage or a title of megabytes
is safe text that no screen can lay out in time.
"""

from __future__ import annotations

import re
import unicodedata

from briefing.sanitize import strip_unsafe

__all__ = [
    "clean",
    "decode",
    "headline_of",
    "is_blank",
    "looks_binary",
    "split_long",
    "strip_unsafe",
    "tidy_line",
]

_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")
_CHANGED_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]{2,}|[\t\u00a0\u2007\u202f\u3000]")
"""The runs of `_INLINE_SPACE` that are not already one space: replacing only those gives
the same text, without a replacement per word (most of the time of an import went there)."""
_UNTIDY = re.compile(r"[\x00-\x1f\x7f-\x9f\u00a0\u2007\u202f\u3000\u202a-\u202e\u2066-\u2069]")
"""A character `tidy_line` may change (controls, newlines, tabs, special spaces, bidi
controls); with no double space, no space at either end and NFC text, nothing changes."""


def clean(text: str) -> str:
    """Safe + NFC; whitespace layout kept (for importers that read line structure)."""
    return unicodedata.normalize("NFC", strip_unsafe(text))


def tidy_line(text: str) -> str:
    """One paragraph on one line: runs of spaces, tabs and NBSP become one space."""
    if (
        text.isprintable()  # none of `_UNTIDY` (C-fast; false for more, which is only slower)
        and "  " not in text
        and text == text.strip()
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text  # already tidy (the second call on a passage, and most first ones)
    return _CHANGED_SPACE.sub(" ", clean(text).replace("\n", " ")).strip()


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


# -- sizes ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*\s+")
_SPACE = re.compile(r"\s+")


def _no_split_before(text: str, i: int) -> bool:
    """True where cutting before `text[i]` would tear a character from its marks (an accent,
    a variation selector, a zero-width joiner and what it joins)."""
    ch = text[i]
    return (
        unicodedata.combining(ch) != 0
        or ch in "\u200d\ufe0e\ufe0f"
        or (i > 0 and text[i - 1] == "\u200d")
    )


def split_long(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut after a sentence where one ends in
    the second half of the window, else at the last whitespace, and only mid-word when a
    whole window holds no whitespace at all (one huge token)."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        window = text[start:end]
        cut = 0
        for m in _SENTENCE_END.finditer(window, limit // 2):
            cut = m.end()
        if not cut:
            spaces = [m.start() for m in _SPACE.finditer(window, 1)]
            cut = spaces[-1] if spaces else 0
        if not cut:  # no whitespace in a whole window: cut mid-token, never mid-character
            cut = limit
            while cut > 1 and _no_split_before(text, start + cut):
                cut -= 1
        piece = text[start : start + cut].strip()
        if piece:
            out.append(piece)
        start += cut
        while start < len(text) and text[start].isspace():
            start += 1
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def headline_of(text: str, limit: int = 120) -> str:
    """A title made from body text: its first sentence when that is short, else its start
    cut at a word with `…` (a one-paragraph flash has no headline of its own)."""
    text = tidy_line(text)
    m = _SENTENCE_END.search(text + " ")
    first = text[: m.end()].strip() if m else text
    if len(first) <= limit:
        return first
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-—") + "…"
