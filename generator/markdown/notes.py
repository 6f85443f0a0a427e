"""Warnings a Markdown rule leaves in the parse environment (a missing snippet, plugin syntax
left out); the build turns them into problems naming the document and line. Inline rules
leave a `left_out` token instead, which renders as nothing and is noted with its line."""

from __future__ import annotations

from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from generator.markdown.source_lines import LINE_OFFSET_KEY

NOTES_KEY = "notes"


class Note(NamedTuple):
    line: int | None
    field: str
    message: str


def note(env: dict, line: int | None, field: str, message: str) -> None:
    env.setdefault(NOTES_KEY, []).append(Note(line, field, message))


def block_line(state: StateBlock, line: int) -> int:
    """The file line of block line `line` (the body starts after the front matter)."""
    return line + state.env.get(LINE_OFFSET_KEY, 1)


LEFT_OUT = "left_out"


def left_out(state: StateInline, field: str, message: str) -> None:
    """Leave something out of an inline's output; `report_left_out` notes it with its line."""
    token = state.push(LEFT_OUT, "", 0)
    token.meta = {"field": field, "message": message}
    state.env[LEFT_OUT] = True


def report_left_out(state: StateCore) -> None:
    """Core rule (after source lines): a note for every inline token left out."""
    if not state.env.pop(LEFT_OUT, False):
        return
    for token in state.tokens:
        for child in token.children or ():
            if child.type == LEFT_OUT:
                note(state.env, child.meta.get("line"), child.meta["field"], child.meta["message"])


def notes_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("left_out_notes", report_left_out)
    md.add_render_rule(LEFT_OUT, lambda *_: "")
