"""What every site generator shares: the generator interface and the context each HTML
page is rendered with (language, navigation, switcher, assets).

Generators are `model in, files out`: they read the SiteContext and yield OutputFiles
(defined with the renderer, `site/rendering.py`, which this module uses and which knows
nothing of it); they never write to disk and never change the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from generator.content.model import Document, Playbook
from generator.errors import Problems
from generator.i18n import Localizer
from generator.markdown.engine import ParsedBody
from generator.markdown.headings import TOC_DEEPEST, Heading, TocEntry, contents
from generator.site.fragments import Fragments
from generator.site.nav import Navigation
from generator.site.presence import Presence, presence
from generator.site.rendering import Made, OutputFile, PageRenderer
from generator.site.search import ui_translations
from generator.site.theme import Theme
from generator.urls import absolute, href


@dataclass(frozen=True)
class RenderedBody:
    html: str
    headings: tuple[Heading, ...]

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        """The "On this page" list: headings of levels 2 to 4, nested; none for fewer than three."""
        listed = [h for h in self.headings if 2 <= h.level <= TOC_DEEPEST]
        return contents(listed) if len(listed) > 2 else ()


@dataclass(frozen=True)
class ViewLink:
    """A generated page shown in the header navigation (campaigns, results, ...)."""

    msgid: str
    suffix: str


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher.

    `translated`: the page exists in that language. Otherwise `url` is either the
    default-language fallback shown there (`fragment` empty) or that language's home page
    with the `not-translated` notice.
    """

    code: str
    name: str
    url: str
    current: bool
    translated: bool
    fragment: str = ""


