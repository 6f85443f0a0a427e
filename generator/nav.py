"""Navigation: the section tree of each language, built once per build.

Each page asks for its own small view of the tree (top-level sections, its ancestors, a
bounded window of siblings, previous/next), so no page costs in proportion to the size of
the site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.config import NavOutline
from generator.model import Document, Playbook
from generator.urls import folder_title, folder_url

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
    """The tree of `lang`; `title_of` names a folder that has no index.md (translated)."""
    prefix = playbook.prefixes[lang]
    root = NavNode(title="", url=prefix, folder="")
    sections: dict[str, NavNode] = {"": root}
    node_of: dict[str, NavNode] = {}
    docs = sorted(playbook.in_language(lang), key=lambda d: d.key)
    for doc in docs:
        parent = _section(doc.folder, sections, prefix, title_of)
        if doc.is_index:
            parent.doc = doc
            parent.title = doc.title if parent.folder else parent.title
            parent.order = doc.sort_key
            node_of[doc.url] = parent
            continue
        node = NavNode(doc.title, doc.url, doc=doc, order=doc.sort_key, parent=parent)
        parent.children.append(node)
        node_of[doc.url] = node
    if playbook.config.outline is not None:
        for child in root.children:
            _apply_outline(child, playbook.config.outline)
    top_order = {name: i for i, name in enumerate(playbook.config.nav)}
    for section in sections.values():
        node_of.setdefault(section.url, section)
        if section is root:
            section.children.sort(key=lambda n: _top_key(n, top_order))
        else:
            section.children.sort(key=lambda n: n.order)
    reading = [n for n in _depth_first(root) if n.doc is not None or n.is_section]
    position = {n.url: i for i, n in enumerate(reading)}
    return Navigation(lang, root, node_of, sections, reading, position)


def _apply_outline(node: NavNode, outline: NavOutline) -> float:
    """An explicit outline (a MkDocs nav) orders and labels the tree; what it omits goes last.

    A section takes the place of its first listed page. Returns the node's place.
    """
    own = outline.order.index(node.doc.key) if node.doc and node.doc.key in outline.order else float("inf")
    first = min([own, *(_apply_outline(child, outline) for child in node.children)])
    key = node.folder if node.is_section else node.doc.key if node.doc else None
    node.title = outline.labels.get(key or "", node.title)
    node.order = (first, node.title.casefold())
    return first


def _top_key(node: NavNode, top_order: dict[str, int]) -> tuple[float, float, str]:
    name = (node.folder or (node.doc.key if node.doc else "")).split("/")[-1].removesuffix(".md")
    return (top_order.get(name, len(top_order)), *node.order)


def _section(folder: str, sections: dict[str, NavNode], prefix: str, title_of: Callable[[str], str]) -> NavNode:
    if folder in sections:
        return sections[folder]
    parent_folder, _, name = folder.rpartition("/")
    parent = _section(parent_folder, sections, prefix, title_of)
    node = NavNode(
        title=title_of(name),
        url=folder_url(folder, prefix),
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
