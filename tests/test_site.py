"""End-to-end: the example playbook and small fixtures build into a correct static site."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import lxml.html
import pytest

from generator.build.pipeline import BuildOptions, build
from tests.linkcheck import broken_links

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "playbook.yml", root / "playbook.yml")
    shutil.copytree(REPO / "content", root / "content")
    import datetime as dt

    build(root, BuildOptions(build_date=dt.date(2026, 11, 23)))
    return root / "site"


def test_every_internal_link_and_anchor_of_the_example_resolves(example_site):
    assert broken_links(example_site) == []


def test_every_page_link_is_relative_so_the_site_works_under_a_sub_path(example_site):
    for page in example_site.rglob("*.html"):
        if page.name == "404.html" or "pagefind" in page.parts:
            continue
        rooted = re.findall(r'(?:href|src)="(/[^/][^"]*)"', page.read_text(encoding="utf-8"))
        assert rooted == [], f"{page}: {rooted}"


def test_campaign_page_shows_dates_status_budget_team_channels_and_objectives(example_site):
    html = (example_site / "campaigns/winter-commute/index.html").read_text(encoding="utf-8")
    assert "Running" in html
    assert "November 2, 2026" in html and "January 31, 2027" in html
    assert "€12,500.00" in html
    assert "Mila Georgieva" in html
    assert "Instagram" in html
    assert '<ol class="objectives">' in html and "On track" in html


def test_strategy_page_shows_actions_with_owners_and_review(example_site):
    html = (example_site / "strategy/social-media-strategy/index.html").read_text(encoding="utf-8")
    assert '<table class="actions">' in html
    assert "Ana Torres" in html
    assert "review-" in html


def test_guideline_page_shows_audience_version_and_effective_date(example_site):
    html = (example_site / "guidelines/staff-social-media/index.html").read_text(encoding="utf-8")
    for label in ("Audience", "Version", "Effective"):
        assert f"<dt>{label}</dt>" in html


def test_sitemap_robots_and_404(example_site):
    tree = ET.parse(example_site / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://intranet.brightwater.example/playbook/campaigns/winter-commute/" in locs
    assert all(loc.startswith("https://intranet.brightwater.example/playbook/") for loc in locs)
    generated = ("campaigns/", "results/", "people/", "reviews/", "tags/", "newsletters/", "es/people/")
    for view in generated:
        assert f"https://intranet.brightwater.example/playbook/{view}" in locs, view
    assert not any(loc.endswith("404.html") for loc in locs)
    assert len(locs) == len(set(locs))
    assert (example_site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    not_found = (example_site / "404.html").read_text(encoding="utf-8")
    assert '<base href="/playbook/">' in not_found


def test_without_site_url_the_404_page_links_from_its_own_folder_so_a_sub_path_works(make_project):
    """No site_url, no <base href="/">: served for a missing page of the site's top folder
    (or a language's), under a sub-path, the 404 page finds its styles, scripts and home."""
    project = make_project(config="site_name: Test Playbook\nlanguages: {en: English, es: Español}\n")
    project.page("index.md", "title: Home")
    assert project.cli("build").exit_code == 0
    site = project.root / "site"
    host = "https://intranet.example.com/playbook/"
    for page, missing in (("404.html", "no-such-page"), ("es/404.html", "es/no-such-page")):
        doc = lxml.html.fromstring((site / page).read_text(encoding="utf-8"))
        assert not doc.xpath("//base")
        links = doc.xpath("//link[@rel='stylesheet']/@href | //script/@src | //a[@class='site-name']/@href")
        links += [bundle + "pagefind-ui.js" for bundle in doc.xpath("//div[@class='site-search']/@data-bundle")]
        assert len(links) >= 4
        for link in links:
            served = urljoin(host + missing, link)
            target = site / unquote(served.removeprefix(host))
            assert served.startswith(host) and (target.is_file() or (target / "index.html").is_file()), served
    assert broken_links(site) == []


def test_a_heading_repeating_the_title_is_dropped_only_when_it_opens_the_body(project):
    project.page("first.md", "title: Spring plan", "# Spring Plan\n\nIntro.\n")
    project.page("later.md", "title: Spring plan", "Intro.\n\n# Spring plan\n\nMore.\n")
    project.page("other.md", "title: Spring plan", "# Summer plan\n\nIntro.\n")
    assert project.cli("build").exit_code == 0

    def h1s(rel: str) -> list[str]:
        doc = lxml.html.fromstring(project.read(f"site/{rel}/index.html"))
        return [h.text_content().strip() for h in doc.xpath("//main//h1")]

    assert h1s("first") == ["Spring plan"]
    assert h1s("later") == ["Spring plan", "Spring plan"]
    assert h1s("other") == ["Spring plan", "Summer plan"]


def test_title_is_escaped_everywhere(project):
    project.page("evil.md", 'title: "<script>alert(1)</script>"\nsummary: "<img src=x onerror=alert(2)>"')
    assert project.cli("build").exit_code == 0
    for rel in ("site/evil/index.html", "site/index.html"):
        html = project.read(rel)
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in project.read("site/evil/index.html")


def test_navigation_order_breadcrumbs_previous_next_and_section_pages(project):
    project.page("guides/b.md", "title: Bravo\norder: 1")
    project.page("guides/a.md", "title: Alpha\norder: 2")
    project.page("guides/deep/c.md", "title: Charlie")
    assert project.cli("build").exit_code == 0
    bravo = project.read("site/guides/b/index.html")
    sidebar = bravo.split('id="sidebar"', 1)[1].split("</nav>", 1)[0]
    assert sidebar.index(">Bravo<") < sidebar.index(">Alpha<")
    assert 'aria-current="page">Bravo<' in sidebar
    crumbs = bravo.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert 'href="../">Guides<' in crumbs
    assert 'rel="next"' in bravo and "Alpha" in bravo.split('rel="next"', 1)[1][:80]
    section = project.read("site/guides/index.html")
    assert "Bravo" in section and "Alpha" in section and "Deep" in section
    assert (project.root / "site/guides/deep/index.html").is_file()
