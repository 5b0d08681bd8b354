"""Key figures: the numbers a brief's passages give, each with what it counts.

English news prose only, by rule (stdlib regexes), numbers written in digits: "6.7 million
visits", "about 12.7% of the total tourist flow", "$2.5 billion in aid", "the 19th session",
the "1,000 for 1,000" exchange, "a 5 per cent rise", "a 30-day ceasefire", "3 in 10 voters".

The value is the number as written with what makes it a figure: its qualifier ("about",
"more than", "nearly"), currency, scale word ("million", "bn"), unit suffix ("km"), percent
sign or words, a range ("10–15", "1,000 for 1,000", "300 out of 450"). The qualifier stays in
the value on purpose: a figure quoted alone must not lose its "about".

What it counts is the short noun phrase after it ("visits", "Russian visitors", "session");
for a percentage, an "of …" phrase ("of the total tourist flow"); for money, an "in/on/for …"
phrase ("in aid"); for an "N for N" swap, the exchange it names ("prisoner exchange"). A plain
count with no noun after it is left out ("the score was 3", "aged 45"); a measured value
(money, percent, scale, unit) with no noun after it takes the words before it in its clause
("inflation rose to").

Left out as not figures: dates and years (anything the chronology reads as a date, and any
plain 1000–2199 with no qualifier or currency before it: news writes counts over 999 with a
comma), decades ("1990s"), times ("10:30", "3 pm", "9am GMT"), list numbering at the start of
a passage, footnote marks ("[3]"), numbers that are part of a name or an id ("COVID-19",
"Windows 10", "Article 5", "Resolution 2231", "5G", "No. 3", "10 Downing Street"), version
numbers ("1.2.3"), centuries, and numbers spelled in words ("three", "dozens").
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.analysis.dates import date_spans, excerpt, sentence_span, sentence_starts
from briefing.model import Passage


def _word_set(text: str) -> frozenset[str]:
    """A word list written as prose, to keep long lists short."""
    return frozenset(text.split())


@dataclass(frozen=True)
class Figure:
    key: str
    """`<passage id>@<offset of the first digit>`: stable across re-extraction."""
    value: str
    """As written, with its qualifier: "6.7 million", "about 12.7%", "1,000 for 1,000"."""
    what: str
    """What it counts: "visits", "of the total tourist flow", "session"."""
    text: str
    """The sentence it is in, cut to about 200 characters at word boundaries."""
    passage_id: str


# A number token: a whole run of digits with thousands commas and a decimal part. It may not
# start inside a word, a number, a time or an id, so a scan never restarts inside a run, and
# its quantifiers are possessive: linear on any text, including 100 KB of "1,1,1,…".
_NUMBER = re.compile(r"(?<![\w.,/:+\-−])\d++(?:,\d{3})*+(?:\.\d++)?+")

_SCALE = re.compile(
    r"\s?(?:million|billion|trillion|thousand|hundred|mln|bln|bn|mn|tn|m|k|b)(?![\w%])"
    r"|(?:bn|mn|tn|m|k|b)(?![\w%])"
)
_PERCENT = re.compile(
    r"\s?(?:%|per\s?cent\b|percent\b|percentage\spoints?\b|basis\spoints\b|bps\b|pp\b)"
)
_UNIT = re.compile(
    r"(?:km/h|km²|m²|°C|°F|°|kWh|MWh|GWh|TWh|kW|MW|GW|TB|GB|MB|kb|km|kg|mg|mm|cm|ml|mph|kph"
    r"|ha|sq\s?km|x)(?!\w)"
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?![\w])")
_COMPOUND = re.compile(r"-(?:[a-z]+)(?:-[a-z]+){0,2}(?![\w-])")
_JOIN = re.compile(r"(?:\s?[-–—]\s?|\s(?:to|and|for|out\sof|of|in)\s)(?=[$€£¥₹]?\d)")
_TIME_AFTER = re.compile(
    r"\s?(?:[ap]\.?m\b\.?|GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|MSK|hrs\b|h\b|o['’]clock|:\d)"
)
_ID_WORDS = _word_set(
    """no nos number page pages p pp article section chapter paragraph para clause rule item
    step phase level grade room route highway platform gate flight track episode season part
    vol volume issue figure fig table version v model line tier row seat unit block lot verse
    psalm class act resolution exhibit annex appendix port"""
)
"""Words before a number that make it a label, not a quantity ("Article 5", "page 12")."""
_QUALIFIERS = frozenset(
    q.replace("_", " ")
    for q in _word_set(
        """about around approximately approx. roughly nearly almost some over under below above
        only just barely more_than less_than fewer_than at_least at_most up_to just_over
        just_under just_above just_below well_over well_under well_above well_below close_to
        an_estimated as_many_as as_much_as as_few_as as_little_as upwards_of in_excess_of
        no_more_than no_fewer_than no_less_than"""
    )
)
_CURRENCY_SIGNS = "$€£¥₹"
_CURRENCY_PREFIXES = frozenset({"US", "A", "C", "NZ", "HK", "S"})
_SPACES = " \t\u00a0"
_WORD_CHARS = "'’.-"
_LIST_START = re.compile(r"\s*\(?$")
_WORD = re.compile(r"[ \t\u00a0]{1,3}[\"“‘]?([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+){0,3})")
_CLOSE_QUOTE = re.compile(r"[\"”’']")
_ADDRESS = re.compile(
    r"[ \t]{1,3}(?:[A-Z][a-z]+[ \t]){1,2}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Boulevard|Blvd|"
    r"Drive|Square|Place|Way)\b"
)
_PREPOSITION = re.compile(
    r"[ \t\u00a0]{1,3}(of|in|for|on)(?:[ \t\u00a0]{1,3}(the|a|an|its|their|all)\b)?"
)
_CLAUSE_BREAK = re.compile(r"[,;:()“”\"—–]|\.\s")
_SWAP_VERB_FIRST = re.compile(r"\b(exchange|swap|trade)\s(?:of\s)?([a-z]+)")
_SWAP_NOUN_FIRST = re.compile(r"\b([a-z]+)\s(exchange|swap)\b")

_STOP = _word_set(
    """the a an of in on at to for from by with and or but as than that which who whom whose
    this these those is are was were be been being has have had do does did will would shall
    should can could may might must not no so if then there here it its he she they we you i
    his her their our your my per each every more less most least over under into onto out up
    down about after before since until while when where why how what all some any also just
    only even still yet ago said says say last next later earlier between among against during
    through including like such via vs versus cent percent both either neither nor each other
    another same own there's it's were remained remain rose fell reached stood came went took
    made left died live lived"""
)
_CURRENCY_WORDS = frozenset({"US", "USD", "EUR", "GBP", "RUB", "CHF", "CNY", "JPY", "INR", "Rs"})
"""Capitalised words that may stand before an amount."""
_NOT_WHAT = frozenset({"century", "centuries", "s"})
_FIRST_YEAR = 1000
_LAST_YEAR = 2199


@dataclass
class _Value:
    start: int
    end: int
    digits_start: int
    measured: bool = False
    """Money, percent, scale or unit: a figure even with no noun after it."""
    percent: bool = False
    money: bool = False
    swap: bool = False


def _noun_phrase(text: str, pos: int, limit: int = 3, lead: str = "adjective") -> str:
    """The words at `pos` that name what a number counts, stopping at a function word, a
    verb-looking word after the first, punctuation or `limit` words.

    `lead` says what a capitalised word may do. "adjective" (after a number): lead a
    common noun ("7 million Russian visitors"), never stand as the noun, since a name there
    ("714 University Hall", "54-year-old Bharrat", "1.5 Wonderbook") makes the number an
    address, an age or a label; acronyms ("300 MPs") are common nouns. "none": no capitals
    (after a percentage: "12.7% Russians" is no phrase). "names": any ("of Americans")."""
    words: list[str] = []
    while len(words) < limit:
        m = _WORD.match(text, pos)
        if not m:
            break
        word = m[1]
        low = word.lower()
        if low in _STOP or low.endswith("ly"):
            break
        capital = word[0].isupper() and not _acronym(word)
        if words and low.endswith(("ed", "ing")):
            break
        if capital and lead == "none":
            break
        if capital and lead == "adjective" and words:
            break  # "Russian soldiers" but not "University Hall"
        if words and not capital and lead == "names" and words[-1][0].isupper():
            break  # "of Americans", not "of Americans said"
        words.append(word)
        pos = m.end()
    first = words[0] if words else ""
    if lead == "adjective" and first[:1].isupper() and not _acronym(first) and len(words) < 2:
        return ""
    if first.lower() in _NOT_WHAT:
        return ""
    return " ".join(words)


def _acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2 and not word.istitle()


def _of_phrase(text: str, pos: int, words: tuple[str, ...]) -> str:
    """ "of the total tourist flow", "in aid": a preposition from `words`, an optional
    article, and a noun phrase."""
    m = _PREPOSITION.match(text, pos)
    if not m or m[1] not in words:
        return ""
    phrase = _noun_phrase(text, m.end(), limit=4, lead="names")
    if not phrase:
        return ""
    return " ".join(w for w in (m[1], m[2], phrase) if w)


def _words_before(text: str, start: int) -> str:
    """The last few words of the clause before a value: what a measured value with nothing
    after it measures ("inflation rose to")."""
    window = text[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    elif start > 60:
        window = window.split(" ", 1)[-1] if " " in window else ""
    words = window.split()[-4:]
    while words and words[0].lower() in {"and", "but", "or", "the", "a", "an", "with", "while"}:
        words.pop(0)
    joined = " ".join(words)
    if not any(c.isalpha() for c in joined) or any(c.isdigit() or c in "|$€£" for c in window):
        return ""  # nothing to say, or another figure's words ("from $1.4 billion to")
    return joined


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether pos falls in one of the sorted, disjoint spans."""
    i = bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _words_back(text: str, pos: int, n: int) -> list[tuple[str, int]]:
    """Up to `n` words before `pos` with their offsets, nearest last, each separated by at
    most three spaces: a few steps back, whatever the text, so a scan stays linear."""
    words: list[tuple[str, int]] = []
    i = pos
    while len(words) < n:
        j = i
        while j > 0 and i - j < 3 and text[j - 1] in _SPACES:
            j -= 1
        if j == i:
            break
        k = j
        while k > 0 and j - k < 24 and (text[k - 1].isalnum() or text[k - 1] in _WORD_CHARS):
            k -= 1
        if k == j or (words and text[k:j].endswith(".") and text[k:j] != "approx."):
            break  # no word, or the end of the sentence before
        words.insert(0, (text[k:j], k))
        i = k
    return words


