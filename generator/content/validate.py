"""Validation and assembly: turn what the reader found into the Playbook model.

Checks each document's front matter against its type's schema, then the rules that span
documents (people exist, URLs are unique per language, featured paths resolve), collecting
every problem before it fails. Pure: no file is read or written here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import get_args, get_origin

from pydantic import ValidationError

from generator.config.settings import CONFIG_NAME, Config
from generator.content.doctypes import BY_NAME, NAMES
from generator.content.followup import link_reports
from generator.content.model import Asset, Document, Person, Playbook
from generator.content.problems import field_name, problems_from, salvaged, submodel
from generator.content.reader import ContentTree, SourceFile, language_of
from generator.content.schema import DERIVED_KEYS, Newsletter, Page, PersonEntry, canonical_word
from generator.content.yamlsource import BadValue, LocatedYaml
from generator.errors import Problem, Problems
from generator.markdown.links import suggestion
from generator.urls import RESERVED_FOLDERS, language_prefix, person_url

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
    """Build the model, collecting every problem in `problems`. `memo` (the build cache)
    keeps each file's validated document while the file and the configuration are the same.

    A document with errors is kept, as far as it could be validated, so that links and
    `featured:` paths to it resolve and its other keys are still checked: callers must not
    write anything while `problems.errors` is not empty (the build stops after checking the
    links of every body)."""
    prefixes = {
        code: language_prefix(code, config.default_lang, config.default_language_at_root)
        for code in config.language_codes
    }
    today = build_date or dt.date.today()
    people = read_people(tree.people, f"{config.content_dir}/people.yml", problems)
    validate = _remembered(memo, f"{config.model_dump_json()} {today}", {source.rel for source in tree.sources})
    documents = [
        doc
        for source in tree.sources
        if (doc := validate(source, config, prefixes, problems, today)) is not None
        and (include_drafts or not doc.meta.draft)
    ]
    check_people(documents, people, problems)
    documents = without_shadowed_readmes(documents, problems)
    check_unique_urls(documents, problems)
    if config.translation_fallback:
        documents += translation_fallbacks(documents, config, prefixes)
    assets = [_asset(a.rel, a.path, config, prefixes) for a in tree.assets]
    check_reserved_folders([(doc.source, doc.url) for doc in documents if doc.fallback_of is None], problems)
    check_reserved_folders([(asset.display, asset.url) for asset in assets], problems)
    follow_ups = link_reports(documents, problems)
    playbook = Playbook(
        root=root,
        config=config,
        build_date=today,
        people=people,
        documents=documents,
        assets=assets,
        prefixes=prefixes,
        include_drafts=include_drafts,
        follow_ups=follow_ups,
    )
    check_featured(playbook, problems)
    check_sender(playbook, problems)
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


@dataclass(frozen=True)
class RememberedDocument:
    """A source file's validation, kept by the build cache while the file and settings are the same."""

    source: SourceFile
    config_key: str
    doc: Document | None
    problems: list[Problem]


DocumentMemo = dict[str, RememberedDocument]
Validate = Callable[[SourceFile, Config, dict[str, str], Problems, dt.date], Document | None]


def _remembered(memo: DocumentMemo | None, config_key: str, current: set[str]) -> Validate:
    """`validate_document`, answered from `memo` for a source file read into the very same
    object as last time (the reader's memo keeps unchanged files) under the same settings."""
    if memo is None:
        return validate_document
    for gone in memo.keys() - current:
        del memo[gone]

    def validate(
        source: SourceFile, config: Config, prefixes: dict[str, str], problems: Problems, today: dt.date
    ) -> Document | None:
        entry = memo.get(source.rel)
        if entry is not None and entry.source is source and entry.config_key == config_key:
            problems.extend(entry.problems)
            return entry.doc
        found = Problems()
        doc = validate_document(source, config, prefixes, found, today)
        memo[source.rel] = RememberedDocument(source, config_key, doc, found.items)
        problems.extend(found)
        return doc

    return validate


