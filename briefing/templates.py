"""Brief templates: `briefs/*.yaml` (bundled) and the user's own briefs folder.

A template declares a brief's sections and the rules (subheadings and keywords) that file
passages into them; see README § Templates. A section may instead be `written: true`: the
desk writes it (objectives, points to make, a press line), so it has no filing rules and
cannot be the `default` — filing never puts an article's passage there. A user's template
with the same id as a bundled one takes its place.

A template may also declare `drop:` rules (feed items never imported into its briefs; see
`importing.filters`) and `searches:` (named queries kept as listings, `model.SavedSearch`).
The same two keys are read from the config file by `config`, with the same parsers
(`yamlrules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing import locations
from briefing.errors import NotFound, TemplateError
from briefing.model import ANNEXES, Brief, SavedSearch, Section, merge_alias_groups
from briefing.sanitize import clean_field
from briefing.yamlfile import YamlDoc, load_yaml, parse_aliases
from briefing.yamlrules import (  # noqa: F401 (names other modules read here)
    _LANGUAGE,
    DROP_FIELDS,
    DropRule,
    _texts,
    parse_drop_rule,
    parse_search,
)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class Template:
    id: str
    title: str
    path: Path
    sections: list[Section]
    default: str
    description: str = ""
    subtitle: str = ""
    audience: str = ""
    marking: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    drop: list[DropRule] = field(default_factory=list)
    """Feed items never imported into a brief made from it (see `importing.filters`)."""
    searches: list[SavedSearch] = field(default_factory=list)
    """Named queries its briefs show as listings."""
    aliases: list[tuple[str, ...]] = field(default_factory=list)
    """Spellings of one name (Kyiv, Kiev): its keywords match each, and search finds each."""
    annexes: list[str] = field(default_factory=list)
    """The reference annexes its briefs export (see model.ANNEXES)."""

    def new_brief(
        self,
        brief_id: str,
        title: str | None,
        created: str,
        aliases: list[tuple[str, ...]] | None = None,
    ) -> Brief:
        """A brief from this template. Each section keyword that is a spelling in `aliases`
        (this template's and those given, e.g. the config's) brings its other spellings, so
        an article writing "Kiev" is filed where "Kyiv" is a keyword."""
        groups = merge_alias_groups([*(aliases or []), *self.aliases])

        def spellings(keywords: list[str]) -> list[str]:
            out = list(keywords)
            for k in keywords:
                for group in groups:
                    if k.casefold() in (w.casefold() for w in group):
                        out += group
            return list(dict.fromkeys(out))

        return Brief(
            id=brief_id,
            title=title or self.title,
            template=self.id,
            subtitle=self.subtitle,
            audience=self.audience,
            marking=self.marking,
            default_section=self.default,
            created=created,
            sections=[
                Section(
                    s.id, s.title, s.summary, list(s.headings), spellings(s.keywords), s.written
                )
                for s in self.sections
            ],
            annexes=list(self.annexes),
        )


def _str(doc: YamlDoc, value: object, *fld: object, required: bool = False) -> str:
    """A text field; cleaned like every string that enters the book (a template's titles
    become a brief's and are printed by the CLI and the TUI: no escape sequences)."""
    if value is None or value == "":
        if required:
            raise doc.error(TemplateError, "is required", *fld)
        return ""
    if not isinstance(value, str | int | float):
        raise doc.error(TemplateError, "must be text", *fld)
    text = clean_field(str(value))
    if required and not text:
        raise doc.error(TemplateError, "is required", *fld)
    return text


def _str_list(doc: YamlDoc, value: object, *fld: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise doc.error(TemplateError, "must be a list of text", *fld)
    out = []
    for i, v in enumerate(value):
        text = clean_field(str(v)) if isinstance(v, str | int | float) else ""
        if not text:
            raise doc.error(TemplateError, "must be non-empty text", *fld, i)
        out.append(text)
    return out


def _bool(doc: YamlDoc, value: object, *fld: object) -> bool:
    """A yes/no field. Only a real YAML boolean: `written: "no"` read as truthy text would
    silently turn a filed section into a written one."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise doc.error(TemplateError, "must be true or false", *fld)
    return value


def _list_of(doc: YamlDoc, value: object, what: str, *fld: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise doc.error(TemplateError, f"must be a list of {what}", *fld)
    return value


_RULES = ("headings", "keywords")
"""A filed section's rules: a written section may have neither."""


def parse_template(path: Path) -> Template:
    doc = load_yaml(path, TemplateError)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error(TemplateError, "a template is a mapping with `title` and `sections`")
    known = {
        "id",
        "title",
        "description",
        "subtitle",
        "audience",
        "marking",
        "default",
        "sections",
        "drop",
        "searches",
        "aliases",
        "annexes",
    }
    for key in data:
        if key not in known:
            raise doc.error(
                TemplateError, f"unknown field (known: {', '.join(sorted(known))})", key
            )
    tid = _str(doc, data.get("id"), "id") or path.stem
    if not _ID.match(tid):
        raise doc.error(TemplateError, "must be lower-case letters, digits and '-'", "id")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise doc.error(TemplateError, "must be a non-empty list of sections", "sections")
    sections: list[Section] = []
    seen: set[str] = set()  # not a scan of `sections`: that was quadratic in a big file
    for i, raw in enumerate(raw_sections):
        if not isinstance(raw, dict):
            raise doc.error(TemplateError, "must be a mapping with id and title", "sections", i)
        for key in raw:
            if key not in {"id", "title", "summary", "headings", "keywords", "written"}:
                raise doc.error(TemplateError, "unknown field", "sections", i, key)
        sid = _str(doc, raw.get("id"), "sections", i, "id", required=True)
        if not _ID.match(sid):
            raise doc.error(
                TemplateError, "must be lower-case letters, digits and '-'", "sections", i, "id"
            )
        if sid in seen:
            raise doc.error(TemplateError, f"duplicate section id {sid!r}", "sections", i, "id")
        seen.add(sid)
        written = _bool(doc, raw.get("written"), "sections", i, "written")
        if written:
            for rule in _RULES:
                if rule in raw:
                    raise doc.error(
                        TemplateError,
                        "not allowed on a written section: filing never puts passages there",
                        "sections",
                        i,
                        rule,
                    )
        sections.append(
            Section(
                id=sid,
                title=_str(doc, raw.get("title"), "sections", i, "title", required=True),
                summary=_str(doc, raw.get("summary"), "sections", i, "summary"),
                headings=_str_list(doc, raw.get("headings"), "sections", i, "headings"),
                keywords=_str_list(doc, raw.get("keywords"), "sections", i, "keywords"),
                written=written,
            )
        )
    filed = [s.id for s in sections if not s.written]
    if not filed:
        # Unplaced passages go to `default`, which must be a filed section.
        raise doc.error(TemplateError, "needs at least one section that is not written", "sections")
    default = _str(doc, data.get("default"), "default") or filed[0]
    if default not in {s.id for s in sections}:
        raise doc.error(TemplateError, f"{default!r} is not one of the section ids", "default")
    if default not in filed:
        raise doc.error(
            TemplateError,
            f"{default!r} is a written section: filing never puts passages there",
            "default",
        )
    drop = [
        parse_drop_rule(doc, raw, TemplateError, "drop", i)
        for i, raw in enumerate(_list_of(doc, data.get("drop"), "rules", "drop"))
    ]
    searches: list[SavedSearch] = []
    names: dict[str, int] = {}
    for i, raw in enumerate(_list_of(doc, data.get("searches"), "searches", "searches")):
        searches.append(parse_search(doc, raw, TemplateError, names, "searches", i))
        names[searches[-1].name.casefold()] = i
    aliases = parse_aliases(doc, data.get("aliases"), TemplateError, "aliases")
    annexes = _str_list(doc, data.get("annexes"), "annexes")
    for i, name in enumerate(annexes):
        if name not in ANNEXES:
            raise doc.error(
                TemplateError, f"unknown annex (known: {', '.join(ANNEXES)})", "annexes", i
            )
    return Template(
        id=tid,
        title=_str(doc, data.get("title"), "title", required=True),
        path=path,
        sections=sections,
        default=default,
        description=_str(doc, data.get("description"), "description"),
        subtitle=_str(doc, data.get("subtitle"), "subtitle"),
        audience=_str(doc, data.get("audience"), "audience"),
        marking=_str(doc, data.get("marking"), "marking"),
        drop=drop,
        searches=searches,
        aliases=aliases,
        annexes=list(dict.fromkeys(annexes)),
    )


def template_files() -> list[Path]:
    """Bundled first, then the user's (which win on the same id)."""
    files: list[Path] = []
    for folder in (locations.bundled_briefs_dir(), locations.user_briefs_dir()):
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    return files


def load_templates() -> tuple[dict[str, Template], list[TemplateError]]:
    """Every valid template by id, and the errors of the invalid ones."""
    found: dict[str, Template] = {}
    errors: list[TemplateError] = []
    for path in template_files():
        try:
            t = parse_template(path)
        except TemplateError as exc:
            errors.append(exc)
            continue
        found[t.id] = t
    return found, errors


def get_template(template_id: str) -> Template:
    found, errors = load_templates()
    if template_id in found:
        return found[template_id]
    for err in errors:
        if f"/{template_id}.y" in str(err):
            raise err
    known = ", ".join(sorted(found)) or "none"
    raise NotFound(f"no brief template {template_id!r} (templates: {known})")
