"""The Textual app: themes, keymap and config around the main screen."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from briefing import config
from briefing.errors import BriefingError
from briefing.session import Session
from briefing.tui.keymap import keymap_problems
from briefing.tui.screens.main import MainScreen, freeze_heap
from briefing.tui.theming import THEME_VARIABLE_DEFAULTS, choose_theme, load_textual_themes

if TYPE_CHECKING:
    from briefing.store import Book


def binding_scopes() -> dict[str, list[Binding]]:
    """Every binding of ours, by where it applies: what the keymap check looks at."""
    from briefing.tui.keymap import bindings_of
    from briefing.tui.widgets.passage_list import PassageList
    from briefing.tui.widgets.reader import Reader
    from briefing.tui.widgets.sections import SectionList

    return {
        "app": bindings_of(BriefingApp),
        "screen": bindings_of(MainScreen),
        "widget:sections": bindings_of(SectionList),
        "widget:passages": bindings_of(PassageList),
        "widget:reader": bindings_of(Reader),
    }


class BriefingApp(App[int]):
    _loading_theme = True
    """True while the config chooses the theme: only the user's own choices are saved."""

    CSS_PATH = ["app.tcss"]
    TITLE = "briefing"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
    ]
    """Keys everywhere: `ctrl+q` quits from a dialog too (keeping its unsaved text)."""

    def __init__(
        self, book: Book, brief_id: str | None = None, session: Session | None = None
    ) -> None:
        super().__init__()
        self.session = session or Session(book, brief_id)
        freeze_heap()  # the brief the CLI has just read, before a collection scans it
        self._startup_errors: list[str] = []
        self._register_themes()

    def _register_themes(self) -> None:
        themes, errors = load_textual_themes()
        for theme in themes:
            self.register_theme(theme)
        self._startup_errors += errors
        cfg, cfg_errors = config.load_config()
        self._startup_errors += cfg_errors
        self._keymap_from_config = cfg.keymap
        wanted, message = choose_theme(cfg.theme, self.available_themes)
        if message:
            self._startup_errors.append(message)
        self._loading_theme = True
        self.theme = wanted
        self._loading_theme = False
        self._skip_theme_refresh()

    def _skip_theme_refresh(self) -> None:
        """Setting the theme makes Textual schedule a refresh of all the CSS (a second parse
        of every rule, ~10 ms before the first frame). Nothing is parsed before the app
        runs: the stylesheet takes the theme's variables now, and the refresh is dropped."""
        if self.is_running:
            return
        self.stylesheet.set_variables(self.get_css_variables())
        self._next_callbacks = [
            c for c in self._next_callbacks if getattr(c.callback, "func", None) != self.refresh_css
        ]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Real colours: Textual does not resolve a `$name` inside a variable's default.
        return dict(THEME_VARIABLE_DEFAULTS)

    sweep_after_start = False
    """Set by the CLI for a writable book."""

    def on_mount(self) -> None:
        self._startup_errors += keymap_problems(self._keymap_from_config, binding_scopes())
        if self._keymap_from_config:
            self.set_keymap(self._keymap_from_config)
        screen = MainScreen(self.session)
        self.push_screen(screen)
        if not self.session.loaded:  # the CLI reads it before the first frame; tests do not
            screen.load_brief(first=True)
        if self.sweep_after_start:
            # Temp files of a killed writer go once the first frame is up (it takes the
            # book's lock, and the lock's library alone costs a first frame ~10 ms).
            self.call_after_refresh(
                lambda: self.run_worker(self.session.sweep, thread=True, description="sweep")
            )
        if self._startup_errors:
            self.notify(
                "\n".join(self._startup_errors),
                title="Config",
                severity="error",
                markup=False,
                timeout=12,
            )

    def on_unmount(self) -> None:
        gc.unfreeze()  # what freeze_heap kept from the collector is collectable again
        # Read marks not written yet (they go in batches): a quit, ctrl+c or a lost SSH
        # link ends here. A busy or read-only book keeps the passages new, nothing worse.
        with contextlib.suppress(BriefingError):
            self.session.flush_reads()

    def on_app_focus(self) -> None:
        """Back from another window (or SSH session): pick up changes made meanwhile."""
        if isinstance(self.screen, MainScreen):
            self.screen.check_book()

    async def action_quit(self) -> None:
        """Quit from anywhere; an open note keeps its unsaved text as a draft."""
        # Every open editor, not only the top screen: "keep or discard?" may be above it.
        keeps: list[Callable[[], None]] = [
            keep for s in self.screen_stack if callable(keep := getattr(s, "keep_draft", None))
        ]
        for keep in keeps:
            keep()
        if keeps:
            self.session.save_drafts()
        self.exit(self.return_code)

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the user chose (at start-up the config chose it)."""
        if self._loading_theme or not self.is_running:
            return
        if self.session.book.read_only:
            return  # this session's choice only: a read-only session writes nothing
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
                    and binding.action.split("(")[0].isidentifier()
                    and not binding.action.startswith(("app.", "reserved"))
                ):
                    yield SystemCommand(
                        binding.description,
                        binding.tooltip or f"key: {self.get_key_display(binding)}",
                        lambda action=binding.action: screen.run_action(action),  # type: ignore[misc]
                    )
