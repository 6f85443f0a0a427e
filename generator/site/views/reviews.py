"""Reviews due: documents whose `review:` date has passed (by owner) or comes soon, from
the build date; strategies and campaigns whose next follow-up report is due (their
`review.every` after the last report); decisions of reports past their due date without
`status: done`; when each language's next newsletter issue is due (its cadence); and the
overdue list behind `playbook check --stale`."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from generator.content.model import Document, FollowUp, Person, PlannedAction, Playbook
from generator.content.schema import DUE_SOON_DAYS, Newsletter, Review
from generator.errors import Problem
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.site.views import view_page

REVIEWS = "reviews/"


@dataclass(frozen=True)
class ReviewDue:
    doc: Document
    review: Review
    state: str


def reviews_due(documents: list[Document], today: dt.date) -> list[ReviewDue]:
    """Documents whose review is overdue or due soon, the longest overdue first."""
    due = [
        ReviewDue(doc, doc.meta.review, doc.meta.review.status_on(today))
        for doc in documents
        if doc.meta.review is not None and doc.meta.review.status_on(today) != "ok"
    ]
    return sorted(due, key=lambda item: (item.review.due, item.doc.title.casefold()))


def follow_ups_due(follow_ups: list[FollowUp], today: dt.date) -> list[ReviewDue]:
    """Strategies and campaigns whose next report is overdue or due soon, longest overdue first."""
    due = [
        ReviewDue(follow_up.subject, follow_up.next_report, follow_up.next_report.status_on(today))
        for follow_up in follow_ups
        if follow_up.next_report is not None and follow_up.next_report.status_on(today) != "ok"
    ]
    return sorted(due, key=lambda item: (item.review.due, item.doc.title.casefold()))


def late_decisions(follow_ups: list[FollowUp], today: dt.date) -> list[PlannedAction]:
    """Decisions of reports whose due date has passed without `status: done`, oldest first."""
    late = [
        planned
        for follow_up in follow_ups
        for planned in follow_up.decisions
        if planned.action.due is not None and planned.action.due < today and planned.action.status != "done"
    ]
    return sorted(late, key=lambda planned: (planned.action.due, planned.action.action.casefold()))


def overdue_by_owner(items: list[ReviewDue], playbook: Playbook) -> list[tuple[Person | None, list[ReviewDue]]]:
    """Overdue reviews grouped by the document's owner (by name; no owner last)."""
    groups: dict[str | None, list[ReviewDue]] = {}
    for item in items:
        if item.state == "overdue":
            groups.setdefault(item.doc.meta.owner, []).append(item)
    owners = [(playbook.person(pid), entries) for pid, entries in groups.items()]
    return sorted(owners, key=lambda group: (group[0] is None, group[0].name.casefold() if group[0] else ""))


@dataclass(frozen=True)
class NextIssue:
    """When a language's next newsletter issue is due: its cadence after the latest dated
    issue written in that language."""

    lang: str
    cadence: str
    latest: Document

    @property
    def due(self) -> dt.date:
        sent = self.latest.meta.date  # type: ignore[attr-defined]
        if self.cadence == "weekly":
            return sent + dt.timedelta(days=7)
        if self.cadence == "fortnightly":
            return sent + dt.timedelta(days=14)
        year, month = (sent.year + 1, 1) if sent.month == 12 else (sent.year, sent.month + 1)
        return sent.replace(year=year, month=month, day=min(sent.day, calendar.monthrange(year, month)[1]))

    def status_on(self, today: dt.date) -> Literal["ok", "soon", "overdue"]:
        if today > self.due:
            return "overdue"
        return "soon" if (self.due - today).days <= DUE_SOON_DAYS else "ok"


def next_issue(playbook: Playbook, lang: str) -> NextIssue | None:
    """The next issue of `lang`'s newsletter, when `newsletter.cadence` sets one for it and
    the language has a dated issue of its own."""
    cadence = playbook.config.newsletter.cadence_for(lang)
    dated = [
        doc
        for doc in playbook.newsletters(lang)
        if doc.fallback_of is None and isinstance(doc.meta, Newsletter) and doc.meta.date is not None
    ]
    if cadence is None or not dated:
        return None
    return NextIssue(lang, cadence, dated[0])


def original_follow_ups(playbook: Playbook) -> list[FollowUp]:
    """The follow-up of every strategy and campaign written in its language (no fallbacks)."""
    every = [follow_up for lang in playbook.languages for follow_up in playbook.follow_ups_in(lang)]
    return [follow_up for follow_up in every if follow_up.subject.fallback_of is None]


def stale_problems(playbook: Playbook) -> list[Problem]:
    """One problem per source file whose review, or next follow-up report, is overdue
    (translation fallbacks skipped), and one per language whose next newsletter issue is
    overdue."""
    originals = [doc for doc in playbook.documents if doc.fallback_of is None]
    today = playbook.build_date
    reviews = [
        Problem(item.doc.source, item.doc.line_of(("review",)), "review", f"overdue since {item.review.due}")
        for item in reviews_due(originals, today)
        if item.state == "overdue"
    ]
    follow_ups = [
        Problem(
            item.doc.source,
            item.doc.line_of(("review",)),
            "review",
            f"follow-up report overdue since {item.review.due} (the last one ended {item.review.last}, "
            f"review every: {item.review.every}); write one with "
            f"`playbook new report --strategy {item.doc.source}`",
        )
        for item in follow_ups_due(original_follow_ups(playbook), today)
        if item.state == "overdue"
    ]
    issues = [issue for lang in playbook.languages if (issue := next_issue(playbook, lang)) is not None]
    newsletters = [_newsletter_overdue(playbook, issue) for issue in issues if issue.status_on(today) == "overdue"]
    return reviews + follow_ups + newsletters


def _newsletter_overdue(playbook: Playbook, issue: NextIssue) -> Problem:
    latest = issue.latest
    name = playbook.config.language_name(issue.lang)
    message = (
        f"the {name} newsletter is overdue: it goes out {issue.cadence}, so the issue after "
        f"{latest.title!r} ({latest.meta.date}) was due on {issue.due}"  # type: ignore[attr-defined]
    )
    return Problem(latest.source, latest.line_of(("date",)), "newsletter", message)


class ReviewsView:
    """`reviews/` in every language."""

    view_link = ViewLink("Reviews due", REVIEWS)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            items = reviews_due(playbook.in_language(lang), playbook.build_date)
            follow_ups = playbook.follow_ups_in(lang)
            title = site.localizers[lang].gettext("Reviews due")
            yield view_page(
                site,
                lang,
                REVIEWS,
                title,
                "reviews.html",
                overdue=overdue_by_owner(items, playbook),
                soon=[item for item in items if item.state == "soon"],
                follow_ups=follow_ups_due(follow_ups, playbook.build_date),
                decisions=late_decisions(follow_ups, playbook.build_date),
                next_issue=next_issue(playbook, lang),
            )
