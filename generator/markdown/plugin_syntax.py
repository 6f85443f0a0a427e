"""Syntax of MkDocs plugins Playbook does not run, left out of the page with a warning naming
what it needs instead of being shown raw: mkdocstrings' `::: package.module` blocks (with
their indented options), mkdocs-click's `::: mkdocs-click`, and the macros plugin's
`{{ ... }}` and `{% ... %}`. On for MkDocs projects only."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.utils import is_code_block

from generator.markdown.notes import block_line, left_out, note

AUTODOC = re.compile(r"^:::[ \t]+(?P<name>\S+)[ \t]*$")
MACRO_BLOCK = re.compile(r"^\{%.*%\}[ \t]*$")
MACRO_INLINE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def plugin_syntax_plugin(md: MarkdownIt) -> None:
    alt = {"alt": ["paragraph", "reference", "blockquote", "list"]}
    md.block.ruler.before("fence", "autodoc_block", autodoc_block, alt)
    md.block.ruler.before("fence", "macro_block", macro_block, alt)
    md.inline.ruler.before("text", "macro_inline", macro_inline)


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def autodoc_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    match = AUTODOC.match(_text(state, start_line))
    if match is None:
        return False
    if silent:
        return True
    line = start_line + 1
    while line < end_line and (state.isEmpty(line) or state.sCount[line] > state.blkIndent):
        line += 1
    name = match.group("name")
    needs = "the mkdocs-click extension" if name == "mkdocs-click" else "the mkdocstrings plugin"
    note(state.env, block_line(state, start_line), "plugin", f"'::: {name}' left out: it needs {needs}")
    state.line = line
    return True


def macro_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line) or not MACRO_BLOCK.match(_text(state, start_line)):
        return False
    if not silent:
        text = _text(state, start_line)
        note(state.env, block_line(state, start_line), "plugin", f"{text!r} left out: it needs the macros plugin")
        state.line = start_line + 1
    return True


def macro_inline(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = MACRO_INLINE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        left_out(state, "plugin", f"{match.group(0)!r} left out: it needs the macros plugin")
    state.pos = match.end()
    return True
