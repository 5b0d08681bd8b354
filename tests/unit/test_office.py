"""Word and PDF export through pandoc: the brief's structure survives (headings with Word's
heading styles, lists, the marking banners, the sources, the header block), untrusted text
stays inert (no raw HTML, TeX or OpenXML, no images or file reads, no front-matter
injection), and a missing pandoc or PDF engine is one line saying what to install.

`pip install -e '.[test]'` brings pandoc (pypandoc-binary), python-docx and typst, so these
run in CI; they skip, with the reason, only where pandoc cannot be had at all."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from briefing.errors import BriefingError
from briefing.exporting import office

BRIEF = """\
---
title: 'Russia–Turkey: Foreign Minister''s Visit'
brief: russia-turkey
template: bilateral-visit
compiled: '2026-11-27'
information_as_of: '2026-11-26'
marking: OFFICIAL
sources: 2
sections: 2
passages: 3
key_points: 1
notes: 0
---

**OFFICIAL**

# Russia–Turkey: Foreign Minister's Visit

*Talking points for the Minister*

Compiled 2026-11-27 · information as of 2026-11-26 · 2 sources, 3 passages

## Summary

Grain and energy lead; a ceasefire is not in sight.

## Background

**Key point:** The corridor holds, insurance is the open question.[1]

- Grain exports up a fifth
- Energy talks resume in March

## Outlook

Ankara wants to keep its mediator role.[2]

## Sources

1. Reuters. “Grain corridor holds”. 2026-11-26. <https://example.com/grain>
2. AP. “Ankara as mediator”. 2026-11-25.

**OFFICIAL**
"""

FOOTNOTED = """\
---
title: Footnoted
brief: footnoted
compiled: '2026-11-27'
marking: OFFICIAL-SENSITIVE
---

**OFFICIAL-SENSITIVE**

# Footnoted

## Background

The corridor holds.[^1] Talks resume.[^2] Again the first.[^1]

## Sources

[^1]: Reuters. “Grain corridor holds”. <https://example.com/grain>

[^2]: AP. “Ankara as mediator”.

**OFFICIAL-SENSITIVE**
"""

HOSTILE = """\
---
title: 'Hostile ```{=openxml} <w:p/>``` <script>'
brief: hostile
marking: "OFFICIAL\\" + read(\\"/etc/passwd\\") + \\""
header-includes: '`\\input{/etc/passwd}`{=latex}'
include-before: '<script>alert("front")</script>'
reference-doc: /etc/passwd
---

# Hostile

Text <script>alert(1)</script> and <img src=x onerror=alert(2)> here.

\\input{/etc/passwd} \\newcommand{\\x}{y} $\\x$

```{=html}
<iframe src="file:///etc/passwd"></iframe>
```

```{=openxml}
<w:p><w:r><w:t>INJECTED-OPENXML</w:t></w:r></w:p>
```

`<w:p>INJECTED-INLINE</w:p>`{=openxml}

<div onclick="x">RAW-DIV</div>

