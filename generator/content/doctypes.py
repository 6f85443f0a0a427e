"""The document types: each is declared here once, with everything the rest of Playbook
reads about it. Validation picks the schema, the site the layout, `playbook new` the
archetype and folder, the theme the label, and the generated views the types they list.

Adding a type: its schema model (in `schema.py`), one entry in TYPES, and in the theme a
layout `templates/<name>.html` and an archetype `archetypes/<name>.md`.
tests/test_doctypes.py fails while one of them is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.content.schema import Campaign, Guideline, Newsletter, Page, Report, Strategy
from generator.msgids import Msgid, pgettext_noop

View = Literal["campaigns", "newsletters", "results"]
"""Generated views that list documents by type: the campaigns view (with its calendar and
the home page's running and next campaigns), the newsletter archive (with its feeds,
e-mails and the home page's latest issue) and the results of every objective (the types
whose objectives follow-up reports measure)."""


@dataclass(frozen=True)
class DocType:
    """One value of `type:` in front matter."""

    name: str
    schema: type[Page]
    label: Msgid
    section: str
    """The folder `playbook new` puts a new document of this type in ('' is the top)."""
    views: tuple[View, ...] = ()

    @property
    def layout(self) -> str:
        """The theme template of a document page of this type."""
        return f"{self.name}.html"

    @property
    def archetype(self) -> str:
        """The theme file a new document of this type starts from."""
        return f"{self.name}.md"


TYPES: tuple[DocType, ...] = (
    DocType("page", Page, pgettext_noop("document type", "Page"), ""),
    DocType("strategy", Strategy, pgettext_noop("document type", "Strategy"), "strategy", ("results",)),
    DocType("guideline", Guideline, pgettext_noop("document type", "Guideline"), "guidelines"),
    DocType("campaign", Campaign, pgettext_noop("document type", "Campaign"), "campaigns", ("campaigns", "results")),
    DocType("newsletter", Newsletter, pgettext_noop("document type", "Newsletter"), "newsletters", ("newsletters",)),
    DocType("report", Report, pgettext_noop("document type", "Report"), "reports"),
)
BY_NAME: dict[str, DocType] = {doctype.name: doctype for doctype in TYPES}
NAMES: tuple[str, ...] = tuple(BY_NAME)
ALL_KEYS = frozenset(key for doctype in TYPES for key in doctype.schema.model_fields)
"""Every front-matter key some type has: a key of another type is "not used", not unknown."""


def listed_in(view: View) -> frozenset[str]:
    """The names of the types that `view` lists."""
    return frozenset(doctype.name for doctype in TYPES if view in doctype.views)
