"""Make untrusted text safe and tidy before it enters the book.

Imported text may carry terminal escape sequences (which would drive the user's terminal
when printed), control characters, odd encodings and layout whitespace. Everything that
enters the book passes through here once, so every later consumer can trust it.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes; plus their 8-bit C1 forms.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]            # CSI
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)       # OSC
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c)  # DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]                              # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 and C1 controls except tab and newline; also DEL, bidi overrides and isolates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")


def strip_unsafe(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep newlines and tabs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


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
