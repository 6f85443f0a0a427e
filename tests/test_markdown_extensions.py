"""The Python-Markdown / PyMdown syntax Material sites use, rendered in every project:
details, content tabs, snippets, attribute lists, abbreviations, markdown in HTML, marks,
emoji, highlighted code (in pages and e-mail), and plugin syntax left out with a warning."""

from __future__ import annotations

import email
import email.message
import re
from email.policy import default as default_policy
from pathlib import Path
from typing import NamedTuple

import lxml.html
import pytest

from generator.markdown import emoji
from generator.markdown.highlight import highlight_css
from generator.site.theme import BUILTIN_THEME
from tests.conftest import BASIC_CONFIG, Project, run_cli

BUILTIN_ASSETS = BUILTIN_THEME / "assets"


def prose(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html).xpath("//div[@class='prose']")[0]


class Built(NamedTuple):
    project: Project
    output: str

    def read(self, rel: str) -> str:
        return self.project.read(rel)


@pytest.fixture
def built(project: Project) -> Built:
    project.page(
        "guide.md",
        "title: Guide",
        """
        ??? note "Folded"
            Hidden *text*.

        ???+ tip
            Shown.

        === "cURL"

            ```bash
            curl https://example.org
            ```

        === "Python"

            ```python title="get.py"
            import httpx
            ```

        ## Install { #setup .wide }

        [Start](index.md){ .button onclick="steal()" }

        A closing paragraph.
        {: .lead }

        The HTML spec, ==marked== ^^added^^ ~~removed~~ :rocket:

        *[HTML]: Hyper Text Markup Language

        <div class="cards" markdown>
        - **bold** card
        </div>

        ```mermaid
        graph TD; A-->B;
        ```

        - [x] done

        --8<-- "snippets/part.md:2:3"

        --8<-- "snippets/code.py:main"

        --8<-- "../outside.md"
        """,
    )
    project.write("snippets/part.md", "line one\nline *two*\nline three\nline four\n")
    project.write("snippets/code.py", "x = 0\n# --8<-- [start:main]\ndef main():\n    pass\n# --8<-- [end:main]\n")
    project.write("../outside.md", "secret\n")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    return Built(project, result.output)


def test_details_tabs_and_highlighted_code(built: Built) -> None:
    body = prose(built.read("site/guide/index.html"))
    folded, shown = body.xpath("details")
    assert folded.get("open") is None and folded.xpath("summary")[0].text == "Folded"
    assert shown.get("open") is not None and shown.xpath("summary")[0].text == "Tip"
    labels = body.xpath("//div[@class='tabbed-set']/label")
    assert [label.text for label in labels] == ["cURL", "Python"]
    radios = body.xpath("//div[@class='tabbed-set']/input[@type='radio']")
    assert [r.get("checked") is not None for r in radios] == [True, False]
    python = body.xpath("//div[@class='tabbed-content'][2]//div[@class='highlight']")[0]
    assert python.xpath("span[@class='filename']")[0].text == "get.py"
    assert python.xpath(".//span[@class='kn']")[0].text == "import"
    assert "curl" in body.xpath("//code[@class='language-bash']")[0].text_content()


def test_attribute_lists_abbreviations_marks_and_emoji(built: Built) -> None:
    html = built.read("site/guide/index.html")
    body = prose(html)
    heading = body.xpath("h2")[0]
    assert (heading.get("id"), heading.get("class"), heading.text) == ("setup", "wide", "Install")
    button = body.xpath("//a[@class='button']")[0]
    assert button.get("onclick") is None and button.get("href") == "../"
    assert body.xpath("p[@class='lead']")[0].text == "A closing paragraph."
    assert body.xpath("//abbr")[0].get("title") == "Hyper Text Markup Language"
    assert [body.xpath(f"//{tag}")[0].text for tag in ("mark", "ins", "del")] == ["marked", "added", "removed"]
    assert "🚀" in body.text_content() and "*[HTML]" not in body.text_content()


def test_markdown_in_html_diagrams_and_task_lists(built: Built) -> None:
    body = prose(built.read("site/guide/index.html"))
    card = body.xpath("div[@class='cards']")[0]
    assert card.get("markdown") is None and card.xpath("ul/li/strong")[0].text == "bold"
    assert body.xpath("pre[@class='mermaid']/code")[0].text.startswith("graph TD; A-->B;")
    assert body.xpath("//input[@type='checkbox']")[0].get("checked") is not None


def test_snippets_include_line_ranges_and_sections_inside_the_project_only(built: Built) -> None:
    html = built.read("site/guide/index.html")
    text = prose(html).text_content()
    assert "line two" in text and "line one" not in text and "line four" not in text
    assert "def main():" in text and "x = 0" not in text and "[start:main]" not in text
    assert "secret" not in text and "--8<--" not in html
    output = built.output
    assert "content/guide.md:" in output and "snippet: warning: '../outside.md' not found in the project" in output


