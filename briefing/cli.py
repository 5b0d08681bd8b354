"""The `briefing` command: every job of the app without the TUI.

Parses arguments, calls the services, prints. Errors the user can act on are printed as one
line on stderr with a non-zero exit status — never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from briefing import __version__, briefs, locations
from briefing.briefs import (
    CURRENT,
    articles_of,
    current_brief_id,
    library_items,
    require_brief_id,
    view,
)
from briefing.errors import BriefingError, UsageError
from briefing.model import is_written_id
from briefing.sanitize import clean_field, is_safe, safe_out
from briefing.session import Session
from briefing.store import Book
from briefing.wording import plural

EPILOG = """\
examples:
  briefing                                  open the TUI (the demo brief on first start)
  briefing import story.txt --brief russia-turkey
  briefing import ~/feeds/ --tag morning    import a folder, recursively
  briefing import https://example.org/page  fetch a page or a feed (the brief cites its URL)
  cat story.txt | briefing import -         import from standard input
  briefing list --brief russia-turkey --json
  briefing note 3fa9c1e2b0.4 "Check the date with the embassy"
  briefing export --brief russia-turkey -o brief.md

The book is --book PATH, else $BRIEFING_BOOK, else the default book (`briefing locate data`).
"""

# -- untrusted text in and out -----------------------------------------------------------------
# Arguments are text a user may have pasted from anywhere (an article, a web page), and what
# is printed is book data that came from imported files: an escape sequence in either would
# drive the terminal. Text arguments are cleaned once, here, before any service sees them
# (`clean_field`, the same sanitiser as for imported briefs); an id argument with a control
# character is refused rather than cleaned (a cleaned id could name another passage); and
# everything printed goes through `safe_out`.

_LINE_ARGS = ("title", "quote", "query", "tag", "tags")
"""One-line text arguments (a list for `tag`/`untag`/`import --tag`), cleaned."""
_ID_ARGS = {
    "brief": "--brief",
    "id": "--id",
    "template": "--template",
    "passage": "PASSAGE_ID",
    "section": "SECTION_ID",
    "edit": "--edit",
    "delete": "--delete",
    "trash_id": "ID",
    "section_id": "ID",
}
"""Id arguments (and how the usage names them): refused when they hold a control character."""


def _clean_text(value: str, *, multiline: bool = False) -> str:
    """A text argument cleaned; `-` (read standard input) stays `-`, and only `-` does."""
    if value == "-":
        return value
    cleaned = clean_field(value, multiline=multiline)
    return "" if cleaned == "-" else cleaned


def _check_id(flag: str, value: str) -> None:
    if not is_safe(value):
        raise UsageError(f"{flag} {value!r}: an id cannot hold control characters")


def _clean_args(args: argparse.Namespace) -> None:
    """Clean every text argument in place and refuse unsafe ids (see above)."""
    for name, flag in _ID_ARGS.items():
        value = getattr(args, name, None)
        if isinstance(value, str):
            _check_id(flag, value)
    for value in getattr(args, "articles", None) or []:
        _check_id("ARTICLE_ID", value)
    for name in _LINE_ARGS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, _clean_text(value))
        elif isinstance(value, list):
            setattr(args, name, [_clean_text(v) for v in value])
    if args.command == "summary":
        args.text = _clean_text(args.text, multiline=True)
    elif args.command == "note" and args.args:
        # PASSAGE_ID TEXT, or with --edit just TEXT.
        text_at = 0 if args.edit or args.delete else 1
        for i, value in enumerate(args.args):
            if i == text_at:
                args.args[i] = _clean_text(value, multiline=True)
            else:
                _check_id("PASSAGE_ID", value)


def _say(*parts: object, file: Any = None) -> None:
    """`print`, with everything printed made safe for the terminal (`safe_out`)."""
    print(*(safe_out(p) for p in parts), file=file)


class _Parser(argparse.ArgumentParser):
    """argparse echoes bad arguments in its errors ("unrecognized arguments: ..."): those
    messages go through `safe_out` too."""

    def _print_message(self, message: str, file: Any = None) -> None:
        super()._print_message(safe_out(message), file)


def _common(p: argparse.ArgumentParser, *, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    p.add_argument("--book", metavar="PATH", default=default, help="the book folder to use")
    p.add_argument("--brief", metavar="ID", default=default, help="the brief to work on")
    p.add_argument(
        "--read-only",
        action="store_true",
        default=default,
        help="open the book without changing it (every edit is refused)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefing",
        description="A terminal briefing-book: import articles, file their passages into "
        "the sections of a brief, annotate them, and compile the brief to Markdown.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, **kw)
        _common(p, suppress=True)
        return p

    p = add(
        "import",
        "import articles (text, Markdown, HTML, RSS/Atom/JSON feeds; files, folders, URLs, "
        "- for stdin)",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, folders, http(s) URLs (pages or feeds) or - (standard input)",
    )
    p.add_argument(
        "--tag", action="append", default=[], help="tag every imported article (repeatable)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--no-index",
        action="store_true",
        help="leave the search index to the next search (for many imports in a row)",
    )

    add("briefs", "list the book's briefs and the available templates")

    p = add("new", "create a brief from a template")
    p.add_argument("--template", required=True, help="template id (see `briefing briefs`)")
    p.add_argument("--title", required=True, help="the brief's title")
    p.add_argument("--id", help="the brief's id (default: from the title)")

    p = add("list", "list passages (of a brief, or of the whole library)")
    p.add_argument("--section", help="only this section (id)")
    p.add_argument("--tag", help="only passages with this tag")
    p.add_argument(
        "--new",
        action="store_true",
        help="only new passages (feed refreshes brought them; not yet read), newest first",
    )
    p.add_argument(
        "--unsorted",
        action="store_true",
        help="with --brief: the passages of its articles that are in no section",
    )
    p.add_argument("--json", action="store_true", help="print JSON (see README § JSON)")

    p = add(
        "search",
        "find passages by words in their text, notes and tags, best first",
        epilog='Every word must occur, as a whole word: `Black Sea`. "quoted words" must occur '
        "in that order; prefix* matches the words it begins (mir* finds Mir, mir does not "
        "find Vladimir). Results are ranked: rare words and short passages first.",
    )
    p.add_argument("query", nargs="+", help='words, "phrases" and prefix* words')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="show the best N (default: 50 on screen, all with --json; 0: all)",
    )

    p = add(
        "feeds",
        "follow feeds: add, list, rm, refresh (fetch what changed, import what is new); "
        "import and export the list as OPML",
        usage="briefing feeds add URL [--brief ID] [--tag TAG]... [--every 30m] [--source NAME]\n"
        "       briefing feeds list [--json]\n"
        "       briefing feeds rm URL... | rm --all\n"
        "       briefing feeds refresh [URL...] [--due]\n"
        "       briefing feeds import FILE.opml|- [--brief ID] [--tag TAG]... [--every 30m]\n"
        "       briefing feeds export [FILE.opml|-]",
        epilog="refresh asks each feed with the ETag and Last-Modified it gave last time,\n"
        "so an unchanged feed costs one small request; items already in the book are\n"
        "skipped, and so are the items that the `drop:` rules of the config file or of\n"
        "the brief's template match (counted per feed). Failures back off; 429/503\n"
        "with Retry-After are honoured. To refresh from cron:\n"
        "  */10 * * * * briefing feeds refresh --due\n"
        "\n"
        "import follows every feed of an OPML file from another reader (its folders\n"
        "become tags; feeds followed already are left as they are). export writes the\n"
        "subscriptions as OPML 2.0 (to standard output without FILE), which any\n"
        "reader reads, and `feeds import` into another book reads back whole.\n"
        "\n"
        "rm stops following the feeds given; rm --all stops following every feed (no\n"
        "question asked: undoes an import of the wrong file). Their articles stay in\n"
        "the book. A URL's scheme and host may be in any case: HTTP://Example.org/f is\n"
        "http://example.org/f.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=["add", "list", "rm", "refresh", "import", "export"])
    p.add_argument("urls", nargs="*", metavar="URL|FILE")
    p.add_argument("--tag", action="append", default=[], help="tag its articles (repeatable)")
    p.add_argument("--every", default=None, help="how often it is due (30m, 2h, 1d; default 30m)")
    p.add_argument(
        "--source",
        metavar="NAME",
        help="add: the source of its items that do not name their own (default: the feed's title)",
    )
    p.add_argument("--due", action="store_true", help="refresh only the feeds that are due")
    p.add_argument("--all", action="store_true", help="rm: stop following every feed")
    p.add_argument("--json", action="store_true", help="print JSON")

    add(
        "reindex",
        "rebuild the search index (a cache beside the book; searches keep it up to date)",
    )

    p = add("tag", "add tags to a passage")
    p.add_argument("passage", metavar="PASSAGE_ID")
    p.add_argument("tags", nargs="+", metavar="TAG")

    p = add("untag", "remove tags from a passage")
    p.add_argument("passage", metavar="PASSAGE_ID")
    p.add_argument("tags", nargs="+", metavar="TAG")

    p = add(
        "note",
        "write, edit or delete a note on a passage",
        usage="briefing note PASSAGE_ID TEXT [--quote Q] [--comment]\n"
        "       briefing note --section ID TEXT [--comment]\n"
        "       briefing note --edit NOTE_ID TEXT [--comment | --working]\n"
        "       briefing note --delete NOTE_ID",
        epilog="TEXT - reads the note from standard input. `note` prints the new note's id; "
        "`briefing list --json` shows every note's id. A working note (the default) is for "
        "the desk: it shows in the desk copy of every brief citing the passage. A comment "
        "note (--comment) belongs to the brief (--brief, else the current one) and is "
        "printed in both of its copies.",
    )
    p.add_argument("args", nargs="*", metavar="ARG", help="PASSAGE_ID TEXT, or with --edit TEXT")
    p.add_argument(
        "--quote", default="", help="the span of the passage the note is about (must occur in it)"
    )
    p.add_argument("--edit", metavar="NOTE_ID", help="replace the text of this note")
    p.add_argument("--delete", metavar="NOTE_ID", help="delete this note")
    p.add_argument(
        "--section", metavar="ID", help="a note on a section of the brief: note --section ID TEXT"
    )
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        "--comment",
        dest="kind",
        action="store_const",
        const="comment",
        help="a comment for the brief: printed in the principal's copy too",
    )
    kind.add_argument(
        "--working",
        dest="kind",
        action="store_const",
        const="working",
        help="a working note for the desk (the default)",
    )

    p = add("keypoint", "mark a passage as a key point (or unmark it with --off)")
    p.add_argument("passage", metavar="PASSAGE_ID")
    p.add_argument("--off", action="store_true", help="remove the mark")

    p = add("move", "move a passage to a section of the brief (a hand move: re-filing keeps it)")
    p.add_argument("passage", metavar="PASSAGE_ID")
    p.add_argument("section", metavar="SECTION_ID")

    p = add("summary", "set the brief's summary (BLUF), or a section's with --section")
    p.add_argument("text", help="the summary (use - to read it from standard input)")
    p.add_argument("--section", help="a section id")

    add("refile", "file the brief's passages again by its rules; hand moves stay")

    p = add(
        "section",
        "add, remove or move a section of the brief (not of its template)",
        usage="briefing section add ID TITLE [--written] [--position N]\n"
        "       briefing section rm ID\n"
        "       briefing section move ID POSITION",
        epilog="POSITION counts from 1. A removed section's passages go to Unsorted. "
        "Rename with `briefing set --section ID title TITLE`; status with "
        "`briefing set --section ID status drafting|ready|cleared`.",
    )
    p.add_argument("action", choices=["add", "rm", "move"])
    p.add_argument("section_id", metavar="ID")
    p.add_argument("value", nargs="?", metavar="TITLE|POSITION")
    p.add_argument("--written", action="store_true", help="a section the desk writes")
    p.add_argument("--position", type=int, metavar="N", help="where to add it (from 1)")

    p = add(
        "rm",
        "remove articles from the book (their passages leave every brief), or with "
        "--brief ID and no article a whole brief; both go to the trash",
        usage="briefing rm ARTICLE_ID...\n       briefing rm --brief ID",
    )
    p.add_argument("articles", nargs="*", metavar="ARTICLE_ID")
    add("trash", "list what `rm` removed (restore it with `briefing restore ID`)")
    p = add(
        "read",
        "mark new passages read (the TUI does it as you read them)",
        usage="briefing read PASSAGE_ID...\n       briefing read --all",
    )
    p.add_argument("passages", nargs="*", metavar="PASSAGE_ID", help="as `list --new` shows")
    p.add_argument("--all", action="store_true", help="every new passage")
    p = add("restore", "bring an article or a brief back from the trash")
    p.add_argument("trash_id", metavar="ID", help="as `briefing trash` lists it")

    p = add(
        "write",
        "write an item (a point to make, a press line) in a section of the brief",
        usage="briefing write --section ID TEXT\n"
        "       briefing write --edit ITEM_ID TEXT\n"
        "       briefing write --delete ITEM_ID",
        epilog="TEXT - reads it from standard input; it keeps its lines and may use "
        "paragraphs, - and 1. lists, *em*, **strong** and https links. `write` prints the "
        "new item's id.",
    )
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--section", metavar="ID", help="the section to write in")
    p.add_argument("--edit", metavar="ITEM_ID", help="replace the text of this item")
    p.add_argument("--delete", metavar="ITEM_ID", help="delete this item")

    p = add(
        "judge",
        "write, edit, delete or list the brief's key judgments (likelihood, confidence, "
        "supporting passages)",
        usage="briefing judge TEXT --likelihood WORD --confidence LEVEL [--passage ID]...\n"
        "       briefing judge --edit ID [TEXT] [--likelihood WORD] [--confidence LEVEL] "
        "[--passage ID]...\n"
        "       briefing judge --delete ID\n"
        "       briefing judge [--json]",
        epilog="Likelihood words (ICD 203): almost no chance, very unlikely, unlikely, roughly "
        "even chance, likely, very likely, almost certain (a unique start will do: 'very l'). "
        "Confidence: low, moderate, high. --passage links a passage that supports the "
        "judgment (repeatable; with --edit it adds to the links, --unlink removes one). "
        "Without TEXT or an option, lists them. The export prints them after the summary "
        "with their source numbers; the desk copy flags one with no supporting passage.",
    )
    p.add_argument("text", nargs="?", metavar="TEXT", help="- reads it from standard input")
    p.add_argument("--likelihood", metavar="WORD")
    p.add_argument("--confidence", metavar="LEVEL")
    p.add_argument(
        "--passage", action="append", default=[], metavar="ID", help="a supporting passage"
    )
    p.add_argument(
        "--unlink", action="append", default=[], metavar="ID", help="--edit: drop a link"
    )
    p.add_argument("--edit", metavar="ID", help="change this judgment")
    p.add_argument("--delete", metavar="ID", help="delete this judgment")
    p.add_argument("--json", action="store_true", help="list as JSON")

    for name, what, extra in (
        (
            "people",
            "who's who: the people the brief's passages name, with their roles",
            "--merge ID INTO folds one entry into another (the same person spelt two ways); "
            "--set ID name|role TEXT corrects the name or the role.",
        ),
        ("dates", "chronology: the dated events of the brief's passages, in date order", ""),
        ("figures", "key figures: numbers with what they count, from the brief's passages", ""),
    ):
        p = add(
            name,
            what,
            usage=f"briefing {name} [--json] [--all]\n"
            f"       briefing {name} [--confirm ID]... [--drop ID]... [--unreview ID]..."
            + (
                "\n       briefing people --merge ID INTO | --set ID name|role TEXT"
                if extra
                else ""
            ),
            epilog="Each line: ✓ confirmed, ✗ dropped (--all), ? not reviewed yet, the ID, "
            "the entry and its passages. "
            "Drawn afresh from the brief's passages each time; what you confirm, drop "
            "or correct is kept by each entry's ID and survives new passages. The export adds "
            "the annexes the brief chooses (`briefing set annexes people,dates,figures`): the "
            "principal's copy lists confirmed entries only, the desk copy every entry, the "
            "unconfirmed marked. " + extra,
        )
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--all", action="store_true", help="dropped entries too")
        p.add_argument(
            "--confirm",
            action="append",
            default=[],
            metavar="ID",
            help="the entry is right: the principal's copy prints it (repeatable)",
        )
        p.add_argument(
            "--drop",
            action="append",
            default=[],
            metavar="ID",
            help="the entry is wrong: no copy prints it (repeatable)",
        )
        p.add_argument(
            "--unreview", action="append", default=[], metavar="ID", help="forget your review"
        )
        if extra:
            p.add_argument(
                "--merge", nargs=2, metavar=("ID", "INTO"), help="ID is the same person as INTO"
            )
            p.add_argument(
                "--set",
                nargs=3,
                metavar=("ID", "FIELD", "TEXT"),
                help="correct the name or role (a correction confirms the entry)",
            )

    p = add(
        "set",
        "set a field of the brief (title, subtitle, audience, marking, meeting, purpose, "
        "drafter, contact, clearance; annexes: people,dates,figures) or, with --section, of a "
        "section (title)",
        usage="briefing set FIELD VALUE\n       briefing set --section ID title TITLE",
    )
    p.add_argument("field", metavar="FIELD")
    p.add_argument("value", metavar="VALUE", help='the value ("" clears a header detail)')
    p.add_argument("--section", metavar="ID", help="a section of the brief")

    p = add("export", "compile the brief: Markdown, Word, PDF (or JSON for tools)")
    p.add_argument(
        "--copy",
        choices=["principal", "desk"],
        default="principal",
        help="principal (default): what the reader gets — no working notes, tags or ids; "
        "desk: everything, for the desk officer",
    )
    p.add_argument(
        "--format",
        choices=["md", "json", "docx", "pdf"],
        default=None,
        help="md (default, or what -o's extension says: .docx, .pdf, .json); json "
        "(complete, for tools and re-import); docx and pdf through pandoc: "
        "pip install 'briefing[office]'",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--date", help="compile date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)")

    add("themes", "list the available themes")

    p = add(
        "doctor",
        "check the book's files, the config file, themes and keymap (unknown binding ids, "
        "key conflicts, bad colours)",
    )
    p.add_argument(
        "--repair",
        action="store_true",
        help="put the newest readable backup in place of each damaged book file (the "
        "damaged file is kept aside)",
    )

    p = add("locate", "print where briefing keeps things")
    p.add_argument("what", choices=["config", "data", "themes", "briefs", "book"])

    p = add(
        "serve",
        "the terminal interface in a browser, for colleagues without a terminal "
        "(needs briefing[web])",
        epilog="It listens on 127.0.0.1 only, unless --host says otherwise: from your own "
        "machine, forward the port over SSH (ssh -L 8750:localhost:8750 HOST) and open the "
        "link it prints. The link holds a token generated at start; without it every "
        "request is refused (403). The page, its script and fonts come from this server "
        "alone. Each browser tab runs its own briefing; export downloads the file to the "
        "browser. --read-only serves the book without letting anyone change it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8750, help="the port (8750)")
    p.add_argument("--sessions", type=int, default=4, metavar="N", help="browser tabs at once (4)")
    p.add_argument(
        "--idle", type=float, default=30, metavar="MIN", help="close a tab idle this long (30)"
    )
    p = add("tui", "open the terminal interface (the same as no command)")
    return parser


def _book(args: argparse.Namespace) -> Book:
    book = Book(locations.book_path(args.book), read_only=bool(getattr(args, "read_only", False)))
    book.check()
    args.book_used = book
    return book


def _read_arg(text: str) -> str:
    """The argument, or standard input for `-` (cleaned like the argument would be)."""
    return clean_field(sys.stdin.read(), multiline=True) if text == "-" else text


def _print_json(doc: Any) -> None:
    from briefing.exporting.json import dumps

    sys.stdout.write(dumps(doc))


def cmd_import(args: argparse.Namespace) -> int:
    from briefing.importing import expand
    from briefing.importing.service import STREAM_BYTES, import_sources

    book = _book(args)
    sources = list(expand(args.paths, stdin=lambda: sys.stdin.buffer.read()))
    large = any(s.size() >= STREAM_BYTES for s in sources)  # one big feed moves the bar too
    bar = _progress(len(sources), always=large)
    with bar as progress:
        report = import_sources(
            book,
            sources,
            brief_id=args.brief,
            tags=args.tag,
            progress=progress,
            feed_progress=bar.within if progress else None,
        )
    if args.brief:
        book.set_setting(CURRENT, args.brief)
    if report.added and not args.no_index:
        _index_after_import(book)
    for line in report.warnings:
        _say(f"briefing: warning: {line}", file=sys.stderr)
    for name, reason in report.failed:
        _say(f"briefing: {name}: {reason}", file=sys.stderr)
    if args.json:
        _print_json(
            {
                "added": [
                    {"id": a.id, "title": a.title, "passages": a.passage_count}
                    for a in report.added
                ],
                "skipped": report.skipped,
                "failed": [{"input": n, "reason": r} for n, r in report.failed],
                "dropped": report.dropped,
                "filed": report.filed,
                "brief": args.brief,
            }
        )
    else:
        _say(report.summary(args.brief))
    return 1 if report.failed else 0


def _index_after_import(book: Book) -> None:
    """What was imported is searchable when the command ends (the import itself is
    already committed: an interrupted or failed indexing only leaves it to the next search)."""
    with contextlib.suppress(KeyboardInterrupt):
        _synced_index(book, "indexing")


class _progress:
    """A rich progress bar on stderr for long work, only when stderr is a terminal."""

    def __init__(self, total: int, label: str = "importing", *, always: bool = False) -> None:
        self.total = total
        self.label = label
        self.always = always
        """Show it even for few inputs (one large feed)."""
        self.bar: Any = None
        self.task: Any = None
        self.done = 0

    def __enter__(self) -> Callable[[int, int, str], None] | None:
        if (self.total < 5 and not self.always) or not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
        )

        count = TaskProgressColumn() if self.always else MofNCompleteColumn()
        self.bar = Progress(
            TextColumn(self.label, markup=False),
            BarColumn(),
            count,
            TextColumn("{task.description}", markup=False),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=self.total)

        def update(done: int, total: int, name: str) -> None:
            self.done = done
            self.bar.update(
                self.task, completed=done, total=total, description=Path(name).name[-40:]
            )

        return update

    def within(self, read: int, size: int, name: str) -> None:
        """Bytes read of one large input: the bar moves inside it."""
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done + read / max(size, 1))

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()


def cmd_briefs(args: argparse.Namespace) -> int:
    from briefing.templates import load_templates

    book = _book(args)
    current = current_brief_id(book)
    briefs = book.briefs()
    _say("Briefs in", book.path)
    if not briefs:
        _say("  (none yet — `briefing new --template ID --title TITLE`)")
    for b in briefs:
        mark = "*" if b.id == current else " "
        count = sum(
            1 for f in book.filings(b.id) if f.section_id and not is_written_id(f.passage_id)
        )
        _say(f" {mark} {b.id:<20} {b.title}  [{b.template}, {plural(count, 'passage')}]")
    templates, errors = load_templates()
    _say("Templates:")
    for t in sorted(templates.values(), key=lambda t: t.id):
        sections = ", ".join(s.title for s in t.sections)
        _say(f"   {t.id:<20} {t.title} — {sections}")
    for err in errors:
        _say(f"briefing: warning: {err}", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from briefing.briefs import create_brief

    book = _book(args)
    brief = create_brief(book, args.template, args.title, args.id)
    book.set_setting(CURRENT, brief.id)
    _say(f"created brief {brief.id!r} ({', '.join(s.title for s in brief.sections)})")
    return 0


def _items(book: Book, brief_id: str | None) -> tuple[Any, list[Any]]:
    if brief_id:
        v = view(book, brief_id)
        return v, v.items()
    return None, library_items(book)


def _articles_for(v: Any, items: list[Any]) -> list[Any]:
    return v.cited_articles() if v is not None else articles_of(items)


def _print_items(items: list[Any], query: str = "") -> None:
    """A line a passage: its id, section, marks and the start of its text; for a search,
    the part around its first match, the matching words in bold on a terminal (styles we
    add; nothing from the text)."""
    from briefing.search import highlight, snippet

    if not items:
        _say("(no passages)")
        return
    bold = bool(query) and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = max(len(i.passage.id) for i in items)
    for i in items:
        marks = ("*" if i.state.key_point else " ") + ("#" if i.state.tags else " ")
        marks += "✎" if i.state.notes else " "
        text = i.passage.text if query else i.passage.text[:400]
        flat = safe_out(" ".join(text.split()), one_line=True)
        if query:
            line, spans = snippet(flat, highlight(flat, query))
            if bold:
                for start, end in reversed(spans):
                    line = f"{line[:start]}\x1b[1m{line[start:end]}\x1b[22m{line[end:]}"
        else:
            line = flat[:70] + ("…" if len(flat) > 70 else "")
        where = safe_out(i.section_id or "-", one_line=True)
        print(f"{safe_out(i.passage.id, one_line=True):<{width}}  {where:<12} {marks} {line}")


def cmd_list(args: argparse.Namespace) -> int:
    from briefing.exporting.json import brief_json, write_library_json

    book = _book(args)
    if args.new:
        return _list_new(args, book)
    if args.json and not args.brief and not args.section:
        sys.stdout.flush()
        write_library_json(book, sys.stdout.buffer, args.tag)
        sys.stdout.buffer.flush()
        return 0
    v, items = _items(book, args.brief)
    if args.section:
        if v is None:
            raise UsageError("--section needs --brief")
        if v.brief.section(args.section) is None:
            known = ", ".join(s.id for s in v.brief.sections)
            raise UsageError(f"no section {args.section!r} in {v.brief.id} (sections: {known})")
        items = [i for i in items if i.section_id == args.section]
    if args.unsorted:
        if v is None:
            raise UsageError("--unsorted needs --brief")
        items = briefs.unsorted_items(book, v)
    if args.tag:
        items = [i for i in items if args.tag in i.state.tags]
    if args.json:
        _print_json(brief_json(v, items, _articles_for(v, items), book.article_tags()))
        return 0
    _print_items(items)
    if v is not None and not (args.unsorted or args.section or args.tag):
        left = len(briefs.unsorted_items(book, v))
        if left:
            _say(
                f"(and {plural(left, 'passage')} under Unsorted — their articles match no "
                f"section: `briefing list --brief {v.brief.id} --unsorted`, `briefing move`)"
            )
    return 0


def _list_new(args: argparse.Namespace, book: Book) -> int:
    """`list --new`: the new passages, each with its place in the brief (if filed)."""
    from briefing.exporting.json import brief_json

    session = Session(book, args.brief)
    v = session.load()
    items = session.new_items()
    if args.section:
        items = [i for i in items if i.section_id == args.section]
    if args.tag:
        items = [i for i in items if args.tag in i.state.tags]
    if args.json:
        _print_json(brief_json(v, items, articles_of(items), book.article_tags()))
    elif items:
        _print_items(items)
    else:
        _say("(nothing new: `briefing feeds refresh` fetches the feeds)")
    with contextlib.suppress(BriefingError):  # a read-only book: the marks stay as they are
        session.flush_reads()  # passages whose article left the book are read
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    book = _book(args)
    new = book.new_passages()
    if args.all == bool(args.passages):
        raise UsageError("usage: briefing read PASSAGE_ID... | briefing read --all")
    pids = list(new) if args.all else list(dict.fromkeys(args.passages))
    unknown = [p for p in pids if p not in new]
    if unknown:
        for pid in unknown:
            book.require_passage(pid)  # "no passage X", with a suggestion
        _say(f"already read: {', '.join(unknown)}")
    left = book.update_new(read=pids)
    _say(f"marked {plural(len(pids) - len(unknown), 'passage')} read; {left:,} new left")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from briefing.exporting.json import brief_json
    from briefing.search.index import find

    book = _book(args)
    query = " ".join(args.query)
    from briefing.search import parse

    if not parse(query):
        raise UsageError(f'nothing to search for in {query!r}: give words, "phrases" or prefix*')
    limit = args.limit if args.limit is not None else (0 if args.json else SHOWN)
    if limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    index = _synced_index(book, "indexing the book for search", patient=False)
    result = find(book, query, args.brief, limit=limit or None, index=index, synced=True)
    found = result.items
    if args.json:
        v = view(book, args.brief) if args.brief else None
        _print_json(brief_json(v, found, _articles_for(v, found), book.article_tags()))
    else:
        _print_items(found, query)
        if result.total > len(found):
            more = result.total - len(found)
            _say(f"… and {more:,} more ({result.total:,} passages match; --limit 0 shows all)")
    return 0


SHOWN = 50
"""Search results printed by default: the best ones; `--limit` asks for more."""


def _synced_index(book: Book, label: str, *, patient: bool = True) -> Any:
    """The book's search index, brought up to date (with a progress bar on a terminal when
    that means reading much of the library). Never fatal: the caller searches without it.
    Not `patient`: while another briefing is building it, go without rather than wait."""
    from briefing.search.index import SearchIndex

    index = SearchIndex(book) if patient else SearchIndex(book, wait=0.5)
    try:
        stale = len(index.stale())
        with _progress(stale, label) as progress:
            index.sync((lambda done, total: progress(done, total, "")) if progress else None)
    except KeyboardInterrupt:
        _say(
            "briefing: search index not updated (interrupted); the next search does it",
            file=sys.stderr,
        )
        raise
    if index.unavailable:
        _say(f"briefing: {index.unavailable}; searching without it (slower)", file=sys.stderr)
    elif index.busy:
        _say(
            "briefing: another briefing is updating the search index; "
            "searching without it (slower)",
            file=sys.stderr,
        )
    return index


def cmd_feeds(args: argparse.Namespace) -> int:
    from briefing.importing import feeds

    action, urls = args.action, args.urls
    if action in ("add", "import") and len(urls) != 1:
        what = "FILE.opml" if action == "import" else "URL"
        raise UsageError(f"usage: briefing feeds {action} {what}")
    if action == "rm" and args.all == bool(urls):
        raise UsageError("usage: briefing feeds rm URL... | briefing feeds rm --all")
    if args.all and action != "rm":
        raise UsageError("--all goes with `feeds rm` (stop following every feed)")
    if action == "list" and urls:
        raise UsageError("usage: briefing feeds list [--json]")
    if action == "export" and len(urls) > 1:
        raise UsageError("usage: briefing feeds export [FILE.opml|-]")
    if args.source is not None and action != "add":
        raise UsageError("--source NAME goes with `feeds add URL` (one feed's items)")
    book = _book(args)
    every = feeds.parse_every(args.every) if args.every is not None else None
    if action == "add":
        source = clean_field(args.source or "")
        sub = feeds.add(book, urls[0], args.brief, args.tag, every or feeds.EVERY, source)
        where = f" into {sub.brief}" if sub.brief else ""
        named = f" (source: {sub.source})" if sub.source else ""
        _say(
            f"following {sub.url}{where}{named}, every {_minutes(sub.every)}; "
            "`briefing feeds refresh` fetches it"
        )
        return 0
    if action == "rm":
        gone = feeds.remove(book, urls, every=args.all)
        for line in gone.missing:
            _say(f"briefing: {line}", file=sys.stderr)
        if len(gone.removed) == 1:
            _say(f"no longer following {gone.removed[0]} (its articles stay in the book)")
        elif gone.removed or args.all:
            _say(
                f"no longer following {plural(len(gone.removed), 'feed')} "
                "(their articles stay in the book)"
            )
        return 1 if gone.missing else 0
    if action == "import":
        return _feeds_import(book, urls[0], args.brief, args.tag, every)
    if action == "export":
        data, n = feeds.export_opml(book)
        if not urls or urls[0] == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return 0
        from briefing.output import write_output

        done = write_output(Path(urls[0]).expanduser(), data)
        _say(f"{done} ({plural(n, 'feed')})", file=sys.stderr)
        return 0
    if action == "list":
        subs = feeds.subscriptions(book)
        if args.json:
            from dataclasses import asdict

            _print_json({"feeds": [asdict(s) for s in subs]})
        elif not subs:
            _say("(no feeds followed: `briefing feeds add URL` or `briefing feeds import FILE`)")
        for sub in subs if not args.json else []:
            state = (
                f"error: {sub.last_error}"
                if sub.failures
                else f"ok {sub.last_ok}"
                if sub.last_ok
                else "not fetched yet"
            )
            name = f"  {sub.title!r}" if sub.title else ""
            source = f"  source {sub.source}" if sub.source else ""
            left_out = f"  dropped {sub.dropped}" if sub.dropped else ""
            _say(
                f"{sub.url}{name}  brief {sub.brief or '-'}{source}  every {_minutes(sub.every)}"
                f"  {state}  new {sub.new}{left_out}"
            )
        return 0
    total = len(urls) or len(feeds.subscriptions(book))
    warnings: list[str] = []
    with _progress(total, "refreshing") as progress:
        results = feeds.refresh(
            book, urls or None, due_only=args.due, progress=progress, warn=warnings.append
        )
    if results and any(r.added for r in results):
        _index_after_import(book)
    for line in warnings:
        _say(f"briefing: warning: {line}", file=sys.stderr)
    for r in results:
        if r.error:
            _say(f"briefing: {r.url}: {r.error}", file=sys.stderr)
        if r.dropped:
            _say(f"{r.url}: {plural(r.dropped, 'item')} dropped by the drop rules")
    added = sum(r.added for r in results)
    dropped = sum(r.dropped for r in results)
    unchanged = sum(1 for r in results if r.unchanged)
    failed = sum(1 for r in results if r.error)
    _say(
        f"refreshed {plural(len(results), 'feed')}: {plural(added, 'new article')}"
        f"; {unchanged} unchanged; {failed} failed"
        + (f"; {plural(dropped, 'item')} dropped by the drop rules" if dropped else "")
    )
    return 1 if failed else 0


def _minutes(seconds: int) -> str:
    """An interval as `feeds add --every` takes it (`30m`, `2h`, `1d`)."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _feeds_import(
    book: Book, name: str, brief: str | None, tags: list[str], every: int | None
) -> int:
    """`feeds import FILE`: follow the feeds of an OPML file (`-`: standard input)."""
    from briefing.errors import ImportFailed
    from briefing.importing import Source, feeds, opml

    try:
        if name == "-":
            data = sys.stdin.buffer.read(opml.MAX_BYTES + 1)
        else:
            data = Source(name, path=Path(name).expanduser()).read()
        done = feeds.import_opml(book, data, brief=brief, tags=tags, every=every)
    except ImportFailed as exc:
        raise ImportFailed(f"{name}: {exc}") from None
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot read ({exc.strerror or exc})") from None
    for line in done.problems:
        _say(f"briefing: {name}: {line}", file=sys.stderr)
    already = f"; {len(done.already)} followed already (left as they are)" if done.already else ""
    twice = (
        f"; {plural(len(done.duplicates), 'duplicate')} in the file (followed once)"
        if done.duplicates
        else ""
    )
    left = f"; {len(done.problems)} left out" if done.problems else ""
    _say(
        f"following {plural(len(done.added), 'new feed')} from {name}{already}{twice}{left}; "
        "`briefing feeds refresh` fetches them"
    )
    return 1 if done.problems else 0


