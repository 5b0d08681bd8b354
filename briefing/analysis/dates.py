"""A chronology: the dates a brief's passages mention, each resolved to a sortable day,
month, year or range, and linked to its passage.

English news prose only, by rule (stdlib regexes): no model, and no date library, because
what a desk needs is precision and a year it can trust, not recall of every fuzzy phrase.
dateparser's `search_dates` (installed here with trafilatura) reads "You may 2 or 3 times a
week" as 2 May and "a week", and "on May 25–27" as 25 May 2027, and costs ~150 ms to import;
these rules stay with the shapes a news story uses and say what they did with each.

What is read
    "May 16", "May 16, 2025", "May 25–27", "May 30–June 2", "16 May", "the 16th of May",
    "25–27 May 2025", "Sunday, May 25", "April 2025", "2025-05-16", "16/05/2025" (only when
    the order is unambiguous), "in April" / "by June" (a full month name after a preposition:
    "May" alone is a verb too often), "in 2024" / "in early 2024" / "by 2030" (a year after a
    preposition and before a function word or punctuation, so "in 2024 elections" or "in 1500
    cases" are not years), "2019–2021". "since 2022" and "since March" are left out: they
    are reference points, not events ("the first talks since 2022" happened now, not then).

Relative dates, only with the article's full date to count from
    "yesterday", "tomorrow", "last/next week" (the Monday-to-Sunday week before or after the
    article's), "last/next month", "last/next year", "last/next/this May". A weekday ("on
    Sunday", "said Tuesday") is read when the tense of the words nearest to it is clear:
    past looks back 0-6 days (a story says "on Monday" of its own day), future looks ahead
    1-7 days; with no clear tense, or a modal ("must", "could"), it is left out, as is
    "tomorrow" outside a future sentence ("could change tomorrow"). "over the last week"
    (the past seven days) is not "last week", and "today", "this week/year" and "two weeks
    ago" are left out as too loose to place. Without the article's date all of these are
    left out.

Years, never invented
    A year written with the date wins. Else a year that anchors the sentence before it ("In
    2024, … in May"; "by 2030" or "until 2020" anchor nothing), or the year of the date it is
    joined to ("May 3 and June 5, 2024").
    Else the article's year, moved by the tense nearest to the date: a future sentence about
    a month earlier than the article's month means next year ("will meet in March" written in
    November), a past one about a later month means last year ("met in December" written in
    January). With no year in the text and no article date the event is kept with an unknown
    year, written as EDTF does: "XXXX-05-16" — it says so, and sorts after every known year.

`when` is ISO 8601 / EDTF: "2025-05-16", "2025-05", "2024", "2025-05-25/2025-05-27". Events
sort by it (a month before its days, a year before its months), then by passage order.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefing.model import Passage


def _words(text: str) -> list[str]:
    """A word list written as prose, to keep long lists short."""
    return text.split()


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Event:
    key: str
    """`<passage id>@<offset of the date in the passage>`: the same text gives the same key,
    so a user's correction to an event survives a fresh extraction."""
    when: str
    label: str
    """The date as written ("May 25–27", "last week")."""
    text: str
    """The sentence it is in, cut to about 200 characters at word boundaries."""
    passage_id: str


UNKNOWN_YEAR = "XXXX"
"""EDTF's unspecified year: sorts after every digit, so undated events come last."""

SNIPPET = 200

