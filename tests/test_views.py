"""The generated views (campaigns, calendar, results, people, tags, reviews, home) built
from a small fixture playbook with a fixed build date, and their pure computations."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from icalendar import Calendar
from lxml import html

from generator.build.pipeline import BuildOptions, load_playbook
from generator.errors import Problems
from generator.site.views import campaigns as cv
from tests.views_fixture import BUILD_DATE, build_views_site, write_views_playbook

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture playbook built once for the module (read-only for the tests)."""
    return build_views_site(tmp_path_factory.mktemp("views"))


def page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def texts(elements: list[html.HtmlElement]) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def resolves(site: Path, from_url: str, link: str) -> bool:
    target = (site / from_url / unquote(link.split("#")[0])).resolve()
    return (target / "index.html").is_file() if link.endswith("/") else target.is_file()


def test_campaign_status_follows_the_build_date(site):
    rows = page(site, "campaigns").xpath("//table[@id='campaign-table']/tbody/tr")
    status = {texts(row.xpath("th"))[0]: row.get("data-status") for row in rows}
    assert status == {"Winter Sale": "ended", "Summer Ride": "running", "Autumn Launch": "planned"}
    assert texts(rows[1].xpath("td"))[1:5] == ["Jun 1, 2026", "Jul 30, 2026", "$500.00", "Ben Okafor, Analyst"]


def test_campaigns_page_claims_the_folder_and_shows_its_intro(site):
    doc = page(site, "campaigns")
    assert texts(doc.xpath("//h1")) == ["Our campaigns"]
    assert "Intro to campaigns." in doc.text_content()
    assert "Everything we launch." in texts(doc.xpath("//p[@class='summary']"))


def test_budgets_are_summed_per_currency_and_quarter(site):
    table = page(site, "campaigns").xpath("//table[contains(@class, 'budgets')]")[0]
    assert texts(table.xpath("thead//th")) == ["Quarter", "EUR", "USD"]
    assert [texts(row.xpath("th|td")) for row in table.xpath("tbody/tr")] == [
        ["Q1 2026", "€1,000.00", "—"],
        ["Q2 2026", "—", "$500.00"],
        ["Q3 2026", "€2,500.00", "—"],
    ]
    assert texts(table.xpath("tfoot//th|tfoot//td")) == ["Total", "€3,500.00", "$500.00"]


def test_timeline_svg_is_well_formed_with_one_bar_per_campaign_and_today(site):
    text = (site / "campaigns/index.html").read_text(encoding="utf-8")
    svg = ET.fromstring(re.search(r"<svg class=\"gantt\".*?</svg>", text, re.S).group(0))
    bars = [rect for rect in svg.iter(f"{SVG}rect") if "gantt-bar" in rect.get("class", "")]
    assert sorted(rect.get("class") for rect in bars) == [
        "gantt-bar bar-ended",
        "gantt-bar bar-planned",
        "gantt-bar bar-running",
    ]
    assert svg.find(f"{SVG}title").text == "Campaign timeline"
    assert svg.get("role") == "group", "the bars are links: the chart is not one image"
    assert svg.find(f"{SVG}desc").text.startswith("3 campaigns from Jan 2026 to Oct 2026.")
    names = [a.get("aria-label") for a in svg.iter(f"{SVG}a")]
    assert "Summer Ride: Jun 1, 2026 to Jul 30, 2026, Running." in names
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "gantt-label"]
    assert labels == ["Winter Sale", "Summer Ride", "Autumn Launch"]
    assert svg.find(f"{SVG}g[@class='gantt-today']") is not None


