"""Fragments that many pages share, rendered once per build (as Hugo's cached partials):
the sidebar is rendered once for all the pages of a folder, and each page only fills in
the links that can point at itself. Markup stays in the theme's templates; nothing here
knows about documents.

Why sharing is exact: a relative link from `F/a/` to a URL outside `F/a/` is the same as
from its sibling `F/b/`, so only the entries that are direct children of `F` (one of them
may be the page itself: `./` and `aria-current`) differ between the pages of `F`.
"""

from __future__ import annotations

import posixpath
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from generator import urls
from generator.site.nav import SidebarEntry

SIDEBAR_TEMPLATE = "partials/sidebar_tree.html"
SidebarKey = tuple[int, str, str, str]
"""(the Sidebar object's id, the page's folder, language, home URL)."""


def render_sidebar(env: jinja2.Environment, context: Mapping[str, Any]) -> Markup:
    """The sidebar of one page, rendered for that page alone."""
    return Markup(env.get_template(SIDEBAR_TEMPLATE).render({**context, "sidebar_slots": {}}))


@dataclass
class SharedSidebar:
    """A sidebar rendered once for the pages of one folder: fixed markup around slots, the
    links to the folder's direct children, which each page fills in."""

    pieces: list[str]
    slots: list[SidebarEntry]
    nav_link: Any
    """The template's `nav_link(item, href, current)` macro."""
    below_slots: frozenset[str]
    """Every URL the sidebar links to, to check that a page has no entry below it."""
    links: dict[str, str] = field(default_factory=dict)

    def serves(self, page_url: str) -> bool:
        return not any(url.startswith(page_url) and url != page_url for url in self.below_slots)

    def for_page(self, page_url: str) -> Markup:
        parts = [self.pieces[0]]
        for entry, piece in zip(self.slots, self.pieces[1:], strict=True):
            parts.append(self._link(entry, page_url))
            parts.append(piece)
        return Markup("".join(parts))

    def _link(self, entry: SidebarEntry, page_url: str) -> str:
        if entry.url == page_url:
            return str(self.nav_link(entry, urls.href(page_url, entry.url), True))
        link = self.links.get(entry.url)
        if link is None:
            link = self.links[entry.url] = str(self.nav_link(entry, urls.href(page_url, entry.url), False))
        return link


@dataclass
class Fragments:
    """The shared fragments of one build, by sidebar and folder (each worker process fills
    its own copy). A sidebar is shared from its second page on: the pages of a large folder
    each have their own window of entries, and rendering them alone is cheaper."""

    sidebars: dict[SidebarKey, SharedSidebar | None] = field(default_factory=dict)
    seen: set[SidebarKey] = field(default_factory=set)

    def sidebar(self, env: jinja2.Environment, context: Mapping[str, Any]) -> Markup:
        """The page's sidebar: from the shared rendering of its folder when it has one."""
        page_url, home_url, sidebar = context["page_url"], context["home_url"], context["sidebar"]
        if not page_url.endswith("/") or page_url == home_url:
            return render_sidebar(env, context)
        folder = _folder(page_url)
        key = (id(sidebar), folder, context["lang"], home_url)
        if key not in self.seen:
            self.seen.add(key)
            return render_sidebar(env, context)
        if key not in self.sidebars:
            self.sidebars[key] = _shared(env, context, folder)
        shared = self.sidebars[key]
        if shared is None or not shared.serves(page_url):
            return render_sidebar(env, context)
        return shared.for_page(page_url)


def _folder(url: str) -> str:
    """`a/b/page/` -> `a/b`."""
    return posixpath.dirname(url.rstrip("/"))


def _shared(env: jinja2.Environment, context: Mapping[str, Any], folder: str) -> SharedSidebar | None:
    """Render the sidebar once with a unique marker in place of each slot, then cut it at the
    markers. None when some entry lies below a slot (its link would differ between pages)
    or when the template does not put each marker in exactly once."""
    entries = list(_flatten(context["sidebar"]))
    linked = frozenset([context["home_url"], *(e.url for e in entries)])
    slots = [e for e in entries if e.url.endswith("/") and _folder(e.url) == folder]
    slot_urls = {e.url for e in slots}
    if any(url.startswith(slot) and url != slot for url in linked for slot in slot_urls):
        return None
    token = secrets.token_hex(8)
    markers = {e.url: Markup(f"<!--slot {token} {index}-->") for index, e in enumerate(slots)}
    module = env.get_template(SIDEBAR_TEMPLATE).make_module({**context, "sidebar_slots": markers})
    text = str(module)
    if not hasattr(module, "nav_link") or any(text.count(markers[e.url]) != 1 for e in slots):
        return None  # a theme's own sidebar_tree.html that does not place every slot
    slots.sort(key=lambda e: text.index(markers[e.url]))
    pieces, start = [], 0
    for entry in slots:
        position = text.index(markers[entry.url])
        pieces.append(text[start:position])
        start = position + len(markers[entry.url])
    pieces.append(text[start:])
    return SharedSidebar(pieces, slots, module.nav_link, linked)


def _flatten(entries: tuple[SidebarEntry, ...]) -> Iterator[SidebarEntry]:
    for entry in entries:
        yield entry
        yield from _flatten(entry.children)


@jinja2.pass_context
def shared_sidebar(context: jinja2.runtime.Context) -> Markup:
    """The `shared_sidebar()` template global: the page's sidebar, shared when possible."""
    values = context.get_all()
    fragments = values.get("fragments")
    if not isinstance(fragments, Fragments):
        return render_sidebar(context.environment, values)
    return fragments.sidebar(context.environment, values)
