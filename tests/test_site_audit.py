"""The example playbook under the standard audits in headless Chromium, served under a
sub-path: axe-core (target size on) at 1280 px light and 375 px dark, layout shift while
loading, tables cut off by their box, the header on one row at 1024 px; and what the audits
cannot see: search loaded on first use and across languages, the results and people tables,
the timeline by keyboard, the language menu without JavaScript, serve's error overlay.

`make test` audits one page per layout, view and language; `make audit` every page."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.commands.serve import OVERLAY_ID, PreviewServer
from tests.conftest import Project, assert_no_console_errors
from tests.site_audit import (
    DESKTOP,
    LAPTOP,
    PHONE,
    SUB_PATH,
    PageAudit,
    Viewport,
    audit_page,
    build_example,
    new_audit_tab,
    site_pages,
)

pytestmark = pytest.mark.browser

LAYOUT_SHIFT_LIMIT = 0.1  # "good" in Core Web Vitals

# One page per layout, generated view and language.
SAMPLE = [
    "",
    "strategy/social-media-strategy/",
    "guidelines/staff-social-media/",
    "newsletters/issue-15/",
    "reports/iteration-3/",
    "people/",
    "people/mila-georgieva/",
    "tags/",
    "tags/winter/",
    "reviews/",
    "404.html",
    "es/campaigns/",
    "es/newsletters/",
    "bg/campaigns/winter-commute/",
    "fi/results/",
    "fi/strategy/",
]


@pytest.fixture(scope="module")
def example_host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("audit"))


@pytest.fixture
def site(example_host: Path, serve_dir) -> str:
    return serve_dir(example_host) + SUB_PATH


@pytest.fixture
def open_tab(browser) -> Iterator[Callable[[Viewport], Page]]:
    """Opens pages at a viewport, recording layout shift; closes them after the test."""
    tabs: list[Page] = []

    def open_at(viewport: Viewport) -> Page:
        tabs.append(new_audit_tab(browser, viewport))
        return tabs[-1]

    yield open_at
    for tab in tabs:
        tab.context.close()


def failures(audit: PageAudit, viewport: Viewport) -> list[str]:
    """What is wrong on a page at this viewport: serious axe findings anywhere, layout shift
    on a desktop, cut tables from 1024 px up, more than one header row at 1024 px."""
    found = list(audit.axe)
    if viewport.width >= DESKTOP.width and audit.layout_shift >= LAYOUT_SHIFT_LIMIT:
        found.append(f"layout shift {audit.layout_shift}")
    if viewport.width >= LAPTOP.width:
        found += [f"table wider than its box: {name}" for name in audit.cut_tables]
    if viewport.width == LAPTOP.width and audit.header_rows > 1:
        found.append(f"header on {audit.header_rows} rows")
    return found


def sweep(tab: object, site: str, paths: list[str], viewport: Viewport) -> dict[str, list[str]]:
    audits = (audit_page(tab, site, path, axe=viewport is not LAPTOP) for path in paths)
    return {audit.path: found for audit in audits if (found := failures(audit, viewport))}


VIEWPORTS = [pytest.param(v, id=v.name) for v in (DESKTOP, PHONE, LAPTOP)]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_sample_pages_pass_the_audits(open_tab, site, viewport):
    assert sweep(open_tab(viewport), site, SAMPLE, viewport) == {}


@pytest.mark.audit
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_passes_the_audits(open_tab, site, example_host, viewport):
    pages = site_pages(example_host / SUB_PATH.rstrip("/"))
    assert len(pages) > 200
    assert sweep(open_tab(viewport), site, pages, viewport) == {}


def test_search_is_loaded_on_first_use(page, site):
    pagefind: list[str] = []
    page.on("request", lambda request: "/pagefind/" in request.url and pagefind.append(request.url))
    page.goto(site + "campaigns/winter-commute/")
    expect(page.get_by_role("searchbox", name="Search the playbook")).to_be_visible()
    assert pagefind == [], "a page that never opens search loads nothing of Pagefind"
    page.keyboard.press("/")
    expect(page.locator(".pagefind-ui__search-input")).to_be_focused()
    assert {url.rsplit("/", 1)[-1] for url in pagefind} >= {"pagefind-ui.css", "pagefind-ui.js"}
    assert_no_console_errors(page)


def test_a_spanish_reader_finds_the_bulgarian_campaign_in_all_languages(page, site):
    page.goto(site + "es/")
    page.keyboard.press("/")
    expect(page.locator(".pagefind-ui__search-input")).to_be_focused()
    page.keyboard.type("колело")
    expect(page.locator(".pagefind-ui__message")).to_have_text("No hay resultados para колело")
    page.get_by_role("group", name="Buscar en").get_by_label("Todos los idiomas").check()
    bulgarian = page.locator(f".pagefind-ui__result-link[href='/{SUB_PATH}bg/campaigns/winter-commute/']")
    expect(bulgarian).to_have_text("С колело на работа през зимата")
    page.goto(site + "es/campaigns/")
    page.keyboard.press("/")
    expect(page.locator(".pagefind-ui__search-input")).to_be_focused()
    expect(page.get_by_label("Todos los idiomas")).to_be_checked()  # the choice is remembered
    assert_no_console_errors(page)


@pytest.mark.parametrize("lang", ["", "es/", "bg/", "fi/"])
def test_the_results_table_fits_a_1280_px_window(open_tab, site, lang):
    tab = open_tab(DESKTOP)
    tab.goto(site + lang + "results/")
    region = tab.locator("[role='region']:has(table.results)")
    assert region.evaluate("box => box.scrollWidth <= box.clientWidth"), "no column is cut off"


def test_people_table_cells_line_up_under_their_headers(open_tab, site):
    tab = open_tab(DESKTOP)
    tab.goto(site + "people/")
    table = tab.locator("table.people").first
    columns = [round(box["x"]) for box in (cell.bounding_box() for cell in table.locator("thead th").all())]
    for row in table.locator("tbody tr").all():
        assert [round(cell.bounding_box()["x"]) for cell in row.locator("th, td").all()] == columns


def test_timeline_bars_are_named_links_reachable_by_keyboard(page, site):
    page.goto(site + "campaigns/")
    timeline = page.get_by_role("group", name="Campaign timeline")
    bar = timeline.get_by_role("link", name=re.compile(r"^Winter Commute: Nov 2, 2026 to Jan 31, 2027, Running\.$"))
    expect(bar).to_have_count(1)
    page.get_by_role("region", name="Budgets by launch quarter").focus()  # the next stop after the timeline
    for _ in range(timeline.get_by_role("link").count()):
        page.keyboard.press("Shift+Tab")
        if bar.evaluate("link => link === document.activeElement"):
            break
    assert bar.evaluate("link => link === document.activeElement"), "Tab reaches the bar"
    page.keyboard.press("Enter")
    page.wait_for_url(site + "campaigns/winter-commute/")


def test_state_chips_stay_inside_their_cards_on_a_phone(open_tab, site):
    tab = open_tab(PHONE)
    for path in ("fi/campaigns/winter-commute/", "fi/strategy/social-media-strategy/"):
        tab.goto(site + path)
        for card in tab.locator(".objective").all():
            chip, box = card.locator(".chip").bounding_box(), card.bounding_box()
            assert chip["x"] + chip["width"] <= box["x"] + box["width"], path


def test_the_language_menu_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site + "campaigns/winter-commute/")
        assert not tab.locator(".site-search").is_visible(), "no search box that cannot search"
        assert not tab.locator(".theme-toggle").is_visible()
        menu = tab.get_by_role("navigation", name="Language")
        menu.locator("summary").click()
        menu.get_by_role("link", name="Español").click()
        tab.wait_for_url(site + "es/campaigns/winter-commute/")
    finally:
        context.close()


def test_the_error_overlay_leaves_the_sidebar_visible(project: Project, page):
    project.page("guides/phones.md", "title: Phones", "Good text.\n")
    server = PreviewServer(project.root, "127.0.0.1", 0, echo=lambda line: None)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert server.ready.wait(30)
        project.page("guides/phones.md", "title: [broken", "Good text.\n")
        page.set_viewport_size({"width": DESKTOP.width, "height": DESKTOP.height})
        page.goto(server.url + "guides/phones/")
        expect(page.locator(f"#{OVERLAY_ID}")).to_be_visible()
        overlay = page.locator(f"#{OVERLAY_ID}").bounding_box()
        sidebar = page.locator("#sidebar").bounding_box()
        header = page.locator(".site-header").bounding_box()
        assert overlay["x"] >= sidebar["x"] + sidebar["width"] - 1
        assert overlay["y"] >= header["y"] + header["height"] - 1
        sections = page.get_by_role("navigation", name="Playbook sections")
        expect(sections.get_by_role("link", name="Phones")).to_be_visible()
    finally:
        server.shutdown(wait=True)
        thread.join(5)
