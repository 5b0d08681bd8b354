"""The entries of `drop:` and `searches:`, which both a brief template and the config hold.

One parser for each, given the error class to raise (TemplateError, ConfigError), so a
rule means the same and is refused with the same message in either file.
"""

from __future__ import annotations

import re

from briefing.errors import BriefingError
from briefing.model import SavedSearch
from briefing.sanitize import clean_field
from briefing.yamlfile import YamlDoc

DropRule = dict[str, tuple[str, ...]]
"""One drop rule as validated: field (`DROP_FIELDS`) → the texts that match it."""
DROP_FIELDS = ("source", "title", "language")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def _texts(
    doc: YamlDoc, value: object, error_cls: type[BriefingError], *fld: object
) -> tuple[str, ...]:
    """One text or a non-empty list of them, each non-empty once cleaned."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise doc.error(error_cls, "must be text or a non-empty list of text", *fld)
    out: list[str] = []
    for i, v in enumerate(items):
        where = (*fld, i) if isinstance(value, list) else fld
        text = clean_field(str(v)) if isinstance(v, str | int | float) else ""
        if isinstance(v, bool) or not text.strip("* "):
            raise doc.error(error_cls, "must be non-empty text", *where)
        out.append(text)
    return tuple(out)


def parse_drop_rule(
    doc: YamlDoc, raw: object, error_cls: type[BriefingError], *fld: object
) -> DropRule:
    """One `drop:` rule: a mapping of `source`, `title` and/or `language` to a text or a
    list of texts."""
    if not isinstance(raw, dict) or not raw:
        raise doc.error(
            error_cls, "must be a mapping of source, title and/or language to text", *fld
        )
    rule: DropRule = {}
    for key, value in raw.items():
        if key not in DROP_FIELDS:
            raise doc.error(
                error_cls, f"unknown field (known: {', '.join(DROP_FIELDS)})", *fld, key
            )
        rule[key] = texts = _texts(doc, value, error_cls, *fld, key)
        if key == "language":
            for i, code in enumerate(texts):
                if not _LANGUAGE.match(code):
                    where = (*fld, key, i) if isinstance(value, list) else (*fld, key)
                    raise doc.error(
                        error_cls, "must be a language code such as fr or pt-BR", *where
                    )
    return rule


def parse_search(
    doc: YamlDoc, raw: object, error_cls: type[BriefingError], seen: dict[str, int], *fld: object
) -> SavedSearch:
    """One `searches:` entry, `{name: ..., query: ...}`; `seen` holds the names so far
    (case-folded → index), a name must not be there."""
    if not isinstance(raw, dict):
        raise doc.error(error_cls, "must be a mapping with name and query", *fld)
    for key in raw:
        if key not in ("name", "query"):
            raise doc.error(error_cls, "unknown field (known: name, query)", *fld, key)
    values: dict[str, str] = {}
    for key in ("name", "query"):
        value = raw.get(key)
        text = clean_field(value) if isinstance(value, str) else ""
        if not isinstance(value, str) or not text:
            raise doc.error(error_cls, "is required and must be non-empty text", *fld, key)
        values[key] = text
    folded = values["name"].casefold()
    if folded in seen:
        first = doc.line(*fld[:-1], seen[folded])
        raise doc.error(
            error_cls,
            f"duplicate search name {values['name']!r} (first on line {first})",
            *fld,
            "name",
        )
    return SavedSearch(values["name"], values["query"])
