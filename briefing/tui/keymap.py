"""The keymap, checked: unknown binding ids and keys that would never reach their action.

Textual applies `App.set_keymap` silently: an id it does not know is ignored, and a key
remapped onto another binding's key replaces that binding without a word (its
`handle_bindings_clash` hook does nothing by default). A focused widget also gets a key
before the screen and the app do, so a widget binding on the screen's key hides the
screen's action while that widget has focus. These checks turn each case into one line
for `briefing doctor` and the start-up notification.

Everything works on plain lists of `Binding` grouped by scope, so it does not depend on
how the main screen is written:

    scopes = {
        "app": bindings_of(BriefingApp),
        "screen": bindings_of(MainScreen),
        "widget:passages": bindings_of(PassageTable),
        "widget:reader": bindings_of(Reader),
    }

Scope names: "app"; "widget:<name>" for a widget of the screen; anything else is a screen.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import _character_to_key, format_key
from textual.theme import BUILTIN_THEMES

from briefing import config
from briefing.tui.theming import choose_theme, load_textual_themes

Scopes = Mapping[str, Sequence[Binding]]

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")


def normalize_keys(keys: str) -> list[str]:
    """Keys as Textual stores them (`?` → `question_mark`), so `?` and `question_mark` match."""
    out: list[str] = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            out.append(_character_to_key(key) if len(key) == 1 else key)
    return out


def effective_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger `binding` once `keymap` is applied (as `App.set_keymap` does)."""
    if binding.id and keymap.get(binding.id, "").strip():
        return normalize_keys(keymap[binding.id])
    return normalize_keys(binding.key)


def bindings_of(node_cls: type[DOMNode]) -> list[Binding]:
    """The bindings a widget, screen or app class has, its base classes' included.

    An instance can have more (the App adds the command palette key at run time), but a
    class is what `briefing doctor` has without starting the TUI.
    """
    merged = node_cls._merged_bindings
    if merged is None:
        return []
    return [b for bindings in merged.key_to_bindings.values() for b in bindings]


def show_key(key: str) -> str:
    """A key as a user reads it, and could write it in the keymap: `?`, `ctrl+p`."""
    mods, plus, last = key.rpartition("+")
    return f"{mods}{plus}{format_key(last)}"


def _where(scope: str) -> str:
    if scope == "app":
        return "everywhere in the app"
    if scope == "screen":
        return "on the main screen"
    if scope.startswith("widget:"):
        return f"in the {scope.removeprefix('widget:')} widget"
    return f"on the {scope.removeprefix('screen:')} screen"


def _rank(scope: str) -> int:
    """Who gets a key first: a focused widget, then its screen, then the app."""
    if scope.startswith("widget:"):
        return 0
    return 2 if scope == "app" else 1


def _canonical_action(scope: str, action: str) -> str:
    """`app.quit` on a screen and `quit` on the app are the same action: not a conflict."""
    namespace, dot, _name = action.partition(".")
    if dot and namespace in ("app", "screen"):
        return action
    if scope == "app":
        return f"app.{action}"
    if _rank(scope) == 1:
        return f"screen.{action}"
    return f"{scope}.{action}"


@dataclass
class _Entry:
    scope: str
    name: str
    """The binding id, or its action when it has none."""
    action: str
    keys: list[str]
    remapped: bool
    priority: bool
    has_id: bool
    """Ours (remappable), as opposed to one Textual's widgets bring along."""

    def label(self, key: str) -> str:
        if self.remapped:
            return f"{self.name} → {show_key(key)}"
        return f"{self.name} ({show_key(key)})"


