"""Output writing: every file goes to a temporary folder beside the target, which replaces
the target only when the whole build has succeeded. A failed build leaves the previous
output untouched; a lock keeps two builds from writing the same output at once.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath
from typing import NamedTuple, Protocol, Self

from generator.build.uptodate import (
    CACHE_FOLDER,
    LOCK_FILE,
    FileStamp,
    data_digest,
    files_under,
    holds,
    stamp_file,
    stamp_files,
)
from generator.config.settings import Config
from generator.errors import BuildFailed, Problems
from generator.urls import ASSET_FOLDER

MARKER = ".playbook-output"
MARKER_TEXT = b"This folder is written by Playbook; each build replaces it as a whole.\n"


class OutputError(Exception):
    """The output cannot be written where it was asked to go; `source` names the content file
    whose output it was, when there is one."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


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
    if config.newsletter.public_url:
        settings["public"] = "newsletter.public_dir"
        trees["public"] = root / config.newsletter.public_dir
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


class Published:
    """What the last build wrote, as it must still be on disk for a file to be kept: the
    manifest's digest, checked against the file's bytes (its stamp's stat data standing in
    for them while it vouches for them). A file edited by hand is written again. A file the
    manifest does not know (no build cache: `--no-cache`, a fresh CI cache) is kept when its
    bytes on disk are the new ones, so it keeps its inode and modification time."""

    def __init__(
        self,
        folders: Mapping[str, Path],
        manifest: Mapping[str, Mapping[str, str]],
        stamps: Mapping[str, Mapping[str, FileStamp]],
    ) -> None:
        self.folders = folders
        self.manifest = manifest
        self.stamps = stamps
        self._checked: dict[tuple[str, str, str], bool] = {}

    def holds(self, tree: str, rel: str, digest: str) -> bool:
        """True when `tree/rel` is on disk with the bytes of `digest`."""
        folder = self.folders.get(tree)
        if folder is None or self.manifest.get(tree, {}).get(rel, digest) != digest:
            return False
        known = self._checked.get((tree, rel, digest))
        if known is None:
            stamp = self.stamps.get(tree, {}).get(rel) or FileStamp(digest)
            path = os.path.join(folder, rel)
            known = self._checked[(tree, rel, digest)] = stamp.digest == digest and holds(path, stamp)
        return known

    def listing(self, tree: str) -> set[str]:
        """Every file the last build left in `tree` (its own and the finishing step's)."""
        return set(self.stamps.get(tree, {}))


class Below(NamedTuple):
    path: str
    source: str


