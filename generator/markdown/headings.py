"""The headings of a parsed document (with the ids `heading_ids` gave them), for the on-page
table of contents and for checking `#fragment` links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from generator.markdown.heading_ids import heading_text

TOC_DEEPEST = 4
"""The "On this page" list goes down to level-4 headings."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class TocEntry:
    """A heading of the "On this page" list with the headings under it."""

    heading: Heading
    children: tuple[TocEntry, ...] = ()


def collect_headings(tokens: list[Token]) -> list[Heading]:
    """Every heading with its id, in document order."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrs.get("id"):
            found.append(Heading(int(token.tag[1]), heading_text(tokens[index + 1]), str(token.attrs["id"])))
    return found


def inline_text(inline: Token) -> str:
    """The words of an inline token (a heading or a table cell), without markup."""
    return "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})


def contents(headings: Sequence[Heading]) -> tuple[TocEntry, ...]:
    """Headings nested by level: each takes the deeper ones that follow it (a skipped level,
    h2 then h4, nests one step)."""
    entries, index = [], 0
    while index < len(headings):
        top, end = headings[index], index + 1
        while end < len(headings) and headings[end].level > top.level:
            end += 1
        entries.append(TocEntry(top, contents(headings[index + 1 : end])))
        index = end
    return tuple(entries)
