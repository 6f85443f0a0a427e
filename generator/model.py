"""The model: one validated, read-only picture of the whole playbook.

Documents, people, languages and assets, with the domain questions they answer (a
campaign's status, a review's due date, a document's translations). Every output reads
this model; none changes it. Nothing here reads files or renders templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.schema import Campaign, Newsletter, Page
from generator.yamlsource import KeyPath


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    email: str | None = None
    team: str | None = None


@dataclass(eq=False)
class Document:
    """One page of the playbook in one language.

    A translation fallback (`fallback_of` set) is the default-language document shown under
    another language's URL, with a notice, until someone translates it.
    """

    source: str
    key: str
    lang: str
    meta: Page
    body: str
    body_line: int
    url: str
    mtime: float
    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    fallback_of: Document | None = None
    readme_index: bool = False
    """A README.md that is its folder's page (MkDocs projects)."""

    @property
    def type(self) -> str:
        return self.meta.type

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def updated(self) -> dt.date:
        """The day the source file was last changed (shown as "last updated")."""
        return dt.date.fromtimestamp(self.mtime)

    @property
    def content_lang(self) -> str:
        """The language the text is written in (differs from `lang` for a fallback)."""
        return self.fallback_of.lang if self.fallback_of else self.lang

    @property
    def folder(self) -> str:
        """Language-relative folder of the source, '' at the top."""
        head, _, _ = self.key.rpartition("/")
        return head

    @property
    def is_index(self) -> bool:
        return self.readme_index or self.key.rsplit("/", 1)[-1] == "index.md"

    def line_of(self, path: KeyPath) -> int:
        probe = tuple(path)
        while probe:
            if probe in self.key_lines:
                return self.key_lines[probe]
            probe = probe[:-1]
        return 1

    @property
    def sort_key(self) -> tuple[float, str]:
        order = self.meta.order if self.meta.order is not None else float("inf")
        return (order, self.title.casefold())


@dataclass(frozen=True)
class Asset:
    """A file copied as it is; `url` is its place in the output."""

    source: Path
    display: str
    lang: str
    key: str
    url: str


@dataclass
class Playbook:
    """The whole validated playbook. Built once per build; read by every generator."""

    root: Path
    config: Config
    build_date: dt.date
    people: dict[str, Person]
    documents: list[Document]
    assets: list[Asset]
    prefixes: dict[str, str]
    by_lang: dict[str, dict[str, Document]] = field(default_factory=dict)
    assets_by_lang: dict[str, dict[str, Asset]] = field(default_factory=dict)
    folders_by_lang: dict[str, set[str]] = field(default_factory=dict)
    include_drafts: bool = False

    def __post_init__(self) -> None:
        for doc in self.documents:
            self.by_lang.setdefault(doc.lang, {})[doc.key] = doc
            self.folders_by_lang.setdefault(doc.lang, set()).update(_folder_and_parents(doc.folder))
        for asset in self.assets:
            self.assets_by_lang.setdefault(asset.lang, {})[asset.key] = asset

    @property
    def languages(self) -> list[str]:
        return self.config.language_codes

    def document(self, lang: str, key: str) -> Document | None:
        return self.by_lang.get(lang, {}).get(key)

    def folder_index(self, lang: str, folder: str) -> Document | None:
        """The page of `folder` ('' is the top): its index.md, or a README.md taking its place."""
        base = f"{folder}/" if folder else ""
        found = self.document(lang, base + "index.md") or self.document(lang, base + "README.md")
        return found if found is not None and found.is_index else None

    def has_folder(self, lang: str, folder: str) -> bool:
        """True when some document of `lang` is in `folder` or below it ('' is the top)."""
        return folder in self.folders_by_lang.get(lang, set())

    def in_language(self, lang: str) -> list[Document]:
        return list(self.by_lang.get(lang, {}).values())

    def translations(self, doc: Document) -> dict[str, Document]:
        """The same document in every language that has it (fallbacks included)."""
        found = {}
        for lang in self.languages:
            other = self.document(lang, doc.key)
            if other is not None:
                found[lang] = other
        return found

    def home_url(self, lang: str) -> str:
        return self.prefixes[lang]

    def campaigns(self, lang: str) -> list[Document]:
        docs = [d for d in self.in_language(lang) if isinstance(d.meta, Campaign)]
        return sorted(docs, key=lambda d: (d.meta.start, d.title.casefold()))  # type: ignore[attr-defined]

    def newsletters(self, lang: str) -> list[Document]:
        """Issues newest first."""
        docs = [d for d in self.in_language(lang) if isinstance(d.meta, Newsletter)]
        return sorted(docs, key=_issue_order, reverse=True)

    def person(self, person_id: str | None) -> Person | None:
        return self.people.get(person_id) if person_id else None


def _folder_and_parents(folder: str) -> list[str]:
    """`a/b` -> [`a/b`, `a`, '']."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:end]) for end in range(len(parts), -1, -1)]


def _issue_order(doc: Document) -> tuple[dt.date, int, str]:
    meta = doc.meta
    assert isinstance(meta, Newsletter)
    return (meta.date or dt.date.min, meta.issue or 0, doc.key)
