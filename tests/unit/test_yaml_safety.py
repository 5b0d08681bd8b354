"""User-editable YAML (templates, themes, config) cannot stall or fool the app.

Found by an attack: a 587-byte alias bomb in a template made `briefing briefs` run for 300 s
and 18 GB; duplicate keys passed silently (the last one won); a 21 MB template took 15 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing import locations
from briefing.cli import main
from briefing.errors import TemplateError, ThemeError
from briefing.templates import parse_template
from briefing.yamlfile import MAX_BYTES, load_yaml

BOMB = """\
title: Bomb
sections: [{id: a, title: A}]
description: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
subtitle: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
audience: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
marking: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.yaml", BOMB)
    start = time.perf_counter()
    with pytest.raises(TemplateError) as info:
        parse_template(path)
    assert time.perf_counter() - start < 0.5
    assert str(info.value).startswith(f"{path}:3: anchors (&a) are not allowed")


def test_alias_bomb_in_user_templates_does_not_stall_briefs(capsys, book_path: Path) -> None:
    path = write(locations.user_briefs_dir() / "bomb.yaml", BOMB)
    start = time.perf_counter()
    code = main(["--book", str(book_path), "briefs"])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert code == 0 and elapsed < 1.0
    assert f"briefing: warning: {path}:3: anchors (&a) are not allowed" in err
    assert "russia-turkey" in out  # the bundled templates are still listed


def test_an_alias_alone_is_refused_with_its_line(tmp_path: Path) -> None:
    # An alias to an undefined anchor is a YAML error; to a defined one, refused by name.
    path = write(tmp_path / "t.yaml", "title: T\nsections:\n  - {id: a, title: *x}\n")
    with pytest.raises(TemplateError, match=r"t\.yaml:3: "):
        parse_template(path)


def test_duplicate_keys_are_refused_naming_file_line_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dup.yaml",
        "title: T\nsections:\n  - id: a\n    title: A\n    keywords: [x]\n    keywords: [y]\n",
    )
    with pytest.raises(TemplateError) as info:
        parse_template(path)
    assert str(info.value) == (f"{path}:6: duplicate key 'sections.0.keywords' (first on line 5)")


def test_duplicate_top_level_key_in_a_theme(tmp_path: Path) -> None:
    from briefing.themes import parse_theme

    path = write(tmp_path / "x.yaml", "name: x\nprimary: '#000000'\nprimary: '#ffffff'\n")
    with pytest.raises(ThemeError, match=r"x\.yaml:3: duplicate key 'primary' \(first on line 2\)"):
        parse_theme(path)


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("title: T\nsections: [{id: a, title: A}]\n" + "# pad\n" * (MAX_BYTES // 6 + 1))
    start = time.perf_counter()
    with pytest.raises(TemplateError) as info:
        parse_template(path)
    assert time.perf_counter() - start < 0.5
    assert str(info.value) == f"{path}: too large for a YAML settings file (over 1024 KB)"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.yaml", "title: T\nx: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(TemplateError, match=r"deep\.yaml:2: nested deeper than"):
        parse_template(path)


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yaml", "title: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(TemplateError, match=r"t\.yaml:1: invalid YAML"):
        parse_template(path)


def test_ordinary_files_still_load_with_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.yaml", "a: 1\nb:\n  - x\n  - {c: 2}\n")
    doc = load_yaml(path, TemplateError)
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.line("b", 1, "c") == 4 and doc.line("a") == 1
    assert load_yaml(write(tmp_path / "empty.yaml", ""), TemplateError).data is None


def test_bundled_templates_and_themes_load() -> None:
    from briefing.templates import load_templates
    from briefing.themes import load_themes

    templates, errors = load_templates()
    assert not errors and {"russia-turkey", "daily", "visit"} <= set(templates)
    themes, terrors = load_themes()
    assert not terrors and "briefing-dark" in themes
