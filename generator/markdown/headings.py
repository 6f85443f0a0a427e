"""Heading anchors (Unicode-aware, same slugs as URLs) and the on-page table of contents."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from generator.urls import slugify


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def heading_slug(text: str) -> str:
    return slugify(text) or "section"


def collect_headings(tokens: list[Token]) -> list[Heading]:
    """Every heading with the id the anchors plugin gave it, in document order."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrs.get("id"):
            inline = tokens[index + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})
            found.append(Heading(int(token.tag[1]), text, str(token.attrs["id"])))
    return found
