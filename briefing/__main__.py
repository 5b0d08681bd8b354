"""`python -m briefing` is the same as the `briefing` command."""

from briefing.cli import main

if __name__ == "__main__":  # not when a worker process (the search index's) imports it
    raise SystemExit(main())
