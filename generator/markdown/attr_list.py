"""Attribute lists (Python-Markdown's attr_list): `{ #id .class key=value }` after a heading's
text, right after an inline element (link, image, code, **strong**, ...), or on the last
line of a paragraph sets that element's id, classes and attributes
(`[Start](setup.md){ .md-button }`, `## Setup { #install }`).

Event handlers and the link's own target (`on*`, `href`, `src`) cannot be set this way.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

HEADING_TAIL = re.compile(r"[ \t]+\{:?[ \t]*([^}\n \t][^}\n]*?)[ \t]*\}[ \t]*$")
INLINE_HEAD = re.compile(r"^\{:?[ \t]*([^}\n \t][^}\n]*?)[ \t]*\}")
BLOCK_LINE = re.compile(r"^[ \t]*\{:?[ \t]*([^}\n \t][^}\n]*?)[ \t]*\}[ \t]*$")
PART = re.compile(r"""([#.][^\s"'=]+)|([A-Za-z_:][-\w:.]*)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)""")
FORBIDDEN = ("on", "href", "src", "srcset", "action", "formaction")


def attr_list_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("attr_list", apply_attr_lists)


def parse_attrs(text: str) -> dict[str, str]:
    """`#id .a .b key="v"` as attributes; unknown words are ignored, as attr_list does."""
    found: dict[str, str] = {}
    for match in PART.finditer(text):
        short, name = match.group(1), match.group(2)
        if short and short[0] == "#":
            found["id"] = short[1:]
        elif short:
            found["class"] = f"{found['class']} {short[1:]}" if "class" in found else short[1:]
        elif name and not name.lower().startswith(FORBIDDEN):
            value = next((g for g in match.groups()[2:5] if g is not None), "")
            found[name] = value
    return found


def _apply(token: Token, attrs: dict[str, str]) -> None:
    for name, value in attrs.items():
        if name == "class" and token.attrs.get("class"):
            token.attrs["class"] = f"{token.attrs['class']} {value}"
        else:
            token.attrs[name] = value


def apply_attr_lists(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children or "{" not in token.content:
            continue
        opener = tokens[index - 1] if index else None
        if opener is not None and opener.type == "heading_open":
            _heading(opener, token.children)
        elif opener is not None and opener.type == "paragraph_open":
            _block(opener, token.children)
        _inline(token.children)


def _heading(heading: Token, children: list[Token]) -> None:
    last = children[-1]
    match = HEADING_TAIL.search(last.content) if last.type == "text" else None
    if match is not None:
        last.content = last.content[: match.start()]
        _apply(heading, parse_attrs(match.group(1)))


def _block(paragraph: Token, children: list[Token]) -> None:
    last = children[-1]
    match = BLOCK_LINE.match(last.content) if last.type == "text" else None
    if match is None or len(children) < 2 or children[-2].type != "softbreak":
        return
    del children[-2:]
    _apply(paragraph, parse_attrs(match.group(1)))


def _inline(children: list[Token]) -> None:
    for position, child in enumerate(children):
        if child.type != "text" or not position or not child.content.startswith("{"):
            continue
        before = children[position - 1]
        target = before if before.type in {"image", "code_inline"} else _opening(children, position - 1)
        match = INLINE_HEAD.match(child.content)
        if target is None or match is None:
            continue
        child.content = child.content[match.end() :]
        _apply(target, parse_attrs(match.group(1)))


def _opening(children: list[Token], close: int) -> Token | None:
    """The opening token of the inline element that ends at `close` (a link, **strong**, ...)."""
    if children[close].nesting != -1:
        return None
    depth = 0
    for candidate in reversed(children[: close + 1]):
        depth += candidate.nesting
        if candidate.nesting == 1 and depth == 0:
            return candidate
    return None
