"""The newsletter archive on the site: `newsletters/` lists every issue newest first, and
`newsletters/feed.xml` is an Atom feed of them, in each language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from generator.model import Document
from generator.newsletter.emails import absolute_body
from generator.schema import Newsletter
from generator.site.context import OutputFile, SiteContext
from generator.urls import absolute
from generator.views.reviews import next_issue

ARCHIVE = "newsletters/"
FEED = "newsletters/feed.xml"


@dataclass(frozen=True)
class FeedEntry:
    doc: Document
    url: str
    updated: str
    content: str


class NewsletterArchive:
    """Archive page and Atom feed per language (only where that language has issues)."""

    claims = (ARCHIVE,)

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        for lang in site.playbook.languages:
            issues = site.playbook.newsletters(lang)
            if issues:
                yield self.archive(site, lang, issues)
                if site.playbook.config.site_url:
                    yield from self.feed_file(site, lang, [d for d in issues if d.fallback_of is None])

    @staticmethod
    def archive(site: SiteContext, lang: str, issues: list[Document]) -> OutputFile:
        prefix = site.playbook.prefixes[lang]
        url = prefix + ARCHIVE
        index = next((d for d in site.playbook.in_language(lang) if d.is_index and d.url == url), None)
        node = site.navigation[lang].node(url)
        title = index.title if index else (node.title if node else site.localizers[lang].gettext("Newsletters"))
        context = site.page(
            lang,
            url,
            title,
            index,
            issues=issues,
            body=site.body(index) if index else None,
            feed_url=prefix + FEED,
            next_issue=next_issue(site.playbook, lang),
        )
        return site.html("newsletter_archive.html", context, index.source if index else f"{lang} newsletter archive")

    @classmethod
    def feed_file(cls, site: SiteContext, lang: str, issues: list[Document]) -> list[OutputFile]:
        """The feed, kept from the last build when no issue (metadata or body) changed."""

        def make() -> tuple[list[OutputFile], None]:
            return [cls.feed(site, lang, issues)], None

        inputs = tuple((doc, site.body(doc).html) for doc in issues)
        return site.remembered(f"feed:{lang}", inputs, make).files

    @staticmethod
    def feed(site: SiteContext, lang: str, issues: list[Document]) -> OutputFile:
        playbook = site.playbook
        site_url = playbook.config.site_url
        assert site_url is not None
        entries = [
            FeedEntry(doc, absolute(site_url, doc.url), _updated(doc), absolute_body(site, doc).html)
            for doc in issues
        ]
        prefix = playbook.prefixes[lang]
        text = site.theme.render(
            "newsletter_feed.xml",
            site=playbook.config,
            lang=lang,
            i18n=site.localizers[lang],
            entries=entries,
            feed_url=absolute(site_url, prefix + FEED),
            archive_url=absolute(site_url, prefix + ARCHIVE),
            updated=max((e.updated for e in entries), default=f"{playbook.build_date.isoformat()}T00:00:00Z"),
        )
        return OutputFile(prefix + FEED, text.encode("utf-8"), f"{lang} newsletter feed")


def _updated(doc: Document) -> str:
    meta = doc.meta
    day = meta.date if isinstance(meta, Newsletter) and meta.date else dt.date.fromtimestamp(doc.mtime)
    return f"{day.isoformat()}T00:00:00Z"
