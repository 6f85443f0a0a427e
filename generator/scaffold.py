"""Scaffolding: `playbook new` fills a theme archetype into a new document, `playbook init`
copies the starter project. Both only create files, never overwrite one.

Archetypes are data (`themes/playbook/archetypes/<type>.md`, overridable by a project's
`themes/archetypes/`): Jinja templates given `title`, `slug`, `date`, `lang` and `issue`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.config import CONFIG_NAME, Config, load_config
from generator.doctypes import BY_NAME, NAMES
from generator.errors import Problems
from generator.reader import read_markdown
from generator.theme import load_theme
from generator.urls import slugify

STARTER = Path(__file__).resolve().parent / "starter"
RENAMED_ON_COPY = {"gitignore": ".gitignore"}


class ScaffoldError(Exception):
    """The file or project cannot be created (it exists, or the request makes no sense)."""


def _yaml_scalar(value: object) -> str:
    """A YAML-safe scalar: a double-quoted string is valid YAML and JSON alike."""
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


def create_document(root: Path, request: NewDocument) -> Path:
    """Write the new document and return its path; refuse to overwrite anything."""
    root = root.resolve()
    if request.doc_type not in BY_NAME:
        raise ScaffoldError(f"unknown type {request.doc_type!r}; expected one of: {', '.join(NAMES)}")
    doctype = BY_NAME[request.doc_type]
    config = load_config(root)
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
        date=(request.today or dt.date.today()).isoformat(),
        lang=lang,
        issue=next_issue(folder) if "issue" in doctype.schema.model_fields else 0,
    )
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return target


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
