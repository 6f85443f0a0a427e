"""Core rule: give every inline child token the file line it came from.

markdown-it only maps block tokens to lines; links and images need their own line so a
broken link can be reported as `file:line`.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore

LINE_OFFSET_KEY = "line_offset"


def source_lines(state: StateCore) -> None:
    offset = state.env.get(LINE_OFFSET_KEY, 1)
    for token in state.tokens:
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0] + offset
        for child in token.children:
            child.meta["line"] = line
