"""Follow-up: the reports on each strategy and campaign, and the history of its objectives.

Links every `report` to the document it follows up (its `strategy:` path, resolved like a
Markdown link from the report's file), matches its measurements to objectives (by id or
goal) and answers what pages and views show: an objective's current actual (the latest
report's), its points and changes, the decisions taken, when the next report is due.
Pure: nothing here reads files or renders templates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
from dataclasses import dataclass

from generator.content.doctypes import listed_in
from generator.content.model import Change, Document, FollowUp, History, Point, objectives_of, report_meta
from generator.content.problems import field_name, is_salvaged
from generator.content.schema import Campaign, Objective, Report, Strategy
from generator.errors import Problems

Key = tuple[str, str]
"""(language, language-relative path) of a document."""


def change_between(previous: float | None, value: float) -> Change | None:
    if previous is None:
        return None
    return Change(value - previous, (value - previous) / abs(previous) if previous else None)


@dataclass(frozen=True)
class LinkedReport:
    """A report and its figures by objective index (of its subject's objectives)."""

    doc: Document
    subject: Document
    figures: dict[int, float]

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        period = report_meta(self.doc).period
        return (period.end, period.start, self.doc.key)


def link_reports(documents: list[Document], problems: Problems) -> dict[Key, FollowUp]:
    """The follow-up of every strategy and campaign, under its key and its reports' keys.
    Reports that point nowhere or name unknown objectives are errors (of the original file
    only: a translation fallback repeats its original)."""
    index = {(doc.lang, doc.key): doc for doc in documents}
    followed = listed_in("results")
    linked: dict[Key, list[LinkedReport]] = {
        key: [] for key, doc in index.items() if doc.type in followed and not is_salvaged(doc.meta)
    }
    for doc in documents:
        if isinstance(doc.meta, Report) and not is_salvaged(doc.meta):
            found = link_report(doc, index, problems if doc.fallback_of is None else Problems())
            if found is not None and (doc.lang, found.subject.key) in linked:
                linked[(doc.lang, found.subject.key)].append(found)
    follow_ups: dict[Key, FollowUp] = {}
    for key, reports in linked.items():
        follow_up = follow_up_of(index[key], sorted(reports, key=lambda r: r.order))
        follow_ups[key] = follow_up
        follow_ups.update({(doc.lang, doc.key): follow_up for doc in follow_up.reports})
    return follow_ups


def subject_key(folder: str, path: str) -> str | None:
    """The content key `path` points at from a file in `folder`; None outside the content."""
    base = "" if path.startswith("/") else folder
    key = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return None if key.startswith("..") or key == "." else key


def link_report(doc: Document, index: dict[Key, Document], problems: Problems) -> LinkedReport | None:
    meta = report_meta(doc)
    line = doc.line_of(("strategy",))
    key = subject_key(doc.folder, meta.strategy)
    if key is None:
        problems.error(doc.source, f"{meta.strategy!r} points outside the content folder", line, "strategy")
        return None
    subject = index.get((doc.lang, key))
    if subject is None:
        problems.error(
            doc.source, f"no document {key!r} in language {doc.lang!r} (from {meta.strategy!r})", line, "strategy"
        )
        return None
    if not isinstance(subject.meta, Strategy | Campaign):
        problems.error(
            doc.source,
            f"{subject.source} is a {subject.type}; a report follows up a strategy or a campaign",
            line,
            "strategy",
        )
        return None
    named = index.get((doc.content_lang, key), subject)
    return LinkedReport(doc, subject, figures(doc, named, len(objectives_of(subject)), problems))


def figures(doc: Document, named: Document, count: int, problems: Problems) -> dict[int, float]:
    """Objective index -> figure. Names are matched against `named` (the subject in the
    language the report is written in); a translation lacking the objective skips it."""
    objectives = objectives_of(named)
    found: dict[int, float] = {}
    for number, measurement in enumerate(report_meta(doc).measurements):
        path = ("measurements", number, "objective")
        line, name = doc.line_of(path), field_name(path)
        position = objective_index(objectives, measurement.objective)
        if position is None:
            problems.error(doc.source, unknown_objective(measurement.objective, named), line, name)
        elif position in found:
            problems.error(doc.source, "this objective is measured twice in the report", line, name)
        elif position < count:
            found[position] = measurement.actual
    return found


def objective_index(objectives: list[Objective], name: str) -> int | None:
    for position, objective in enumerate(objectives):
        if name in objective.names():
            return position
    return None


def unknown_objective(name: str, subject: Document) -> str:
    names = [n for objective in objectives_of(subject) for n in objective.names()]
    if not names:
        return f"no objective {name!r}: {subject.source} has no objectives"
    guess = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f"did you mean {guess[0]!r}?" if guess else f"its objectives: {', '.join(map(repr, names))}"
    return f"no objective {name!r} in {subject.source}; {hint}"


def follow_up_of(subject: Document, reports: list[LinkedReport]) -> FollowUp:
    objectives = enumerate(objectives_of(subject))
    histories = tuple(history(subject, position, objective, reports) for position, objective in objectives)
    return FollowUp(subject, tuple(r.doc for r in reports), histories)


def history(subject: Document, position: int, objective: Objective, reports: list[LinkedReport]) -> History:
    points: list[Point] = []
    previous = objective.actual
    for report in reports:
        value = report.figures.get(position)
        if value is None:
            continue
        then = objective.measured(value)
        expected = subject.meta.elapsed_on(report_meta(report.doc).period.end)
        points.append(Point(report.doc, then, change_between(previous, value), then.state(expected)))
        previous = value
    current = points[-1].objective if points else objective
    return History(current, objective.actual, tuple(points))
