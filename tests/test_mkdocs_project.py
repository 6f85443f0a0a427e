"""Existing MkDocs projects build unchanged: mkdocs.yml read by MkDocs' loader, nested nav
order and labels, titles from headings, admonitions, site_dir as the output folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.mkdocs_project import outline_from_nav
from tests.conftest import Project, run_cli

MKDOCS_YML = """\
site_name: Old Handbook
site_url: https://docs.example.com/handbook/
site_dir: public
theme:
  name: material          # not installed here: Playbook uses its own theme
plugins: [search, awesome-pages]
markdown_extensions: [admonition, pymdownx.superfences]
extra:
  company: Example Ltd
nav:
  - Home: index.md
  - Guide:
      - guide/setup.md
      - Day to day: guide/usage.md
      - Advanced:
          - guide/advanced/tuning.md
  - About: about.md
  - Source: https://git.example.com/handbook
"""


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("mk") / "handbook")
    project.write("mkdocs.yml", MKDOCS_YML)
    project.write("docs/index.md", "# Welcome\n\nStart with [setup](guide/setup.md).\n")
    project.write("docs/about.md", "---\ntitle: About us\n---\nWho we are.\n")
    project.write("docs/guide/setup.md", '# Setting up\n\n!!! warning "Careful"\n    Back up first.\n')
    project.write("docs/guide/usage.md", "```\n# not a heading\n```\n\n# Using it every day\n\nText.\n")
    project.write("docs/guide/advanced/tuning.md", "No heading here.\n")
    project.write("docs/guide/unlisted.md", "# Not in the nav\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0, result.output
    return project


def sidebar_labels(html: str) -> list[str]:
    sidebar = html.split('id="sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]*"(?: aria-current="page")?>([^<]+)</a>', sidebar)


def test_builds_into_site_dir_with_the_nav_order_and_labels(handbook: Project) -> None:
    assert not (handbook.root / "site").exists()
    page = handbook.read("public/guide/usage/index.html")
    assert sidebar_labels(page) == ["Guide", "Setting up", "Day to day", "Advanced", "Not in the nav", "About"]
    deeper = handbook.read("public/guide/advanced/tuning/index.html")
    assert "Advanced" in sidebar_labels(deeper) and "Tuning" in sidebar_labels(deeper)


def test_titles_come_from_front_matter_heading_or_file_name(handbook: Project) -> None:
    assert "<h1>About us</h1>" in handbook.read("public/about/index.html")
    usage = handbook.read("public/guide/usage/index.html")
    assert "<h1>Using it every day</h1>" in usage
    assert "<h1>Tuning</h1>" in handbook.read("public/guide/advanced/tuning/index.html")
    assert "<h1>Welcome</h1>" in handbook.read("public/index.html")


def test_admonitions_links_and_site_url(handbook: Project) -> None:
    setup = handbook.read("public/guide/setup/index.html")
    assert 'class="admonition warning"' in setup and "Careful" in setup and "Back up first." in setup
    assert 'href="guide/setup/"' in handbook.read("public/index.html")
    assert "https://docs.example.com/handbook/guide/setup/" in handbook.read("public/sitemap.xml")


def test_playbook_yml_wins_over_mkdocs_yml(handbook: Project, tmp_path: Path) -> None:
    project = Project(tmp_path / "both")
    project.write("mkdocs.yml", "site_name: From MkDocs\n")
    project.write("playbook.yml", "site_name: From Playbook\n")
    project.write("content/index.md", "---\ntitle: Home\n---\n")
    assert run_cli("build", str(project.root)).exit_code == 0
    assert "From Playbook" in project.read("site/index.html")


def test_an_invalid_mkdocs_yml_is_reported_not_raised(tmp_path: Path) -> None:
    project = Project(tmp_path / "bad")
    project.write("mkdocs.yml", "site_name: X\nnav: 12\n")
    project.write("docs/index.md", "# Home\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 1
    assert result.output.startswith("mkdocs.yml: MkDocs cannot load it")


def test_titles_stay_required_in_playbook_projects(project: Project) -> None:
    project.write("content/untitled.md", "# A heading\n")
    result = project.cli("check")
    assert result.exit_code == 1 and "content/untitled.md: title: is required" in result.output


def test_outline_from_nested_nav() -> None:
    outline = outline_from_nav(
        [{"Home": "index.md"}, {"Guide": ["guide/a.md", {"Deep": ["guide/deep/b.md"]}]}, {"Ext": "https://x.org"}]
    )
    assert outline["order"] == ["index.md", "guide/a.md", "guide/deep/b.md"]
    assert outline["labels"] == {"index.md": "Home", "guide/deep": "Deep", "guide": "Guide"}
