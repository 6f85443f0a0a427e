"""Navigation: the section tree of each language, built once per build.

Each page asks for its own small view of the tree (top-level sections, its ancestors, a
bounded window of siblings, previous/next), so no page costs in proportion to the size of
the site.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pathspec

from generator.config.settings import NavItem
from generator.content.model import Document, Playbook
from generator.errors import Problem
from generator.urls import UrlScheme, folder_title

SIBLING_WINDOW = 40


@dataclass(eq=False)
class NavNode:
    title: str
    url: str
    folder: str | None = None
    doc: Document | None = None
    order: tuple[float, str] = (float("inf"), "")
    parent: NavNode | None = None
    children: list[NavNode] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        return self.folder is not None

    def ancestors(self) -> list[NavNode]:
        chain, node = [], self.parent
        while node is not None and node.parent is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass(frozen=True)
class SidebarEntry:
    title: str
    url: str
    is_section: bool
    children: tuple[SidebarEntry, ...] = ()
    hidden_before: int = 0
    hidden_after: int = 0
    fallback: bool = False


class Sidebar(tuple[SidebarEntry, ...]):
    """A page's sidebar entries. Sibling pages share one object (the template marks the
    current page), so the build cache fingerprints it once per section, not per page."""


@dataclass
class Navigation:
    """The tree of one language plus the lookups pages need."""

    lang: str
    root: NavNode
    node_of: dict[str, NavNode]
    sections: dict[str, NavNode]
    reading_order: list[NavNode]
    position: dict[str, int]
    sidebars: dict[tuple[str, int], Sidebar] = field(default_factory=dict)
    home_title: str = ""
    """The home page's label in an explicit outline ('' : the theme's "Home")."""
    problems: list[Problem] = field(default_factory=list)
    """Outline entries naming missing pages, pages the outline omits (as the settings say)."""

    def node(self, url: str) -> NavNode | None:
        return self.node_of.get(url)

    def breadcrumbs(self, url: str) -> list[NavNode]:
        node = self.node_of.get(url)
        return node.ancestors() if node else []

    def neighbours(self, url: str) -> tuple[NavNode | None, NavNode | None]:
        index = self.position.get(url)
        if index is None:
            return None, None
        before = self.reading_order[index - 1] if index > 0 else None
        after = self.reading_order[index + 1] if index + 1 < len(self.reading_order) else None
        return before, after

    def sidebar(self, url: str) -> Sidebar:
        """Top-level entries, with the branch leading to `url` opened."""
        node = self.node_of.get(url)
        key = _sidebar_key(node)
        found = self.sidebars.get(key)
        if found is None:
            open_path = {id(n) for n in node.ancestors()} | {id(node)} if node else set()
            found = self.sidebars[key] = Sidebar(self._entries(self.root.children, open_path))
        return found

    def _entries(self, nodes: list[NavNode], open_path: set[int]) -> tuple[SidebarEntry, ...]:
        start, stop = _window(nodes, open_path)
        entries = []
        for child in nodes[start:stop]:
            opened = child.is_section and id(child) in open_path
            kids = self._entries(child.children, open_path) if opened else ()
            entries.append(
                SidebarEntry(
                    title=child.title,
                    url=child.url,
                    is_section=child.is_section,
                    children=kids,
                    fallback=bool(child.doc and child.doc.fallback_of),
                )
            )
        if start:
            entries[0] = replace(entries[0], hidden_before=start)
        if stop < len(nodes):
            entries[-1] = replace(entries[-1], hidden_after=len(nodes) - stop)
        return tuple(entries)


def _sidebar_key(node: NavNode | None) -> tuple[str, int]:
    """Pages with the same sidebar get the same key: the pages of one section share their
    section's sidebar unless it has too many pages to show them all."""
    if node is None:
        return ("none", 0)
    parent = node.parent
    if not node.is_section and parent is not None and len(parent.children) <= SIBLING_WINDOW:
        return ("in", id(parent))
    return ("at", id(node))


