"""Full-text search over passages, their notes and tags.

A query is words (all must occur: AND), `"quoted phrases"` (the words in that order) and
`prefix*` words. Matching is on whole words, so `mir` does not find "Vladimir" (but `mir*`
finds "Mir"). Results are ranked BM25-style: a rare word counts more than a common one, and
a short passage that says it twice beats a long one that says it once.

This module is the query language and the in-memory matcher (a listing the TUI already
holds); `index` is the on-disk full-text index the CLI and the Library search use, built
from the same words so both find the same passages.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from briefing import aliases
from briefing.briefs import Item
from briefing.model import Article

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')

K1, B = 1.2, 0.75
"""BM25's usual constants: how fast repeats stop counting, how much length matters."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    """One word, or a phrase's words in order."""
    prefix: bool = False
    """The (last) word matches any word it begins."""


def words(text: str) -> list[str]:
    """Whole words, case-folded, each spelling variant as its group's word (`aliases`)."""
    found = _WORD.findall(text.casefold())
    table = aliases.table()
    return [table.get(w, w) for w in found] if table else found


def parse(query: str, *, last_is_prefix: bool = False) -> list[Term]:
    """The terms of a query. `last_is_prefix`: search-as-you-type, where the word being
    typed is not finished yet."""
    terms: list[Term] = []
    for m in _TOKEN.finditer(query):
        phrase, bare = m.group(1), m.group(2)
        if phrase is not None:
            ws = tuple(words(phrase))
            if ws:
                terms.append(Term(ws))
            continue
        prefix = bare.endswith("*")
        ws = tuple(words(bare.rstrip("*")))
        if ws:
            terms.append(Term(ws, prefix))
    if last_is_prefix and terms and len(terms[-1].words) == 1 and not query.endswith((" ", '"')):
        terms[-1] = Term(terms[-1].words, True)
    return list(dict.fromkeys(terms))  # a term said twice counts once (and costs once)


def _count(term: Term, toks: list[str]) -> int:
    """How often the term occurs in the token list."""
    n = len(term.words)
    first, last = term.words[:-1], term.words[-1]
    hits = 0
    for i in range(len(toks) - n + 1):
        if tuple(toks[i : i + n - 1]) != first:
            continue
        tok = toks[i + n - 1]
        if tok == last or (term.prefix and tok.startswith(last)):
            hits += 1
    return hits


def _occurs(term: Term, toks: list[str]) -> bool:
    """Whether the term occurs in the token list at all (`_count(...) > 0`, stopping at the
    first occurrence)."""
    n = len(term.words)
    first, last = term.words[:-1], term.words[-1]
    for i in range(len(toks) - n + 1):
        if n > 1 and tuple(toks[i : i + n - 1]) != first:
            continue
        tok = toks[i + n - 1]
        if tok == last or (term.prefix and tok.startswith(last)):
            return True
    return False


def _text(item: Item) -> str:
    parts = [item.passage.text, item.passage.heading, *item.state.tags]
    parts += [n.text for n in item.state.notes]
    if item.article:
        parts += [item.article.title, item.article.source]
    return "\n".join(parts)


def haystack(item: Item) -> str:
    return _text(item).casefold()


def item_words(item: Item) -> list[str]:
    """What a query is matched against: text, heading, tags, notes, title and source."""
    return words(_text(item))


def matcher(
    query: str,
    *,
    last_is_prefix: bool = False,
    tokens: Callable[[Item], list[str]] = item_words,
) -> Callable[[Item], bool]:
    """A test for many items: the query is parsed once, and `tokens` may be cached (the
    TUI filters thousands of rows on every keystroke)."""
    terms = parse(query, last_is_prefix=last_is_prefix)

    def test(item: Item) -> bool:
        toks = tokens(item)
        return all(_count(t, toks) for t in terms)

    return test


def article_words(article: Article) -> list[str]:
    """What a query is matched against in the Library: title, source and publisher."""
    return words(f"{article.title}\n{article.source}\n{article.publisher}")


