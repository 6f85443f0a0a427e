"""The headings of a parsed document (with the ids `heading_ids` gave them), for the on-page
table of contents and for checking `#fragment` links."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from generator.markdown.heading_ids import heading_text


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def collect_headings(tokens: list[Token]) -> list[Heading]:
    """Every heading with its id, in document order."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrs.get("id"):
            found.append(Heading(int(token.tag[1]), heading_text(tokens[index + 1]), str(token.attrs["id"])))
    return found
