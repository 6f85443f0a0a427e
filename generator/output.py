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

from generator.config import Config
from generator.errors import BuildFailed, Problems
from generator.theme import ASSET_FOLDER

MARKER = ".playbook-output"
MARKER_TEXT = b"This folder is written by Playbook; each build replaces it as a whole.\n"
CACHE_FOLDER = ".playbook-cache"


class OutputError(Exception):
    """The output cannot be written where it was asked to go."""


def check_output_folder(root: Path, folder: Path, content: Path, setting: str = "output folder") -> None:
    """Refuse output folders that would overwrite the project or its content."""
    folder, root, content = folder.resolve(), root.resolve(), content.resolve()
    if folder == root or root.is_relative_to(folder):
        raise OutputError(f"{setting}: {folder} is the project folder or one of its parents")
    if folder == content or content.is_relative_to(folder) or folder.is_relative_to(content):
        raise OutputError(f"{setting}: {folder} overlaps the content folder {content}")


def output_trees(root: Path, config: Config) -> dict[str, Path]:
    """The output folders of a project, each checked to be a safe place to write."""
    settings = {"site": "output_dir", "newsletters": "newsletters_dir"}
    trees = {tree: root / getattr(config, setting) for tree, setting in settings.items()}
    for tree, folder in trees.items():
        check_output_folder(root, folder, root / config.content_dir, f"playbook.yml: {settings[tree]}")
    return trees


def is_playbook_output(folder: Path) -> bool:
    """True for a folder Playbook wrote (marker, or an older build's theme assets), or an empty one."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    return (folder / MARKER).is_file() or (folder / ASSET_FOLDER).is_dir() or not any(folder.iterdir())


def _refuse_foreign(folder: Path) -> None:
    if (folder.exists() or folder.is_symlink()) and not is_playbook_output(folder):
        raise OutputError(
            f"output folder {folder} exists and was not written by Playbook; refusing to replace it "
            "(move it away or choose another output folder in playbook.yml)"
        )


def _leftovers(folder: Path) -> list[Path]:
    """Staging folders that an interrupted build left beside `folder`."""
    return [*folder.parent.glob(f".{folder.name}.building-*"), *folder.parent.glob(f".{folder.name}.old-*")]


def clean_outputs(root: Path, config: Config) -> list[Path]:
    """Delete Playbook's own outputs (folders it wrote, its cache, staging leftovers); nothing else."""
    removed = []
    for folder in output_trees(root, config).values():
        candidates = [p for p in _leftovers(folder) if p.is_dir() and not p.is_symlink()]
        if folder.exists():
            _refuse_foreign(folder)
            candidates.append(folder)
        for path in candidates:
            shutil.rmtree(path)
            removed.append(path)
    cache = root / CACHE_FOLDER
    if cache.is_dir() and not cache.is_symlink():
        shutil.rmtree(cache)
        removed.append(cache)
    return removed


class StagedTree:
    """A folder being built next to its final place."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.staging = final.parent / f".{final.name}.building-{os.getpid()}"
        self.written: dict[str, str] = {}

    def __enter__(self) -> StagedTree:
        _refuse_foreign(self.final)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        (self.staging / MARKER).write_bytes(MARKER_TEXT)
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
    lock_dir = root / CACHE_FOLDER
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
