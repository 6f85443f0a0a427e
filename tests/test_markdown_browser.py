"""Content tabs, collapsible notes and the Copy button of code blocks in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import Project, run_cli

pytestmark = pytest.mark.browser

TABS = """\
# Tabs

??? note "Folded"
    Hidden until opened.

=== "First"

    Text of the first tab.

===+ "Second"

    ```python
    print("copied")
    ```
"""


def served(folder: Path, serve_dir, mkdocs_yml: str, index: str) -> str:
    """A one-page MkDocs project built by Playbook and served: its address."""
    project = Project(folder)
    project.write("mkdocs.yml", mkdocs_yml)
    project.write("docs/index.md", index)
    assert run_cli("build", str(project.root)).exit_code == 0
    return serve_dir(project.root / "site")


@pytest.fixture
def site(tmp_path: Path, serve_dir) -> str:
    return served(tmp_path / "tabs", serve_dir, "site_name: Tabs\n", TABS)


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


NUMBERED = """\
# Numbered

Line 2 is the one that matters:

```python hl_lines="2" linenums="1"
import os
print(os.getcwd())
print("done")
```
"""
CODE = 'import os\nprint(os.getcwd())\nprint("done")\n'
# The background a reader sees behind a line: its own, or the code block's where it has none.
SEEN_BACKGROUND = """line => {
  for (let node = line; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)") return colour;
  }
}"""


@pytest.fixture
def numbered_site(tmp_path: Path, serve_dir) -> str:
    highlight = "{pymdownx.highlight: {anchor_linenums: true}}"
    mkdocs_yml = f"site_name: Numbered\nmarkdown_extensions: [{highlight}, pymdownx.superfences]\n"
    return served(tmp_path / "numbered", serve_dir, mkdocs_yml, NUMBERED)


def test_copying_a_numbered_block_takes_the_code_without_its_numbers(page, numbered_site: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(numbered_site)
    code = page.locator(".highlight code")
    expect(code).to_contain_text("print")
    numbers = page.locator(".linenos").evaluate_all("spans => spans.map(n => getComputedStyle(n, '::before').content)")
    assert numbers == ['"1"', '"2"', '"3"']
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == CODE
    page.evaluate("navigator.clipboard.writeText('')")
    code.evaluate("code => getSelection().selectAllChildren(code)")
    page.keyboard.press("Control+C")
    assert page.evaluate("navigator.clipboard.readText()").splitlines() == CODE.splitlines()
    page.get_by_role("link", name="2", exact=True).click()
    assert page.url.endswith("#__codelineno-0-2")
    assert page.console_errors == [] and page.failed_requests == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_highlighted_line_stands_out_in_light_and_dark(page, numbered_site: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    page.goto(numbered_site)
    first, emphasised = page.locator(".highlight code .kn").first, page.locator(".highlight .hll")
    expect(emphasised).to_have_text("print(os.getcwd())\n")
    assert emphasised.evaluate(SEEN_BACKGROUND) != first.evaluate(SEEN_BACKGROUND)
    assert emphasised.evaluate("line => getComputedStyle(line).boxShadow") != "none"
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


ICONS = "# Icons\n\nA link to :material-open-in-new: a page.\n\n!!! warning\n    Careful :octicons-alert-16: here.\n"


def test_an_icon_takes_the_colour_and_size_of_its_text(page, tmp_path: Path, serve_dir) -> None:
    page.goto(served(tmp_path / "icons", serve_dir, "site_name: Icons\n", ICONS))
    for icon in page.locator(".twemoji svg").all():
        drawn = icon.evaluate(
            "svg => { const text = getComputedStyle(svg.closest('p'));"
            " const own = getComputedStyle(svg); const box = svg.getBoundingClientRect();"
            " return [own.fill, text.color, box.height, parseFloat(text.fontSize)]; }"
        )
        fill, colour, height, font_size = drawn
        assert fill == colour and 0 < height <= 1.2 * font_size, drawn
