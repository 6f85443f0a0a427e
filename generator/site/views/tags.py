"""Tags: an index of every tag with its number of documents, and a page per tag.

Tags that differ only in case or punctuation share one page (their slug); the index is
built once per language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.content.model import Document
from generator.site.context import OutputFile, SiteContext, ViewLink
from generator.site.views import view_page
from generator.urls import tag_url

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
        indexes = {lang: tag_index(playbook.in_language(lang)) for lang in playbook.languages}
        for lang, tags in indexes.items():
            title = site.localizers[lang].gettext("Tags")
            yield view_page(site, lang, TAGS, title, "tags.html", tags=tags)
            for tag in every_tag(indexes, lang):
                yield view_page(site, lang, tag.url_suffix, f"#{tag.name}", "tag.html", tag=tag)


def every_tag(indexes: dict[str, list[Tag]], lang: str) -> list[Tag]:
    """The tags of `lang`, plus an empty page for each tag used only in other languages, so
    that the language switcher of every tag page leads somewhere."""
    tags = {tag.url_suffix: tag for tag in indexes[lang]}
    for other in indexes.values():
        for tag in other:
            tags.setdefault(tag.url_suffix, Tag(tag.url_suffix, tag.spellings))
    return list(tags.values())
