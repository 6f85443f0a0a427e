"""Output writing: every file goes to a temporary folder beside the target, which replaces
the target only when the whole build has succeeded. A failed build leaves the previous
output untouched; a lock keeps two builds from writing the same output at once.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath

from generator.errors import BuildFailed, Problems


class OutputError(Exception):
    """The output cannot be written where it was asked to go."""


def check_output_folder(root: Path, folder: Path, content: Path) -> None:
    """Refuse output folders that would overwrite the project or its content."""
    folder, root, content = folder.resolve(), root.resolve(), content.resolve()
    if folder == root or root.is_relative_to(folder):
        raise OutputError(f"output folder {folder} is the project folder or one of its parents")
    if folder == content or content.is_relative_to(folder) or folder.is_relative_to(content):
        raise OutputError(f"output folder {folder} overlaps the content folder {content}")


class StagedTree:
    """A folder being built next to its final place."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.staging = final.parent / f".{final.name}.building-{os.getpid()}"
        self.written: dict[str, str] = {}

    def __enter__(self) -> StagedTree:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def add(self, rel: str, data: bytes, source: str, problems: Problems) -> None:
        """Stage one file; two producers of the same path are an error naming both."""
        clean = PurePosixPath(rel)
        if clean.is_absolute() or ".." in clean.parts or not rel:
            problems.error(source, f"refusing to write outside the output folder: {rel!r}")
            return
        earlier = self.written.setdefault(rel, source)
        if earlier != source:
            problems.error(source, f"writes {rel}, which {earlier} also writes; give one of them another slug")
            return
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def commit(self) -> None:
        """Swap the staged folder into place; the old one is removed afterwards."""
        retired = self.final.parent / f".{self.final.name}.old-{os.getpid()}"
        if self.final.exists():
            os.replace(self.final, retired)
        os.replace(self.staging, self.final)
        shutil.rmtree(retired, ignore_errors=True)


FinishStep = Callable[[Path, Problems], None]


def write_trees(
    trees: dict[str, Path],
    files: Iterable[tuple[str, str, bytes, str]],
    problems: Problems,
    finish: Mapping[str, FinishStep] | None = None,
) -> int:
    """Write (tree, path, data, source) tuples into staged trees, then swap them all in.

    `finish` maps a tree name to a step run on its complete staged folder before the swap
    (the search index reads the finished pages); its errors cancel the swap too.
    """
    count = 0
    with ExitStack() as stack:
        staged = {name: stack.enter_context(StagedTree(path)) for name, path in trees.items()}
        for tree_name, rel, data, source in files:
            staged[tree_name].add(rel, data, source, problems)
            count += 1
        if problems.errors:
            raise BuildFailed(problems)
        for tree_name, step in (finish or {}).items():
            step(staged[tree_name].staging, problems)
        if problems.errors:
            raise BuildFailed(problems)
        for tree in staged.values():
            tree.commit()
    return count


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock for the project; a second build fails at once with a message."""
    lock_dir = root / ".playbook-cache"
    lock_dir.mkdir(exist_ok=True)
    with (lock_dir / "build.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError("another build of this playbook is already running") from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
