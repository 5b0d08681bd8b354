"""Word (.docx) and PDF from the compiled Markdown, through pandoc.

The input is what `exporting.markdown` writes: YAML front matter, a marking banner line at
top and bottom, `#`/`##` headings, a `## Sources` list (or footnotes). Its text came from
articles nobody vetted, so the conversion is built to be inert, not merely to look right:

* The front matter never reaches pandoc. It is cut off and read here with `yaml.safe_load`;
  only a few scalar fields (title, marking, brief id, compile date) are used, and only where
  we put them (document properties, page header and footer). Pandoc treats front-matter
  fields as Markdown and as template variables (`header-includes`, `include-before`), which
  would let a brief's title inject raw content into the output.
* The body is read as CommonMark with raw HTML off (`commonmark-raw_html`): plain CommonMark
  has no raw-attribute (`{=openxml}`), raw-TeX, YAML-block or attribute syntax at all, so
  `\\input{...}` and ```` ```{=html} ```` arrive as text. CommonMark is also what the
  exporter escapes for; pandoc's own Markdown dialect has more block syntax (fancy lists,
  line blocks) than that escaping covers.
* Pandoc parses to its JSON AST, this module rewrites the AST (no Lua filter, nothing is read
  from disk), and pandoc writes the AST out. The rewrite turns every raw block or inline
  into text (the reader still emits `<script>` as raw HTML despite `-raw_html`), images into
  their alt text (an image is a file or URL fetch), keeps a link only when it goes to
  http(s), mailto or an anchor, and drops classes and key-values (pandoc's Typst writer
  prints a code block's class unescaped: a crafted fence would run Typst code).
* Pandoc runs with `--sandbox` (no file or network access by readers and writers), the
  input on stdin, output on stdout, a heap limit and a timeout, and an argument list that is
  built here and never contains document text.

Pandoc comes from the `pypandoc-binary` wheel (`pip install 'briefing[office]'`), which
carries a pandoc binary; a `pandoc` on PATH works too. We locate that binary and run it
ourselves rather than through `pypandoc.convert_text`: its binary formats need a temporary
output file, it adds arguments of its own and probes several pandocs for the newest, and
here every argument must be ours.

PDF needs a PDF engine. The `office` extra brings `typst` (a Python wheel with the Typst
compiler and fonts inside): pandoc writes Typst markup, and it is compiled in memory in an
empty root folder, so nothing on disk can be read into the PDF. Otherwise pandoc's own
`--pdf-engine` is used with the first of typst, weasyprint, wkhtmltopdf, xelatex, lualatex,
tectonic or pdflatex found on PATH.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from briefing.errors import BriefingError
from briefing.sanitize import safe_out

INSTALL = "pip install 'briefing[office]'"
"""What to install: pandoc (pypandoc-binary), python-docx and typst, all from PyPI."""

READER = "commonmark+footnotes+pipe_tables+strikeout+gfm_auto_identifiers-raw_html"
"""CommonMark as the exporter writes it. `gfm_auto_identifiers` gives headings the GitHub
anchors the Contents list links to; `footnotes` reads the `[^n]` citations."""

MIN_PANDOC = (2, 15)
"""`--sandbox` and CommonMark footnotes both arrived by 2.15 (2021)."""

MIN_PANDOC_TYPST = (3, 1, 2)
"""The first pandoc with a Typst writer."""

PANDOC_TIMEOUT = 120.0
"""Seconds before a pandoc or PDF run is abandoned (a brief takes well under one)."""

HEAP_LIMIT = "-M1024m"
"""Pandoc's heap limit (the pandoc manual's advice for untrusted input)."""

LATEX_ENGINES = ("xelatex", "lualatex", "tectonic", "pdflatex")
PATH_ENGINES = ("typst", "weasyprint", "wkhtmltopdf", *LATEX_ENGINES)
"""PDF engines pandoc can drive, in the order tried: the ones that handle any Unicode text
without configuration first; pdflatex last (it fails on Cyrillic without extra packages)."""

TYPST_PYTHON = "typst (Python package)"

_LINK_OK = re.compile(r"(https?://|mailto:|#)", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*\r?\n", re.DOTALL)
_VERSION = re.compile(r"pandoc(?:\.exe)?\s+v?(\d+(?:\.\d+)*)", re.IGNORECASE)
_NO_ATTR: list[Any] = ["", [], []]


class OfficeExportError(BriefingError):
    """A Word or PDF export failed; the message says why and, if it can, what to do."""


class PandocMissing(OfficeExportError):
    """No usable pandoc: neither the `office` extra's nor one on PATH."""


