"""Syntax of MkDocs plugins Playbook does not run, left out of the page with a warning naming
what it needs instead of being shown raw: mkdocstrings' `::: package.module` blocks (with
their indented options, or as a heading `#### ::: name`), mkdocs-click's `::: mkdocs-click`, the macros plugin's
`{{ ... }}` and `{% ... %}`, and the FastAPI family's `{* file ln[1:8] hl[2] *}` lines
(markdown_include_variants). On for MkDocs projects only."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.utils import is_code_block

from generator.markdown.notes import block_line, left_out, note
from generator.markdown.source_lines import LINE_OFFSET_KEY, line_text

AUTODOC = re.compile(r"^:::[ \t]+(?P<name>\S+)[ \t]*$")
MACRO_BLOCK = re.compile(r"^\{%.*%\}[ \t]*$")
MACRO_INLINE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
VARIANT_INCLUDE = re.compile(r"^\{\*[ \t]*(?P<path>\S+)(?P<options>.*?)\*\}[ \t]*$")
LINE_RANGES = re.compile(r"\bln\[(?P<ranges>[^\]]*)\]")


def plugin_syntax_plugin(md: MarkdownIt) -> None:
    alt = {"alt": ["paragraph", "reference", "blockquote", "list"]}
    md.core.ruler.after("block", "autodoc_heading", autodoc_heading)
    md.block.ruler.before("fence", "autodoc_block", autodoc_block, alt)
    md.block.ruler.before("fence", "macro_block", macro_block, alt)
    md.block.ruler.before("fence", "variant_include", variant_include, alt)
    md.inline.ruler.before("text", "macro_inline", macro_inline)


def _line_match(state: StateBlock, line: int, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """`pattern` matched against a line that is not indented code."""
    return None if is_code_block(state, line) else pattern.match(line_text(state, line))


def autodoc_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    match = _line_match(state, start_line, AUTODOC)
    if match is None:
        return False
    if silent:
        return True
    line = start_line + 1
    while line < end_line and (state.isEmpty(line) or state.sCount[line] > state.blkIndent):
        line += 1
    name = match.group("name")
    note(state.env, block_line(state, start_line), "plugin", f"'::: {name}' left out: it needs {_needs(name)}")
    state.line = line
    return True


def autodoc_heading(state: StateCore) -> None:
    """`#### ::: package.name` (mkdocstrings with a heading level) goes with its heading."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        match = AUTODOC.match(tokens[index + 1].content) if token.type == "heading_open" else None
        if match is None:
            index += 1
            continue
        line = token.map[0] + state.env.get(LINE_OFFSET_KEY, 1) if token.map else None
        note(state.env, line, "plugin", f"'::: {match.group('name')}' left out: it needs {_needs(match.group('name'))}")
        del tokens[index : index + 3]


def _needs(name: str) -> str:
    return "the mkdocs-click extension" if name == "mkdocs-click" else "an API docs plugin (mkdocstrings, mkautodoc)"


def macro_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line) or not MACRO_BLOCK.match(line_text(state, start_line)):
        return False
    if not silent:
        text = line_text(state, start_line)
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


def variant_include(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    match = _line_match(state, start_line, VARIANT_INCLUDE)
    if match is None:
        return False
    if not silent:
        needs = f"an include of {match.group('path').removeprefix('./')}{_lines(match.group('options'))}"
        message = f"{match.group(0).strip()!r} left out: it needs {needs} (markdown_include_variants)"
        note(state.env, block_line(state, start_line), "plugin", message)
        state.line = start_line + 1
    return True


def _lines(options: str) -> str:
    """` lines 1–8, 12–14` for `ln[1:8,12:14]`; nothing without `ln[...]`."""
    found = LINE_RANGES.search(options)
    if found is None:
        return ""
    ranges = [part.strip().replace(":", "–") for part in found.group("ranges").split(",") if part.strip()]
    return f" lines {', '.join(ranges)}" if ranges else ""
