"""The Markdown engine: CommonMark plus tables, footnotes, admonitions, task lists,
definition lists and heading anchors, with our link rules. One instance per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from generator.markdown.headings import Heading, collect_headings, heading_slug
from generator.markdown.links import RESOLVER_KEY, LinkResolver, render_image, render_link_open
from generator.markdown.source_lines import LINE_OFFSET_KEY, source_lines
from generator.markdown.tables import SCROLL_TABLES_KEY, render_table_close, render_table_open
from generator.markdown.title_heading import TITLE_KEY, drop_title_heading


@dataclass(frozen=True)
class ParsedBody:
    """A document's Markdown, parsed once; rendering it again for another page is cheap."""

    tokens: tuple[Token, ...]
    headings: tuple[Heading, ...]
    env: dict

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.anchor for h in self.headings) | frozenset(_footnote_anchors(self.env))


@cache
def engine(raw_html: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(admon_plugin).use(tasklists_plugin, label=True).use(deflist_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_slug)
    md.core.ruler.push("source_lines", source_lines)
    md.core.ruler.before("anchor", "drop_title_heading", drop_title_heading)
    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("image", render_image)
    md.add_render_rule("table_open", render_table_open)
    md.add_render_rule("table_close", render_table_close)
    return md


def parse(body: str, body_line: int = 1, *, title: str = "", raw_html: bool = True) -> ParsedBody:
    env: dict = {LINE_OFFSET_KEY: body_line, TITLE_KEY: title}
    tokens = engine(raw_html).parse(body, env)
    return ParsedBody(tuple(tokens), tuple(collect_headings(tokens)), env)


def render(
    parsed: ParsedBody, resolver: LinkResolver | None, *, raw_html: bool = True, scroll_tables: bool = False
) -> str:
    """HTML for one page. The tokens are not copied: link rules restore what they change.
    `scroll_tables` puts each table in a focusable scroll container (site pages)."""
    env = dict(parsed.env)
    env[RESOLVER_KEY] = resolver
    env[SCROLL_TABLES_KEY] = scroll_tables
    md = engine(raw_html)
    return md.renderer.render(list(parsed.tokens), md.options, env)


def _footnote_anchors(env: dict) -> list[str]:
    refs = env.get("footnotes", {}).get("list", {})
    return [f"fn{int(i) + 1}" for i in refs]
