"""Themes are data: `themes/*.yaml` (bundled) and the user's themes folder.

Each file maps one-to-one onto Textual's `Theme` fields. Loading never needs a running App
(nor Textual: `briefing themes` and the layer rule keep this module plain Python); the checks
only Textual can make (is this really a colour, is this a variable it knows) are passed in
as `check` by `briefing.tui.theming`. The TUI registers what loads and shows the errors of
the rest in one notification.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing import locations
from briefing.errors import ThemeError
from briefing.yamlfile import YamlDoc, load_yaml

DEFAULT_THEME = "briefing-dark"
COLOR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
APP_VARIABLES = (
    "tag-color",
    "note-background",
    "key-point-color",
    "note-color",
    "status-drafting",
    "status-ready",
    "status-cleared",
)
"""Theme variables the app's CSS uses (the `status-*` ones are reserved for brief statuses).
A theme may also set Textual's own variables (`footer-key-foreground`, ...)."""

_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(?:rgb|hsl)a?\([^)]*\)|[a-z_]+)$")
VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
"""A name that is safe to splice into CSS as `$name`: anything else could break the parse."""

ThemeCheck = Callable[[dict[str, Any], YamlDoc], None]
"""Raises `ThemeError` (via `doc.error`, for file and line) when a parsed theme is unusable."""


def theme_files() -> list[Path]:
    files: list[Path] = []
    for folder in (locations.bundled_themes_dir(), locations.user_themes_dir()):
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    return files


def _parse(path: Path) -> tuple[dict[str, Any], YamlDoc]:
    doc = load_yaml(path, ThemeError)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error(ThemeError, "a theme is a mapping with name and colours")
    known = {"name", "dark", "variables", *COLOR_FIELDS}
    for key in data:
        if key not in known:
            raise doc.error(ThemeError, f"unknown field (known: {', '.join(sorted(known))})", key)
    name = data.get("name")
    if not isinstance(name, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise doc.error(ThemeError, "required: lower-case letters, digits and '-'", "name")
    if not isinstance(data.get("primary"), str):
        raise doc.error(ThemeError, "required: a colour such as '#3b82f6'", "primary")
    out: dict[str, Any] = {"name": name, "dark": bool(data.get("dark", True))}
    for f in COLOR_FIELDS:
        value = data.get(f)
        if value is None:
            continue
        if not isinstance(value, str) or not _COLOR.match(value.strip()):
            raise doc.error(ThemeError, f"not a colour: {value!r}", f)
        out[f] = value.strip()
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise doc.error(ThemeError, "must be a mapping of names to values", "variables")
    out["variables"] = {}
    for key, value in variables.items():
        if not isinstance(key, str) or not VARIABLE_NAME.match(key):
            raise doc.error(
                ThemeError,
                "a variable name is lower-case letters, digits and '-'",
                "variables",
                key,
            )
        # Only strings: YAML turns `0x10`, `yes` or an empty value into something else,
        # and str() of that would be a silently wrong colour.
        if not isinstance(value, str) or not value.strip():
            raise doc.error(ThemeError, f"must be a quoted value: {value!r}", "variables", key)
        out["variables"][key] = value.strip()
    return out, doc


def parse_theme(path: Path, check: ThemeCheck | None = None) -> dict[str, Any]:
    """The keyword arguments of a Textual `Theme`, validated (also by `check`, if given)."""
    spec, doc = _parse(path)
    if check is not None:
        check(spec, doc)
    return spec


def load_themes(
    check: ThemeCheck | None = None,
) -> tuple[dict[str, tuple[dict[str, Any], Path]], list[ThemeError]]:
    """Every valid theme by name (user files win), and the errors of the others.

    `check` runs per file, before a theme takes its name: a broken user theme must not
    replace the bundled theme of the same name.
    """
    found: dict[str, tuple[dict[str, Any], Path]] = {}
    errors: list[ThemeError] = []
    for path in theme_files():
        try:
            spec = parse_theme(path, check)
        except ThemeError as exc:
            errors.append(exc)
            continue
        found[spec["name"]] = (spec, path)
    return found, errors
