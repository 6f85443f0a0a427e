"""The results dashboard: every objective of every strategy and campaign, with its
progress against the target, off-track ones first.

A running campaign is judged against the share of its period that has passed (a third of
the way through, a third of the target is on track); strategies, ended campaigns and
planned ones against their whole target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from generator.model import Document
from generator.schema import Campaign, Objective, Strategy
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.views import view_page

RESULTS = "results/"
State = Literal["off-track", "on-track", "not-measured"]
STATE_ORDER: dict[State, int] = {"off-track": 0, "on-track": 1, "not-measured": 2}


def expected_share(doc: Document, today: dt.date) -> float:
    """How much of the target should be reached by `today`."""
    meta = doc.meta
    if not isinstance(meta, Campaign) or today >= meta.end:
        return 1.0
    if today < meta.start:
        return 0.0
    return ((today - meta.start).days + 1) / ((meta.end - meta.start).days + 1)


@dataclass(frozen=True)
class ObjectiveRow:
    doc: Document
    objective: Objective
    expected: float

    @property
    def state(self) -> State:
        on_track = self.objective.on_track(self.expected)
        if on_track is None:
            return "not-measured"
        return "on-track" if on_track else "off-track"

    @property
    def bar_share(self) -> float:
        """The filled part of the progress bar, 0-100."""
        return min(self.objective.progress or 0.0, 1.0) * 100

    @property
    def sort_key(self) -> tuple[int, float, str]:
        return (STATE_ORDER[self.state], self.objective.progress or 0.0, self.doc.title.casefold())


def objective_rows(documents: list[Document], today: dt.date) -> list[ObjectiveRow]:
    """Every objective of the strategies and campaigns given, off-track (worst first) first."""
    rows = [
        ObjectiveRow(doc, objective, expected_share(doc, today))
        for doc in documents
        if isinstance(doc.meta, Strategy | Campaign)
        for objective in doc.meta.objectives
    ]
    return sorted(rows, key=lambda row: row.sort_key)


def state_counts(rows: list[ObjectiveRow]) -> dict[State, int]:
    counts: dict[State, int] = dict.fromkeys(STATE_ORDER, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


class ResultsView:
    """`results/` in every language."""

    view_link = ViewLink("Results", RESULTS)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            rows = objective_rows(playbook.in_language(lang), playbook.build_date)
            title = site.localizers[lang].gettext("Results")
            yield view_page(site, lang, RESULTS, title, "results.html", rows=rows, counts=state_counts(rows))