![secret](/etc/passwd) ![remote](https://example.com/pixel.png)

[local](file:///etc/passwd) [js](javascript:alert(3)) [ok](https://example.com/ok)

::: {custom-style="Title"}
fenced div
:::

~~~ a```#set page(fill: red)
FENCED-CODE
~~~
"""


@pytest.fixture
def pandoc() -> office.Pandoc:
    try:
        return office.find_pandoc()
    except office.PandocMissing as exc:
        pytest.skip(f"pandoc cannot be had here ({exc})")


@pytest.fixture
def docx(pandoc: office.Pandoc) -> Any:
    return pytest.importorskip("docx", reason="python-docx is in the test extra")


def open_docx(docx: Any, data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def paragraphs(document: Any) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]


def numbered(paragraph: Any) -> bool:
    """A list paragraph: Word numbering on the paragraph or through its style."""
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


# -- structure ---------------------------------------------------------------------------------


def test_headings_keep_words_heading_styles(docx: Any) -> None:
    doc = open_docx(docx, office.to_docx(BRIEF))
    heads = [(s, t) for s, t in paragraphs(doc) if s.startswith("Heading")]
    assert heads == [
        ("Heading 1", "Russia–Turkey: Foreign Minister's Visit"),
        ("Heading 2", "Summary"),
        ("Heading 2", "Background"),
        ("Heading 2", "Outlook"),
        ("Heading 2", "Sources"),
    ]


def test_marking_banners_open_and_close_the_document_and_every_page(docx: Any) -> None:
    doc = open_docx(docx, office.to_docx(BRIEF))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    for banner in (paras[0], paras[-1]):
        assert banner.text == "OFFICIAL"
        assert all(r.bold for r in banner.runs if r.text.strip())
    for section in doc.sections:
        assert section.header.paragraphs[0].text == "OFFICIAL"
        assert section.footer.paragraphs[0].text == "OFFICIAL"


def test_header_block_lists_and_sources_survive(docx: Any) -> None:
    doc = open_docx(docx, office.to_docx(BRIEF))
    texts = [t for _, t in paragraphs(doc)]
    assert "Talking points for the Minister" in texts
    assert "Compiled 2026-11-27 · information as of 2026-11-26 · 2 sources, 3 passages" in texts
    assert "Key point: The corridor holds, insurance is the open question.[1]" in texts
    bullets = [p for p in doc.paragraphs if p.text.startswith(("Grain exports", "Energy talks"))]
    assert len(bullets) == 2 and all(numbered(p) for p in bullets)
    at = texts.index("Sources")
    sources = [p for p in doc.paragraphs if p.text.startswith(("Reuters.", "AP."))]
    assert [p.text for p in sources] == [
        "Reuters. “Grain corridor holds”. 2026-11-26. https://example.com/grain",
        "AP. “Ankara as mediator”. 2026-11-25.",
    ]
    assert all(numbered(p) for p in sources)
    assert texts[at + 1 : at + 3] == [p.text for p in sources]
    assert 'w:numFmt w:val="decimal"' in parts(office.to_docx(BRIEF))["word/numbering.xml"]


def test_source_urls_are_live_links(docx: Any) -> None:
    rels = parts(office.to_docx(BRIEF))["word/_rels/document.xml.rels"]
    assert 'Target="https://example.com/grain"' in rels


def test_document_properties_come_from_the_front_matter(docx: Any) -> None:
    props = open_docx(docx, office.to_docx(BRIEF)).core_properties
    assert props.title == "Russia–Turkey: Foreign Minister's Visit"
    assert props.subject == "russia-turkey"
    assert props.category == "OFFICIAL"
    assert props.created.date().isoformat() == "2026-11-27"
    assert props.comments == "2 sources, 3 passages"


def test_the_title_is_not_doubled(docx: Any) -> None:
    """Pandoc would print a front-matter title as a Title paragraph above the `#` heading."""
    doc = open_docx(docx, office.to_docx(BRIEF))
    texts = [t for _, t in paragraphs(doc)]
    assert texts.count("Russia–Turkey: Foreign Minister's Visit") == 1
    assert "Title" not in {s for s, _ in paragraphs(doc)}


def test_footnoted_sources_are_listed_under_sources(docx: Any) -> None:
    """The exporter's footnote form: Word footnotes at the citations, and the Sources heading
    is not left empty: each source once, in order of first citation."""
    data = office.to_docx(FOOTNOTED)
    doc = open_docx(docx, data)
    texts = [t for _, t in paragraphs(doc)]
    at = texts.index("Sources")
    assert texts[at + 1 : at + 4] == [
        "Reuters. “Grain corridor holds”. https://example.com/grain",
        "AP. “Ankara as mediator”.",
        "OFFICIAL-SENSITIVE",
    ]
    assert "Ankara as mediator" in parts(data)["word/footnotes.xml"]
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_the_same_brief_gives_the_same_bytes(docx: Any) -> None:
    assert office.to_docx(BRIEF) == office.to_docx(BRIEF)


def test_a_compiled_brief_converts(docx: Any, tmp_path: Path) -> None:
    """What the Markdown exporter writes today (whatever its shape) converts: the brief's
    title is the one Heading 1 and the sources are listed under Sources."""
    from briefing.demo import add_demo
    from briefing.session import Session
    from briefing.store import Book

    book = Book(tmp_path / "book")
    add_demo(book)
    session = Session(Book(book.path))
    session.load()
    markdown = session.export_text("md", "2026-11-27")
    doc = open_docx(docx, office.to_docx(markdown))
    heads = [(s, t) for s, t in paragraphs(doc) if s.startswith("Heading")]
    assert heads[0] == ("Heading 1", session.require_view().brief.title)
    assert sum(s == "Heading 1" for s, _ in heads) == 1
    texts = [t for _, t in paragraphs(doc)]
    at = texts.index("Sources")
    listed = [p for p in doc.paragraphs[at:] if numbered(p)]
    assert len(listed) == len(session.require_view().cited_articles()) > 0


# -- untrusted text ----------------------------------------------------------------------------


def test_raw_html_tex_and_openxml_come_out_as_text(docx: Any) -> None:
    data = office.to_docx(HOSTILE)
    files = parts(data)
    body = files["word/document.xml"]
    text = "\n".join(p.text for p in open_docx(docx, data).paragraphs)
    assert "<script>alert(1)</script>" in text
    assert "\\input{/etc/passwd}" in text
    assert '<iframe src="file:///etc/passwd"></iframe>' in text
    assert "<w:p><w:r><w:t>INJECTED-OPENXML</w:t></w:r></w:p>" in text
    assert "<w:p>INJECTED-INLINE</w:p>" in text
    assert '<div onclick="x">RAW-DIV</div>' in text
    # Only as escaped text: never as markup of the document itself.
    assert "<w:t>INJECTED-OPENXML</w:t>" not in body
    assert "<script" not in body and "<iframe" not in body
    assert "root:" not in "".join(files.values())


def test_images_and_odd_links_are_dropped(docx: Any) -> None:
    files = parts(office.to_docx(HOSTILE))
    assert not [n for n in files if n.startswith("word/media/")]
    rels = files["word/_rels/document.xml.rels"]
    assert "https://example.com/ok" in rels
    for bad in ("file:", "javascript:", "/etc/passwd", "pixel.png"):
        assert bad not in rels
    text = files["word/document.xml"]
    assert "secret" in text and "local" in text  # the alt and link text stay, as text


def test_front_matter_cannot_inject(docx: Any) -> None:
    """Template variables and pandoc options in the front matter are ignored; its title and
    marking are used only as plain strings."""
    data = office.to_docx(HOSTILE)
    doc = open_docx(docx, data)
    body = parts(data)["word/document.xml"]
    assert "front" not in body and "header-includes" not in body
    assert doc.core_properties.title == "Hostile ```{=openxml} <w:p/>``` <script>"
    assert doc.sections[0].header.paragraphs[0].text.startswith('OFFICIAL" + read(')
    assert "Title" not in {p.style.name for p in doc.paragraphs}


def test_control_characters_never_reach_the_document(docx: Any) -> None:
    md = BRIEF.replace("Grain and energy", "Grain\x1b]52;c;cGVybQ==\x07 and\x9b31m energy")
    body = parts(office.to_docx(md))["word/document.xml"]
    assert "\x1b" not in body and "\x9b" not in body and "\x07" not in body


# -- PDF ---------------------------------------------------------------------------------------


@pytest.fixture
def pdf_ready(pandoc: office.Pandoc) -> str:
    try:
        return office.pdf_engine(pandoc)
    except office.PdfEngineMissing as exc:
        pytest.skip(f"no PDF engine here ({exc})")


def test_pdf(pdf_ready: str) -> None:
    pdf = office.to_pdf(BRIEF)
    assert pdf.startswith(b"%PDF")
    assert office.to_pdf(BRIEF) == pdf


def test_pdf_of_hostile_text(pdf_ready: str) -> None:
    assert office.to_pdf(HOSTILE).startswith(b"%PDF")


def test_typst_preamble_takes_text_only_as_strings(pandoc: office.Pandoc) -> None:
    if pandoc.version < office.MIN_PANDOC_TYPST:
        pytest.skip("this pandoc has no Typst writer")
    meta, doc = office._prepare(pandoc, HOSTILE)
    source = office.to_typst_source(pandoc, meta, doc)
    preamble = source.split("#show link: underline", 1)[0]
    assert 'text(weight: "bold", "OFFICIAL\\" + read(\\"/etc/passwd\\") + \\"")' in preamble
    assert "Text \\<script\\>alert(1)\\</script\\>" in source
    # A code block's class would be printed after its fence, closing it early (pandoc's
    # Typst writer): classes are dropped, so the fence line is bare.
    assert "```\nFENCED-CODE\n```" in source
    assert "fill: red" not in source
    assert office.typst_string('a\\"b\n#c') == '"a\\\\\\"b #c"'


# -- what is missing ---------------------------------------------------------------------------


@pytest.fixture
def no_pandoc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No pypandoc-binary and nothing called pandoc on PATH."""
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


def test_without_pandoc_word_export_says_what_to_install(no_pandoc: None) -> None:
    with pytest.raises(BriefingError) as err:
        office.to_docx(BRIEF)
    assert str(err.value) == (
        "Word export needs pandoc: pip install 'briefing[office]' (or install pandoc)"
    )
    assert isinstance(err.value, office.PandocMissing)


def test_without_pandoc_pdf_export_says_what_to_install(no_pandoc: None) -> None:
    with pytest.raises(office.PandocMissing, match=r"pip install 'briefing\[office\]'"):
        office.to_pdf(BRIEF)


def test_export_formats_says_why_not(no_pandoc: None) -> None:
    formats = office.export_formats()
    assert formats["md"].available and formats["json"].available
    assert not formats["docx"].available and not formats["pdf"].available
    assert "pip install 'briefing[office]'" in formats["docx"].detail
    assert all("\n" not in f.detail for f in formats.values())


POSIX = pytest.mark.skipif(os.name != "posix", reason="a shell-script or symlinked pandoc")


def fake_pandoc(folder: Path, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "pandoc"
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


@POSIX
def test_an_old_pandoc_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_pandoc(tmp_path / "bin", 'echo "pandoc 2.9.2.1"\n')
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(office.PandocMissing, match=r"pandoc 2\.15 or later .*2\.9\.2\.1"):
        office.to_docx(BRIEF)


@POSIX
def test_a_pandoc_on_path_is_used(
    pandoc: office.Pandoc, docx: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without pypandoc-binary, a system pandoc does the work."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "pandoc").symlink_to(pandoc.path)
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setenv("PATH", str(folder))
    found = office.find_pandoc()
    assert found.path == str(folder / "pandoc") and not found.bundled
    assert office.export_formats()["docx"].available
    doc = open_docx(docx, office.to_docx(BRIEF))
    assert doc.paragraphs[0].text == "OFFICIAL"


@POSIX
def test_without_a_pdf_engine_pdf_export_says_what_to_install(
    pandoc: office.Pandoc, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "pandoc").symlink_to(pandoc.path)
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setattr(office, "_typst_module", lambda: None)
    monkeypatch.setenv("PATH", str(folder))
    with pytest.raises(office.PdfEngineMissing) as err:
        office.to_pdf(BRIEF)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("PDF export needs a PDF engine: pip install 'briefing[office]'")
    assert not office.export_formats()["pdf"].available
    assert office.export_formats()["docx"].available


@POSIX
def test_a_failing_pandoc_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_pandoc(
        tmp_path / "bin",
        'case "$*" in *--version*) echo "pandoc 3.1.9";; '
        '*) echo "boom: first" >&2; echo "pandoc: out of cheese" >&2; exit 3;; esac\n',
    )
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(office.OfficeExportError, match=r"^pandoc failed: pandoc: out of cheese$"):
        office.to_docx(BRIEF)


def test_unknown_format() -> None:
    with pytest.raises(office.OfficeExportError):
        office.convert(BRIEF, "odt")


@POSIX
def test_a_pdf_engine_on_path_is_driven_by_pandoc(
    pandoc: office.Pandoc, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the typst wheel, pandoc's `--pdf-engine` runs the first engine on PATH, in a
    temporary folder; a stand-in `typst` writes the PDF where pandoc asks."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "pandoc").symlink_to(pandoc.path)
    engine = folder / "typst"
    engine.write_text(
        '#!/bin/sh\necho "$@" > "$0.args"\nfor last; do :; done\nprintf "%%PDF-1.7 x" > "$last"\n'
    )
    engine.chmod(0o755)
    monkeypatch.setattr(office, "_bundled_pandoc", lambda: None)
    monkeypatch.setattr(office, "_typst_module", lambda: None)
    monkeypatch.setenv("PATH", str(folder))
    if pandoc.version < office.MIN_PANDOC_TYPST:
        pytest.skip("this pandoc has no Typst writer")
    assert office.export_formats()["pdf"].detail.endswith(" and typst")
    assert office.to_pdf(BRIEF) == b"%PDF-1.7 x"
    assert Path(f"{engine}.args").read_text().startswith("compile ")
