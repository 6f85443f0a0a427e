"""The example playbook opens in a real browser and its sidebar leads to a campaign."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser


def test_sidebar_leads_from_home_to_a_campaign(tmp_path, serve_dir, page):
    project = tmp_path / "example"
    project.mkdir()
    (project / "playbook.yml").write_text((REPO / "playbook.yml").read_text())
    import shutil

    shutil.copytree(REPO / "content", project / "content")
    build(project, BuildOptions(write=True))
    base = serve_dir(project / "site")
    page.goto(base)
    page.get_by_role("navigation", name="Playbook sections").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Winter Commute").first.click()
    assert page.locator("h1").inner_text() == "Winter Commute"
    assert page.console_errors == []
    assert page.failed_requests == []
