"""Drop rules ("kill filters"): feed items a template or the config says never to import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefing import locations
from briefing.config import load_config
from briefing.errors import TemplateError
from briefing.importing import Source, expand
from briefing.importing.filters import DropRules, Rule
from briefing.importing.service import import_sources
from briefing.store import Book
from briefing.templates import parse_template
from tests.unit.test_feeds import Server, cli
from tests.unit.test_feeds import server as server  # the local feed server fixture

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Top stories</title>
<language>en-GB</language>
<item><title>Grain corridor talks resume</title><link>https://w.example/1</link>
<description>Ministers met about the Black Sea grain corridor.</description></item>
<item><title>Your horoscope for Tuesday</title><link>https://w.example/2</link>
<description>The stars align.</description></item>
<item><title>LIVE BLOG: the summit</title><link>https://w.example/3</link>
<description>Updates.</description></item>
<item><title>Cup final result</title><link>https://w.example/4</link>
<source url="https://sports.example/rss">Sports Desk</source>
<description>It ended 2-1.</description></item>
</channel></rss>"""

TITLES = [
    "Grain corridor talks resume",
    "Your horoscope for Tuesday",
    "LIVE BLOG: the summit",
    "Cup final result",
]


def write_config(text: str) -> Path:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_template(name: str, extra: str) -> Path:
    folder = locations.user_briefs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(
        f"title: Watch\nsections:\n  - id: all\n    title: All\n{extra}", encoding="utf-8"
    )
    return path


def imported(book: Book) -> list[str]:
    return sorted(a.title for a in book.articles())


# -- matching ----------------------------------------------------------------------------------


def article(title: str = "", source: str = "", language: str = "", fmt: str = "feed") -> Any:
    return {"title": title, "source": source, "language": language, "format": fmt}


@pytest.mark.parametrize(
    ("rule", "item", "dropped"),
    [
        ({"source": ("Sports Desk",)}, article(source="sports  desk"), True),
        ({"source": ("Sports Desk",)}, article(source="Sports Desk Weekly"), False),  # whole
        ({"title": ("horoscope",)}, article("Your HOROSCOPE today"), True),
        ({"title": ("horoscope",)}, article("Horoscopes"), False),  # whole words
        ({"title": ("horoscope*",)}, article("Horoscopes"), True),  # a prefix
        ({"title": ("live blog",)}, article("Live  blog: day 3"), True),
        ({"title": ("live blog",)}, article("Olive blogs"), False),
        ({"title": ("war",)}, article("Warsaw talks"), False),
        ({"language": ("fr",)}, article(language="fr-CA"), True),
        ({"language": ("fr",)}, article(language="FR_fr"), True),
        ({"language": ("fr",)}, article(language="fry"), False),
        ({"language": ("fr-ca",)}, article(language="fr-FR"), False),
        ({"language": ("fr",)}, article(language=""), False),  # unknown: kept
        # Every field of one rule must match.
        ({"source": ("Wire",), "title": ("sport",)}, article("Sport news", "Wire"), True),
        ({"source": ("Wire",), "title": ("sport",)}, article("Sport news", "Other"), False),
        ({"source": ("Wire",), "title": ("sport",)}, article("Politics", "Wire"), False),
        # Only feed items: a page or a text file is what the user chose.
        ({"title": ("horoscope",)}, article("Horoscope", fmt="html"), False),
        ({"title": ("horoscope",)}, article("Horoscope", fmt="text"), False),
    ],
)
def test_a_rule_matches(rule: dict[str, tuple[str, ...]], item: Any, dropped: bool) -> None:
    assert DropRules.of([rule]).drops(item) is dropped


def test_any_rule_drops_and_no_rules_drop_nothing() -> None:
    rules = DropRules.of([{"title": ("a",)}], [{"source": ("S",)}])
    assert rules.drops(article("a b")) and rules.drops(article("x", "s"))
    assert not rules.drops(article("x", "t"))
    assert not DropRules().drops(article("anything"))
    assert not Rule().matches("s", "t", "en")  # an empty rule never drops everything


# -- the schema --------------------------------------------------------------------------------


def test_template_drop_rules_are_parsed() -> None:
    path = write_template(
        "watch",
        "drop:\n"
        "  - source: Sports Desk\n"
        '  - title: [horoscope*, "live blog"]\n'
        "  - language: [fr, pt-BR]\n"
        "  - {source: Wire, title: sport}\n",
    )
    assert parse_template(path).drop == [
        {"source": ("Sports Desk",)},
        {"title": ("horoscope*", "live blog")},
        {"language": ("fr", "pt-BR")},
        {"source": ("Wire",), "title": ("sport",)},
    ]


