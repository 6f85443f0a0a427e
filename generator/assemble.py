"""Validation and assembly: turn what the reader found into the Playbook model.

Checks each document's front matter against its type's schema, then the rules that span
documents (people exist, URLs are unique per language, featured paths resolve), collecting
every problem before it fails. Pure: no file is read or written here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from generator.config import Config
from generator.errors import BuildFailed, Problem, Problems
from generator.model import Asset, Document, Person, Playbook
from generator.reader import ContentTree, SourceFile, language_of
from generator.schema import ALL_KEYS, DOC_TYPES, SCHEMAS, Newsletter, Page, PersonEntry
from generator.urls import language_prefix, person_url
from generator.validation import field_name, problems_from
from generator.yamlsource import LocatedYaml

PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def assemble(
    root: Path,
    config: Config,
    tree: ContentTree,
    problems: Problems,
    *,
    include_drafts: bool = False,
    build_date: dt.date | None = None,
    memo: DocumentMemo | None = None,
) -> Playbook:
    """Build the model; raise BuildFailed if anything is wrong. `memo` (the build cache)
    keeps each file's validated document while the file and the configuration are the same."""
    prefixes = {
        code: language_prefix(code, config.default_lang, config.default_language_at_root)
        for code in config.language_codes
    }
    people = read_people(tree.people, f"{config.content_dir}/people.yml", problems)
    validate = _remembered(memo, config.model_dump_json(), {source.rel for source in tree.sources})
    documents = [
        doc
        for source in tree.sources
        if (doc := validate(source, config, prefixes, problems)) is not None
        and (include_drafts or not doc.meta.draft)
    ]
    check_people(documents, people, problems)
    documents = without_shadowed_readmes(documents, problems)
    check_unique_urls(documents, problems)
    if config.translation_fallback:
        documents += translation_fallbacks(documents, config, prefixes)
    assets = [_asset(a.rel, a.path, config, prefixes) for a in tree.assets]
    playbook = Playbook(
        root=root,
        config=config,
        build_date=build_date or dt.date.today(),
        people=people,
        documents=documents,
        assets=assets,
        prefixes=prefixes,
        include_drafts=include_drafts,
    )
    check_featured(playbook, problems)
    if problems.errors:
        raise BuildFailed(problems)
    return playbook


def read_people(located: LocatedYaml | None, display: str, problems: Problems) -> dict[str, Person]:
    if located is None or located.data is None:
        return {}
    if not isinstance(located.data, dict):
        problems.error(display, "must map person ids to {name, role, email?, team?}", 1)
        return {}
    people: dict[str, Person] = {}
    for person_id, entry in located.data.items():
        line = located.line_of((person_id,))
        if not isinstance(person_id, str) or not PERSON_ID.match(person_id):
            problems.error(
                display, "person id must be lowercase letters, digits, '-', '.' or '_'", line, str(person_id)
            )
            continue
        try:
            valid = PersonEntry.model_validate(entry if entry is not None else {})
        except ValidationError as exc:
            sub = LocatedYaml(entry, {k[1:]: v for k, v in located.lines.items() if k[:1] == (person_id,)})
            for problem in problems_from(exc, sub, display, model=PersonEntry, fallback_line=line):
                problems.error(display, problem.message, problem.line, f"{person_id}.{problem.field or ''}".rstrip("."))
            continue
        people[person_id] = Person(person_id, valid.name, valid.role, valid.email, valid.team)
    check_person_pages(people, located, display, problems)
    return people


def check_person_pages(people: dict[str, Person], located: LocatedYaml, display: str, problems: Problems) -> None:
    """Ids that differ only in punctuation (`ann_lee`, `ann-lee`) would share one people page."""
    seen: dict[str, str] = {}
    for person_id in people:
        url = person_url("", person_id)
        first = seen.setdefault(url, person_id)
        if first != person_id:
            problems.error(
                display,
                f"same people page /{url} as {first!r} (line {located.line_of((first,))}); rename one of the ids",
                located.line_of((person_id,)),
                person_id,
            )


DocumentMemo = dict[str, tuple[SourceFile, str, Document | None, list[Problem]]]
Validate = Callable[[SourceFile, Config, dict[str, str], Problems], Document | None]


def _remembered(memo: DocumentMemo | None, config_key: str, current: set[str]) -> Validate:
    """`validate_document`, answered from `memo` for a source file read into the very same
    object as last time (the reader's memo keeps unchanged files) under the same settings."""
    if memo is None:
        return validate_document
    for gone in memo.keys() - current:
        del memo[gone]

    def validate(source: SourceFile, config: Config, prefixes: dict[str, str], problems: Problems) -> Document | None:
        entry = memo.get(source.rel)
        if entry is not None and entry[0] is source and entry[1] == config_key:
            problems.extend(entry[3])
            return entry[2]
        found = Problems()
        doc = validate_document(source, config, prefixes, found)
        memo[source.rel] = (source, config_key, doc, found.items)
        problems.extend(found)
        return doc

    return validate


