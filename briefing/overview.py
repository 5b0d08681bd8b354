"""The brief at a glance: what the overview screen (`O`) draws, computed off the UI thread.

Section balance, the sources and their dates, the judgments, the people, and what came in
since the brief was last exported — the questions a desk officer asks before sending it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from briefing import aliases
from briefing.analysis.annex import entries
from briefing.briefs import BriefView

LAST_EXPORT = "last_export"
"""Book setting: brief id → when it was last exported (ISO, UTC)."""

MOST_DAYS = 366
"""A sparkline of articles per day covers at most the last year of the sources' dates."""


@dataclass
class Overview:
    title: str
    sections: list[tuple[str, int, str]] = field(default_factory=list)
    """(title, passages, status) per section, in order; written items count."""
    sources: list[tuple[str, int]] = field(default_factory=list)
    """(source, passages), most first."""
    articles: int = 0
    first_date: str = ""
    last_date: str = ""
    undated: int = 0
    per_day: list[int] = field(default_factory=list)
    """Articles per day from the first date to the last (at most MOST_DAYS)."""
    judgments: list[tuple[str, str, int]] = field(default_factory=list)
    """(likelihood, text, supporting passages) in the brief's order."""
    people: list[tuple[str, str, int, str]] = field(default_factory=list)
    """(name, role, passages, review status), most mentioned first."""
    last_export: str = ""
    new_since: int = 0
    """Passages of articles imported after the last export (all, if never exported)."""
    new_articles: int = 0


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def overview(view: BriefView, last_export: str = "", *, people: bool = True) -> Overview:
    """`people`: run the who's-who rules too (milliseconds on a brief of a few hundred
    passages; the screen asks for them after drawing the rest on a big one)."""
    out = Overview(view.brief.title, last_export=last_export)
    for s in view.sections:
        # "empty" as the sections pane shows it: nothing in it, no summary, no note.
        empty = not s.items and not s.section.summary.strip() and not s.section.notes
        out.sections.append((s.section.title, len(s.items), "empty" if empty else s.section.status))
    items = [i for i in view.items() if not i.is_written]
    by_source: Counter[str] = Counter()
    articles = {}
    for i in items:
        if i.article is not None:
            articles[i.article.id] = i.article
            by_source[i.article.source or i.article.publisher or "(unknown)"] += 1
    out.sources = by_source.most_common()
    out.articles = len(articles)
    days = sorted(d for a in articles.values() if (d := _day(a.published)) is not None)
    out.undated = len(articles) - len(days)
    if days:
        first, last = days[0], days[-1]
        first = max(first, last - dt.timedelta(days=MOST_DAYS - 1))
        out.first_date, out.last_date = days[0].isoformat(), last.isoformat()
        counts = Counter(d for d in days if d >= first)
        out.per_day = [
            counts.get(first + dt.timedelta(days=n), 0) for n in range((last - first).days + 1)
        ]
    for j in view.brief.judgments:
        support = sum(1 for pid in j.passages if pid in view.linked)
        out.judgments.append((j.likelihood, j.text, support))
    if people:
        found = entries(view, "people", aliases.spellings())
        ranked = sorted(found, key=lambda e: -len(e.passages))
        out.people = [(e.title, e.detail, len(e.passages), e.status) for e in ranked]
    fresh = {aid for aid, a in articles.items() if not last_export or a.imported_at > last_export}
    out.new_articles = len(fresh)
    out.new_since = sum(1 for i in items if i.article is not None and i.article.id in fresh)
    return out