@pytest.mark.parametrize(
    ("yaml", "where"),
    [
        ("drop: horoscope\n", ":5: drop: must be a list of rules"),
        ("drop:\n  - horoscope\n", ":6: drop.0: must be a mapping of source, title"),
        ("drop:\n  - {}\n", ":6: drop.0: must be a mapping"),
        ("drop:\n  - author: X\n", ":6: drop.0.author: unknown field (known: source"),
        ("drop:\n  - title: []\n", ":6: drop.0.title: must be text or a non-empty list"),
        ("drop:\n  - title: [a, '']\n", ":6: drop.0.title.1: must be non-empty text"),
        ("drop:\n  - title: [a, {b: c}]\n", ":6: drop.0.title.1: must be non-empty text"),
        ("drop:\n  - source: true\n", ":6: drop.0.source: must be non-empty text"),
        ("drop:\n  - title: '*'\n", ":6: drop.0.title: must be non-empty text"),
        ("drop:\n  - language: French\n", ":6: drop.0.language: must be a language code"),
        ("drop:\n  - title: x\n  - language: [fr, 'en gb']\n", ":7: drop.1.language.1:"),
    ],
)
def test_template_drop_errors_name_file_line_and_field(yaml: str, where: str) -> None:
    path = write_template("watch", yaml)
    with pytest.raises(TemplateError) as err:
        parse_template(path)
    assert f"{path}{where}" in str(err.value)


def test_config_drop_rules_keep_the_good_ones_and_report_the_bad() -> None:
    path = write_config(
        "theme: briefing-light\ndrop:\n  - title: horoscope\n  - language: French\n"
        "  - source: Sports Desk\n"
    )
    cfg, errors = load_config()
    assert cfg.drop == [{"title": ("horoscope",)}, {"source": ("Sports Desk",)}]
    assert errors == [f"{path}:4: drop.1.language: must be a language code such as fr or pt-BR"]
    assert cfg.theme == "briefing-light"  # the rest of the file is read as before


def test_daily_template_example_is_valid_once_uncommented(tmp_path: Path) -> None:
    """briefs/daily.yaml shows `drop:` and `searches:` commented out: as shipped it has
    none, and taking the `# ` off those lines gives a valid template."""
    bundled = locations.bundled_briefs_dir() / "daily.yaml"
    shipped = parse_template(bundled)
    assert shipped.drop == [] and shipped.searches == []
    lines = bundled.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# drop:"))
    example = [
        line[2:] if line.startswith(("# drop:", "# searches:", "#   ")) else line
        for line in lines[start:]
    ]
    copy = tmp_path / "daily.yaml"
    copy.write_text("\n".join(lines[:start] + example) + "\n", encoding="utf-8")
    uncommented = parse_template(copy)
    assert len(uncommented.drop) >= 3 and len(uncommented.searches) >= 1
    assert {"title": ("horoscope*", "live blog")} in uncommented.drop


# -- importing ---------------------------------------------------------------------------------


def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "wire.xml"
    path.write_bytes(FEED)
    return path


def test_config_rules_drop_feed_items_of_every_import(tmp_path: Path) -> None:
    write_config("drop:\n  - title: [horoscope, live blog]\n  - source: Sports Desk\n")
    book = Book(tmp_path / "book")
    path = feed_file(tmp_path)
    report = import_sources(book, expand([str(path)]))
    assert imported(book) == ["Grain corridor talks resume"]
    assert report.dropped == {str(path): 3}
    assert "3 feed items dropped by the drop rules" in report.summary(None)
    assert report.failed == [] and report.warnings == []


def test_template_rules_apply_only_to_its_briefs(tmp_path: Path) -> None:
    write_template("watch", "drop:\n  - language: en\n    title: horoscope\n")
    path = feed_file(tmp_path)
    book = Book(tmp_path / "book")
    report = import_sources(book, expand([str(path)]), brief_id="watch")
    assert "Your horoscope for Tuesday" not in imported(book)
    assert report.dropped == {str(path): 1}
    other = Book(tmp_path / "other")
    import_sources(other, expand([str(path)]), brief_id="daily")
    assert imported(other) == sorted(TITLES)  # daily has no rules: all four


