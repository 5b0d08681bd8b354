"""Plain text in the wire-story layout of the seed.

Headline
26 May                         <- date line: year inferred from the text
Lede paragraph ...
(lines of spaces/NBSP)         <- paragraph separators
Focus on Ukraine               <- short line, no closing punctuation: a subheading
...
GSV "Russia - Islamic World"   <- credit trailer: publisher, photo credit, source
Photo: ...
Based on materials from TASS
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.importing.clean import clean, headline_of, is_blank, tidy_line
from briefing.model import ParsedArticle

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
} | {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "okt": 10,
    "dezember": 12,
    "dez": 12,
}
"""English and German month names: the pages people import are mostly in one or the other."""
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})\s+({_MONTH})\.?(?:,?\s+(\d{{4}}))?$", re.I)
_MONTH_DAY = re.compile(rf"^({_MONTH})\.?\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")

_WEEKDAY = (
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|(?:mon|diens|mittw|donners|frei|sams|sonn)tag)"
    r"\.?,?\s+"
)
_CLOCK = (
    r"(?:\s*(?:[,.|–-]|at|um)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"\s*(?:[ap]\.?\s?m\.?|uhr|h)?(?:\s*\(?(?:[a-z]{2,5})?[+-]?\d{0,2}:?\d{0,2}\)?)?)?"
)
_WRITTEN_DATE = re.compile(
    rf"""^(?:{_WEEKDAY})?(?:
        (?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>\d{{4}})
      | (?P<y2>\d{{4}})-(?P<m2>\d{{2}})-(?P<d2>\d{{2}})
        (?:[T\s]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?Z?
      | (?P<a3>\d{{1,2}})/(?P<b3>\d{{1,2}})/(?P<y3>\d{{4}})
      | (?P<d4>\d{{1,2}})\.?\s+(?P<m4>{_MONTH})\.?,?\s+(?P<y4>\d{{4}})
      | (?P<m5>{_MONTH})\.?\s+(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y5>\d{{4}})
    ){_CLOCK}\s*\.?$""",
    re.I | re.X,
)
_CLOSING = tuple(".!?,;:…\"”’'»)]")

# Credit lines, recognised only in the trailing run of short paragraphs.
_CREDIT_SOURCE = re.compile(
    r"^(?:based on (?:materials|reporting|reports) (?:from|by|of)|source:|sources:|via)\s+(.+?)\.?$",
    re.I,
)
_CREDIT_PHOTO = re.compile(
    r"^(?:photo|photos|image|images|picture|pictures|photo credit|cover photo)\b\s*[:—-]\s*(.+)$",
    re.I,
)
_CREDIT_PUBLISHER = re.compile(r"^[A-ZА-Я]{2,6}\s+[\"“«].+[\"”»]$")
_CREDIT_OTHER = re.compile(r"^(?:text|author|editor|edited by|translated by)\s*:\s*.+$", re.I)


def parse_date(line: str, text: str, today: dt.date | None = None) -> tuple[str, bool] | None:
    """A date line: `26 May`, `May 26, 2025`, `2025-05-26`. Returns (iso, inferred)."""
    line = line.strip()
    today = today or dt.date.today()
    m = _ISO.match(line)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), False
        except ValueError:
            return None
    m = _DAY_MONTH.match(line)
    if m:
        day, month, year = int(m[1]), MONTHS[m[2].lower()], m[3]
    else:
        m = _MONTH_DAY.match(line)
        if not m:
            return None
        month, day, year = MONTHS[m[1].lower()], int(m[2]), m[3]
    if year:
        try:
            return dt.date(int(year), month, day).isoformat(), False
        except ValueError:
            return None
    return infer_year(month, day, text, today), True


def parse_written_date(text: str) -> str | None:
    """The ISO date of a text that is one full date with its year (and maybe a weekday and a
    clock time), else None: `10.06.2013`, `June 13, 2019`, `Thursday, April 21, 2022. 10:11
    pm CST`, `2023-01-16T16:30:41-08:00`. A slashed date counts only when its order is
    unambiguous, since `03/01/2020` is March in one country and January in another."""
    m = _WRITTEN_DATE.match(text.strip())
    if not m:
        return None
    g = m.groupdict()
    if g["y1"]:
        y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
    elif g["y2"]:
        y, mo, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
    elif g["y3"]:
        a, b = int(g["a3"]), int(g["b3"])
        if (a > 12) == (b > 12) and a != b:
            return None
        y, mo, d = int(g["y3"]), min(a, b), max(a, b)
    elif g["y4"]:
        y, mo, d = int(g["y4"]), MONTHS[g["m4"].lower()], int(g["d4"])
    else:
        y, mo, d = int(g["y5"]), MONTHS[g["m5"].lower()], int(g["d5"])
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def infer_year(month: int, day: int, text: str, today: dt.date) -> str:
    """The newest year the text mentions that does not put the date in the future."""
    mentioned = {int(y) for y in _YEAR.findall(text)}
    years = sorted(mentioned or {today.year}, reverse=True)
    for year in years:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate.isoformat()
    return dt.date(today.year - 1, month, min(day, 28)).isoformat()


def split_paragraphs(text: str) -> list[str]:
    """Blocks separated by blank (or NBSP-only) lines; if there are none, one per line."""
    lines = clean(text).split("\n")
    if not any(is_blank(line) for line in lines if line != ""):
        has_blank = any(line == "" for line in lines[1:-1])
        if not has_blank:
            return [t for t in (tidy_line(line) for line in lines) if t]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if is_blank(line):
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [t for t in (tidy_line(" ".join(b)) for b in blocks if b) if t]


def is_subheading(par: str) -> bool:
    words = par.split()
    return 0 < len(words) <= 10 and len(par) <= 80 and not par.endswith(_CLOSING)


def split_trailer(pars: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take the credit lines off the end; return the rest and what they said."""
    meta: dict[str, str] = {}
    end = len(pars)
    while end > 0:
        par = pars[end - 1]
        if len(par) > 120:
            break
        if m := _CREDIT_SOURCE.match(par):
            meta.setdefault("source", m[1].strip())
        elif m := _CREDIT_PHOTO.match(par):
            meta.setdefault("photo_credit", m[1].strip())
        elif _CREDIT_PUBLISHER.match(par):
            meta.setdefault("publisher", par)
        elif _CREDIT_OTHER.match(par):
            pass
        else:
            break
        end -= 1
    return pars[:end], meta


HEADLINE_MAX = 300
"""A first paragraph longer than this is body text, not a headline."""


def parse_text(text: str, origin: str = "", today: dt.date | None = None) -> ParsedArticle:
    """The wire layout above. A flash (one paragraph, or a first paragraph too long to be a
    headline) keeps all its text as passages and takes its title from its first sentence."""
    pars = split_paragraphs(text)
    if not pars:
        raise ValueError("no text")
    if len(pars[0]) > HEADLINE_MAX:
        title, rest = headline_of(pars[0]), pars
    else:
        title, rest = pars[0], pars[1:]
    published, inferred = None, False
    if rest and (d := parse_date(rest[0], text, today)):
        published, inferred = d
        rest = rest[1:]
    rest, meta = split_trailer(rest)
    paragraphs: list[tuple[str, str]] = []
    heading = ""
    for i, par in enumerate(rest):
        following = i + 1 < len(rest)
        if following and is_subheading(par) and i > 0:
            heading = par
            continue
        paragraphs.append((heading, par))
    if not paragraphs:
        # A one-paragraph flash (or a headline with only a date or credits under it): the
        # paragraph is both the story and, from its first sentence, the title.
        paragraphs = [("", pars[0])]
        title = headline_of(pars[0])
    return ParsedArticle(
        title=title,
        paragraphs=paragraphs,
        source=meta.get("source", ""),
        publisher=meta.get("publisher", ""),
        photo_credit=meta.get("photo_credit", ""),
        published=published,
        published_inferred=inferred,
        format="text",
        origin=origin,
    )
