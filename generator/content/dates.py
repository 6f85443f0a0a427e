"""Dates a build shows: the build date and when each source last changed, in the site's time zone.

When the project is in a git repository, a file unchanged since its last commit is dated
by that commit (one `git log` call per build), so a fresh clone or a CI job shows the
same dates as the author's machine; any other file (not committed, or edited since) is
dated by its modification time, so an edit in `playbook serve` shows as "now".
`SOURCE_DATE_EPOCH` (reproducible-builds.org) fixes the build date and caps every date.

Standard library only: the up-to-date check asks it before importing the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import unicodedata
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

GIT_TIMEOUT_SECONDS = 30
DELETED_BLOB = "0" * 40


def zone(name: str) -> dt.tzinfo:
    """The time zone called `name` (IANA, e.g. Europe/Helsinki); UTC if unknown (config reports it)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def source_date_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` as whole seconds, or None when unset or not a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def default_build_date(zone_name: str) -> dt.date:
    """Today in the site's time zone, or the day of `SOURCE_DATE_EPOCH` there."""
    epoch = source_date_epoch()
    now = dt.datetime.now(dt.UTC) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)
    return now.astimezone(zone(zone_name)).date()


@dataclass(frozen=True)
class Commit:
    """The last commit that touched a file: its time and the file's blob there."""

    seconds: int
    blob: str


class SourceDates:
    """When each content file last changed: its last commit if the file is unchanged since,
    else its modification time; whole seconds, capped at `SOURCE_DATE_EPOCH`."""

    def __init__(self, commits: dict[str, Commit], zone_name: str = "UTC") -> None:
        self.commits = commits
        self.zone = zone(zone_name)
        self.epoch = source_date_epoch()

    def basis(self, rel: str) -> tuple[Commit | None, str, int | None]:
        """What the date of `rel` follows from besides its bytes and mtime."""
        return self.commits.get(rel), str(self.zone), self.epoch

    def changed(self, rel: str, data: bytes, mtime: float) -> dt.datetime:
        """When content file `rel` (its bytes `data`, its mtime) last changed, in the site's zone."""
        commit = self.commits.get(rel)
        seconds = commit.seconds if commit is not None and commit.blob == git_blob(data) else int(mtime)
        if self.epoch is not None:
            seconds = min(seconds, self.epoch)
        return dt.datetime.fromtimestamp(seconds, self.zone)


def git_blob(data: bytes) -> str:
    """The id git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def source_dates(root: Path, content_dir: str, zone_name: str = "UTC") -> SourceDates:
    """The dates of every file under `root/content_dir`, from one `git log` when `root` is in
    a git repository (file modification times otherwise)."""
    return SourceDates(last_commits(root, content_dir), zone_name)


def last_commits(root: Path, content_dir: str) -> dict[str, Commit]:
    """{content-relative path: its last commit} from the git history of `root`, or {}. The
    answer is kept while the repository's HEAD, the branch it names and its shallow
    boundary are byte for byte the same (no new commit, checkout, reset or fetch that
    deepens it), so that `playbook serve` does not run `git log` again on every save."""
    state = history_state(root)
    key = (str(root), content_dir)
    logged = _LOGGED.get(key)
    if state is not None and logged is not None and logged.state == state:
        return logged.commits
    commits = _git_log(root, content_dir)
    _LOGGED.clear()
    if state is not None:
        _LOGGED[key] = Logged(state, commits)
    return commits


class Logged(NamedTuple):
    """The last `git log` answer, and the repository state it was read in."""

    state: tuple[bytes, ...]
    commits: dict[str, Commit]


_LOGGED: dict[tuple[str, str], Logged] = {}

GIT_ENVIRONMENT = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES")


def history_state(root: Path) -> tuple[bytes, ...] | None:
    """The files that decide which commits `git log` walks from `root`: HEAD, the branch it
    names (a loose ref, else the packed refs) and the shallow boundary, as bytes. None when
    that cannot be told without asking git (no repository found, a layout not recognised,
    reftable refs, replaced or grafted commits, git steered by the environment): then
    nothing is kept."""
    if any(name in os.environ for name in GIT_ENVIRONMENT):
        return None
    git_dir = _git_dir(root)
    if git_dir is None:
        return None
    common = git_dir
    if (git_dir / "commondir").is_file():
        common = git_dir / _read(git_dir / "commondir").decode("utf-8", "replace").strip()
    if any(path.exists() for path in (common / "reftable", common / "refs" / "replace", common / "info" / "grafts")):
        return None
    head = _read(git_dir / "HEAD")
    branch = head.removeprefix(b"ref: ").strip() if head.startswith(b"ref: ") else None
    if branch is not None and not branch.startswith(b"refs/"):
        return None
    ref = _read(common / os.fsdecode(branch)) if branch else b""
    packed = _read(common / "packed-refs") if branch and not ref else b""
    return head, ref, packed, _read(common / "shallow")


def _git_dir(root: Path) -> Path | None:
    """The git directory of the repository that holds `root` (a `.git` folder, or the
    folder a `.git` file names, as in worktrees and submodules)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            text = _read(dot_git).decode("utf-8", "replace").strip()
            if not text.startswith("gitdir: "):
                return None
            return folder / text.removeprefix("gitdir: ")
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _git_log(root: Path, content_dir: str) -> dict[str, Commit]:
    command = [
        "git", "-C", str(root), "log", "--relative", "--no-renames", "--raw", "--no-abbrev", "-z",
        "--format=%x00%ct", "--", content_dir,
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    return parse_log(done.stdout, content_dir)


def parse_log(output: bytes, content_dir: str) -> dict[str, Commit]:
    """Read `git log --raw -z --format=%x00%ct`: newest commits first, so the first time a
    path appears is its last change."""
    commits: dict[str, Commit] = {}
    prefix = content_dir.strip("/") + "/"
    seconds = 0
    blob = ""
    for field in output.split(b"\0"):
        text = field.decode("utf-8", "surrogateescape").lstrip("\n")
        if blob:
            rel = unicodedata.normalize("NFC", text.removeprefix(prefix))
            commits.setdefault(rel, Commit(seconds, "" if blob == DELETED_BLOB else blob))
            blob = ""
        elif text.startswith(":"):
            blob = text.split()[3]
        elif text.isdigit():
            seconds = int(text)
    return commits
