"""Incremental builds are never wrong: after any sequence of edits, what `playbook build`
(cache, up-to-date check) and `playbook serve` (live rebuilds) leave on disk is byte for
byte what a `--no-cache` build of the same files writes in a fresh folder.

The oracle is that clean build; hypothesis picks the edits. `make audit` runs the same
test on the whole example playbook with many more sequences (PLAYBOOK_AUDIT=1).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build.pipeline import BuildOptions, Session
from generator.site.theme import BUILTIN_THEME
from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent
AUDIT = bool(os.environ.get("PLAYBOOK_AUDIT"))
DAY = "2026-11-20"
OLD_TIMES = [dt.datetime(2024, month, 3, 9, tzinfo=dt.UTC).timestamp() for month in (1, 5, 9)]
PAGEFIND = "pagefind"


def example_copy(target: Path) -> Path:
    """The example playbook; outside `make audit` only its English part, without search."""
    target.mkdir(parents=True)
    config = (EXAMPLE / "playbook.yml").read_text(encoding="utf-8")
    if AUDIT:
        shutil.copytree(EXAMPLE / "content", target / "content")
    else:
        shutil.copytree(EXAMPLE / "content" / "en", target / "content" / "en")
        shutil.copy2(EXAMPLE / "content" / "people.yml", target / "content" / "people.yml")
        config = config.replace("  es: Español\n  bg: Български\n  fi: Suomi\n", "") + "search: false\n"
    (target / "playbook.yml").write_text(config, encoding="utf-8")
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes by relative path, Pagefind's index aside (not stable upstream)."""
    if not folder.is_dir():
        return {}
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    return {rel: path.read_bytes() for rel, path in files.items() if not rel.startswith(PAGEFIND)}


def clean_build(root: Path, scratch: Path, drafts: bool = False) -> tuple[int, dict[str, dict[str, bytes]]]:
    """Exit code and output of a --no-cache build of `root`'s sources copied to a fresh folder."""
    fresh = Path(tempfile.mkdtemp(dir=scratch))
    for name in ("playbook.yml", "content", "themes"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, fresh / name)
        elif source.is_file():
            shutil.copy2(source, fresh / name)
    args = ["build", "-q", "-j", "1", "--no-cache", "--build-date", DAY, *(["--drafts"] if drafts else [])]
    result = run_cli(*args, str(fresh))
    outputs = {name: tree(fresh / name) for name in ("site", "newsletters")}
    shutil.rmtree(fresh)
    return result.exit_code, outputs


