"""Briefs: create them from templates, pick the current one, and assemble what one shows.

`BriefView` is what both the TUI and the exporters read: the brief, its sections in order,
each with its passages (and their articles and user state). It is built from the brief's own
file and the small state file, never from the whole library.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefing.errors import NotFound, UsageError
from briefing.model import Article, Brief, Passage, PassageState, Section, article_id_of
from briefing.store import Book

CURRENT = "current_brief"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "brief"


def create_brief(
    book: Book, template_id: str, title: str | None = None, brief_id: str | None = None
) -> Brief:
    from briefing.templates import get_template  # YAML: not read to show a brief

    template = get_template(template_id)
    bid = brief_id or (slugify(title) if title else template.id)
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}$", bid):
        raise UsageError(f"brief id {bid!r}: use lower-case letters, digits and '-'")
    if book.brief(bid, missing_ok=True):
        raise UsageError(f"a brief {bid!r} already exists in {book.path}")
    from briefing.config import load_config

    brief = template.new_brief(bid, title, now_iso(), load_config()[0].aliases)
    book.save_brief(brief)
    return brief


def ensure_brief(book: Book, brief_id: str) -> Brief:
    """The brief, created from the template of the same id when the book has none yet."""
    existing = book.brief(brief_id, missing_ok=True)
    if existing:
        return existing
    try:
        return create_brief(book, brief_id, brief_id=brief_id)
    except NotFound:
        raise NotFound(
            f"no brief {brief_id!r} in {book.path}, and no template of that id "
            "(see `briefing briefs`)"
        ) from None


def current_brief_id(book: Book, requested: str | None = None) -> str | None:
    """--brief, else the last one used, else the only/first one."""
    ids = book.brief_ids()
    if requested:
        if requested not in ids:
            book.brief(requested)  # raises NotFound listing the briefs
        return requested
    last = book.get_setting(CURRENT)
    if last in ids:
        return str(last)
    return ids[0] if ids else None


def require_brief_id(book: Book, requested: str | None) -> str:
    bid = current_brief_id(book, requested)
    if bid is None:
        raise UsageError(
            f"{book.path} has no brief yet: create one with `briefing new --template NAME "
            "--title TITLE` or `briefing import FILE --brief TEMPLATE`"
        )
    return bid


def articles_of(items: Iterable[Item]) -> list[Article]:
    """The items' articles, each once, in order of first appearance."""
    seen: dict[str, Article] = {}
    for i in items:
        if i.article and i.article.id not in seen:
            seen[i.article.id] = i.article
    return list(seen.values())


@dataclass
class Item:
    passage: Passage
    article: Article | None
    state: PassageState
    section_id: str | None
    position: int

    @property
    def is_written(self) -> bool:
        """Text the desk wrote (no article, no citation), not a passage of an article."""
        return self.passage.article_id == ""


@dataclass
class SectionView:
    section: Section
    items: list[Item] = field(default_factory=list)

    @property
    def key_points_first(self) -> list[Item]:
        return [i for i in self.items if i.state.key_point] + [
            i for i in self.items if not i.state.key_point
        ]


@dataclass
class BriefView:
    brief: Brief
    sections: list[SectionView]
    articles: dict[str, Article]
    linked: dict[str, tuple[Passage, Article | None]] = field(default_factory=dict)
    """The passages the judgments cite, with their articles (filed or not)."""

    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    def cited_articles(self) -> list[Article]:
        """Articles in order of first citation (key points come first in each section)."""
        return articles_of(i for s in self.sections for i in s.key_points_first)


def view(book: Book, brief_id: str) -> BriefView:
    brief = book.brief(brief_id)
    assert brief is not None
    order = book.order(brief_id)
    passages = book.brief_passages(brief_id)
    for wid, w in book.written(brief_id).items():
        passages[wid] = w.as_passage()
    articles = book.brief_articles(brief_id)
    states = book.states()
    sections = []
    for s in brief.sections:
        sv = SectionView(s)
        for n, pid in enumerate(order.sections.get(s.id, [])):
            p = passages.get(pid)
            if p is None:
                continue
            st = states.get(pid) or PassageState(pid)
            sv.items.append(Item(p, articles.get(p.article_id), st, s.id, n))
        sections.append(sv)
    v = BriefView(brief, sections, articles)
    v.linked = linked_passages(book, v)
    return v


