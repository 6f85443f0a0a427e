"""Where a build may read and write, what `clean` deletes, no network, one build at a time,
and pathological Markdown that must neither crash nor recurse."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import heap, pipeline
from generator.build.heap import reclaim
from generator.build.output import MARKER, build_lock, write_trees
from generator.build.pipeline import Session
from generator.errors import BuildFailed, Problems
from generator.site.context import Generator
from generator.site.presence import Presence
from generator.site.rendering import OutputFile
from tests.conftest import BASIC_CONFIG, Project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any attempt to open a connection fails (and is recorded)."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts


def test_the_example_builds_with_the_network_blocked(tmp_path: Path, no_network: list[object]) -> None:
    shutil.copy(REPO / "playbook.yml", tmp_path / "playbook.yml")
    shutil.copytree(REPO / "content", tmp_path / "content")
    result = Project(tmp_path).cli("build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert no_network == []


def test_output_may_be_an_absolute_folder_outside_the_project(project: Project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "www" / "playbook"
    project.write("playbook.yml", BASIC_CONFIG + f"output_dir: {elsewhere}\n")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "index.html").is_file()
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("setting", ["output_dir", "newsletters_dir"])
@pytest.mark.parametrize("where", ["root", "parent", "content", "inside content"])
def test_output_cannot_be_the_project_its_parent_or_the_content(project: Project, setting: str, where: str) -> None:
    folder = {
        "root": project.root,
        "parent": project.root.parent,
        "content": project.root / "content",
        "inside content": project.root / "content" / "out",
    }[where]
    project.write("playbook.yml", BASIC_CONFIG + f"{setting}: {folder}\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert f"error: playbook.yml: {setting}: {folder}" in result.output
    assert (project.root / "content" / "index.md").is_file()


def test_a_folder_playbook_did_not_write_is_never_replaced(project: Project) -> None:
    notes = project.write("notes/keep.txt", "precious")
    project.write("playbook.yml", BASIC_CONFIG + "output_dir: notes\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "was not written by Playbook" in result.output
    assert notes.read_text() == "precious"


def test_clean_deletes_only_playbooks_own_outputs(project: Project) -> None:
    assert project.cli("build").exit_code == 0
    leftover = project.root / ".site.building-999"
    leftover.mkdir()
    assert (project.root / "site" / MARKER).is_file()
    result = project.cli("clean")
    assert result.exit_code == 0, result.output
    for gone in ("site", "newsletters", ".playbook-cache", ".site.building-999"):
        assert not (project.root / gone).exists(), gone
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "playbook.yml"]


def test_clean_refuses_a_configured_folder_that_playbook_did_not_write(project: Project) -> None:
    project.write("docs/handbook.md", "ours")
    project.write("playbook.yml", BASIC_CONFIG + "output_dir: docs\n")
    result = project.cli("clean")
    assert result.exit_code == 1
    assert "was not written by Playbook" in result.output
    assert (project.root / "docs" / "handbook.md").read_text() == "ours"


@pytest.mark.parametrize("order", [("a", "a/b/index.html"), ("a/b/index.html", "a")])
def test_a_file_where_another_file_needs_a_folder_is_an_error_naming_both(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    files = [OutputFile(path, b"x", f"content/{path.replace('/', '-')}.md") for path in order]
    with pytest.raises(BuildFailed) as failed:
        write_trees({"site": tmp_path / "site"}, files, Problems())
    (problem,) = failed.value.problems.errors
    assert problem.path == files[1].source
    assert files[0].source in problem.message and "rename one of them" in problem.message
    assert not (tmp_path / "site").exists() and list(tmp_path.iterdir()) == []


def test_a_file_the_system_cannot_write_fails_the_build_with_its_reason(tmp_path: Path) -> None:
    name = "n" * 300  # longer than any file system allows for one name
    files = [OutputFile("index.html", b"home"), OutputFile(f"{name}/index.html", b"x", "content/long.md")]
    with pytest.raises(BuildFailed) as failed:
        write_trees({"site": tmp_path / "site"}, files, Problems())
    (problem,) = failed.value.problems.errors
    assert problem.path == "content/long.md"
    assert problem.message == f"could not write site/{name}/index.html: File name too long"
    assert list(tmp_path.iterdir()) == []


def test_builds_failed_or_not_leave_the_garbage_collector_running(project: Project) -> None:
    """A build pauses the cyclic collector; `serve` runs builds for hours and must get it back."""
    session = Session(project.root)
    assert gc.isenabled()
    session.run()
    assert gc.isenabled()
    project.page("broken.md", "title: Broken\ntype: campaign\nbudget: lots")
    with pytest.raises(BuildFailed):
        session.run()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what the builds keep, out of the collector's way...
    reclaim()
    assert gc.get_freeze_count() == 0 and gc.isenabled()  # ...until serve has a moment


class Leftover:
    """Something a build leaves in a reference cycle."""

    def __init__(self) -> None:
        self.me = self


def test_a_process_that_builds_again_and_again_collects_what_builds_left(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script (or the test suite) calling build() many times, without serve's moments to
    reclaim: what builds leave in reference cycles is collected every RECLAIM_AFTER builds."""
    alive = weakref.WeakSet[Leftover]()
    generators = pipeline.site_generators

    def leaving_a_cycle(shown: Presence) -> list[Generator]:
        alive.add(Leftover())
        return generators(shown)

    monkeypatch.setattr(pipeline, "site_generators", leaving_a_cycle)
    monkeypatch.setattr(heap, "RECLAIM_AFTER", 3)
    reclaim()
    for _ in range(heap.RECLAIM_AFTER):
        pipeline.build(project.root, pipeline.BuildOptions(cache=False))
    assert len(alive) == heap.RECLAIM_AFTER  # frozen, not collected: no build paid for it...
    pipeline.build(project.root, pipeline.BuildOptions(cache=False))
    assert len(alive) == 1 and gc.isenabled()  # ...until the next build found them due


