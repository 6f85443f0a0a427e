"""Reviews due: documents whose `review:` date has passed (by owner) or comes soon, from
the build date; and the overdue list behind `playbook check --stale`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from generator.errors import Problem
from generator.model import Document, Person, Playbook
from generator.schema import Review
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.views import view_page

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


def overdue_by_owner(items: list[ReviewDue], playbook: Playbook) -> list[tuple[Person | None, list[ReviewDue]]]:
    """Overdue reviews grouped by the document's owner (by name; no owner last)."""
    groups: dict[str | None, list[ReviewDue]] = {}
    for item in items:
        if item.state == "overdue":
            groups.setdefault(item.doc.meta.owner, []).append(item)
    owners = [(playbook.person(pid), entries) for pid, entries in groups.items()]
    return sorted(owners, key=lambda group: (group[0] is None, group[0].name.casefold() if group[0] else ""))


def stale_problems(playbook: Playbook) -> list[Problem]:
    """One problem per source file whose review is overdue (translation fallbacks skipped)."""
    originals = [doc for doc in playbook.documents if doc.fallback_of is None]
    return [
        Problem(item.doc.source, item.doc.line_of(("review",)), "review", f"overdue since {item.review.due}")
        for item in reviews_due(originals, playbook.build_date)
        if item.state == "overdue"
    ]


class ReviewsView:
    """`reviews/` in every language."""

    view_link = ViewLink("Reviews due", REVIEWS)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            items = reviews_due(playbook.in_language(lang), playbook.build_date)
            title = site.localizers[lang].gettext("Reviews due")
            yield view_page(
                site,
                lang,
                REVIEWS,
                title,
                "reviews.html",
                overdue=overdue_by_owner(items, playbook),
                soon=[item for item in items if item.state == "soon"],
            )