def test_plugin_syntax_is_left_out_with_a_warning_naming_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emoji, "_material_icons", dict)  # Material for MkDocs not installed
    project = Project(tmp_path / "plugins")
    project.write("mkdocs.yml", "site_name: P\n")
    project.write(
        "docs/index.md",
        "# API\n\n::: package.module\n    options:\n      members: true\n\n"
        "Version {{ config.version }} of :material-open-in-new: it.\n\n`{{ kept in code }}`\n",
    )
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0
    needs = "it needs an API docs plugin (mkdocstrings, mkautodoc)"
    assert f"docs/index.md:3: plugin: warning: '::: package.module' left out: {needs}" in result.output
    assert "docs/index.md:7: plugin: warning: '{{ config.version }}' left out: it needs the macros plugin" in (
        result.output
    )
    icons = "Material for MkDocs has the icon sets (pip install mkdocs-material)"
    assert f"docs/index.md:7: icon: warning: icon :material-open-in-new: left out: {icons}" in result.output
    body = prose(project.read("site/index.html"))
    assert ":::" not in body.text_content() and "{{ config" not in body.text_content()
    assert "members" not in body.text_content() and "material-open" not in body.text_content()
    assert body.xpath("//code")[0].text == "{{ kept in code }}"


def test_the_theme_highlight_css_is_generated_from_pygments() -> None:
    css = (BUILTIN_ASSETS / "highlight.css").read_text(encoding="utf-8")
    assert css == highlight_css()
    assert ':root[data-theme="dark"] .highlight .k' in css and "@media (prefers-color-scheme: dark)" in css


def test_pages_link_the_highlight_styles_and_copy_button(built: Built) -> None:
    page = built.read("site/guide/index.html")
    for asset in ("highlight", "markdown"):
        assert re.search(rf'<link rel="stylesheet" href="\.\./_playbook/{asset}\.[0-9a-f]+\.css">', page)
    assert re.search(r'<script src="\.\./_playbook/code\.[0-9a-f]+\.js" defer></script>', page)


def sent(project: Project, body: str) -> email.message.EmailMessage:
    """The e-mail of a newsletter issue with `body`."""
    project.page("newsletters/issue-1.md", "title: Issue 1\ntype: newsletter\nissue: 1\ndate: 2026-04-01", body)
    assert project.cli("build").exit_code == 0
    message = email.message_from_bytes(project.read("newsletters/issue-1/message.eml").encode(), policy=default_policy)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_code_in_an_email_keeps_its_colours_inline(project: Project) -> None:
    message = sent(project, "Try this:\n\n```python\nimport this\n```\n")
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    keyword = lxml.html.fromstring(html).xpath("//pre//span[text()='import']")[0]
    assert "color" in keyword.get("style", "") and keyword.get("class") is None


NUMBERED = """\
Note the highlighted lines:

```python hl_lines="2 4-5"
import os
here = os.getcwd()
print(here)
for name in os.listdir(here):
    print(name)
```

```text linenums="0"
not numbered
```

```python hl_lines="2-x" linenums="one"
broken = True
```
"""


def code_blocks(html: str) -> list[lxml.html.HtmlElement]:
    return prose(html).xpath("//div[@class='highlight']")


def test_markdown_linenums_numbers_every_block_and_hl_lines_emphasises_lines(make_project) -> None:
    project = make_project(BASIC_CONFIG + "markdown: {linenums: true}\n")
    project.page("guide.md", "title: Guide", NUMBERED)
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    numbered, opted_out, broken = code_blocks(project.read("site/guide/index.html"))
    assert numbered.xpath(".//span[@class='linenos']/@data-linenos") == ["1", "2", "3", "4", "5"]
    assert [line.text_content() for line in numbered.xpath(".//span[@class='hll']")] == [
        "here = os.getcwd()\n",
        "for name in os.listdir(here):\n",
        "    print(name)\n",
    ]
    assert numbered.xpath(".//code")[0].text_content() == NUMBERED.split("```")[1].partition("\n")[2]
    assert opted_out.xpath(".//span[@class='linenos']") == [] and broken.xpath(".//span[@class='hll']") == []
    assert broken.xpath(".//span[@class='linenos']/@data-linenos") == ["1"]
    hl_lines = 'content/guide.md:18: hl_lines: warning: hl_lines="2-x" is not a list of line numbers'
    linenums = 'content/guide.md:18: linenums: warning: linenums="one" is not a line number: ignored'
    assert hl_lines in result.output and linenums in result.output


