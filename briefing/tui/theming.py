"""Themes checked by Textual's own parsers, before the App ever sees them.

`briefing.themes` validates the shape of a theme file without Textual. That is not enough:
`primary: notacolour` matches its loose regex, and `Theme(primary="notacolour")` then raises
when the App applies it — the app would not start. A variable value such as `$panel` or
`notacolour` only fails later, when CSS that uses it is parsed (Textual 8 does not resolve
a `$variable` inside a theme variable). So every colour field and
every colour variable is parsed here with `textual.color.Color.parse`, variable names are
limited to those the app and Textual know, and a bad theme is dropped with one error line
(file, line, field) instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from briefing.errors import ThemeError
from briefing.themes import APP_VARIABLES, COLOR_FIELDS, DEFAULT_THEME, load_themes
from briefing.yamlfile import YamlDoc

FALLBACK_THEME = "textual-dark"
"""Used only if the bundled default itself is missing (a broken install)."""

THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "tag-color": "ansi_cyan",
    "note-background": "ansi_black",
    "key-point-color": "ansi_yellow",
    "note-color": "ansi_green",
    "status-drafting": "ansi_yellow",
    "status-ready": "ansi_green",
    "status-cleared": "ansi_bright_black",
}
"""For `App.get_theme_variable_defaults`: Textual's built-in themes (and user themes that
leave a variable out) still give the app's CSS every variable it uses. Real colours, not
`$panel`: Textual does not resolve a variable inside another variable's value."""

_ALPHA = re.compile(r"^(.*\S)\s+\d+(?:\.\d+)?%$")
"""A colour followed by an alpha percentage: `#000000 50%`, `rgb(1, 2, 3) 20%`."""


@cache
def textual_variables() -> frozenset[str]:
    """Every variable name Textual 8 generates for a theme (and so lets a theme override).

    Asked of Textual itself rather than listed here, so an upgrade cannot make the list lie.
    """
    return frozenset(Theme(name="probe", primary="#000000").to_color_system().generate())


def known_variables() -> frozenset[str]:
    return textual_variables() | frozenset(APP_VARIABLES) | frozenset(THEME_VARIABLE_DEFAULTS)


def _is_style_variable(name: str) -> bool:
    """Variables that hold a text style (`bold underline`), not a colour."""
    return name.endswith("-text-style") or name.startswith("link-style")


def colour_problem(value: str, *, background: bool = False) -> str | None:
    """Why `value` cannot be a theme colour variable, or None if it can.

    Accepts what Textual 8's CSS accepts once the variable is substituted: a colour,
    `initial`, or (not for a background) `auto`, each optionally with an alpha percentage
    (`#000000 50%`, `auto 87%`). A `$variable` reference is refused: Textual substitutes a
    theme variable's value as it is, and `color: $panel` inside a value fails the whole
    stylesheet — the app would not start.
    """
    token = value.strip()
    alpha = _ALPHA.match(token)
    if alpha:
        token = alpha.group(1)
    if token.startswith("$"):
        return (
            f"{value!r}: a theme cannot refer to another variable "
            "(Textual does not resolve it); write the colour itself, e.g. '#3b82f6'"
        )
    if token == "initial" or (token == "auto" and not background):
        return None
    try:
        Color.parse(token)
    except ColorParseError:
        return f"not a colour: {value!r}"
    return None


def check_theme(spec: dict[str, Any], doc: YamlDoc) -> None:
    """Raise `ThemeError` (file, line, field) for the first thing Textual would reject."""
    for field in COLOR_FIELDS:
        value = spec.get(field)
        if value is None:
            continue
        try:
            Color.parse(value)
        except ColorParseError:
            raise doc.error(ThemeError, f"not a colour: {value!r}", field) from None
    variables: dict[str, str] = spec.get("variables", {})
    known = known_variables()
    for name, value in variables.items():
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise doc.error(
                ThemeError,
                f"unknown variable ({hint}the app's: {', '.join(APP_VARIABLES)}; "
                "or one of Textual's, such as footer-key-foreground)",
                "variables",
                name,
            )
        if _is_style_variable(name):
            bad = [w for w in value.split() if w not in VALID_STYLE_FLAGS]
            if bad:
                raise doc.error(
                    ThemeError, f"not a text style: {value!r}", "variables", name
                ) from None
            continue
        problem = colour_problem(value, background="background" in name)
        if problem:
            raise doc.error(ThemeError, problem, "variables", name)


def load_textual_themes() -> tuple[list[Theme], list[str]]:
    """Every theme Textual can apply, and one error line for each theme file it could not."""
    specs, errors = load_themes(check_theme)
    themes = [Theme(**spec) for spec, _path in specs.values()]
    return themes, [str(e) for e in errors]


def choose_theme(wanted: str | None, available: Iterable[str]) -> tuple[str, str | None]:
    """The theme to apply, and a message when it is not the one the config asked for.

    `available` is what the App has registered (`App.available_themes`), so a theme dropped
    by `load_textual_themes` falls back here instead of stopping the app.
    """
    names = set(available)
    if wanted and wanted in names:
        return wanted, None
    fallback = DEFAULT_THEME if DEFAULT_THEME in names else FALLBACK_THEME
    if not wanted or wanted == fallback:
        return fallback, None
    close = difflib.get_close_matches(wanted, sorted(names), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close and close[0] != fallback else ""
    return fallback, f"theme {wanted!r} (from the config) is not available{hint}; using {fallback}"
