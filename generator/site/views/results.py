"""The results dashboard: every objective of every strategy and campaign, with its
progress against the target (the latest follow-up report's figure), its trend and the
change since the previous report, off-track ones first.

Each objective's state comes from `Objective.state`, as on its document's page: a
campaign is judged against the share of its period that has passed (a third of the way
through, a third of the target is on track); a strategy has no period, so its goals are
in progress until reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import get_args

from generator.content.model import Document, FollowUp, History
from generator.content.schema import Objective, ObjectiveState
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.site.views import view_page

RESULTS = "results/"
STATE_ORDER: tuple[ObjectiveState, ...] = get_args(ObjectiveState)  # the order of the table: worst first


@dataclass(frozen=True)
class ObjectiveRow:
    doc: Document
    history: History
    expected: float | None

    @property
    def objective(self) -> Objective:
        """As it stands now: the latest report's figure, else the one written on it."""
        return self.history.objective

    @property
    def state(self) -> ObjectiveState:
        return self.objective.state(self.expected)

    @property
    def sort_key(self) -> tuple[int, float, str]:
        return (STATE_ORDER.index(self.state), self.objective.progress or 0.0, self.doc.title.casefold())


def objective_rows(follow_ups: list[FollowUp], today: dt.date) -> list[ObjectiveRow]:
    """Every objective of the strategies and campaigns given, off-track (worst first) first."""
    rows = [
        ObjectiveRow(follow_up.subject, history, follow_up.subject.meta.elapsed_on(today))
        for follow_up in follow_ups
        for history in follow_up.histories
    ]
    return sorted(rows, key=lambda row: row.sort_key)


def state_counts(rows: list[ObjectiveRow]) -> dict[ObjectiveState, int]:
    counts: dict[ObjectiveState, int] = dict.fromkeys(STATE_ORDER, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


class ResultsView:
    """`results/` in every language."""

    view_link = ViewLink("Results", RESULTS)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            rows = objective_rows(playbook.follow_ups_in(lang), playbook.build_date)
            title = site.localizers[lang].gettext("Results")
            yield view_page(site, lang, RESULTS, title, "results.html", rows=rows, counts=state_counts(rows))
