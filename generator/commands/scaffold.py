"""Scaffolding: `playbook new` fills a theme archetype into a new document, `playbook init`
copies the starter project. Both only create files, never overwrite one.

Archetypes are data (`generator/site/builtin_theme/archetypes/<type>.md`, overridable by a project's
`themes/archetypes/`): Jinja templates given `title`, `slug`, `date`, `lang` and `issue`;
a report's also `strategy` (the path from the report to what it follows up), `start`,
`end` and `measurements` (each objective with its last figure).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2

from generator.config.settings import CONFIG_NAME, Config, load_config
from generator.content.doctypes import BY_NAME, NAMES
from generator.content.model import Document, report_meta
from generator.content.reader import language_of, read_markdown
from generator.content.schema import Objective
from generator.errors import Problems
from generator.site.theme import load_theme
from generator.urls import slugify

STARTER = Path(__file__).resolve().parent / "starter"
RENAMED_ON_COPY = {"gitignore": ".gitignore"}
NEEDS_STRATEGY = "a report follows up a strategy or campaign: give its file with --strategy PATH"


class ScaffoldError(Exception):
    """The file or project cannot be created (it exists, or the request makes no sense)."""


def _yaml_scalar(value: object) -> str:
    """A YAML-safe scalar: a double-quoted string is valid YAML and JSON alike; a whole
    number is written without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, ensure_ascii=False)


def render_template(text: str, **values: Any) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = _yaml_scalar
    return env.from_string(text).render(**values)


@dataclass(frozen=True)
class NewDocument:
    doc_type: str
    title: str
    lang: str | None = None
    section: str | None = None
    today: dt.date | None = None
    strategy: Path | None = None
    """For a report: the strategy or campaign file it follows up."""


def language_folder(root: Path, config: Config, lang: str | None) -> tuple[Path, str]:
    """Where documents of `lang` live: `content/<lang>/`, or `content/` for a default
    language kept at the top (no `content/<default>/` folder)."""
    content = root / config.content_dir
    code = lang or config.default_lang
    if code not in config.language_codes:
        raise ScaffoldError(
            f"language {code!r} is not configured in {CONFIG_NAME} ({', '.join(config.language_codes)})"
        )
    if code == config.default_lang and not (content / code).is_dir():
        return content, code
    return content / code, code


def next_issue(folder: Path) -> int:
    """One more than the highest `issue:` among the newsletters already in `folder`."""
    highest = 0
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        source = read_markdown(path, path.name, str(path), Problems())
        issue = source.front.data.get("issue") if source and isinstance(source.front.data, dict) else None
        if isinstance(issue, int) and not isinstance(issue, bool):
            highest = max(highest, issue)
    return highest + 1


@dataclass(frozen=True)
class ReportDraft:
    """What `playbook new report --strategy PATH` knows before the editor writes."""

    subject: Document
    path: Path
    """The subject's file."""
    start: dt.date
    end: dt.date
    objectives: list[Objective]
    """The subject's objectives, each with its last figure (`actual`) if it has one."""
    number: int
    """The new report's place among the subject's reports (1 for the first)."""


def report_draft(root: Path, config: Config, strategy: Path, today: dt.date) -> ReportDraft:
    """The follow-up of the strategy or campaign at `strategy` (a path from the current folder
    or the project): its last figures, and the period from the last report's end to today."""
    from generator.build.pipeline import BuildOptions, load_playbook

    content = (root / config.content_dir).resolve()
    path = strategy if strategy.is_absolute() or strategy.exists() else root / strategy
    path = path.resolve()
    if not path.is_relative_to(content):
        raise ScaffoldError(f"{strategy} is not a file in {config.content_dir}/")
    playbook = load_playbook(root, BuildOptions(), Problems(), config=config)
    lang, key = language_of(path.relative_to(content).as_posix(), config.language_codes, config.default_lang)
    subject = playbook.document(lang, key)
    follow_up = playbook.follow_up(subject) if subject is not None else None
    if subject is None or follow_up is None or follow_up.subject is not subject:
        raise ScaffoldError(f"{strategy} is not a strategy or campaign of the playbook")
    last = report_meta(follow_up.reports[-1]).period.end if follow_up.reports else None
    start = last + dt.timedelta(days=1) if last else getattr(subject.meta, "start", today)
    return ReportDraft(subject, path, start, max(start, today), follow_up.objectives, len(follow_up.reports) + 1)


def create_document(root: Path, request: NewDocument) -> Path:
    """Write the new document and return its path; refuse to overwrite anything."""
    root = root.resolve()
    if request.doc_type not in BY_NAME:
        raise ScaffoldError(f"unknown type {request.doc_type!r}; expected one of: {', '.join(NAMES)}")
    doctype = BY_NAME[request.doc_type]
    config = load_config(root)
    today = request.today or dt.date.today()
    draft = None
    if request.doc_type == "report":
        if request.strategy is None:
            raise ScaffoldError(NEEDS_STRATEGY)
        draft = report_draft(root, config, request.strategy, today)
        request = replace(
            request, lang=request.lang or draft.subject.lang, title=request.title or f"Report {draft.number}"
        )
    slug = slugify(request.title)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from the title {request.title!r}; use letters or digits")
    theme = load_theme(root, config.theme_dir)
    archetype = theme.find("archetypes", doctype.archetype)
    if archetype is None:
        raise ScaffoldError(f"no archetype for type {doctype.name!r} in {', '.join(map(str, theme.dirs))}")
    base, lang = language_folder(root, config, request.lang)
    section = request.section if request.section is not None else doctype.section
    folder = (base / section.strip("/")).resolve()
    if not folder.is_relative_to((root / config.content_dir).resolve()):
        raise ScaffoldError(f"section {section!r} is outside the content folder")
    target = folder / f"{slug}.md"
    if target.exists():
        raise ScaffoldError(f"{target.relative_to(root)} already exists; not overwriting it")
    text = render_template(
        archetype.read_text(encoding="utf-8"),
        title=request.title,
        slug=slug,
        date=today.isoformat(),
        lang=lang,
        issue=next_issue(folder) if "issue" in doctype.schema.model_fields else 0,
        **(report_values(draft, folder) if draft else {}),
    )
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return target


def report_values(draft: ReportDraft, folder: Path) -> dict[str, Any]:
    """The archetype's values for a report written in `folder`."""
    strategy = Path(os.path.relpath(draft.path, folder)).as_posix()
    return {"strategy": strategy, "start": draft.start, "end": draft.end, "objectives": draft.objectives}


def create_project(root: Path, site_name: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Copy the starter project into `root` (created if needed); refuse an existing project."""
    existing = [name for name in (CONFIG_NAME, "mkdocs.yml", "content") if (root / name).exists()]
    if existing:
        raise ScaffoldError(f"{root} already holds a project ({', '.join(existing)}); not overwriting it")
    name = site_name or root.resolve().name.replace("-", " ").replace("_", " ").title() or "Playbook"
    values = {"site_name": f"{name} Playbook" if "playbook" not in name.lower() else name}
    values["date"] = (today or dt.date.today()).isoformat()
    written = []
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file()):
        rel = source.relative_to(STARTER)
        target = root / rel.with_name(RENAMED_ON_COPY.get(rel.name, rel.name))
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_template(source.read_text(encoding="utf-8"), **values), encoding="utf-8")
        written.append(target)
    return written
