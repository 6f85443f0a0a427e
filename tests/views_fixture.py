"""A small playbook for the views tests: three campaigns (ended, running, planned on the
fixed build date), a strategy with objectives and actions, tags and reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.build.pipeline import BuildOptions, build
from tests.conftest import BASIC_PEOPLE, Project

BUILD_DATE = dt.date(2026, 6, 15)

CONFIG = """\
site_name: Views Playbook
site_url: https://intranet.example.com/playbook/
languages: {en: English, es: Español}
currency: EUR
"""


def write_views_playbook(project: Project) -> None:
    project.write("playbook.yml", CONFIG)
    project.page("index.md", "title: Home", "Welcome.\n")
    project.page("campaigns/index.md", "title: Our campaigns\nsummary: Everything we launch.", "Intro to campaigns.\n")
    project.page(
        "campaigns/winter-sale.md",
        """
        title: Winter Sale
        type: campaign
        tags: [Sale, winter]
        owner: ana
        start: 2026-01-05
        end: 2026-02-28
        budget: 1000
        team: [ben]
        channels: [Instagram]
        """,
    )
    project.page(
        "campaigns/summer-ride.md",
        """
        title: Summer Ride
        type: campaign
        tags: [sale, events]
        owner: ben
        start: 2026-06-01
        end: 2026-07-30
        budget: {amount: 500, currency: USD}
        channels: [LinkedIn, Instagram]
        objectives:
          - {goal: Riders, metric: Participants, target: 100, actual: 10}
          - {goal: Leads, metric: Bookings, target: 100, actual: 40}
        """,
    )
    project.page(
        "campaigns/autumn-launch.md",
        """
        title: Autumn Launch
        type: campaign
        owner: ana
        start: 2026-09-01
        end: 2026-10-15
        budget: 2500
        channels: [TikTok]
        objectives:
          - {goal: Reach, metric: People reached, target: 1000}
        """,
    )
    project.page(
        "strategy.md",
        """
        title: Strategy
        type: strategy
        owner: ana
        tags: [planning]
        review: {every: monthly, last: 2026-04-01}
        objectives:
          - {goal: Visits, metric: Sessions, target: 1000, actual: 500}
          - {goal: Engagement, metric: Rate, target: 4, actual: 5, unit: "%"}
        actions:
          - {action: Write the calendar, owner: ben, due: 2026-07-01, status: in-progress}
          - {action: Hire a designer, owner: ana}
        """,
    )
    project.page("guide.md", "title: Guide\nowner: ben\nreview: {every: weekly, last: 2026-06-10}", "Soon due.\n")


def build_views_site(folder: Path) -> Path:
    """Build the fixture playbook in `folder` on BUILD_DATE; returns its site/ folder."""
    project = Project(folder / "pb")
    project.write("content/people.yml", BASIC_PEOPLE)
    write_views_playbook(project)
    build(project.root, BuildOptions(build_date=BUILD_DATE))
    return project.root / "site"