def _entries(scope: str, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[_Entry]:
    """One entry per binding id (or action): `j,down` is one binding with two keys."""
    by_name: dict[str, _Entry] = {}
    for b in bindings:
        name = b.id or b.action
        keys = effective_keys(b, keymap)
        remapped = bool(b.id and keymap.get(b.id, "").strip())
        entry = by_name.get(name)
        if entry is None:
            by_name[name] = _Entry(
                scope, name, b.action, keys, remapped, b.priority, has_id=bool(b.id)
            )
        else:
            entry.keys += [k for k in keys if k not in entry.keys]
    return list(by_name.values())


def _key_problems(binding_id: str, keys: str) -> list[str]:
    problems = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            problems.append(f"keymap: {binding_id} → {keys!r} has an empty key")
            continue
        *mods, last = key.split("+")
        bad = [m for m in mods if m not in MODIFIERS]
        if bad or not last:
            problems.append(
                f"keymap: {binding_id} → {key!r}: not a key "
                f"(modifiers: {', '.join(MODIFIERS)}; e.g. 'n', 'ctrl+n', 'f2')"
            )
    return problems


def keymap_problems(keymap: Mapping[str, str], scopes: Scopes) -> list[str]:
    """One line per problem with `keymap` applied to the bindings of `scopes`.

    Reported: binding ids the keymap names but no binding has; malformed keys; two
    bindings of one scope on one key; and a widget binding on a key of the screen or the
    app (the focused widget gets it first), or a screen binding on an app key. Two widget
    scopes never conflict: only one widget has focus. Clashes between two of Textual's own
    bindings (no id on either side) are Textual's design and not reported. Lines about keys that conflict without the keymap's help start with
    `keys:`, the others with `keymap:`.
    """
    lines: list[str] = []
    known = sorted({b.id for bindings in scopes.values() for b in bindings if b.id})
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            lines.append(
                f"keymap: unknown binding id {binding_id!r} ({hint}known: {', '.join(known)})"
            )
        else:
            lines += _key_problems(binding_id, keys)

    entries = {scope: _entries(scope, bindings, keymap) for scope, bindings in scopes.items()}

    def conflict(a: _Entry, b: _Entry, key: str) -> str | None:
        if _canonical_action(a.scope, a.action) == _canonical_action(b.scope, b.action):
            return None
        prefix = "keymap" if a.remapped or b.remapped else "keys"
        if a.scope == b.scope:
            first, second = (b, a) if b.remapped and not a.remapped else (a, b)
            return (
                f"{prefix}: {first.label(key)} conflicts with {second.label(key)} {_where(a.scope)}"
            )
        if not (a.has_id or b.has_id):
            return None  # Textual's own bindings (Screen's ctrl+c over App's): its design
        inner, outer = (a, b) if _rank(a.scope) < _rank(b.scope) else (b, a)
        if outer.priority:
            return (
                f"{prefix}: {inner.label(key)} {_where(inner.scope)} never runs: "
                f"{outer.label(key)} {_where(outer.scope)} is a priority binding"
            )
        when = ""
        if inner.scope.startswith("widget:"):
            when = f" while the {inner.scope.removeprefix('widget:')} widget has focus"
        return (
            f"{prefix}: {inner.label(key)} {_where(inner.scope)} hides "
            f"{outer.label(key)} {_where(outer.scope)}{when}"
        )

    scope_names = list(entries)
    for i, scope in enumerate(scope_names):
        # Same scope: a key that two bindings want.
        seen: dict[str, _Entry] = {}
        for entry in entries[scope]:
            for key in entry.keys:
                other = seen.get(key)
                if other is not None and other is not entry:
                    line = conflict(other, entry, key)
                    if line:
                        lines.append(line)
                else:
                    seen[key] = entry
        # Across scopes: an inner scope (widget, then screen) taking an outer scope's key.
        for other_scope in scope_names[i + 1 :]:
            ranks = (_rank(scope), _rank(other_scope))
            if ranks[0] == ranks[1]:
                continue  # two widgets, or two screens: never in one focus chain
            for a in entries[scope]:
                for b in entries[other_scope]:
                    for key in a.keys:
                        if key in b.keys:
                            line = conflict(a, b, key)
                            if line:
                                lines.append(line)
    return list(dict.fromkeys(lines))


def doctor_lines(scopes: Scopes) -> list[str]:
    """Every problem with the user's config, themes and keymap; an empty list: all good.

    For `briefing doctor`: loads the config file and the themes exactly as the TUI does,
    so what it prints is what the app would complain about (or silently get wrong).
    """
    cfg, lines = config.load_config()
    themes, theme_errors = load_textual_themes()
    lines += theme_errors
    available = [t.name for t in themes] + list(BUILTIN_THEMES)
    _theme, message = choose_theme(cfg.theme, available)
    if message:
        lines.append(message)
    lines += keymap_problems(cfg.keymap, scopes)
    from briefing import aliases

    lines += aliases.overlaps()
    return lines
