"""Config, themes and keymap checks: every problem is one line naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.theme import Theme

from briefing import config, locations
from briefing.themes import APP_VARIABLES, DEFAULT_THEME, load_themes
from briefing.tui.keymap import (
    bindings_of,
    doctor_lines,
    effective_keys,
    keymap_problems,
)
from briefing.tui.theming import (
    THEME_VARIABLE_DEFAULTS,
    choose_theme,
    colour_problem,
    load_textual_themes,
)

GOOD = 'name: {name}\ndark: true\nprimary: "#3b82f6"\nbackground: "#101010"\n'


def write_theme(filename: str, text: str) -> Path:
    folder = locations.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def write_config(text: str) -> Path:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- themes ------------------------------------------------------------------------------


def test_bundled_themes_all_load_and_set_the_app_variables() -> None:
    themes, errors = load_textual_themes()
    assert errors == []
    names = {t.name for t in themes}
    assert {"briefing-dark", "briefing-light", "high-contrast"} <= names
    for theme in themes:
        for var in ("tag-color", "note-background", "key-point-color", "note-color"):
            assert var in theme.variables, (theme.name, var)
        theme.to_color_system().generate()  # what App.theme = ... does; must not raise


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


@pytest.mark.parametrize(("name", "minimum"), [("high-contrast", 7.0), ("briefing-dark", 4.5)])
def test_theme_variables_are_readable(name: str, minimum: float) -> None:
    """WCAG contrast: AAA (7:1) for high-contrast, AA (4.5:1) for the default."""
    theme = {t.name: t for t in load_textual_themes()[0]}[name]
    v = theme.variables
    assert theme.background
    assert _contrast(v["tag-color"], theme.background) >= minimum
    assert _contrast(v["key-point-color"], theme.background) >= minimum
    assert _contrast(v["note-color"], v["note-background"]) >= minimum


def test_bad_colour_theme_is_dropped_with_file_line_and_field() -> None:
    path = write_theme(
        "bad.yaml", 'name: bad\ndark: true\nprimary: "notacolour"\nbackground: "#000"\n'
    )
    # The regex check of briefing.themes lets it through: that is why theming exists.
    assert "bad" in load_themes()[0]
    themes, errors = load_textual_themes()
    assert "bad" not in {t.name for t in themes}
    assert errors == [f"{path}:3: primary: not a colour: 'notacolour'"]


@pytest.mark.parametrize(
    ("variables", "line", "field", "message"),
    [
        ('  tag-color: "notacolour"\n', 4, "variables.tag-color", "not a colour: 'notacolour'"),
        ('  tag-color: "$panel"\n', 4, "variables.tag-color", "cannot refer to another"),
        ('  note-background: "auto"\n', 4, "variables.note-background", "not a colour"),
        ('  tag-colour: "#fff"\n', 4, "variables.tag-colour", "did you mean 'tag-color'?"),
        ('  "tag color": "#fff"\n', 4, "variables.tag color", "lower-case letters"),
        ("  note-color:\n", 4, "variables.note-color", "must be a quoted value"),
        ('  block-cursor-text-style: "blod"\n', 4, "variables.block-cursor-text-style", "style"),
    ],
)
def test_bad_variables_are_dropped_with_line_and_field(
    variables: str, line: int, field: str, message: str
) -> None:
    path = write_theme("vars.yaml", 'name: vars\nprimary: "#3b82f6"\nvariables:\n' + variables)
    themes, errors = load_textual_themes()
    assert "vars" not in {t.name for t in themes}
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:{line}: {field}: "), errors[0]
    assert message in errors[0]


def test_good_user_theme_with_textual_and_app_variables_loads() -> None:
    write_theme(
        "mine.yaml",
        GOOD.format(name="mine")
        + "variables:\n"
        + '  tag-color: "ansi_bright_cyan"\n'
        + '  note-background: "initial"\n'
        + '  note-color: "auto 87%"\n'
        + '  status-ready: "#00ff00 50%"\n'
        + '  footer-key-foreground: "rgb(10, 20, 30)"\n'
        + '  block-cursor-text-style: "bold reverse"\n',
    )
    themes, errors = load_textual_themes()
    assert errors == []
    mine = {t.name: t for t in themes}["mine"]
    assert isinstance(mine, Theme)
    assert mine.variables["tag-color"] == "ansi_bright_cyan"
    assert set(APP_VARIABLES) >= {"tag-color", "note-color", "status-ready"}


def test_broken_user_theme_does_not_replace_the_bundled_one() -> None:
    write_theme("override.yaml", 'name: briefing-dark\nprimary: "nope"\n')
    themes, errors = load_textual_themes()
    dark = {t.name: t for t in themes}["briefing-dark"]
    assert dark.primary == "#5fa8d3"
    assert len(errors) == 1 and "override.yaml:2: primary" in errors[0]


def test_colour_problem() -> None:
    assert colour_problem("#ff0000") is None
    assert colour_problem("red 20%") is None
    assert colour_problem("auto 87%") is None
    assert colour_problem("auto", background=True) == "not a colour: 'auto'"
    assert colour_problem("$primary 20%") is not None  # Textual would not resolve it
    assert colour_problem("red blue") == "not a colour: 'red blue'"
    assert colour_problem("#ff00zz") is not None


def test_variable_defaults_are_real_colours() -> None:
    assert set(THEME_VARIABLE_DEFAULTS) == set(APP_VARIABLES)
    for name, value in THEME_VARIABLE_DEFAULTS.items():
        assert colour_problem(value, background="background" in name) is None, name


def test_choose_theme() -> None:
    available = ["briefing-dark", "briefing-light", "textual-dark"]
    assert choose_theme("briefing-light", available) == ("briefing-light", None)
    assert choose_theme(None, available) == (DEFAULT_THEME, None)
    name, message = choose_theme("briefing-ligth", available)
    assert name == DEFAULT_THEME
    assert message == (
        "theme 'briefing-ligth' (from the config) is not available "
        "(did you mean 'briefing-light'?); using briefing-dark"
    )
    name, message = choose_theme("briefing-dark", ["textual-dark"])
    assert name == "textual-dark" and message and "'briefing-dark'" in message


# -- config ------------------------------------------------------------------------------


def test_config_keymap_values_are_strings() -> None:
    path = write_config(
        "theme: briefing-light\nkeymap:\n  annotate: n\n  quit: [q, 1]\n  undo: 5\n  tag: yes\n"
    )
    cfg, errors = config.load_config()
    assert cfg.theme == "briefing-light"
    assert cfg.keymap == {"annotate": "n", "quit": "q,1", "undo": "5"}
    assert errors == [f"{path}:6: keymap.tag: must be keys such as 'n' or 'ctrl+n'"]


def test_config_errors_never_raise() -> None:
    write_config("theme: [a]\nkeymap: nope\n")
    cfg, errors = config.load_config()
    assert cfg.theme is None and cfg.keymap == {}
    assert len(errors) == 2 and ":1: theme:" in errors[0] and ":2: keymap:" in errors[1]


# -- keymap ------------------------------------------------------------------------------

SCREEN = [
    Binding("q", "app.quit", "Quit", id="quit"),
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding("t", "tag", "Tag", id="tag"),
    Binding("a", "annotate", "Note", id="annotate"),
    Binding("b", "switch_brief", "Brief", id="switch_brief"),
    Binding("ctrl+p", "app.command_palette", "Commands", id="command_palette", show=False),
]
APP = [
    Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    Binding("ctrl+p", "command_palette", "palette", priority=True),
]
PASSAGES = [Binding("j,down", "cursor_down", "Down", id="passages.down", show=False)]
READER = [
    Binding("j,down", "scroll(1)", "Down", id="reader.down", show=False),
    Binding("g,home", "top", "Top", id="reader.top", show=False),
]
SCOPES = {"app": APP, "screen": SCREEN, "widget:passages": PASSAGES, "widget:reader": READER}


def test_the_default_keys_have_no_problems() -> None:
    """Two widgets both on `j`, and ctrl+p on screen and app for one action: all fine."""
    assert keymap_problems({}, SCOPES) == []


def test_unknown_binding_id_suggests_the_closest() -> None:
    lines = keymap_problems({"anotate": "n"}, SCOPES)
    assert len(lines) == 1
    assert lines[0].startswith("keymap: unknown binding id 'anotate' (did you mean 'annotate'?")
    assert "known: annotate, app.quit, command_palette, help" in lines[0]


def test_remap_onto_a_key_of_the_same_scope_conflicts() -> None:
    assert keymap_problems({"annotate": "t"}, SCOPES) == [
        "keymap: annotate → t conflicts with tag (t) on the main screen"
    ]


def test_widget_binding_shadowing_a_screen_key_is_reported() -> None:
    assert keymap_problems({"reader.top": "b"}, SCOPES) == [
        "keymap: reader.top → b in the reader widget hides switch_brief (b) on the main screen "
        "while the reader widget has focus"
    ]
    # ... and the other way round: the screen's key moved onto a widget's key.
    assert keymap_problems({"tag": "j"}, SCOPES) == [
        "keymap: passages.down (j) in the passages widget hides tag → j on the main screen "
        "while the passages widget has focus",
        "keymap: reader.down (j) in the reader widget hides tag → j on the main screen "
        "while the reader widget has focus",
    ]


def test_widget_key_under_a_priority_app_key_never_runs() -> None:
    lines = keymap_problems({"reader.top": "ctrl+q"}, SCOPES)
    assert lines == [
        "keymap: reader.top → ctrl+q in the reader widget never runs: "
        "app.quit (ctrl+q) everywhere in the app is a priority binding"
    ]


def test_two_widget_scopes_do_not_conflict() -> None:
    assert keymap_problems({"reader.top": "j"}, SCOPES) == [
        # only within the reader itself: j was already its "down"
        "keymap: reader.top → j conflicts with reader.down (j) in the reader widget"
    ]
    assert keymap_problems({"passages.down": "g"}, SCOPES) == []


def test_conflicts_without_a_keymap_start_with_keys() -> None:
    scopes = {"screen": [*SCREEN, Binding("t", "other", "Other", id="other")]}
    assert keymap_problems({}, scopes) == [
        "keys: tag (t) conflicts with other (t) on the main screen"
    ]


def test_malformed_keys_are_reported() -> None:
    lines = keymap_problems({"quit": "ctl+q", "tag": "t,,x"}, SCOPES)
    assert lines[0].startswith("keymap: quit → 'ctl+q': not a key")
    assert lines[1] == "keymap: tag → 't,,x' has an empty key"


def test_effective_keys() -> None:
    help_binding = SCREEN[1]
    assert effective_keys(help_binding, {}) == ["question_mark"]
    assert effective_keys(help_binding, {"help": "?, f1"}) == ["question_mark", "f1"]
    assert effective_keys(help_binding, {"tag": "x"}) == ["question_mark"]
    assert effective_keys(READER[0], {}) == ["j", "down"]


def test_bindings_of_a_class_includes_inherited_keys() -> None:
    from textual.widgets import DataTable

    class Table(DataTable[str]):
        BINDINGS = [Binding("j", "cursor_down", "Down", show=False)]

    keys = {b.key for b in bindings_of(Table)}
    assert {"j", "enter", "down"} <= keys


def test_doctor_lines_collects_config_theme_and_keymap_problems() -> None:
    assert doctor_lines(SCOPES) == []
    theme_path = write_theme("bad.yaml", 'name: bad\nprimary: "notacolour"\n')
    config_path = write_config("theme: bad\nkeymap:\n  anotate: n\n  annotate: t\n  undo: {}\n")
    lines = doctor_lines(SCOPES)
    assert lines[0] == f"{config_path}:5: keymap.undo: must be keys such as 'n' or 'ctrl+n'"
    assert lines[1] == f"{theme_path}:2: primary: not a colour: 'notacolour'"
    assert lines[2] == "theme 'bad' (from the config) is not available; using briefing-dark"
    assert lines[3].startswith("keymap: unknown binding id 'anotate'")
    assert lines[4] == "keymap: annotate → t conflicts with tag (t) on the main screen"
    assert len(lines) == 5


def test_screen_binding_on_an_app_key() -> None:
    app = [Binding("ctrl+x", "cut", "Cut", id="app.cut"), Binding("ctrl+c", "help_quit")]
    screen = [*SCREEN, Binding("ctrl+c", "screen.copy_text", "Copy")]
    scopes = {"app": app, "screen": screen}
    # Textual's own Screen ctrl+c over App ctrl+c: neither is ours, not reported.
    assert keymap_problems({}, scopes) == []
    assert keymap_problems({"tag": "ctrl+x"}, scopes) == [
        "keymap: tag → ctrl+x on the main screen hides app.cut (ctrl+x) everywhere in the app"
    ]
