"""`searches:` (and `drop:`) in templates and the config: parsed, validated, errors naming
file, line and field; and the config's copies of the template parsers agree with them."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from briefing import config, locations, templates
from briefing.config import ConfigError, load_config
from briefing.errors import BriefingError, TemplateError
from briefing.model import SavedSearch
from briefing.templates import parse_template
from briefing.yamlfile import load_yaml

SECTIONS = "title: Watch\nsections:\n  - id: all\n    title: All\n"
"""A template's first four lines: the `searches:` of each test starts on line 5."""


def write_template(extra: str) -> Path:
    folder = locations.user_briefs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "watch.yaml"
    path.write_text(SECTIONS + extra, encoding="utf-8")
    return path


def write_config(text: str) -> Path:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "searches:\n"
    "  - name: Grain deal\n"
    "    query: '\"grain corridor\" Black Sea'\n"
    "  - {name: Ceasefire, query: ceasefire truce*}\n"
)


def test_template_searches_are_parsed_in_order() -> None:
    assert parse_template(write_template(GOOD)).searches == [
        SavedSearch("Grain deal", '"grain corridor" Black Sea'),
        SavedSearch("Ceasefire", "ceasefire truce*"),
    ]


def test_no_searches_is_an_empty_list() -> None:
    assert parse_template(write_template("")).searches == []
    assert parse_template(write_template("searches: []\n")).searches == []


def test_config_searches_are_parsed() -> None:
    write_config("theme: briefing-dark\n" + GOOD)
    cfg, errors = load_config()
    assert errors == []
    assert [s.name for s in cfg.searches] == ["Grain deal", "Ceasefire"]


def test_names_and_queries_are_cleaned() -> None:
    """They are shown in the interface: no escape sequences, one line."""
    [found] = parse_template(
        write_template('searches:\n  - {name: "Grain\\e[2J  deal", query: "a\\nb"}\n')
    ).searches
    assert found == SavedSearch("Grain deal", "a b")


BAD = [
    ("searches: grain\n", ":5: searches: must be a list of searches"),
    ("searches:\n  - grain\n", ":6: searches.0: must be a mapping with name and query"),
    ("searches:\n  - {name: A}\n", ":6: searches.0.query: is required and must be non-empty"),
    ("searches:\n  - {query: a}\n", ":6: searches.0.name: is required and must be non-empty"),
    ("searches:\n  - {name: '  ', query: a}\n", ":6: searches.0.name: is required"),
    ("searches:\n  - {name: A, query: 42}\n", ":6: searches.0.query: is required and must be"),
    ("searches:\n  - {name: [A], query: a}\n", ":6: searches.0.name: is required"),
    ("searches:\n  - {name: A, query: a, sort: new}\n", ":6: searches.0.sort: unknown field"),
    (
        "searches:\n  - {name: Grain, query: a}\n  - {name: x, query: b}\n"
        "  - {name: grain, query: c}\n",
        ":8: searches.2.name: duplicate search name 'grain' (first on line 6)",
    ),
]


@pytest.mark.parametrize(("yaml", "where"), BAD)
def test_template_search_errors_name_file_line_and_field(yaml: str, where: str) -> None:
    path = write_template(yaml)
    with pytest.raises(TemplateError) as err:
        parse_template(path)
    assert f"{path}{where}" in str(err.value)


def test_config_search_errors_are_reported_and_the_good_ones_kept() -> None:
    """The config never stops the app: each bad entry is one line, the others are used."""
    path = write_config(
        "searches:\n"
        "  - {name: Grain, query: grain}\n"
        "  - {name: Empty, query: ''}\n"
        "  - {name: GRAIN, query: again}\n"
        "  - {name: Truce, query: truce}\n"
    )
    cfg, errors = load_config()
    assert cfg.searches == [SavedSearch("Grain", "grain"), SavedSearch("Truce", "truce")]
    assert errors == [
        f"{path}:3: searches.1.query: is required and must be non-empty text",
        f"{path}:4: searches.2.name: duplicate search name 'GRAIN' (first on line 2)",
    ]


def test_config_searches_not_a_list() -> None:
    path = write_config("searches: {name: a, query: b}\n")
    cfg, errors = load_config()
    assert cfg.searches == [] and errors == [f"{path}:1: searches: must be a list"]


# -- the two copies ----------------------------------------------------------------------------

CASES = [
    "{name: A, query: a}",
    "{name: A}",
    "{name: '', query: a}",
    "grain",
    "{name: A, query: a, x: 1}",
    "{source: Desk}",
    "{title: [a, 'live blog', b*]}",
    "{title: []}",
    "{language: [fr, pt-BR]}",
    "{language: French}",
    "{colour: red}",
    "{}",
    "{source: [Desk, true]}",
]


def _outcome(parse: object, error_cls: type[BriefingError], path: Path, kind: str) -> str:
    doc = load_yaml(path, error_cls)
    try:
        if kind == "search":
            result = parse(doc, doc.data[0], error_cls, {"b": 0}, "x", 0)  # type: ignore[operator]
        else:
            result = parse(doc, doc.data[0], error_cls, "x", 0)  # type: ignore[operator]
    except error_cls as exc:
        return f"error: {exc}"
    return repr(result)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["search", "drop"])
def test_the_config_copies_agree_with_the_template_parsers(
    tmp_path: Path, case: str, kind: str
) -> None:
    """`config` cannot import `templates` (the layers): it keeps copies of the parsers.
    Whatever the input, both give the same result or the same message."""
    path = tmp_path / "x.yaml"
    path.write_text(f"- {case}\n", encoding="utf-8")
    name = "parse_search" if kind == "search" else "parse_drop_rule"
    ours = _outcome(getattr(templates, name), TemplateError, path, kind)
    theirs = _outcome(getattr(config, name), ConfigError, path, kind)
    assert ours == theirs


@pytest.mark.parametrize("name", ["parse_search", "parse_drop_rule", "_texts"])
def test_the_copies_are_the_same_code(name: str) -> None:
    """The cheaper check that catches an edit made to one copy only."""
    ours = inspect.getsource(getattr(templates, name))
    theirs = inspect.getsource(getattr(config, name))

    def strip(text: str) -> str:  # the docstrings name each other
        return "\n".join(
            line for line in text.splitlines() if "Copied" not in line and "copy of" not in line
        )

    assert strip(ours) == strip(theirs)
    for constant in ("DROP_FIELDS", "_LANGUAGE"):
        assert getattr(templates, constant) == getattr(config, constant)
