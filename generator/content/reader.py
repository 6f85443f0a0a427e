"""Reading: walk `content/`, decode each file and split front matter from body.

Pure I/O plus parsing of YAML; it checks that files are safe to read (inside the project,
text, bounded in size) but knows nothing of document types or of output.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import frontmatter
import pathspec

from generator.build.uptodate import FileStamp, data_digest, stamp_of, vouches
from generator.content.dates import SourceDates
from generator.content.yamlsource import LocatedYaml, YamlError, load_front_matter, load_located
from generator.errors import Problems

MAX_FILE_BYTES = 5 * 1024 * 1024
PEOPLE_FILE = "people.yml"
IGNORED_PREFIXES = (".", "_")
MAX_FOLDER_DEPTH = 20


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file, decoded and split; `rel` is relative to the content folder."""

    rel: str
    display: str
    front: LocatedYaml
    body: str
    body_line: int
    changed: dt.datetime
    """When the file last changed (see dates.py), in the site's time zone."""


@dataclass(frozen=True)
class Remembered:
    """A Markdown file's last reading, kept while its bytes are the same (the stamp's digest
    decides, its stat data standing in for it: see uptodate.FileStamp) and so is what its
    date follows from (dates.SourceDates.basis)."""

    stamp: FileStamp
    dated_by: tuple[object, ...]
    source: SourceFile


SourceMemo = dict[str, Remembered]


@dataclass(frozen=True)
class AssetFile:
    """A non-Markdown file under content/ that is copied to the output as it is."""

    rel: str
    path: Path


@dataclass
class ContentTree:
    sources: list[SourceFile]
    assets: list[AssetFile]
    people: LocatedYaml | None


def read_content(
    root: Path, content_dir: str, problems: Problems, memo: SourceMemo | None = None, dates: SourceDates | None = None
) -> ContentTree:
    """Read every file under `root/content_dir`; problems are collected, never raised.

    `memo` (kept by the build cache) maps a Markdown file to its last reading, which is used
    again while the file's bytes are the same (their digest decides, never the file's
    size or time); the memo is updated. `dates` dates each file (default: its mtime)."""
    base = (root / content_dir).resolve()
    tree = ContentTree([], [], None)
    dates = dates or SourceDates({})
    if not base.is_dir():
        problems.error(content_dir, f"content folder not found at {base}")
        return tree
    for found in _walk(base, content_dir, problems):
        rel = unicodedata.normalize("NFC", found.rel)  # `café.md` gives one key and URL however it is written
        display = f"{content_dir}/{rel}"
        if rel == PEOPLE_FILE:
            tree.people = _read_people(found.path, display, problems)
        elif os.path.splitext(found.path)[1].lower() == ".md":
            source = _read_remembered(found.path, rel, display, problems, memo, dates)
            if source is not None:
                tree.sources.append(source)
        else:
            tree.assets.append(AssetFile(rel, Path(found.path)))
    tree.sources.sort(key=lambda s: s.rel)
    tree.assets.sort(key=lambda a: a.rel)
    if memo is not None:
        for gone in memo.keys() - {source.rel for source in tree.sources}:
            del memo[gone]
    return tree


def _read_remembered(
    path: str, rel: str, display: str, problems: Problems, memo: SourceMemo | None, dates: SourceDates
) -> SourceFile | None:
    info = os.stat(path)
    remembered = memo.get(rel) if memo is not None else None
    dated_by = dates.basis(rel)
    if remembered is not None and remembered.dated_by == dated_by and vouches(info, remembered.stamp):
        return remembered.source
    raw = _read_bytes(path, display, problems)
    if raw is None:
        return None
    changed = dates.changed(rel, raw, info.st_mtime)
    digest = data_digest(raw)
    if remembered is None or remembered.stamp.digest != digest:
        source = parse_markdown(raw, rel, display, problems, changed)
    elif remembered.source.changed != changed:
        source = replace(remembered.source, changed=changed)
    else:
        source = remembered.source
    if memo is not None and source is None:
        memo.pop(rel, None)
    elif memo is not None and source is not None:
        memo[rel] = Remembered(stamp_of(info, digest), dated_by, source)
    return source


class Found(NamedTuple):
    """A file found below the content folder: its path, and its path relative to the folder
    (with `/`; not yet in NFC: macOS writes decomposed names)."""

    path: str
    rel: str


def _walk(base: Path, content_dir: str, problems: Problems) -> list[Found]:
    """Every regular file below `base`, refusing links that lead outside it (one directory
    listing per folder: the entries' types come with it)."""
    found: list[Found] = []
    _visit(Folder(base, str(base), "", 0), content_dir, problems, found)
    return found


