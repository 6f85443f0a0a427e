"""Front matter as editors write it: the natural forms are accepted, every problem of every
file comes in one run, and each message quotes what was written and shows what to write."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from tests.conftest import BASIC_CONFIG, Project

MULTILINGUAL = BASIC_CONFIG + "languages: {en: English, bg: Български}\n"


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("content/")]


def _check_json(project: Project) -> dict:
    result = project.cli("check", "--format", "json")
    return json.loads(result.stdout)


def _target_of(site: Path, page: str, href: str) -> Path:
    """The file a relative link on `page` (a site path) leads to."""
    url = unquote(urljoin(f"http://host/{page}", href).removeprefix("http://host/"))
    return site / (url + "index.html" if url.endswith("/") or not url else url)


# Accepted forms


def test_featured_paths_resolve_like_markdown_links(project: Project) -> None:
    campaign = "title: Spring launch\ntype: campaign\nstart: 2026-03-01\nend: 2026-04-30"
    project.page("campaigns/spring-launch.md", campaign)
    project.page("guidelines/tone.md", "title: Tone of voice")
    project.page("strategy/index.md", "title: Strategy overview")
    project.page(
        "newsletters/one.md",
        "title: Issue one\ntype: newsletter\nissue: 1\ndate: 2026-03-01\n"
        "featured: [../campaigns/spring-launch.md, /guidelines/tone, ../strategy]",
    )
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    page = project.read("site/newsletters/one/index.html")
    email = project.read("newsletters/one/email.html")
    for title in ("Spring launch", "Tone of voice", "Strategy overview"):
        assert title in page and title in email


def test_featured_written_from_the_language_folder_still_works(project: Project) -> None:
    project.page("campaigns/spring.md", "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-04-30")
    project.page("newsletters/one.md", "title: One\ntype: newsletter\ndate: 2026-03-01\nfeatured: campaigns/spring.md")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert "Spring" in project.read("newsletters/one/email.html")


def test_a_link_into_another_language_folder_works(make_project) -> None:
    project = make_project(MULTILINGUAL)
    project.page("en/index.md", "title: Home")
    project.page("bg/index.md", "title: Начало")
    project.page("en/strategy/plan.md", "title: Plan", "## Goals\n")
    project.page(
        "bg/campaigns/пролет.md",
        "title: Пролет\ntype: campaign\nstart: 2026-03-01\nend: 2026-04-30",
        "Вижте [стратегията](../../en/strategy/plan.md#goals).\n",
    )
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    site = project.root / "site"
    html = (site / "bg/campaigns/пролет/index.html").read_text(encoding="utf-8")
    href = re.search(r'<a href="([^"]+)">стратегията</a>', html)
    assert href is not None
    assert href.group(1).endswith("#goals")
    target = _target_of(site, "bg/campaigns/пролет/", href.group(1).split("#")[0])
    assert target == site / "strategy/plan/index.html" and target.is_file()


def test_a_link_that_climbs_out_of_the_content_folder_is_still_refused(make_project) -> None:
    project = make_project(MULTILINGUAL)
    project.page("en/index.md", "title: Home", "[x](../../playbook.yml)\n")
    result = project.cli("build")
    assert "content/en/index.md:4: link: '../../playbook.yml' points outside the content folder" in result.output


def test_closed_lists_ignore_case_spaces_and_hyphens(project: Project) -> None:
    project.page(
        "strategy/plan.md",
        "title: Plan\ntype: Strategy\nreview: {every: Monthly, last: 2026-03-01}\nactions:\n"
        "  - {action: A, status: in progress}\n  - {action: B, status: In progress}\n"
        "  - {action: C, status: in_progress}\n  - {action: D, status: Done}",
    )
    result = project.cli("build", "--build-date", "2026-03-05")
    assert result.exit_code == 0, result.output
    html = project.read("site/strategy/plan/index.html")
    assert html.count('<tr class="action-in-progress">') == 3
    assert html.count('<tr class="action-done">') == 1


def test_audience_version_and_tags_as_people_write_them(project: Project) -> None:
    front = "title: A\ntype: guideline\naudience: all staff\nversion: 1.10\ntags: social, Launch"
    project.page("guidelines/a.md", front)
    project.page("guidelines/b.md", "title: B\ntype: guideline\naudience: [all staff, managers]\nversion: 2")
    project.page("year.md", "title: 2026")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert "<title>2026" in project.read("site/year/index.html")
    first = project.read("site/guidelines/a/index.html")
    assert "<dd>all staff</dd>" in first
    assert '<dd class="fact-figure">1.10</dd>' in first
    assert "<dd>all staff, managers</dd>" in project.read("site/guidelines/b/index.html")
    assert (project.root / "site/tags/social/index.html").is_file()
    assert (project.root / "site/tags/launch/index.html").is_file()


def test_a_type_written_with_a_capital_is_that_type(project: Project) -> None:
    project.page("campaigns/a.md", "title: Autumn\ntype: Campaign\nstart: 2026-09-01\nend: 2026-10-01")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert "Autumn" in project.read("site/campaigns/index.html")


def test_share_networks_are_a_closed_list_too(make_project) -> None:
    project = make_project(BASIC_CONFIG + "tracking: {share_networks: [LinkedIn, Whats App], share_pages: true}\n")
    project.page("index.md", "title: Home")
    project.page("guide.md", "title: Guide")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    html = project.read("site/guide/index.html")
    assert "https://www.linkedin.com/sharing/" in html and "https://wa.me/" in html
    assert "facebook.com" not in html
    project.write("playbook.yml", BASIC_CONFIG + "tracking: {share_networks: [Linkdin]}\n")
    assert (
        "playbook.yml:3: tracking.share_networks[0]: 'Linkdin' is not one of: linkedin, x, facebook, whatsapp, "
        "email; did you mean 'linkedin'?"
    ) in project.cli("check").output


# Messages that say what to write


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            'budget: "12,500 EUR"',
            "content/c.md:6: budget: '12,500 EUR' is not a budget YAML can read: write "
            "budget: {amount: 12500, currency: EUR} (or budget: 12500 in the site's currency)",
        ),
        (
            "review: monthly",
            "content/c.md:6: review: 'monthly' also needs the day of the last review: "
            "write review: {every: monthly, last: 2026-03-01}",
        ),
        (
            "objectives:\n  - goal: Reach\n    metric: Visits\n    target: 5,000",
            "content/c.md:9: objectives[0].target: '5,000' is not a number YAML can read: write target: 5000 "
            "(digits only, no thousands separator)",
        ),
        (
            "channels: Instagram\nstatus: running",
            "content/c.md:7: status: warning: a campaign has no 'status' key: its status (planned, running or ended) "
            "follows from its start and end dates",
        ),
        (
            "team: [ana]\nissue: 3",
            "content/c.md:7: issue: warning: not used by a campaign; 'issue' is a key of: newsletter",
        ),
        (
            "team: ana\ngoal: More sales",
            "content/c.md:7: goal: warning: not a key of its own; 'goal' belongs inside objectives[]",
        ),
        (
            "objectives: [{goal: Reach, metric: Visits, target: 5,000}]",
            "content/c.md:6: objectives[0]: 0 is not a key: inside {...} a comma separates entries, so write numbers "
            "without a thousands separator (5000, not 5,000)",
        ),
        (
            "budget: {amount: 10, currency: eur, curency: EUR}",
            "content/c.md:6: budget.curency: unknown key; did you mean 'currency'?",
        ),
    ],
)
def test_messages_quote_the_value_and_show_the_form(project: Project, front: str, expected: str) -> None:
    project.page("c.md", f"title: C\ntype: campaign\nstart: 2026-03-01\nend: 2026-04-30\n{front}")
    result = project.cli("check", "--build-date", "2026-03-01")
    assert expected in result.output.splitlines(), result.output
    assert "input should" not in result.output.lower()


def test_a_value_with_a_colon_must_be_quoted(project: Project) -> None:
    project.page("a.md", "title: Spring: the launch\nowner: ana")
    result = project.cli("build")
    assert result.exit_code == 1
    assert _errors(result) == [
        "content/a.md:2: title: the value 'Spring: the launch' contains ': ', so it must be in quotes: "
        'write title: "Spring: the launch"'
    ]


def test_an_unknown_status_suggests_the_closest_word(project: Project) -> None:
    project.page("plan.md", "title: Plan\ntype: strategy\nactions:\n  - {action: A, status: don}")
    result = project.cli("build")
    assert (
        "content/plan.md:5: actions[0].status: 'don' is not one of: planned, in-progress, done, blocked; "
        "did you mean 'done'?"
    ) in result.output


def test_link_suggestions_are_ranked_by_similarity_not_alphabet(project: Project) -> None:
    project.page("strategy/a-first.md", "title: First")
    project.page("strategy/social-media-plan.md", "title: Plan", "## Apples\n\n## Goals\n\n## Zebra\n")
    project.page(
        "guide.md",
        "title: Guide",
        "See [plan](strategy/social-media-pln.md) and [goals](strategy/social-media-plan.md#goal).\n",
    )
    result = project.cli("build")
    assert result.exit_code == 1
    assert (
        "content/guide.md:4: link: link to missing document 'strategy/social-media-pln.md' (looked for "
        "'strategy/social-media-pln.md' in 'en'); did you mean 'strategy/social-media-plan.md'?"
    ) in result.output
    assert (
        "content/guide.md:4: link: no heading #goal in content/strategy/social-media-plan.md; did you mean #goals? "
        "(headings: goals, apples, zebra)"
    ) in result.output


def test_a_link_is_reported_on_its_own_line_not_its_paragraph(project: Project) -> None:
    project.page("a.md", "title: A", "First line of the paragraph,\nsecond line,\nthird [broken](gone.md) line.\n")
    result = project.cli("build")
    assert "content/a.md:6: link: link to missing document 'gone.md'" in result.output


# Every problem in one run


def test_one_run_reports_every_problem_of_every_file(project: Project) -> None:
    project.page(
        "campaigns/spring.md",
        "title: Spring: the launch\ntype: campaign\nstart: 2026-03-01\nend: 2026-13-01\n"
        "owner: zoe\nbudget: 100\nsumary: typo",
        "## Idea\n",
    )
    project.page("index.md", "title: Home", "See [spring](campaigns/spring.md#idea) and [gone](gone.md).\n")
    project.page(
        "newsletters/one.md", "title: One\ntype: newsletter\ndate: 2026-03-01\nfeatured: [../campaigns/spring.md]"
    )
    report = _check_json(project)
    found = [(p["path"], p["line"], p["field"], p["severity"]) for p in report["problems"]]
    assert found == [
        ("content/campaigns/spring.md", 2, "title", "error"),
        ("content/campaigns/spring.md", 5, "end", "error"),
        ("content/campaigns/spring.md", 6, "owner", "error"),
        ("content/campaigns/spring.md", 8, "sumary", "warning"),
        ("content/index.md", 4, "link", "error"),
        ("playbook.yml", None, "newsletter", "warning"),
    ]
    assert report["errors"] == 4 and report["warnings"] == 2 and report["ok"] is False
    messages = " ".join(p["message"] for p in report["problems"])
    assert "spring.md" not in messages, "a document with errors is still known: no knock-on errors"
    assert "is required" not in messages

    result = project.cli("build")
    assert "content/campaigns/spring.md:8: sumary: warning: unknown key; did you mean 'summary'?" in result.output
    assert "Build failed: 4 error(s), 2 warning(s); nothing was written." in result.output


# Newsletter cadence and sender details

SENDER = """\
newsletter:
  from_address: news@example.org
  postal_address: Main Street 1, Barcelona
  unsubscribe: "*|UNSUB|*"
  public_url: https://news.example.org/
