"""Themes are data: `themes/*.yaml` (bundled) and the user's themes folder.

Each file maps one-to-one onto Textual's `Theme` fields. Loading never needs a running App;
the TUI registers what loads and shows the errors of the rest in one notification.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefing import locations
from briefing.errors import ThemeError
from briefing.yamlfile import load_yaml

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
_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(?:rgb|hsl)a?\([^)]*\)|[a-z_]+)$")


def theme_files() -> list[Path]:
    files: list[Path] = []
    for folder in (locations.bundled_themes_dir(), locations.user_themes_dir()):
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    return files


def parse_theme(path: Path) -> dict[str, Any]:
    """The keyword arguments of a Textual `Theme`, validated."""
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
    out["variables"] = {str(k): str(v) for k, v in variables.items()}
    return out


def load_themes() -> tuple[dict[str, tuple[dict[str, Any], Path]], list[ThemeError]]:
    """Every valid theme by name (user files win), and the errors of the others."""
    found: dict[str, tuple[dict[str, Any], Path]] = {}
    errors: list[ThemeError] = []
    for path in theme_files():
        try:
            spec = parse_theme(path)
        except ThemeError as exc:
            errors.append(exc)
            continue
        found[spec["name"]] = (spec, path)
    return found, errors