def test_rules_apply_on_the_streaming_path_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large feed is read item by item here and built by workers: the same rules."""
    from briefing.importing import service

    monkeypatch.setattr(service, "STREAM_BYTES", 100)
    write_config("drop:\n  - title: horoscope\n")
    book = Book(tmp_path / "book")
    report = import_sources(book, expand([str(feed_file(tmp_path))]))
    assert len(report.dropped) == 1 and report.dropped_total == 1
    assert "Your horoscope for Tuesday" not in imported(book)


def test_pages_and_text_files_are_never_dropped(tmp_path: Path) -> None:
    write_config("drop:\n  - title: horoscope\n")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Horoscope</title></head><body><h1>Horoscope</h1>"
        "<p>The stars align for the grain corridor talks this week in Istanbul.</p>"
        "</body></html>"
    )
    text = tmp_path / "note.txt"
    text.write_text("Horoscope\n\nThe stars align for the talks.\n")
    book = Book(tmp_path / "book")
    report = import_sources(book, expand([str(page), str(text)]))
    assert len(report.added) == 2 and report.dropped == {}


def test_a_broken_rule_file_is_a_warning_and_the_rest_still_apply(tmp_path: Path) -> None:
    """A bad rule in the config is left out (the good ones apply); a brief whose template
    has become invalid is imported into without the template's rules, and the user is told."""
    write_config("drop:\n  - title: horoscope\n  - colour: red\n")
    template = write_template("watch", "drop:\n  - source: Sports Desk\n")
    book = Book(tmp_path / "book")
    path = feed_file(tmp_path)
    report = import_sources(book, expand([str(path)]), brief_id="watch")
    assert report.dropped_total == 2  # the config's good rule and the template's
    assert [w for w in report.warnings if "drop.1.colour: unknown field" in w]
    template.write_text("title: Watch\nsections: [oops\n")  # the brief stays; its rules go
    report = import_sources(Book(tmp_path / "book2"), expand([str(path)]), brief_id="daily")
    assert report.dropped_total == 1
    book2 = Book(tmp_path / "book")
    report = import_sources(book2, [Source(str(path), path=path)], brief_id="watch")
    assert report.dropped_total == 1  # the config's rule only (the rest: already in the book)
    assert any("its drop rules are not applied" in w for w in report.warnings)


def test_import_command_says_what_was_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config("drop:\n  - source: Sports Desk\n")
    book = tmp_path / "book"
    path = feed_file(tmp_path)
    assert cli(book, "import", str(path)) == 0
    assert "1 feed item dropped by the drop rules" in capsys.readouterr().out
    assert cli(book, "import", str(path), "--json") == 0
    assert json.loads(capsys.readouterr().out)["dropped"] == {str(path): 1}


# -- feeds refresh -----------------------------------------------------------------------------


def test_refresh_counts_what_each_feed_dropped(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    state.bodies = {"/wire.xml": FEED, "/other.xml": FEED.replace(b"w.example", b"o.example")}
    write_config("drop:\n  - title: horoscope\n")
    write_template("watch", "drop:\n  - source: sports desk\n")
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/wire.xml", "--brief", "watch") == 0
    assert cli(book, "feeds", "add", f"{base}/other.xml") == 0
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 0
    out = capsys.readouterr().out
    # wire: the config's rule and its brief's template's; other: the config's only.
    assert f"{base}/wire.xml: 2 items dropped by the drop rules" in out
    assert f"{base}/other.xml: 1 item dropped by the drop rules" in out
    assert "5 new articles; 0 unchanged; 0 failed; 3 items dropped by the drop rules" in out
    capsys.readouterr()
    assert cli(book, "feeds", "list", "--json") == 0
    dropped = {s["url"]: s["dropped"] for s in json.loads(capsys.readouterr().out)["feeds"]}
    assert dropped == {f"{base}/wire.xml": 2, f"{base}/other.xml": 1}
    titles = {a.title for a in Book(book).articles() if a.origin == f"{base}/wire.xml"}
    assert titles == {"Grain corridor talks resume", "LIVE BLOG: the summit"}


def test_refresh_warns_once_about_rules_it_cannot_read(
    server: tuple[str, Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    state.bodies = {"/a.xml": FEED, "/b.xml": FEED.replace(b"w.example", b"b.example")}
    path = write_config("drop: horoscope\n")
    book = tmp_path / "book"
    assert cli(book, "feeds", "add", f"{base}/a.xml") == 0
    assert cli(book, "feeds", "add", f"{base}/b.xml", "--tag", "x") == 0  # another group
    capsys.readouterr()
    assert cli(book, "feeds", "refresh") == 0
    err = capsys.readouterr().err
    assert err.count(f"briefing: warning: {path}:1: drop: must be a list") == 1
