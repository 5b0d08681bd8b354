"""Untrusted text made safe to print: no terminal escape sequences, no control characters.

A bottom-layer module because both ends need it: importing cleans what enters the book,
exporting (and the CLI and TUI) must never pass an escape sequence to a terminal or a file.

Three entry points:

- `strip_unsafe(text)`: the scanner. Removes escape sequences, C0/C1 controls (but newline
  and tab), DEL and the bidi overrides/isolates that can make text read differently from
  what it is. Linear in the length of the text, whatever the text (a regex with `.*?` up to a
  terminator was quadratic on unterminated sequences: 40 KB took 11 s).
- `clean_field(text)`: the one sanitiser for every string that *enters* the book (CLI
  arguments, fields of an imported brief): `strip_unsafe`, NFC, whitespace tidied, length
  capped.
- `safe_out(text)`: the second line of defence at *output*: whatever reaches a terminal or
  an exported file goes through it, even though the book should already be clean.
"""

from __future__ import annotations

import re
import unicodedata

# Every character that is not printed as is: C0 controls but tab and newline, DEL, C1
# controls (the 8-bit forms of ESC sequences: CSI U+009B, OSC U+009D, DCS U+0090, SOS
# U+0098, ST U+009C, PM U+009E, APC U+009F), bidi embeddings/overrides U+202A-202E and
# isolates U+2066-2069. Text between two of these is copied in one slice.
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same without ESC and the C1 introducers (CSI, OSC, DCS, SOS, PM, APC): characters that
# are dropped alone, so a run of them is dropped in one step.
_PLAIN_RUN = re.compile(
    r"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x8f\x91-\x97\x99-\x9a\x9c\u202a-\u202e\u2066-\u2069]+"
)

# CSI: parameter bytes 0x30-0x3F, then intermediate bytes 0x20-0x2F, then one final byte
# 0x40-0x7E. The two classes are disjoint, so the match never backtracks.
_CSI_BODY = re.compile(r"[0-?]*[ -/]*")
_CSI_FINAL = frozenset(chr(c) for c in range(0x40, 0x7F))
# nF/Fp/Fe/Fs escapes: ESC, intermediates 0x20-0x2F, one final byte 0x30-0x7E.
_ESC_INTERMEDIATE = re.compile(r"[ -/]*")
_ESC_FINAL = frozenset(chr(c) for c in range(0x30, 0x7F))

# Where a control string (OSC, DCS, SOS, PM, APC) can end: ST (ESC \ or U+009C), ESC (which
# in a terminal aborts the string and starts the next sequence), CAN/SUB (which abort it),
# the end of the line; and BEL for OSC (xterm's terminator).
_STRING_END = re.compile(r"[\x1b\x9c\x18\x1a\n]")
_OSC_END = re.compile(r"[\x07\x1b\x9c\x18\x1a\n]")

# The byte after ESC that opens a control string, and the 8-bit C1 forms of the same.
_ESC_STRING = frozenset("]PX^_")  # OSC, DCS, SOS, PM, APC
_C1_STRING = frozenset("\x9d\x90\x98\x9e\x9f")


def _span(pattern: re.Pattern[str], text: str, start: int) -> int:
    """End of the (possibly empty) run of `pattern` at `start`."""
    m = pattern.match(text, start)
    return m.end() if m else start


def _control_string_end(text: str, start: int, osc: bool) -> int:
    """Index just after a control string whose body starts at `start`.

    The string ends at its terminator (consumed), or before an ESC that is not ST (left for
    the scanner: it starts the next sequence), or at the end of the line (the newline is
    kept) or of the text. The end-of-line rule is a choice: a terminal would swallow
    everything up to a terminator however far, but an unterminated `ESC ]` in an article
    must cost at most its own line, not the rest of the article. One `search` forward, so
    the whole scan stays linear.
    """
    m = (_OSC_END if osc else _STRING_END).search(text, start)
    if m is None:
        return len(text)
    ch = m.group()
    if ch == "\n":
        return m.start()
    if ch == "\x1b":
        return m.start() + 2 if text.startswith("\\", m.start() + 1) else m.start()
    return m.end()  # BEL, ST (U+009C), CAN, SUB: dropped with the string


