"""Words the user reads, made the same way everywhere (CLI, TUI, export)."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 passage`, `2 passages` — never `1 passage(s)`."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
