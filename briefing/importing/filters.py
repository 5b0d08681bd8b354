"""Drop rules ("kill filters"): feed items the user never wants in the book.

The rules are declared under `drop:` in the config file (they apply to every feed import)
and in a brief template (they apply to the feed items going into a brief made from it);
`templates` and `config` parse and validate them, each rule a mapping of fields to the texts
that match (see `DropRule` there):

    drop:
      - source: Sports Desk                  # the item's source, whole, any case
      - title: [horoscope, "live blog"]      # words or phrases in the title (whole words;
                                             #   `horoscope*` also matches "horoscopes")
      - language: [fr]                       # `fr` matches fr, fr-FR, fr_CA; `fr-ca` only fr-CA
      - {source: Wire, title: [sport]}       # every field of one rule must match

An item is dropped when any rule matches it; a rule matches when each of its fields does;
a field matches when any of its texts does. Only feed items (RSS, Atom, JSON Feed — from a
subscription or from `briefing import feed.xml`) are looked at: a page, a text file or an
imported brief is what the user chose, whole. A dropped item is not imported (nor filed),
only counted (`ImportReport.dropped`).

The rules are read when the import starts, from the files as they are then: editing a
template's rules takes effect for its briefs at the next refresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from briefing.errors import BriefingError, NotFound
from briefing.store import Book

FIELDS = ("source", "title", "language")
"""What a rule can look at (the same names as in the YAML)."""


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1024)
def _words_rx(words: str) -> re.Pattern[str]:
    """A word or phrase as a whole-word pattern (`live blog` does not match "olive blogs");
    a final `*` matches any ending (`horoscope*`: horoscope, horoscopes)."""
    prefix = words.endswith("*")
    body = _norm(words.rstrip("*"))
    parts = [re.escape(w) for w in body.split(" ")]
    tail = r"\w*" if prefix else ""
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + tail + r"(?!\w)")


def _language_matches(wanted: str, language: str) -> bool:
    """`fr` matches `fr`, `fr-FR`, `FR_ca`; `fr-ca` matches `fr-CA` only."""
    have = language.strip().casefold().replace("_", "-")
    want = wanted.strip().casefold().replace("_", "-")
    return bool(have) and (have == want or have.startswith(want + "-"))


@dataclass(frozen=True)
class Rule:
    """One rule, ready to match: for each field it names, the texts that match it."""

    source: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    language: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: Mapping[str, Sequence[str]]) -> Rule:
        """From a validated rule (field → texts; templates and config check the fields)."""
        return cls(
            source=tuple(_norm(s) for s in raw.get("source", ())),
            title=tuple(t for t in raw.get("title", ()) if _norm(t.rstrip("*"))),
            language=tuple(raw.get("language", ())),
        )

    def matches(self, source: str, title: str, language: str) -> bool:
        if not (self.source or self.title or self.language):
            return False  # an empty rule would drop everything: never
        if self.source and _norm(source) not in self.source:
            return False
        if self.title:
            low = title.casefold()
            if not any(_words_rx(t).search(low) for t in self.title):
                return False
        return not self.language or any(_language_matches(w, language) for w in self.language)


@dataclass
class DropRules:
    """The rules an import applies (the config's and the target brief's template's), and
    why some could not be read (`warnings`: a broken file drops nothing)."""

    rules: list[Rule] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, *rule_lists: Iterable[Mapping[str, Sequence[str]]]) -> DropRules:
        return cls([Rule.of(r) for rules in rule_lists for r in rules])

    def __bool__(self) -> bool:
        return bool(self.rules)

    def drops(self, article: Mapping[str, Any]) -> bool:
        """Whether an article (as the book stores it: `Article.to_dict()`) is a feed item
        that a rule drops."""
        if not self.rules or article.get("format") != "feed":
            return False
        source = str(article.get("source") or "")
        title = str(article.get("title") or "")
        language = str(article.get("language") or "")
        return any(r.matches(source, title, language) for r in self.rules)


NONE = DropRules()
"""Drop nothing (an import that must take every item)."""


def configured(book: Book, brief_id: str | None) -> DropRules:
    """The rules for feed items going into `brief_id` (or into the library only): the
    config's, then those of the template the brief was made from. A file that cannot be
    read adds a warning and no rules; a brief whose template is gone (a brief imported from
    another book) has only the config's."""
    from briefing.config import config_drop_rules
    from briefing.templates import get_template

    raw, warnings = config_drop_rules()
    lists = [raw]
    if brief_id:
        brief = book.brief(brief_id, missing_ok=True)
        template_id = brief.template if brief else brief_id  # ensure_brief makes it so
        if template_id:
            try:
                lists.append(get_template(template_id).drop)
            except NotFound:
                pass
            except BriefingError as exc:
                warnings.append(f"{exc} (its drop rules are not applied)")
    rules = DropRules.of(*lists)
    rules.warnings = warnings
    return rules
