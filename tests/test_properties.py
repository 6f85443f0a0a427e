"""Property-based tests: whatever text or YAML shape a file holds, each stage either accepts
it or reports a problem; no other exception, no hang. Most examples exercise the pure
stages directly (fast); a few dozen run whole builds through the CLI."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config.settings import MarkdownSettings, parse_config
from generator.content.doctypes import ALL_KEYS, TYPES
from generator.content.reader import SourceFile, read_markdown, split_front_matter
from generator.content.validate import validate_document
from generator.content.yamlsource import LocatedYaml, YamlError, load_front_matter, load_located
from generator.errors import Problems
from generator.markdown.engine import parse, render
from tests.conftest import BASIC_CONFIG, BASIC_PEOPLE, Project

CONFIG = parse_config(BASIC_CONFIG + "languages: {en: English, es: Español}\n", "playbook.yml")
PREFIXES = {"en": "", "es": "es/"}
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pieces(chars: str, *words: str) -> st.SearchStrategy[str]:
    """Text made of the characters and words that matter to a grammar."""
    return st.lists(st.sampled_from([*chars, *words]), max_size=60).map("".join)


YAML_TEXT = _pieces("abc:-[]{}&*!|>'\"#\n ,?%@`0129.\t\\", "---", "!!python/", "2026-13-01", "  ")
MARKDOWN = _pieces("ab #*_`>-+=|[]()!<>/\\:.\n\t1~&;", "](x.md#y)", "<script>", "```", "!!! ", "    ", "[^1]")
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=80)
    | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
    | st.sampled_from(["page", "campaign", "strategy", "guideline", "newsletter", "ana", "zed", "EUR", "-1"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FRONT = st.dictionaries(st.sampled_from(sorted(ALL_KEYS)) | st.text(max_size=12), VALUES, max_size=6)


@FAST
@given(YAML_TEXT)
def test_yaml_loading_returns_data_or_a_located_yaml_error(text: str) -> None:
    try:
        located = load_located(text)
    except YamlError as exc:
        assert exc.message
        assert exc.line is None or exc.line >= 1
        return
    assert all(line >= 1 for line in located.lines.values())


@FAST
@given(YAML_TEXT)
def test_front_matter_loading_keeps_what_it_can_read(text: str) -> None:
    try:
        located = load_front_matter(text)
    except YamlError as exc:
        assert exc.message
        return
    lines = len(text.split("\n"))
    assert all(1 <= problem.line <= lines and problem.message for problem in located.problems)
    assert all(line >= 1 for line in located.lines.values())


@FAST
@given(st.text())
def test_splitting_front_matter_never_raises(text: str) -> None:
    front, body, body_line = split_front_matter(text)
    assert body_line >= 1
    assert front is None or isinstance(front, str)
    assert body in text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.builds(lambda t: ("---\n" + t).encode(), YAML_TEXT))
def test_reading_any_bytes_gives_a_source_or_a_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_bytes(data)
        problems = Problems()
        source = read_markdown(path, "doc.md", "content/doc.md", problems)
    assert (source is None) == bool(problems.errors)
    assert all(p.path == "content/doc.md" and p.message for p in problems.items)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT, st.sampled_from(["doc.md", "es/doc.md", "campaigns/x.md"]))
def test_any_front_matter_shape_validates_or_reports_located_problems(front: dict, rel: str) -> None:
    source = SourceFile(rel, f"content/{rel}", LocatedYaml(front, {(k,): 2 for k in front}), "Body", 5, 0.0)
    problems = Problems()
    doc = validate_document(source, CONFIG, PREFIXES, problems)
    assert doc is not None or problems.errors
    schemas = {doctype.schema for doctype in TYPES}
    assert problems.errors or type(doc.meta) in schemas, "a document with errors is reported"
    for problem in problems.items:
        assert problem.path == f"content/{rel}" and problem.message
        assert "Traceback" not in problem.message


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN, st.booleans())
def test_any_markdown_parses_and_renders(body: str, raw_html: bool) -> None:
    settings = MarkdownSettings(raw_html=raw_html, plugin_syntax=True)
    parsed = parse(body, 3, title="Title", settings=settings)
    html = render(parsed, None, settings=settings)
    assert isinstance(html, str)
    if not raw_html:
        assert "<script>" not in html


def _front_matter_text(front: dict) -> str:
    return yaml.safe_dump(front, allow_unicode=True, sort_keys=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(dict) | FRONT, MARKDOWN, st.none() | YAML_TEXT)
def test_whole_builds_succeed_or_fail_with_exit_1_and_a_message(front: dict, body: str, raw_front: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        project.write("playbook.yml", BASIC_CONFIG)
        project.write("content/people.yml", BASIC_PEOPLE)
        project.page("index.md", "title: Home", "[doc](doc.md)\n")
        (project.root / "content/doc.md").write_text(
            f"---\ntitle: Doc\n{_front_matter_text(front)}---\n{body}", encoding="utf-8"
        )
        if raw_front is not None:
            (project.root / "content/raw.md").write_text(f"---\n{raw_front}\n---\n{body}", encoding="utf-8")
        result = project.cli("build")
        built = (project.root / "site/index.html").is_file()
    assert result.exit_code in (0, 1), result.output
    assert built == (result.exit_code == 0)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert "Build failed:" in result.output
        assert any(line.startswith("content/") for line in result.output.splitlines())
