"""Tags: an index of every tag with its number of documents, and a page per tag.

Tags that differ only in case or punctuation share one page (their slug); the index is
built once per language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.model import Document
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.urls import tag_url
from generator.views import view_page

TAGS = "tags/"


@dataclass
class Tag:
    url_suffix: str
    spellings: Counter[str] = field(default_factory=Counter)
    documents: list[Document] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The most used spelling (alphabetically first on a tie)."""
        return min(self.spellings, key=lambda s: (-self.spellings[s], s))


def tag_index(documents: list[Document]) -> list[Tag]:
    """Every tag of `documents`, alphabetically, each with its documents by title."""
    tags: dict[str, Tag] = {}
    for doc in sorted(documents, key=lambda d: d.title.casefold()):
        for spelling in dict.fromkeys(doc.meta.tags):
            suffix = tag_url("", spelling)
            tag = tags.setdefault(suffix, Tag(suffix))
            tag.spellings[spelling] += 1
            if not tag.documents or tag.documents[-1] is not doc:
                tag.documents.append(doc)
    return sorted(tags.values(), key=lambda t: t.name.casefold())


class TagsView:
    """`tags/` and `tags/<slug>/` in every language."""

    view_link = ViewLink("Tags", TAGS)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        for lang in playbook.languages:
            tags = tag_index(playbook.in_language(lang))
            title = site.localizers[lang].gettext("Tags")
            yield view_page(site, lang, TAGS, title, "tags.html", tags=tags)
            for tag in tags:
                yield view_page(site, lang, tag.url_suffix, f"#{tag.name}", "tag.html", tag=tag)
