"""What every output is made from: the build cache's rules, in one place.

An output is kept from the last build only when the digest of everything it is made from
is the digest it was made from, and the file is still on disk as written (Published in
output.py). The rest of the code asks this module for those digests; a rule missing here
is a stale page, which the differential tests (tests/test_rebuilds.py) look for.

1. Everything depends on the site salt (`Dependencies.salt`): Playbook's code and the
   versions of Python and of the libraries that shape output (uptodate.code_version), the
   theme's templates, assets and catalogs (Theme.fingerprint), playbook.yml, people.yml,
   the build date, drafts, and the generated views' header links and URLs. Changing any
   of them renders everything again. Page context values that are functions of the salt
   (SALTED_KEYS) are left out of page keys.
2. A source file is read again when its bytes change (their digest decides: reader.py);
   its date is its last commit or its mtime (dates.py); a validated document is kept while
   its reading and playbook.yml are the same (assemble.py).
3. A document's body HTML depends on `BodyKeys` (its text, first line, title, URL,
   language, source, raw_html) and on what its links resolve to. While `link_targets`
   (every document, heading anchor, asset and language prefix) is unchanged, a body with
   an unchanged key is reused; otherwise its recorded links are replayed and it is
   rendered again only if one resolves differently.
4. A Jinja page depends on what its context shows (`Dependencies.page_key`): the body,
   its document's metadata, the sidebar, breadcrumbs, neighbours, language links and
   listings. Documents, navigation nodes, people and settings are reduced once per build
   to a digest (Fingerprints; in `playbook serve` a document, and a long text such as a
   body's HTML, keeps its digest from build to build while it is the same object, as
   rule 2 keeps it: cache.Lasting); a document's date counts by the day it shows, so an edit
   re-renders the pages that list the document only when its "last updated" day changes
   (the home page's "Recently changed", ordered by the exact time, has its order in its
   context). A template that reads the playbook model beyond
   PLAYBOOK_LOCAL (say `playbook.document(...)`) makes its page depend on every
   document's metadata as well (`world`). A context value that cannot be fingerprinted
   makes the page render every time.
5. Some pages follow from a few inputs and the site's metadata (`world`): a document page
   from its document, body and follow-up (its reports), a section page from its language and folder. Their quick
   key (`Dependencies.quick_key` of `document_page` / `section_page`) keeps them without
   building their context.
6. Files that are not Jinja pages are remembered under a name with the digest of their
   inputs (`Dependencies.output_key`): a newsletter issue's files (`newsletter_issue`:
   the issue, its body, its featured documents), a feed (`feed`: its issues and their
   bodies), the campaign calendar (`calendar`: the campaigns, with their exact times,
   which are its DTSTAMPs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup
from pydantic import BaseModel

from generator.build.cache import Lasting, digest
from generator.build.uptodate import code_version, contents_digest
from generator.content.model import Document, Person, Playbook
from generator.i18n import Localizer
from generator.markdown.includes import INCLUDE_MARK
from generator.markdown.snippets import MARKER as SNIPPET_MARK
from generator.markdown.snippets import SnippetSource
from generator.site.nav import NavNode, Sidebar
from generator.site.theme import Theme

if TYPE_CHECKING:
    from collections.abc import Mapping


class BodySource(Protocol):
    """What the input declarations read from the site: a document's rendered body."""

    def body(self, doc: Document) -> Any: ...


PLAYBOOK_LOCAL = frozenset(
    {"config", "people", "person", "prefixes", "home_url", "languages", "build_date", "root", "include_drafts"}
)
"""What a template may read from the playbook without depending on every document."""

SALTED_KEYS = frozenset(
    {"site", "i18n", "theme_assets", "build_date", "home_url", "view_links", "search_translations", "fragments"}
)
"""Context values that are functions of the page's language and the salt (configuration,
theme and catalogs, build date, views), and the build's shared fragments (functions of the
rest of the context): left out of page keys."""

_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, Decimal})
LONG_TEXT = 512
"""Strings longer than this (a body's HTML) are fingerprinted by their digest."""


class Uncacheable(Exception):
    """A page context holds something whose fingerprint we cannot take."""


class Fingerprints:
    """Canonical, hashable pictures of context values. Objects that live through the whole
    build (documents, navigation nodes, settings) are reduced once to a short digest, so a
    page's fingerprint costs in proportion to what the page shows, not to the site.
    Documents and long texts that outlive the build (`playbook serve`) keep their digest
    from build to build in `lasting`."""

    def __init__(self, lasting: Lasting | None = None) -> None:
        self._memo: dict[int, str] = {}
        self._keep: list[object] = []
        self._fields: dict[type, tuple[str, ...]] = {}
        self._lasting = lasting or Lasting()

    def of(self, value: Any) -> Any:
        kind = type(value)
        if kind is str and len(value) > LONG_TEXT:
            return ("T", self._lasting.digest(value, "text", lambda: digest(value)))
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
            if isinstance(value, Document):
                memo = self._lasting.digest(value, "print", lambda: digest(self._object(value)))
            else:
                memo = digest(self._object(value))
            self._memo[id(value)] = memo
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


