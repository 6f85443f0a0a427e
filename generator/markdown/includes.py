"""Includes (mdx_include, markdown-include): `{!file!}`, anywhere in a line (in code blocks
too), is replaced by the file's text before the Markdown is parsed, and includes in that
text are expanded in turn (not with `{!-file!}`). `{!file [ln:3-10]!}` takes lines 3 to 10
(ranges separated by commas, `5-` to the end); `{!>file!}` starts the lines after the first
with what precedes the include; `| encoding` after the name chooses the encoding.
`\\{!file!}` is written as it is, without the `\\`.

Files are read from the configured base folder, and only files inside the project; a
missing one, or one outside, is left out with a warning. On in MkDocs projects that list
the extension.
"""

from __future__ import annotations

import codecs
import re
from functools import partial
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from generator.markdown.notes import note
from generator.markdown.snippets import MAX_DEPTH, SNIPPETS_KEY, Include, SnippetSource
from generator.markdown.source_lines import LINE_OFFSET_KEY

INCLUDE_MARK = "{!"
INCLUDE = re.compile(
    r"(?P<escape>\\)?\{!(?P<recursive>[+-])?(?P<indent>>?)\s*(?P<path>[^\]|\[]+?)"
    r"(?:\s*\[ln:(?P<lines>[\d.,-]+)\])?\s*(?:\|\s*(?P<encoding>.+?)\s*)?!\}"
)
RANGE_SEPARATOR = ("", "")
LINE_RANGE = re.compile(r"^(?P<start>\d*)(?:\.\d*)?(?:(?P<dash>-)(?P<end>\d*)(?:\.\d*)?)?$")


def includes_plugin(md: MarkdownIt, base: str) -> None:
    md.core.ruler.before("snippets", "includes", partial(expand_includes, base=base))


def expand_includes(state: StateCore, base: str) -> None:
    if INCLUDE_MARK not in state.src:
        return
    source: SnippetSource | None = state.env.get(SNIPPETS_KEY)
    offset = state.env.get(LINE_OFFSET_KEY, 1)
    lines = state.src.split("\n")
    out = [_expand(text, source, base, state.env, Include(n + offset, 0, frozenset())) for n, text in enumerate(lines)]
    state.src = "\n".join(out)


def _expand(text: str, source: SnippetSource | None, base: str, env: dict, where: Include) -> str:
    if INCLUDE_MARK not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group("escape"):
            return match.group(0)[1:]
        found = _read(match, source, base, env, where)
        if found is None:
            return ""
        included = found.text
        if match.group("recursive") != "-":
            included = _expand_all(included, source, base, env, found.inner)
        return included.replace("\n", "\n" + text[: match.start()]) if match.group("indent") else included

    return INCLUDE.sub(replace, text)


def _expand_all(text: str, source: SnippetSource | None, base: str, env: dict, where: Include) -> str:
    return "\n".join(_expand(line, source, base, env, where) for line in text.split("\n"))


class Included(NamedTuple):
    """A file's text, and where includes in it are expanded (one level deeper)."""

    text: str
    inner: Include


def _read(match: re.Match[str], source: SnippetSource | None, base: str, env: dict, where: Include) -> Included | None:
    name = match.group("path")
    if source is None or "://" in name:
        note(env, where.line, "include", f"{match.group(0)!r} left out: only files inside the project can be included")
        return None
    path = source.find_in(base, name)
    if path is None:
        note(env, where.line, "include", f"{name!r} not found in the project: left out")
        return None
    if path in where.seen or where.depth >= MAX_DEPTH:
        note(env, where.line, "include", f"{name!r} includes itself: left out")
        return None
    text = path.read_text(encoding=_encoding(match.group("encoding")), errors="replace")
    text = text.replace("\r\n", "\n").removesuffix("\n")
    if match.group("lines") is not None:
        text = "\n".join(_chosen_lines(text.split("\n"), match.group("lines")))
    return Included(text, Include(where.line, where.depth + 1, where.seen | {path}))


def _encoding(name: str | None) -> str:
    try:
        return codecs.lookup(name).name if name else "utf-8"
    except LookupError:
        return "utf-8"


def _chosen_lines(lines: list[str], ranges: str) -> list[str]:
    """The lines `3-10`, `5-`, `-4` or `7` (from 1) of each range separated by commas, with
    two empty lines between ranges, as mdx_include writes them; whole lines, also where a
    range names columns (`3.5-10.2`)."""
    parts: list[list[str]] = []
    for part in ranges.split(","):
        found = LINE_RANGE.match(part)
        if not part or found is None:
            continue
        start = int(found.group("start") or 1)
        end = int(found.group("end") or len(lines)) if found.group("dash") else start
        parts.append(lines[max(start, 1) - 1 : end])
    return [line for index, part in enumerate(parts) for line in ([*RANGE_SEPARATOR] if index else []) + part]