@dataclass(frozen=True)
class Alternate:
    """A `<link rel="alternate" hreflang>`: only real translations, plus x-default."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class SiteContext:
    """What every generator reads: the model, the theme, the rendered bodies, and the renderer
    its pages go through. Complete when made; generators only add to `page_urls` and `problems`."""

    playbook: Playbook
    theme: Theme
    localizers: dict[str, Localizer]
    navigation: dict[str, Navigation]
    bodies: dict[tuple[str, str], RenderedBody]
    problems: Problems
    renderer: PageRenderer
    view_links: tuple[ViewLink, ...] = ()
    claimed: frozenset[str] = frozenset()
    page_urls: list[str] = field(default_factory=list)
    """Every HTML page made so far (kept or rendered), in order: the sitemap, made last, lists them."""
    fragments: Fragments = field(default_factory=Fragments)
    """Fragments rendered once and shared by many pages (the sidebar of each folder)."""
    email_bodies: dict[tuple[str, str], ParsedBody] = field(default_factory=dict)
    """Bodies parsed for e-mails, web versions and feeds, by language and key: once per build
    (their readers never change the tokens; workers forked later inherit them)."""

    @cached_property
    def shown(self) -> Presence:
        """Which views have content (their links, cards and share buttons show only then)."""
        return presence(self.playbook)

    def is_claimed(self, lang: str, url: str) -> bool:
        """True when a generated view serves this URL instead of the folder's page."""
        return url.removeprefix(self.playbook.prefixes[lang]) in self.claimed

    def body(self, doc: Document) -> RenderedBody:
        return self.bodies[(doc.lang, doc.key)]

    @cached_property
    def heading_anchors(self) -> dict[str, frozenset[str]]:
        """Heading anchors of every document (from the site render), for checking `#fragment`
        links when a body is rendered again with absolute URLs (e-mails, feeds)."""
        return {doc.source: frozenset(h.anchor for h in self.body(doc).headings) for doc in self.playbook.documents}

    def language_links(self, lang: str, url: str, doc: Document | None) -> list[LanguageLink]:
        """Where the switcher goes: the same page in each language (its translation, or the
        fallback that shows the original with a notice), else that language's home."""
        playbook = self.playbook
        suffix = url.removeprefix(playbook.prefixes[lang])
        links = []
        for code in playbook.languages:
            target, translated = self._counterpart(lang, url, code, suffix, doc)
            name = playbook.config.language_name(code)
            if target is None:
                links.append(LanguageLink(code, name, playbook.home_url(code), False, False, "not-translated"))
            else:
                links.append(LanguageLink(code, name, target, code == lang, translated))
        return links

    def _counterpart(
        self, lang: str, url: str, code: str, suffix: str, doc: Document | None
    ) -> tuple[str | None, bool]:
        """(URL of this page in language `code` or None, whether it is a real translation)."""
        if doc is not None:
            other = self.playbook.document(code, doc.key)
            return (other.url, other.fallback_of is None) if other else (None, False)
        target = self.playbook.prefixes[code] + suffix
        is_folder_page = self.navigation[lang].node(url) is not None and not self.is_claimed(lang, url)
        if is_folder_page and self.navigation[code].node(target) is None:
            return None, False
        return target, True

    def alternates(self, url: str, links: list[LanguageLink]) -> list[Alternate]:
        """hreflang alternates: absolute when site_url is set, relative otherwise."""
        config = self.playbook.config
        found = {link.code: link.url for link in links if link.translated}
        if config.default_lang in found and len(found) > 1:
            found["x-default"] = found[config.default_lang]
        return [
            Alternate(code, absolute(config.site_url, target) if config.site_url else href(url, target))
            for code, target in found.items()
        ]

    def page(self, lang: str, url: str, title: str, doc: Document | None = None, **extra: Any) -> dict[str, Any]:
        """The context every HTML page template receives."""
        playbook = self.playbook
        config = playbook.config
        nav = self.navigation[lang]
        links = self.language_links(lang, url, doc)
        site_url = config.site_url
        context: dict[str, Any] = {
            "site": config,
            "playbook": playbook,
            "lang": lang,
            "i18n": self.localizers[lang],
            "page_url": url,
            "title": title,
            "doc": doc,
            "description": (doc.meta.summary if doc else "") or config.description,
            "canonical": absolute(site_url, doc.fallback_of.url if doc and doc.fallback_of else url)
            if site_url
            else None,
            "home_url": playbook.home_url(lang),
            "theme_assets": self.theme.assets,
            "sidebar": nav.sidebar(url),
            "home_label": nav.home_title,
            "shown": self.shown,
            "breadcrumbs": nav.breadcrumbs(url),
            "neighbours": nav.neighbours(url),
            "language_links": links,
            "alternates": self.alternates(url, links),
            "view_links": [(v.msgid, playbook.prefixes[lang] + v.suffix) for v in self.view_links],
            "build_date": playbook.build_date,
            "search_translations": ui_translations(self.localizers[lang]) if config.search else {},
            "fragments": self.fragments,
        }
        context.update(extra)
        return context

    def remembered(self, name: str, inputs: tuple[Any, ...], make: Callable[[], tuple[list[OutputFile], Any]]) -> Made:
        """`make()`, or the files it made last time from the same `inputs` (build cache)."""
        return self.remembered_all([(name, inputs)], lambda _: make())[0]

    def remembered_all(
        self, items: list[tuple[str, tuple[Any, ...]]], make: Callable[[int], tuple[list[OutputFile], Any]]
    ) -> list[Made]:
        """`remembered` for many outputs; those not kept are made in parallel."""
        return self.renderer.remembered_all(items, make)

    def kept_page(
        self, url: str, template: str, inputs: tuple[Any, ...], source: str
    ) -> tuple[OutputFile | None, str | None]:
        """The unchanged published page when it follows from `inputs` and the site's metadata
        alone (see PageRenderer.quick_kept); else None and the key to pass to `html`."""
        kept, quick = self.renderer.quick_kept(url, template, inputs, source)
        if kept is not None:
            self.page_urls.append(url)
        return kept, quick

    def html(self, template: str, context: dict[str, Any], source: str, quick: str | None = None) -> OutputFile:
        """The page as an output file. Its data may come later (a worker renders it) or stay
        on disk (the page is unchanged): pass the file on, do not read `data`."""
        self.page_urls.append(context["page_url"])
        return self.renderer.output(template, context, source, quick)


class Generator(Protocol):
    """One kind of output. `generate` reads the context and yields files.

    A generator may also carry `view_link` (a ViewLink shown in the header) and `claims`
    (language-relative URLs such as "campaigns/" that it serves in place of the folder's
    index page; it then shows that folder's index.md, if any, itself).
    """

    def generate(self, site: SiteContext) -> Iterator[OutputFile]: ...
