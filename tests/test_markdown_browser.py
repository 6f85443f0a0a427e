"""Content tabs, collapsible notes and the Copy button of code blocks in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import Project, run_cli

pytestmark = pytest.mark.browser

TABS = '''\
# Tabs

??? note "Folded"
    Hidden until opened.

=== "First"

    Text of the first tab.

===+ "Second"

    ```python
    print("copied")
    ```
'''


@pytest.fixture
def site(tmp_path: Path, serve_dir) -> str:
    project = Project(tmp_path / "tabs")
    project.write("mkdocs.yml", "site_name: Tabs\n")
    project.write("docs/index.md", TABS)
    assert run_cli("build", str(project.root)).exit_code == 0
    return serve_dir(project.root / "site")


def test_tabs_switch_notes_fold_and_code_copies(page, site: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site)
    first, second = page.get_by_text("Text of the first tab."), page.locator(".tabbed-content pre")
    expect(second).to_be_visible()
    expect(first).to_be_hidden()
    page.get_by_text("First", exact=True).click()
    expect(first).to_be_visible()
    expect(second).to_be_hidden()
    hidden = page.get_by_text("Hidden until opened.")
    expect(hidden).to_be_hidden()
    page.get_by_text("Folded").click()
    expect(hidden).to_be_visible()
    page.get_by_text("Second", exact=True).click()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == 'print("copied")\n'
    assert page.console_errors == [] and page.failed_requests == []
