"""Reference material drawn from a brief's passages: who's who, a chronology, key figures.

Rules over English news prose, no I/O: they take passages and give entries, each linked to
the passages it came from. The user's corrections (confirmed, dropped, merged) are kept by
the book and applied over a fresh extraction, so re-running the rules never undoes them.
These are base services: the exporter writes them as annexes and the CLI and TUI list them.
"""
