"""KeyFooter at 80 columns, and an app that starts although its configured theme is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from briefing import locations
from briefing.tui.theming import THEME_VARIABLE_DEFAULTS, choose_theme, load_textual_themes
from briefing.tui.widgets.footer import KeyFooter

PRIORITY = [
    "quit",
    "search",
    "tag",
    "annotate",
    "key_point",
    "move",
    "import",
    "export",
    "switch_brief",
    "summary",
    "undo",
]


class KeysScreen(Screen[None]):
    """Fifteen bindings like the main screen's, BINDINGS in a different order than PRIORITY."""

    BINDINGS = [
        Binding("u", "noop", "Undo", id="undo"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("question_mark", "noop", "Help", id="help", key_display="?"),
        Binding("slash", "noop", "Search", id="search"),
        Binding("t", "noop", "Tag", id="tag"),
        Binding("a", "noop", "Note", id="annotate"),
        Binding("asterisk", "noop", "Key pt", id="key_point", key_display="*"),
        Binding("m", "noop", "Move", id="move"),
        Binding("i", "noop", "Import", id="import"),
        Binding("e", "noop", "Export", id="export"),
        Binding("b", "noop", "Brief", id="switch_brief"),
        Binding("s", "noop", "Summary", id="summary"),
        Binding("r", "noop", "Reader", id="toggle_reader", show=False),
        Binding("x", "noop", "Extra", id="extra"),
        Binding("escape", "noop", "Back", id="back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeyFooter(PRIORITY)

    def action_noop(self) -> None:
        pass


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


def _footer_line(app: App[None]) -> str:
    footer = app.screen.query_one(KeyFooter)
    return footer.plain


async def test_footer_fits_80_columns_in_priority_order_with_help_at_the_right() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = _footer_line(app)
        assert len(line) <= 80 and line.endswith("? Help"), repr(line)
        assert len(line) >= 78, "help sits at the right end"
        shown = [d for d in ("Quit", "Search", "Tag", "Note", "Key pt", "Move") if d in line]
        assert shown == ["Quit", "Search", "Tag", "Note", "Key pt", "Move"], line
        positions = [line.index(f" {d}") for d in shown]
        assert positions == sorted(positions), line
        # Nothing cut in half: every entry is whole or absent (Textual's footer shows "e Expor").
        for entry in ("i Import", "e Export", "b Brief", "s Summary", "u Undo", "x Extra"):
            _key, description = entry.split(" ")
            assert entry in line or f" {description[:3]}" not in line, line
        assert "Reader" not in line and "Back" not in line  # show=False
        # "Undo" comes first in BINDINGS but late in the priority list: dropped, not first.
        assert not line.startswith(" u Undo")
        # What is painted is the same line.
        footer = app.screen.query_one(KeyFooter)
        painted = "".join(segment.text for segment in footer.render_line(0))
        assert painted.rstrip() == line.rstrip()
        assert footer.region.y == 23 and footer.region.width == 80


async def test_remapped_key_keeps_its_place() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = _footer_line(app)
        assert "t Tag" in before
        app.set_keymap({"tag": "z"})
        await pilot.pause()
        after = _footer_line(app)
        assert "z Tag" in after and "t Tag" not in after, after
        assert after.index("z Tag") == before.index("t Tag"), (before, after)
        assert after.endswith("? Help")


async def test_footer_shrinks_but_help_stays() -> None:
    app = KeysApp()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        line = _footer_line(app)
        assert len(line) <= 30
        assert line.endswith("? Help")
        assert line.startswith(" q Quit"), line


async def test_footer_repaints_only_when_it_changed() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        calls: list[bool] = []
        original = footer.refresh

        def counting_refresh(*args: object, **kwargs: object) -> KeyFooter:
            calls.append(True)
            return original(*args, **kwargs)  # type: ignore[arg-type]

        footer.refresh = counting_refresh  # type: ignore[method-assign]
        app.screen.refresh_bindings()
        await pilot.pause()
        footer.recompute()
        assert calls == []
        app.set_keymap({"quit": "ctrl+x"})
        await pilot.pause()
        assert calls, "a remapped key must repaint the footer"
        assert "^x Quit" in footer.plain


async def test_clicking_an_entry_runs_its_action() -> None:
    ran: list[str] = []

    class ClickScreen(KeysScreen):
        def action_noop(self) -> None:
            ran.append("noop")

    class ClickApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ClickScreen())

    app = ClickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        x = footer.plain.index("t Tag")
        await pilot.click(KeyFooter, offset=(x, 0))
        await pilot.pause()
        assert ran == ["noop"]


class ThemedApp(App[None]):
    """Wired the way BriefingApp is: load_textual_themes, then choose_theme."""

    CSS = """
    Static { color: $tag-color; background: $note-background; }
    Static.note { color: $note-color; background: $footer-key-background; }
    Static.key { color: $key-point-color; }
    Static.status { color: $status-drafting; background: $status-ready; }
    Static.cleared { color: $status-cleared; }
    """

    def __init__(self, wanted: str | None = "broken") -> None:
        super().__init__()
        themes, self.theme_errors = load_textual_themes()
        for theme in themes:
            self.register_theme(theme)
        self.theme, self.theme_message = choose_theme(wanted, self.available_themes)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static("x")
        for name in ("note", "key", "status", "cleared"):
            yield Static(name, classes=name)


async def test_app_with_a_broken_configured_theme_starts_on_the_default() -> None:
    themes_dir = locations.user_themes_dir()
    themes_dir.mkdir(parents=True)
    (themes_dir / "broken.yaml").write_text(
        'name: broken\nprimary: "notacolour"\nvariables:\n  tag-color: "#ff0000"\n'
    )
    (themes_dir / "bad-var.yaml").write_text(
        'name: bad-var\nprimary: "#ff0000"\nvariables:\n  tag-color: "$nowhere"\n'
    )
    app = ThemedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "briefing-dark"
        assert "broken" not in app.available_themes
        assert "bad-var" not in app.available_themes
        assert app.theme_message and "'broken'" in app.theme_message
        assert any(str(Path(themes_dir, "broken.yaml")) in e for e in app.theme_errors)
        static = app.query_one(Static)
        assert static.styles.color.hex.lower() == "#8fbcbb"  # briefing-dark's tag-color
        # Every bundled theme applies, with the app's CSS variables resolved.
        for name in ("briefing-light", "high-contrast", "briefing-dark"):
            app.theme = name
            await pilot.pause()
            assert app.theme == name


async def test_every_value_the_checks_accept_really_applies() -> None:
    """The checks must not be looser than Textual: what loads must also parse as CSS."""
    themes_dir = locations.user_themes_dir()
    themes_dir.mkdir(parents=True)
    (themes_dir / "mine.yaml").write_text(
        "name: mine\n"
        'primary: "#3b82f6"\n'
        "variables:\n"
        '  tag-color: "ansi_bright_cyan"\n'
        '  note-background: "initial"\n'
        '  note-color: "auto 87%"\n'
        '  key-point-color: "red 50%"\n'
        '  status-drafting: "hsl(10,50%,50%)"\n'
        '  status-ready: "rgba(1,2,3,0.5)"\n'
        '  footer-key-background: "rgb(10, 20, 30) 50%"\n'
        '  footer-key-foreground: "transparent"\n'
        '  block-cursor-text-style: "bold reverse"\n'
    )
    app = ThemedApp("mine")
    assert app.theme_errors == [] and app.theme_message is None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        assert app.query_one(".key", Static).styles.color.a == pytest.approx(0.5, abs=0.01)
        for name in ("briefing-light", "high-contrast", "textual-dark"):
            app.theme = name  # a Textual theme gets the app's variables from the defaults
            await pilot.pause()
            assert app.theme == name
