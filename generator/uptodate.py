"""The up-to-date check: after a successful build, a stamp of every file the build read
(configuration, content, theme) and wrote (site/, newsletters/), by path, size, mtime,
ctime and inode. `playbook build` compares it before loading anything else: when no file
changed, nor Playbook's own code, the build date or the options, there is nothing to do,
and a no-op rebuild costs one walk of the folders instead of a pass over every page.

Deliberately light: standard library only, so the CLI can ask before importing the rest.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

CACHE_FOLDER = ".playbook-cache"
STAMP_FILE = "up-to-date.json"
LOCK_FILE = "build.lock"
CODE_ROOT = Path(__file__).resolve().parent


def contents_digest(folders: list[Path], pattern: str = "*") -> str:
    """A digest of the relative names and bytes of every file matching `pattern` in `folders`."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                hasher.update(path.relative_to(folder).as_posix().encode())
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


@cache
def code_version() -> str:
    """Changes whenever the generator's own code changes (read once: the running process
    uses the code it imported)."""
    return contents_digest([CODE_ROOT], "*.py")


def build_key(build_date: dt.date, drafts: bool) -> str:
    """What, beside the files, decides the output."""
    return f"{code_version()}|{build_date.isoformat()}|drafts={drafts}"


@dataclass
class Report:
    """What the CLI prints about a build, kept so that a no-op rebuild prints it again."""

    pages: int
    newsletters: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Stamp:
    key: str
    inputs: list[str]
    outputs: list[str]
    input_digest: str
    output_digest: str
    report: Report


def files_digest(paths: list[Path]) -> str:
    """A digest of the names and stat data of every file in `paths` (files or folders)."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in paths:
        hasher.update(f"\0{path}\0".encode("utf-8", "surrogateescape"))
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders.sort()
                for name in sorted(names):
                    _stat_into(hasher, os.path.join(folder, name))
        elif path.exists():
            _stat_into(hasher, str(path))
    return hasher.hexdigest()


def _stat_into(hasher: hashlib.blake2b, name: str) -> None:
    try:
        info = os.stat(name)
    except OSError:
        return
    line = f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n"
    hasher.update(line.encode("utf-8", "surrogateescape"))


def record(cache_folder: Path, stamp: Stamp) -> None:
    """Write the stamp of a build that has just succeeded."""
    cache_folder.mkdir(exist_ok=True)
    temporary = cache_folder / f"{STAMP_FILE}.tmp"
    temporary.write_text(json.dumps(asdict(stamp)), encoding="utf-8")
    temporary.replace(cache_folder / STAMP_FILE)


def forget(cache_folder: Path) -> None:
    (cache_folder / STAMP_FILE).unlink(missing_ok=True)


def unchanged(cache_folder: Path, key: str) -> Report | None:
    """The last build's report if nothing it read or wrote has changed since, and no build
    is running (that one's outcome is not known yet); else None."""
    if _build_running(cache_folder):
        return None
    try:
        data = json.loads((cache_folder / STAMP_FILE).read_text(encoding="utf-8"))
        stamp = Stamp(**{**data, "report": Report(**data["report"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if stamp.key != key or files_digest([Path(p) for p in stamp.inputs]) != stamp.input_digest:
        return None
    if files_digest([Path(p) for p in stamp.outputs]) != stamp.output_digest:
        return None
    return stamp.report


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