def _window(nodes: list[NavNode], open_path: set[int]) -> tuple[int, int]:
    """A bounded slice of siblings centred on the open one."""
    if len(nodes) <= SIBLING_WINDOW:
        return 0, len(nodes)
    centre = next((i for i, n in enumerate(nodes) if id(n) in open_path), 0)
    start = max(0, min(centre - SIBLING_WINDOW // 2, len(nodes) - SIBLING_WINDOW))
    return start, start + SIBLING_WINDOW


def build_navigation(playbook: Playbook, lang: str, title_of: Callable[[str], str] = folder_title) -> Navigation:
    """The tree of `lang`; `title_of` names a folder that has no index.md (translated).

    The tree follows the folders, unless the settings give an explicit outline (a MkDocs
    `nav`): then the sidebar is that outline, and the folders only give section pages."""
    prefix = playbook.prefixes[lang]
    root = NavNode(title="", url=prefix, folder="")
    sections: dict[str, NavNode] = {"": root}
    node_of: dict[str, NavNode] = {}
    docs = sorted(playbook.in_language(lang), key=lambda d: d.key)
    scheme = playbook.config.url_scheme
    for doc in docs:
        parent = _section(doc.folder, sections, prefix, title_of, scheme)
        if doc.is_index:
            parent.doc = doc
            parent.title = doc.title if parent.folder else parent.title
            parent.order = doc.sort_key
            node_of[doc.url] = parent
            continue
        node = NavNode(doc.title, doc.url, doc=doc, order=doc.sort_key, parent=parent)
        parent.children.append(node)
        node_of[doc.url] = node
    top_order = {name: i for i, name in enumerate(playbook.config.nav)}
    for section in sections.values():
        node_of.setdefault(section.url, section)
        if section is root:
            section.children.sort(key=lambda n: _top_key(n, top_order))
        else:
            section.children.sort(key=lambda n: n.order)
    outline = playbook.config.outline
    if outline is None:
        reading = [n for n in _depth_first(root) if n.doc is not None or n.is_section]
        return Navigation(lang, root, node_of, sections, reading, {n.url: i for i, n in enumerate(reading)})
    tree = OutlineTree(playbook, lang, sections, node_of)
    root.children = tree.nodes(outline.items, root)
    reading = [n for n in _depth_first(root) if n.doc is not None]
    position = {n.url: i for i, n in enumerate(reading)}
    navigation = Navigation(lang, root, node_of, sections, reading, position, home_title=tree.home_title)
    navigation.problems = tree.problems + tree.omitted(docs)
    return navigation


@dataclass
class OutlineTree:
    """Turns an explicit outline into nodes: pages with their labels, folder entries (the
    folder's page), external links, and sections (linked to the folder their pages share,
    else to their first page). The home page's entry labels the sidebar's home link."""

    playbook: Playbook
    lang: str
    sections: dict[str, NavNode]
    node_of: dict[str, NavNode]
    home_title: str = ""
    listed: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def nodes(self, items: list[NavItem], parent: NavNode) -> list[NavNode]:
        return [node for item in items if (node := self.node(item, parent)) is not None]

    def node(self, item: NavItem, parent: NavNode) -> NavNode | None:
        if item.url is not None:
            return NavNode(item.title or item.url, item.url, parent=parent)
        if item.path is None:
            return self._section(item, parent)
        key = posixpath.normpath(item.path)
        folder = "" if key == "." else key
        doc = self.playbook.document(self.lang, key)
        if doc is None and (item.path.endswith("/") or not key.endswith(".md")):
            doc = self.playbook.folder_index(self.lang, folder)
            if doc is None and folder in self.sections:
                section = self.sections[folder]
                return NavNode(item.title or section.title, section.url, folder=folder, parent=parent)
        if doc is None:
            self._problem(f"nav: {item.path!r} is not a page in the content folder", "nav_not_found")
            return None
        self.listed.add(doc.key)
        if doc.is_index and not doc.folder:
            self.home_title = item.title or ""
            return None
        node = NavNode(item.title or doc.title, doc.url, doc=doc, parent=parent)
        self.node_of[doc.url] = node
        return node

    def _section(self, item: NavItem, parent: NavNode) -> NavNode | None:
        node = NavNode(item.title or "", "", folder="", parent=parent)
        node.children = self.nodes(item.children, node)
        pages = [n.doc.folder for n in _depth_first(node) if n.doc is not None]
        if not node.children or not pages:
            return node if node.children else None
        folder = posixpath.commonpath(pages)
        section = self.sections.get(folder)
        if folder and section is not None and section.parent is not None:
            node.url, node.folder = section.url, folder
            section.title = item.title or section.title
            if section.doc is None:
                self.node_of[section.url] = node
        else:
            node.url = next(n.url for n in _depth_first(node) if n.doc is not None)
        node.title = node.title or folder_title(folder.rpartition("/")[2])
        return node

    def _problem(self, message: str, check: str) -> None:
        level = getattr(self.playbook.config.links, check)
        if level != "ignore":
            self.problems.append(Problem("mkdocs.yml", None, "nav", message, level))

    def omitted(self, docs: list[Document]) -> list[Problem]:
        """Pages the outline leaves out, unless `not_in_nav` says they are meant to be."""
        config = self.playbook.config
        if config.links.omitted_files == "ignore":
            return []
        spec = pathspec.GitIgnoreSpec.from_lines(config.not_in_nav)
        found = [d for d in docs if d.key not in self.listed and not spec.match_file(d.key) and d.fallback_of is None]
        message = "not in the nav: reachable by links and search only"
        return [Problem(doc.source, None, "nav", message, config.links.omitted_files) for doc in found]


def _top_key(node: NavNode, top_order: dict[str, int]) -> tuple[float, float, str]:
    name = (node.folder or (node.doc.key if node.doc else "")).split("/")[-1].removesuffix(".md")
    return (top_order.get(name, len(top_order)), *node.order)


def _section(
    folder: str, sections: dict[str, NavNode], prefix: str, title_of: Callable[[str], str], scheme: UrlScheme
) -> NavNode:
    if folder in sections:
        return sections[folder]
    parent_folder, _, name = folder.rpartition("/")
    parent = _section(parent_folder, sections, prefix, title_of, scheme)
    node = NavNode(
        title=title_of(name),
        url=scheme.folder(folder, prefix),
        folder=folder,
        order=(float("inf"), name.casefold()),
        parent=parent,
    )
    parent.children.append(node)
    sections[folder] = node
    return node


def _depth_first(node: NavNode) -> list[NavNode]:
    found = []
    for child in node.children:
        found.append(child)
        found.extend(_depth_first(child))
    return found
