"""The plain-text part of an e-mail, rendered from the same markdown-it tokens as the HTML.

Paragraphs are wrapped at 72 columns, lists and quotes keep their markers, and every link
becomes `text [n]` with a numbered reference (its tracked URL) listed at the end.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import NamedTuple

import lxml.html
from markdown_it.token import Token

from generator.markdown.engine import ParsedBody
from generator.markdown.links import LinkResolver, link_href

WIDTH = 72
UNDERLINES = {1: "=", 2: "-"}


class OpenLink(NamedTuple):
    """A link whose text is being written: its target and where its text starts in the output."""

    href: str | None
    start: int


@dataclass
class References:
    """Numbered link references; the same URL keeps its number."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def listing(self) -> list[str]:
        return [f"[{n}] {url}" for n, url in enumerate(self.urls, 1)]


@dataclass
class _Container:
    """A list item, quote or definition: the prefix of its first line and of the others."""

    first: str
    rest: str
    used: bool = False


@dataclass
class _TextWriter:
    resolver: LinkResolver | None
    refs: References
    lines: list[str] = field(default_factory=list)
    containers: list[_Container] = field(default_factory=list)
    lists: list[list[int]] = field(default_factory=list)
    row: list[str] = field(default_factory=list)
    tight: bool = False
    gap: bool = False

    def block(self, text: str, *, wrap: bool = True) -> None:
        """Write one block (paragraph, heading, code), separated by a blank line unless tight."""
        if self.lines and self.lines[-1].strip(" >") and (self.gap or not self.tight):
            self.lines.append("".join(c.rest for c in self.containers if c.used).rstrip())
        self.gap = False
        for index, raw in enumerate(text.split("\n")):
            width = max(WIDTH - len(self._prefix(first=False)), 20)
            pieces = textwrap.wrap(raw, width, break_long_words=False, break_on_hyphens=False) if wrap else [raw]
            for piece in pieces or [""]:
                self.lines.append((self._prefix(first=index == 0) + piece).rstrip())

    def _prefix(self, *, first: bool) -> str:
        parts = []
        for container in self.containers:
            if first and not container.used:
                parts.append(container.first)
                container.used = True
            else:
                parts.append(container.rest)
        return "".join(parts)

    def inline(self, children: list[Token]) -> str:
        out: list[str] = []
        link: OpenLink | None = None
        for index, token in enumerate(children):
            kind = token.type
            if kind in ("text", "keys"):
                out.append(token.content)
            elif kind == "code_inline":
                out.append(f"`{token.content}`")
            elif kind == "softbreak":
                out.append(" ")
            elif kind == "hardbreak":
                out.append("\n")
            elif kind == "image":
                out.append(f"[{token.content}]" if token.content else "")
            elif kind == "html_inline":
                out.append(_checkbox(token.content))
            elif kind == "footnote_ref":
                out.append(f"[^{token.meta['label']}]")
            elif kind == "link_open":
                link = OpenLink(link_href(children, index, self.resolver), len(out))
            elif kind == "link_close" and link is not None:
                out.append(self._reference(link.href, "".join(out[link.start :])))
                link = None
        return "".join(out)

    def _reference(self, href: str | None, text: str) -> str:
        if not href or href.startswith("#") or href in (text, f"mailto:{text}", f"tel:{text}"):
            return ""
        return f" [{self.refs.number(href)}]"


def _checkbox(html: str) -> str:
    if "task-list-item-checkbox" not in html:
        return ""
    return "[x]" if "checked" in html else "[ ]"


def _html_text(html: str) -> str:
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div").text_content().strip()
    except (ValueError, lxml.etree.ParserError):
        return ""


def render_text(parsed: ParsedBody, resolver: LinkResolver | None, refs: References) -> str:
    """Plain text of a document body; links are numbered into `refs`."""
    writer = _TextWriter(resolver, refs)
    tokens = list(parsed.tokens)
    for index, token in enumerate(tokens):
        _write_token(writer, tokens, index, token)
    return "\n".join(writer.lines).strip("\n")


def _write_token(writer: _TextWriter, tokens: list[Token], index: int, token: Token) -> None:
    kind = token.type
    if kind in ("bullet_list_open", "ordered_list_open"):
        writer.gap = not writer.lists
        writer.lists.append([int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0])
    elif kind in ("bullet_list_close", "ordered_list_close"):
        writer.lists.pop()
        writer.gap = not writer.lists
    elif kind == "list_item_open":
        counter = writer.lists[-1]
        marker = f"{counter[0]}. " if counter[0] else "- "
        counter[0] += 1 if counter[0] else 0
        writer.containers.append(_Container(marker, " " * len(marker)))
    elif kind in ("blockquote_open", "admonition_open"):
        writer.containers.append(_Container("> ", "> "))
    elif kind == "dd_open":
        writer.containers.append(_Container("    ", "    "))
    elif kind in ("list_item_close", "blockquote_close", "admonition_close", "dd_close"):
        writer.containers.pop()
    elif kind == "paragraph_open":
        writer.tight = token.hidden
    elif kind == "inline":
        _write_inline(writer, tokens, index, token)
    elif kind in ("fence", "code_block"):
        writer.tight = False
        writer.block(textwrap.indent(token.content.rstrip("\n"), "    "), wrap=False)
    elif kind == "html_block":
        text = _html_text(token.content)
        if text:
            writer.block(text)
    elif kind == "hr":
        writer.block("* * *", wrap=False)
    elif kind == "tr_open":
        writer.row = []
    elif kind == "tr_close":
        writer.block(" | ".join(writer.row), wrap=False)
        writer.tight = True
    elif kind in ("table_open", "table_close"):
        writer.tight = False
    elif kind == "footnote_block_open":
        writer.tight = False
        writer.block("* * *", wrap=False)
    elif kind == "footnote_open":
        writer.containers.append(_Container(f"[^{token.meta['label']}] ", "    "))
    elif kind == "footnote_close":
        writer.containers.pop()


def _write_inline(writer: _TextWriter, tokens: list[Token], index: int, token: Token) -> None:
    text = writer.inline(token.children or [])
    parent = tokens[index - 1].type if index else ""
    if parent in ("th_open", "td_open"):
        writer.row.append(text)
    elif parent == "heading_open":
        writer.tight = False
        level = int(tokens[index - 1].tag[1])
        underline = UNDERLINES.get(level)
        writer.block(f"{text}\n{underline * len(text)}" if underline else text.upper(), wrap=underline is None)
    elif parent == "admonition_title_open":
        writer.block(f"{text}:")
    elif parent == "dt_open":
        writer.tight = False
        writer.block(text)
    else:
        writer.block(text)
