"""`playbook new` and `playbook init`: files from archetypes that round-trip through a build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.doctypes import NAMES
from tests.conftest import Project, run_cli

TODAY = dt.date.today().isoformat()


def new(project: Project, *args: str) -> tuple[int, str]:
    result = run_cli("new", *args, "--dir", str(project.root))
    return result.exit_code, result.output.strip()


@pytest.mark.parametrize("doc_type", NAMES)
def test_new_then_build_round_trip(project: Project, doc_type: str) -> None:
    follows_up: tuple[str, ...] = ()
    if doc_type == "report":
        follows_up = ("--strategy", str(project.root / new(project, "strategy", "Plan")[1]))
    code, printed = new(project, doc_type, "Spring Launch: Été 2027", *follows_up)
    assert code == 0, printed
    path = project.root / printed
    assert path.is_file() and path.name == "spring-launch-été-2027.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Spring Launch: Été 2027"' in text
    assert doc_type == "page" or f"type: {doc_type}" in text

    built = project.cli("build")
    if doc_type == "campaign":
        # The end date is a placeholder that must be filled in; the error names file, line and field.
        assert built.exit_code == 1
        assert f"{printed}:7: end: expected a date as YYYY-MM-DD" in built.output
        path.write_text(text.replace("end: YYYY-MM-DD", "end: 2099-12-31"), encoding="utf-8")
        built = project.cli("build")
    assert built.exit_code == 0, built.output
    url = {"page": "", "strategy": "strategy/", "guideline": "guidelines/"}.get(doc_type, f"{doc_type}s/")
    page = project.read(f"site/{url}spring-launch-été-2027/index.html")
    assert "Spring Launch: Été 2027" in page


def test_new_fills_in_date_and_next_issue(project: Project) -> None:
    project.page("newsletters/first.md", "title: First\ntype: newsletter\nissue: 7")
    code, printed = new(project, "newsletter", "Eighth issue")
    assert code == 0
    text = (project.root / printed).read_text(encoding="utf-8")
    assert "issue: 8" in text and f"date: {TODAY}" in text
    code, printed = new(project, "campaign", "Launch")
    assert f"start: {TODAY}" in (project.root / printed).read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(project: Project) -> None:
    assert new(project, "page", "About us")[0] == 0
    path = project.root / "content/about-us.md"
    path.write_text("---\ntitle: Mine\n---\nKeep me.\n", encoding="utf-8")
    code, printed = new(project, "page", "About us")
    assert code == 1 and "already exists" in printed
    assert "Keep me." in path.read_text(encoding="utf-8")


def test_new_uses_language_folder_section_and_user_archetype(make_project) -> None:
    project = make_project(config="site_name: T\nlanguages: {en: English, es: Español}\n")
    project.page("index.md", "title: Home")
    project.write("themes/archetypes/page.md", "---\ntitle: {{ title | yaml }}\nlang: {{ lang }}\n---\nOurs.\n")
    code, printed = new(project, "page", "Política", "--lang", "es", "--section", "guias/redes")
    assert code == 0 and printed == "content/es/guias/redes/política.md"
    assert (project.root / printed).read_text(encoding="utf-8") == '---\ntitle: "Política"\nlang: es\n---\nOurs.\n'
    assert new(project, "page", "X", "--lang", "de")[0] == 1
    assert new(project, "page", "X", "--section", "../../outside")[0] == 1


def test_init_creates_a_project_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "brand-new"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert {"playbook.yml", "content/index.md", "content/people.yml", ".gitignore"} <= {
        p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()
    }
    built = run_cli("build", str(target))
    assert built.exit_code == 0, built.output
    home = (target / "site/index.html").read_text(encoding="utf-8")
    assert "Brand New Playbook" in home
    assert (target / "site/guidelines/getting-started/index.html").is_file()
    assert run_cli("check", str(target)).exit_code == 0


def test_init_refuses_an_existing_project(project: Project) -> None:
    before = project.read("playbook.yml")
    result = run_cli("init", str(project.root))
    assert result.exit_code == 1 and "already holds a project" in result.output
    assert project.read("playbook.yml") == before
