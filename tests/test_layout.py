"""The code's shape: data flows one way between the generator's modules (no import cycle,
counting imports inside functions and under TYPE_CHECKING), and test modules stand alone."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
TESTS = ROOT / "tests"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Every module `path` imports (and every name it imports from one, which may be a
    module too), wherever the import statement stands."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(folder: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same folder tree it imports."""
    modules = {module_name(path): path for path in folder.rglob("*.py")}
    return {
        name: {target for target in imported_names(path) if target in modules} - {name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_of_three() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_and_type_checking_blocks_count(tmp_path: Path) -> None:
    source = tmp_path / "generator" / "x.py"
    source.parent.mkdir()
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from generator.y import Y\n"
        "def f():\n    from generator import z\n",
        encoding="utf-8",
    )
    names = set(imported_names(source, tmp_path))
    assert {"generator.y", "generator.z"} <= names


def test_generator_modules_import_one_way() -> None:
    found = cycles(import_graph(PACKAGE))
    assert found == [], "import cycles among generator modules:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_test_modules_do_not_import_each_other() -> None:
    offenders = [
        f"{path.name} imports {target}"
        for path in sorted(TESTS.glob("test_*.py"))
        for target in imported_names(path)
        if target.rpartition(".")[2].startswith("test_") or target.startswith(("tests.test_", "test_"))
    ]
    assert offenders == []
