"""Spelling variants treated as one word: Kyiv and Kiev, Türkiye and Turkey.

The config's `aliases:` and every brief template's are one table for the whole book: a
search is over the library, which has no brief. Each variant is folded into its group's
first spelling where words are made (`search.words`), so the query, the in-memory matcher,
the highlight and the on-disk index all see one word. The table's signature is part of the
index's version: change the aliases and the index is rebuilt on its next sync.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from briefing.model import merge_alias_groups

_table: dict[str, str] | None = None
_spellings: dict[str, str] = {}


def configure(groups: Iterable[Sequence[str]]) -> None:
    """Use these groups (the first spelling of each is the one kept); for tests and for a
    process that has read them already."""
    global _table, _spellings
    table: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for group in merge_alias_groups(groups):
        words = [w.casefold() for w in group]
        for w, original in zip(words[1:], group[1:], strict=True):
            if w != words[0]:
                table.setdefault(w, words[0])
                spellings.setdefault(original, group[0])
    _table, _spellings = table, spellings


def table() -> dict[str, str]:
    """variant (case-folded) → the spelling it is searched as; read once per process."""
    if _table is None:
        configure(_load())
    assert _table is not None
    return _table


def spellings() -> dict[str, str]:
    """variant → the preferred spelling as written (`Kiev` → `Kyiv`): for text shown to a
    reader, such as who's who's names and roles."""
    table()
    return _spellings


def reset() -> None:
    """Read the config and the templates again on next use."""
    global _table
    _table = None


def signature() -> str:
    """Different whenever the table is: part of the search index's version."""
    t = table()
    if not t:
        return ""
    return hashlib.sha1(repr(sorted(t.items())).encode()).hexdigest()[:12]


def overlaps() -> list[str]:
    """One line per word that two files' groups share (they are then searched as one
    group): for `briefing doctor`, since each file alone is valid."""
    from briefing.config import load_config
    from briefing.templates import load_templates

    owners: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    sources = [("the config", g) for g in load_config()[0].aliases]
    templates, _problems = load_templates()
    sources += [(f"template {t.id}", g) for t in templates.values() for g in t.aliases]
    for where, group in sources:
        for word in group:
            owners.setdefault(word.casefold(), []).append((where, group))
    lines = []
    for word, found in owners.items():
        if len({g for _w, g in found}) > 1:
            said = "; ".join(f"{where}: [{', '.join(g)}]" for where, g in found)
            lines.append(f"aliases: {word!r} is in more than one group ({said}): one name")
    return lines


def _load() -> list[tuple[str, ...]]:
    """The config's groups, then the templates' (a broken file adds none; `briefing doctor`
    reports it)."""
    from briefing.config import load_config
    from briefing.templates import load_templates

    groups = list(load_config()[0].aliases)
    templates, _problems = load_templates()
    for template in templates.values():
        groups += template.aliases
    return groups
