"""Which generated views have content to show. A view, its header link, its home card and
its files (campaigns.ics) exist only where something feeds them: a handbook without
campaigns gets no campaign pages and no "No campaign is running" card."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Playbook
from generator.schema import Campaign, Newsletter


@dataclass(frozen=True)
class Presence:
    campaigns: bool
    newsletters: bool
    people: bool
    tags: bool
    reviews: bool
    results: bool

    @property
    def share(self) -> bool:
        """Share buttons belong to the newsletter and campaign work that tags their links."""
        return self.newsletters or self.campaigns


def presence(playbook: Playbook) -> Presence:
    docs = playbook.documents
    return Presence(
        campaigns=any(isinstance(doc.meta, Campaign) for doc in docs),
        newsletters=any(isinstance(doc.meta, Newsletter) for doc in docs),
        people=bool(playbook.people),
        tags=any(doc.meta.tags for doc in docs),
        reviews=any(doc.meta.review is not None for doc in docs),
        results=any(getattr(doc.meta, "objectives", None) for doc in docs),
    )