def linked_passages(book: Book, v: BriefView) -> dict[str, tuple[Passage, Article | None]]:
    """What each judgment's passage ids point at: the view's items first, else the library
    (a passage may support a judgment without being filed). Ids gone from the book are left
    out: the judgment then shows fewer sources, and the desk copy flags one left with none."""
    wanted = list(dict.fromkeys(pid for j in v.brief.judgments for pid in j.passages))
    if not wanted:
        return {}
    items = {i.passage.id: i for i in v.items()}
    out: dict[str, tuple[Passage, Article | None]] = {}
    missing = []
    for pid in wanted:
        item = items.get(pid)
        if item is not None:
            out[pid] = (item.passage, item.article)
        else:
            missing.append(pid)
    if missing:
        for p in book.passages({article_id_of(pid) for pid in missing}):
            if p.id in missing:
                out[p.id] = (p, v.articles.get(p.article_id) or book.article(p.article_id))
    return {pid: out[pid] for pid in wanted if pid in out}


def library_items(book: Book) -> list[Item]:
    """Every passage of every article, unfiled (the library as a whole)."""
    articles = {a.id: a for a in book.articles()}
    states = book.states()
    order = {aid: n for n, aid in enumerate(articles)}
    passages = sorted(book.passages(), key=lambda p: (order.get(p.article_id, 0), p.index))
    return [
        Item(p, articles.get(p.article_id), states.get(p.id) or PassageState(p.id), None, p.index)
        for p in passages
    ]


def _items_for(book: Book, v: BriefView | None, passages: list[Passage]) -> list[Item]:
    """Wrap library passages as Items, with their filing in `v` when they have one."""
    states = book.states()
    filed = {i.passage.id: i for i in v.items()} if v else {}
    articles: dict[str, Article | None] = {}
    out = []
    for p in passages:
        if p.id in filed:
            out.append(filed[p.id])
            continue
        if p.article_id not in articles:
            articles[p.article_id] = (v.articles.get(p.article_id) if v else None) or book.article(
                p.article_id
            )
        st = states.get(p.id) or PassageState(p.id)
        out.append(Item(p, articles[p.article_id], st, None, p.index))
    return out


def article_items(book: Book, article_id: str, v: BriefView | None) -> list[Item]:
    """All passages of one article, in article order."""
    passages = sorted(book.passages([article_id]), key=lambda p: p.index)
    return _items_for(book, v, passages)


def passage_items(book: Book, v: BriefView | None, pids: Sequence[str]) -> list[Item]:
    """These passages, in this order (ids no longer in the book are left out)."""
    by_article: dict[str, list[str]] = {}
    for pid in pids:
        by_article.setdefault(article_id_of(pid), []).append(pid)
    found = {p.id: p for p in book.passages(by_article)}
    return _items_for(book, v, [found[pid] for pid in pids if pid in found])


def unsorted_items(book: Book, v: BriefView) -> list[Item]:
    """Passages of the brief's articles that are in none of its sections."""
    filed = {i.passage.id for i in v.items()}
    passages = [p for p in book.passages(v.articles) if p.id not in filed]
    order = {aid: n for n, aid in enumerate(v.articles)}
    passages.sort(key=lambda p: (order.get(p.article_id, 0), p.index))
    return _items_for(book, v, passages)


def tagged_items(book: Book, v: BriefView | None, tag: str | None = None) -> list[Item]:
    """Passages with tags (or with `tag`): the brief's first, in brief order, then the rest."""
    states = book.states()
    wanted = {pid for pid, st in states.items() if st.tags and (tag is None or tag in st.tags)}
    out = [i for i in (v.items() if v else []) if i.passage.id in wanted]
    rest = wanted - {i.passage.id for i in out}
    if rest:
        by_article: dict[str, set[str]] = {}
        for pid in rest:
            by_article.setdefault(pid.rsplit(".", 1)[0], set()).add(pid)
        passages = [p for p in book.passages(by_article) if p.id in rest]
        passages.sort(key=lambda p: (p.article_id, p.index))
        out += _items_for(book, v, passages)
    return out


def tag_counts(book: Book) -> dict[str, int]:
    counts: dict[str, int] = {}
    for st in book.states().values():
        for t in st.tags:
            counts[t] = counts.get(t, 0) + 1
    return counts
