"""The up-to-date check, and how Playbook knows a file is unchanged.

A file is unchanged when its bytes are: a `FileStamp` keeps a file's content digest with
its size, times and inode, and the stat data is only a shortcut in front of the digest
(equal stat data, taken long enough after the last write, means equal bytes; anything
else is decided by hashing the file). Paths are relative to the project, so a project
copied or a cache restored elsewhere is judged by what its files contain.

After a successful build, a stamp records every file the build read (configuration,
content, theme) and wrote (site/, newsletters/), and the date each Markdown file was
given. `playbook build` asks `unchanged` before loading anything else: when no file, date,
dependency, build date or option changed, there is nothing to do, and a no-op rebuild
costs one walk of the folders instead of a pass over every page.

Deliberately light: standard library only, so the CLI can ask before importing the rest.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import importlib.metadata
import json
import os
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from generator.content.dates import SourceDates, default_build_date, source_dates

CACHE_FOLDER = ".playbook-cache"
STAMP_FILE = "up-to-date.json"
LOCK_FILE = "build.lock"
STAMP_VERSION = 2
CODE_ROOT = Path(__file__).resolve().parents[1]
"""The `generator` package, built-in theme included."""
MAX_DEPTH = 32
TOO_DEEP = "<folders nested too deep>"
RACY_NANOSECONDS = 100_000_000
"""Stat data taken this soon after a file's last change is no shortcut: a second change in
the same clock tick could leave size and times as they were (git calls this "racy")."""

OUTPUT_SHAPING = (
    "markdown-it-py", "mdit-py-plugins", "Jinja2", "MarkupSafe", "python-frontmatter", "PyYAML", "premailer",
    "cssutils", "lxml", "pydantic", "pydantic-core", "Babel", "pagefind", "pagefind-bin", "icalendar", "Pygments",
    "pymdown-extensions", "mkdocs", "linkify-it-py", "mkdocs-material",
)  # fmt: skip
"""Distributions whose version can change what a build writes."""


def contents_digest(folders: list[Path], pattern: str = "*") -> str:
    """A digest of the relative names and bytes of every file matching `pattern` in `folders`."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                hasher.update(path.relative_to(folder).as_posix().encode())
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


def dependency_versions() -> dict[str, str]:
    """The installed version of every distribution in OUTPUT_SHAPING, and Python's."""
    versions = {"python": sys.version}
    for name in OUTPUT_SHAPING:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@cache
def code_version() -> str:
    """Changes whenever Playbook's code, its built-in theme, Python or a dependency that
    shapes output changes (read once: the running process uses the code it imported)."""
    versions = json.dumps(dependency_versions(), sort_keys=True)
    return f"{contents_digest([CODE_ROOT])}-{hashlib.blake2b(versions.encode()).hexdigest()[:32]}"


def build_key(build_date: dt.date, drafts: bool) -> str:
    """What, beside the files, decides the output."""
    return f"{code_version()}|{build_date.isoformat()}|drafts={drafts}"


def data_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileStamp:
    """A file's content digest, and stat data that may vouch for it (see RACY_NANOSECONDS)."""

    digest: str
    size: int = -1
    mtime_ns: int = -1
    ctime_ns: int = -1
    inode: int = -1


def stamp_file(path: Path, digest: str | None = None, now_ns: int | None = None) -> FileStamp | None:
    """The stamp of a file (its digest read from disk unless known), None if it is gone."""
    try:
        info = os.stat(path)
        digest = digest or data_digest(path.read_bytes())
    except OSError:
        return None
    return stamp_of(info, digest, now_ns)


def stamp_of(info: os.stat_result, digest: str, now_ns: int | None = None) -> FileStamp:
    """The stamp of a file whose stat data, taken before its bytes were read, is `info`."""
    if info.st_ctime_ns >= (now_ns or time.time_ns()) - RACY_NANOSECONDS:
        return FileStamp(digest)
    return FileStamp(digest, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def same_stat(path: str | Path, stamp: FileStamp) -> bool:
    """True when the stat data vouches for the stamp's digest."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return vouches(info, stamp)


def vouches(info: os.stat_result, stamp: FileStamp) -> bool:
    """True when stat data `info` is the stamp's (so the file's bytes are the stamp's)."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino) == (
        stamp.size,
        stamp.mtime_ns,
        stamp.ctime_ns,
        stamp.inode,
    )


def holds(path: str | Path, stamp: FileStamp) -> bool:
    """True when the file's bytes are still those the stamp was taken of."""
    if same_stat(path, stamp):
        return True
    try:
        with open(path, "rb") as handle:
            return data_digest(handle.read()) == stamp.digest
    except OSError:
        return False


def files_under(root: Path, paths: list[Path]) -> dict[str, str]:
    """{path relative to `root`: path} of every file in `paths` (files or folders). Below
    MAX_DEPTH (more than a build reads), a folder stands as a name that is never a file, so
    a stamp of it never matches."""
    found = {}
    for path in paths:
        if path.is_dir():
            top = len(path.parts)
            for folder, subfolders, names in os.walk(path):
                subfolders.sort()
                relative = os.path.relpath(folder, root)
                if subfolders and len(Path(folder).parts) - top >= MAX_DEPTH:
                    found[f"{relative}/{TOO_DEEP}"] = os.path.join(folder, TOO_DEEP)
                    subfolders.clear()
                for name in sorted(names):
                    found[name if relative == "." else f"{relative}/{name}"] = os.path.join(folder, name)
        elif path.is_file():
            found[os.path.relpath(path, root)] = str(path)
    return found


