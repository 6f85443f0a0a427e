"""The home page's summary of one language: running campaigns, next launches, the latest
newsletter, the latest follow-up reports (with where their objectives stand now), reviews
and follow-up reports due, and recently changed pages. Computed once per language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.content.model import Document, FollowUp, Playbook, report_meta
from generator.content.schema import Campaign, ObjectiveState
from generator.site.views.results import objective_rows, state_counts
from generator.site.views.reviews import NextIssue, ReviewDue, follow_ups_due, next_issue, reviews_due

LIMIT = 5


@dataclass(frozen=True)
class LatestReport:
    """The newest report on a strategy or campaign, and how many of its objectives stand
    where (from the latest figures, as on the results page)."""

    report: Document
    subject: Document
    counts: dict[ObjectiveState, int]


def latest_reports(follow_ups: list[FollowUp], today: dt.date, limit: int) -> list[LatestReport]:
    """The newest report of each strategy or campaign that has one, newest first."""
    reported = sorted(
        (f for f in follow_ups if f.reports),
        key=lambda f: (-report_meta(f.reports[-1]).period.end.toordinal(), f.subject.title.casefold()),
    )
    return [LatestReport(f.reports[-1], f.subject, state_counts(objective_rows([f], today))) for f in reported[:limit]]


@dataclass(frozen=True)
class HomeSummary:
    running: list[Document]
    next_launches: list[Document]
    latest_newsletter: Document | None
    next_issue: NextIssue | None
    reports: list[LatestReport]
    reviews: list[ReviewDue]
    follow_ups: list[ReviewDue]
    reviews_total: int
    recent: list[tuple[Document, dt.date]]


def home_summary(playbook: Playbook, lang: str, limit: int = LIMIT) -> HomeSummary:
    today = playbook.build_date
    campaigns = playbook.campaigns(lang)
    status = {doc: doc.meta.status_on(today) for doc in campaigns if isinstance(doc.meta, Campaign)}
    sent = [doc for doc in playbook.newsletters(lang) if (doc.meta.date or today) <= today]  # type: ignore[attr-defined]
    due = reviews_due(playbook.in_language(lang), today)
    follow_ups = playbook.follow_ups_in(lang)
    reports_due = follow_ups_due(follow_ups, today)
    originals = [doc for doc in playbook.in_language(lang) if doc.fallback_of is None]
    recent = sorted(originals, key=lambda doc: (-doc.changed.timestamp(), doc.title.casefold()))[:limit]
    return HomeSummary(
        running=[doc for doc in campaigns if status[doc] == "running"],
        next_launches=[doc for doc in campaigns if status[doc] == "planned"][:limit],
        latest_newsletter=sent[0] if sent else None,
        next_issue=next_issue(playbook, lang),
        reports=latest_reports(follow_ups, today, limit),
        reviews=due[:limit],
        follow_ups=reports_due[:limit],
        reviews_total=len(due) + len(reports_due),
        recent=[(doc, doc.updated) for doc in recent],
    )
