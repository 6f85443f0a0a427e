"""Emoji shortcodes (pymdownx.emoji): `:smile:` becomes the emoji itself (Unicode text, so it
shows in pages, e-mail and search alike), from the Twemoji index Material uses. Icon
shortcodes (`:material-open-in-new:`, `:fontawesome-solid-paper-plane:`) become the icon's
SVG inline, as Material's `to_svg` makes it (`<span class="twemoji"><svg>`), from the
project's own icon folders (`custom_icons`) and the icon sets of Material for MkDocs where
it is installed; without them an icon is left out with a warning saying so."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from generator.markdown.notes import left_out

SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")
ICON_SETS = ("material-", "fontawesome-", "octicons-", "simple-")
ICON_FOLDERS_KEY = "icon_folders"
"""env: the project's icon folders (absolute), searched before Material's."""


def emoji_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("emphasis", "emoji", emoji)
    md.add_render_rule("icon", render_icon)


def render_icon(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    return f'<span class="twemoji">{tokens[idx].content}</span>'


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


def icon_file(name: str, folders: tuple[Path, ...]) -> Path | None:
    """The SVG of icon `name`: from the project's folders (looked at anew: `playbook serve`
    sees icons added or edited), else from Material's icon sets."""
    for folder in folders:
        if (found := _icons_in(folder).get(name)) is not None:
            return found
    return _material_icons().get(name)


@cache
def _material_icons() -> dict[str, Path]:
    """Material for MkDocs' icons, when it is installed (found without importing it)."""
    spec = importlib.util.find_spec("material")
    locations = list(spec.submodule_search_locations or []) if spec else []
    found: dict[str, Path] = {}
    for location in locations:
        found.update(_icons_in(Path(location, "templates", ".icons")))
    return found


def _icons_in(root: Path) -> dict[str, Path]:
    """The icons of a folder by name: `fontawesome/solid/paper-plane.svg` is the icon
    `fontawesome-solid-paper-plane`."""
    found = {}
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "-")
        for name in names:
            if name.endswith(".svg"):
                found[name[:-4] if prefix == "." else f"{prefix}-{name[:-4]}"] = Path(folder, name)
    return found


def emoji(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    match = SHORTCODE.match(state.src, state.pos)
    if match is None:
        return False
    name = match.group(1)
    character = emoji_index().get(match.group(0))
    icon = icon_file(name, state.env.get(ICON_FOLDERS_KEY, ())) if character is None else None
    if character is None and icon is None and not name.startswith(ICON_SETS):
        return False
    if not silent:
        if character is not None:
            state.push("text", "", 0).content = character
        elif icon is not None:
            state.push("icon", "", 0).content = icon.read_text(encoding="utf-8").strip()
        else:
            left_out(state, "icon", f"icon {match.group(0)} left out: {_missing()}")
    state.pos = match.end()
    return True


def _missing() -> str:
    if _material_icons():
        return "no such icon in Material's icon sets or the project's icon folders"
    return "Material for MkDocs has the icon sets (pip install mkdocs-material)"
