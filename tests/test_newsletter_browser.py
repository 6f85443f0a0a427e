"""The e-mail HTML in headless Chromium: readable at 600 px, no horizontal scroll at 375 px,
every link absolute."""

from __future__ import annotations

import pytest

from tests.conftest import assert_no_console_errors
from tests.newsletter_fixture import ISSUE_FRONT, config

pytestmark = pytest.mark.browser

LONG_BODY = """\
A paragraph with a very long address https://shop.example/a/very/long/path/that/should/wrap/nicely/on/phones/xyz.

| Bundle | Lights | Mudguards | Price |
|---|---|---|---|
| City | front + rear | yes | EUR 39 |

```
a code block with a long line that would otherwise overflow the narrow phone screen
```
"""


@pytest.fixture(scope="module")
def email_file(tmp_path_factory):
    from tests.conftest import BASIC_PEOPLE, Project

    project = Project(tmp_path_factory.mktemp("mail") / "pb")
    project.write("playbook.yml", config())
    project.write("content/people.yml", BASIC_PEOPLE)
    project.page("index.md", "title: Home", "Welcome.\n")
    project.page("campaigns/spring.md", "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31", "Ok.\n")
    project.page("newsletters/issue-3.md", ISSUE_FRONT, LONG_BODY + "\n[Book now](https://shop.example/?a=1)\n")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    return project.root / "newsletters" / "issue-3" / "email.html"


@pytest.mark.parametrize("width", [600, 375])
def test_email_fits_the_screen_and_links_are_absolute(page, email_file, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(email_file.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    container = page.locator("table.container").bounding_box()
    assert container["width"] <= width
    if width == 600:
        assert container["width"] == 600
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    assert all(h.startswith(("https://", "mailto:", "tel:", "*|UNSUB|*")) for h in hrefs), hrefs
    assert page.locator("h1").inner_text() == "Issue 3: Spring"
    assert page.locator(".preheader").is_hidden()
    assert_no_console_errors(page, requests=False)  # its absolute URLs name hosts a test cannot reach
