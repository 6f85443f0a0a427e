"""Safe YAML loading that remembers the line of every key, with a bound on alias expansion.

It never constructs Python objects from tags (SafeLoader only) and refuses documents whose
aliases would expand beyond a fixed number of nodes (the "billion laughs" attack). Front
matter is loaded so that one bad value (an impossible date, a line YAML cannot parse) is
reported and the rest of the document is still read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import yaml

MAX_EXPANDED_NODES = 20_000
MAX_NESTING = 64

KeyPath = tuple[str | int, ...]


class YamlError(Exception):
    """A YAML document that cannot be loaded; `line` is 1-based within the YAML text, and
    `start_line` the line where the construct that failed began (an unclosed quote's)."""

    def __init__(self, message: str, line: int | None, start_line: int | None = None, *, limit: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.start_line = start_line or line
        self.limit = limit
        """A safety limit (size, nesting) was hit: the whole document is refused."""


@dataclass(frozen=True)
class BadValue:
    """A value that could not be read as written (`text`); `message` says why. Validation
    leaves it to the reader, which reports it."""

    text: str
    message: str


class WrittenFloat(float):
    """A number that remembers how it was written, so `version: 1.10` stays "1.10" where a
    text is expected."""

    text: str

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self) -> tuple[type[WrittenFloat], tuple[float, str]]:
        return (WrittenFloat, (float(self), self.text))


class YamlProblem(NamedTuple):
    """A value of a loaded document that could not be read; the rest of it was."""

    path: KeyPath
    line: int
    message: str


@dataclass
class LocatedYaml:
    """Loaded YAML data plus the 1-based line of each key path, and the values that could not
    be read (front matter only: elsewhere such a value stops the loading)."""

    data: object
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def line_of(self, path: KeyPath, default: int | None = None) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return default

    def is_unread(self, path: KeyPath) -> bool:
        """True when the value at `path` (or one containing it) could not be read."""
        return any(path[: len(problem.path)] == problem.path for problem in self.problems)


class _TooDeep(yaml.composer.ComposerError):
    """Nesting beyond MAX_NESTING: a safety limit, not a mistake in one value."""


class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2026-13-01) and too deep nesting are located YAML
    errors, not ValueError or RecursionError."""

    depth = 0
    recover = False

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                raise _TooDeep(None, None, f"nested more than {MAX_NESTING} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        return _timestamp(self, node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> object:
        return _float(self, node)


def _timestamp(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        message = f"{node.value!r} is not a real date ({exc}); write dates as YYYY-MM-DD"
        if getattr(loader, "recover", False):
            return BadValue(node.value, message)
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from None


def _float(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> object:
    return WrittenFloat(yaml.constructor.SafeConstructor.construct_yaml_float(loader, node), node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """libyaml's parser (ten times faster) with the same constructors, for short texts whose
    nesting cannot run deep; `_record_lines` enforces MAX_NESTING on what it composes."""

    recover = False

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        return _timestamp(self, node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> object:
        return _float(self, node)


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)
_FastLoader.add_constructor("tag:yaml.org,2002:float", _FastLoader.construct_yaml_float)
FAST_LIMIT = 20_000


def load_located(text: str, *, recover: bool = False) -> LocatedYaml:
    """Parse one YAML document safely and record where each key stands.

    Short, shallow texts go through libyaml; any problem it finds is reported from the pure
    Python parser, whose messages and lines are the ones users see. With `recover`, an
    impossible date becomes a BadValue instead of stopping the loading."""
    if len(text) < FAST_LIMIT and text.count("[") + text.count("{") < MAX_NESTING:
        try:
            return _load(_FastLoader(text), recover)
        except YamlError:
            pass
    return _load(_Loader(text), recover)


TOP_LEVEL_KEY = re.compile(r"^([^\s#\-\[\]{}'\"!&*|>%@`][^:#]*?|'[^']*'|\"[^\"]*\")[ \t]*:(?:[ \t]|$)")


class _Entry(NamedTuple):
    """The lines [start, end) of one top-level `key: value` of a document (0-based)."""

    key: str
    start: int
    end: int


def load_front_matter(text: str) -> LocatedYaml:
    """Load front matter so that every readable key is read: a top-level entry YAML cannot
    parse is set aside (its value becomes a BadValue, its problem recorded) and the rest is
    parsed again; impossible dates become BadValues. Raises YamlError only when the broken
    part belongs to no key."""
    lines = text.split("\n")
    set_aside: dict[str, YamlProblem] = {}
    while True:
        try:
            located = load_located("\n".join(lines), recover=True)
            break
        except YamlError as exc:
            entry = None if exc.limit else _entry_at(lines, (exc.start_line or 1) - 1)
            if entry is None or entry.key in set_aside:
                raise
            written = "\n".join(lines[entry.start : entry.end])
            set_aside[entry.key] = YamlProblem((entry.key,), entry.start + 1, _explained(exc, entry.key, written))
            lines[entry.start : entry.end] = [""] * (entry.end - entry.start)
    return _with_unread(located, list(set_aside.values()), text)


def _entry_at(lines: list[str], index: int) -> _Entry | None:
    """The top-level entry that line `index` belongs to."""
    starts = [i for i, line in enumerate(lines) if TOP_LEVEL_KEY.match(line)]
    before = [i for i in starts if i <= index]
    if not before:
        return None
    start = before[-1]
    end = next((i for i in starts if i > start), len(lines))
    match = TOP_LEVEL_KEY.match(lines[start])
    assert match is not None
    return _Entry(match.group(1).strip("'\""), start, end)


def _with_unread(located: LocatedYaml, set_aside: list[YamlProblem], text: str) -> LocatedYaml:
    """`located` with the set-aside entries put back as BadValues and every BadValue listed."""
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        return located
    source = text.split("\n")
    for problem in set_aside:
        key = str(problem.path[0])
        written = source[problem.line - 1].split(":", 1)[1].strip()
        data[key] = BadValue(written, problem.message)
        located.lines[problem.path] = problem.line
    found = [
        YamlProblem(path, located.line_of(path, 1) or 1, value.message)
        for path, value in _bad_values(data, ())
        if not any(path == problem.path for problem in set_aside)
    ]
    return LocatedYaml(data, located.lines, sorted(set_aside + found, key=lambda p: p.line))


def _bad_values(value: object, path: KeyPath) -> list[tuple[KeyPath, BadValue]]:
    if isinstance(value, BadValue):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _bad_values(item, (*path, str(key)))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _bad_values(item, (*path, index))]
    return []


def _explained(exc: YamlError, key: str, written: str) -> str:
    """What went wrong in one entry, and what to write instead."""
    value = written.split(":", 1)[1].strip() if ":" in written else ""
    if "mapping values are not allowed" in exc.message and "\n" not in written.strip():
        quoted = json.dumps(value, ensure_ascii=False)
        return f"the value {value!r} contains ': ', so it must be in quotes: write {key}: {quoted}"
    if "while scanning a quoted scalar" in exc.message:
        return f"the quote that opens the value of {key} is not closed: end the value with the same quote"
    if "flow sequence" in exc.message or "flow mapping" in exc.message:
        return f"the value of {key} opens a [list] or {{mapping}} that is not closed: write {key}: [a, b]"
    if "'\\t'" in exc.message:
        return "indent with spaces, not tabs"
    return exc.message


def _load(loader: yaml.SafeLoader, recover: bool = False) -> LocatedYaml:
    loader.recover = recover
    try:
        node = loader.get_single_node()
        if node is None:
            return LocatedYaml(None)
        lines: dict[KeyPath, int] = {}
        _record_lines(node, (), lines, [0])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        start = exc.context_mark.line + 1 if exc.context_mark else line
        raise YamlError(_describe(exc), line, start, limit=isinstance(exc, _TooDeep)) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).replace("\n", " "), None) from None
    finally:
        loader.dispose()
    return LocatedYaml(data, lines)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [exc.context, exc.problem]
    text = "; ".join(p for p in parts if p)
    if "could not determine a constructor" in text:
        return "YAML tags that build objects are not allowed: " + text
    return "invalid YAML: " + text


def _record_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], count: list[int]) -> None:
    count[0] += 1
    if len(path) >= MAX_NESTING:
        raise YamlError(
            f"invalid YAML: nested more than {MAX_NESTING} levels deep", node.start_mark.line + 1, limit=True
        )
    if count[0] > MAX_EXPANDED_NODES:
        raise YamlError(
            f"YAML expands to more than {MAX_EXPANDED_NODES} values (aliases nested too deep?)",
            node.start_mark.line + 1,
            limit=True,
        )
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = (*path, key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _record_lines(value_node, child, lines, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines.setdefault(child, item.start_mark.line + 1)
            _record_lines(item, child, lines, count)