class WordIndex:
    """Which rows hold each word: a filter that answers as `matcher` does, without reading
    every row again on each keystroke.

    Rows are added once, as a key and a source (an item, an article) that `tokens` turns into
    its words. A word is one dictionary look-up; a prefix (`mos*`, or the word being typed)
    is a range of the sorted vocabulary found with `bisect`; the terms are AND-ed by
    intersecting row sets, smallest first; and only a phrase reads words again, of the rows
    that hold all its words. Filtering 10,000 rows costs a few milliseconds instead of a
    pass over 250,000 words. `add` and `discard` follow edits (a row patched with new tags
    or notes is added again, which replaces it).
    """

    def __init__(self, tokens: Callable[[object], list[str]]) -> None:
        self._tokens = tokens
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        """word -> the ordinals of the rows that hold it (in order, each once)."""
        self._keys: list[Hashable] = []
        self._sources: list[object] = []
        self._ordinal: dict[Hashable, int] = {}
        """key -> its row's live ordinal; a discarded row's ordinal is dead."""
        self._dead: set[int] = set()
        self._vocabulary: list[str] | None = None
        """The words, sorted (for prefixes); made again after a row brings a new word."""
        self._words: dict[int, list[str]] = {}
        """The words of rows a phrase was looked for in, in order (typing a phrase looks
        again at the same rows, keystroke after keystroke)."""

    def __len__(self) -> int:
        return len(self._ordinal)

    def __contains__(self, key: object) -> bool:
        return key in self._ordinal

    def add(self, key: Hashable, source: object) -> None:
        """Index a row (replacing the row of the same key)."""
        if key in self._ordinal:
            self.discard(key)
        n = len(self._keys)
        self._keys.append(key)
        self._sources.append(source)
        self._ordinal[key] = n
        postings = self._postings
        known = len(postings)
        for w in set(self._tokens(source)):
            postings[w].append(n)
        if len(postings) != known:
            self._vocabulary = None

    def discard(self, key: Hashable) -> None:
        n = self._ordinal.pop(key, None)
        if n is not None:
            self._dead.add(n)
            self._sources[n] = None  # nothing held for a row that is gone
            self._words.pop(n, None)

    def _row_words(self, n: int) -> list[str]:
        found = self._words.get(n)
        if found is None:
            found = self._words[n] = self._tokens(self._sources[n])
        return found

    def _rows(self, word: str, prefix: bool) -> set[int]:
        """The rows holding `word` (or, `prefix`, a word it begins)."""
        if not prefix:
            return set(self._postings.get(word, ()))
        if self._vocabulary is None:
            self._vocabulary = sorted(self._postings)
        vocabulary = self._vocabulary
        found: set[int] = set()
        i = bisect_left(vocabulary, word)
        while i < len(vocabulary) and vocabulary[i].startswith(word):
            found.update(self._postings[vocabulary[i]])
            i += 1
        return found

    def find(self, query: str, *, last_is_prefix: bool = False) -> set[Hashable] | None:
        """The keys of the rows every term of the query matches (as `matcher` would say);
        None when the query has no terms, so everything matches."""
        terms = parse(query, last_is_prefix=last_is_prefix)
        if not terms:
            return None
        found: set[int] | None = None
        wanted = [
            (w, t.prefix and k == len(t.words) - 1) for t in terms for k, w in enumerate(t.words)
        ]
        for rows in sorted((self._rows(w, prefix) for w, prefix in wanted), key=len):
            found = rows if found is None else found & rows
            if not found:
                return set()
        assert found is not None
        found -= self._dead
        for t in terms:
            if len(t.words) > 1:  # a phrase: its words in that order
                found = {n for n in found if _occurs(t, self._row_words(n))}
        return {self._keys[n] for n in found}


def matches(item: Item, query: str, *, last_is_prefix: bool = False) -> bool:
    """Every term occurs as whole words (in text, heading, tags, notes, title or source)."""
    return matcher(query, last_is_prefix=last_is_prefix)(item)


def article_matches(article: Article, query: str, *, last_is_prefix: bool = False) -> bool:
    """Every term occurs in the article's title, source or publisher (the Library list)."""
    terms = parse(query, last_is_prefix=last_is_prefix)
    toks = words(f"{article.title}\n{article.source}\n{article.publisher}")
    return all(_count(t, toks) for t in terms)


def search(items: Iterable[Item], query: str) -> list[Item]:
    """The items every term matches, best first (BM25); ties keep their order."""
    items = list(items)
    terms = parse(query)
    if not terms:
        return items
    docs = [item_words(i) for i in items]
    counts = [[_count(t, toks) for t in terms] for toks in docs]
    hits = [n for n, c in enumerate(counts) if all(c)]
    if not hits:
        return []
    total = len(docs)
    avg = sum(len(d) for d in docs) / max(total, 1) or 1.0
    df = [sum(1 for c in counts if c[k]) for k in range(len(terms))]
    idf = [math.log(1 + (total - d + 0.5) / (d + 0.5)) for d in df]

    def score(n: int) -> float:
        length = len(docs[n]) or 1
        return sum(
            idf[k] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
            for k, tf in enumerate(counts[n])
        )

    ranked = sorted(hits, key=lambda n: -score(n))
    return [items[n] for n in ranked]


def highlight(text: str, query: str, *, last_is_prefix: bool = False) -> list[tuple[int, int]]:
    """Where the query's words are in `text` (start, end), for styling matches: whole
    words, a phrase only where all its words stand in order, a prefix where a word begins
    with it."""
    terms = parse(query, last_is_prefix=last_is_prefix)
    if not terms:
        return []
    table = aliases.table()
    toks = [
        (m.start(), m.end(), table.get(w, w))
        for m in _WORD.finditer(text)
        for w in (m.group().casefold(),)
    ]
    spans: set[tuple[int, int]] = set()
    for t in terms:
        n = len(t.words)
        for i in range(len(toks) - n + 1):
            window = toks[i : i + n]
            if all(w == tok[2] for w, tok in zip(t.words[:-1], window, strict=False)) and (
                window[-1][2] == t.words[-1] or (t.prefix and window[-1][2].startswith(t.words[-1]))
            ):
                spans.update((s, e) for s, e, _ in window)
    return sorted(spans)


def snippet(
    text: str, spans: Iterable[tuple[int, int]], width: int = 70
) -> tuple[str, list[tuple[int, int]]]:
    """A one-line window of `text` around its first match, and the spans moved into it."""
    flat = text.replace("\n", " ")
    spans = sorted(spans)
    start = 0
    if spans and spans[0][1] > width - 10:
        start = max(0, spans[0][0] - 20)
        while start > 0 and not flat[start - 1].isspace():
            start -= 1
    piece = flat[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(flat) else ""
    shift = len(prefix) - start
    moved = [
        (s + shift, min(e, start + width) + shift)
        for s, e in spans
        if s >= start and s < start + width
    ]
    return prefix + piece + suffix, moved
