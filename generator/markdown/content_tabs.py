"""Content tabs (pymdownx.tabbed): consecutive `=== "Label"` blocks, each followed by its
content indented four spaces, form one set of tabs. `===!` starts a new set, `===+` is the
tab shown first. Rendered as radio buttons and labels, so tabs switch without a script."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.utils import is_code_block

TAB_LINE = re.compile(r'^===([!+]{0,2})[ \t]+"(.*)"[ \t]*$')
CONTENT_INDENT = 4
_SETS_KEY = "tabbed_sets"


def content_tabs_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "content_tabs", content_tabs, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.add_render_rule("tabbed_set_open", _render_set_open)
    md.add_render_rule("tabbed_set_close", _render_set_close)
    md.add_render_rule("tabbed_label_open", _render_label_open)
    md.add_render_rule("tabbed_label_close", lambda *_: "</label>\n")
    md.add_render_rule("tabbed_content_open", lambda *_: '<div class="tabbed-content">\n')
    md.add_render_rule("tabbed_content_close", lambda *_: "</div>\n")


def _tab_at(state: StateBlock, line: int) -> re.Match[str] | None:
    if line >= state.lineMax:
        return None
    start = state.bMarks[line] + state.tShift[line]
    if not state.src.startswith("===", start) or is_code_block(state, line) or state.sCount[line] < state.blkIndent:
        return None
    return TAB_LINE.match(state.src[start : state.eMarks[line]])


def _content_end(state: StateBlock, start: int, end: int) -> int:
    """The line after a tab's content: indented lines, with blank lines between them."""
    line, last = start, start
    while line < end:
        blank = state.bMarks[line] + state.tShift[line] >= state.eMarks[line]
        if not blank and state.sCount[line] - state.blkIndent < CONTENT_INDENT:
            break
        line += 1
        last = line if not blank else last
    return last


def content_tabs(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    first = _tab_at(state, start_line)
    if first is None:
        return False
    if silent:
        return True
    set_open = state.push("tabbed_set_open", "div", 1)
    set_open.block, set_open.map = True, [start_line, start_line]
    line, labels, shown = start_line, 0, 0
    while (match := _tab_at(state, line)) is not None and not (labels and "!" in match.group(1)):
        shown = labels if "+" in match.group(1) and not shown else shown
        end = _content_end(state, line + 1, end_line)
        push_tab(state, Tab(match.group(2), labels, line, line + 1, end, CONTENT_INDENT))
        labels += 1
        line = end
        while line < end_line and state.bMarks[line] + state.tShift[line] >= state.eMarks[line]:
            line += 1
        if _tab_at(state, line) is None:
            line = end
            break
    set_open.meta = {"shown": shown}
    set_open.map = [start_line, line]
    state.push("tabbed_set_close", "div", -1).block = True
    state.line = line
    return True


class Tab(NamedTuple):
    """One tab: its label and place in the set, its header line, its content lines (from
    `start` up to `end`) and how far they are indented."""

    label: str
    index: int
    line: int
    start: int
    end: int
    indent: int


def push_tab(state: StateBlock, tab: Tab) -> None:
    opening = state.push("tabbed_label_open", "label", 1)
    opening.meta, opening.map = {"index": tab.index}, [tab.line, tab.line + 1]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = tab.label, [tab.line, tab.line + 1], []
    state.push("tabbed_label_close", "label", -1)
    state.push("tabbed_content_open", "div", 1).map = [tab.start, tab.end]
    old_indent, old_max, old_parent = state.blkIndent, state.lineMax, state.parentType
    state.blkIndent += tab.indent
    state.lineMax, state.parentType = tab.end, "tabbed"
    state.md.block.tokenize(state, tab.start, tab.end)
    state.blkIndent, state.lineMax, state.parentType = old_indent, old_max, old_parent
    state.push("tabbed_content_close", "div", -1)


def _render_set_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    sets: list[tuple[int, int]] = env.setdefault(_SETS_KEY, [])
    number = env.get("tabbed_count", 0) + 1
    env["tabbed_count"] = number
    sets.append((number, int(tokens[idx].meta.get("shown", 0))))
    return f'<div class="tabbed-set" data-tabs="{number}">\n'


def _render_set_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    env[_SETS_KEY].pop()
    return "</div>\n"


def _render_label_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    number, shown = env[_SETS_KEY][-1]
    index = int(tokens[idx].meta["index"])
    ident = f"__tabbed_{number}_{index + 1}"
    checked = " checked" if index == shown else ""
    return f'<input type="radio" name="__tabbed_{number}" id="{ident}"{checked}>\n<label for="{ident}">'
