"""Safe YAML loading that remembers the line of every key, with a bound on alias expansion.

It never constructs Python objects from tags (SafeLoader only) and refuses documents whose
aliases would expand beyond a fixed number of nodes (the "billion laughs" attack).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

MAX_EXPANDED_NODES = 20_000
MAX_NESTING = 64

KeyPath = tuple[str | int, ...]


class YamlError(Exception):
    """A YAML document that cannot be loaded; `line` is 1-based within the YAML text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class LocatedYaml:
    """Loaded YAML data plus the 1-based line of each key path."""

    data: object
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath, default: int | None = None) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return default


class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2026-13-01) and too deep nesting are located YAML
    errors, not ValueError or RecursionError."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_NESTING} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        return _timestamp(self, node)


def _timestamp(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date ({exc}); write dates as YYYY-MM-DD", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """libyaml's parser (ten times faster) with the same constructors, for short texts whose
    nesting cannot run deep; `_record_lines` enforces MAX_NESTING on what it composes."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        return _timestamp(self, node)


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)
FAST_LIMIT = 20_000


def load_located(text: str) -> LocatedYaml:
    """Parse one YAML document safely and record where each key stands.

    Short, shallow texts go through libyaml; any problem it finds is reported from the pure
    Python parser, whose messages and lines are the ones users see."""
    if len(text) < FAST_LIMIT and text.count("[") + text.count("{") < MAX_NESTING:
        try:
            return _load(_FastLoader(text))
        except YamlError:
            pass
    return _load(_Loader(text))


def _load(loader: yaml.SafeLoader) -> LocatedYaml:
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
        raise YamlError(_describe(exc), line) from None
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
        raise YamlError(f"invalid YAML: nested more than {MAX_NESTING} levels deep", node.start_mark.line + 1)
    if count[0] > MAX_EXPANDED_NODES:
        raise YamlError(
            f"YAML expands to more than {MAX_EXPANDED_NODES} values (aliases nested too deep?)",
            node.start_mark.line + 1,
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
