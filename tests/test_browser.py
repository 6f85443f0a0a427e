"""The example playbook in a real browser (Debian's Chromium through Playwright), served
under a sub-path: navigation, search in every language, language switching, dark mode,
phones, print and axe-core accessibility checks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.build import build
from tests.conftest import assert_no_console_errors

REPO = Path(__file__).resolve().parent.parent
SUB_PATH = "playbook/"
PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def example_host(tmp_path_factory) -> Path:
    """The example content built once; the host folder serves it under /playbook/."""
    project = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "playbook.yml", project / "playbook.yml")
    shutil.copytree(REPO / "content", project / "content")
    build(project)
    host = tmp_path_factory.mktemp("host")
    (project / "site").rename(host / SUB_PATH.rstrip("/"))
    return host


@pytest.fixture
def site(example_host, serve_dir) -> str:
    return serve_dir(example_host) + SUB_PATH


@pytest.fixture
def tab(page):
    """The browser page; after the test, no console errors and no failed requests."""
    yield page
    assert_no_console_errors(page)


def _search(tab, words: str) -> None:
    """Type `words` into the search box and wait until the results are those of the whole
    words (each keystroke starts a search; an early one may answer first)."""
    tab.keyboard.press("/")
    expect(tab.locator(".pagefind-ui__search-input")).to_be_focused()
    tab.keyboard.type(words)
    expect(tab.locator(".pagefind-ui__message")).to_contain_text(words)
    expect(tab.locator(".pagefind-ui__result-link").first).to_be_visible()


def test_sidebar_leads_from_home_to_a_campaign(tab, site):
    tab.goto(site)
    sections = tab.get_by_role("navigation", name="Playbook sections")
    sections.get_by_role("link", name="Campaigns", exact=True).click()
    tab.get_by_role("navigation", name="Playbook sections").get_by_role("link", name="Winter Commute").click()
    assert tab.locator("h1").inner_text() == "Winter Commute"
    assert tab.url == site + "campaigns/winter-commute/"
    current = tab.locator("#sidebar [aria-current='page']")
    assert current.inner_text() == "Winter Commute"


def test_search_finds_a_word_and_opens_the_result(tab, site):
    tab.goto(site + "strategy/")
    _search(tab, "studded")
    assert "studded" in tab.locator(".pagefind-ui__result-excerpt").first.inner_text().lower()
    filters = tab.locator(".pagefind-ui__filter-panel").inner_text()
    assert "Type" in filters and "Tag" in filters
    tab.locator(".pagefind-ui__result-link").filter(has_text="Winter Commute").first.click()
    tab.wait_for_url(site + "campaigns/winter-commute/**")
    assert tab.locator("h1").inner_text() == "Winter Commute"


def test_a_bulgarian_page_is_found_by_a_cyrillic_word(tab, site):
    tab.goto(site + "bg/")
    _search(tab, "велосипеди")
    first = tab.locator(".pagefind-ui__result-link").first
    assert first.get_attribute("href").startswith("/" + SUB_PATH + "bg/")
    first.click()
    tab.wait_for_load_state()
    assert tab.evaluate("document.documentElement.lang") == "bg"
    assert "велосипеди" in tab.locator("main").inner_text()


def test_search_results_can_be_filtered_by_document_type(tab, site):
    tab.goto(site)
    _search(tab, "winter")
    campaign = tab.locator("label[for='Type-Campaign']")
    expect(campaign).to_have_text(re.compile(r"^Campaign \(\d+\)$"))  # counts are in: the panel is settled
    tab.locator("summary.pagefind-ui__filter-name", has_text="Type").click()
    campaign.click()
    expect(tab.locator("#Type-Campaign")).to_be_checked()
    tab.wait_for_function(
        "[...document.querySelectorAll('.pagefind-ui__result-link')].every(a => a.href.includes('/campaigns/'))"
    )
    expect(tab.locator(".pagefind-ui__result-link").first).to_be_visible()


def test_language_switcher_opens_the_same_page_in_spanish(tab, site):
    tab.goto(site + "campaigns/winter-commute/")
    tab.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    tab.wait_for_url(site + "es/campaigns/winter-commute/")
    assert tab.evaluate("document.documentElement.lang") == "es"


def test_dark_mode_toggle_is_remembered(tab, site):
    tab.emulate_media(color_scheme="light")
    tab.goto(site)
    light = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle = tab.get_by_role("button", name="Dark mode")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
    tab.goto(site + "campaigns/winter-commute/")
    assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") != light
    assert tab.get_by_role("button", name="Dark mode").get_attribute("aria-pressed") == "true"


def test_dark_mode_follows_the_system_without_a_choice(tab, site):
    tab.emulate_media(color_scheme="dark")
    tab.goto(site)
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 20, 18)"
    assert tab.get_by_role("button", name="Dark mode").get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("width", [320, 375])
def test_no_horizontal_scroll_on_phones(tab, site, width):
    tab.set_viewport_size({"width": width, "height": 740})
    for path in ["", "strategy/social-media-strategy/", "campaigns/winter-commute/", "bg/campaigns/winter-commute/"]:
        tab.goto(site + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, path


def test_phone_menu_opens_the_sidebar(tab, site):
    tab.set_viewport_size(PHONE)
    tab.goto(site)
    sidebar = tab.locator("#sidebar")
    views = tab.get_by_role("navigation", name="Views")
    assert not sidebar.is_visible() and not views.is_visible()
    tab.get_by_role("button", name="Menu").click()
    assert sidebar.is_visible() and views.is_visible()
    assert tab.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"


def test_skip_link_is_first_and_moves_focus_to_the_content(tab, site):
    tab.goto(site + "guidelines/staff-social-media/")
    tab.keyboard.press("Tab")
    skip = tab.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0, "the focused skip link is on screen"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_print_shows_the_document_and_link_targets_only(tab, site):
    tab.goto(site + "newsletters/issue-15/")
    tab.emulate_media(media="print")
    assert not tab.locator("#sidebar").is_visible()
    assert not tab.locator(".site-header").is_visible()
    external = tab.locator(".prose a[href^='http']").first
    after = external.evaluate("a => getComputedStyle(a, '::after').content")
    assert external.get_attribute("href") in after


def test_footer_has_edit_link_and_last_updated_date(tab, site):
    tab.goto(site + "campaigns/winter-commute/")
    edit = tab.get_by_role("link", name="Edit this page")
    assert edit.get_attribute("href").endswith("/edit/main/content/en/campaigns/winter-commute.md")
    assert tab.locator(".site-footer time").get_attribute("datetime")


PAGE_TYPES = {
    "home": "",
    "strategy": "strategy/social-media-strategy/",
    "campaign": "campaigns/winter-commute/",
    "guideline": "guidelines/staff-social-media/",
    "newsletter": "newsletters/issue-15/",
    "report": "reports/iteration-3/",
    "bulgarian campaign": "bg/campaigns/winter-commute/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(tab, site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    tab.emulate_media(color_scheme=scheme)
    found = {}
    for name, path in PAGE_TYPES.items():
        tab.goto(site + path)
        violations = axe.run(tab).response["violations"]
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    assert found == {}
