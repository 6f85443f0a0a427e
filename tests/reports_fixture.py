"""A small playbook for the follow-up report tests: a strategy with three reports (their
file names out of period order) and a campaign with one, built on a fixed date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.build.pipeline import BuildOptions, build
from tests.conftest import Project

BUILD_DATE = dt.date(2026, 4, 15)

STRATEGY = """
title: Plan
type: strategy
owner: ana
review: {every: monthly, last: 2026-04-30}
objectives:
  - {id: visits, goal: More visits, metric: Sessions, target: 1000, actual: 400}
  - {goal: Keep engaged, metric: Rate, target: 4.5, unit: "%"}
actions:
  - {action: Write the plan, owner: ben, status: done}
"""


@dataclass(frozen=True)
class Report:
    title: str
    period: str
    visits: float
    engaged: float
    decision: str

    def front(self) -> str:
        return f"""
title: {self.title}
type: report
strategy: ../strategy/plan.md
period: {self.period}
measurements:
  - {{objective: visits, actual: {self.visits}}}
  - {{objective: Keep engaged, actual: {self.engaged}}}
decisions:
  - {self.decision}
"""


REPORTS = {  # the file names do not follow the periods
    "reports/gamma.md": Report(
        "January",
        "{start: 2026-01-01, end: 2026-01-28}",
        550,
        4.1,
        "{action: Fix the tags, owner: ben, due: 2026-02-10, status: done}",
    ),
    "reports/alpha.md": Report(
        "February",
        "{start: 2026-01-29, end: 2026-02-28}",
        700,
        4.2,
        "{action: Translate the booking page, owner: ana, due: 2026-03-10, status: in-progress}",
    ),
    "reports/beta.md": Report(
        "March",
        "{start: 2026-03-01, end: 2026-03-28}",
        850,
        4.6,
        "{action: Move the budget, owner: ben, due: 2026-05-01}",
    ),
}


def write_reports_playbook(project: Project) -> None:
    project.page("strategy/plan.md", STRATEGY, "The plan.\n")
    for rel, written in REPORTS.items():
        project.page(rel, written.front(), f"What we did in {written.title}.\n")
    project.page(
        "campaigns/spring.md",
        """
        title: Spring
        type: campaign
        start: 2026-03-01
        end: 2026-04-30
        objectives:
          - {id: riders, goal: Riders, metric: Participants, target: 100}
        """,
    )
    project.page(
        "reports/spring-mid.md",
        """
        title: Spring halfway
        type: report
        strategy: /campaigns/spring.md
        period: {start: 2026-03-01, end: 2026-03-31}
        measurements:
          - {objective: riders, actual: 40}
        decisions:
          - {action: Add a second ride, owner: ana, status: done}
        """,
    )


def run(root: Path, **options: object) -> None:
    build(root, BuildOptions(build_date=BUILD_DATE, jobs=1, **options))  # type: ignore[arg-type]


def build_reports_site(folder: Path) -> Path:
    """The fixture playbook (English and Spanish) built in `folder`; returns its site."""
    project = Project(folder / "pb")
    project.write("playbook.yml", "site_name: Reports\nlanguages: {en: English, es: Español}\n")
    project.write("content/people.yml", "ana: {name: Ana Torres, role: Head}\nben: {name: Ben Okafor, role: Analyst}\n")
    project.page("index.md", "title: Home", "Welcome.\n")
    write_reports_playbook(project)
    run(project.root)
    return project.root / "site"
