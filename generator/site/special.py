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
    """`404.html` at the root in the default language, and `<lang>/404.html` for each language
    (for hosts that serve an error page per folder).

    Hosts serve it at the missing page's address, at any depth. With site_url its links are
    rooted at the site's path through a <base> element. Without it the site's path is
    unknown (a "/" would break every link under a sub-path), so its links stay relative to
    its own folder: right for missing pages at that level, under a sub-path too.
    """

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        config = site.playbook.config
        site_path = urlsplit(config.site_url).path if config.site_url else None
        pages = {"": config.default_lang} | {site.playbook.prefixes[lang]: lang for lang in config.language_codes}
        for prefix, lang in pages.items():
            title = site.localizers[lang].gettext("Page not found")
            base_href = site_path + prefix if site_path is not None else None
            context = site.page(lang, f"{prefix}404.html", title, None, base_href=base_href)
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