class Folder(NamedTuple):
    """A folder being walked: the content folder, its path, relative path and depth."""

    base: Path
    path: str
    rel: str
    depth: int

    def child(self, entry: os.DirEntry[str]) -> Folder:
        return Folder(self.base, entry.path, f"{self.rel}/{entry.name}" if self.rel else entry.name, self.depth + 1)


def _visit(folder: Folder, content_dir: str, problems: Problems, found: list[Found]) -> None:
    try:
        with os.scandir(folder.path) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(IGNORED_PREFIXES)), key=lambda e: e.name)
    except OSError:
        return
    dirs = [entry for entry in entries if entry.is_dir()]
    if dirs and folder.depth >= MAX_FOLDER_DEPTH:
        message = f"folders nested more than {MAX_FOLDER_DEPTH} levels deep; flatten the structure"
        problems.error(f"{content_dir}/{folder.rel}", message)
        dirs = []
    for link in [entry for entry in dirs if entry.is_symlink()]:
        dirs.remove(link)
        _check_link(Path(link.path), folder.base, content_dir, problems)
    for entry in entries:
        if entry.is_dir():
            continue
        if entry.is_symlink() and not _check_link(Path(entry.path), folder.base, content_dir, problems):
            continue
        if entry.is_file():
            found.append(Found(entry.path, f"{folder.rel}/{entry.name}" if folder.rel else entry.name))
    for entry in dirs:
        _visit(folder.child(entry), content_dir, problems, found)


def _check_link(path: Path, base: Path, content_dir: str, problems: Problems) -> bool:
    target = path.resolve()
    display = f"{content_dir}/{path.relative_to(base).as_posix()}"
    if not target.is_relative_to(base):
        problems.error(display, "symbolic link points outside the content folder; refusing to read it")
        return False
    return True


def _read_bytes(path: str | Path, display: str, problems: Problems) -> bytes | None:
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        problems.error(display, f"file is {size // 1024 // 1024} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB")
        return None
    with open(path, "rb") as handle:
        return handle.read()


def _decode(raw: bytes, display: str, problems: Problems) -> str | None:
    if b"\x00" in raw:
        problems.error(display, "binary file (contains NUL bytes), not Markdown text", 1)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(display, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", line)
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def read_markdown(path: Path, rel: str, display: str, problems: Problems) -> SourceFile | None:
    """Decode one Markdown file and parse its front matter with line numbers (dated by its mtime)."""
    raw = _read_bytes(path, display, problems)
    if raw is None:
        return None
    return parse_markdown(raw, rel, display, problems, SourceDates({}).changed(rel, raw, path.stat().st_mtime))


def parse_markdown(raw: bytes, rel: str, display: str, problems: Problems, changed: dt.datetime) -> SourceFile | None:
    """Decode one Markdown file's bytes and parse its front matter with line numbers."""
    text = _decode(raw, display, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(display, "file is empty: a document starts with front matter (---, title: ..., ---)")
        return None
    front_text, body, body_line = split_front_matter(text)
    if front_text is None:
        if text.startswith("---"):
            problems.error(display, "front matter is not closed: add a line with --- after it", 1)
            return None
        return SourceFile(rel, display, LocatedYaml({}), body, body_line, changed)
    try:
        front = load_front_matter(front_text)
    except YamlError as exc:
        line = exc.line or 1
        problems.error(display, exc.message, line, "front matter")
        return None
    if front.data is None:
        front = LocatedYaml({})
    return SourceFile(rel, display, front, body, body_line, changed)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, 1-based line where the body starts)."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return None, text, 1
    try:
        front_text, body = handler.split(text)
    except ValueError:
        return None, text, 1
    consumed = len(text) - len(body)
    body_line = text.count("\n", 0, consumed) + 1
    return front_text, body, body_line


def _read_people(path: str, display: str, problems: Problems) -> LocatedYaml | None:
    raw = _read_bytes(path, display, problems)
    text = _decode(raw, display, problems) if raw is not None else None
    if text is None:
        return None
    try:
        return load_located(text)
    except YamlError as exc:
        problems.error(display, exc.message, exc.line)
        return None


def language_of(rel: str, codes: list[str], default: str) -> tuple[str, str]:
    """(language, path inside that language) for a content-relative path."""
    parts = PurePosixPath(rel).parts
    if len(parts) > 1 and parts[0] in codes:
        return parts[0], PurePosixPath(*parts[1:]).as_posix()
    return default, rel


def without_excluded(tree: ContentTree, patterns: list[str]) -> ContentTree:
    """The tree without the files that `.gitignore`-style `patterns` exclude (MkDocs'
    `exclude_docs`): they are neither pages nor copied."""
    if not patterns:
        return tree
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    sources = [source for source in tree.sources if not spec.match_file(source.rel)]
    assets = [asset for asset in tree.assets if not spec.match_file(asset.rel)]
    return ContentTree(sources, assets, tree.people)
