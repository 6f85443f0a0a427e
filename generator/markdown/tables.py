"""Renderer rules that put each Markdown table of a site page in a focusable, labelled scroll
container, so a table wider than the column scrolls by itself (also with the keyboard) and a
screen reader names it. Works on tokens; e-mails and feeds render their tables bare."""

from __future__ import annotations

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import escape

from generator.markdown.headings import inline_text

SCROLL_TABLES_KEY = "scroll_tables"


def render_table_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: dict) -> str:
    table = self.renderToken(tokens, idx, options, env)
    if not env.get(SCROLL_TABLES_KEY):
        return table
    return f'<div class="table-wrap" tabindex="0" role="region" {region_name(tokens, idx)}>\n{table}'


def render_table_close(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: dict) -> str:
    table = self.renderToken(tokens, idx, options, env)
    return f"{table}</div>\n" if env.get(SCROLL_TABLES_KEY) else table


def region_name(tokens: list[Token], idx: int) -> str:
    """The container's name: the heading the table sits under, else its column headers."""
    for token in reversed(tokens[:idx]):
        if token.type == "heading_open" and token.attrGet("id"):
            return f'aria-labelledby="{escape(str(token.attrGet("id")))}"'
    return f'aria-label="{escape(", ".join(column_headers(tokens, idx)))}"'


def column_headers(tokens: list[Token], idx: int) -> list[str]:
    """The text of each header cell of the table opened at `idx`."""
    headers = []
    for index in range(idx + 1, len(tokens)):
        token = tokens[index]
        if token.type == "thead_close":
            break
        if token.type == "th_open":
            headers.append(inline_text(tokens[index + 1]))
    return headers