def stamp_files(
    root: Path, paths: list[Path], known: dict[str, str], previous: dict[str, FileStamp]
) -> dict[str, FileStamp]:
    """Stamps of every file in `paths`, by path relative to `root`. Files are not read again
    when their digest is `known`, or when their stat data vouches for a `previous` stamp."""
    now = time.time_ns()
    stamps = {}
    for rel, path in files_under(root, paths).items():
        old = previous.get(rel)
        if rel not in known and old is not None and same_stat(path, old):
            stamps[rel] = old
        elif (stamp := stamp_file(Path(path), known.get(rel), now)) is not None:
            stamps[rel] = stamp
    return stamps


@dataclass
class Report:
    """What the CLI prints about a build, kept so that a no-op rebuild prints it again."""

    pages: int
    newsletters: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    """What a build read, taken before it read it: every file, and each Markdown file's date."""

    content_dir: str
    zone: str
    folders: list[str]
    files: dict[str, FileStamp]
    dates: dict[str, int]
    """{path of a Markdown file relative to the content folder: its date in seconds}."""


def take_inputs(root: Path, folders: list[str], content_dir: str, zone: str, dates: SourceDates) -> Inputs:
    """Stamp every input file and date every Markdown file, as the build about to run sees them."""
    now = time.time_ns()
    prefix = content_dir.strip("/") + "/"
    files, when = {}, {}
    for rel, path in files_under(root, [root / folder for folder in folders]).items():
        try:
            info = os.stat(path)
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        files[rel] = stamp_of(info, data_digest(data), now)
        if rel.startswith(prefix) and rel.lower().endswith(".md"):
            inner = unicodedata.normalize("NFC", rel.removeprefix(prefix))
            when[inner] = int(dates.changed(inner, data, info.st_mtime).timestamp())
    return Inputs(content_dir, zone, folders, files, when)


def _date_of(path: Path, rel: str, dates: SourceDates) -> int:
    try:
        return int(dates.changed(rel, path.read_bytes(), path.stat().st_mtime).timestamp())
    except OSError:
        return -1


@dataclass
class Stamp:
    version: int
    key: str
    inputs: Inputs
    outputs: dict[str, FileStamp]
    """Every file in the output folders, by path relative to the project."""
    output_folders: list[str]
    report: Report


def record(cache_folder: Path, stamp: Stamp) -> None:
    """Write the stamp of a build that has just succeeded."""
    cache_folder.mkdir(exist_ok=True)
    temporary = cache_folder / f"{STAMP_FILE}.tmp"
    temporary.write_text(json.dumps(asdict(stamp)), encoding="utf-8")
    temporary.replace(cache_folder / STAMP_FILE)


def forget(cache_folder: Path) -> None:
    (cache_folder / STAMP_FILE).unlink(missing_ok=True)


def _load(cache_folder: Path) -> Stamp | None:
    try:
        data = json.loads((cache_folder / STAMP_FILE).read_text(encoding="utf-8"))
        inputs = data["inputs"]
        files = {rel: FileStamp(**values) for rel, values in inputs.pop("files").items()}
        outputs = {rel: FileStamp(**values) for rel, values in data.pop("outputs").items()}
        stamp = Stamp(
            **{**data, "inputs": Inputs(**inputs, files=files), "outputs": outputs, "report": Report(**data["report"])}
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return stamp if stamp.version == STAMP_VERSION else None


def unchanged(root: Path, build_date: dt.date | None, drafts: bool) -> Report | None:
    """The last build's report if nothing it read or wrote has changed since (by content),
    nor the dates it gave, and no build is running (that one's outcome is not known yet);
    else None. `build_date` None means the default (today in the site's time zone)."""
    cache_folder = root / CACHE_FOLDER
    if _build_running(cache_folder):
        return None
    stamp = _load(cache_folder)
    if stamp is None:
        return None
    inputs = stamp.inputs
    day = build_date or default_build_date(inputs.zone)
    if stamp.key != build_key(day, drafts):
        return None
    if not _same_files(root, [root / f for f in stamp.output_folders], stamp.outputs):
        return None
    dates = source_dates(root, inputs.content_dir, inputs.zone)
    if not _same_files(root, [root / f for f in inputs.folders], inputs.files):
        return None
    current = take_dates(root, inputs, dates)
    return stamp.report if current == inputs.dates else None


def take_dates(root: Path, inputs: Inputs, dates: SourceDates) -> dict[str, int]:
    content = root / inputs.content_dir
    return {rel: _date_of(content / rel, rel, dates) for rel in inputs.dates}


def _same_files(root: Path, folders: list[Path], stamps: dict[str, FileStamp]) -> bool:
    """True when `folders` hold exactly the stamped files, each with the stamped bytes."""
    found = files_under(root, folders)
    return found.keys() == stamps.keys() and all(holds(found[rel], stamps[rel]) for rel in found)


def _build_running(cache_folder: Path) -> bool:
    try:
        with (cache_folder / LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return False