def validate_document(
    source: SourceFile, config: Config, prefixes: dict[str, str], problems: Problems, today: dt.date | None = None
) -> Document | None:
    """Validate one file's front matter against the schema of its type, reporting every
    problem. A document with errors is returned with what could be validated (see
    `assemble`); None when nothing of it could be validated."""
    meta = _front_matter(source, config, problems, today)
    if meta is None:
        return None
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
        lang = folder_lang
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
        changed=source.changed,
        key_lines=source.front.lines,
        readme_index=scheme.mkdocs and scheme.is_folder_page(key) and not key.endswith("index.md"),
    )


def _front_matter(source: SourceFile, config: Config, problems: Problems, today: dt.date | None) -> Page | None:
    """The document's validated front matter, every problem of it reported."""
    data = source.front.data
    if not isinstance(data, dict):
        problems.error(source.display, "front matter must be a mapping of keys (title: ...)", 1)
        return None
    for unread in source.front.problems:
        problems.error(source.display, unread.message, unread.line, field_name(unread.path))
    if config.title_from_heading and not data.get("title"):
        data = {**data, "title": title_from_body(source, config)}
    if config.url_scheme.mkdocs and "description" in data:
        data = _description_as_summary(source, data, problems)
    doc_type = _document_type(source, data, problems)
    if "type" in data:
        data = {**data, "type": doc_type or "page"}
    schema = BY_NAME[doc_type or "page"].schema
    meta = _meta(schema, data, source, problems, today)
    if meta is None:
        return None
    if doc_type is not None:
        warn_unknown_keys(source, schema, data, problems)
    return meta if meta.title else meta.model_copy(update={"title": title_from_body(source, config)})


def _description_as_summary(source: SourceFile, data: dict, problems: Problems) -> dict:
    """Material's `description:` is the page's summary (its meta description)."""
    if "summary" not in data:
        return {("summary" if key == "description" else key): value for key, value in data.items()}
    line = source.front.line_of(("description",))
    problems.warning(source.display, "ignored: `summary` is the page's description", line, "description")
    return {key: value for key, value in data.items() if key != "description"}


