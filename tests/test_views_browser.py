"""The campaign table in headless Chromium: filters and sorting with JavaScript, and the
complete table without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.views_fixture import build_views_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_views_site(tmp_path_factory.mktemp("views-browser"))


def visible_titles(page: Page) -> list[str]:
    return page.locator("#campaign-table tbody tr:visible th").all_inner_texts()


def test_filters_narrow_the_table_and_stay_in_the_address(site, serve_dir, page):
    base = serve_dir(site)
    page.goto(base + "campaigns/")
    assert visible_titles(page) == ["Winter Sale", "Summer Ride", "Autumn Launch"]
    page.get_by_label("Status").select_option("running")
    assert visible_titles(page) == ["Summer Ride"]
    assert page.locator(".filter-count").inner_text() == "Showing 1 of 3 campaigns"
    page.get_by_label("Status").select_option("")
    page.get_by_label("Channel").select_option("Instagram")
    assert visible_titles(page) == ["Winter Sale", "Summer Ride"]
    page.get_by_label("Owner").select_option("ana")
    assert visible_titles(page) == ["Winter Sale"]
    assert page.url.endswith("?channel=Instagram&owner=ana")
    page.reload()
    assert visible_titles(page) == ["Winter Sale"]
    assert page.console_errors == [] and page.failed_requests == []


def test_headers_sort_the_table(site, serve_dir, page):
    page.goto(serve_dir(site) + "campaigns/")
    page.get_by_role("button", name="Budget").click()
    assert visible_titles(page) == ["Summer Ride", "Winter Sale", "Autumn Launch"]
    page.get_by_role("button", name="Budget").click()
    assert visible_titles(page) == ["Autumn Launch", "Winter Sale", "Summer Ride"]
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    page.get_by_role("button", name="Campaign").click()
    assert visible_titles(page) == ["Autumn Launch", "Summer Ride", "Winter Sale"]


def test_table_is_complete_without_javascript(site, serve_dir, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(serve_dir(site) + "campaigns/")
        assert visible_titles(tab) == ["Winter Sale", "Summer Ride", "Autumn Launch"]
        assert tab.locator("#campaign-table tbody tr").nth(1).locator("td").all_inner_texts()[-1] == (
            "LinkedIn, Instagram"
        )
        assert not tab.locator("form.table-filters").is_visible()
        assert tab.locator("svg.gantt").is_visible()
    finally:
        context.close()


def test_results_table_rows_line_up_under_their_headers(site, serve_dir, page):
    page.goto(serve_dir(site) + "results/")
    table = page.locator("table.results")
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    header = table.locator("thead th").first.bounding_box()
    for row in table.locator("tbody tr").all():
        assert row.locator("th").bounding_box()["x"] == header["x"]
