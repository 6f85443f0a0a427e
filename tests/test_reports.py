"""Follow-up reports: a strategy with three reports (written out of order) and a campaign
with one, built on a fixed date. The pages, views, errors, `check --stale`, `new report`
and the build cache, as a reader, an editor and CI see them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html

from generator.build.pipeline import BuildOptions, load_playbook
from generator.commands.scaffold import NewDocument, create_document
from generator.errors import Problems
from tests.conftest import run_cli
from tests.reports_fixture import BUILD_DATE, REPORTS, build_reports_site, run, write_reports_playbook


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_reports_site(tmp_path_factory.mktemp("reports"))


def page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def resolves(site: Path, from_url: str, link: str) -> bool:
    return (site / from_url / link / "index.html").resolve().is_file()


def test_each_objective_has_one_point_per_report_in_period_order(site):
    charts = page(site, "strategy/plan").xpath("//li[contains(@class, 'objective')]//*[local-name()='svg']")
    assert len(charts) == 2
    for chart in charts:
        assert len(chart.xpath(".//*[local-name()='circle']")) == 3
        assert len(chart.xpath(".//*[local-name()='line'][@class='trend-target']")) == 1
    visits = charts[0].xpath(".//*[local-name()='circle']/@cy")
    assert [float(y) for y in visits] == sorted((float(y) for y in visits), reverse=True)  # 550, 700, 850 climb


def test_the_chart_is_a_labelled_image_without_links_and_its_figures_are_in_a_table(site):
    objective = page(site, "strategy/plan").xpath("//li[contains(@class, 'objective')]")[0]
    chart = objective.xpath(".//*[local-name()='svg']")[0]
    assert chart.get("role") == "img"
    assert chart.get("aria-label") == "More visits: 3 reports, latest 850, target 1,000"
    assert chart.xpath(".//*[local-name()='a']") == []
    rows = [[text(cell) for cell in row] for row in objective.xpath(".//div[@class='visually-hidden']/table/tbody/tr")]
    assert rows == [
        ["Jan 28, 2026", "550", "+150 (+38%)"],
        ["Feb 28, 2026", "700", "+150 (+27%)"],
        ["Mar 28, 2026", "850", "+150 (+21%)"],
    ]


def test_the_strategy_page_shows_the_latest_figures_and_the_change(site):
    cards = page(site, "strategy/plan").xpath("//li[contains(@class, 'objective')]")
    assert [text(c.xpath(".//*[@class='objective-actual']")[0]) for c in cards] == ["850", "4.6 %"]
    assert (
        text(cards[0].xpath(".//*[@class='trend-change']")[0]) == "+150 (+21%) since the previous report · Mar 28, 2026"
    )
    assert "+0.4 % (+10%)" in text(cards[1].xpath(".//*[@class='trend-change']")[0])
    assert "Reached" in text(cards[1])


def test_history_changes_and_states_follow_the_reports(tmp_path, site):
    playbook = load_playbook(site.parent, BuildOptions(build_date=BUILD_DATE), Problems())
    plan = playbook.document("en", "strategy/plan.md")
    visits, engaged = playbook.follow_up(plan).histories
    assert [p.value for p in visits.points] == [550, 700, 850]
    assert [round(p.change.relative, 4) for p in visits.points] == [0.375, round(150 / 550, 4), round(150 / 700, 4)]
    assert visits.start == 400 and visits.objective.actual == 850
    assert engaged.points[0].change is None  # no starting figure
    assert [p.state for p in engaged.points] == ["in-progress", "in-progress", "done"]
    spring = playbook.follow_up(playbook.document("en", "campaigns/spring.md"))
    (riders,) = spring.histories
    assert riders.points[0].state == "off-track"  # 40% of the target at 31 of 61 days


def test_the_report_page_shows_period_figures_states_decisions_and_neighbours(site):
    doc = page(site, "reports/alpha")
    assert "Jan 29 – Feb 28, 2026" in text(doc.xpath("//section[@class='facts-panel']")[0])
    rows = [text(row) for row in doc.xpath("//table[@class='measurements']/tbody/tr")]
    assert rows == [
        "More visits Sessions 1,000 700 +150 (+27%) In progress",  # goal and metric in one cell
        "Keep engaged Rate 4.5 % 4.2 % +0.1 % (+2%) In progress",
    ]
    decisions = [text(row) for row in doc.xpath("//table[@class='actions']/tbody/tr")]
    assert decisions == ["Translate the booking page Ana TorresHead Mar 10, 2026 In progress"]
    previous = doc.xpath("//nav[contains(@class, 'report-pager')]//a[@rel='prev']")[0]
    following = doc.xpath("//nav[contains(@class, 'report-pager')]//a[@rel='next']")[0]
    assert text(previous) == "Previous report January" and text(following) == "Next report March"
    assert previous.get("href").endswith("gamma/") and following.get("href").endswith("beta/")
    assert resolves(site, "reports/alpha", previous.get("href")) and resolves(
        site, "reports/alpha", following.get("href")
    )
    follows = doc.xpath("//dl[@class='facts']//a")[0]
    assert resolves(site, "reports/alpha", follows.get("href")) and text(follows) == "Plan"


def test_decisions_join_the_strategy_actions_marked_with_their_report(site):
    rows = page(site, "strategy/plan").xpath("//table[@class='actions']/tbody/tr")
    assert [text(r.xpath("th")[0]) for r in rows] == [
        "Write the plan",
        "Fix the tags From the report January",
        "Translate the booking page From the report February",
        "Move the budget From the report March",
    ]
    link = rows[1].xpath(".//a")[0].get("href")
    assert link.endswith("reports/gamma/") and resolves(site, "strategy/plan", link)


def test_a_campaign_page_lists_its_reports_decisions(site):
    doc = page(site, "campaigns/spring")
    section = doc.xpath("//section[@aria-labelledby='actions-title']")[0]
    assert text(section.xpath("h2")[0]) == "Decisions"
    assert [text(th) for th in section.xpath(".//tbody/tr/th")] == ["Add a second ride From the report Spring halfway"]
    assert [text(a) for a in doc.xpath("//section[@aria-labelledby='reports-title']//li/a")] == ["Spring halfway"]


def test_decisions_appear_on_their_owners_pages_and_late_ones_in_reviews(site):
    ben = [text(r.xpath("th")[0]) for r in page(site, "people/ben").xpath("//table[@class='actions']/tbody/tr")]
    assert ben == ["Write the plan", "Fix the tags From the report January", "Move the budget From the report March"]
    late = page(site, "reviews").xpath("//section[@aria-labelledby='late-decisions']//tbody/tr")
    assert [text(r.xpath("th")[0]) for r in late] == ["Translate the booking page From the report February"]


def test_results_use_the_latest_figures_with_a_trend_and_the_change(site):
    rows = {text(r.xpath("th")[0]): r for r in page(site, "results").xpath("//table[@class='results']/tbody/tr")}
    assert rows["More visits"].xpath(".//span[@class='figure']/text()") == ["850"]
    assert rows["More visits"].xpath(".//ol[@class='trend-figures']/li/text()") == ["550", "700", "850"]
    assert [text(c) for c in rows["More visits"].xpath(".//span[contains(@class, 'change')]")] == ["+150 (+21%)"]
    assert rows["Riders"].xpath(".//ol[@class='trend-figures']/li/text()") == ["40"]


def test_the_home_card_lists_the_latest_report_of_each(site):
    card = page(site, "").xpath("//section[@aria-labelledby='home-reports']")[0]
    assert [text(li.xpath("a")[0]) for li in card.xpath("./ul/li")] == ["Spring halfway", "March"]


def test_translations_fall_back_and_numbers_are_localised(site):
    doc = page(site, "es/strategy/plan")
    assert text(doc.xpath("//*[@class='objective-actual']")[1]) == "4,6 %"
    assert "+0,4 % (+10 %)" in text(doc.xpath("//*[@class='trend-change']")[1])
    assert "Del informe" in text(doc.xpath("//table[@class='actions']")[0])


def test_an_unknown_objective_is_an_error_with_the_closest_name(project):
    write_reports_playbook(project)
    project.page("reports/beta.md", REPORTS["reports/beta.md"].front().replace("Keep engaged", "Keep engagd"))
    result = project.cli("build", "--build-date", "2026-04-15")
    assert result.exit_code == 1
    assert (
        "content/reports/beta.md:8: measurements[1].objective: no objective 'Keep engagd' in "
        "content/strategy/plan.md; did you mean 'Keep engaged'?"
    ) in result.output


def test_an_objective_is_measured_once_per_report_and_ids_are_unique(project):
    write_reports_playbook(project)
    project.page("reports/beta.md", REPORTS["reports/beta.md"].front().replace("Keep engaged", "More visits"))
    project.page(
        "strategy/other.md",
        """
        title: Other
        type: strategy
        objectives:
          - {id: a, goal: A, metric: M, target: 1}
          - {id: a, goal: B, metric: M, target: 1}
        """,
    )
    output = project.cli("check", "--build-date", "2026-04-15").output
    assert (
        "content/reports/beta.md:8: measurements[1].objective: this objective is measured twice in the report" in output
    )
    assert "content/strategy/other.md:4: objectives: two objectives have the id 'a'; give each its own" in output


def test_a_report_must_point_at_a_strategy_or_campaign(project):
    project.page("guide.md", "title: Guide")
    project.page("r.md", "title: R\ntype: report\nstrategy: guide.md\nperiod: {start: 2026-01-01, end: 2026-01-31}")
    project.page("s.md", "title: S\ntype: report\nstrategy: nowhere.md\nperiod: {start: 2026-01-01, end: 2026-01-31}")
    project.page("t.md", "title: T\ntype: report\nstrategy: ../x.md\nperiod: {start: 2026-01-01, end: 2026-01-31}")
    output = project.cli("check").output
    assert "content/t.md:4: strategy: '../x.md' points outside the content folder" in output
    assert (
        "content/r.md:4: strategy: content/guide.md is a page; a report follows up a strategy or a campaign" in output
    )
    assert "content/s.md:4: strategy: no document 'nowhere.md' in language 'en' (from 'nowhere.md')" in output


def test_a_missed_follow_up_fails_check_stale(project):
    write_reports_playbook(project)
    assert project.cli("check", "--stale", "--build-date", "2026-04-20").exit_code == 0
    result = project.cli("check", "--stale", "--build-date", "2026-05-15")
    assert result.exit_code == 1
    assert "content/strategy/plan.md:5: review: follow-up report overdue since 2026-04-27" in result.output
    assert "playbook new report --strategy content/strategy/plan.md" in result.output


def test_new_report_prefills_the_last_figures_and_the_period(project):
    write_reports_playbook(project)
    path = create_document(
        project.root, NewDocument("report", "", strategy=project.root / "content/strategy/plan.md", today=BUILD_DATE)
    )
    assert path == project.root / "content/reports/report-4.md"
    written = path.read_text(encoding="utf-8")
    assert 'strategy: "../strategy/plan.md"' in written
    assert "period: {start: 2026-03-29, end: 2026-04-15}" in written
    assert '- {objective: "visits", actual: 850}' in written
    assert '- {objective: "Keep engaged", actual: 4.6}' in written
    assert project.cli("build", "--build-date", "2026-04-15").exit_code == 0
    plan = project.read("site/strategy/plan/index.html")
    assert "Report 4" in plan and plan.count('class="trend-point') == 8


def test_a_first_report_lists_unmeasured_objectives_commented_out(project):
    project.page("plan.md", "title: P\ntype: strategy\nobjectives:\n  - {goal: Reach, metric: People, target: 10}")
    path = create_document(
        project.root, NewDocument("report", "First", strategy=project.root / "content/plan.md", today=BUILD_DATE)
    )
    written = path.read_text(encoding="utf-8")
    assert "measurements: []" in written and '  # - {objective: "Reach", actual: 0}' in written
    assert "period: {start: 2026-04-15, end: 2026-04-15}" in written and 'strategy: "../plan.md"' in written
    assert project.cli("build").exit_code == 0


def test_new_report_from_the_command_line_needs_a_strategy(project):
    write_reports_playbook(project)
    assert run_cli("new", "report", "--dir", str(project.root)).exit_code == 2
    spring = str(project.root / "content/campaigns/spring.md")
    result = run_cli("new", "report", "--strategy", spring, "--dir", str(project.root))
    assert result.exit_code == 0, result.output
    assert "actual: 40}" in project.read("content/reports/report-2.md")


def published(site: Path) -> dict[str, bytes]:
    """Every file of the site but the search index: Pagefind names its filter files
    differently from run to run when a site has several filter values (document types)."""
    files = (p for p in site.rglob("*") if p.is_file())
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files if p.relative_to(site).parts[0] != "pagefind"}


def test_an_incremental_build_after_editing_a_report_equals_a_clean_build(project):
    write_reports_playbook(project)
    run(project.root)
    project.page("reports/beta.md", replace(REPORTS["reports/beta.md"], visits=910).front())
    run(project.root)
    cached = published(project.root / "site")
    run(project.root, cache=False)
    assert cached == published(project.root / "site")
    assert "+210 (+30%)" in project.read("site/strategy/plan/index.html")
    assert "+210 (+30%)" in project.read("site/results/index.html")
