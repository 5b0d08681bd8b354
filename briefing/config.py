"""The user's config file (`briefing locate config`): theme and keymap.

    theme: briefing-light
    keymap:
      annotate: N          # binding id: keys (comma-separated for several)
      quit: q,ctrl+q

A bad file never stops the app: the errors are returned for the TUI to show, and the
defaults are used. Saving rewrites the file atomically and keeps the user's other keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from briefing import locations
from briefing.errors import BriefingError
from briefing.store import atomic_write_bytes
from briefing.yamlfile import load_yaml


class ConfigError(BriefingError):
    pass


@dataclass
class Config:
    theme: str | None = None
    author: str | None = None
    """The name notes are signed with (else the login name)."""
    keymap: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def load_config() -> tuple[Config, list[str]]:
    path = locations.config_file()
    if not path.exists():
        return Config(), []
    try:
        doc = load_yaml(path, ConfigError)
    except ConfigError as exc:
        return Config(), [str(exc)]
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        return Config(), [str(doc.error(ConfigError, "the config is a mapping (theme:, keymap:)"))]
    errors: list[str] = []
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
    return Config(theme=theme, author=author, keymap=keymap, raw=data), errors


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
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    atomic_write_bytes(path, text.encode("utf-8"), backup=False)
