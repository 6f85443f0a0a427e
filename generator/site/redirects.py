"""Redirect pages for moved pages (`redirects:`, mkdocs-redirects' `redirect_maps`): the old
address gets a small page that sends the browser on, keeping the #fragment."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.site.context import OutputFile, SiteContext
from generator.urls import href, is_external, output_path


class RedirectPages:
    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        playbook = site.playbook
        config = playbook.config
        lang = config.default_lang
        prefix = playbook.prefixes[lang]
        i18n = site.localizers[lang]
        for old, new in sorted(config.redirects.items()):
            old_url = config.url_scheme.document(posixpath.normpath(old.lstrip("/")), None, prefix)
            target = self._target(site, lang, old_url, new)
            if target is None:
                settings_file = "mkdocs.yml" if config.url_style == "mkdocs" else "playbook.yml"
                message = f"{old!r} leads to {new!r}, which is not a page"
                site.problems.warning(settings_file, message, None, "redirects")
                continue
            page = site.theme.render("redirect.html", lang=lang, i18n=i18n, target=target)
            yield OutputFile(output_path(old_url), page.encode("utf-8"), f"redirect {old}")

    @staticmethod
    def _target(site: SiteContext, lang: str, old_url: str, new: str) -> str | None:
        if is_external(new):
            return new
        parts = urlsplit(new)
        doc = site.playbook.document(lang, posixpath.normpath(parts.path.lstrip("/")))
        return href(old_url, doc.url, parts.fragment) if doc is not None else None
