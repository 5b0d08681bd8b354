"""The real HTML pages of ../shared/corpus/html against their expectations."""

from __future__ import annotations

import json

from briefing.importing.html import parse_html
from tests.conftest import shared_path


def test_html_corpus_score() -> None:
    folder = shared_path("corpus", "html")
    expectations = json.loads((folder / "expectations.json").read_text())
    total = hits = 0
    misses = []
    for name, exp in expectations.items():
        article = parse_html((folder / name).read_bytes(), name, exp.get("url"))
        text = "\n".join(h + "\n" + t for h, t in article.paragraphs)
        for phrase in exp["with"]:
            total += 1
            hits += phrase in text
            if phrase not in text:
                misses.append(f"{name}: missing {phrase!r}")
        for phrase in exp["without"]:
            total += 1
            hits += phrase not in text
            if phrase in text:
                misses.append(f"{name}: kept {phrase!r}")
    score = hits / total
    print(f"HTML corpus: {hits}/{total} = {score:.1%}", *misses, sep="\n")
    assert score >= 0.90, misses


def test_real_feeds_import() -> None:
    from briefing.importing import Source, parse_source

    folder = shared_path("corpus", "feeds")
    counts = {p.name: len(parse_source(Source(str(p), path=p))) for p in sorted(folder.iterdir())}
    assert all(n > 0 for n in counts.values()), counts
