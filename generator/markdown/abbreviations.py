"""Abbreviations (Python-Markdown's abbr): a line `*[HTML]: Hyper Text Markup Language`
defines an abbreviation; every whole-word use of it in the document's text then becomes
`<abbr title="...">HTML</abbr>`. The definition lines themselves are not shown."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.utils import is_code_block

DEFINITION = re.compile(r"^\*\[(?P<term>[^\]\n]+)\]:[ \t]*(?P<title>.*?)[ \t]*$")
ABBR_KEY = "abbreviations"


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "abbreviation", abbreviation, {"alt": ["paragraph", "reference"]})
    md.core.ruler.after("inline", "abbr_replace", replace_abbreviations)


def abbreviation(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("*[", start) or is_code_block(state, start_line):
        return False
    text = state.src[start : state.eMarks[start_line]]
    match = DEFINITION.match(text)
    if match is None:
        return False
    if not silent:
        state.env.setdefault(ABBR_KEY, {})[match.group("term").strip()] = match.group("title")
        state.line = start_line + 1
    return True


def replace_abbreviations(state: StateCore) -> None:
    found: dict[str, str] = state.env.get(ABBR_KEY) or {}
    if not found:
        return
    terms = "|".join(re.escape(term) for term in sorted(found, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({terms})(?!\w)")
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _split(token.children, pattern, found)


def _split(children: list[Token], pattern: re.Pattern[str], found: dict[str, str]) -> list[Token]:
    result: list[Token] = []
    for child in children:
        if child.type != "text" or not pattern.search(child.content):
            result.append(child)
            continue
        position = 0
        for match in pattern.finditer(child.content):
            if match.start() > position:
                result.append(_text(child, child.content[position : match.start()]))
            opening = Token("abbr_open", "abbr", 1, attrs={"title": found[match.group(1)]})
            result += [opening, _text(child, match.group(1)), Token("abbr_close", "abbr", -1)]
            position = match.end()
        if position < len(child.content):
            result.append(_text(child, child.content[position:]))
    return result


def _text(like: Token, content: str) -> Token:
    return Token("text", "", 0, content=content, meta=dict(like.meta))