class PdfEngineMissing(OfficeExportError):
    """Pandoc is there but nothing can turn its output into a PDF."""


# -- finding the tools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pandoc:
    """A pandoc binary that answered `--version`."""

    path: str
    version: tuple[int, ...]
    bundled: bool
    """True: the pypandoc-binary wheel's copy; False: found on PATH."""
    heap_limit: bool = True
    """False when this build refuses RTS options (then it runs without the heap limit)."""

    @property
    def label(self) -> str:
        where = "from pypandoc-binary" if self.bundled else f"at {self.path}"
        return f"pandoc {'.'.join(map(str, self.version))} {where}"

    def command(self) -> list[str]:
        """The binary and, if it takes them, the runtime options that bound its memory."""
        return [self.path, "+RTS", HEAP_LIMIT, "-RTS"] if self.heap_limit else [self.path]


def _bundled_pandoc() -> str | None:
    """The pandoc inside the pypandoc-binary wheel, found without importing pypandoc (its
    import configures logging and may probe for pandocs)."""
    try:
        spec = importlib.util.find_spec("pypandoc")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for name in ("pandoc.exe", "pandoc") if sys.platform == "win32" else ("pandoc",):
            exe = Path(folder) / "files" / name
            if exe.is_file() and os.access(exe, os.X_OK):
                return str(exe)
    return None


