"""Shared fragments: a sidebar rendered once per folder and filled in per page is exactly
the sidebar rendered for that page alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions
from generator.site.context import SiteContext
from generator.site.fragments import SharedSidebar, render_sidebar
from tests.context_fixture import context_of

REPO = Path(__file__).resolve().parent.parent


def every_page_context(site: SiteContext) -> list[dict]:
    """The context of each document page and each section page, in build order."""
    contexts = [site.page(doc.lang, doc.url, doc.title, doc) for doc in site.playbook.documents]
    for lang, nav in site.navigation.items():
        contexts += [site.page(lang, section.url, section.title, None) for section in nav.sections.values()]
    return contexts


def assert_shared_equals_alone(root: Path) -> None:
    site = context_of(root, BuildOptions(build_date=dt.date(2026, 11, 20)))
    env = site.theme.env
    for context in every_page_context(site):
        assert site.fragments.sidebar(env, context) == render_sidebar(env, context), context["page_url"]
    shared = [s for s in site.fragments.sidebars.values() if isinstance(s, SharedSidebar)]
    assert shared and all(s.slots for s in shared)


def test_shared_sidebars_of_the_example_playbook_equal_sidebars_rendered_alone(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "playbook.yml", tmp_path / "playbook.yml")
    assert_shared_equals_alone(tmp_path)


@pytest.mark.parametrize("pages", [3, 45])
def test_shared_sidebars_equal_sidebars_rendered_alone_in_small_and_large_folders(project, pages: int) -> None:
    """Folders below and above the sidebar's window of siblings, nested folders, a slug,
    a page beside a folder of the same parent, and a folder page linking its children."""
    for i in range(pages):
        project.page(f"guides/deep/page-{i:02d}.md", f"title: Page {i} <&>\norder: {pages - i}")
    project.page("guides/index.md", "title: Guides")
    project.page("guides/setup.md", "title: Setup\nslug: first-steps")
    project.page("guides/later.md", "title: Later")
    project.page("about.md", "title: About")
    project.page("team/roles.md", "title: Roles")
    assert_shared_equals_alone(project.root)


def test_a_theme_sidebar_without_slots_is_rendered_for_each_page(project) -> None:
    """A project's own partials/sidebar_tree.html that ignores `sidebar_slots` still marks
    the right page as current: its sidebar is not shared."""
    project.write(
        "themes/templates/partials/sidebar_tree.html",
        '{% for item in sidebar %}<a href="{{ url(item.url) }}"'
        '{% if item.url == page_url %} aria-current="page"{% endif %}>{{ item.title }}</a>{% endfor %}\n',
    )
    for i in range(3):
        project.page(f"guides/page-{i}.md", f"title: Page {i}")
    site = context_of(project.root, BuildOptions())
    for context in every_page_context(site):
        assert site.fragments.sidebar(site.theme.env, context) == render_sidebar(site.theme.env, context)
    assert not any(site.fragments.sidebars.values())