def _qualifier_start(text: str, pos: int) -> int:
    """Where a qualifier ("about", "more than") before `pos` starts, or -1."""
    if text[pos - 1 : pos] == "~":
        return pos - 1
    if pos >= 2 and text[pos - 2 : pos] == "~ ":
        return pos - 2
    words = _words_back(text, pos, 3)
    for size in (3, 2, 1):
        if len(words) >= size and " ".join(w for w, _ in words[-size:]).lower() in _QUALIFIERS:
            return words[-size][1]
    return -1


def _currency_start(text: str, pos: int) -> int:
    """Where a currency sign or code before `pos` starts ("$", "US$", "USD "), or -1."""
    if pos and text[pos - 1] in _CURRENCY_SIGNS:
        k = pos - 1
        while k > 0 and pos - 1 - k < 2 and text[k - 1].isupper():
            k -= 1
        prefix = text[k : pos - 1]
        if prefix in _CURRENCY_PREFIXES and not (k and text[k - 1].isalnum()):
            return k
        return pos - 1
    words = _words_back(text, pos, 1)
    if words and words[0][0].rstrip(".") in _CURRENCY_WORDS:
        return words[0][1]
    return -1


def _skipped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the number at text[start:end] is a date, a time, an id or list numbering."""
    if _inside(spans, start):
        return True
    if text[start] == "0" and text[start + 1 : start + 2].isdigit():
        return True  # "007", "58:01": a code, not a quantity
    nxt = text[end : end + 1]
    if nxt.isdigit() or (text.startswith((",", "."), end) and text[end + 1 : end + 2].isdigit()):
        return True  # "1,0001", "1.2.3": not a number as a number is written
    if _TIME_AFTER.match(text, end):
        return True
    if text.startswith("]", end) and text[start - 1 : start] == "[":
        return True  # a footnote mark
    if text[max(0, start - 2) : start].strip(_SPACES).endswith("#"):
        return True
    if start < 4 and _LIST_START.fullmatch(text[:start]) and text[end : end + 1] in ".)":
        return True  # "1. …", "(2) …"
    if text[max(0, start - 3) : start].strip(_SPACES).endswith("="):
        return True  # "accept = 273": a setting
    words = _words_back(text, start, 1)
    if words:
        word = words[0][0]
        if word.rstrip(".").lower() in _ID_WORDS or word == "per":
            return True  # "Article 5"; "per 100,000": a rate's base, not a count
        if word[0].isupper():
            # "Windows 10", "Apollo 11", "Article 5": a name before it. A capitalised
            # function word or qualifier only starts a sentence ("The 300", "About 300").
            low = word.lower()
            return not (
                low in _STOP
                or low in _QUALIFIERS
                or word.rstrip(".") in _CURRENCY_WORDS
                or low.endswith(("'s", "’s"))
            )
    return bool(_ADDRESS.match(text, end))


def _plain_year(number: str) -> bool:
    """1000-2199 written without a comma: a year in news prose, where counts over 999 take
    a comma."""
    return number.isdigit() and len(number) == 4 and _FIRST_YEAR <= int(number) <= _LAST_YEAR


def _value(text: str, m: re.Match[str], spans: list[tuple[int, int]]) -> _Value | None:
    """The whole value at a number token, or None when it is no figure."""
    start, end = m.span()
    v = _Value(start, end, start)
    cur = _currency_start(text, start)
    if cur >= 0:
        v.start, v.money, v.measured = cur, True, True
    q = _qualifier_start(text, v.start)
    if q >= 0:
        v.start = q
    if _plain_year(m[0]) and cur < 0 and q < 0:
        measure = _SCALE.match(text, end) or _PERCENT.match(text, end) or _UNIT.match(text, end)
        if not measure:
            return None  # "in 2024", "2024 elections"; but "about 2000 people", "2000 km"
    if o := _ORDINAL.match(text, end):
        v.end = o.end()
        if c := _COMPOUND.match(text, v.end):  # "5th-largest"
            v.end = c.end()
        return v
    j = _JOIN.match(text, end)
    if j:
        second = _NUMBER.match(text, j.end() + (1 if text[j.end()] in "$€£¥₹" else 0))
        if second and not _inside(spans, second.start()) and not _plain_year(second[0]):
            joiner = j[0].strip()
            v.end = second.end()
            v.swap = joiner == "for"
            if joiner in ("of", "in", "out of") or v.swap:
                v.measured = True
    if s := _SCALE.match(text, v.end):
        v.end, v.measured = s.end(), True
    if p := _PERCENT.match(text, v.end):
        v.end, v.measured, v.percent = p.end(), True, True
    elif u := _UNIT.match(text, v.end):
        v.end, v.measured = u.end(), True
    elif c := _COMPOUND.match(text, v.end):
        v.end = c.end()  # "30-day", "45-year-old"
    elif text[v.end : v.end + 1].isalpha():
        return None  # "5G", "3D", "1990s", "10am"
    return v


def _swap_name(before: str) -> str:
    """ "prisoner exchange" from "exchange prisoners on a" or "a prisoner swap of"."""
    for m in reversed(list(_SWAP_VERB_FIRST.finditer(before))):
        if m[2] not in _STOP:
            noun = m[2][:-3] + "y" if m[2].endswith("ies") else m[2].rstrip("s")
            return f"{noun} {m[1]}"
    for m in reversed(list(_SWAP_NOUN_FIRST.finditer(before))):
        if m[1] not in _STOP:
            return f"{m[1]} {m[2]}"
    return ""


def _what(text: str, v: _Value, sentence: tuple[int, int]) -> str:
    pos = v.end
    if _CLOSE_QUOTE.match(text, pos):
        pos += 1
    if v.swap:
        swap = _swap_name(text[max(sentence[0], v.start - 80) : v.start].lower())
        if swap:
            return swap
    if v.percent:
        phrase = _of_phrase(text, pos, ("of",)) or _noun_phrase(text, pos, lead="none")
    elif v.money:
        phrase = _noun_phrase(text, pos) or _of_phrase(text, pos, ("in", "of", "for", "on"))
    else:
        phrase = _noun_phrase(text, pos)
    if phrase or not v.measured:
        return phrase
    return _words_before(text, v.start)


def _figures_in(passage: Passage) -> list[Figure]:
    text = passage.text
    spans = date_spans(text)
    starts: list[int] | None = None
    figures: list[Figure] = []
    done = 0
    for m in _NUMBER.finditer(text):
        if m.start() < done or _skipped(text, m.start(), m.end(), spans):
            continue
        v = _value(text, m, spans)
        if v is None:
            continue
        if starts is None:
            starts = sentence_starts(text)
        what = _what(text, v, sentence_span(text, starts, v.start))
        if not what:
            continue
        done = v.end
        figures.append(
            Figure(
                key=f"{passage.id}@{v.digits_start}",
                value=re.sub(r"\s+", " ", text[v.start : v.end]),
                what=what,
                text=excerpt(text, starts, v.start, v.end),
                passage_id=passage.id,
            )
        )
    return figures


def find_figures(passages: Iterable[Passage]) -> list[Figure]:
    """Every figure in the passages, in passage order and then in reading order."""
    return [f for p in passages for f in _figures_in(p)]
