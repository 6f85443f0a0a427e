"""Markdown inside HTML blocks (Python-Markdown's md_in_html): an opening tag on its own line
with a `markdown` attribute (`<div class="grid cards" markdown>`) up to its closing tag on
its own line; what lies between is parsed as Markdown, and the attribute is dropped.
Only with raw HTML allowed."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

from generator.markdown.source_lines import line_text

OPENING = re.compile(
    r"^<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?P<before>[^>]*?)\s+markdown(?:=(?P<q>[\"']?)(?:1|block|span)(?P=q))?(?P<after>[^>]*)>\s*$"
)


def md_in_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "md_in_html", md_in_html, {"alt": ["paragraph", "reference", "blockquote"]})


def _closing_line(state: StateBlock, tag: str, start: int, end: int) -> int | None:
    opening, closing = re.compile(rf"<{tag}\b", re.IGNORECASE), re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for line in range(start, end):
        text = line_text(state, line)
        depth += len(opening.findall(text)) - len(closing.findall(text))
        if depth <= 0:
            return line if closing.fullmatch(text.strip()) else None
    return None


def md_in_html(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    start = state.bMarks[start_line] + state.tShift[start_line]
    if start >= len(state.src) or state.src[start] != "<" or is_code_block(state, start_line):
        return False
    match = OPENING.match(line_text(state, start_line))
    if match is None:
        return False
    close = _closing_line(state, match.group("tag"), start_line, end_line)
    if close is None:
        return False
    if silent:
        return True
    opening = state.push("html_block", "", 0)
    opening.content = f"<{match.group('tag')}{match.group('before')}{match.group('after')}>\n"
    opening.map = [start_line, start_line + 1]
    old_max = state.lineMax
    state.lineMax = close
    state.md.block.tokenize(state, start_line + 1, close)
    state.lineMax = old_max
    closing = state.push("html_block", "", 0)
    closing.content = line_text(state, close).strip() + "\n"
    closing.map = [close, close + 1]
    state.line = close + 1
    return True
