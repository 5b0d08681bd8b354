"""A brief's annexes: who's who, chronology and key figures, with the desk's word applied.

The rules run afresh over the brief's filed passages every time (they take milliseconds on
a brief), and the desk's reviews — kept in the brief by each entry's stable key — are laid
over the result: an entry confirmed or dropped stays so, a corrected name or role is shown
instead of the extracted one, and a person merged into another adds their passages to that
entry. A review whose entry the rules no longer find is kept, unused, in case it comes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefing.model import ANNEXES, Passage, Review

if TYPE_CHECKING:
    from briefing.briefs import BriefView

TITLES = {"people": "Who's who", "dates": "Chronology", "figures": "Key figures"}


@dataclass(frozen=True)
class Entry:
    annex: str
    """people, dates or figures."""
    key: str
    """The extraction's stable key (what `briefing people --confirm KEY` takes)."""
    title: str
    """A person's name, a date as written, a figure's value."""
    detail: str
    """A person's role, what a figure counts; for a date, the sentence it is in."""
    passages: tuple[str, ...]
    status: str = ""
    """"" (not reviewed), "confirmed" or "dropped"."""
    when: str = ""
    """A date's sortable form (`2025-05-16`, `2025-05`, `2024`; unknown years sort last)."""
    context: str = ""
    """A figure's sentence."""
    merged: tuple[str, ...] = field(default_factory=tuple)
    """Keys of the entries merged into this one."""


def review_key(annex: str, key: str) -> str:
    """Where the brief keeps the desk's review of an entry (`Brief.reviews`)."""
    return f"{annex}:{key}"


CACHED = 8
"""Extractions kept: a review (`*`, `D`) changes the brief, not its passages, so the
listing shown again after it, the key check before it and the export reuse one run of
the rules (seconds on a 25,000-passage brief) instead of running them each time."""

_cache: dict[tuple[object, ...], list[Entry]] = {}


def _passages(view: BriefView) -> list[Passage]:
    """The brief's own passages (not what the desk wrote), in brief order, each once."""
    seen: dict[str, Passage] = {}
    for item in view.items():
        if not item.is_written:
            seen.setdefault(item.passage.id, item.passage)
    return list(seen.values())


def extract(view: BriefView, annex: str, aliases: Mapping[str, str] | None = None) -> list[Entry]:
    """What the rules find, before any review. Passages never change once imported, so
    their ids (with the aliases, and for dates the articles' dates) say what was read."""
    passages = _passages(view)
    dated = (
        tuple(sorted((aid, a.published or "") for aid, a in view.articles.items()))
        if annex == "dates"
        else ()
    )
    key = (annex, tuple(p.id for p in passages), tuple(sorted((aliases or {}).items())), dated)
    found = _cache.get(key)
    if found is None:
        found = _extract(view, annex, passages, aliases)
        if len(_cache) >= CACHED:
            _cache.pop(next(iter(_cache)))
        _cache[key] = found
    return list(found)


def _extract(
    view: BriefView, annex: str, passages: list[Passage], aliases: Mapping[str, str] | None
) -> list[Entry]:
    if annex == "people":
        from briefing.analysis.people import find_people

        return [
            Entry("people", p.key, p.name, p.role, p.passages)
            for p in find_people(passages, aliases)
        ]
    if annex == "dates":
        from briefing.analysis.dates import find_events

        published = {aid: a.published for aid, a in view.articles.items()}
        return [
            Entry("dates", e.key, e.label, e.text, (e.passage_id,), when=e.when)
            for e in find_events(passages, published)
        ]
    if annex == "figures":
        from briefing.analysis.figures import find_figures

        return [
            Entry("figures", f.key, f.value, f.what, (f.passage_id,), context=f.text)
            for f in find_figures(passages)
        ]
    raise ValueError(f"no annex {annex!r} (annexes: {', '.join(ANNEXES)})")


def entries(
    view: BriefView,
    annex: str,
    aliases: Mapping[str, str] | None = None,
    *,
    dropped: bool = False,
) -> list[Entry]:
    """The annex as the desk has reviewed it (dropped entries only when asked)."""
    reviews: Mapping[str, Review] = view.brief.reviews
    found = extract(view, annex, aliases)
    by_key = {e.key: e for e in found}

    def target(start: str) -> str:
        """Where a merged entry went, following chains (a merged into b, b into c). A
        circle (a into b, b into a: only a hand-edited book has one, `review` refuses it)
        merges nothing, so nobody disappears."""
        key, seen = start, {start}
        while True:
            r = reviews.get(review_key(annex, key))
            into = r.into if r else ""
            if not into or into not in by_key:
                return key
            if into in seen:
                return start
            seen.add(into)
            key = into

    merged: dict[str, list[Entry]] = {}
    for e in found:
        t = target(e.key)
        if t != e.key:
            merged.setdefault(t, []).append(e)
    out: list[Entry] = []
    for e in found:
        if target(e.key) != e.key:
            continue
        r = reviews.get(review_key(annex, e.key)) or Review()
        if r.status == "dropped" and not dropped:
            continue
        extra = merged.get(e.key, [])
        pids = list(e.passages)
        for m in extra:
            pids += m.passages
        out.append(
            Entry(
                annex,
                e.key,
                r.name or e.title,
                r.role or e.detail,
                tuple(dict.fromkeys(pids)),
                r.status,
                e.when,
                e.context,
                tuple(m.key for m in extra),
            )
        )
    if annex == "dates":
        out.sort(key=lambda e: e.when)  # stable: the text's order within a date
    return out