class StagedTree:
    """A folder being built next to its final place.

    A file whose bytes equal the published one (same digest as in the previous build's
    manifest, and still on disk as written) is not written again: the published file is
    hard-linked into the staged folder, so it keeps its mtime and a host syncing the folder
    uploads only what changed. When nothing changed at all, the published folder is left
    as it is.
    """

    def __init__(self, final: Path, published: Published, name: str) -> None:
        self.final = final
        self.name = name
        self.staging = final.parent / f".{final.name}.building-{os.getpid()}"
        self.written: dict[str, str] = {}
        self.below: dict[str, Below] = {}
        """For each folder of the files written so far, the first file below it."""
        self.published = published
        self.previous = published.manifest.get(name, {})
        self.digests: dict[str, str] = {}
        self.kept: list[str] = []
        self.linked = 0
        self.folders: set[Path] = set()
        self.retire: Callable[[Path], None] = remove_folder

    def __enter__(self) -> StagedTree:
        _refuse_foreign(self.final)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        (self.staging / MARKER).write_bytes(MARKER_TEXT)
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def add(self, rel: str, data: bytes, source: str, problems: Problems, kept: str | None = None) -> None:
        """Stage one file; two producers of the same path are an error naming both. `kept`
        is the digest of a file known to be unchanged (its bytes are not at hand)."""
        clean = PurePosixPath(rel)
        if clean.is_absolute() or ".." in clean.parts or not rel:
            problems.error(source, f"refusing to write outside the output folder: {rel!r}")
            return
        earlier = self.written.setdefault(rel, source)
        if earlier != source:
            problems.error(source, f"writes {rel}, which {earlier} also writes; give one of them another slug")
            return
        clash = self._clash(rel, source)
        if clash:
            problems.error(source, clash)
            return
        digest = kept or data_digest(data)
        self.digests[rel] = digest
        if kept or self.published.holds(self.name, rel, digest):
            self.kept.append(rel)
            return
        try:
            self._stage(rel, data)
        except OutputError as exc:
            problems.error(source, str(exc))

    def _clash(self, rel: str, source: str) -> str | None:
        """Why `rel` cannot be written beside the files before it (a file where another
        file needs a folder: `guide` copied from the content folder and `guide/index.html`
        of guide.md), or None."""
        below = self.below.get(rel)
        if below is not None:
            return f"writes the file {rel}, where {below.source} needs a folder for {below.path}; rename one of them"
        folders = _folders_of(rel)
        for folder in folders:
            if folder in self.written:
                earlier = self.written[folder]
                return f"writes {rel} inside {folder}, which {earlier} writes as a file; rename one of them"
        for folder in folders:
            self.below.setdefault(folder, Below(rel, source))
        return None

    def _stage(self, rel: str, data: bytes) -> None:
        target = self.staging / rel
        with _writing(f"{self.final.name}/{rel}"):
            self._folder(target.parent)
            target.write_bytes(data)

    @property
    def written_any(self) -> bool:
        """Some file differs from the published one, or the last build did not list it:
        the tree will be replaced."""
        return len(self.kept) < len(self.written) or not self.digests.keys() <= self.previous.keys()

    @property
    def unchanged(self) -> bool:
        same = (
            self.final.is_dir() and len(self.kept) == len(self.written) and self.digests.keys() == self.previous.keys()
        )
        return same and self._same_listing()

    def _same_listing(self) -> bool:
        """No file was added to or removed from the published folder since the last build."""
        return set(files_under(self.final, [self.final])) == self.published.listing(self.name)

    def stamps(self) -> dict[str, FileStamp]:
        """Stamps of the published folder's files, right after the swap."""
        return stamp_files(self.final, [self.final], self.digests, self.published.stamps.get(self.name, {}))

    def link_kept(self) -> None:
        """Bring the unchanged published files into the staged folder, mtime and all (those
        not linked by an earlier call)."""
        for rel in self.kept[self.linked :]:
            target = self.staging / rel
            self._folder(target.parent)
            try:
                os.link(self.final / rel, target)
            except OSError:
                shutil.copy2(self.final / rel, target)
        self.linked = len(self.kept)

    def _folder(self, folder: Path) -> None:
        if folder not in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)

    def commit(self) -> None:
        """Swap the staged folder into place; the old one is removed afterwards (`retire`)."""
        retired = self.final.parent / f".{self.final.name}.old-{os.getpid()}"
        if self.final.exists():
            os.replace(self.final, retired)
        os.replace(self.staging, self.final)
        self.retire(retired)


class LiveTree(StagedTree):
    """A private preview folder updated in place (`playbook serve`): changed files are held
    until the build has succeeded, then each replaces its old copy; files the build no
    longer produces are deleted. Work stays in proportion to what changed."""

    def __init__(self, final: Path, published: Published, name: str) -> None:
        super().__init__(final, published, name)
        self.staging = final
        self.pending: dict[str, bytes] = {}
        self.rewritten: set[str] = set()

    def __enter__(self) -> LiveTree:
        _refuse_foreign(self.final)
        self.final.mkdir(parents=True, exist_ok=True)
        (self.final / MARKER).write_bytes(MARKER_TEXT)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pending.clear()

    def _stage(self, rel: str, data: bytes) -> None:
        self.pending[rel] = data

    def link_kept(self) -> None:
        """The kept files are already in place."""

    def _same_listing(self) -> bool:
        """A private folder: nobody else adds files to it."""
        return True

    def stamps(self) -> dict[str, FileStamp]:
        """Stamps of the files this build produced (the background search index is not one):
        a kept file's stamp, just checked, stays; written files are stamped again."""
        previous = self.published.stamps.get(self.name, {})
        stamps = {}
        for rel, digest in self.digests.items():
            old = previous.get(rel)
            if old is not None and old.digest == digest and old.size >= 0 and rel not in self.rewritten:
                stamps[rel] = old
            elif digest and (new := stamp_file(self.final / rel, digest)) is not None:
                stamps[rel] = new
        return stamps

    def commit(self) -> None:
        for rel, data in self.pending.items():
            target = self.final / rel
            with _writing(f"{self.final.name}/{rel}", self.written[rel]):
                self._folder(target.parent)
                temporary = target.with_name(f".{target.name}.tmp")
                temporary.write_bytes(data)
                os.replace(temporary, target)
            self.rewritten.add(rel)
        for rel in self.previous.keys() - self.digests.keys():
            self._remove(self.final / rel)
        self.pending.clear()

    def _remove(self, path: Path) -> None:
        """Delete a file no longer produced, and the folders it leaves empty."""
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != self.final and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


class Staged(Protocol):
    tree: str
    path: str
    data: bytes
    source: str


FinishStep = Callable[[Path, Problems], None]


