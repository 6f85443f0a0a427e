"""The campaign table in headless Chromium: filters and sorting with JavaScript, and the
complete table without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import assert_no_console_errors
from tests.views_fixture import build_views_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_views_site(tmp_path_factory.mktemp("views-browser"))


def visible_titles(page: Page) -> Locator:
    return page.locator("#campaign-table tbody tr:visible th")


def test_filters_narrow_the_table_and_stay_in_the_address(site, serve_dir, page):
    base = serve_dir(site)
    page.goto(base + "campaigns/")
    expect(visible_titles(page)).to_have_text(["Winter Sale", "Summer Ride", "Autumn Launch"])
    page.get_by_label("Status").select_option("running")
    expect(visible_titles(page)).to_have_text(["Summer Ride"])
    expect(page.locator(".filter-count")).to_have_text("Showing 1 of 3 campaigns")
    page.get_by_label("Status").select_option("")
    page.get_by_label("Channel").select_option("Instagram")
    expect(visible_titles(page)).to_have_text(["Winter Sale", "Summer Ride"])
    page.get_by_label("Owner").select_option("ana")
    expect(visible_titles(page)).to_have_text(["Winter Sale"])
    expect(page).to_have_url(re.compile(r"\?channel=Instagram&owner=ana$"))
    page.reload()
    expect(page.get_by_label("Owner")).to_have_value("ana")
    expect(visible_titles(page)).to_have_text(["Winter Sale"])
    assert_no_console_errors(page)


def test_headers_sort_the_table(site, serve_dir, page):
    page.goto(serve_dir(site) + "campaigns/")
    page.get_by_role("button", name="Budget").click()
    expect(visible_titles(page)).to_have_text(["Summer Ride", "Winter Sale", "Autumn Launch"])
    page.get_by_role("button", name="Budget").click()
    expect(visible_titles(page)).to_have_text(["Autumn Launch", "Winter Sale", "Summer Ride"])
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    page.get_by_role("button", name="Campaign").click()
    expect(visible_titles(page)).to_have_text(["Autumn Launch", "Summer Ride", "Winter Sale"])


def test_table_is_complete_without_javascript(site, serve_dir, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(serve_dir(site) + "campaigns/")
        expect(visible_titles(tab)).to_have_text(["Winter Sale", "Summer Ride", "Autumn Launch"])
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