def strip_unsafe(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep newlines and tabs.

    A single pass: safe runs are copied in slices, and each sequence is skipped by looking
    only forward from where it starts, so the time is linear in `len(text)` for any input.
    Carriage returns become newlines (CRLF one newline). What is removed:

    - CSI (`ESC [` or U+009B) with its parameters and final byte (an unfinished CSI: what
      was read of it);
    - OSC (`ESC ]`, U+009D) and DCS/SOS/PM/APC (`ESC P X ^ _`, U+0090/98/9E/9F) with their
      string, up to the terminator or the end of the line, see `_control_string_end`;
    - other ESC sequences (`ESC` + intermediates + final), or a lone ESC;
    - every other C0/C1 control, DEL, and the bidi overrides and isolates.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    pos = 0
    n = len(text)
    while True:
        m = _SPECIAL.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        i = m.start()
        if i > pos:
            out.append(text[pos:i])
        ch = text[i]
        j = i + 1
        if ch == "\x1b":  # map ESC-introduced sequences onto their 8-bit form
            nxt = text[j] if j < n else ""
            if nxt == "[":
                ch, j = "\x9b", j + 1
            elif nxt and nxt in _ESC_STRING:
                ch, j = ("\x9d" if nxt == "]" else "\x90"), j + 1
            else:  # nF/Fp/Fe/Fs escape, or a lone ESC
                j = _span(_ESC_INTERMEDIATE, text, j)
                if j < n and text[j] in _ESC_FINAL:
                    j += 1
        if ch == "\x9b":  # CSI
            j = _span(_CSI_BODY, text, j)
            if j < n and text[j] in _CSI_FINAL:
                j += 1
        elif ch in _C1_STRING:
            j = _control_string_end(text, j, osc=ch == "\x9d")
        elif ch != "\x1b":  # any other special character: it and the run it starts
            j = _span(_PLAIN_RUN, text, i)
        pos = j
    return "".join(out)


def is_safe(text: str) -> bool:
    """True when the text holds no control character (tab and newline aside), no DEL and
    no bidi override: what an id given on the command line must be to be used as is."""
    return _SPECIAL.search(text) is None


FIELD_LIMIT = 2_000
"""Characters kept of a one-line field (a title, a tag, a name): far beyond any real one."""
TEXT_LIMIT = 200_000
"""Characters kept of a multi-line field (a note, a summary, a passage)."""


_LINE_BREAKS = {0x2028: "\n", 0x2029: "\n", 0x85: "\n"}


def clean_field(text: str, *, multiline: bool = False, limit: int | None = None) -> str:
    """The one sanitiser for a string that enters the book from outside.

    Escape sequences and controls are stripped (`strip_unsafe`) and the text is NFC, so what
    is stored can be printed anywhere and compares equal to what the importers store. A
    one-line field has every run of whitespace (newlines included) made one space; a
    multi-line one keeps its lines, loses trailing spaces on each and blank lines at either
    end. Both are cut at `limit` characters (default `FIELD_LIMIT` / `TEXT_LIMIT`) with an
    ellipsis: a field is a title or a note, not a place to store a megabyte.
    """
    # Undecodable bytes (argv and stdin keep them as lone surrogates) become U+FFFD: a
    # surrogate cannot be stored as UTF-8 at all.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    # Line and paragraph separators (and NEL) break a line, as a newline does; stripped as
    # controls they would glue the words on either side.
    text = text.translate(_LINE_BREAKS)
    text = unicodedata.normalize("NFC", strip_unsafe(text))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        text = text if text.strip() else ""
    else:
        text = " ".join(text.split())
    cap = limit if limit is not None else (TEXT_LIMIT if multiline else FIELD_LIMIT)
    if len(text) > cap:
        text = text[: max(cap - 1, 0)].rstrip() + "…"
    return text


def safe_out(text: object, *, one_line: bool = False) -> str:
    """Text fit for a terminal or an exported file: the last defence at every output.

    Book data is cleaned when it enters, but a book written by an older version, by hand or
    by another tool may not be; printing goes through here so that nothing in it can drive
    the terminal. `one_line` also folds newlines and tabs to spaces (a row of a listing).
    """
    out = strip_unsafe(str(text))
    if one_line:
        out = out.replace("\n", " ").replace("\t", " ")
    return out