def cmd_reindex(args: argparse.Namespace) -> int:
    import sqlite3

    from briefing.errors import BookError
    from briefing.search.index import SearchIndex

    book = _book(args)
    try:
        SearchIndex(book).drop()
    except (OSError, sqlite3.Error) as exc:
        raise BookError(f"cannot rebuild the search index: {exc}") from None
    index = _synced_index(book, "indexing")
    if index.unavailable:
        return 1
    _say(f"search index rebuilt: {index.path}")
    return 0


def _session(args: argparse.Namespace) -> Session:
    return Session(_book(args), getattr(args, "brief", None))


def _brief_session(args: argparse.Namespace) -> Session:
    session = _session(args)
    require_brief_id(session.book, args.brief)
    session.load()
    return session


def _report_conflicts(applied: Any) -> None:
    """The lines about other writers' changes an edit left alone (`Applied.conflicts`)."""
    for line in applied.conflicts:
        _say(f"briefing: {line}", file=sys.stderr)


def cmd_tag(args: argparse.Namespace) -> int:
    session = _session(args)
    from briefing.editing import add_tags

    add_tags(session.book, args.passage, args.tags)
    _say(f"{args.passage}: tags {', '.join(session.book.state(args.passage).tags)}")
    return 0


def cmd_untag(args: argparse.Namespace) -> int:
    session = _session(args)
    from briefing.editing import remove_tags

    remove_tags(session.book, args.passage, args.tags)
    left = session.book.state(args.passage).tags
    _say(f"{args.passage}: tags {', '.join(left) or '(none)'}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    session = _session(args)
    if args.edit and args.delete:
        raise UsageError("note: give --edit or --delete, not both")
    if args.delete:
        if args.args or args.quote or args.kind or args.section:
            raise UsageError("note --delete NOTE_ID takes no other argument")
        session.delete_note(args.delete)
        _say(f"note {args.delete} deleted")
        return 0
    if args.section and not args.edit:
        if len(args.args) != 1 or args.quote:
            raise UsageError("usage: briefing note --section ID TEXT [--comment]")
        session = _brief_session(args)
        applied = session.add_section_note(
            args.section, _read_arg(args.args[0]), args.kind or "working"
        )
        _say(applied.result)
        return 0
    if args.kind == "comment":
        require_brief_id(session.book, args.brief)
        session.load()
    if args.edit:
        if len(args.args) != 1:
            raise UsageError("usage: briefing note --edit NOTE_ID TEXT")
        text = _read_arg(args.args[0])
        applied = session.edit_note(args.edit, text, args.quote or None, args.kind)
        _report_conflicts(applied)
        _say(f"note {args.edit} edited")
        return 0
    if len(args.args) != 2:
        raise UsageError("usage: briefing note PASSAGE_ID TEXT [--quote Q] [--comment]")
    pid, text = args.args
    applied = session.add_note(pid, _read_arg(text), args.quote, args.kind or "working")
    _say(applied.result)
    return 0


def cmd_section(args: argparse.Namespace) -> int:
    from briefing.editing import AddSection

    session = _brief_session(args)
    sid = args.section_id
    if args.action == "add":
        if not args.value:
            raise UsageError("usage: briefing section add ID TITLE [--written] [--position N]")
        if args.position is not None and args.position < 1:
            raise UsageError("--position counts from 1")
        index = args.position - 1 if args.position is not None else None
        v = session.require_view()
        session.apply(AddSection(v.brief.id, sid, args.value, index, args.written))
        _say(f"{session.brief_id}: section {sid} added")
    elif args.action == "rm":
        if args.value:
            raise UsageError("usage: briefing section rm ID")
        session.remove_section(sid)
        _say(f"{session.brief_id}: section {sid} removed; its passages are under Unsorted")
    else:
        if not args.value or not args.value.isdigit() or int(args.value) < 1:
            raise UsageError("usage: briefing section move ID POSITION (from 1)")
        session.move_section(sid, int(args.value) - 1)
        _say(f"{session.brief_id}: section {sid} moved to place {args.value}")
    return 0


def cmd_rm(args: argparse.Namespace) -> int:
    session = _session(args)
    if args.articles:
        applied = session.remove_articles(args.articles)
        for tid in applied.result.split():
            _say(f"removed to the trash: {tid} (briefing restore {tid})")
        return 0
    if not args.brief:
        raise UsageError("rm: give ARTICLE_ID... or --brief ID")
    session.book.brief(args.brief)  # an unknown id: one line naming the briefs
    tid = session.remove_brief(args.brief).result
    _say(f"removed brief {args.brief} to the trash: {tid} (briefing restore {tid})")
    return 0


def cmd_trash(args: argparse.Namespace) -> int:
    items = _book(args).trash()
    if not items:
        _say("the trash is empty")
    for t in items:
        _say(f"{t['id']:<32} {t['kind']:<8} {t['removed'][:16]:<17} {t['title']}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    applied = _session(args).restore(args.trash_id)
    _say(f"restored {applied.result}")
    return 0


def cmd_write(args: argparse.Namespace) -> int:
    given = [x for x in (args.section, args.edit, args.delete) if x]
    if len(given) != 1:
        raise UsageError(
            "write: give exactly one of --section ID, --edit ITEM_ID, --delete ITEM_ID"
        )
    if args.delete:
        if args.text is not None:
            raise UsageError("write --delete ITEM_ID takes no text")
        session = _session(args)
        session.delete_item(args.delete)
        _say(f"item {args.delete} deleted")
        return 0
    if args.text is None:
        raise UsageError("write: the text is missing (- reads it from standard input)")
    text = _read_arg(args.text)
    if args.edit:
        applied = _session(args).edit_item(args.edit, text)
        _report_conflicts(applied)
        _say(f"item {args.edit} edited")
        return 0
    session = _brief_session(args)
    _say(session.write_item(args.section, text).result)
    return 0


def cmd_judge(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from briefing.editing.judgments import describe

    session = _brief_session(args)
    if args.delete:
        if args.text is not None or args.edit:
            raise UsageError("judge --delete ID takes no text and no --edit")
        _report_conflicts(session.delete_judgment(args.delete))
        _say(f"judgment {args.delete} deleted")
        return 0
    text = _read_arg(args.text) if args.text is not None else None
    if args.edit:
        v = session.require_view()
        current = v.brief.judgment(args.edit)
        passages = None
        if args.unlink and current is not None:
            stray = [p for p in args.unlink if p not in current.passages]
            if stray:
                linked = ", ".join(current.passages) or "none"
                raise UsageError(
                    f"not linked to {args.edit}: {', '.join(stray)} (linked: {linked})"
                )
            passages = [p for p in current.passages if p not in args.unlink]
        applied = session.edit_judgment(
            args.edit, text, args.likelihood, args.confidence, passages, args.passage
        )
        _report_conflicts(applied)
        _say(f"judgment {args.edit} edited")
        return 0
    if text is None:
        if args.likelihood or args.confidence or args.passage or args.unlink:
            raise UsageError("judge: the judgment's text is missing (- reads standard input)")
        judgments = session.require_view().brief.judgments
        if args.json:
            _print_json({"judgments": [asdict(j) for j in judgments]})
        elif not judgments:
            _say(
                '(no key judgments yet: briefing judge "TEXT" --likelihood likely --confidence moderate)'
            )
        for j in judgments if not args.json else []:
            support = ", ".join(j.passages) or "no supporting passage"
            _say(f"{j.id}  {describe(j)}  [{support}]")
        return 0
    if not args.likelihood or not args.confidence:
        raise UsageError(
            "judge: say how likely (--likelihood likely) and how sure (--confidence moderate)"
        )
    _say(session.add_judgment(text, args.likelihood, args.confidence, args.passage).result)
    return 0


def cmd_annex(args: argparse.Namespace) -> int:
    """`people`, `dates` and `figures`: list an annex, or review its entries."""
    from dataclasses import asdict

    annex = args.command
    session = _brief_session(args)
    changes: list[tuple[str, dict[str, str]]] = [
        *((k, {"status": "confirmed"}) for k in args.confirm),
        *((k, {"status": "dropped"}) for k in args.drop),
        *((k, {"status": "", "name": "", "role": "", "into": ""}) for k in args.unreview),
    ]
    if getattr(args, "merge", None):
        key, into = args.merge
        changes.append((key, {"into": into}))
    if getattr(args, "set", None):
        key, fld, text = args.set
        if fld not in ("name", "role"):
            raise UsageError(f"--set ID FIELD TEXT: FIELD is name or role, not {fld!r}")
        changes.append((key, {fld: text}))
    for key, change in changes:
        _report_conflicts(session.review(annex, key, **change))
        _say(f"{key}: {', '.join(f'{k} {v or chr(8212)}' for k, v in change.items())}")
    if changes:
        return 0
    found = session.annex(annex, dropped=args.all)
    if args.json:
        _print_json({annex: [asdict(e) for e in found]})
        return 0
    if not found:
        _say(f"(no {annex} found in the brief's passages)")
    for e in found:
        mark = {"confirmed": "✓", "dropped": "✗"}.get(e.status, "?")
        if annex == "people":
            text = e.title + (f" — {e.detail}" if e.detail else "")
        elif annex == "dates":
            said = "" if e.title == e.when else f" ({e.title})"
            text = f"{e.when.replace('/', ' – ')}{said}: {e.detail}"
        else:
            text = f"{e.title} {e.detail}"
        where = ", ".join(e.passages[:3]) + (" …" if len(e.passages) > 3 else "")
        _say(f"{mark} {e.key:<24} {' '.join(text.split())[:90]}  [{where}]")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    session = _brief_session(args)
    applied = session.set_field(args.field, args.value, args.section)
    _report_conflicts(applied)
    where = f"section {args.section}" if args.section else session.brief_id
    _say(f"{where}: {args.field} set")
    return 0


def cmd_keypoint(args: argparse.Namespace) -> int:
    book = _book(args)
    from briefing.editing import set_key_point

    set_key_point(book, args.passage, not args.off)
    _say(f"{args.passage}: {'not ' if args.off else ''}a key point")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    session = _brief_session(args)
    session.move([args.passage], args.section)
    _say(f"{args.passage}: moved to {args.section} in {session.brief_id}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    session = _brief_session(args)
    session.set_summary(_read_arg(args.text), args.section)
    _say(f"{session.brief_id}: summary saved")
    return 0


def cmd_refile(args: argparse.Namespace) -> int:
    session = _brief_session(args)
    manual = sum(1 for f in session.book.filings(session.brief_id or "") if f.manual)
    applied = session.refile()
    moved = plural(int(applied.result or 0), "passage")
    _say(f"{session.brief_id}: re-filed {moved}; {plural(manual, 'hand move')} kept")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from briefing.exporting.markdown import unready_sections

    session = _brief_session(args)
    to_file = bool(args.output and args.output != "-")
    fmt = session.format_for(Path(args.output), args.format) if to_file else (args.format or "md")
    if not to_file and fmt in ("docx", "pdf") and sys.stdout.isatty():
        raise UsageError(f"--format {fmt} is a binary file: give -o FILE")
    unready = unready_sections(session.require_view()) if fmt != "json" else []
    if unready:
        _say(
            f"briefing: warning: not ready: {', '.join(unready)} (exported anyway; "
            "`briefing set --section ID status ready`)",
            file=sys.stderr,
        )
    if args.output and args.output != "-":
        out = Path(args.output).expanduser()
        n, done = session.export(out, session.format_for(out, args.format), args.date, args.copy)
        _say(f"{done} ({plural(n, 'passage')})", file=sys.stderr)
    elif (args.format or "md") in ("docx", "pdf"):
        if sys.stdout.isatty():
            raise UsageError(f"--format {args.format} is a binary file: give -o FILE")
        sys.stdout.buffer.write(session.export_bytes(args.format, args.date, args.copy))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(session.export_text(args.format or "md", args.date, args.copy))
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from briefing.themes import load_themes

    themes, errors = load_themes()
    for name, (_, path) in sorted(themes.items()):
        _say(f"{name:<20} {path}")
    for err in errors:
        _say(f"briefing: warning: {err}", file=sys.stderr)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """What the TUI would complain about at start (or silently get wrong), and every file
    of the book read once, without starting anything."""
    from briefing.tui.app import binding_scopes
    from briefing.tui.keymap import doctor_lines

    problems = doctor_lines(binding_scopes())
    book = Book(locations.book_path(args.book))
    if args.repair and book.verify():
        for line in book.repair():
            _say(f"repaired: {line}")
    version: int | None = None
    try:
        version = book.format_version()
        book.check()
    except BriefingError as exc:
        problems.append(str(exc))
    problems += [why for _path, why in book.verify() if why not in problems]
    files = len(book.book_files())
    mode = "" if book.writable else ", read-only"
    _say(f"book: {book.path} (format {version or 1}, {plural(files, 'file')}{mode})")
    _say(f"config: {locations.config_file()}")
    if not problems:
        from briefing.search.index import SearchIndex

        _say(f"search index: {SearchIndex(book).status()}")
    for line in problems:
        _say(f"briefing: {line}", file=sys.stderr)
    _say("all good" if not problems else f"{plural(len(problems), 'problem')} found")
    return 1 if problems else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The terminal interface in a browser (textual-serve), behind a token."""
    import secrets
    import shlex

    try:
        from briefing.web.server import BriefServer
    except ImportError:
        raise UsageError(
            "serving needs the web extra: pip install 'briefing[web]' (textual-serve)"
        ) from None
    book = Book(locations.book_path(args.book), read_only=bool(getattr(args, "read_only", False)))
    book.check()
    if args.brief:
        current_brief_id(book, args.brief)  # an unknown --brief is an error now, not per tab
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: a port is 1 to 65535")
    if args.sessions < 1 or args.idle <= 0:
        raise UsageError("--sessions is at least 1 and --idle more than 0 minutes")
    command = [sys.executable, "-m", "briefing", "--book", str(book.path)]
    if args.brief:
        command += ["--brief", args.brief]
    if getattr(args, "read_only", False):
        command.append("--read-only")
    token = secrets.token_urlsafe(24)
    server = BriefServer(
        "exec " + shlex.join([*command, "tui"]),  # the shell becomes the app: one process
        token=token,
        host=args.host,
        port=args.port,
        title=f"briefing · {book.path.name}",
        max_sessions=args.sessions,
        idle=args.idle * 60,
    )
    local = args.host in ("127.0.0.1", "localhost", "::1")
    shown = args.host if args.host not in ("0.0.0.0", "::") else "THIS_HOST"
    mode = " (read-only)" if not book.writable else ""
    _say(f"Serving {book.path}{mode} — open this link (its token lets you in; keep it private):")
    _say(f"  http://{shown}:{args.port}/s/{token}/")
    if local:
        _say(
            f"From another machine: ssh -L {args.port}:{shown}:{args.port} THIS_HOST, then "
            "the link."
        )
    else:
        _say(f"Listening on {args.host}: anyone who can reach it and holds the link gets in.")
    _say(
        f"At most {args.sessions} tabs at once; a tab idle {args.idle:g} min is closed. Ctrl+C stops."
    )
    sys.stdout.flush()
    server.serve()
    _say("stopped: every session was closed")
    return 0


def cmd_locate(args: argparse.Namespace) -> int:
    where = {
        "config": locations.config_file,
        "data": locations.data_dir,
        "themes": locations.user_themes_dir,
        "briefs": locations.user_briefs_dir,
        "book": lambda: locations.book_path(args.book),
    }[args.what]()
    _say(where)
    return 0


def _web_driver() -> bool:
    """Running under Textual's web driver (`briefing serve`): it draws to a browser, with
    no terminal on standard output."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def cmd_tui(args: argparse.Namespace) -> int:
    path = locations.book_path(args.book)
    book = Book(path, read_only=bool(getattr(args, "read_only", False)))
    book.check()
    if book.is_empty() and locations.is_default_book(path) and not book.read_only:
        from briefing.demo import add_demo

        add_demo(book)
    current_brief_id(book, args.brief)  # an unknown --brief is an error here
    # Read before the first frame (a corrupt brief file: one line here, not a broken screen),
    # and not on the UI thread: the app does not start until it is read.
    session = Session(book, args.brief)
    session.load()
    if not sys.stdout.isatty() and not os.environ.get("BRIEFING_FORCE_TUI") and not _web_driver():
        raise UsageError(
            "the terminal interface needs a terminal (or a browser: `briefing serve`); "
            "see `briefing --help`"
        )
    from briefing.tui.app import BriefingApp

    app = BriefingApp(book, brief_id=args.brief, session=session)
    app.sweep_after_start = book.writable
    app.run()
    return app.return_code or 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": cmd_import,
    "briefs": cmd_briefs,
    "new": cmd_new,
    "list": cmd_list,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "feeds": cmd_feeds,
    "tag": cmd_tag,
    "untag": cmd_untag,
    "note": cmd_note,
    "keypoint": cmd_keypoint,
    "move": cmd_move,
    "summary": cmd_summary,
    "set": cmd_set,
    "judge": cmd_judge,
    "people": cmd_annex,
    "dates": cmd_annex,
    "figures": cmd_annex,
    "write": cmd_write,
    "rm": cmd_rm,
    "section": cmd_section,
    "trash": cmd_trash,
    "restore": cmd_restore,
    "read": cmd_read,
    "refile": cmd_refile,
    "export": cmd_export,
    "themes": cmd_themes,
    "doctor": cmd_doctor,
    "locate": cmd_locate,
    "serve": cmd_serve,
    "tui": cmd_tui,
}


EDITS = {
    "tag",
    "untag",
    "note",
    "keypoint",
    "move",
    "summary",
    "set",
    "write",
    "rm",
    "section",
    "trash",
    "restore",
    "refile",
}
"""Commands that change what search reads (tags, notes, written items, the library)."""


def _keep_index(args: argparse.Namespace) -> None:
    """Right after an edit is committed, the search index takes it in (a few rows; a stat
    per file when nothing it reads changed). Only an index that exists: a first search
    builds it. Never fails the edit: a search catches up whatever is missed here."""
    from briefing.search.index import SearchIndex

    book: Book | None = getattr(args, "book_used", None)
    if book is None:
        return
    index = SearchIndex(book)
    try:
        if index.path.exists():
            index.sync()
    except Exception as exc:  # the edit is saved: the index must never make it look failed
        _say(
            f"briefing: the search index was not updated ({exc}); the next search does it",
            file=sys.stderr,
        )


SPREAD = {"feeds": "urls", "rm": "articles", "read": "passages", "search": "query"}
"""Commands whose list of names may go on after an option (`feeds add --every 2h URL`):
argparse fills such a list before the options and calls what follows unrecognised."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    dest = SPREAD.get(args.command or "")
    if extra and dest and not any(x.startswith("-") and x != "-" for x in extra):
        setattr(args, dest, [*(getattr(args, dest) or []), *extra])
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    command = COMMANDS[args.command or "tui"]
    try:
        _clean_args(args)
        code = command(args)
        if args.command in EDITS and code == 0:
            _keep_index(args)
        return code
    except BriefingError as exc:
        _say(f"briefing: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _say("briefing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