_FULL_MONTHS = _words(
    "January February March April May June July August September October November December"
)
MONTHS: dict[str, int] = {name.lower(): n for n, name in enumerate(_FULL_MONTHS, 1)} | {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Case-sensitive on purpose: "may", "march" and "august" are words too. Every quantifier is
# bounded and every alternative starts on a fixed word or a digit run that must be a whole
# token, so a scan is linear in the text whatever the text.
_FULL = "|".join(_FULL_MONTHS)
_ABBR = "Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_M = rf"(?:{_FULL}|(?:{_ABBR})\.?)(?![a-z])"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_Y = r"(?:1\d|20|21)\d\d(?!\d)"
_WD = "|".join(WEEKDAYS)
_DASH = r"(?:\s?[-–—]\s?|\s(?:to|until|till|through)\s)"
_SP = r"\s{1,2}"

_DATE = re.compile(
    rf"""
    (?<![\w$€£])
    (?:
      (?:(?P<wa>{_WD}),?{_SP})?
      (?P<ma>{_M}){_SP}(?P<da>{_D})
      (?:{_DASH}(?:(?P<mb>{_M}){_SP})?(?P<db>{_D}))?
      (?:,?{_SP}(?P<ya>{_Y}))?
    |
      (?:(?P<wb>{_WD}),?{_SP}(?:the{_SP})?)?
      (?<![\d.,:/])(?P<dc>{_D})
      (?:{_SP}(?:of{_SP})?(?P<mc>{_M}))?
      (?:{_DASH}(?P<dd>{_D}))?
      {_SP}(?:of{_SP})?(?P<md>{_M})
      (?:,?{_SP}(?P<yb>{_Y}))?
    |
      (?P<me>{_M}),?{_SP}(?:of{_SP})?(?P<yc>{_Y})
    |
      (?<![\d-])(?P<yi>{_Y})-(?P<mi>0[1-9]|1[0-2])-(?P<di>0[1-9]|[12]\d|3[01])(?!\d)
    |
      (?<![\d/.])(?P<sa>\d{{1,2}})(?P<sep>[/.])(?P<sb>\d{{1,2}})(?P=sep)(?P<ys>(?:19|20)\d\d)(?!\d)
    |
      (?P<mf>{_FULL})(?![\w'’-])
    |
      (?<![\w.,/])(?<![\dA-Z]-)(?P<yf>{_Y})
      (?:\s?[-–]\s?(?P<yg>{_Y}|\d\d(?!\d))|\sto\s(?P<yh>{_Y}))?
      (?![\w%]|[.,]\d)
    |
      (?P<wd>{_WD})(?![\w-])
    |
      (?i:\b(?P<rel>yesterday|tomorrow|(?:last|next)\s(?:week|month|year))\b)
    )
    """,
    re.X,
)

# What must stand before a bare month or a bare year for it to be a date ("in April",
# "by 2030", "in early 2024", "at the end of 2024"), read from a short window before it.
_BEFORE_BARE = re.compile(
    r"\b(?P<prep>in|In|by|By|until|Until|till|from|From|during|During|through|throughout|"
    r"before|Before|after|After|of|between|Between|early|Early|late|Late|mid|Mid)"
    r"(?:\s(?:early|late|mid)-?|\sthe\s(?:end|start|beginning|middle|first\shalf|second\shalf|"
    r"spring|summer|autumn|fall|winter)\sof)?[\s-]$"
)
_THAT_YEAR = re.compile(
    r",?\s(?:of\s)?(?:that|the\s(?:same|following|next|previous|preceding))\syear\b"
)
_RELATIVE_MONTH = re.compile(r"\b(?P<word>last|next|this|Last|Next|This)\s$")
_ANCHORING = {"in", "during", "of", "early", "late", "mid"}
"""A bare year after these sets the year of later yearless dates in its sentence; "by
2030" or "until 2020" do not."""

# A bare year must be followed by punctuation, the end, a capitalised word, or one of these:
# "in 2024 elections" is an adjective, "in 1500 cases" a count.
_AFTER_YEAR_OK = _word_set(
    """and or but nor the a an to when after before as at on in with for from that which who
    was were is are had has have he she it its they we i you there this these those while
    until till amid during by of alone so if because although though then than not also
    again only even yet saw marked compared versus vs"""
)
_NEXT_WORD = re.compile(r"\s{1,3}([A-Za-z]+)")

# The tense of the words nearest to a date, within a window. "expected to" and "scheduled"
# end in -ed but speak of what is to come, so they are matched first; "due" and "expected"
# alone are not ("due to the pandemic", "expected standards").
_TENSE = re.compile(
    r"\b(?:(?P<future>will|shall|won['’]t|is\sto|are\sto|going\sto|is\sdue|are\sdue|"
    r"due\sto\sbe|scheduled|expected\sto|planned\s(?:to|for)|plans?\sto|upcoming|intends?|"
    r"set\sto|next|later\sthis)"
    r"|(?P<modal>could|might|may|would|should|must|can)"
    r"|(?P<past>was|were|had|did|said|told|met|held|took|gave|made|came|went|left|began|won|"
    r"lost|saw|became|fell|rose|got|ago|last)|(?P<weak>[a-z]{2,}ed))\b"
    r"|(?P<future2>['’]ll)\b"
)
_TENSE_WINDOW = 120

_STREET = re.compile(r"\s(?:Street|St|Road|Rd|Avenue|Ave|Square|Boulevard|Lane|Place)\b")
_PAPER_ON = re.compile(r"\b(?:Mail|Independent|Observer|Telegraph|Express|Mirror)\son\s$")

_GAP_JOIN = re.compile(
    r"[\s,]{0,4}(?:and|or|to|until|till|through|&|[-–—])?[\s,]{0,4}(?:on\s|in\s)?"
)


@dataclass
class _Found:
    """One date as read, before its year is settled."""

    start: int
    end: int
    label: str
    when: str = ""
    """Set when the text (or the article date) fixes it completely."""
    month: int = 0
    day: int = 0
    month2: int = 0
    day2: int = 0
    anchor_year: int = 0
    """The explicit year it carries, if that year may date the dates after it."""
    explicit_year: int = 0


# ---- sentences and snippets (figures uses these too) ----------------------------------------

_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+\s++")
_ABBREVIATIONS = _word_set(
    """mr mrs ms dr prof st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres no nos
    vs etc al inc ltd co corp jr sr approx dept est fig jan feb mar apr jun jul aug sep sept
    oct nov dec"""
)
_LAST_WORD = re.compile(r"(\w+)$")
_WS = re.compile(r"\s+")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (0 first). A period after an abbreviation or an initial
    ("Mr.", "U.S.", "J.") is not an end, at the cost of joining the odd pair of sentences."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(["):
            continue
        if text[m.start()] == ".":
            w = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
            if w and (len(w[1]) == 1 or w[1].lower() in _ABBREVIATIONS):
                continue
        starts.append(m.end())
    return starts