def write_trees(
    trees: dict[str, Path],
    files: Iterable[Staged],
    problems: Problems,
    finish: Mapping[str, FinishStep] | None = None,
    manifest: dict[str, dict[str, str]] | None = None,
    *,
    live: bool = False,
    stamps: dict[str, dict[str, FileStamp]] | None = None,
    later: Iterable[Staged] = (),
    retire: Callable[[Path], None] | None = None,
) -> int:
    """Write output files into staged trees, then swap them all in.

    `finish` maps a tree name to a step run on its complete staged folder before the swap
    (the search index reads the finished pages); its errors cancel the swap too. A tree
    whose files are all unchanged is left as it is, finishing step included.

    `later` are files made (lazily) while the finishing steps already run, in a thread, on
    the trees that `files` changed: e-mails render while Pagefind indexes the site. They
    must not be files a finishing step reads (the site's `later` files are short-link
    redirects, which the search index leaves out).

    `manifest` holds each tree's {path: digest} from the previous build and `stamps` how
    its files looked on disk (see Published); both are updated to this build's (a file with
    a `digest` attribute is one known to be unchanged). `live` updates the folders in place
    instead (a private preview, see LiveTree). `retire` removes a replaced folder (by
    default at once; `Threads.retire` lets the caller go on meanwhile).
    """
    manifest = manifest if manifest is not None else {}
    stamps = stamps if stamps is not None else {}
    published = Published(trees, manifest, stamps)
    finish = finish or {}
    with ExitStack() as stack:
        kind = LiveTree if live else StagedTree
        staged = {name: stack.enter_context(kind(path, published, name)) for name, path in trees.items()}
        for tree in staged.values():
            tree.retire = retire or remove_folder
        count = _stage_all(staged, files, problems)
        early = {name: step for name, step in finish.items() if not problems.errors and staged[name].written_any}
        running = stack.enter_context(_FinishingSteps(staged, early))
        count += _stage_all(staged, later, problems)
        if problems.errors:
            raise BuildFailed(problems)
        for name, tree in staged.items():
            if name in finish:
                tree.digests[f"<finished by {finish[name].__name__}>"] = ""
        changed = {name: tree for name, tree in staged.items() if not tree.unchanged}
        for tree in changed.values():
            tree.link_kept()
        for name, step in finish.items():
            if name in changed and name not in early:
                step(changed[name].staging, problems)
        running.join(problems)
        if problems.errors:
            raise BuildFailed(problems)
        for tree in changed.values():
            tree.commit()
        manifest.update({name: tree.digests for name, tree in staged.items()})
        stamps.update({name: tree.stamps() for name, tree in staged.items()})
    return count


def _stage_all(staged: Mapping[str, StagedTree], files: Iterable[Staged], problems: Problems) -> int:
    count = 0
    for file in files:
        staged[file.tree].add(file.path, file.data, file.source, problems, getattr(file, "digest", None))
        count += 1
    return count


def _folders_of(rel: str) -> list[str]:
    """`a/b/c.html` -> `["a/b", "a"]` (string work: this runs for every file of every build)."""
    folders = []
    while "/" in rel:
        rel = rel.rpartition("/")[0]
        folders.append(rel)
    return folders


@contextmanager
def _writing(shown: str, source: str | None = None) -> Iterator[None]:
    """A file the system refuses to write (disk full, name too long) fails the build with
    its reason, not a traceback; `shown` is the file as the output folder names it."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"could not write {shown}: {exc.strerror or exc}", source) from exc


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class Threads:
    """Work started in threads; leaving the block waits for all of it."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def start(self, target: Callable[..., object], *args: object, name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name)
        thread.start()
        self._threads.append(thread)

    def retire(self, folder: Path) -> None:
        """Remove a replaced output folder while the caller goes on (write_trees' `retire`)."""
        self.start(remove_folder, folder, name="playbook-retired")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for thread in self._threads:
            thread.join()


class _FinishingSteps(Threads):
    """Finishing steps running in threads on trees whose pages are all staged (their kept
    files linked in first); leaving the block waits for them, so a failed build never
    removes a folder a step is still reading."""

    def __init__(self, staged: Mapping[str, StagedTree], steps: Mapping[str, FinishStep]) -> None:
        super().__init__()
        self.problems = Problems()
        for name, step in steps.items():
            staged[name].link_kept()
            self.start(step, staged[name].staging, self.problems, name=step.__name__)

    def join(self, problems: Problems) -> None:
        """Wait for every step and add what they found to `problems`."""
        self.__exit__()
        problems.extend(self.problems)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock for the project; a second build fails at once with a message."""
    lock_dir = root / CACHE_FOLDER
    lock_dir.mkdir(exist_ok=True)
    with (lock_dir / LOCK_FILE).open("w") as handle:
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
