"""Emoji shortcodes (pymdownx.emoji): `:smile:` becomes the emoji itself (Unicode text, so it
shows in pages, e-mail and search alike), from the Twemoji index Material uses. Icon
shortcodes of Material's icon sets (`:material-open-in-new:`) have no Unicode form: they are
left out with a warning."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from generator.markdown.notes import left_out

SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")
ICON_SETS = ("material-", "fontawesome-", "octicons-", "simple-")


def emoji_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("emphasis", "emoji", emoji)


@cache
def emoji_index() -> dict[str, str]:
    """Shortcode (with colons) -> the emoji's characters."""
    from pymdownx import twemoji_db

    found = {
        code: "".join(chr(int(point, 16)) for point in entry["unicode"].split("-"))
        for code, entry in twemoji_db.emoji.items()
    }
    found.update({alias: found[code] for alias, code in twemoji_db.aliases.items() if code in found})
    return found


def emoji(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    match = SHORTCODE.match(state.src, state.pos)
    if match is None:
        return False
    name = match.group(1)
    character = emoji_index().get(match.group(0))
    if character is None and not name.startswith(ICON_SETS):
        return False
    if not silent:
        if character is not None:
            state.push("text", "", 0).content = character
        else:
            left_out(state, "icon", f"icon {match.group(0)} left out: icon shortcodes need Material for MkDocs")
    state.pos = match.end()
    return True