def _document_type(source: SourceFile, data: dict, problems: Problems) -> str | None:
    """The type the front matter names, however it is spelt; None for a type that could not
    be read or is unknown (reported: the document is checked as a page, without warnings
    about the keys of the type meant)."""
    written = data.get("type", "page")
    if isinstance(written, BadValue):
        return None
    found = canonical_word(written, NAMES) if isinstance(written, str) else None
    if found is None:
        line = source.front.line_of(("type",), 1)
        guess = difflib.get_close_matches(str(written).casefold(), NAMES, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        problems.error(
            source.display, f"unknown type {written!r}; expected one of: {', '.join(NAMES)}{hint}", line, "type"
        )
    return found


def _meta(schema: type[Page], data: dict, source: SourceFile, problems: Problems, today: dt.date | None) -> Page | None:
    """The validated front matter; on errors, reported, what is left of it."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        fallback_line = 1 if source.front.lines else None
        found = problems_from(exc, source.front, source.display, model=schema, fallback_line=fallback_line, today=today)
        problems.extend(found)
        left = salvaged(schema, data, exc)
        return left if isinstance(left, Page) else None


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
    """Unknown keys are a typo guard: warnings, not errors. A key another type (or a part of
    the document) uses is named as such rather than matched to a similar word."""
    doc_type = _type_name(schema)
    for key in data:
        if key in schema.model_fields:
            continue
        line = source.front.line_of((key,))
        problems.warning(source.display, _unknown_key_message(str(key), doc_type, schema), line, str(key))


def _type_name(schema: type[Page]) -> str:
    return next(t.name for t in BY_NAME.values() if t.schema is schema)


def _unknown_key_message(key: str, doc_type: str, schema: type[Page]) -> str:
    derived = DERIVED_KEYS.get((doc_type, key))
    if derived:
        return f"a {doc_type} has no {key!r} key: {derived}"
    homes = key_homes().get(key, [])
    types = [home for home in homes if home in BY_NAME]
    if types:
        return f"not used by a {doc_type}; {key!r} is a key of: {', '.join(types)}"
    if homes:
        return f"not a key of its own; {key!r} belongs inside {' or '.join(homes)}"
    guess = difflib.get_close_matches(key, sorted(schema.model_fields), n=1)
    return f"unknown key; did you mean '{guess[0]}'?" if guess else "unknown key"


def _holds_list(annotation: object) -> bool:
    return get_origin(annotation) is list or any(_holds_list(part) for part in get_args(annotation))


@cache
def key_homes() -> dict[str, list[str]]:
    """Where each known key is used: a document type's name for its top-level keys,
    `actions[]`-style names for the keys of nested parts."""
    homes: dict[str, list[str]] = {}
    for doctype in BY_NAME.values():
        name, schema = doctype.name, doctype.schema
        for key, field in schema.model_fields.items():
            if key not in Page.model_fields or name == "page":
                homes.setdefault(key, []).append(name)
            _nested_homes(key, field.annotation, homes)
    return {key: list(dict.fromkeys(places)) for key, places in homes.items()}


def _nested_homes(key: str, annotation: object, homes: dict[str, list[str]]) -> None:
    part = submodel(annotation)
    if part is None:
        return
    where = f"{key}[]" if _holds_list(annotation) else key
    for nested in part.model_fields:
        homes.setdefault(nested, []).append(where)


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


def check_reserved_folders(outputs: list[tuple[str, str]], problems: Problems) -> None:
    """No (source, URL) may land in a folder the build fills itself: its files would mix with
    the search index or the theme's files, and the next build would replace them."""
    for source, url in outputs:
        top = url.split("/", 1)[0]
        if top in RESERVED_FOLDERS:
            problems.error(
                source,
                f"/{top}/ is where the build writes {RESERVED_FOLDERS[top]}; rename the folder {top!r}",
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
                    doc.changed,
                    doc.key_lines,
                    fallback_of=doc,
                )
            )
    return fallbacks


def _asset(rel: str, path: Path, config: Config, prefixes: dict[str, str]) -> Asset:
    lang, key = language_of(rel, config.language_codes, config.default_lang)
    return Asset(path, f"{config.content_dir}/{rel}", lang, key, prefixes[lang] + key)


def check_featured(playbook: Playbook, problems: Problems) -> None:
    """`featured:` paths name existing documents, resolved like Markdown links."""
    for doc in playbook.documents:
        if doc.fallback_of is not None or not isinstance(doc.meta, Newsletter):
            continue
        for index, path in enumerate(doc.meta.featured):
            target = playbook.featured_target(doc, path)
            line = doc.line_of(("featured", index))
            if target.looked_for is None:
                problems.error(doc.source, f"{path!r} points outside the content folder", line, f"featured[{index}]")
            elif target.document is None:
                where = target.looked_for
                hint = suggestion(playbook, doc, where)
                message = f"no document {path!r} (looked for {where.key!r} in {where.lang!r}){hint}"
                problems.error(doc.source, message, line, f"featured[{index}]")


SENDER_DETAILS = {
    "from_address": "from_address (the From: address)",
    "postal_address": "postal_address (the postal address anti-spam laws require in the footer)",
    "unsubscribe_url": "unsubscribe_url (an https URL with {token}, or your e-mail service's merge tag)",
}


def check_sender(playbook: Playbook, problems: Problems) -> None:
    """Newsletters built without sender details would go out from a placeholder address with
    an unsubscribe link that leads nowhere: a warning naming what is missing."""
    if not any(isinstance(doc.meta, Newsletter) for doc in playbook.documents):
        return
    settings = playbook.config.newsletter
    missing = [
        text
        for key, text in SENDER_DETAILS.items()
        if getattr(settings, key, None) is None or key not in settings.model_fields_set
    ]
    if missing:
        message = f"newsletters are built without sender details: add {'; '.join(missing)} under newsletter:"
        problems.warning(CONFIG_NAME, message, None, "newsletter")
