"""The model: one validated, read-only picture of the whole playbook.

Documents, people, languages and assets, and the follow-up of strategies and campaigns
(their reports and their objectives' history, linked by `followup.py`), with the domain
questions they answer (a campaign's status, a review's due date, a document's translations). Every output reads
this model; none changes it. Nothing here reads files or renders templates.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from generator.config.settings import Config
from generator.content.doctypes import BY_NAME, DocType, View, listed_in
from generator.content.schema import (
    Action,
    Campaign,
    Newsletter,
    Objective,
    ObjectiveState,
    Page,
    Report,
    Review,
    Strategy,
)
from generator.content.yamlsource import KeyPath


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
    changed: dt.datetime
    """When the source last changed (its last commit, else its file), in the site's time zone."""
    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    fallback_of: Document | None = None
    readme_index: bool = False
    """A README.md that is its folder's page (MkDocs projects)."""

    @property
    def type(self) -> str:
        return self.meta.type

    @property
    def doctype(self) -> DocType:
        return BY_NAME[self.meta.type]

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def updated(self) -> dt.date:
        """The day the source last changed, in the site's time zone (shown as "last updated")."""
        return self.changed.date()

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


class ContentPath(NamedTuple):
    """A place in the content: a language and a path inside that language's folder."""

    lang: str
    key: str


class FeaturedTarget(NamedTuple):
    """What a `featured:` path names: the document, or where it was looked for (None when
    the path leads out of the content folder)."""

    document: Document | None
    looked_for: ContentPath | None


@dataclass(frozen=True)
class Asset:
    """A file copied as it is; `url` is its place in the output."""

    source: Path
    display: str
    lang: str
    key: str
    url: str


@dataclass(frozen=True)
class Change:
    """How a figure moved since the one before it; `relative` is None from zero."""

    absolute: float
    relative: float | None


@dataclass(frozen=True)
class Point:
    """One report's figure for one objective, and where the objective stood then."""

    report: Document
    objective: Objective
    """The objective as it was measured by this report (`actual` is the figure)."""
    change: Change | None
    """Since the previous report (the first report: since the objective's own `actual`)."""
    state: ObjectiveState

    @property
    def value(self) -> float:
        assert self.objective.actual is not None
        return self.objective.actual

    @property
    def day(self) -> dt.date:
        return report_meta(self.report).period.end


@dataclass(frozen=True)
class History:
    """One objective of a strategy or campaign through its reports, oldest first."""

    objective: Objective
    """As it stands now: the latest report's figure, else the `actual` written on it."""
    start: float | None
    points: tuple[Point, ...]

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> Change | None:
        return self.points[-1].change if self.points else None

    @property
    def trend(self) -> tuple[Point, ...]:
        """The last three points (the results view's trend column)."""
        return self.points[-3:]


@dataclass(frozen=True)
class PlannedAction:
    """An action of a strategy's list: written on the strategy, or decided in `report`."""

    action: Action
    report: Document | None = None


@dataclass(frozen=True)
class ReportLine:
    """A report's measurement of one objective."""

    history: History
    point: Point


@dataclass(frozen=True)
class FollowUp:
    """A strategy or campaign and its reports, oldest first."""

    subject: Document
    reports: tuple[Document, ...]
    histories: tuple[History, ...]

    @property
    def objectives(self) -> list[Objective]:
        return [history.objective for history in self.histories]

    @property
    def actions(self) -> list[PlannedAction]:
        """The strategy's own actions, then the decisions of its reports."""
        own = self.subject.meta.actions if isinstance(self.subject.meta, Strategy) else []
        return [PlannedAction(a) for a in own] + self.decisions

    @property
    def decisions(self) -> list[PlannedAction]:
        return [PlannedAction(a, report) for report in self.reports for a in report_meta(report).decisions]

    @property
    def next_report(self) -> Review | None:
        """When the next report is due: the subject's `review.every` after the last report's
        period (None without a cadence or before the first report)."""
        review = self.subject.meta.review
        if review is None or not self.reports:
            return None
        return Review(every=review.every, last=report_meta(self.reports[-1]).period.end)

    def lines(self, report: Document) -> list[ReportLine]:
        """What `report` measured, in the order of the objectives."""
        return [
            ReportLine(history, point)
            for history in self.histories
            for point in history.points
            if point.report is report
        ]

    def previous(self, report: Document) -> Document | None:
        index = self.reports.index(report)
        return self.reports[index - 1] if index else None

    def next(self, report: Document) -> Document | None:
        index = self.reports.index(report)
        return self.reports[index + 1] if index + 1 < len(self.reports) else None


