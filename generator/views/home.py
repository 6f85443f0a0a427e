"""The home page's summary of one language: running campaigns, next launches, the latest
newsletter, reviews due and recently changed pages. Computed once per language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model import Document, Playbook
from generator.schema import Campaign
from generator.views.reviews import ReviewDue, reviews_due

LIMIT = 5


@dataclass(frozen=True)
class HomeSummary:
    running: list[Document]
    next_launches: list[Document]
    latest_newsletter: Document | None
    reviews: list[ReviewDue]
    reviews_total: int
    recent: list[tuple[Document, dt.date]]


def home_summary(playbook: Playbook, lang: str, limit: int = LIMIT) -> HomeSummary:
    today = playbook.build_date
    campaigns = playbook.campaigns(lang)
    status = {doc: doc.meta.status_on(today) for doc in campaigns if isinstance(doc.meta, Campaign)}
    sent = [doc for doc in playbook.newsletters(lang) if (doc.meta.date or today) <= today]  # type: ignore[attr-defined]
    due = reviews_due(playbook.in_language(lang), today)
    originals = [doc for doc in playbook.in_language(lang) if doc.fallback_of is None]
    recent = sorted(originals, key=lambda doc: (-doc.changed.timestamp(), doc.title.casefold()))[:limit]
    return HomeSummary(
        running=[doc for doc in campaigns if status[doc] == "running"],
        next_launches=[doc for doc in campaigns if status[doc] == "planned"][:limit],
        latest_newsletter=sent[0] if sent else None,
        reviews=due[:limit],
        reviews_total=len(due),
        recent=[(doc, doc.updated) for doc in recent],
    )
