"""Snippets (pymdownx.snippets): a line `--8<-- "file"` is replaced by that file's text before
the Markdown is parsed; `"file:3:10"` takes lines 3 to 10, `"file:name"` the part between
`--8<-- [start:name]` and `--8<-- [end:name]`. A block of file names between two `--8<--`
lines includes each. `;--8<--` is written as it is, without the `;`.

Files are looked for in the project folder and the configured base folders, and only files
inside the project are read; a missing one is left out with a warning. Files configured to
be appended (`auto_append`) are included after every page's last line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from generator.markdown.notes import note
from generator.markdown.source_lines import LINE_OFFSET_KEY

SNIPPETS_KEY = "snippets"
_BLOCK_KEY = "snippet_block"
MARKER = "--8<--"
MAX_DEPTH = 8
SNIPPET_LINE = re.compile(
    r'^(?P<indent>[ \t]*)(?P<escape>;*)--8<--[ \t]+(?P<quote>["\'])(?P<target>.+?)(?P=quote)[ \t]*$'
)
BLOCK_MARK = re.compile(r"^[ \t]*(?P<escape>;*)--8<--[ \t]*$")
SECTION_MARK = re.compile(
    r"^.*?(?P<escape>;*)-+8<-+[ \t]+\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>[A-Za-z][-_0-9A-Za-z]*)[ \t]*\]"
)
LINE_RANGE = re.compile(r"^(?P<path>.+?)(?::(?P<start>[0-9]*)(?::(?P<end>[0-9]*))?)?$")
SECTION_TARGET = re.compile(r"^(?P<path>.+?):(?P<name>[A-Za-z][-_0-9A-Za-z]*)$")


@dataclass(frozen=True)
class SnippetSource:
    project: Path
    bases: tuple[str, ...] = ()
    appended: tuple[str, ...] = ()

    def appended_text(self) -> str:
        """What the appended files hold, as read now (part of every body's cache key)."""
        found = [self.find(name) for name in self.appended]
        return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in found if path is not None)

    def find(self, name: str) -> Path | None:
        """The file `name` in the project or a base folder, never one outside the project."""
        return next((found for base in (".", *self.bases) if (found := self.find_in(base, name))), None)

    def find_in(self, base: str, name: str) -> Path | None:
        """The file `name` in the folder `base` of the project, if it is inside the project."""
        root = self.project.resolve()
        candidate = (root / base / name).resolve()
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None


@dataclass(frozen=True)
class Include:
    """One snippet line being expanded: where it was written, for warnings."""

    line: int
    depth: int
    seen: frozenset[Path]


def snippets_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("block", "snippets", expand_snippets)


def expand_snippets(state: StateCore) -> None:
    source: SnippetSource | None = state.env.get(SNIPPETS_KEY)
    appended = source.appended if source is not None else ()
    if MARKER not in state.src and "-8<-" not in state.src and not appended:
        return
    offset = state.env.get(LINE_OFFSET_KEY, 1)
    lines = state.src.split("\n")
    out: list[str] = []
    for number, text in enumerate(lines):
        out.extend(_expand_line(text, number, source, state.env, Include(number + offset, 0, frozenset())))
    state.env.pop(_BLOCK_KEY, None)
    end = Include(len(lines) - 1 + offset, 0, frozenset())
    for name in appended:
        out.extend(["", *_include(name, "", source, state.env, end)])
    state.src = "\n".join(out)


def _expand_line(text: str, number: int, source: SnippetSource | None, env: dict, where: Include) -> list[str]:
    """What one line becomes. Block-form markers toggle a mode kept in `env`."""
    block = env.get(_BLOCK_KEY)
    if (mark := BLOCK_MARK.match(text)) is not None:
        if mark.group("escape"):
            return [text.replace(";", "", 1)]
        env[_BLOCK_KEY] = None if block is not None else number
        return []
    if block is not None:
        return _include(text.strip(), "", source, env, where) if text.strip() else []
    if (section := SECTION_MARK.match(text)) is not None:
        return [text.replace(";", "", 1)] if section.group("escape") else []
    match = SNIPPET_LINE.match(text)
    if match is None:
        return [text]
    if match.group("escape"):
        return [text.replace(";", "", 1)]
    return _include(match.group("target"), match.group("indent"), source, env, where)


def _include(target: str, indent: str, source: SnippetSource | None, env: dict, where: Include) -> list[str]:
    if source is None or "://" in target:
        note(env, where.line, "snippet", f"{target!r} left out: only files inside the project can be included")
        return []
    section = SECTION_TARGET.match(target)
    ranged = LINE_RANGE.match(target)
    name = section.group("path") if section and source.find(section.group("path")) else None
    path = source.find(name) if name else source.find(ranged.group("path") if ranged else target)
    if path is None:
        note(env, where.line, "snippet", f"{target!r} not found in the project: left out")
        return []
    if path in where.seen or where.depth >= MAX_DEPTH:
        note(env, where.line, "snippet", f"{target!r} includes itself: left out")
        return []
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").removesuffix("\n")
    chosen = text.split("\n")
    if section is not None and name is not None:
        chosen = _section(chosen, section.group("name"))
    elif ranged is not None and (ranged.group("start") or ranged.group("end")):
        start = int(ranged.group("start") or 1)
        end = int(ranged.group("end") or len(chosen))
        chosen = chosen[max(start, 1) - 1 : end]
    inner = Include(where.line, where.depth + 1, where.seen | {path})
    expanded: list[str] = []
    for number, line in enumerate(chosen):
        expanded.extend(_expand_line(line, number, source, env, inner))
    return [indent + line if line else line for line in expanded]


def _section(lines: list[str], name: str) -> list[str]:
    """The lines between `[start:name]` and `[end:name]` markers."""
    kept: list[str] = []
    inside = False
    for line in lines:
        mark = SECTION_MARK.match(line)
        if mark is not None and mark.group("name") == name and not mark.group("escape"):
            inside = mark.group("kind") == "start"
            continue
        if inside:
            kept.append(line)
    return kept
