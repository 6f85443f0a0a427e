"""PyMdown Blocks (pymdownx.blocks): fenced containers `/// name | argument` ... `///`, with
YAML options indented four spaces right under the header and Markdown inside; a block inside
another of the same length nests, and `////` may hold `///`. `admonition` (option `type`),
the admonition types (`/// tip`), `details` (`type`, `open`) and `tab` (consecutive tabs form
one set; `new: true` starts another, `select: true` is shown first) are rendered with the
tokens of `!!!`, `???` and `===`, so they look and behave the same everywhere. Any other
block keeps its content, loses its markers and is noted with its line.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from generator.config.settings import BlockType, BlockTypes
from generator.markdown.content_tabs import Tab, push_tab
from generator.markdown.notes import block_line, note
from generator.markdown.source_lines import line_text

HEADER = re.compile(r"^(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*(?:\|[ ]*(?P<argument>.*?)[ ]*)?$")
CLOSE = re.compile(r"^(?P<slashes>/{3,})[ ]*$")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
SEPARATORS = re.compile(r"[_-]+")
OPTION_INDENT = 4
TAB_OPTIONS = frozenset({"new", "select"})
NEEDS = {
    "html": "pymdownx.blocks.html",
    "caption": "pymdownx.blocks.caption",
    "figure-caption": "pymdownx.blocks.caption",
    "table-caption": "pymdownx.blocks.caption",
    "define": "pymdownx.blocks.definition",
}


class Block(NamedTuple):
    """One `///` block: its header, options and where its content starts and ends."""

    name: str
    argument: str | None
    options: Mapping[str, Any] | None
    """None: the lines under the header are not YAML `key: value` lines."""
    line: int
    content: int
    close: int
    after: int

    def option(self, name: str) -> Any:
        return (self.options or {}).get(name)


@dataclass(frozen=True)
class Kind:
    """What a block name renders as: an admonition or details box, with its class and title."""

    markup: str
    css_class: str
    title: str
    options: frozenset[str]


def blocks_plugin(md: MarkdownIt, types: BlockTypes) -> None:
    md.block.ruler.before(
        "fence",
        "pymdown_blocks",
        lambda state, start, end, silent: pymdown_block(state, start, end, silent, types),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def _header_at(state: StateBlock, line: int) -> re.Match[str] | None:
    if line >= state.lineMax or state.sCount[line] - state.blkIndent >= OPTION_INDENT:
        return None
    start = state.bMarks[line] + state.tShift[line]
    if not state.src.startswith("///", start) or state.sCount[line] < state.blkIndent:
        return None
    return HEADER.match(state.src[start : state.eMarks[line]])


def pymdown_block(state: StateBlock, start_line: int, end_line: int, silent: bool, types: BlockTypes) -> bool:
    header = _header_at(state, start_line)
    if header is None:
        return False
    if silent:
        return True
    block = _read_block(state, start_line, header)
    if block.name == "tab":
        _push_tabs(state, block)
        return True
    kind = _kind(block, types)
    if kind is None:
        needs = NEEDS.get(block.name, f"a pymdownx block named {block.name!r}")
        message = f"'{header.group(0).strip()}' shown without its box: it needs {needs}"
        note(state.env, block_line(state, start_line), "blocks", message)
        _tokenize(state, block.content, block.close)
    else:
        _note_options(state, block, kind.options)
        _push_box(state, block, kind)
    state.line = block.after
    return True


def _read_block(state: StateBlock, line: int, header: re.Match[str]) -> Block:
    content, options = _options(state, line)
    close = _close_line(state, content, len(header.group("slashes")))
    closed = close < state.lineMax and CLOSE.match(line_text(state, close)) is not None
    after = close + 1 if closed else close
    return Block(header.group("name").lower(), header.group("argument"), options, line, content, close, after)


def _options(state: StateBlock, line: int) -> tuple[int, Mapping[str, Any] | None]:
    """The line the content starts on, and the YAML options indented under the header."""
    end = line + 1
    while end < state.lineMax and not state.isEmpty(end) and state.sCount[end] - state.blkIndent >= OPTION_INDENT:
        end += 1
    if end == line + 1:
        return end, {}
    text = textwrap.dedent("\n".join(state.src[state.bMarks[n] : state.eMarks[n]] for n in range(line + 1, end)))
    try:
        options = yaml.safe_load(text)
    except yaml.YAMLError:
        return end, None
    return end, options if isinstance(options, dict) else {} if options is None else None


def _note_options(state: StateBlock, block: Block, known: frozenset[str]) -> None:
    """A warning for options that are not YAML, or that Playbook does not use."""
    where = block_line(state, block.line + 1)
    if block.options is None:
        note(state.env, where, "blocks", "the block's options are not YAML `key: value` lines: ignored")
    elif unused := sorted(str(name) for name in block.options if name not in known):
        note(state.env, where, "blocks", f"block options ignored: {', '.join(unused)}")


def _close_line(state: StateBlock, start: int, slashes: int) -> int:
    """The closing line of a block with this many slashes (blocks of the same length nest;
    code fences are skipped); the end of the container when it is never closed."""
    depth, fence, line = 0, "", start
    while line < state.lineMax:
        if not state.isEmpty(line) and state.sCount[line] < state.blkIndent:
            return line
        text = line_text(state, line)
        opening = FENCE.match(text)
        if fence:
            closing = opening and opening.group("fence").startswith(fence) and not text.rstrip().strip(fence[0])
            fence = "" if closing else fence
        elif opening:
            fence = opening.group("fence")
        elif (close := CLOSE.match(text)) and len(close.group("slashes")) == slashes:
            if depth == 0:
                return line
            depth -= 1
        elif (inner := HEADER.match(text)) and len(inner.group("slashes")) == slashes:
            depth += 1
        line += 1
    return line


def _tokenize(state: StateBlock, start: int, end: int) -> None:
    old_max, old_parent = state.lineMax, state.parentType
    state.lineMax, state.parentType = end, "blocks"
    state.md.block.tokenize(state, start, end)
    state.lineMax, state.parentType = old_max, old_parent


def _kind(block: Block, types: BlockTypes) -> Kind | None:
    option = str(block.option("type") or "")
    details = "???+" if block.option("open") else "???"
    if block.name == "admonition":
        return Kind("!!!", option, _default_title(option), frozenset({"type"}))
    if block.name == "details":
        return Kind(details, option, _default_title(option), frozenset({"type", "open"}))
    for markup, named in (("!!!", types.admonition), (details, types.details)):
        chosen = next((t for t in named if t.name == block.name), None)
        if chosen is not None:
            return _typed_kind(markup, chosen)
    return None


def _typed_kind(markup: str, chosen: BlockType) -> Kind:
    css_class = chosen.css_class or chosen.name
    options = frozenset({"open"} if markup.startswith("?") else ())
    return Kind(markup, css_class, chosen.title or _default_title(css_class), options)


def _default_title(css_class: str) -> str:
    return SEPARATORS.sub(" ", css_class).title()


def _push_box(state: StateBlock, block: Block, kind: Kind) -> None:
    """The tokens of `!!! type "title"` (or `???`): the same HTML, text and e-mail."""
    title = kind.title if block.argument is None else block.argument
    classes = "admonition" if kind.css_class in ("", "admonition") else f"admonition {kind.css_class}"
    opening = state.push("admonition_open", "div", 1)
    opening.markup, opening.block, opening.map = kind.markup, True, [block.line, block.after]
    opening.attrs, opening.meta, opening.content = {"class": classes}, {"tag": kind.css_class}, title
    if title:
        title_open = state.push("admonition_title_open", "p", 1)
        title_open.markup, title_open.attrs = kind.markup, {"class": "admonition-title"}
        title_open.map = [block.line, block.line + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = title, [block.line, block.line + 1], []
        state.push("admonition_title_close", "p", -1)
    _tokenize(state, block.content, block.close)
    closing = state.push("admonition_close", "div", -1)
    closing.markup, closing.block = kind.markup, True


def _push_tabs(state: StateBlock, first: Block) -> None:
    """Consecutive `/// tab` blocks (blank lines between them) as one set, like `===` tabs."""
    set_open = state.push("tabbed_set_open", "div", 1)
    set_open.block = True
    block, tabs, shown = first, 0, 0
    while True:
        _note_options(state, block, TAB_OPTIONS)
        shown = tabs if block.option("select") else shown
        push_tab(state, Tab(block.argument or "", tabs, block.line, block.content, block.close, 0))
        tabs += 1
        line = block.after
        while line < state.lineMax and state.isEmpty(line):
            line += 1
        header = _header_at(state, line)
        following = _read_block(state, line, header) if header and header.group("name").lower() == "tab" else None
        if following is None or following.option("new"):
            break
        block = following
    set_open.meta, set_open.map = {"shown": shown}, [first.line, block.after]
    state.push("tabbed_set_close", "div", -1).block = True
    state.line = block.after