def validate_document(
    source: SourceFile, config: Config, prefixes: dict[str, str], problems: Problems
) -> Document | None:
    """Validate one file's front matter against the schema of its type."""
    data = source.front.data
    if not isinstance(data, dict):
        problems.error(source.display, "front matter must be a mapping of keys (title: ...)", 1)
        return None
    if config.title_from_heading and not data.get("title"):
        data = {**data, "title": title_from_body(source, config)}
    doc_type = data.get("type", "page")
    if doc_type not in DOC_TYPES:
        line = source.front.line_of(("type",), 1)
        problems.error(
            source.display, f"unknown type {doc_type!r}; expected one of: {', '.join(DOC_TYPES)}", line, "type"
        )
        return None
    schema = SCHEMAS[doc_type]
    fallback_line = 1 if source.front.lines else None
    try:
        meta = schema.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, source.front, source.display, model=schema, fallback_line=fallback_line))
        return None
    warn_unknown_keys(source, schema, data, problems)
    folder_lang, key = language_of(source.rel, config.language_codes, config.default_lang)
    lang = meta.lang or folder_lang
    if lang not in config.language_codes:
        line = source.front.line_of(("lang",), 1)
        problems.error(
            source.display,
            f"language {lang!r} is not configured in playbook.yml (languages: {', '.join(config.language_codes)})",
            line,
            "lang",
        )
        return None
    scheme = config.url_scheme
    url = scheme.document(key, meta.slug, prefixes[lang])
    return Document(
        source=source.display,
        key=key,
        lang=lang,
        meta=meta,
        body=source.body,
        body_line=source.body_line,
        url=url,
        mtime=source.mtime,
        key_lines=source.front.lines,
        readme_index=scheme.mkdocs and scheme.is_folder_page(key) and not key.endswith("index.md"),
    )


ATX_TITLE = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def title_from_body(source: SourceFile, config: Config) -> str:
    """For projects without titles in front matter (MkDocs): the first `# heading` outside
    code blocks, else a name made from the file (or folder, for index.md)."""
    fence = ""
    for line in source.body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else fence or stripped[:3]
        elif not fence and (match := ATX_TITLE.match(line)):
            return match.group(1)
    path = PurePosixPath(source.rel)
    name = path.parent.name if path.stem in ("index", "README") else path.stem
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or config.site_name


def warn_unknown_keys(source: SourceFile, schema: type[Page], data: dict, problems: Problems) -> None:
    """Unknown keys are a typo guard: warnings, not errors."""
    for key in data:
        if key in schema.model_fields:
            continue
        line = source.front.line_of((key,))
        if key in ALL_KEYS:
            problems.warning(source.display, f"not used by type {schema.__name__.lower()}", line, str(key))
            continue
        guess = difflib.get_close_matches(str(key), sorted(schema.model_fields), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        problems.warning(source.display, f"unknown key{hint}", line, str(key))


def check_people(documents: list[Document], people: dict[str, Person], problems: Problems) -> None:
    known = ", ".join(sorted(people)) or "none: add content/people.yml"
    for doc in documents:
        for path, person_id in doc.meta.people_ids():
            if person_id not in people:
                problems.error(
                    doc.source, f"unknown person {person_id!r}; known ids: {known}", doc.line_of(path), field_name(path)
                )


def without_shadowed_readmes(documents: list[Document], problems: Problems) -> list[Document]:
    """A README.md beside an index.md is left out, as MkDocs does (with a warning)."""
    index_urls = {(doc.lang, doc.url) for doc in documents if doc.key.rsplit("/", 1)[-1] == "index.md"}
    kept = []
    for doc in documents:
        if doc.readme_index and (doc.lang, doc.url) in index_urls:
            problems.warning(doc.source, "left out: index.md in the same folder is the folder's page")
        else:
            kept.append(doc)
    return kept


def check_unique_urls(documents: list[Document], problems: Problems) -> None:
    seen: dict[str, Document] = {}
    for doc in documents:
        other = seen.setdefault(doc.url, doc)
        if other is not doc:
            line = doc.line_of(("slug",)) if doc.meta.slug else 1
            problems.error(
                doc.source,
                f"same URL /{doc.url} as {other.source}; set a different slug",
                line,
                "slug" if doc.meta.slug else None,
            )


def translation_fallbacks(documents: list[Document], config: Config, prefixes: dict[str, str]) -> list[Document]:
    """Default-language documents shown in each language that lacks a translation."""
    default = config.default_lang
    keys_by_lang: dict[str, set[str]] = {}
    for doc in documents:
        keys_by_lang.setdefault(doc.lang, set()).add(doc.key)
    fallbacks = []
    for doc in documents:
        if doc.lang != default:
            continue
        for lang in config.language_codes:
            if lang == default or doc.key in keys_by_lang.get(lang, set()):
                continue
            url = config.url_scheme.document(doc.key, doc.meta.slug, prefixes[lang])
            fallbacks.append(
                Document(
                    doc.source,
                    doc.key,
                    lang,
                    doc.meta,
                    doc.body,
                    doc.body_line,
                    url,
                    doc.mtime,
                    doc.key_lines,
                    fallback_of=doc,
                )
            )
    return fallbacks


def _asset(rel: str, path: Path, config: Config, prefixes: dict[str, str]) -> Asset:
    lang, key = language_of(rel, config.language_codes, config.default_lang)
    return Asset(path, f"{config.content_dir}/{rel}", lang, key, prefixes[lang] + key)


def check_featured(playbook: Playbook, problems: Problems) -> None:
    """`featured:` paths are language-relative content paths of existing documents."""
    for doc in playbook.documents:
        if doc.fallback_of is not None or not isinstance(doc.meta, Newsletter):
            continue
        for index, path in enumerate(doc.meta.featured):
            key = posixpath.normpath(path.lstrip("/"))
            line = doc.line_of(("featured", index))
            if key.startswith("..") or (path.startswith("/") and ".." in path):
                problems.error(doc.source, f"{path!r} points outside the content folder", line, f"featured[{index}]")
            elif playbook.document(doc.lang, key) is None:
                problems.error(doc.source, f"no document {key!r} in language {doc.lang!r}", line, f"featured[{index}]")
