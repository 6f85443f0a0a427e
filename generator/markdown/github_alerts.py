"""GitHub's alerts: a blockquote that starts with `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
`[!WARNING]` or `[!CAUTION]` is the admonition `!!! note` (and so on) would make, title and
all, in pages and e-mails. Editors who write Markdown on GitHub use it; elsewhere the
marker would show as text."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALERT = re.compile(r"^\[!(?P<kind>note|tip|important|warning|caution)\][ \t]*(?:\n|$)", re.IGNORECASE)


def github_alerts_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "github_alerts", github_alerts)


def github_alerts(state: StateCore) -> None:
    if "[!" not in state.src:
        return
    tokens, out = state.tokens, []
    alerts: list[bool] = []  # for each open blockquote: whether it became an alert
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = _alert_kind(tokens, index) if token.type == "blockquote_open" else None
        if token.type == "blockquote_open":
            alerts.append(kind is not None)
        if kind is not None:
            out += _opening(token, kind)
            first = tokens[index + 2]
            first.content = ALERT.sub("", first.content, count=1)
            if not first.content.strip():
                index += 3  # the marker was the whole first paragraph
        elif token.type == "blockquote_close" and alerts.pop():
            out.append(_retyped(token, "admonition_close", "div"))
        else:
            out.append(token)
        index += 1
    state.tokens = out


def _alert_kind(tokens: list[Token], index: int) -> str | None:
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return None
    match = ALERT.match(tokens[index + 2].content)
    return match.group("kind").lower() if match else None


def _opening(blockquote: Token, kind: str) -> list[Token]:
    """The tokens `!!! kind` opens with: the box, and its title paragraph."""
    box = _retyped(blockquote, "admonition_open", "div")
    box.attrs = {"class": f"admonition {kind}"}
    box.markup, box.info = "!!!", f" {kind}"
    title_open = Token("admonition_title_open", "p", 1, attrs={"class": "admonition-title"}, map=box.map)
    title_open.markup, title_open.level, title_open.block = f"!!! {kind}", box.level + 1, True
    title = Token("inline", "", 0, content=kind.capitalize(), map=box.map, children=[])
    title.level, title.block = box.level + 2, True
    title_close = Token("admonition_title_close", "p", -1)
    title_close.level, title_close.block = box.level + 1, True
    return [box, title_open, title, title_close]


def _retyped(token: Token, kind: str, tag: str) -> Token:
    token.type, token.tag = kind, tag
    return token