"""


def _issues(project: Project, prefix: str = "") -> None:
    for number, date in ((1, "2026-02-02"), (2, "2026-03-02")):
        front = f"title: Issue {number}\ntype: newsletter\ndate: {date}\nsubject: News {number}\npreheader: What is new"
        project.page(f"{prefix}newsletters/issue-{number}.md", front)


def test_cadence_shows_when_the_next_issue_is_due(make_project) -> None:
    project = make_project(BASIC_CONFIG + SENDER + "  cadence: Monthly\n")
    project.page("index.md", "title: Home")
    _issues(project)
    result = project.cli("build", "--build-date", "2026-03-20")
    assert result.exit_code == 0, result.output
    assert "0 warnings" in result.output
    for page in ("site/newsletters/index.html", "site/index.html"):
        html = project.read(page)
        assert re.search(r'<span class="badge review-ok">\s*Next issue due Apr 2, 2026\s*</span>', html), page
    assert "newsletter-due" not in project.read("site/reviews/index.html")


def test_an_overdue_issue_is_listed_with_reviews_and_fails_check_stale(make_project) -> None:
    project = make_project(BASIC_CONFIG + SENDER + "  cadence: {en: fortnightly}\n")
    project.page("index.md", "title: Home")
    _issues(project)
    result = project.cli("build", "--build-date", "2026-03-20")
    assert result.exit_code == 0, result.output
    reviews = re.sub(r"\s+", " ", project.read("site/reviews/index.html"))
    assert 'Issue 2</a> <span class="badge review-overdue"> Next issue overdue since Mar 16, 2026' in reviews

    stale = project.cli("check", "--stale", "--build-date", "2026-03-20")
    assert stale.exit_code == 1
    assert (
        "content/newsletters/issue-2.md:4: newsletter: the English newsletter is overdue: it goes out fortnightly, "
        "so the issue after 'Issue 2' (2026-03-02) was due on 2026-03-16"
    ) in stale.stderr.splitlines()
    assert project.cli("check", "--stale", "--build-date", "2026-03-16").exit_code == 0


def test_cadence_per_language(make_project) -> None:
    languages = "languages: {en: English, es: Español}\n"
    config = BASIC_CONFIG + languages + SENDER + "  cadence: {en: weekly, es: monthly}\n"
    project = make_project(config)
    project.page("en/index.md", "title: Home")
    project.page("es/index.md", "title: Inicio")
    _issues(project, "en/")
    _issues(project, "es/")
    stale = project.cli("check", "--stale", "--build-date", "2026-03-20")
    assert stale.exit_code == 1
    assert "content/en/newsletters/issue-2.md:4: newsletter: the English newsletter is overdue" in stale.stderr
    assert "Español newsletter" not in stale.stderr


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        ("biweekly", "playbook.yml:2: newsletter.cadence: 'biweekly' is not one of: weekly, fortnightly, monthly"),
        ("{fi: weekly}", "newsletter.cadence: 'fi' is not in languages (en)"),
    ],
)
def test_an_unknown_cadence_is_an_error(make_project, cadence: str, message: str) -> None:
    project = make_project(BASIC_CONFIG.replace("site_url", f"newsletter: {{cadence: {cadence}}}\nsite_url"))
    project.page("index.md", "title: Home")
    result = project.cli("check")
    assert result.exit_code == 1
    assert message in result.output


def test_newsletters_without_sender_details_are_a_warning_naming_what_is_missing(make_project) -> None:
    project = make_project(BASIC_CONFIG + "newsletter:\n  from_address: news@example.org\n")
    project.page("index.md", "title: Home")
    _issues(project)
    report = _check_json(project)
    assert report["ok"] is True
    [problem] = [p for p in report["problems"] if p["path"] == "playbook.yml"]  # the other: no public_url
    assert (problem["path"], problem["field"], problem["severity"]) == ("playbook.yml", "newsletter", "warning")
    assert problem["message"].startswith("newsletters are built without sender details: add postal_address")
    assert "unsubscribe_url (" in problem["message"] and "from_address" not in problem["message"]


def test_sender_details_are_not_asked_for_without_newsletters(project: Project) -> None:
    report = _check_json(project)
    assert report["warnings"] == 0


def test_an_unknown_type_is_one_error_and_the_document_stays_known(project: Project) -> None:
    project.page("autumn.md", "title: Autumn\ntype: campain\nstart: 2026-09-01\nend: 2026-10-01\nowner: zoe")
    project.page("guide.md", "title: Guide", "See [autumn](autumn.md).\n")
    result = project.cli("check")
    assert result.exit_code == 1
    assert _errors(result) == [
        "content/autumn.md:3: type: unknown type 'campain'; expected one of: page, strategy, guideline, campaign, "
        "newsletter, report; did you mean 'campaign'?",
        "content/autumn.md:6: owner: unknown person 'zoe'; known ids: ana, ben",
    ]
