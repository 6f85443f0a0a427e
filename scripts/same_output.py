"""Does the example still build to the same bytes? Builds the example playbook (content/ and
playbook.yml of this checkout) once with this checkout's code and once with the code of a git
revision (default: main), from scratch and with the same build date, and compares every
file of site/ and newsletters/ (Pagefind's index aside: its file names carry hashes).

    python scripts/same_output.py            # this checkout against main
    python scripts/same_output.py HEAD~3     # against another revision

Exit status 0 when the outputs are identical, 1 with the differing paths listed otherwise.
For refactorings that must not change behaviour (moving modules, renaming, cleaning up).
"""

from __future__ import annotations

import argparse
import filecmp
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-12-01"
OUTPUTS = ("site", "newsletters")
IGNORED = ("site/pagefind/",)


def code_of(revision: str, into: Path) -> Path:
    """The files of `revision` (code and built-in theme) unpacked into `into`."""
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def build_example(code: Path, project: Path) -> None:
    """Build a copy of the example (modification times kept: pages show them) with `code`."""
    shutil.copytree(ROOT / "content", project / "content", copy_function=shutil.copy2)
    shutil.copy2(ROOT / "playbook.yml", project / "playbook.yml")
    command = [sys.executable, "-m", "generator", "build", str(project), "--no-cache", "-q", "--build-date", BUILD_DATE]
    environment = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(command, cwd=code, env=environment, check=True)


def differences(left: Path, right: Path) -> list[str]:
    """Paths (relative to the project) present in one output only or with different bytes."""
    found = []
    for tree in OUTPUTS:
        files = {
            p.relative_to(folder).as_posix()
            for folder in (left / tree, right / tree)
            for p in folder.rglob("*")
            if p.is_file()
        }
        for rel in sorted(files):
            shown = f"{tree}/{rel}"
            a, b = left / tree / rel, right / tree / rel
            if shown.startswith(IGNORED):
                continue
            if not (a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)):
                found.append(shown)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", nargs="?", default="main", help="git revision to compare with (default: main)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="playbook-same-output-") as folder:
        work = Path(folder)
        build_example(ROOT, work / "current")
        build_example(code_of(args.revision, work / "code"), work / "revision")
        found = differences(work / "current", work / "revision")
    for path in found:
        print(f"differs: {path}")
    print(f"{len(found)} file(s) differ from {args.revision}" if found else f"same output as {args.revision}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
