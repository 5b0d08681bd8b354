"""The terminal interface: a face on the same services the CLI uses (never on TinyDB)."""
