"""Parallel builds (forked workers) write exactly what a serial build writes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.errors import BuildFailed

DAY = dt.date(2026, 11, 20)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def bigger(project):
    project.write("playbook.yml", project.read("playbook.yml") + "search: false\n")  # Pagefind's bundle is not ours
    for i in range(40):
        after = (i + 1) % 40
        links = f"See [next](/area-{after % 3}/page-{after:02d}.md#notes) and [home](../index.md)."
        front = f"title: Page {i}\nowner: ana\ntags: [t{i % 4}]"
        project.page(f"area-{i % 3}/page-{i:02d}.md", front, f"## Notes\n\n{links}\n")
    for i in range(4):
        project.page(
            f"campaigns/c{i}.md",
            f"title: Campaign {i}\ntype: campaign\nstart: 2026-0{i + 1}-01\nend: 2026-0{i + 1}-20\nteam: [ana, ben]",
            "## Plan\n\nRide.\n",
        )
    for i in range(20):
        front = f"title: Issue {i}\ntype: newsletter\nissue: {i + 1}\ndate: 2026-01-{i + 1:02d}\nsubject: News {i}"
        project.page(f"news/issue-{i:02d}.md", front, f"Read [page {i}](../area-{i % 3}/page-{i:02d}.md).\n")
    return project


def test_parallel_and_serial_builds_are_byte_identical(bigger, tmp_path: Path) -> None:
    build(bigger.root, BuildOptions(build_date=DAY, jobs=1, cache=False))
    serial = {name: tree(bigger.root / name) for name in ("site", "newsletters")}
    shutil.rmtree(bigger.root / "site")
    shutil.rmtree(bigger.root / "newsletters")
    build(bigger.root, BuildOptions(build_date=DAY, jobs=2, cache=False))
    assert {name: tree(bigger.root / name) for name in ("site", "newsletters")} == serial
    assert len(serial["site"]) > 50 and sum(name.endswith("message.eml") for name in serial["newsletters"]) == 20


def test_parallel_incremental_build_equals_serial(bigger) -> None:
    build(bigger.root, BuildOptions(build_date=DAY, jobs=2))
    bigger.page("area-1/page-01.md", "title: Page One Renamed\nowner: ben", "## Notes\n\nChanged.\n")
    build(bigger.root, BuildOptions(build_date=DAY, jobs=2))
    incremental = tree(bigger.root / "site")
    build(bigger.root, BuildOptions(build_date=DAY, jobs=1, cache=False))
    assert tree(bigger.root / "site") == incremental


def test_link_errors_from_workers_are_reported(bigger) -> None:
    bigger.page("area-0/page-00.md", "title: Page 0", "## Notes\n\nSee [nothing](missing.md).\n")
    with pytest.raises(BuildFailed) as failed:
        build(bigger.root, BuildOptions(build_date=DAY, jobs=2))
    assert any("missing.md" in str(p) and "area-0/page-00.md" in str(p) for p in failed.value.problems.errors)


def test_template_errors_from_workers_are_reported(bigger) -> None:
    bigger.write("themes/templates/page.html", '{% extends "base.html" %}{% block main %}{{ nope() }}{% endblock %}')
    with pytest.raises(BuildFailed) as failed:
        build(bigger.root, BuildOptions(build_date=DAY, jobs=2))
    assert any("template error" in p.message for p in failed.value.problems.errors)


@pytest.mark.parametrize("jobs", [1, 2])
def test_template_errors_in_newsletters_name_the_template_and_line(bigger, jobs: int) -> None:
    bigger.write("themes/templates/email/email.html", "<html>{{ missing.attribute }}</html>\n")
    with pytest.raises(BuildFailed) as failed:
        build(bigger.root, BuildOptions(build_date=DAY, jobs=jobs))
    errors = [p for p in failed.value.problems.errors if "template error" in p.message]
    assert errors and "email/email.html" in errors[0].path and errors[0].line == 1, errors