def test_calendar_feed_parses_with_launch_and_end_of_each_campaign(site):
    cal = Calendar.from_ical((site / "campaigns.ics").read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 6
    assert events["Launch: Summer Ride"].decoded("dtstart") == dt.date(2026, 6, 1)
    assert events["Launch: Summer Ride"].decoded("dtend") == dt.date(2026, 6, 2)
    assert events["End: Summer Ride"].decoded("dtstart") == dt.date(2026, 7, 30)
    assert str(events["End: Winter Sale"]["url"]) == "https://intranet.example.com/playbook/campaigns/winter-sale/"
    uids = [str(e["uid"]) for e in events.values()]
    assert len(set(uids)) == 6 and all(uid.endswith("@intranet.example.com") for uid in uids)
    link = page(site, "campaigns").xpath("//a[@type='text/calendar']/@href")[0]
    assert resolves(site, "campaigns", link)
    subscribe = page(site, "campaigns").xpath("//a[starts-with(@href, 'webcal:')]/@href")
    assert subscribe == ["webcal://intranet.example.com/playbook/campaigns.ics"]


def test_every_language_gets_its_own_views(site):
    for url in ("es/campaigns", "es/results", "es/people/ben", "es/tags/sale", "es/reviews"):
        assert (site / url / "index.html").is_file(), url
    assert Calendar.from_ical((site / "es/campaigns.ics").read_bytes()).walk("VEVENT")
    nav = page(site, "es/results").xpath("//nav[@class='views-nav']//a")
    assert [a.get("href") for a in nav] == ["../campaigns/", "./", "../people/", "../tags/", "../reviews/"]


def test_results_list_off_track_objectives_first(site):
    rows = page(site, "results").xpath("//table[contains(@class, 'results')]/tbody/tr")
    goals = [(texts(r.xpath("th"))[0], r.get("class")) for r in rows]
    # Summer Ride is 15 of 60 days in (25 %): 10 % of its target is off track, 40 % on track.
    # The strategy has no period: 50 % is in progress, 125 % reached.
    assert goals == [
        ("Riders", "off-track"),
        ("Visits", "in-progress"),
        ("Leads", "on-track"),
        ("Engagement", "done"),
        ("Reach", "not-measured"),
    ]
    assert "10%" in texts(rows[0].xpath(".//span[@class='visually-hidden']"))
    assert "Expected by now: 25%" in rows[0].text_content()
    summary = texts(page(site, "results").xpath("//p[@class='results-summary']/span"))
    assert summary == ["1 off track", "1 in progress", "1 on track", "1 reached", "1 not measured yet"]


def test_an_objective_has_the_same_state_on_its_page_and_in_the_results(site):
    results = page(site, "results").xpath("//table[contains(@class, 'results')]/tbody/tr")
    in_results = {texts(r.xpath("th"))[0]: texts(r.xpath(".//span[contains(@class, 'chip')]"))[0] for r in results}
    on_pages = {}
    for url in ("strategy", "campaigns/summer-ride", "campaigns/autumn-launch"):
        for card in page(site, url).xpath("//li[contains(@class, 'objective ')]"):
            on_pages[texts(card.xpath(".//h3"))[0]] = texts(card.xpath(".//span[contains(@class, 'chip')]"))[0]
    assert on_pages == in_results
    assert in_results == {
        "Riders": "Off track",
        "Visits": "In progress",
        "Leads": "On track",
        "Engagement": "Reached",
        "Reach": "Not measured yet",
    }


def test_person_page_lists_what_they_own_campaigns_and_actions(site):
    doc = page(site, "people/ben")
    assert texts(doc.xpath("//h1")) == ["Ben Okafor"]
    sections = {s.get("aria-labelledby"): s for s in doc.xpath("//section")}
    assert texts(sections["owns"].xpath(".//li/a")) == ["Guide", "Summer Ride"]
    assert [texts(r.xpath("th|td"))[:2] for r in sections["campaigns"].xpath(".//tbody/tr")] == [
        ["Winter Sale", "Team"],
        ["Summer Ride", "Owner"],
    ]
    assert texts(sections["actions"].xpath(".//tbody/tr/th")) == ["Write the calendar"]
    directory = page(site, "people")
    assert texts(directory.xpath("//tbody/tr/th")) == ["Ana Torres", "Ben Okafor"]


def test_person_names_link_to_their_page(site):
    links = page(site, "campaigns/summer-ride").xpath("//span[@class='person']/a/@href")
    assert links and all(resolves(site, "campaigns/summer-ride", link) for link in links)
    assert page(site, "strategy").xpath("//table[@class='actions']//a/@href") == ["../people/ben/", "../people/ana/"]


def test_tags_differing_in_case_share_one_page(site):
    tag = page(site, "tags/sale")
    assert texts(tag.xpath("//h1")) == ["#Sale"]
    assert texts(tag.xpath("//li[@class='card']/a")) == ["Summer Ride", "Winter Sale"]
    index = page(site, "tags")
    assert texts(index.xpath("//ul[@class='tag-cloud']/li")) == ["#events 1", "#planning 1", "#Sale 2", "#winter 1"]
    links = page(site, "campaigns/winter-sale").xpath("//a[@class='tag']/@href")
    assert links == ["../../tags/sale/", "../../tags/winter/"]


def test_reviews_page_lists_overdue_by_owner_and_due_soon(site):
    doc = page(site, "reviews")
    overdue = doc.xpath("//section[@aria-labelledby='overdue']")[0]
    assert texts(overdue.xpath("h3")) == ["Ana Torres, Head of Digital"]
    assert texts(overdue.xpath(".//li/a")) == ["Strategy"]
    soon = doc.xpath("//section[@aria-labelledby='due-soon']")[0]
    assert texts(soon.xpath(".//li/a[1]")) == ["Guide"]


def test_home_page_summarises_campaigns_reviews_and_changes(site):
    doc = page(site, "")
    cards = {s.get("aria-labelledby"): s for s in doc.xpath("//div[contains(@class, 'home-summary')]/section")}
    assert texts(cards["home-running"].xpath(".//li/a")) == ["Summer Ride"]
    assert texts(cards["home-next"].xpath(".//li/a")) == ["Autumn Launch"]
    assert texts(cards["home-reviews"].xpath(".//li/a")) == ["Strategy", "Guide"]
    assert len(cards["home-recent"].xpath(".//li")) == 5
    assert "home-newsletter" not in cards, "no newsletter card in a playbook without newsletters"


def test_check_stale_exits_1_naming_each_overdue_file_and_line(project):
    write_views_playbook(project)
    result = project.cli("check", "--stale", "--build-date", "2026-06-15")
    assert result.exit_code == 1
    assert "content/strategy.md:6: review: overdue since 2026-05-01" in result.stderr.splitlines()
    assert "guide.md" not in result.stderr
    assert project.cli("check", "--build-date", "2026-06-15").exit_code == 0
    assert project.cli("check", "--stale", "--build-date", "2026-04-15").exit_code == 0
    json_result = project.cli("check", "--stale", "--format", "json", "--build-date", "2026-06-15")
    assert json_result.exit_code == 1 and '"field": "review"' in json_result.stdout


def test_gantt_geometry_maps_months_and_marks_today(project):
    write_views_playbook(project)
    campaigns = load_playbook(project.root, BuildOptions(build_date=BUILD_DATE), Problems()).campaigns("en")
    chart = cv.gantt(campaigns, BUILD_DATE)
    assert [m.start for m in chart.months][:2] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert len(chart.months) == 10
    winter = chart.bars[0]
    assert winter.x == cv.LABEL_WIDTH + 4 / 31 * cv.MONTH_WIDTH
    assert winter.x + winter.width == cv.LABEL_WIDTH + 2 * cv.MONTH_WIDTH
    assert chart.today_x == cv.LABEL_WIDTH + (5 + 14 / 30) * cv.MONTH_WIDTH
    assert cv.gantt(campaigns, dt.date(2027, 1, 1)).today_x is None
    assert cv.gantt([], BUILD_DATE) is None
    table = cv.budget_table(campaigns, "EUR")
    assert table.totals == [Decimal(3500), Decimal(500)]


def test_a_tag_used_in_one_language_has_a_page_in_every_language(project):
    write_views_playbook(project)
    project.page("es/solo.md", "title: Solo\ntags: [sólo]")
    assert project.cli("build", "--build-date", "2026-06-15").exit_code == 0
    site = project.root / "site"
    assert texts(page(site, "es/tags/sólo").xpath("//li[@class='card']/a")) == ["Solo"]
    assert "No page in this language has this tag yet." in page(site, "tags/sólo").text_content()
    assert "#sólo" not in page(site, "tags").text_content()


def test_views_appear_only_where_content_feeds_them(project):
    project.page("guide.md", "title: Guide\ntags: [onboarding]")
    assert project.cli("build").exit_code == 0
    site = project.root / "site"
    assert (site / "people" / "index.html").is_file() and (site / "tags" / "onboarding" / "index.html").is_file()
    for absent in ("campaigns", "campaigns.ics", "results", "reviews", "newsletters"):
        assert not (site / absent).exists(), absent
    header = lxml.html.fromstring(project.read("site/index.html")).xpath("//nav[@class='views-nav']//a/text()")
    assert header == ["People", "Tags"]
    assert "Share this page" not in project.read("site/guide/index.html")
