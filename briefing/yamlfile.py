"""Read a YAML file safely, and say where in it a field is wrong.

Templates, themes and the config file are user-editable YAML. They are always `safe_load`ed,
and validation errors name the file, the line and the field, so a user can fix them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError
from briefing.sanitize import safe_out


class YamlDoc:
    """A loaded YAML mapping plus the line of every field, for error messages."""

    def __init__(self, path: Path, data: Any, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.data = data
        self._lines = lines

    def line(self, *field: Any) -> int:
        while field and field not in self._lines:
            field = field[:-1]
        return self._lines.get(field, 1)

    def error(self, error_cls: type[BriefingError], message: str, *field: Any) -> BriefingError:
        name = ".".join(str(f) for f in field) if field else "(top)"
        # Field names and the path come from the file: printed, they must not carry escapes.
        return error_cls(safe_out(f"{self.path}:{self.line(*field)}: {name}: {message}"))


MAX_BYTES = 1024 * 1024
"""Larger YAML files are refused: a template, theme or config is a few KB, and a big one
costs seconds to parse (a 21 MB template took 15 s) every time briefs are listed."""

MAX_DEPTH = 32
"""Deeper nesting is refused: the real files nest four levels, and the walk recurses."""

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Always a *safe* loader; libyaml's when present (10x faster)."""


class _Refused(yaml.YAMLError):
    """A well-formed YAML file that uses what these files must not: anchors, aliases,
    duplicate keys, deep nesting."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def _line(mark: Any) -> int:
    """1-based line of a libyaml or PyYAML mark (1 when there is none)."""
    return int(mark.line) + 1 if mark is not None else 1


def _refuse_anchors(text: str) -> None:
    """Refuse any anchor or alias, from the event stream, before anything is built.

    An alias makes a node appear many times; nine nested ones (a 587-byte "billion laughs")
    made `briefing briefs` run for 300 s and 18 GB walking what they expand to. No template,
    theme or config needs them, so they are refused outright rather than counted.
    """
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                _line(event.start_mark),
                f"aliases (*{event.anchor}) are not allowed here; write the value out",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None and isinstance(event, yaml.NodeEvent):
            raise _Refused(
                _line(event.start_mark),
                f"anchors (&{anchor}) are not allowed here; write the value out",
            )


def _walk(
    node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int], depth: int = 0
) -> None:
    """Record the line of every field, refusing duplicate keys and deep nesting.

    A duplicate key would otherwise pass silently (the last one wins), so a user who wrote
    a section's `keywords` twice would lose the first list without a word.
    """
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            line = key.start_mark.line + 1
            if k in seen and k != "<<":
                name = ".".join(str(f) for f in (*path, k))
                raise _Refused(line, f"duplicate key {name!r} (first on line {seen[k]})")
            seen.setdefault(k, line)
            _walk(value, (*path, k), out, depth + 1)
            out[(*path, k)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), out, depth + 1)


def load_yaml(path: Path, error_cls: type[BriefingError]) -> YamlDoc:
    """Load a user-editable YAML file, or raise `error_cls` naming the file and line.

    Safe by construction: a safe loader only (no Python objects), at most `MAX_BYTES`, no
    anchors or aliases, no duplicate keys, nesting at most `MAX_DEPTH`; the file is parsed
    into nodes once, checked, and the data built from those same nodes.
    """
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise error_cls(
                safe_out(
                    f"{path}: too large for a YAML settings file (over {MAX_BYTES // 1024} KB)"
                )
            )
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error_cls(safe_out(f"{path}: cannot read ({exc})")) from exc
    lines: dict[tuple[Any, ...], int] = {}
    try:
        _refuse_anchors(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDoc(path, None, lines)
            _walk(node, (), lines)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise error_cls(safe_out(f"{path}:{exc.line}: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_cls(safe_out(f"{path}:{line}: invalid YAML: {problem}")) from exc
    return YamlDoc(path, data, lines)


def parse_aliases(
    doc: YamlDoc,
    raw: object,
    error_cls: type[BriefingError],
    *fld: Any,
    errors: list[str] | None = None,
) -> list[tuple[str, ...]]:
    """`aliases:` — spelling variants of one name, each group a list of single words, the
    preferred spelling first: `- [Kyiv, Kiev]`. Shared by templates and the config.
    `errors`: a bad group is noted there and left out, the others kept (the config);
    without it the first bad group raises (a template is valid or not)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise doc.error(error_cls, "must be a list of groups such as [Kyiv, Kiev]", *fld)
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for i, group in enumerate(raw):
        try:
            groups.append(_alias_group(doc, group, error_cls, seen, *fld, i))
        except BriefingError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    return groups


def _alias_group(
    doc: YamlDoc,
    group: object,
    error_cls: type[BriefingError],
    seen: dict[str, int],
    *fld: Any,
) -> tuple[str, ...]:
    i = fld[-1]
    if not isinstance(group, list) or len(group) < 2:
        raise doc.error(
            error_cls, "must be a list of two or more spellings, e.g. [Kyiv, Kiev]", *fld
        )
    words: list[str] = []
    for k, word in enumerate(group):
        text = word.strip() if isinstance(word, str) else ""
        if not text or any(c.isspace() for c in text) or not any(c.isalnum() for c in text):
            raise doc.error(error_cls, "must be one word (Kyiv, Türkiye)", *fld, k)
        folded = text.casefold()
        if folded in seen and seen[folded] != i:
            raise doc.error(error_cls, f"{text!r} is already in group {seen[folded] + 1}", *fld, k)
        words.append(text)
    for w in words:
        seen[w.casefold()] = i
    return tuple(dict.fromkeys(words))
