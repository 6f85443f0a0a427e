"""The files every static site needs besides its pages: theme and content assets, the
404 page, sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.site.context import OutputFile, SiteContext
from generator.urls import absolute


class Assets:
    """Theme assets (fingerprinted) and files that sit beside the Markdown."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        for name, path in site.theme.assets.items():
            yield OutputFile(path, site.theme.asset_bytes[name], f"theme asset {name}")
        for asset in site.playbook.assets:
            yield OutputFile(asset.url, asset.source.read_bytes(), asset.display)


class NotFoundPage:
    """`404.html` at the root. Hosts serve it from any depth, so its links are rooted at the
    site's path (from site_url) through a <base> element instead of being relative."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        config = site.playbook.config
        lang = config.default_lang
        base = urlsplit(config.site_url).path if config.site_url else "/"
        i18n = site.localizers[lang]
        context = site.page(lang, "404.html", i18n.gettext("Page not found"), None, base_href=base)
        yield site.html("404.html", context, "404 page")


class Sitemap:
    """sitemap.xml with absolute URLs when site_url is set, and robots.txt.

    An internal playbook should not be indexed by search engines: robots.txt disallows
    everything and every page carries a noindex meta tag.
    """

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        config = site.playbook.config
        yield OutputFile("robots.txt", b"User-agent: *\nDisallow: /\n", "robots.txt")
        base = config.site_url or ""
        entries = [
            (absolute(base, doc.url) if base else doc.url, doc.updated.isoformat())
            for doc in site.playbook.documents
            if doc.fallback_of is None
        ]
        text = site.theme.render("sitemap.xml", entries=sorted(entries))
        yield OutputFile("sitemap.xml", text.encode("utf-8"), "sitemap.xml")
