"""Reading and validation: front matter splitting, line numbers and precise messages."""

from __future__ import annotations

import pytest

from generator.config.settings import parse_config
from generator.content.reader import split_front_matter
from generator.content.yamlsource import YamlError, load_located
from generator.errors import BuildFailed


def test_front_matter_split_reports_where_the_body_starts():
    text = "---\ntitle: Plan\ntags: [a]\n---\n\n# Goals\n"
    front, body, body_line = split_front_matter(text)
    assert "title: Plan" in front
    assert body.lstrip().startswith("# Goals")
    assert text.splitlines()[body_line - 1 + body.count("\n", 0, body.index("#"))] == "# Goals"


def test_a_file_without_front_matter_is_all_body():
    front, body, body_line = split_front_matter("# Only text\n")
    assert front is None
    assert body == "# Only text\n"
    assert body_line == 1


def test_located_yaml_knows_the_line_of_nested_keys():
    located = load_located("title: x\nobjectives:\n  - goal: g\n    target: 10\n")
    assert located.line_of(("objectives", 0, "target")) == 4
    assert located.line_of(("objectives", 0, "missing")) == 3


def test_yaml_tags_that_build_objects_are_refused():
    with pytest.raises(YamlError) as caught:
        load_located("x: !!python/object/apply:os.system ['true']\n")
    assert "not allowed" in caught.value.message
    assert caught.value.line == 1


def test_config_typo_names_the_line_and_the_key():
    with pytest.raises(BuildFailed) as caught:
        parse_config("site_name: X\nsite_ulr: https://x.example/\n", "playbook.yml")
    [problem] = caught.value.problems.errors
    assert (problem.path, problem.line, problem.field) == ("playbook.yml", 2, "site_ulr")
    assert "unknown key" in problem.message


def test_config_accepts_a_mapping_of_languages_and_defaults_to_the_first():
    config = parse_config("site_name: X\nlanguages: {fi: Suomi, en: English}\n", "playbook.yml")
    assert config.language_codes == ["fi", "en"]
    assert config.default_lang == "fi"


def test_config_rejects_a_relative_site_url():
    with pytest.raises(BuildFailed) as caught:
        parse_config("site_name: X\nsite_url: intranet/playbook\n", "playbook.yml")
    assert "absolute http(s) URL" in caught.value.problems.errors[0].message


def test_nested_config_typo_suggests_the_right_key():
    with pytest.raises(BuildFailed) as caught:
        parse_config("site_name: X\ntracking:\n  utm_sorce: x\n", "playbook.yml")
    [problem] = caught.value.problems.errors
    assert str(problem) == "playbook.yml:3: tracking.utm_sorce: unknown key; did you mean 'utm_source'?"