def sentence_span(text: str, starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return starts[i], end


def excerpt(text: str, starts: list[int], start: int, end: int, size: int = SNIPPET) -> str:
    """The sentence holding text[start:end], or ~`size` characters of it around that span,
    cut at spaces and marked with "…" where cut."""
    s0, s1 = sentence_span(text, starts, start)
    while s1 > s0 and text[s1 - 1].isspace():
        s1 -= 1
    while s0 < s1 and text[s0].isspace():
        s0 += 1
    if s1 - s0 <= size + size // 10:
        return _WS.sub(" ", text[s0:s1])
    left = max(s0, start - max(0, size - (end - start)) // 2)  # the span in the middle
    right = min(s1, left + size)
    left = max(s0, right - size)
    if left > s0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < s1:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    body = _WS.sub(" ", text[left:right]).strip()
    return ("…" if left > s0 else "") + body + ("…" if right < s1 else "")


# ---- reading dates ------------------------------------------------------------------------------


def _published(value: str | None) -> tuple[int, int, int]:
    """(year, month, day) of an article date; 0 for what it does not give."""
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return 0, 0, 0
    y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if not 1 <= mo <= 12:
        return y, 0, 0
    try:
        dt.date(y, mo, d or 1)
    except ValueError:
        return y, mo, 0
    return y, mo, d


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        dt.date(y or 2000, mo, d)  # 2000 is a leap year: 29 February may be any year's
    except ValueError:
        return False
    return True


def _iso(y: int, mo: int, d: int = 0) -> str:
    year = f"{y:04d}" if y else UNKNOWN_YEAR
    return f"{year}-{mo:02d}" + (f"-{d:02d}" if d else "")


def _day(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _tense(text: str, span: tuple[int, int], start: int, end: int) -> str:
    """ "future", "past", "modal" or "": the tense of the marker nearest to text[start:end]
    in its sentence (`span`). "modal" ("could", "must") is a tense these rules do not
    guess from. An auxiliary or a common verb ("will", "was", "said") outweighs a nearer
    word in -ed, which may be a participle ("will play on June 2 followed by …")."""
    lo, hi = max(span[0], start - _TENSE_WINDOW), min(span[1], end + _TENSE_WINDOW)
    best = {True: (_TENSE_WINDOW + 1, ""), False: (_TENSE_WINDOW + 1, "")}  # strong, weak
    for m in _TENSE.finditer(text, lo, hi):
        if start <= m.start() < end:
            continue
        dist = start - m.end() if m.end() <= start else m.start() - end
        strong = m.lastgroup != "weak"
        if dist < best[strong][0]:
            best[strong] = (dist, "past" if not strong else (m.lastgroup or "").rstrip("2"))
        if m.start() >= end and strong:
            break  # every later marker is further away
    return best[True][1] or best[False][1]


def _bare_context(text: str, start: int) -> str:
    """The preposition that makes a bare month or year a date, or ""."""
    m = _BEFORE_BARE.search(text, max(0, start - 40), start)
    return m["prep"].lower() if m else ""


def _year_word_ok(text: str, end: int) -> bool:
    m = _NEXT_WORD.match(text, end)
    if not m:
        return True
    word = m[1]
    return word[0].isupper() or word.lower() in _AFTER_YEAR_OK


def _weekday_ok(text: str, start: int, end: int) -> bool:
    """ "on Sunday", "said Tuesday", "Monday's vote": yes. "Black Friday", "the Sunday
    Times", "every Monday", "on a Sunday": no."""
    before = text[max(0, start - 30) : start]
    if _PAPER_ON.search(before):
        return False  # The Mail on Sunday
    prev = re.search(r"([\w'’]+)[ \t]{1,3}$", before)
    if prev:
        word = prev[1]
        if word.lower() in {"on", "last", "next", "this", "since", "by", "until", "from"}:
            return True
        if word[0].isupper() or word in {"the", "a", "an", "every", "each", "of"}:
            return False
    nxt = re.match(r"[ \t]{1,3}(\w+)", text[end : end + 30])
    return not (nxt and nxt[1][0].isupper())


def _read(
    m: re.Match[str], text: str, span: tuple[int, int], pub: tuple[int, int, int]
) -> _Found | None:
    """A match as a `_Found`, or None when the context says it is not a date."""
    g = m.groupdict()
    label = _WS.sub(" ", m[0])
    found = _Found(m.start(), m.end(), label)
    py, pm, pd = pub
    if g["ma"] or g["md"]:
        if g["ma"]:
            mo, d = _month(g["ma"]), _day(g["da"])
            mo2 = _month(g["mb"]) if g["mb"] else mo
            d2 = _day(g["db"]) if g["db"] else 0
            year = g["ya"]
        else:
            d = _day(g["dc"])
            mo2 = _month(g["md"])
            mo = _month(g["mc"]) if g["mc"] else mo2
            d2 = _day(g["dd"]) if g["dd"] else (d if g["mc"] else 0)
            if g["mc"] and not g["dd"]:
                return None  # "30 May June": not a shape a date takes
            year = g["yb"]
        if _STREET.match(text, m.end()):
            return None  # "30 May Street"
        if not _valid(0, mo, d) or (d2 and not _valid(0, mo2, d2)):
            return None
        if d2 and (mo2, d2) == (mo, d):
            d2 = 0
        if d2 and mo2 == mo and d2 < d:
            return None  # "May 27–25"
        found.month, found.day, found.month2, found.day2 = mo, d, mo2, d2
        if year:
            found.explicit_year = found.anchor_year = int(year)
        return found
    if g["me"]:
        found.month, found.explicit_year = _month(g["me"]), int(g["yc"])
        found.anchor_year = found.explicit_year
        return found
    if g["yi"]:
        y, mo, d = int(g["yi"]), int(g["mi"]), int(g["di"])
        if not _valid(y, mo, d):
            return None
        found.when, found.anchor_year = _iso(y, mo, d), y
        return found
    if g["sa"]:
        a, b, y = int(g["sa"]), int(g["sb"]), int(g["ys"])
        if g["sep"] == ".":
            d, mo = a, b  # 16.05.2025 is day-first wherever it is written
        elif (a > 12) != (b > 12) or a == b:
            d, mo = max(a, b), min(a, b)
        else:
            return None  # 03/01/2020: March in one country, January in another
        if not _valid(y, mo, d):
            return None
        found.when, found.anchor_year = _iso(y, mo, d), y
        return found
    if g["mf"]:
        mo = MONTHS[g["mf"].lower()]
        rel = _RELATIVE_MONTH.search(text, max(0, m.start() - 6), m.start())
        if rel:
            if not (py and pm):
                return None
            word = rel["word"].lower()
            y = py
            if word == "last":
                y = py if mo < pm else py - 1
            elif word == "next":
                y = py if mo > pm else py + 1
            found.start = rel.start()
            found.label = f"{rel['word']} {g['mf']}"
            found.when = _iso(y, mo)
            return found
        if _bare_context(text, m.start()) in ("", "since") or _THAT_YEAR.match(text, m.end()):
            return None  # no preposition; "in January of that year": a year not in reach
        found.month = mo
        return found
    if g["yf"]:
        prep = _bare_context(text, m.start())
        if not prep or not _year_word_ok(text, m.end()):
            return None
        y = int(g["yf"])
        second = g["yg"] or g["yh"]
        if second:
            y2 = int(second) if len(second) == 4 else (y // 100) * 100 + int(second)
            if y2 <= y:
                return None
            found.when = f"{y:04d}/{y2:04d}"
        else:
            found.when = f"{y:04d}"
            if prep in _ANCHORING:
                found.anchor_year = y
        return found
    if not (py and pm and pd):
        return None  # weekdays and relative dates only count from a known day
    today = dt.date(py, pm, pd)
    if g["wd"]:
        if not _weekday_ok(text, m.start(), m.end()):
            return None
        target = WEEKDAYS.index(g["wd"])
        before = text[max(0, m.start() - 6) : m.start()].lower()
        if re.search(r"(?:last|next|this) $", before):
            found.start = m.start() - len(before.rsplit(" ", 2)[-2]) - 1
            found.label = _WS.sub(" ", text[found.start : m.end()])
        ahead = (target - today.weekday()) % 7
        if before.endswith("last "):
            delta = -((today.weekday() - target) % 7 or 7)
        elif before.endswith("next "):
            delta = ahead or 7
        elif before.endswith("this "):
            delta = ahead
        else:
            tense = _tense(text, span, m.start(), m.end())
            if tense == "past":
                delta = -((today.weekday() - target) % 7)
            elif tense == "future":
                delta = ahead or 7
            else:
                return None
        found.when = (today + dt.timedelta(days=delta)).isoformat()
        return found
    words = g["rel"].lower().split()
    if re.search(r"\bthe\s$", text[max(0, m.start() - 5) : m.start()], re.I):
        return None  # "over the last week": the past seven days, not last week
    if words[0] == "tomorrow" and _tense(text, span, m.start(), m.end()) != "future":
        return None  # "tomorrow's leaders", "could change tomorrow"
    if words[0] in ("yesterday", "tomorrow"):
        shift = -1 if words[0] == "yesterday" else 1
        found.when = (today + dt.timedelta(days=shift)).isoformat()
    elif words[1] == "week":
        monday = (
            today
            - dt.timedelta(days=today.weekday())
            + dt.timedelta(weeks=1 if words[0] == "next" else -1)
        )
        found.when = f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    elif words[1] == "month":
        n = py * 12 + pm - 1 + (1 if words[0] == "next" else -1)
        found.when = _iso(n // 12, n % 12 + 1)
    else:
        found.when = f"{py + (1 if words[0] == 'next' else -1):04d}"
    return found


def _settle(f: _Found, year: int) -> str:
    """`when` of a day, a range or a month, given the year it falls in (0: unknown)."""
    if not f.day:
        return _iso(year, f.month)
    first = _iso(year, f.month, f.day)
    if not f.day2:
        return first
    year2 = year + 1 if year and f.month2 < f.month else year  # "December 30–January 2"
    return f"{first}/{_iso(year2, f.month2, f.day2)}"


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where text holds something written as a date with digits ("May 16", "2019–2021",
    "16/05/2025"), context aside: numbers there are not figures. A lone year is left to the
    caller, which knows "about 2000 people" is no year."""
    return [
        m.span()
        for m in _DATE.finditer(text)
        if any(c.isdigit() for c in m[0]) and not (m["yf"] and not (m["yg"] or m["yh"]))
    ]


def _events_in(passage: Passage, pub: tuple[int, int, int]) -> list[Event]:
    text = passage.text
    starts = sentence_starts(text)
    found: list[tuple[_Found, int]] = []  # with the index of its sentence
    for m in _DATE.finditer(text):
        f = _read(m, text, sentence_span(text, starts, m.start()), pub)
        if f is not None:
            found.append((f, bisect_right(starts, f.start) - 1))
    events: list[Event] = []
    anchor, anchor_sentence = 0, -1
    seen: set[tuple[str, int]] = set()
    for i, (f, sentence) in enumerate(found):
        if sentence != anchor_sentence:
            anchor, anchor_sentence = 0, sentence
        when = f.when
        if not when:
            year = f.explicit_year or anchor
            if not year and i + 1 < len(found):
                nxt, nxt_sentence = found[i + 1]
                if (
                    nxt_sentence == sentence
                    and nxt.explicit_year
                    and _GAP_JOIN.fullmatch(text, f.end, nxt.start)
                ):
                    year = nxt.explicit_year
            if not year and pub[0]:
                year = pub[0]
                if pub[1] and f.month != pub[1]:
                    span = sentence_span(text, starts, f.start)
                    tense = _tense(text, span, f.start, f.end)
                    if tense == "future" and f.month < pub[1]:
                        year += 1
                    elif tense == "past" and f.month > pub[1]:
                        year -= 1
            when = _settle(f, year)
        if f.anchor_year:
            anchor = f.anchor_year
        if (when, sentence) in seen:
            continue  # the same date twice in one sentence is one event
        seen.add((when, sentence))
        events.append(
            Event(
                key=f"{passage.id}@{f.start}",
                when=when,
                label=f.label,
                text=excerpt(text, starts, f.start, f.end),
                passage_id=passage.id,
            )
        )
    return events


def find_events(passages: Iterable[Passage], published: Mapping[str, str | None]) -> list[Event]:
    """Every dated event in the passages, sorted by date, then by passage order.

    `published` maps an article id to its date ("2025-05-26", a full ISO timestamp, or
    None): the year of a yearless date and the day a relative one counts from."""
    events: list[tuple[int, Event]] = []
    for order, passage in enumerate(passages):
        pub = _published(published.get(passage.article_id))
        events.extend((order, e) for e in _events_in(passage, pub))
    events.sort(key=lambda pair: (pair[1].when, pair[0], int(pair[1].key.rsplit("@", 1)[1])))
    return [e for _, e in events]