@dataclass
class Editor:
    """Edits a project the way people and tools do."""

    root: Path
    scratch: Path
    added: list[str] = field(default_factory=list)
    serial: int = 0

    @property
    def content(self) -> Path:
        return self.root / "content" / "en"

    def pages(self) -> list[Path]:
        return sorted(self.content.rglob("*.md"))

    def pick(self, number: int) -> Path:
        pages = self.pages()
        return pages[number % len(pages)]

    def add(self, number: int) -> None:
        self.serial += 1
        name = f"guidelines/extra-{self.serial}.md"
        target = self.pick(number).relative_to(self.content).as_posix()
        link = os.path.relpath(target, "guidelines")
        text = f"---\ntitle: Extra {self.serial}\n---\nSee [the other page]({link}).\n"
        (self.content / name).write_text(text, encoding="utf-8")
        self.added.append(name)

    def delete(self, number: int) -> None:
        if self.added:
            (self.content / self.added.pop(number % len(self.added))).unlink()

    def rename(self, number: int) -> None:
        if self.added:
            old = self.added.pop(number % len(self.added))
            new = old.replace("extra-", "moved-")
            (self.content / old).rename(self.content / new)
            self.added.append(new)

    def retitle(self, number: int) -> None:
        path = self.pick(number)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: ", f"title: Retitled {number} ", 1), encoding="utf-8")

    def edit_body(self, number: int) -> None:
        path = self.pick(number)
        path.write_text(path.read_text(encoding="utf-8") + f"\nOne more line ({number}).\n", encoding="utf-8")

    def edit_heading(self, number: int) -> None:
        """A body edit that changes what the page's contents list shows, and its anchors."""
        path = self.pick(number)
        text = path.read_text(encoding="utf-8")
        if "\n## " in text:
            text = text.replace("\n## ", f"\n## H{number} ", 1)
        else:
            text += f"\n## Heading {number}\n"
        path.write_text(text, encoding="utf-8")

    def edit_people(self, number: int) -> None:
        path = self.root / "content" / "people.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("name: ", f"name: N{number} ", 1), encoding="utf-8")

    def edit_config(self, number: int) -> None:
        path = self.root / "playbook.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("site_name: ", f"site_name: S{number} ", 1), encoding="utf-8")

    def edit_template(self, number: int) -> None:
        override = self.root / "themes" / "templates" / "base.html"
        if not override.exists():
            override.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(BUILTIN_THEME / "templates" / "base.html", override)
        text = override.read_text(encoding="utf-8")
        override.write_text(text.replace("</body>", f"<!-- {number} --></body>", 1), encoding="utf-8")

    def touch(self, number: int) -> None:
        when = OLD_TIMES[number % len(OLD_TIMES)]
        os.utime(self.pick(number), (when, when))

    def same_size_edit(self, number: int) -> None:
        """A same-size edit whose old mtime is put back (rsync -t, tar, cp -p)."""
        path = self.pick(number)
        before = path.stat()
        data = path.read_bytes()
        index = data.index(b"\n---", 4) + 5
        data = data[:index] + (b"X" if data[index : index + 1] != b"X" else b"Y") + data[index + 1 :]
        path.write_bytes(data)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    def copy_project(self, number: int) -> None:
        """Carry on in a copy of the whole project (cache and outputs included) elsewhere."""
        del number
        copy = Path(tempfile.mkdtemp(dir=self.scratch)) / "copy"
        shutil.copytree(self.root, copy, symlinks=True)
        self.root = copy


EDITS: list[Callable[[Editor, int], None]] = [
    Editor.add,
    Editor.delete,
    Editor.rename,
    Editor.retitle,
    Editor.edit_body,
    Editor.edit_heading,
    Editor.edit_people,
    Editor.edit_config,
    Editor.edit_template,
    Editor.touch,
    Editor.same_size_edit,
    Editor.copy_project,
]
STEPS = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)), min_size=1, max_size=8 if AUDIT else 4)
EVERY_EDIT = [(edit, number) for number, edit in enumerate(EDITS)]
"""One sequence with every kind of edit, always run besides hypothesis' own."""
RUNS = settings(
    max_examples=15 if AUDIT else 1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@RUNS
@given(steps=STEPS)
@example(steps=EVERY_EDIT)
def test_build_after_any_edits_equals_a_clean_build(steps: list[tuple[Callable[[Editor, int], None], int]]) -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        editor = Editor(example_copy(scratch / "project"), scratch)
        run_cli("build", "-q", "-j", "1", "--build-date", DAY, str(editor.root))
        for edit, number in steps:
            edit(editor, number)
            result = run_cli("build", "-q", "-j", "1", "--build-date", DAY, str(editor.root))
            code, expected = clean_build(editor.root, scratch)
            assert result.exit_code == code, (edit.__name__, result.output)
            if code == 0:
                for name in ("site", "newsletters"):
                    assert tree(editor.root / name) == expected[name], (edit.__name__, name)


@RUNS
@given(steps=STEPS)
@example(steps=EVERY_EDIT)
def test_serve_rebuilds_after_any_edits_equal_a_clean_build(
    steps: list[tuple[Callable[[Editor, int], None], int]],
) -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        editor = Editor(example_copy(scratch / "project"), scratch)
        preview = scratch / "preview"
        options = BuildOptions(drafts=True, output_dir=preview, live=True, jobs=1, build_date=dt.date(2026, 11, 20))
        session = Session(editor.root, options)
        session.run()
        for edit, number in steps:
            if edit is Editor.copy_project:
                continue
            edit(editor, number)
            session.rebuild([])
            code, expected = clean_build(editor.root, scratch, drafts=True)
            assert code == 0
            for name in ("site", "newsletters"):
                assert tree(preview / name) == expected[name], (edit.__name__, name)
