"""The Markdown engine: CommonMark plus tables, footnotes, task lists, definition lists and
the Python-Markdown / PyMdown syntax MkDocs sites use (admonitions and details, content
tabs, snippets, attribute lists, abbreviations, markdown in HTML, ==mark==, ^^insert^^,
~~delete~~, emoji), heading ids, highlighted code and our link rules. One instance per
set of Markdown settings, per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from generator.config.settings import MarkdownSettings
from generator.markdown.abbreviations import abbreviations_plugin
from generator.markdown.admonitions import admonitions_plugin
from generator.markdown.attr_list import attr_list_plugin
from generator.markdown.blocks import blocks_plugin
from generator.markdown.content_tabs import content_tabs_plugin
from generator.markdown.emoji import ICON_FOLDERS_KEY, emoji_plugin
from generator.markdown.github_alerts import github_alerts_plugin
from generator.markdown.heading_ids import heading_ids_plugin
from generator.markdown.headings import Heading, collect_headings
from generator.markdown.highlight import CODE_ANCHORS_KEY, INLINE_STYLES_KEY, highlight_plugin
from generator.markdown.includes import includes_plugin
from generator.markdown.inline_marks import inline_marks_plugin
from generator.markdown.keys import keys_plugin
from generator.markdown.links import RESOLVER_KEY, LinkResolver, render_image, render_link_open
from generator.markdown.md_in_html import md_in_html_plugin
from generator.markdown.notes import NOTES_KEY, Note, notes_plugin
from generator.markdown.plugin_syntax import plugin_syntax_plugin
from generator.markdown.smart_symbols import smart_symbols_plugin
from generator.markdown.snippets import SNIPPETS_KEY, SnippetSource, snippets_plugin
from generator.markdown.source_lines import LINE_OFFSET_KEY, source_lines
from generator.markdown.tables import SCROLL_TABLES_KEY, render_table_close, render_table_open
from generator.markdown.title_heading import TITLE_KEY, drop_title_heading

DEFAULT_SETTINGS = MarkdownSettings()


@dataclass(frozen=True)
class ParsedBody:
    """A document's Markdown, parsed once; rendering it again for another page is cheap."""

    tokens: tuple[Token, ...]
    headings: tuple[Heading, ...]
    env: dict

    @property
    def anchors(self) -> frozenset[str]:
        headings = frozenset(h.anchor for h in self.headings)
        return headings | frozenset(_footnote_anchors(self.env)) | frozenset(self.env.get(CODE_ANCHORS_KEY, ()))

    @property
    def notes(self) -> tuple[Note, ...]:
        """What the parse left out or could not find (snippets, plugin syntax), as warnings."""
        return tuple(self.env.get(NOTES_KEY, ()))


@cache
def engine(settings: MarkdownSettings = DEFAULT_SETTINGS) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": settings.raw_html, "typographer": False, "linkify": settings.linkify})
    md.enable(["table", "strikethrough", *(["linkify"] if settings.linkify else [])])
    md.use(snippets_plugin)
    if settings.includes_base is not None:
        md.use(includes_plugin, settings.includes_base)
    if settings.plugin_syntax:
        md.use(plugin_syntax_plugin)
    md.use(footnote_plugin).use(admonitions_plugin).use(github_alerts_plugin).use(content_tabs_plugin)
    md.use(blocks_plugin, settings.block_types)
    md.use(tasklists_plugin, label=True).use(deflist_plugin).use(abbreviations_plugin)
    if settings.raw_html:
        md.use(md_in_html_plugin)
    md.use(inline_marks_plugin).use(keys_plugin).use(emoji_plugin).use(attr_list_plugin)
    if settings.smart_symbols:
        md.use(smart_symbols_plugin)
    md.use(heading_ids_plugin, settings.heading_ids)
    md.use(highlight_plugin, settings)
    md.core.ruler.push("source_lines", source_lines)
    md.use(notes_plugin)
    md.core.ruler.before("anchor", "drop_title_heading", drop_title_heading)
    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("image", render_image)
    md.add_render_rule("table_open", render_table_open)
    md.add_render_rule("table_close", render_table_close)
    return md


def parse(
    body: str,
    body_line: int = 1,
    *,
    title: str = "",
    settings: MarkdownSettings = DEFAULT_SETTINGS,
    project: Path | None = None,
) -> ParsedBody:
    """`project` is the folder `--8<--` snippets are read from (none: snippets are left out)."""
    env: dict = {LINE_OFFSET_KEY: body_line, TITLE_KEY: title, NOTES_KEY: []}
    if project is not None:
        env[SNIPPETS_KEY] = SnippetSource(project, tuple(settings.snippets_base), tuple(settings.snippets_append))
        env[ICON_FOLDERS_KEY] = tuple(project / folder for folder in settings.icon_folders)
    tokens = engine(settings).parse(body, env)
    env.pop(SNIPPETS_KEY, None)
    return ParsedBody(tuple(tokens), tuple(collect_headings(tokens)), env)


def render(
    parsed: ParsedBody,
    resolver: LinkResolver | None,
    *,
    settings: MarkdownSettings = DEFAULT_SETTINGS,
    inline_styles: bool = False,
    scroll_tables: bool = False,
) -> str:
    """HTML for one page. The tokens are not copied: link rules restore what they change.
    `inline_styles`: code colours as style attributes (for e-mail, which drops classes);
    `scroll_tables` puts each table in a focusable scroll container (site pages)."""
    env = dict(parsed.env)
    env[RESOLVER_KEY] = resolver
    env[INLINE_STYLES_KEY] = inline_styles
    env[SCROLL_TABLES_KEY] = scroll_tables
    md = engine(settings)
    return md.renderer.render(list(parsed.tokens), md.options, env)


def _footnote_anchors(env: dict) -> list[str]:
    refs = env.get("footnotes", {}).get("list", {})
    return [f"fn{int(i) + 1}" for i in refs]
