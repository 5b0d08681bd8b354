"""Every path the app uses, in one place.

User paths follow platformdirs (on Linux: `$XDG_DATA_HOME/briefing`, `$XDG_CONFIG_HOME/briefing`),
so tests can point them at a temporary folder with two environment variables. Bundled
templates and themes are found both in a source checkout (`<repo>/briefs`) and in an installed
wheel (`briefing/_bundled/briefs`).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "briefing"
_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Where the default book lives."""
    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.yaml"


def user_briefs_dir() -> Path:
    return config_dir() / "briefs"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def default_book() -> Path:
    return data_dir() / "book"


def book_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--book PATH`, else `BRIEFING_BOOK`, else the default book."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("BRIEFING_BOOK")
    if env:
        return Path(env).expanduser()
    return default_book()


def is_default_book(path: Path) -> bool:
    return path.expanduser().resolve() == default_book().resolve()


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def bundled_briefs_dir() -> Path:
    return _bundled("briefs")


def bundled_themes_dir() -> Path:
    return _bundled("themes")
