"""File passages into a brief's sections by the template's rules (README § Templates).

0. an article that matches no section at all (no subheading names one, no keyword occurs)
   goes to Unsorted — it is in the brief's library, not in its sections;
1. a passage under a subheading that matches a section's `headings` goes to that section;
2. in an article with subheadings, the lede (before the first subheading) goes to the
   default section — a lede summarises the whole story;
3. every other passage is filed by keyword score; ties and zero go to the default section;
4. a hand move (`manual`) is never undone by re-filing.

A written section (`Section.written`: objectives, points to make, a press line) is the desk's
own text: no rule ever chooses it — not a subheading, not a keyword, not as the default —
and re-filing never moves a passage into it. A passage a person moved there is `manual`
and stays.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from briefing.model import Brief, Filing, Passage, Section, is_written_id


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@lru_cache(maxsize=512)
def _keyword_rx(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword.casefold()) + r"(?!\w)")


def filed_sections(brief: Brief) -> list[Section]:
    """The sections the rules may choose: every one but the written ones. A written section
    has no rules in a template, but a brief from elsewhere (an imported brief JSON) may
    still carry some, so the rules skip it here rather than trust that it has none."""
    return [s for s in brief.sections if not s.written]


def default_section(brief: Brief) -> str:
    """Where unplaced passages go: the brief's default when it is a filed section, else the
    first filed section, else Unsorted (a brief of written sections only)."""
    filed = filed_sections(brief)
    if any(s.id == brief.default_section for s in filed):
        return brief.default_section
    return filed[0].id if filed else UNSORTED


def heading_section(brief: Brief, heading: str) -> Section | None:
    """The filed section whose `headings` match an article subheading (equal, or
    whole-phrase)."""
    h = _norm(heading)
    if not h:
        return None
    sections = filed_sections(brief)
    for s in sections:
        if any(_norm(x) == h for x in s.headings):
            return s
    for s in sections:
        for x in s.headings:
            nx = _norm(x)
            if nx and re.search(r"(?<!\w)" + re.escape(nx) + r"(?!\w)", h):
                return s
    return None


def keyword_scores(brief: Brief, text: str) -> dict[str, int]:
    """Keyword hits in `text` per filed section (written sections are not scored at all)."""
    low = text.casefold()
    return {
        s.id: sum(len(_keyword_rx(k).findall(low)) for k in s.keywords)
        for s in filed_sections(brief)
    }


def section_for(brief: Brief, passage: Passage, article_has_headings: bool) -> str:
    default = default_section(brief)
    if passage.heading:
        s = heading_section(brief, passage.heading)
        if s:
            return s.id
    elif article_has_headings:
        return default
    scores = keyword_scores(brief, passage.text)
    best = max(scores.values(), default=0)
    if best == 0:
        return default
    winners = [sid for sid, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else default


UNSORTED = ""
"""The section id of passages in no section: they show under Unsorted."""


def article_matches(brief: Brief, passages: list[Passage]) -> bool:
    """Whether anything in the article speaks to the brief: a subheading that names a
    section, or a section keyword anywhere in its text."""
    for p in passages:
        if p.heading and heading_section(brief, p.heading):
            return True
        if any(keyword_scores(brief, p.text).values()):
            return True
    return False


def file_passages(brief: Brief, passages: Iterable[Passage]) -> list[tuple[Passage, str]]:
    """Where each passage goes. Passages of one article are judged together (for rules 0
    and 2): an article that matches no section goes to Unsorted whole (rule 0), so two
    unrelated web pages never flood the default section."""
    by_article: dict[str, list[Passage]] = {}
    for p in passages:
        by_article.setdefault(p.article_id, []).append(p)
    out: list[tuple[Passage, str]] = []
    for ps in by_article.values():
        ordered = sorted(ps, key=lambda p: p.index)
        if not article_matches(brief, ordered):
            out.extend((p, UNSORTED) for p in ordered)
            continue
        has_headings = any(p.heading for p in ps)
        out.extend((p, section_for(brief, p, has_headings)) for p in ordered)
    return out


def add_filings(existing: list[Filing], placed: list[tuple[Passage, str]]) -> list[Filing]:
    """Append newly placed passages at the end of their sections; skip ones already filed."""
    have = {f.passage_id for f in existing}
    out = list(existing)
    for p, sid in placed:
        if p.id in have:
            continue
        have.add(p.id)
        out.append(Filing(p.id, sid, len(out)))
    return renumber(out)


def refile(
    existing: list[Filing], placed: dict[str, str], written: Collection[str] = ()
) -> list[Filing]:
    """Apply the rules again; hand-moved filings stay where the user put them.

    `placed` comes from `file_passages`, which never names a written section; `written`
    (the brief's written section ids) guards the same promise for a `placed` built any
    other way. Written items (the desk's own text) are never moved by rules at all.
    """
    out = []
    for f in existing:
        target = placed.get(f.passage_id)
        if (
            not f.manual
            and target is not None
            and target not in written
            and not is_written_id(f.passage_id)
        ):
            f = Filing(f.passage_id, target, f.position, False)
        out.append(f)
    return renumber(out)


def renumber(filings: list[Filing]) -> list[Filing]:
    """Positions 0..n-1 within each section, keeping the current order."""
    counters: dict[str, int] = {}
    out = []
    for f in sorted(filings, key=lambda f: f.position):
        n = counters.get(f.section_id, 0)
        counters[f.section_id] = n + 1
        out.append(Filing(f.passage_id, f.section_id, n, f.manual))
    return out


def in_section(filings: list[Filing], section_id: str) -> list[Filing]:
    return sorted((f for f in filings if f.section_id == section_id), key=lambda f: f.position)


def move(filings: list[Filing], pid: str, section_id: str) -> list[Filing]:
    """Move a passage to the end of another section, by hand."""
    rest = [f for f in filings if f.passage_id != pid]
    end = len(in_section(rest, section_id))
    moved = Filing(pid, section_id, end, True)
    return renumber([*rest, moved])


def reorder(filings: list[Filing], pid: str, delta: int) -> list[Filing]:
    """Move a passage up (-1) or down (+1) within its section."""
    target = next((f for f in filings if f.passage_id == pid), None)
    if target is None:
        return filings
    sec = in_section(filings, target.section_id)
    i = next(i for i, f in enumerate(sec) if f.passage_id == pid)
    j = i + delta
    if not 0 <= j < len(sec):
        return filings
    sec[i], sec[j] = sec[j], sec[i]
    others = [f for f in filings if f.section_id != target.section_id]
    new_sec = [
        Filing(f.passage_id, f.section_id, n, f.manual or f.passage_id == pid)
        for n, f in enumerate(sec)
    ]
    return renumber(others + new_sec)
