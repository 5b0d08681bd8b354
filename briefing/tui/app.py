"""The Textual app: themes, keymap and config around the main screen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from briefing import config
from briefing.store import Book
from briefing.themes import DEFAULT_THEME, load_themes
from briefing.tui.screens.main import MainScreen


class BriefingApp(App[int]):
    _loading_theme = True
    """True while the config chooses the theme: only the user's own choices are saved."""

    CSS_PATH = ["app.tcss"]
    TITLE = "briefing"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
    ]
    """Keys everywhere (dialogs capture `q` as text where they have an input)."""

    def __init__(self, book: Book, brief_id: str | None = None) -> None:
        super().__init__()
        self.book = book
        self.brief_id = brief_id
        self._startup_errors: list[str] = []
        self._register_themes()

    def _register_themes(self) -> None:
        themes, errors = load_themes()
        for spec, _path in themes.values():
            self.register_theme(Theme(**spec))
        self._startup_errors += [str(e) for e in errors]
        cfg, cfg_errors = config.load_config()
        self._startup_errors += cfg_errors
        self._keymap_from_config = cfg.keymap
        wanted = cfg.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            self._startup_errors.append(
                f"theme {wanted!r} (from the config) is not available; using {DEFAULT_THEME}"
            )
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self._loading_theme = True
        self.theme = wanted
        self._loading_theme = False

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {
            "tag-color": "ansi_cyan",
            "note-background": "$panel",
            "key-point-color": "$warning",
        }

    def on_mount(self) -> None:
        if self._keymap_from_config:
            self.set_keymap(self._keymap_from_config)
        self.push_screen(MainScreen(self.book, self.brief_id))
        if self._startup_errors:
            self.notify(
                "\n".join(self._startup_errors),
                title="Config",
                severity="error",
                markup=False,
                timeout=12,
            )

    def on_app_focus(self) -> None:
        """Back from another window (or SSH session): pick up changes made meanwhile."""
        if isinstance(self.screen, MainScreen):
            self.screen.poll()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the user chose (at start-up the config chose it)."""
        if self._loading_theme or not self.is_running:
            return
        try:
            config.save_setting("theme", theme)
        except OSError as exc:
            self.notify(f"could not save the theme: {exc}", severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in MainScreen.BINDINGS:
                if (
                    isinstance(binding, Binding)
                    and binding.description
                    and binding.action.isidentifier()
                ):
                    yield SystemCommand(
                        binding.description,
                        f"key: {self.get_key_display(binding)}",
                        lambda action=binding.action: screen.run_action(action),  # type: ignore[misc]
                    )
