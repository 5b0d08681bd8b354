"""Read a YAML file safely, and say where in it a field is wrong.

Templates, themes and the config file are user-editable YAML. They are always `safe_load`ed,
and validation errors name the file, the line and the field, so a user can fix them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError


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
        return error_cls(f"{self.path}:{self.line(*field)}: {name}: {message}")


def _walk(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            out[(*path, k)] = key.start_mark.line + 1
            _walk(value, (*path, k), out)
            out[(*path, k)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), out)


def load_yaml(path: Path, error_cls: type[BriefingError]) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error_cls(f"{path}: cannot read ({exc})") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_cls(f"{path}:{line}: invalid YAML: {problem}") from exc
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _walk(node, (), lines)
    return YamlDoc(path, data, lines)