@functools.lru_cache(maxsize=8)
def _probe(path: str) -> tuple[tuple[int, ...], bool] | None:
    """(version, takes RTS options) of the pandoc at `path`, or None if it does not run.

    Cached by path: a pandoc does not change under a running app, and the probe is a
    process start."""
    for rts in (True, False):
        cmd = [path, "+RTS", HEAP_LIMIT, "-RTS", "--version"] if rts else [path, "--version"]
        try:
            out = subprocess.run(
                cmd, capture_output=True, timeout=30, stdin=subprocess.DEVNULL, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        if out.returncode != 0:
            continue
        m = _VERSION.search(out.stdout.decode("utf-8", "replace"))
        if m:
            return tuple(int(x) for x in m.group(1).split(".")), rts
    return None


def find_pandoc() -> Pandoc:
    """The pandoc to use: the `office` extra's, else the first `pandoc` on PATH.

    Raises PandocMissing with the one line that says what to install, naming an old pandoc
    when that is what was found."""
    candidates: list[tuple[str, bool]] = []
    bundled = _bundled_pandoc()
    if bundled:
        candidates.append((bundled, True))
    on_path = shutil.which("pandoc")
    if on_path:
        candidates.append((on_path, False))
    too_old: list[str] = []
    for path, is_bundled in candidates:
        probed = _probe(path)
        if probed is None:
            continue
        version, rts = probed
        if version < MIN_PANDOC:
            too_old.append(f"{path} is pandoc {'.'.join(map(str, version))}")
            continue
        return Pandoc(path, version, is_bundled, rts)
    if too_old:
        need = ".".join(map(str, MIN_PANDOC))
        raise PandocMissing(
            f"Word and PDF export need pandoc {need} or later ({too_old[0]}): {INSTALL}"
        )
    raise PandocMissing(f"Word export needs pandoc: {INSTALL} (or install pandoc)")


def _typst_module() -> ModuleType | None:
    """The `typst` Python package, if installed and loadable (a compiled extension)."""
    try:
        return importlib.import_module("typst")
    except Exception:  # a broken or foreign-platform wheel fails in many ways: all mean "no"
        return None


def _docx_module() -> ModuleType | None:
    """python-docx, which sets the document properties and the page header's marking."""
    try:
        return importlib.import_module("docx")
    except Exception:
        return None


def pdf_engine(pandoc: Pandoc) -> str:
    """The PDF engine that will be used: `TYPST_PYTHON` or the name of a program on PATH.

    Raises PdfEngineMissing saying what to install."""
    has_typst_writer = pandoc.version >= MIN_PANDOC_TYPST
    if has_typst_writer and _typst_module() is not None:
        return TYPST_PYTHON
    for name in PATH_ENGINES:
        if name == "typst" and not has_typst_writer:
            continue
        if shutil.which(name):
            return name
    raise PdfEngineMissing(
        f"PDF export needs a PDF engine: {INSTALL} (it brings typst), or install typst, "
        "weasyprint, wkhtmltopdf or a LaTeX (xelatex)"
    )


@dataclass(frozen=True)
class FormatSupport:
    """Whether an export format works on this machine, and how or why not (one line)."""

    available: bool
    detail: str


def export_formats() -> dict[str, FormatSupport]:
    """Every export format and whether it works here, for `--format` help and `doctor`.

    `md` and `json` always work; `docx` needs pandoc; `pdf` needs pandoc and an engine."""
    formats = {
        "md": FormatSupport(True, "Markdown (CommonMark with YAML front matter)"),
        "json": FormatSupport(True, "JSON (another book can import it)"),
    }
    try:
        pandoc = find_pandoc()
    except PandocMissing as exc:
        formats["docx"] = FormatSupport(False, str(exc))
        formats["pdf"] = FormatSupport(
            False, f"PDF export needs pandoc and a PDF engine: {INSTALL}"
        )
        return formats
    props = "" if _docx_module() else " (without python-docx: no document properties)"
    formats["docx"] = FormatSupport(True, f"Word, via {pandoc.label}{props}")
    try:
        engine = pdf_engine(pandoc)
    except PdfEngineMissing as exc:
        formats["pdf"] = FormatSupport(False, str(exc))
    else:
        formats["pdf"] = FormatSupport(True, f"PDF, via {pandoc.label} and {engine}")
    return formats


def convert(markdown: str, fmt: str) -> bytes:
    """`to_docx` or `to_pdf` by format name (what `export --format` passes)."""
    if fmt == "docx":
        return to_docx(markdown)
    if fmt == "pdf":
        return to_pdf(markdown)
    raise OfficeExportError(f"unknown office format {fmt!r} (docx or pdf)")


# -- the front matter ------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefMeta:
    """The few front-matter fields used, each a clean one-line string ("" when absent)."""

    title: str = ""
    brief: str = ""
    marking: str = ""
    compiled: dt.date | None = None
    summary: str = ""
    """One line for the document's description: "2 sources, 3 passages"."""


def _field(front: dict[str, Any], key: str) -> str:
    """A scalar front-matter value as clean text; anything else (a list, a mapping) is
    ignored, so a crafted front matter cannot hand over structures."""
    value = front.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        return ""
    return safe_out(str(value), one_line=True)[:300].strip()


def split_front_matter(markdown: str) -> tuple[BriefMeta, str]:
    """The front matter's fields, and the body without it.

    A front matter that is not valid YAML (or not a mapping) is still cut off, unused: it
    would otherwise reach the document as a thematic break and stray lines."""
    m = _FRONT_MATTER.match(markdown)
    if not m:
        return BriefMeta(), markdown
    body = markdown[m.end() :]
    try:
        front = yaml.safe_load(m.group(1) or "")
    except yaml.YAMLError:
        front = None
    if not isinstance(front, dict):
        return BriefMeta(), body
    compiled = front.get("compiled")
    if isinstance(compiled, str):
        try:
            compiled = dt.date.fromisoformat(compiled)
        except ValueError:
            compiled = None
    if isinstance(compiled, dt.datetime):
        compiled = compiled.date()
    counts = []
    for key, word in (("sources", "source"), ("passages", "passage")):
        n = front.get(key)
        if isinstance(n, int) and not isinstance(n, bool):
            counts.append(f"{n} {word}{'' if n == 1 else 's'}")
    return (
        BriefMeta(
            title=_field(front, "title"),
            brief=_field(front, "brief"),
            marking=_field(front, "marking"),
            compiled=compiled if isinstance(compiled, dt.date) else None,
            summary=", ".join(counts),
        ),
        body,
    )


# -- running pandoc --------------------------------------------------------------------------


def _run(cmd: list[str], data: bytes, *, what: str = "pandoc", cwd: str | None = None) -> bytes:
    """Run a converter with `data` on stdin; its stdout, or OfficeExportError with the first
    line of what it said."""
    try:
        out = subprocess.run(
            cmd,
            input=data,
            capture_output=True,
            timeout=PANDOC_TIMEOUT,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OfficeExportError(f"{what} took longer than {PANDOC_TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise OfficeExportError(f"{what} could not run ({exc.strerror or exc})") from None
    if out.returncode != 0:
        said = out.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = safe_out(said[-1] if said else f"exit status {out.returncode}", one_line=True)
        raise OfficeExportError(f"{what} failed: {reason[:300]}")
    return out.stdout


def _pandoc(pandoc: Pandoc, args: list[str], data: bytes, cwd: str | None = None) -> bytes:
    return _run([*pandoc.command(), "--sandbox", *args], data, cwd=cwd)


def _read_ast(pandoc: Pandoc, body: str) -> dict[str, Any]:
    raw = _pandoc(pandoc, ["--from", READER, "--to", "json"], body.encode("utf-8"))
    doc = json.loads(raw)
    if not isinstance(doc, dict) or not isinstance(doc.get("blocks"), list):
        raise OfficeExportError("pandoc returned an unexpected document")
    return doc


# -- the AST pass ------------------------------------------------------------------------------


def _inert(node: Any) -> Any:
    """The AST with nothing in it that reaches outside the document or into the output
    format raw: raw inlines become text and raw blocks code blocks (shown, not interpreted:
    pandoc 3.9's CommonMark reader still emits `<tag>`s as raw HTML under `-raw_html`),
    images become their alt text, links to anything but http(s), mailto and anchors become
    plain text, and attributes shrink to a plain identifier."""
    if isinstance(node, list):
        return [_inert(x) for x in node]
    if not isinstance(node, dict):
        return node
    t = node.get("t")
    c = node.get("c")
    if t == "RawBlock" and isinstance(c, list) and len(c) == 2:
        return {"t": "CodeBlock", "c": [_NO_ATTR, str(c[1])]}
    if t == "RawInline" and isinstance(c, list) and len(c) == 2:
        return {"t": "Str", "c": str(c[1])}
    if t == "Image" and isinstance(c, list) and len(c) == 3:
        return {"t": "Span", "c": [_NO_ATTR, _inert(c[1])]}
    if t == "Link" and isinstance(c, list) and len(c) == 3:
        target = c[2][0] if isinstance(c[2], list) and c[2] else ""
        if not (isinstance(target, str) and _LINK_OK.match(target)):
            return {"t": "Span", "c": [_NO_ATTR, _inert(c[1])]}
    out = {k: _inert(v) for k, v in node.items()}
    at = _ATTR_AT.get(t) if isinstance(t, str) else None
    if at is not None and isinstance(c, list) and len(c) > at:
        out["c"][at] = _clean_attr(c[at])
    return out


_ATTR_AT = {"Header": 1, "Code": 0, "CodeBlock": 0, "Div": 0, "Span": 0, "Link": 0}
"""Where an element's attributes (id, classes, key-values) are in its `c`."""

_SAFE_ID = re.compile(r"[\w-]{1,200}")


def _clean_attr(attr: Any) -> list[Any]:
    """An identifier made of letters, digits, `-`, `_` (heading anchors), nothing else.

    Classes and key-values are what writers pass through least carefully: pandoc's Typst
    writer prints a code block's class verbatim after its fence, so a `~~~` fence whose info
    string holds backticks closes the raw block and runs the rest as Typst code. Key-values
    such as `custom-style` restyle Word paragraphs."""
    ident = attr[0] if isinstance(attr, list) and attr and isinstance(attr[0], str) else ""
    return [ident if _SAFE_ID.fullmatch(ident) else "", [], []]


def _text(node: Any) -> str:
    """The plain text of an AST fragment (pandoc's `stringify`)."""
    if isinstance(node, list):
        return "".join(_text(x) for x in node)
    if not isinstance(node, dict):
        return ""
    t = node.get("t")
    if t == "Str":
        return str(node.get("c", ""))
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t == "Note":
        return ""
    return _text(node.get("c"))


def _notes(node: Any, found: dict[str, Any]) -> None:
    """Every footnote's content, once each, in order of first use."""
    if isinstance(node, list):
        for x in node:
            _notes(x, found)
    elif isinstance(node, dict):
        if node.get("t") == "Note":
            found.setdefault(json.dumps(node.get("c"), sort_keys=True), node.get("c"))
        _notes(node.get("c"), found)


def _fill_sources(doc: dict[str, Any], marking: str) -> None:
    """When the sources are footnotes, list them under `## Sources` as well.

    Pandoc moves footnote definitions to where they are cited, which in Word and PDF leaves
    the Sources heading empty; the reader of a printed brief expects the list there. A
    Sources section that already holds a list (the exporter's numbered form) is left alone."""
    blocks: list[Any] = doc["blocks"]
    at = next(
        (
            i
            for i, b in enumerate(blocks)
            if isinstance(b, dict)
            and b.get("t") == "Header"
            and _text(b["c"][2]).strip().lower() == "sources"
        ),
        None,
    )
    if at is None:
        return
    level = blocks[at]["c"][0]
    end = at + 1
    while end < len(blocks) and not (
        blocks[end].get("t") == "Header" and blocks[end]["c"][0] <= level
    ):
        end += 1
    banner = marking.strip().lower()
    content = [
        b for b in blocks[at + 1 : end] if not (banner and _text(b).strip().lower() == banner)
    ]
    if content:
        return
    found: dict[str, Any] = {}
    _notes(blocks, found)
    if not found:
        return
    # Tight items (Plain, not Para): a compact list, as the exporter's own numbered list is.
    items = [
        [{"t": "Plain", "c": b["c"]} if b.get("t") == "Para" else b for b in note]
        for note in found.values()
    ]
    blocks.insert(
        at + 1, {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}
    )


def _prepare(pandoc: Pandoc, markdown: str) -> tuple[BriefMeta, dict[str, Any]]:
    """Front matter read here, body parsed by pandoc and made inert."""
    meta, body = split_front_matter(markdown)
    doc = _inert(_read_ast(pandoc, safe_out(body)))
    doc["meta"] = {}
    _fill_sources(doc, meta.marking)
    return meta, doc


# -- Word --------------------------------------------------------------------------------------


def to_docx(markdown: str) -> bytes:
    """The compiled brief as a Word document.

    Headings keep Word's Heading 1/2 styles (so the navigation pane and a table of contents
    work), lists stay lists, citations become Word footnotes and the Sources list. With
    python-docx (in the `office` extra) the document properties carry the title, brief id,
    marking and compile date, and the marking is repeated in every page's header and
    footer, as a protective marking must be. The same input gives the same bytes."""
    pandoc = find_pandoc()
    meta, doc = _prepare(pandoc, markdown)
    data = _pandoc(pandoc, ["--from", "json", "--to", "docx", "--output", "-"], _dumps(doc))
    if not data.startswith(b"PK"):
        raise OfficeExportError("pandoc did not write a Word document")
    return _finish_docx(data, meta)


def _dumps(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _when(meta: BriefMeta) -> dt.datetime:
    """The document's timestamp: the compile date (reproducible), else SOURCE_DATE_EPOCH or
    a fixed date, never the clock, so two exports of one brief are byte-identical."""
    if meta.compiled is not None:
        return dt.datetime(meta.compiled.year, meta.compiled.month, meta.compiled.day)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime(1980, 1, 1)


def _finish_docx(data: bytes, meta: BriefMeta) -> bytes:
    docx = _docx_module()
    if docx is None:
        return data
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    when = _when(meta)
    props.title = meta.title
    props.subject = meta.brief
    props.category = meta.marking
    props.keywords = ", ".join(x for x in ("brief", meta.brief, meta.marking) if x)
    props.comments = meta.summary
    props.author = ""
    props.last_modified_by = "briefing"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    if meta.marking:
        for section in document.sections:
            for part in (section.header, section.footer):
                part.is_linked_to_previous = False
                para = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
                para.text = ""
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.add_run(meta.marking).bold = True
    out = io.BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue(), when)


def _stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same archive with every entry's time set to `when` (python-docx stamps the clock
    time), so the output depends only on the brief."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------------


def to_pdf(markdown: str) -> bytes:
    """The compiled brief as a PDF, the marking in every page's header and footer.

    Raises PandocMissing or PdfEngineMissing (each one line, saying what to install)."""
    try:
        pandoc = find_pandoc()
    except PandocMissing:
        raise PandocMissing(
            f"PDF export needs pandoc and a PDF engine: {INSTALL} (or install pandoc)"
        ) from None
    engine = pdf_engine(pandoc)
    meta, doc = _prepare(pandoc, markdown)
    if engine == TYPST_PYTHON:
        return _typst_pdf(to_typst_source(pandoc, meta, doc), meta)
    return _engine_pdf(pandoc, engine, meta, doc)


def typst_string(text: str) -> str:
    """`text` as a Typst string literal: the only way document text enters the preamble
    (never as markup or code)."""
    text = safe_out(text, one_line=True)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_typst_source(pandoc: Pandoc, meta: BriefMeta, doc: dict[str, Any]) -> str:
    """Typst markup for the brief: our preamble (page, title, marking), then pandoc's body.

    Pandoc's body only (no `--standalone`): its template takes metadata as markup and
    tracks Typst releases we do not pin."""
    body = _pandoc(pandoc, ["--from", "json", "--to", "typst"], _dumps(doc)).decode("utf-8")
    when = _when(meta)
    mark = typst_string(meta.marking)
    lines = [
        f"#set document(title: {typst_string(meta.title or meta.brief or 'Brief')}, "
        f"date: datetime(year: {when.year}, month: {when.month}, day: {when.day}))",
        "#set text(size: 10.5pt, hyphenate: false)",
        "#set par(justify: false)",
        '#set page(paper: "a4", margin: (x: 2.2cm, y: 2.4cm),',
        f'  header: align(center, text(weight: "bold", {mark})),',
        f'  footer: context align(center, text(weight: "bold", {mark}) + h(1fr) + '
        'counter(page).display("1 / 1", both: true)))'
        if meta.marking
        else '  footer: context align(right, counter(page).display("1 / 1", both: true)))',
        "#let horizontalrule = line(length: 100%, stroke: 0.5pt)",
        "#show link: underline",
        "",
    ]
    return "\n".join(lines) + body


def _typst_pdf(source: str, meta: BriefMeta) -> bytes:
    typst = _typst_module()
    if typst is None:  # checked by pdf_engine; a second look keeps mypy and races honest
        raise PdfEngineMissing(f"PDF export needs a PDF engine: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as root:
        # An empty root: `image()`, `read()` and `include` can reach nothing on disk, and an
        # empty package folder means no package is found (nor fetched: none is imported).
        packages = Path(root, "packages")
        packages.mkdir()
        try:
            pdf = typst.compile(
                source.encode("utf-8"),
                root=root,
                format="pdf",
                package_path=str(packages),
                package_cache_path=str(packages),
                timestamp=_when(meta).replace(tzinfo=dt.UTC),
            )
        except Exception as exc:
            said = safe_out(str(getattr(exc, "message", exc)), one_line=True)[:300]
            raise OfficeExportError(f"typst failed: {said}") from None
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise OfficeExportError("typst did not write a PDF")
    return pdf


def _engine_pdf(pandoc: Pandoc, engine: str, meta: BriefMeta, doc: dict[str, Any]) -> bytes:
    """Pandoc's own PDF route with a program on PATH, in a temporary folder.

    Metadata goes in as `MetaString`s (rendered as escaped text by every writer), and only
    the HTML page title and PDF title: `title` itself would add a second title block."""
    title = meta.title or meta.brief or "Brief"
    doc["meta"] = {
        "pagetitle": {"t": "MetaString", "c": title},
        "title-meta": {"t": "MetaString", "c": title},
    }
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
        out = Path(tmp, "brief.pdf")
        _pandoc(
            pandoc,
            ["--from", "json", "--pdf-engine", engine, "--output", str(out)],
            _dumps(doc),
            cwd=tmp,
        )
        try:
            pdf = out.read_bytes()
        except OSError:
            raise OfficeExportError(f"{engine} wrote no PDF") from None
    if not pdf.startswith(b"%PDF"):
        raise OfficeExportError(f"{engine} did not write a PDF")
    return pdf
