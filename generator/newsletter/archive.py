"""The newsletter archives: on the site, `newsletters/` lists every issue newest first with
`newsletters/feed.xml`, an Atom feed, in each language; on the public host (`public/`), an
index and a feed of the customer issues per language, indexable, without internal navigation.
(The public web versions themselves come from the newsletter generator.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.build import depends
from generator.content.model import Document
from generator.content.schema import Newsletter
from generator.newsletter.emails import absolute_body, public_inputs
from generator.newsletter.issue import is_public, public_web_url
from generator.site.context import OutputFile, SiteContext
from generator.site.views.reviews import next_issue
from generator.urls import absolute

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

        inputs = depends.feed(site, issues)
        return site.remembered(f"feed:{lang}", inputs, make).files

    @staticmethod
    def feed(site: SiteContext, lang: str, issues: list[Document]) -> OutputFile:
        playbook = site.playbook
        site_url = playbook.config.site_url
        assert site_url is not None
        entries = [
            FeedEntry(doc, absolute(site_url, doc.url), _updated(doc), absolute_body(site, doc)) for doc in issues
        ]
        prefix = playbook.prefixes[lang]
        text = site.theme.render(
            "newsletter_feed.xml",
            site=playbook.config,
            brand=playbook.config.site_name,
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
    day = meta.date if isinstance(meta, Newsletter) and meta.date else doc.updated
    return f"{day.isoformat()}T00:00:00Z"


PUBLIC_FEED = "feed.xml"
PUBLIC_ROBOTS = "User-agent: *\nAllow: /\nDisallow: /go/\n"


class PublicArchive:
    """The public host's index page and Atom feed per language (customer issues only), and a
    `robots.txt` that lets search engines in."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        config = site.playbook.config
        if config.newsletter.public_url is None or config.site_url is None:
            return
        published = False
        for lang in site.playbook.languages:
            issues = [d for d in site.playbook.newsletters(lang) if d.fallback_of is None and is_public(d, config)]
            if issues:
                published = True
                yield from self.language_files(site, lang, issues)
        if published:
            yield OutputFile("robots.txt", PUBLIC_ROBOTS.encode("utf-8"), "public archive", tree="public")

    @staticmethod
    def language_files(site: SiteContext, lang: str, issues: list[Document]) -> list[OutputFile]:
        """`index.html` and `feed.xml` of one language, kept while no issue changed."""

        def make() -> tuple[list[OutputFile], None]:
            return PublicArchive.index(site, lang, issues), None

        inputs = (tuple((doc, site.body(doc).html) for doc in issues), public_inputs(site))
        return site.remembered(f"public:{lang}", inputs, make)[0]

    @staticmethod
    def index(site: SiteContext, lang: str, issues: list[Document]) -> list[OutputFile]:
        config = site.playbook.config
        settings = config.newsletter
        assert settings.public_url is not None
        prefix = "" if lang == config.default_lang else f"{lang}/"
        archive_url = absolute(settings.public_url, prefix)
        i18n = site.localizers[lang]
        entries = [
            FeedEntry(doc, public_web_url(doc, config), _updated(doc), absolute_body(site, doc, public=True))
            for doc in issues
        ]
        brand = settings.from_name or settings.organisation or config.site_name
        common = {"site": config, "lang": lang, "i18n": i18n, "entries": entries, "brand": brand}
        feed_url = archive_url + PUBLIC_FEED
        page = site.theme.render(
            "public/archive.html", **common, dir=i18n.direction, archive_url=archive_url, feed_url=feed_url
        )
        feed = site.theme.render(
            "newsletter_feed.xml",
            **common,
            feed_url=feed_url,
            archive_url=archive_url,
            updated=max(e.updated for e in entries),
        )
        return [
            OutputFile(f"{prefix}index.html", page.encode("utf-8"), f"{lang} public archive", tree="public"),
            OutputFile(prefix + PUBLIC_FEED, feed.encode("utf-8"), f"{lang} public feed", tree="public"),
        ]
