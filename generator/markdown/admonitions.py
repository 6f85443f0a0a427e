"""Admonitions: `!!! note "Title"` boxes, and `???` / `???+` collapsible ones (pymdownx.details)
rendered as <details> (open for `???+`), so they fold without any script."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.admon import admon_plugin

_DETAILS_TAGS = {"admonition_open": "details", "admonition_close": "details"}
_SUMMARY_TAGS = {"admonition_title_open": "summary", "admonition_title_close": "summary"}


def admonitions_plugin(md: MarkdownIt) -> None:
    admon_plugin(md, render=render_admonition)


def render_admonition(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    token = tokens[idx]
    markup = tokens[idx - 2].markup if token.type == "admonition_title_close" else token.markup
    if not markup.startswith("?"):
        return self.renderToken(tokens, idx, options, env)
    if token.type == "admonition_open":
        classes = " ".join(c for c in str(token.attrs.get("class", "")).split() if not c.startswith(("is-", "coll")))
        opened = " open" if token.markup.endswith("+") else ""
        return f'<details class="{escapeHtml(classes)}"{opened}>\n'
    tag = _DETAILS_TAGS.get(token.type) or _SUMMARY_TAGS[token.type]
    return f"<{tag}>" if token.nesting == 1 else f"</{tag}>\n"
