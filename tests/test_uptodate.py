"""`playbook build` with nothing changed since the last build: answered by the up-to-date
check without loading the playbook, and never when anything the build reads or wrote changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.uptodate import CACHE_FOLDER, STAMP_FILE
from tests.conftest import Project

NOTHING_CHANGED = "nothing changed since the last build"


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(project: Project) -> Project:
    project.page("guides/alpha.md", "title: Alpha Guide\nsumary: misspelt key", "First text.\n")
    first = project.cli("build")
    assert first.exit_code == 0 and NOTHING_CHANGED not in first.output
    return project


def test_a_second_build_with_nothing_changed_is_a_no_op(built: Project) -> None:
    before = stamps(built.root / "site")
    result = built.cli("build")
    assert result.exit_code == 0 and NOTHING_CHANGED in result.output
    assert "unknown key; did you mean 'summary'?" in result.output, "the warnings are printed again"
    assert stamps(built.root / "site") == before


def test_an_edited_page_is_built(built: Project) -> None:
    built.page("guides/alpha.md", "title: Alpha Guide", "Second text.\n")
    result = built.cli("build")
    assert NOTHING_CHANGED not in result.output
    assert "Second text." in built.read("site/guides/alpha/index.html")


def test_a_new_theme_override_is_built(built: Project) -> None:
    built.write("themes/assets/extra.css", "body { color: red }\n")
    assert NOTHING_CHANGED not in built.cli("build").output
    assert any(p.name.startswith("extra.") for p in (built.root / "site" / "_playbook").iterdir())


def test_a_damaged_output_is_built_again(built: Project) -> None:
    (built.root / "site" / "guides" / "alpha" / "index.html").unlink()
    assert NOTHING_CHANGED not in built.cli("build").output
    assert "First text." in built.read("site/guides/alpha/index.html")


def test_another_build_date_or_drafts_is_built(built: Project) -> None:
    assert NOTHING_CHANGED not in built.cli("build", "--build-date", "2031-01-01").output
    assert NOTHING_CHANGED not in built.cli("build", "--drafts").output
    assert NOTHING_CHANGED in built.cli("build", "--drafts").output


def test_no_cache_always_builds(built: Project) -> None:
    assert NOTHING_CHANGED not in built.cli("build", "--no-cache").output


def test_a_failed_build_leaves_no_stamp_behind(built: Project) -> None:
    built.page("guides/alpha.md", "title: Alpha Guide\nowner: nobody", "First text.\n")
    assert built.cli("build").exit_code == 1
    assert not (built.root / CACHE_FOLDER / STAMP_FILE).exists()
    assert NOTHING_CHANGED not in built.cli("build").output


def test_summary_counts_pages_and_newsletters_but_not_short_link_redirects(project: Project) -> None:
    sender = "newsletter: {from_address: a@example.org, postal_address: Main St 1, unsubscribe: '*|UNSUB|*'}\n"
    project.write("playbook.yml", project.read("playbook.yml") + "tracking: {short_links: true}\n" + sender)
    project.page("guide.md", "title: Guide", "See [the partner](https://partner.example/).\n")
    front = "title: Issue 1\ntype: newsletter\nsubject: Hi\npreheader: News\naudience: staff"
    project.page("news/issue-1.md", front, "Read [the guide](../guide.md).\n")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    site = project.root / "site"
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("go/")]
    assert any(site.joinpath("go").rglob("index.html")), "short links were made"
    assert f"Built {len(pages)} pages, 1 newsletters, 0 warnings" in result.output


def test_a_page_including_a_snippet_from_outside_the_content_is_built_after_the_snippet_changes(
    project: Project,
) -> None:
    """Snippets may come from any file of the project (`includes/` beside `content/`): such
    a playbook is always built, never answered "nothing changed" with the old text."""
    project.write("includes/note.md", "First text.\n")
    project.page("guide.md", "title: Guide", '--8<-- "includes/note.md"\n')
    assert project.cli("build").exit_code == 0
    project.write("includes/note.md", "Second text.\n")
    result = project.cli("build")
    assert result.exit_code == 0 and NOTHING_CHANGED not in result.output
    assert "Second text." in project.read("site/guide/index.html")


def test_an_mkdocs_project_is_always_built(tmp_path: Path) -> None:
    """mkdocs.yml may read environment variables (!ENV) that no file stamp can see."""
    handbook = Project(tmp_path / "handbook")
    handbook.write("mkdocs.yml", "site_name: !ENV [HANDBOOK_NAME, Old Handbook]\n")
    handbook.write("docs/index.md", "# Welcome\n\nHello.\n")
    assert handbook.cli("build").exit_code == 0
    second = handbook.cli("build")
    assert second.exit_code == 0 and NOTHING_CHANGED not in second.output
