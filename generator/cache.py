"""The build cache: what the previous build rendered, kept in `.playbook-cache/`, so that an
unchanged page is neither rendered nor rewritten again.

Two memos, both keyed by digests of everything the output is a function of:
- Markdown bodies, keyed by the source text, the page's URL and language and the settings;
  each entry also records how every link of the body resolved, and is used again only
  if every link still resolves the same way (a renamed or deleted target, a removed
  heading re-renders exactly the pages that link to it).
- Whole pages rendered through `SiteContext.html`, keyed by the template and a fingerprint
  of the page's context (its body, its document's metadata, the sidebar, breadcrumbs,
  language links and listings it shows). A template that reads the playbook model
  directly (say `playbook.document(...)`) makes its page depend on the metadata of every
  document as well. A context holding something that cannot be fingerprinted is simply
  rendered every time.
- Other generated files (a newsletter issue's e-mails, a feed), remembered under a name
  with the digest of what they are made from; reused while that digest and the published
  files stay the same.
Every key is salted with the code version, the theme's fingerprint, the configuration,
people.yml and the build date: changing any of them renders everything again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup
from pydantic import BaseModel

from generator.assemble import DocumentMemo
from generator.errors import Problem
from generator.i18n import Localizer
from generator.markdown.headings import Heading
from generator.markdown.links import Link
from generator.model import Document, Person, Playbook
from generator.nav import NavNode, Sidebar
from generator.reader import RememberedSource
from generator.uptodate import CACHE_FOLDER

CACHE_FILE = "build-cache.pickle"
CACHE_VERSION = 6
PLAYBOOK_LOCAL = frozenset(
    {"config", "people", "person", "prefixes", "home_url", "languages", "build_date", "root", "include_drafts"}
)

_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, Decimal})


class PublishedFile(NamedTuple):
    """A file a generator made, as the next build finds it published."""

    tree: str
    path: str
    source: str
    digest: str


@dataclass(frozen=True)
class BodyEntry:
    key: str
    html: str
    headings: tuple[Heading, ...]
    anchors: frozenset[str]
    links: tuple[Link, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class PageEntry:
    key: str
    digest: str
    world: str | None
    quick: str | None = None
    """For a page whose context follows from a few inputs and the site's metadata: the
    digest of those, which lets the next build keep it without building its context."""


@dataclass(frozen=True)
class MemoEntry:
    key: str
    files: tuple[PublishedFile, ...]
    extra: Any
    """Whatever else the generator needs to replay (problems, short links): picklable."""


@dataclass
class CacheState:
    """What one build leaves for the next (pickled as a whole)."""

    salt: str = ""
    bodies: dict[tuple[str, str], BodyEntry] = field(default_factory=dict)
    link_targets: str = ""
    pages: dict[tuple[str, str], PageEntry] = field(default_factory=dict)
    memos: dict[str, MemoEntry] = field(default_factory=dict)
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[str, RememberedSource] = field(default_factory=dict)
    documents: DocumentMemo = field(default_factory=dict)


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def data_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_state(root: Path) -> CacheState:
    """The previous build's cache, or an empty one if missing, unreadable or outdated."""
    path = root / CACHE_FOLDER / CACHE_FILE
    try:
        with path.open("rb") as handle:
            version, state = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return CacheState()
    return state if version == CACHE_VERSION and isinstance(state, CacheState) else CacheState()


def save_state(root: Path, state: CacheState) -> None:
    """Pickle the cache for the next build. Validated documents stay out: they are for
    `playbook serve`, which keeps its state in memory; on disk they would cost more to
    load than validating the files again does."""
    folder = root / CACHE_FOLDER
    folder.mkdir(exist_ok=True)
    temporary = folder / f"{CACHE_FILE}.tmp"
    with temporary.open("wb") as handle:
        pickle.dump((CACHE_VERSION, replace(state, documents={})), handle, pickle.HIGHEST_PROTOCOL)
    temporary.replace(folder / CACHE_FILE)


class Uncacheable(Exception):
    """A page context holds something whose fingerprint we cannot take."""


class Fingerprints:
    """Canonical, hashable pictures of context values. Objects that live through the whole
    build (documents, navigation nodes, settings) are reduced once to a short digest, so a
    page's fingerprint costs in proportion to what the page shows, not to the site."""

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}
        self._keep: list[object] = []
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is tuple or kind is list:
            return tuple([self.of(v) for v in value])
        if isinstance(value, dict):
            return tuple(sorted((str(k), self.of(v)) for k, v in value.items()))
        if isinstance(value, _LONG_LIVED):
            return self._shared(value)
        if isinstance(value, Markup):
            return ("M", str(value))
        if isinstance(value, str | int | float | Decimal | dt.date):
            return value
        if isinstance(value, set | frozenset):
            return tuple(sorted((self.of(v) for v in value), key=repr))
        if is_dataclass(value) and not isinstance(value, type):
            names = self._fields.get(kind)
            if names is None:
                names = self._fields[kind] = tuple(f.name for f in fields(value))
            return (kind.__name__, *[self.of(getattr(value, name)) for name in names])
        raise Uncacheable(kind.__name__)

    def _shared(self, value: Any) -> str:
        memo = self._memo.get(id(value))
        if memo is None:
            memo = self._memo[id(value)] = digest(self._object(value))
            self._keep.append(value)
        return memo

    def _object(self, value: Any) -> Any:
        if isinstance(value, Playbook | WatchedPlaybook):
            return "playbook"
        if isinstance(value, Document):
            fallback = value.fallback_of.source if value.fallback_of else None
            return ("D", value.source, value.lang, value.url, value.updated, self.of(value.meta), fallback)
        if isinstance(value, NavNode):
            return ("N", value.title, value.url, value.folder, self.of(value.doc), value.order, self.of(value.children))
        if isinstance(value, Sidebar):
            return ("S", tuple([self.of(entry) for entry in value]))
        if isinstance(value, Localizer):
            return ("L", value.lang)
        if isinstance(value, Person):
            return ("P", value.id, value.name, value.role, value.email, value.team)
        return (type(value).__name__, value.model_dump_json())


class WatchedPlaybook:
    """The playbook as a template sees it: notes when the template reads more than people
    and settings (its page then depends on every document's metadata)."""

    def __init__(self, playbook: Playbook) -> None:
        object.__setattr__(self, "_playbook", playbook)
        object.__setattr__(self, "touched", False)

    def __getattr__(self, name: str) -> Any:
        if name not in PLAYBOOK_LOCAL:
            object.__setattr__(self, "touched", True)
        return getattr(self._playbook, name)


def world_digest(playbook: Playbook, prints: Fingerprints) -> str:
    """The metadata of every document and asset: what a template may read from the model."""
    docs = [prints.of(doc) for doc in playbook.documents]
    assets = [(a.display, a.url) for a in playbook.assets]
    return digest(docs, assets)


_LONG_LIVED = (Document, NavNode, Sidebar, BaseModel, Localizer, Person, Playbook, WatchedPlaybook)
