"""The user's config file (`briefing locate config`): theme, keymap, drop rules, searches.

    theme: briefing-light
    keymap:
      annotate: N          # binding id: keys (comma-separated for several)
      quit: q,ctrl+q
    drop:                  # feed items never imported (see importing.filters)
      - title: [horoscope, "live blog"]
    searches:              # named queries shown as listings
      - {name: Grain deal, query: '"grain corridor" Black Sea'}

A bad file never stops the app: the errors are returned for the TUI to show, and the
defaults are used; a bad entry of a list (a drop rule, a search) is reported and left out,
the others kept. Saving rewrites the file atomically and keeps the user's other keys.

`drop:` and `searches:` are read by the parsers templates use too (`yamlrules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefing import locations
from briefing.errors import BriefingError
from briefing.model import SavedSearch
from briefing.store import atomic_write_bytes
from briefing.yamlfile import YamlDoc, load_yaml, parse_aliases
from briefing.yamlrules import (  # noqa: F401 (names other modules read here)
    _LANGUAGE,
    DROP_FIELDS,
    DropRule,
    _texts,
    parse_drop_rule,
    parse_search,
)


class ConfigError(BriefingError):
    pass


@dataclass
class Config:
    theme: str | None = None
    author: str | None = None
    """The name notes are signed with (else the login name)."""
    keymap: dict[str, str] = field(default_factory=dict)
    drop: list[DropRule] = field(default_factory=list)
    """Feed items never imported, whatever brief they go to (see `importing.filters`)."""
    searches: list[SavedSearch] = field(default_factory=list)
    """Named queries shown as listings in every brief."""
    aliases: list[tuple[str, ...]] = field(default_factory=list)
    """Spellings of one name, for every brief and search (see `templates.Template`)."""
    raw: dict[str, Any] = field(default_factory=dict)


def _load() -> tuple[YamlDoc | None, dict[str, Any], list[str]]:
    """The config file's document and mapping (None and {} when there is none or it cannot
    be read), and the error that stopped it being read."""
    path = locations.config_file()
    if not path.exists():
        return None, {}, []
    try:
        doc = load_yaml(path, ConfigError)
    except ConfigError as exc:
        return None, {}, [str(exc)]
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        return None, {}, [str(doc.error(ConfigError, "the config is a mapping (theme:, keymap:)"))]
    return doc, data, []


def load_config() -> tuple[Config, list[str]]:
    doc, data, errors = _load()
    if doc is None:
        return Config(), errors
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        errors.append(str(doc.error(ConfigError, "must be a theme name", "theme")))
        theme = None
    author = data.get("author")
    if author is not None and (not isinstance(author, str) or not author.strip()):
        errors.append(str(doc.error(ConfigError, "must be a name such as 'J. Smith'", "author")))
        author = None
    keymap: dict[str, str] = {}
    raw_map = data.get("keymap") or {}
    if not isinstance(raw_map, dict):
        errors.append(str(doc.error(ConfigError, "must map binding ids to keys", "keymap")))
    else:
        for k, v in raw_map.items():
            # YAML reads `quit: 1` as a number and `quit: [q, 1]` as a list: both are keys.
            # Booleans are not: `yes`/`on` would silently become the key "True".
            if isinstance(v, list) and not any(isinstance(x, bool) for x in v):
                v = ",".join(str(x) for x in v)
            elif isinstance(v, int) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str) or not v.strip():
                errors.append(
                    str(doc.error(ConfigError, "must be keys such as 'n' or 'ctrl+n'", "keymap", k))
                )
                continue
            keymap[str(k)] = v.strip()
    drop = _drop_rules(doc, data, errors)
    searches = _searches(doc, data, errors)
    aliases: list[tuple[str, ...]] = []
    try:
        aliases = parse_aliases(doc, data.get("aliases"), ConfigError, "aliases", errors=errors)
    except ConfigError as exc:  # not a list at all
        errors.append(str(exc))
    config = Config(
        theme=theme,
        author=author,
        keymap=keymap,
        drop=drop,
        searches=searches,
        aliases=aliases,
        raw=data,
    )
    return config, errors


def config_drop_rules() -> tuple[list[DropRule], list[str]]:
    """Only the `drop:` rules, and what is wrong with them (or with the whole file: then
    there are none), for an import: the rest of the file is not its business."""
    doc, data, errors = _load()
    if doc is None:
        return [], errors
    return _drop_rules(doc, data, errors), errors


def _entries(doc: YamlDoc, data: dict[str, Any], key: str, errors: list[str]) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(str(doc.error(ConfigError, "must be a list", key)))
        return []
    return value


def _drop_rules(doc: YamlDoc, data: dict[str, Any], errors: list[str]) -> list[DropRule]:
    rules: list[DropRule] = []
    for i, raw in enumerate(_entries(doc, data, "drop", errors)):
        try:
            rules.append(parse_drop_rule(doc, raw, ConfigError, "drop", i))
        except ConfigError as exc:
            errors.append(str(exc))
    return rules


def _searches(doc: YamlDoc, data: dict[str, Any], errors: list[str]) -> list[SavedSearch]:
    searches: list[SavedSearch] = []
    names: dict[str, int] = {}
    for i, raw in enumerate(_entries(doc, data, "searches", errors)):
        try:
            searches.append(parse_search(doc, raw, ConfigError, names, "searches", i))
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        names[searches[-1].name.casefold()] = i
    return searches


def save_setting(key: str, value: Any) -> None:
    """Set one top-level key, keeping the rest of the user's file."""
    path = locations.config_file()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return  # never overwrite a file the user must fix by hand
        if isinstance(loaded, dict):
            data = loaded
    data[key] = value
    text = _with_setting(path.read_text(encoding="utf-8") if path.exists() else "", key, value)
    if text is None:  # the key is not a plain `key: value` line: write the mapping again
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    atomic_write_bytes(path, text.encode("utf-8"), backup=False)


def _with_setting(text: str, key: str, value: Any) -> str | None:
    """The file with `key: value` set on its own top-level line, every other line (and the
    user's comments) as it was; None when that cannot be done line by line."""
    rendered = yaml.safe_dump({key: value}, allow_unicode=True).rstrip("\n")
    if "\n" in rendered:
        return None
    lines = text.splitlines()
    found = [n for n, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", line)]
    if len(found) > 1:
        return None
    if not found:
        return (text if not text or text.endswith("\n") else text + "\n") + rendered + "\n"
    n = found[0]
    comment = re.search(r"\s+#.*$", lines[n])
    if n + 1 < len(lines) and lines[n + 1].startswith((" ", "\t", "-")):
        return None  # a block value under the key: not one line
    lines[n] = rendered + (comment.group(0) if comment else "")
    return "\n".join(lines) + "\n"