def report_meta(doc: Document) -> Report:
    assert isinstance(doc.meta, Report)
    return doc.meta


def objectives_of(doc: Document) -> list[Objective]:
    assert isinstance(doc.meta, Strategy | Campaign)
    return doc.meta.objectives


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
    follow_ups: dict[tuple[str, str], FollowUp] = field(default_factory=dict)
    """(lang, key) of every strategy and campaign, and of every report, -> its follow-up."""

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

    def listed_in(self, view: View, lang: str) -> list[Document]:
        """The documents of `lang` whose type `view` lists (see generator.content.doctypes)."""
        types = listed_in(view)
        return [d for d in self.in_language(lang) if d.type in types]

    def campaigns(self, lang: str) -> list[Document]:
        docs = self.listed_in("campaigns", lang)
        return sorted(docs, key=lambda d: (d.meta.start, d.title.casefold()))  # type: ignore[attr-defined]

    def newsletters(self, lang: str) -> list[Document]:
        """Issues newest first."""
        return sorted(self.listed_in("newsletters", lang), key=_issue_order, reverse=True)

    def follow_up(self, doc: Document) -> FollowUp | None:
        """The reports on a strategy or campaign (for a report: on the one it follows up)."""
        return self.follow_ups.get((doc.lang, doc.key))

    def follow_ups_in(self, lang: str) -> list[FollowUp]:
        """Every strategy's and campaign's follow-up in `lang`, by title."""
        found = {id(f): f for (code, _), f in self.follow_ups.items() if code == lang}
        return sorted(found.values(), key=lambda f: (f.subject.title.casefold(), f.subject.key))

    def person(self, person_id: str | None) -> Person | None:
        return self.people.get(person_id) if person_id else None

    def content_path(self, doc: Document, path: str) -> ContentPath | None:
        """Where `path`, written in `doc`, leads: relative to the file, or from the language
        folder when it starts with `/`. A relative path may enter another language's folder
        (`../../en/strategy/plan.md`). None: it climbs out of the content folder."""
        if path.startswith("/"):
            key = _inside(path.lstrip("/"))
            return None if key is None else ContentPath(doc.lang, key)
        source = doc.source.removeprefix(f"{self.config.content_dir}/")
        key = _inside(posixpath.join(posixpath.dirname(source), path))
        if key is None:
            return None
        lang, key = self._language_of(key)
        own_lang, _ = self._language_of(source)
        return ContentPath(doc.lang if lang == own_lang else lang, key)

    def _language_of(self, rel: str) -> tuple[str, str]:
        """(language, path inside its folder) of a content-relative path; a language's own
        folder (`bg`) is that language's top."""
        head, _, rest = rel.partition("/")
        if head in self.config.language_codes and (rest or rel == head):
            return head, rest
        return self.config.default_lang, rel

    def featured_target(self, doc: Document, path: str) -> FeaturedTarget:
        """A `featured:` path is resolved like a Markdown link, `.md` optional; a path not
        found beside the newsletter is also looked up from the language folder."""
        first = self.content_path(doc, path)
        if first is None:
            return FeaturedTarget(None, None)
        places = [first]
        if not path.startswith(("/", ".")):
            places.append(ContentPath(doc.lang, _inside(path) or ""))
        for place in places:
            for key in (place.key, f"{place.key}.md", f"{place.key}/index.md".lstrip("/")):
                found = self.document(place.lang, key)
                if found is not None:
                    return FeaturedTarget(found, place)
        return FeaturedTarget(None, first)

    def featured(self, doc: Document) -> list[Document]:
        """The documents a newsletter's `featured:` names, in its order (missing ones left out)."""
        paths = doc.meta.featured if isinstance(doc.meta, Newsletter) else []
        found = (self.featured_target(doc, path).document for path in paths)
        return [item for item in found if item is not None]


def _inside(path: str) -> str | None:
    """`path` normalised ('' for the top), or None when it leads above the top."""
    key = posixpath.normpath(path) if path else "."
    if key.startswith(".."):
        return None
    return "" if key == "." else key


def _folder_and_parents(folder: str) -> list[str]:
    """`a/b` -> [`a/b`, `a`, '']."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:end]) for end in range(len(parts), -1, -1)]


def _issue_order(doc: Document) -> tuple[dt.date, int, str]:
    meta = doc.meta
    return (meta.date or dt.date.min, meta.issue or 0, doc.key)  # type: ignore[attr-defined]
