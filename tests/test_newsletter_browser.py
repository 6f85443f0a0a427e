"""The e-mail HTML in headless Chromium: readable at 600 px, no horizontal scroll at 375 px,
every link absolute, content readable in dark mode; image sizes of browser-made JPEG and WebP."""

from __future__ import annotations

import base64

import pytest

from generator.newsletter.images import Size, image_size
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

> A quote from a rider, with `inline code`.

!!! note "Opening hours"
    All shops open at nine.
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


CONTRAST = """(element) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let node = element, background = null;
  while (node && !background) {
    const value = rgb(getComputedStyle(node).backgroundColor);
    if (value.length < 4 || value[3] > 0) background = value;
    node = node.parentElement;
  }
  const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background || [255, 255, 255])];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_content_elements_stay_readable_in_both_colour_schemes(page, email_file, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(email_file.as_uri())
    for selector in (
        ".content p",
        ".content blockquote",
        ".content pre",
        ".content td",
        ".content th",
        ".content .admonition p",
        ".content code",
        ".content h1",
        ".footer p",
    ):
        element = page.locator(selector).first
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{scheme}: {selector} has a contrast of {ratio:.2f}"


@pytest.mark.parametrize("kind", ["image/jpeg", "image/webp", "image/png"])
def test_sizes_of_images_a_browser_encodes_are_read(page, kind):
    script = f"""() => {{
      const canvas = document.createElement("canvas");
      canvas.width = 123; canvas.height = 45;
      canvas.getContext("2d").fillRect(0, 0, 60, 20);
      return canvas.toDataURL("{kind}");
    }}"""
    page.goto("about:blank")
    url = page.evaluate(script)
    assert url.startswith(f"data:{kind};base64,")
    assert image_size(base64.b64decode(url.split(",", 1)[1])) == Size(123, 45)
