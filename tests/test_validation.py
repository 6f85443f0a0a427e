"""Content errors: `path:line: field: message`, exit 1, all at once, no traceback."""

from __future__ import annotations


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("content/")]


def test_unknown_person_names_file_line_and_field(project):
    project.page("plan.md", "title: Plan\ntype: strategy\nactions:\n  - action: Post weekly\n    owner: zoe")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/plan.md:6: actions[0].owner: unknown person 'zoe'" in result.output
    assert "Traceback" not in result.output


def test_end_before_start_and_missing_title_are_reported_together(project):
    project.page("campaigns/a.md", "title: A\ntype: campaign\nstart: 2026-05-01\nend: 2026-04-01")
    project.page("b.md", "summary: no title here")
    result = project.cli("build")
    assert result.exit_code == 1
    errors = _errors(result)
    assert any(e.startswith("content/b.md:1: title: is required") for e in errors)
    assert any("content/campaigns/a.md" in e and "end (2026-04-01) is before start (2026-05-01)" in e for e in errors)


def test_wrong_type_of_value_says_what_was_expected(project):
    project.page("a.md", "title: A\ntags: {social: 1}\norder: first")
    result = project.cli("build")
    assert result.exit_code == 1
    output = result.output
    assert "content/a.md:3: tags: expected a list such as tags: [launch, spring], got a mapping" in output
    assert "content/a.md:4: order: must be a number, got 'first'" in output


def test_slug_with_a_slash_or_dots_is_an_error(project):
    project.page("a.md", "title: A\nslug: ../etc")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/a.md:3: slug: '../etc' is not a valid slug" in result.output


def test_duplicate_urls_name_both_files(project):
    project.page("a.md", "title: A\nslug: same")
    project.page("b.md", "title: B\nslug: same")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/b.md:3: slug: same URL /same/ as content/a.md" in result.output


def test_unknown_keys_are_warnings_with_a_suggestion(project):
    project.page("a.md", "title: A\nsumary: typo")
    result = project.cli("build")
    assert result.exit_code == 0
    assert "content/a.md:3: sumary: warning: unknown key; did you mean 'summary'?" in result.output


def test_unknown_type_lists_the_valid_ones(project):
    project.page("a.md", "title: A\ntype: memo")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/a.md:3: type: unknown type 'memo'; expected one of: page, strategy" in result.output


def test_invalid_utf8_names_the_line(project):
    (project.root / "content" / "bad.md").write_bytes(b"---\ntitle: ok\n---\nline\n\xff\xfe broken\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/bad.md:5: not valid UTF-8" in result.output


def test_a_failed_build_keeps_the_previous_site(project):
    assert project.cli("build").exit_code == 0
    before = project.read("site/index.html")
    project.page("index.md", "title: Home\nowner: nobody")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert project.read("site/index.html") == before
    assert not list(project.root.glob(".site.*"))


def test_drafts_are_left_out_unless_asked_for(project):
    project.page("wip.md", "title: Work in progress\ndraft: true")
    assert project.cli("build").exit_code == 0
    assert not (project.root / "site/wip/index.html").exists()
    assert project.cli("build", "--drafts").exit_code == 0
    assert "Draft: not published" in project.read("site/wip/index.html")
