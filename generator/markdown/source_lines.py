"""Core rule: give every inline child token the file line it came from.

markdown-it only maps block tokens to lines; links and images need their own line so a
broken link can be reported as `file:line`, the line of the link itself, not of the start
of its paragraph.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

LINE_OFFSET_KEY = "line_offset"
LINE_BREAKS = frozenset({"softbreak", "hardbreak"})


def line_text(state: StateBlock, line: int) -> str:
    """Block line `line` of the source, without its indentation."""
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def source_lines(state: StateCore) -> None:
    offset = state.env.get(LINE_OFFSET_KEY, 1)
    for token in state.tokens:
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0] + offset
        for child in token.children:
            child.meta["line"] = line
            if child.type in LINE_BREAKS:
                line += 1
            elif child.type == "html_inline":
                line += child.content.count("\n")
