"""Core rule: drop a leading `# Title` that repeats the front-matter title.

Editors often start a file with its title as a heading; the layout already shows the
title as the page's only <h1>, so the repeat is removed instead of shown twice.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore

TITLE_KEY = "title"
DROPPED_KEY = "dropped_title"
"""The inline token of the heading dropped (MkDocs-style heading ids still count its id)."""


def drop_title_heading(state: StateCore) -> None:
    title = state.env.get(TITLE_KEY)
    tokens = state.tokens
    if not title or len(tokens) < 3 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return
    if tokens[1].content.strip().casefold() == str(title).strip().casefold():
        state.env[DROPPED_KEY] = tokens[1]
        del tokens[:3]
