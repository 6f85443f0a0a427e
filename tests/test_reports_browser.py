"""Trend charts and report pages in headless Chromium: the chart shows within the page on a
phone and on a desktop, and axe-core finds no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reports_fixture import build_reports_site

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 375, "desktop": 1280}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_reports_site(tmp_path_factory.mktemp("reports-browser"))


@pytest.mark.parametrize("device", WIDTHS)
def test_trend_charts_show_inside_the_page(site, serve_dir, page, device):
    width = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(serve_dir(site) + "strategy/plan/")
    charts = page.get_by_role("img", name="More visits: 3 reports, latest 850, target 1,000")
    expect(charts).to_be_visible()
    box = charts.bounding_box()
    assert box is not None and box["width"] >= 120 and box["height"] >= 30
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(".trend-chart circle").count() == 6
    assert page.console_errors == [] and page.failed_requests == []


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_follow_up_pages(site, serve_dir, page, device, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.emulate_media(color_scheme=scheme)
    base = serve_dir(site)
    found = {}
    for path in ("strategy/plan/", "reports/alpha/", "results/", "reviews/", ""):
        page.goto(base + path)
        violations = Axe().run(page).response["violations"]
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    assert found == {}
