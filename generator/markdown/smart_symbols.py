"""Smart symbols (pymdownx.smartsymbols): `(c)` ©, `(r)` ®, `(tm)` ™, `c/o` ℅, `+/-` ±,
`=/=` ≠, arrows `-->` →, `<--` ←, `<-->` ↔, fractions `1/2` ½ (those Unicode has), and
ordinals `1st` 1<sup>st</sup>, in text (not in code). On in MkDocs projects that list the
extension (`markdown.smart_symbols`)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

SYMBOLS = {"(tm)": "™", "(c)": "©", "(r)": "®", "+/-": "±", "=/=": "≠", "c/o": "℅"}
ARROWS = {"<-->": "↔", "-->": "→", "<--": "←"}
FRACTIONS = {
    "1/4": "¼", "1/2": "½", "3/4": "¾", "1/3": "⅓", "2/3": "⅔", "1/5": "⅕", "2/5": "⅖", "3/5": "⅗",
    "4/5": "⅘", "1/6": "⅙", "5/6": "⅚", "1/8": "⅛", "3/8": "⅜", "5/8": "⅝", "7/8": "⅞",
}  # fmt: skip
SMART = re.compile(
    r"(?P<symbol>\(tm\)|\(c\)|\(r\)|\+/-|=/=|\bc/o\b)"
    r"|(?P<arrow><-->|(?<!-)-->|<--(?!-))"
    r"|(?<!\d)(?P<fraction>" + "|".join(re.escape(f) for f in FRACTIONS) + r")(?!\d)"
    r"|\b(?:[1-9][0-9]*)?(?P<ordinal>(?<=1)[123]th|1st|2nd|3rd|[04-9]th)\b"
)


def smart_symbols_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("text_join", "smart_symbols", smart_symbols)


def smart_symbols(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            smart = token.type == "text" and SMART.search(token.content) is not None
            children.extend(_smartened(token.content) if smart else [token])
        block.children = children


def _smartened(text: str) -> list[Token]:
    """The text with its symbols, split around each ordinal's letters (in <sup>)."""
    parts: list[Token] = []
    pending: list[str] = []
    start = 0
    for match in SMART.finditer(text):
        pending.append(text[start : match.start()])
        if match.group("ordinal") is None:
            pending.append(_symbol(match))
        else:
            pending.append(match.group(0)[:-2])
            parts += [_text("".join(pending)), Token("sup_open", "sup", 1), _text(match.group(0)[-2:])]
            parts.append(Token("sup_close", "sup", -1))
            pending = []
        start = match.end()
    parts.append(_text("".join([*pending, text[start:]])))
    return [part for part in parts if part.type != "text" or part.content]


def _symbol(match: re.Match[str]) -> str:
    if match.group("symbol"):
        return SYMBOLS[match.group("symbol")]
    if match.group("arrow"):
        return ARROWS[match.group("arrow")]
    return FRACTIONS[match.group("fraction")]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
