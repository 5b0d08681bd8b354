"""briefing — a terminal briefing-book."""

__version__ = "0.1.0"