class Dependencies:
    """The keys of one build: the salt, the world, and the digest of any output's inputs."""

    def __init__(
        self,
        playbook: Playbook,
        theme: Theme,
        view_links: tuple[object, ...],
        claimed: frozenset[str],
        lasting: Lasting | None = None,
    ) -> None:
        self.prints = Fingerprints(lasting)
        self.salt = digest(
            code_version(),
            theme.fingerprint,
            playbook.config.model_dump_json(),
            self.prints.of(playbook.people),
            playbook.build_date,
            playbook.include_drafts,
            self.prints.of(list(view_links)),
            sorted(claimed),
        )
        self.world = world_digest(playbook, self.prints)

    def page_key(self, template: str, context: dict[str, Any]) -> str | None:
        """The digest of what a page shows, or None if the context cannot be fingerprinted."""
        try:
            shown = {name: value for name, value in context.items() if name not in SALTED_KEYS}
            return digest(self.salt, template, self.prints.of(shown))
        except Uncacheable:
            return None

    def quick_key(self, template: str, inputs: tuple[Any, ...]) -> str:
        """The digest of a page that follows from `inputs` and the world (rule 5)."""
        return digest(self.salt, template, self.world, self.prints.of(inputs))

    def output_key(self, name: str, inputs: tuple[Any, ...]) -> str:
        """The digest of a remembered output's inputs (rule 6)."""
        return digest(self.salt, name, self.prints.of(inputs))


def document_page(site: BodySource, doc: Document, follow_up: object) -> tuple[Any, ...]:
    return (doc, site.body(doc).html, follow_up)


def section_page(lang: str, folder: str) -> tuple[Any, ...]:
    return (lang, folder)


def newsletter_issue(
    site: BodySource, doc: Document, featured: list[Document], public: tuple[Any, ...]
) -> tuple[Any, ...]:
    """An issue's files follow from the issue, its body, its featured documents and, for a
    customer issue, the public addresses it may link to."""
    return (doc, site.body(doc).html, featured, public)


def feed(site: BodySource, issues: list[Document]) -> tuple[Any, ...]:
    return tuple((doc, site.body(doc).html) for doc in issues)


def calendar(lang: str, campaigns: list[Document]) -> tuple[Any, ...]:
    return (lang, [(doc, doc.changed) for doc in campaigns])


def includes_files(body: str) -> bool:
    """The body includes snippets or `{!file!}`: files found anywhere in the project, which
    are not declared inputs of the build."""
    return SNIPPET_MARK in body or INCLUDE_MARK in body


def reads_undeclared_files(playbook: Playbook) -> bool:
    """A page includes files (or the settings append one to every page) that the up-to-date
    check does not compare."""
    return bool(playbook.config.markdown.snippets_append) or any(includes_files(d.body) for d in playbook.documents)


class BodyKeys:
    """What a body's HTML depends on besides its links' targets (rule 3: the Markdown rules,
    i.e. the code version, included). `lasting` remembers the key of a document that
    outlives the build."""

    def __init__(self, playbook: Playbook, lasting: Lasting | None = None) -> None:
        markdown = playbook.config.markdown
        appended = SnippetSource(playbook.root, markdown.snippets_base, markdown.snippets_append).appended_text()
        icons = contents_digest([playbook.root / folder for folder in markdown.icon_folders], "*.svg")
        self.settings = (markdown.model_dump_json(), playbook.config.links.model_dump_json(), appended, icons)
        self.includes_snippets = SNIPPET_MARK in appended
        self.lasting = lasting

    def of(self, doc: Document) -> str | None:
        """The key of `doc`'s body (the files appended to every body included); None for a
        body that includes snippets or `{!file!}`: the files it includes are not declared
        inputs, so it is never kept."""
        if self.includes_snippets or includes_files(doc.body):
            return None
        if self.lasting is None:
            return self._key(doc)
        return self.lasting.digest(doc, ("body", self.settings), lambda: self._key(doc))

    def _key(self, doc: Document) -> str:
        fields = (doc.body, doc.body_line, doc.title, self.settings, doc.url, doc.lang, doc.source)
        return digest(code_version(), *fields, doc.fallback_of is None)


def link_targets(playbook: Playbook, anchors: Mapping[str, frozenset[str]]) -> str:
    """Everything a link can resolve against: documents, their anchors, assets, prefixes.
    While it stays the same, every cached body's links resolve as they did."""
    docs = [(d.lang, d.key, d.url, d.source, d.content_lang, d.fallback_of is None) for d in playbook.documents]
    assets = [(a.lang, a.key, a.url) for a in playbook.assets]
    headings = sorted((source, sorted(names)) for source, names in anchors.items())
    return digest(docs, assets, headings, sorted(playbook.prefixes.items()))
