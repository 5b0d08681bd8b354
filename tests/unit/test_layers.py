"""The layering rule, checked: nothing outside tui/ imports Textual, only store imports TinyDB."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "briefing"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_and_themes_import_textual() -> None:
    offenders = [
        p.relative_to(PACKAGE)
        for p in PACKAGE.rglob("*.py")
        if "tui" not in p.parts and "textual" in _imports(p)
    ]
    assert offenders == []


def test_only_store_imports_tinydb() -> None:
    offenders = [
        p.name for p in PACKAGE.rglob("*.py") if "tinydb" in _imports(p) and p.name != "store.py"
    ]
    assert offenders == []


def test_tui_never_imports_store_internals() -> None:
    for p in (PACKAGE / "tui").rglob("*.py"):
        assert "tinydb" not in _imports(p), p


def test_services_run_without_textual_loaded() -> None:
    code = (
        "import sys, briefing.cli, briefing.importing.service, briefing.exporting.markdown, "
        "briefing.editing, briefing.search, briefing.themes; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
