"""Which generated views have content to show. A view, its header link, its home card and
its files (campaigns.ics) exist only where something feeds them: a handbook without
campaigns gets no campaign pages and no "No campaign is running" card."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Playbook
from generator.content.schema import Campaign, Newsletter


@dataclass(frozen=True)
class Presence:
    campaigns: bool
    newsletters: bool
    people: bool
    tags: bool
    reviews: bool
    results: bool
    share: bool
    """Share buttons on site pages: only where outsiders can open what is shared (`public:
    true`), or as `tracking.share_pages` says."""


def presence(playbook: Playbook) -> Presence:
    docs = playbook.documents
    config = playbook.config
    campaigns = any(isinstance(doc.meta, Campaign) for doc in docs)
    newsletters = any(isinstance(doc.meta, Newsletter) for doc in docs)
    issues_due = newsletters and config.newsletter.cadence is not None
    return Presence(
        campaigns=campaigns,
        newsletters=newsletters,
        people=bool(playbook.people),
        tags=any(doc.meta.tags for doc in docs),
        reviews=issues_due or any(doc.meta.review is not None for doc in docs),
        results=any(getattr(doc.meta, "objectives", None) for doc in docs),
        share=config.shares_pages,
    )
