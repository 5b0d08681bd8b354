"""How well the who's-who rules (briefing/analysis/people.py) find the people a reader would.

    .venv/bin/python tests/bench/bench_people.py            # per article and overall
    .venv/bin/python tests/bench/bench_people.py --verbose  # and what was missed or extra

The labels are tests/data/people_labels.json: for each article (a line of the real-data
folder's `corpus/web-articles.jsonl`, named by its url, or its seed story, named by file),
the people a careful reader would list and their roles. The article text is read from the
real-data folder (`shared` beside the checkout, or the one `$BRIEFING_SHARED` names), never
copied into the project. Each article is split one passage per paragraph (a seed story's
first line is its headline: the title, not a passage). Totals are printed for the `dev` and
`late` splits (the labels' `about` says what they mean) and for both together.

A found person matches a label when the surnames agree and so do the given names (or one
side has a surname only), after folding case and accents; each label matches once. Scores
are precision and recall of names, pooled over articles; then, for matched names, how many
roles are exact (the label's role or one of its `also`, compared without case, punctuation
and leading articles) and how many are compatible (one contains the other word for word).
It is run by hand and by tests/unit/test_people.py (which holds the floors); not by CI
directly.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from briefing.analysis.people import Person, find_people  # noqa: E402
from briefing.model import Passage  # noqa: E402

SHARED = Path(os.environ.get("BRIEFING_SHARED") or REPO.parent / "shared")
LABELS = REPO / "tests" / "data" / "people_labels.json"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_parts(name: str) -> tuple[str, str]:
    """(given name, surname), folded; given is "" for a surname alone. Initials and
    particles do not count: "Michael R. Bloomberg" is ("michael", "bloomberg")."""
    words = [w for w in re.findall(r"[\w'’-]+\.?", fold(name)) if not w.endswith(".")]
    words = [w for w in words if w not in {"jr", "sr", "ii", "iii", "de", "van", "von"}]
    if not words:
        return "", ""
    return (words[0] if len(words) > 1 else ""), words[-1]


def same_person(a: str, b: str) -> bool:
    ga, sa = name_parts(a)
    gb, sb = name_parts(b)
    return sa == sb and (not ga or not gb or ga == gb)


def norm_role(role: str) -> str:
    words = re.sub(r"[^\w\s-]", " ", fold(role)).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def contains(big: str, small: str) -> bool:
    return f" {small} " in f" {big} "


def role_verdict(found: str, label: dict[str, Any]) -> tuple[bool, bool]:
    """(exact, compatible) for a matched person's role."""
    ok = [norm_role(r) for r in [label["role"], *label.get("also", [])]]
    got = norm_role(found)
    exact = got in ok
    compatible = exact or bool(
        got and any(r and (contains(got, r) or contains(r, got)) for r in ok)
    )
    return exact, compatible


@dataclass
class Score:
    name: str
    split: str
    labels: int = 0
    found: int = 0
    matched: int = 0
    role_exact: int = 0
    role_compatible: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_roles: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.labels += other.labels
        self.found += other.found
        self.matched += other.matched
        self.role_exact += other.role_exact
        self.role_compatible += other.role_compatible

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else 1.0


def passages_of(article_id: str, paragraphs: list[str]) -> list[Passage]:
    return [Passage(f"{article_id}.{k + 1}", article_id, k, t) for k, t in enumerate(paragraphs)]


def seed_paragraphs(path: Path) -> list[str]:
    """A seed story: headline on the first line (the article's title, not a passage), then
    paragraphs separated by blank lines."""
    _, _, body = path.read_text(encoding="utf-8").partition("\n")
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def corpus_articles(shared: Path, urls: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with (shared / "corpus" / "web-articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("url") in urls:
                found[row["url"]] = row
    return found


def labelled(shared: Path = SHARED) -> Iterator[tuple[dict[str, Any], list[Passage]]]:
    """Each label entry with its article's passages, read from the real-data folder."""
    entries = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    rows = corpus_articles(shared, {e["url"] for e in entries if "url" in e})
    for n, entry in enumerate(entries):
        if "seed" in entry:
            paragraphs = seed_paragraphs(shared / "seeds" / entry["seed"])
        else:
            row = rows.get(entry["url"])
            if row is None:
                raise LookupError(f"{entry['url']} is not in the corpus")
            paragraphs = [p.strip() for p in row["text"].split("\n") if p.strip()]
        yield entry, passages_of(f"art{n}", paragraphs)


def score_article(entry: dict[str, Any], people: list[Person]) -> Score:
    s = Score(entry.get("seed") or entry["url"], entry.get("split", "dev"))
    labels = list(entry["people"])
    s.labels, s.found = len(labels), len(people)
    free = list(range(len(labels)))
    for p in people:
        hit = next((k for k in free if same_person(p.name, labels[k]["name"])), None)
        if hit is None:
            s.extra.append(f"{p.name} ({p.role})" if p.role else p.name)
            continue
        free.remove(hit)
        s.matched += 1
        exact, compatible = role_verdict(p.role, labels[hit])
        s.role_exact += exact
        s.role_compatible += compatible
        if not exact:
            s.wrong_roles.append(f"{p.name}: {p.role!r}, label {labels[hit]['role']!r}")
    s.missed = [labels[k]["name"] for k in free]
    return s


def evaluate(shared: Path = SHARED) -> list[Score]:
    return [score_article(e, find_people(ps)) for e, ps in labelled(shared)]


def totals(scores: list[Score], split: str | None = None) -> Score:
    total = Score("overall" if split is None else split, split or "")
    for s in scores:
        if split is None or s.split == split:
            total.add(s)
    return total


def row(s: Score) -> str:
    roles = f"{s.role_exact}/{s.matched} exact, {s.role_compatible}/{s.matched} compatible"
    return (
        f"{s.precision:6.1%} {s.recall:6.1%}  {s.matched:3d}/{s.found:<3d} {s.matched:3d}/"
        f"{s.labels:<3d} {roles}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and extras")
    args = ap.parse_args()
    if not (SHARED / "corpus" / "web-articles.jsonl").exists():
        sys.exit(f"the real-data folder is missing: {SHARED}")
    scores = evaluate()
    print(f"{'article':<60} {'prec':>6} {'recall':>6}  found  labels roles")
    for s in scores:
        name = s.name if len(s.name) <= 58 else "…" + s.name[-57:]
        print(f"{name:<60} {row(s)}  [{s.split}]")
        if args.verbose:
            for what, items in (("missed", s.missed), ("extra", s.extra), ("role", s.wrong_roles)):
                for item in items:
                    print(f"    {what}: {item}")
    print()
    for split in ("dev", "late", None):
        t = totals(scores, split)
        print(f"{t.name:<60} {row(t)}")


if __name__ == "__main__":
    main()