def test_blocks_are_numbered_only_when_they_ask_by_default(project: Project) -> None:
    body = '```python\nplain = 1\n```\n\n```python linenums="41"\nx = 1\ny = 2\n```\n'
    project.page("guide.md", "title: Guide", body)
    assert project.cli("build").exit_code == 0
    plain, asking = code_blocks(project.read("site/guide/index.html"))
    assert plain.xpath(".//span[@class='linenos']") == []
    assert asking.xpath(".//span[@class='linenos']/@data-linenos") == ["41", "42"]


def test_line_anchors_are_ids_links_may_point_to(make_project) -> None:
    project = make_project(BASIC_CONFIG + "markdown: {line_anchors: true}\nlinks: {anchors: warning}\n")
    project.page("code.md", "title: Code", "```python\na = 1\n```\n\n```text\nb\nc\n```\n")
    links = "See [line 2](code.md#__codelineno-1-2), not [3](code.md#__codelineno-1-3).\n"
    project.page("guide.md", "title: Guide", links)
    result = project.cli("build")
    assert result.exit_code == 0
    assert "content/guide.md:4: link: warning: no heading #__codelineno-1-3 in content/code.md" in result.output
    assert "1 warnings" in result.output
    ids = [block.xpath(".//a/@id") for block in code_blocks(project.read("site/code/index.html"))]
    assert ids == [["__codelineno-0-1"], ["__codelineno-1-1", "__codelineno-1-2"]]


def test_highlighted_lines_in_an_email_keep_their_emphasis_inline(project: Project) -> None:
    message = sent(project, 'Line 2 matters:\n\n```python hl_lines="2" linenums="1"\nimport this\nprint(this)\n```\n')
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    code = lxml.html.fromstring(html).xpath("//pre/code")[0]
    plain, emphasised = [line for line in code.xpath("span") if re.match("import|2 ", line.text_content())]
    assert "background" in emphasised.get("style", "") and emphasised.text_content() == "2  print(this)\n"
    assert "background" not in (plain.get("style") or "") and emphasised.get("class") is None
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "    import this\n    print(this)\n" in text


def test_a_bang_starts_a_new_tab_set(project: Project) -> None:
    project.page("tabs.md", "title: Tabs", '=== "A"\n\n    a\n\n===! "B"\n\n    b\n\n=== "C"\n\n    c\n')
    assert project.cli("build").exit_code == 0
    sets = prose(project.read("site/tabs/index.html")).xpath("div[@class='tabbed-set']")
    assert [s.xpath("label/text()") for s in sets] == [["A"], ["B", "C"]]


ALERTS = """\
> [!NOTE]
> Useful information.

> [!warning]
>
> Careful **now**.
>
> > [!TIP]
> > Nested.

> [!IMPORTANT]
> Read this first.

> [!caution]
> Slippery.

> [!NOTE] on the marker's line: a quote, as on GitHub
"""
ADMONITIONS = """\
!!! note
    Useful information.

!!! warning
    Careful **now**.

    !!! tip
        Nested.

!!! important
    Read this first.

!!! caution
    Slippery.

> [!NOTE] on the marker's line: a quote, as on GitHub
"""


def test_github_alerts_are_the_admonitions_bang_syntax_makes(project: Project) -> None:
    project.page("alerts.md", "title: Alerts", ALERTS)
    project.page("bangs.md", "title: Bangs", ADMONITIONS)
    assert project.cli("build").exit_code == 0
    alerts, bangs = (lxml.html.tostring(prose(project.read(f"site/{n}/index.html"))) for n in ("alerts", "bangs"))
    assert alerts == bangs
    titles = prose(project.read("site/alerts/index.html")).xpath(".//p[@class='admonition-title']/text()")
    assert titles == ["Note", "Warning", "Tip", "Important", "Caution"]


def test_a_github_alert_in_an_email_is_styled_inline_like_an_admonition(project: Project) -> None:
    message = sent(project, "> [!WARNING]\n> Prices change on Monday.\n")
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    title = lxml.html.fromstring(html).xpath("//p[text()='Warning']")[0]
    assert "[!WARNING]" not in html and "font-weight:bold" in title.get("style", "")
    assert "Prices change on Monday." in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_markdown_linkify_makes_bare_addresses_links_in_a_playbook(make_project) -> None:
    """`markdown: {linkify: true}` in playbook.yml; off by default, addresses stay text."""
    text = "Write to ana@example.org or see https://example.com/guide and www.example.org.\n"
    targets = ["mailto:ana@example.org", "https://example.com/guide", "http://www.example.org"]
    for config, expected in (("markdown: {linkify: true}\n", targets), ("", [])):
        project = make_project(BASIC_CONFIG + config, name="linkify" if config else "plain")
        project.page("links.md", "title: Links", text)
        assert project.cli("build").exit_code == 0
        assert prose(project.read("site/links/index.html")).xpath(".//a/@href") == expected
