"""Inline marks of PyMdown: `==mark==` (<mark>, pymdownx.mark), `^^insert^^` (<ins>,
pymdownx.caret) and `~~delete~~` (<del>, pymdownx.tilde; markdown-it's strikethrough,
written as <del>). Delimiters pair up as emphasis does."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

MARKS = {"=": ("mark", "mark"), "^": ("ins", "ins")}
MARK_CODES = {ord(char): (char, element) for char, element in MARKS.items()}


def inline_marks_plugin(md: MarkdownIt) -> None:
    for char, (name, _tag) in MARKS.items():
        md.inline.ruler.before("emphasis", name, _tokenizer(char))
    md.inline.ruler2.before("emphasis", "inline_marks", pair_marks)
    md.add_render_rule("s_open", _as_del)
    md.add_render_rule("s_close", _as_del)


def _as_del(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    return "<del>" if tokens[idx].nesting == 1 else "</del>"


def _tokenizer(char: str) -> Callable[[StateInline, bool], bool]:
    def tokenize(state: StateInline, silent: bool) -> bool:
        if silent or state.src[state.pos] != char:
            return False
        scanned = state.scanDelims(state.pos, True)
        if scanned.length < 2:
            return False
        token = state.push("text", "", 0)
        token.content = char * scanned.length
        if scanned.length == 2:
            delimiter = Delimiter(ord(char), 0, len(state.tokens) - 1, -1, scanned.can_open, scanned.can_close)
            state.delimiters.append(delimiter)
        state.pos += scanned.length
        return True

    return tokenize


def pair_marks(state: StateInline) -> None:
    """Turn each matched pair of `==` / `^^` delimiters into the element's tokens."""
    if "==" not in state.src and "^^" not in state.src:
        return
    _pair(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair(state, meta["delimiters"])


def _pair(state: StateInline, delimiters: list[Delimiter]) -> None:
    for start in delimiters:
        mark = MARK_CODES.get(start.marker)
        if mark is None or start.end == -1:
            continue
        char, (name, tag) = mark
        end = delimiters[start.end]
        for index, nesting, suffix in ((start.token, 1, "open"), (end.token, -1, "close")):
            token = state.tokens[index]
            token.type, token.tag, token.nesting = f"{name}_{suffix}", tag, nesting
            token.markup, token.content = char * 2, ""
