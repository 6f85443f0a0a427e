"""Keys (pymdownx.keys): `++ctrl+alt+del++` is written as keyboard keys, each a <kbd> with
pymdownx's label and class (`Ctrl`, `key-control`), joined by `+`, in a `<span class="keys">`
(in plain text: `Ctrl+Alt+Del`); `++"My Key"++` is a key with that label. Key names come from
pymdownx's own key map, so an unknown name leaves the text as it is, as pymdownx does."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from pymdownx.keymap_db import aliases, keymap

KEY = r"""[\w\-]+|"(?:\\.|[^\\"])+"|'(?:\\.|[^\\'])+'"""
KEYS = re.compile(rf"\+\+((?:(?:{KEY})\+(?!\+))*?(?:{KEY}))\+\+")
KEY_TOKEN = re.compile(KEY)
ESCAPED = re.compile(r"\\(.)")


class Key(NamedTuple):
    name: str | None
    label: str


def keys_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("emphasis", "keys", keys)
    md.add_render_rule("keys", render_keys)


def keys(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("++", state.pos):
        return False
    match = KEYS.match(state.src, state.pos)
    found = [_key(text) for text in KEY_TOKEN.findall(match.group(1))] if match else []
    if not found or None in found:
        return False
    if not silent:
        token = state.push("keys", "span", 0)
        token.meta, token.content = {"keys": found}, "+".join(key.label for key in found)
    state.pos = match.end() if match else state.pos
    return True


def _key(text: str) -> Key | None:
    if text.startswith(('"', "'")):
        return Key(None, html.unescape(ESCAPED.sub(r"\1", text[1:-1])).strip())
    name = aliases.get(text, text)
    label = keymap.get(name)
    return Key(name, label) if label else None


def render_keys(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    return f'<span class="keys">{"<span>+</span>".join(_kbd(key) for key in tokens[idx].meta["keys"])}</span>'


def _kbd(key: Key) -> str:
    attrs = f' class="key-{escapeHtml(key.name)}"' if key.name else ""
    return f"<kbd{attrs}>{escapeHtml(key.label)}</kbd>"
