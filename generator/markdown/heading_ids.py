"""Core rule: give every heading an id, the way the project's settings say.

Playbook's own ids are Unicode slugs numbered `-1`, `-2` on repeats. MkDocs projects get the
ids MkDocs' toc extension writes: its slug function (or pymdownx.slugs', as `slugify:` in
mkdocs.yml chooses) and repeats numbered `_1`, `_2`, so deep links into the old site still
work. An id set by hand (`## Title { #id }`) is kept and reserved first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from generator.config.settings import HeadingIds
from generator.markdown.title_heading import DROPPED_KEY
from generator.urls import slugify as playbook_slugify

SlugFunction = Callable[[str], str]
_TOC_INVALID = re.compile(r"[^\w\s-]")
_PYMDOWNX_INVALID = re.compile(r"[^\w\- ]")
_ASCII_CAPITALS = re.compile(r"[A-Z]")
_TOC_REPEAT = re.compile(r"^(.*)_([0-9]+)$")


def heading_ids_plugin(md: MarkdownIt, settings: HeadingIds) -> None:
    slug = slug_function(settings)
    mkdocs = settings.slugify != "playbook"
    unique = _toc_unique if mkdocs else _playbook_unique
    md.core.ruler.push("anchor", lambda state: _give_ids(state, slug, unique, count_title=mkdocs))


def slug_function(settings: HeadingIds) -> SlugFunction:
    """The slug of a heading's text under `settings`."""
    separator = settings.separator
    if settings.slugify == "playbook":
        return lambda text: playbook_slugify(text) or "section"
    if settings.slugify in ("toc", "toc_unicode"):
        ascii_only = settings.slugify == "toc"
        return lambda text: _toc_slug(text, separator, ascii_only)
    return lambda text: _pymdownx_slug(text, separator, settings)


def _toc_slug(text: str, separator: str, ascii_only: bool) -> str:
    """Python-Markdown's `toc.slugify` / `slugify_unicode`."""
    if ascii_only:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _TOC_INVALID.sub("", text).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, text)


def _pymdownx_slug(text: str, separator: str, settings: HeadingIds) -> str:
    """pymdownx.slugs' `slugify(case=..., normalize=..., percent_encode=...)`."""
    slug = (unicodedata.normalize(settings.normalize, text) if settings.normalize else text).strip()
    if settings.case == "lower":
        slug = slug.lower()
    elif settings.case == "lower-ascii":
        slug = _ASCII_CAPITALS.sub(lambda m: m.group(0).lower(), slug)
    elif settings.case == "fold":
        slug = slug.casefold()
    slug = _PYMDOWNX_INVALID.sub("", slug).replace(" ", separator)
    return quote(slug.encode("utf-8")) if settings.percent_encode else slug


def _playbook_unique(slug: str, taken: set[str]) -> str:
    found, number = slug, 1
    while found in taken:
        found, number = f"{slug}-{number}", number + 1
    return found


def _toc_unique(slug: str, taken: set[str]) -> str:
    """Python-Markdown's `toc.unique`: `x`, `x_1`, `x_2`; an empty id becomes `_1`."""
    while slug in taken or not slug:
        match = _TOC_REPEAT.match(slug)
        slug = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{slug}_1"
    return slug


def heading_text(inline: Token) -> str:
    """The words of a heading, as a slug is made from them (markup left out)."""
    return "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})


def _give_ids(
    state: StateCore, slug: SlugFunction, unique: Callable[[str, set[str]], str], *, count_title: bool
) -> None:
    """`count_title`: the `# Title` the layout shows instead still takes its id first, as
    it does in MkDocs, so the ids after it are MkDocs' too."""
    tokens = state.tokens
    taken = {str(t.attrs["id"]) for t in tokens if t.type == "heading_open" and t.attrs.get("id")}
    dropped = state.env.get(DROPPED_KEY)
    if count_title and dropped is not None:
        taken.add(unique(slug(heading_text(dropped)), taken))
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.attrs.get("id"):
            continue
        found = unique(slug(heading_text(tokens[index + 1])), taken)
        taken.add(found)
        token.attrSet("id", found)