def test_a_second_build_while_one_runs_fails_with_a_clear_message(project: Project) -> None:
    assert project.cli("build").exit_code == 0
    before = (project.root / "site" / "index.html").read_bytes()
    with build_lock(project.root):
        result = project.cli("build")
    assert result.exit_code == 1
    assert "another build of this playbook is already running" in result.output
    assert (project.root / "site" / "index.html").read_bytes() == before


def test_two_build_processes_at_once_leave_a_complete_site(project: Project) -> None:
    for number in range(60):
        project.page(f"guides/guide-{number}.md", f"title: Guide {number}", "Some text.\n" * 20)
    command = [sys.executable, "-m", "generator", "build", "-q", str(project.root)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    assert any(code == 0 for code, _ in outcomes), outcomes
    for code, errors in outcomes:
        assert code == 0 or (code == 1 and "another build of this playbook is already running" in errors), errors
    site = project.root / "site"
    assert len(list(site.glob("guides/guide-*/index.html"))) == 60
    assert (site / "index.html").is_file() and (site / MARKER).is_file()
    assert not list(project.root.glob(".site.*")), "staging folders were left behind"


@pytest.mark.parametrize(
    "body",
    [
        "> " * 500 + "deep quote\n",
        "".join("  " * level + "- item\n" for level in range(500)),
        "".join(" " * (2 * level) + "1. item\n" for level in range(500)),
        "*" * 5000 + "x" + "*" * 5000 + "\n",
        "[" * 5000 + "x" + "](y)" * 5000 + "\n",
        "<div>" * 2000 + "\n",
        "|a|\n|-|\n" + "|x|\n" * 2000,
    ],
    ids=["blockquotes", "bullets", "ordered", "emphasis", "brackets", "html", "table"],
)
def test_pathological_markdown_builds_without_recursion_errors(project: Project, body: str) -> None:
    project.page("deep.md", "title: Deep", body)
    result = project.cli("build")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert (project.root / "site" / "deep" / "index.html").is_file()
