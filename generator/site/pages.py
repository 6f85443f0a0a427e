"""Document pages and section index pages, one layout per document type (DocType.layout)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.build import depends
from generator.content.model import Document
from generator.site.context import OutputFile, SiteContext
from generator.site.nav import NavNode
from generator.site.views.home import home_summary


class DocumentPages:
    """A page for every document, in every language (translation fallbacks included)."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        for doc in site.playbook.documents:
            if not (doc.is_index and site.is_claimed(doc.lang, doc.url)):
                yield self.render(site, doc)

    @staticmethod
    def render(site: SiteContext, doc: Document) -> OutputFile:
        """A document's page is a function of the document, its body, its follow-up (the
        reports on a strategy or campaign; a report's neighbours) and the site's metadata
        (navigation, translations, people), so it is kept at once when none changed. The home
        page also lists recently edited pages, so it always goes through the full check."""
        template = "home.html" if doc.url == site.playbook.home_url(doc.lang) else doc.doctype.layout
        quick = None
        follow_up = site.playbook.follow_up(doc)
        if template != "home.html":
            kept, quick = site.kept_page(doc.url, template, depends.document_page(site, doc, follow_up), doc.source)
            if kept is not None:
                return kept
        node = site.navigation[doc.lang].node(doc.url)
        context = site.page(
            doc.lang,
            doc.url,
            doc.title,
            doc,
            body=site.body(doc),
            section=node if node is not None and node.is_section else None,
            owner=site.playbook.person(doc.meta.owner),
            follow_up=follow_up,
            **_home(site, doc.lang, template),
        )
        return site.html(template, context, doc.source, quick)


class SectionPages:
    """An index page for every folder that has no index.md of its own, and the home page
    of a language that has none."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        for lang, nav in site.navigation.items():
            for folder, section in nav.sections.items():
                if section.doc is None and not site.is_claimed(lang, section.url):
                    yield self.render(site, lang, folder, section)

    @staticmethod
    def render(site: SiteContext, lang: str, folder: str, section: NavNode) -> OutputFile:
        i18n = site.localizers[lang]
        title = section.title if folder else site.playbook.config.site_name
        template = "section.html" if folder else "home.html"
        source = f"{site.playbook.config.content_dir}/{folder}"
        quick = None
        if folder:
            kept, quick = site.kept_page(section.url, template, depends.section_page(lang, folder), source)
            if kept is not None:
                return kept
        context = site.page(
            lang,
            section.url,
            title or i18n.gettext("Home"),
            None,
            section=section,
            body=None,
            **_home(site, lang, template),
        )
        return site.html(template, context, source, quick)


def _home(site: SiteContext, lang: str, template: str) -> dict[str, object]:
    """The home page's summary (running campaigns, reviews due, ...), only for the home page."""
    return {"home": home_summary(site.playbook, lang)} if template == "home.html" else {}
