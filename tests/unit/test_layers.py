"""The layering rule, checked by reading every module's imports (lazy ones included).

    model ← store ← services ← session ← cli / tui

Tiers, lowest first; a module may import its own tier's package-mates and any lower tier:

0-1. foundations: errors, wording, sanitize; then model, locations, yamlfile
2. store: the only module that imports TinyDB
3-4. base services: the brief's rules (templates, sectioning), themes, config, analysis
   (who's who, dates, figures drawn from text); then briefs
   (the brief view every service reads)
5. feature services: importing/, exporting/, search, editing. The rule for services: a
   feature service may use base services, never another feature service (importing and
   exporting do not know each other; what both need lives lower, e.g. `sanitize`).
6. session (what the CLI and the TUI call) and demo (made with the importers)
7-9. front ends: tui/ (never imports store or TinyDB at run time; the only one to import
   Textual), then cli (which starts the TUI), then __main__

Imports under `if TYPE_CHECKING:` are for annotations and are not counted.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "briefing"

TIERS: dict[str, int] = {
    "briefing": 0,  # __init__: the version
    "briefing.errors": 0,
    "briefing.wording": 0,
    "briefing.sanitize": 0,
    "briefing.model": 1,
    "briefing.locations": 1,
    "briefing.yamlfile": 1,
    "briefing.output": 1,  # write_output: a file the user named (needs only errors)
    "briefing.store": 2,
    "briefing.yamlrules": 2,  # drop: and searches: entries, shared by templates and config
    "briefing.templates": 3,
    "briefing.sectioning": 3,
    "briefing.themes": 3,
    "briefing.config": 3,
    "briefing.analysis": 3,  # who's who, chronology, figures: rules over passages' text
    "briefing.briefs": 4,
    "briefing.aliases": 4,  # the spelling variants of the config and every template
    "briefing.importing": 5,
    "briefing.exporting": 5,
    "briefing.search": 5,
    "briefing.editing": 5,
    "briefing.session": 6,
    "briefing.overview": 5,  # the overview screen's figures: a brief and its annexes
    "briefing.demo": 6,
    "briefing.tui": 7,
    "briefing.web": 7,  # `briefing serve`: the TUI in a browser, behind a token
    "briefing.cli": 8,
    "briefing.__main__": 9,
}
"""Every module's tier, by its name or the name of its package."""


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def owner(name: str) -> str:
    """The TIERS key that governs a module: itself or its nearest package."""
    parts = name.split(".")
    while parts:
        key = ".".join(parts)
        if key in TIERS:
            return key
        parts.pop()
    raise AssertionError(f"{name} has no tier in TIERS: add it")


def imports(path: Path) -> set[str]:
    """Modules imported at run time (anywhere in the file, but not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for b in node.body for n in ast.walk(b)}
    base = module_name(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = base.split(".")[: -node.level or None]
                if path.name == "__init__.py":
                    pkg = base.split(".")[: len(base.split(".")) - node.level + 1]
                mod = ".".join([*pkg, node.module] if node.module else pkg)
            else:
                mod = node.module or ""
            found.add(mod)
            if mod == "briefing":  # `from briefing import briefs` imports briefing.briefs
                found |= {f"briefing.{a.name}" for a in node.names}
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_import_goes_down_or_stays_in_its_package() -> None:
    problems = []
    for path in modules():
        me = module_name(path)
        mine = owner(me)
        for imp in imports(path):
            if not imp.startswith("briefing"):
                continue
            if imp == "briefing" and mine != "briefing":
                continue  # the version
            theirs = owner(imp)
            if theirs == mine:
                continue  # within one package (or module)
            if TIERS[theirs] >= TIERS[mine]:
                problems.append(f"{me} (tier {TIERS[mine]}) imports {imp} (tier {TIERS[theirs]})")
    assert problems == []


def test_only_store_imports_tinydb() -> None:
    offenders = [
        module_name(p)
        for p in modules()
        if any(i.split(".")[0] == "tinydb" for i in imports(p)) and p.name != "store.py"
    ]
    assert offenders == []


def test_only_tui_imports_textual() -> None:
    offenders = [
        module_name(p)
        for p in modules()
        if "tui" not in p.parts and any(i.split(".")[0] == "textual" for i in imports(p))
    ]
    assert offenders == []


def test_tui_never_imports_the_store_at_run_time() -> None:
    offenders = [
        module_name(p)
        for p in (PACKAGE / "tui").rglob("*.py")
        if any(i == "briefing.store" or i.startswith("tinydb") for i in imports(p))
    ]
    assert offenders == []


def test_the_rule_can_fail() -> None:
    """The check itself: a sideways import of the kind the rule forbids is caught."""
    assert TIERS[owner("briefing.exporting.markdown")] == TIERS[owner("briefing.importing.clean")]
    assert owner("briefing.exporting.markdown") != owner("briefing.importing.clean")


def test_services_run_without_textual_loaded() -> None:
    code = (
        "import sys, briefing.cli, briefing.session, briefing.importing.service, "
        "briefing.exporting.markdown, briefing.editing, briefing.search, briefing.themes; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
