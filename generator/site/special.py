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
    """robots.txt, and sitemap.xml when site_url is set (a sitemap needs absolute URLs).

    The sitemap lists every HTML page the other generators made (documents, section pages,
    views, the newsletter archive) except 404 pages and translation fallbacks (whose
    canonical page is the original), so it must run last. A document's lastmod is its
    file's date, a generated page's the build date.

    An internal playbook should not be indexed by search engines: robots.txt disallows
    everything and every page carries a noindex meta tag. A `public` site allows both and
    names its sitemap.
    """

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        config = site.playbook.config
        site_url = config.site_url
        yield OutputFile("robots.txt", robots_txt(config.public, site_url).encode("utf-8"), "robots.txt")
        if site_url:
            text = site.theme.render("sitemap.xml", entries=sitemap_entries(site, site_url))
            yield OutputFile("sitemap.xml", text.encode("utf-8"), "sitemap.xml")


def sitemap_entries(site: SiteContext, site_url: str) -> list[tuple[str, str]]:
    """(location, lastmod) of every page worth listing, sorted."""
    playbook = site.playbook
    documents = {doc.url: doc for doc in playbook.documents}
    entries = set()
    for url in site.page_urls:
        doc = documents.get(url)
        if url.endswith("404.html") or (doc is not None and doc.fallback_of is not None):
            continue
        day = doc.updated if doc is not None else playbook.build_date
        entries.add((absolute(site_url, url), day.isoformat()))
    return sorted(entries)


def robots_txt(public: bool, site_url: str | None) -> str:
    if not public:
        return "User-agent: *\nDisallow: /\n"
    sitemap = f"Sitemap: {site_url}sitemap.xml\n" if site_url else ""
    return f"User-agent: *\nAllow: /\n{sitemap}"
