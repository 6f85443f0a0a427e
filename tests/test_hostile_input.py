"""Hostile content: script in every text field and dangerous URLs in links never run in the site.

One playbook carries `<script>`, event handlers and `javascript:` / `data:` URLs in titles,
summaries, tags, people, campaign and newsletter fields, and Markdown links. Every output
file is parsed as HTML/XML and checked structurally: no script or handler of ours carries
the payload, no link or image uses a dangerous scheme, and the text is shown escaped.
"""

from __future__ import annotations

import email
import email.policy
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import BASIC_CONFIG, Project

MARK = "pwned"
SCRIPT = f"<script>alert('{MARK}')</script>"
HANDLER = f'"><img src=x onerror="alert(\'{MARK}\')">'
PAYLOAD = f"{SCRIPT}{HANDLER}"
QUOTED = json.dumps(PAYLOAD)  # a JSON string is a valid YAML scalar
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:image/svg")

HOSTILE_PEOPLE = f"""\
ana:
  name: {QUOTED}
  role: {QUOTED}
  team: {QUOTED}
"""

HOSTILE_CAMPAIGN = f"""\
title: {QUOTED}
type: campaign
summary: {QUOTED}
tags: [{json.dumps(SCRIPT)}, {json.dumps(HANDLER)}]
owner: ana
start: 2026-01-01
end: 2026-12-31
budget: 100
team: [ana]
channels: [{QUOTED}]
objectives:
  - {{goal: {QUOTED}, metric: {QUOTED}, target: 10, actual: 5, unit: {QUOTED}}}
"""

HOSTILE_LINKS = f"""\
[plain](javascript:alert('{MARK}')) [upper](JAVASCRIPT:alert('{MARK}')) [spaced]( javascript:alert('{MARK}'))
[vb](vbscript:msgbox('{MARK}')) [html](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<javascript:alert('{MARK}')> [ref][r]

![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)

[r]: javascript:alert('{MARK}')

{SCRIPT}
"""


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def dangers(text: str) -> list[str]:
    """What in this HTML could run the payload: scripts, handlers, dangerous URLs."""
    parser = _Elements()
    parser.feed(text)
    found = [f"<script> containing {t!r}" for t in parser.script_text if MARK in t]
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(DANGEROUS_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def build_hostile(project: Project, config: str = BASIC_CONFIG) -> Path:
    project.write("playbook.yml", config + f"site_name: {QUOTED}\ndescription: {QUOTED}\n")
    project.write("content/people.yml", HOSTILE_PEOPLE)
    project.page("index.md", f"title: {QUOTED}\nsummary: {QUOTED}", HOSTILE_LINKS)
    project.page("campaigns/evil.md", HOSTILE_CAMPAIGN, f"# {PAYLOAD}\n\nBody.\n")
    project.page(
        "newsletters/one.md",
        f"title: {QUOTED}\ntype: newsletter\nissue: 1\ndate: 2026-02-01\n"
        f"subject: {QUOTED}\npreheader: {QUOTED}\nfeatured: [campaigns/evil.md]",
        "Hello.\n",
    )
    project.page(
        "guides/evil.md",
        f"title: Guide\ntype: guideline\naudience: {QUOTED}\nversion: {QUOTED}\nowner: ana",
        "Text.\n",
    )
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    return project.root


def html_in(path: Path) -> str:
    """The markup a client could run: an .eml's HTML part; plain text (email.txt) runs nothing."""
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        return message.get_body(("html",)).get_content()
    if path.name == "email.txt":
        return ""
    return path.read_text(encoding="utf-8")


def output_files(root: Path) -> list[Path]:
    names = ("*.html", "*.xml", "*.eml", "*.atom", "*.txt", "*.json")
    return [p for tree in ("site", "newsletters") for name in names for p in (root / tree).rglob(name)]


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(Project(tmp_path_factory.mktemp("hostile") / "pb"))


@pytest.fixture(scope="module")
def escaped_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("escaped") / "pb")
    return build_hostile(project, BASIC_CONFIG + "markdown: {raw_html: false}\n")


def test_no_output_file_can_run_the_payload_from_front_matter_or_links(escaped_root: Path) -> None:
    files = output_files(escaped_root)
    assert len(files) >= 5
    for path in files:
        assert dangers(html_in(path)) == [], path


def test_hostile_text_is_shown_escaped_not_dropped(escaped_root: Path) -> None:
    campaign = (escaped_root / "site/campaigns/evil/index.html").read_text(encoding="utf-8")
    escaped = "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"
    assert campaign.count(escaped) >= 5, "title, summary, channel, objective and person are all shown"
    guide = (escaped_root / "site/guides/evil/index.html").read_text(encoding="utf-8")
    assert escaped in guide


def test_dangerous_markdown_links_are_left_as_text(escaped_root: Path) -> None:
    home = (escaped_root / "site/index.html").read_text(encoding="utf-8")
    assert "[plain](javascript:alert(" in home


def test_raw_html_is_escaped_when_the_setting_is_off(escaped_root: Path) -> None:
    home = (escaped_root / "site/index.html").read_text(encoding="utf-8")
    assert f"&lt;script&gt;alert('{MARK}')&lt;/script&gt;" in home


def test_raw_html_passes_through_by_default_but_front_matter_never_does(hostile_root: Path) -> None:
    home = (hostile_root / "site/index.html").read_text(encoding="utf-8")
    assert dangers(home) == [f"<script> containing \"alert('{MARK}')\""]
    for path in output_files(hostile_root):
        if path.name != "index.html" or path.parent != hostile_root / "site":
            assert dangers(html_in(path)) == [], path
