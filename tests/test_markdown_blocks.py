"""PyMdown Blocks, includes and keys, as a reader sees them: `///` blocks give exactly the
HTML (site and e-mail) of the `!!!`, `???` and `===` forms; `{!file!}` includes what
mdx_include includes; `++keys++` are what pymdownx.keys writes; and what Playbook leaves out
(other block names, `{* *}` includes, files outside the project) is named with file and line,
never shown raw."""

from __future__ import annotations

import textwrap
from pathlib import Path

import lxml.html
import markdown
import pytest

from generator.config.settings import BlockType, BlockTypes, MarkdownSettings
from generator.markdown.engine import parse, render
from tests.conftest import Project, run_cli

SAME_BOXES = [
    pytest.param("/// note\nSome *text*.\n///\n", "!!! note\n    Some *text*.\n", id="note"),
    pytest.param(
        "/// warning | Mind the *step*\nCareful.\n\n- one\n- two\n///\n",
        '!!! warning "Mind the *step*"\n    Careful.\n\n    - one\n    - two\n',
        id="titled",
    ),
    pytest.param("/// tip |\nNo title.\n///\n", '!!! tip ""\n    No title.\n', id="no-title"),
    pytest.param(
        "/// admonition | Storage\n    type: danger\n\nNever in the sink.\n///\n",
        '!!! danger "Storage"\n    Never in the sink.\n',
        id="admonition-type",
    ),
    pytest.param(
        "/// details | Folded\n    type: note\nHidden.\n///\n", '??? note "Folded"\n    Hidden.\n', id="details"
    ),
    pytest.param(
        "/// details | Shown\n    type: tip\n    open: true\n\n## Inside\n\nText.\n///\n",
        '???+ tip "Shown"\n    ## Inside\n\n    Text.\n',
        id="details-open-heading",
    ),
    pytest.param(
        "//// note\n\n/// tip | Inner\nx\n///\n\nafter\n////\n",
        '!!! note\n    !!! tip "Inner"\n        x\n\n    after\n',
        id="nested-longer",
    ),
    pytest.param(
        "/// note\n\n/// tip\nx\n///\n\nafter\n///\n",
        "!!! note\n    !!! tip\n        x\n\n    after\n",
        id="nested-same",
    ),
    pytest.param(
        "/// tab | cURL\n```bash\ncurl x\n```\n///\n\n/// tab | Python\n    select: true\nimport x\n///\n",
        '=== "cURL"\n    ```bash\n    curl x\n    ```\n\n===+ "Python"\n    import x\n',
        id="tabs",
    ),
    pytest.param(
        "/// tab | A\na\n///\n/// tab | B\n    new: true\nb\n///\n/// tab | C\nc\n///\n",
        '=== "A"\n    a\n\n===! "B"\n    b\n\n=== "C"\n    c\n',
        id="tabs-new-set",
    ),
    pytest.param(
        "/// note | Code\n```\n///\n```\n///\n", '!!! note "Code"\n    ```\n    ///\n    ```\n', id="fence-inside"
    ),
    pytest.param(
        "- item\n\n    /// note\n    in a list\n    ///\n", "- item\n\n    !!! note\n        in a list\n", id="in-list"
    ),
    pytest.param(
        "- item\n\n    /// note\n    never closed\n\nafter the list\n",
        "- item\n\n    !!! note\n        never closed\n\nafter the list\n",
        id="unclosed-in-list",
    ),
]


@pytest.mark.parametrize(("blocks", "classic"), SAME_BOXES)
@pytest.mark.parametrize("inline_styles", [False, True], ids=["site", "email"])
def test_blocks_give_the_html_of_the_classic_forms(blocks: str, classic: str, inline_styles: bool) -> None:
    block_body, classic_body = parse(blocks), parse(classic)
    assert block_body.notes == () and classic_body.notes == ()
    expected = render(classic_body, None, inline_styles=inline_styles)
    assert render(block_body, None, inline_styles=inline_styles) == expected
    assert "///" not in expected.replace("<code>///", "")


def test_blocks_in_a_playbook_page_and_newsletter(project: Project) -> None:
    body = "/// tip | Quick win\nShorter *subject* lines.\n///\n\nPress ++ctrl+enter++ to send.\n"
    project.page("tips.md", "title: Tips", body)
    project.page("newsletters/issue-1.md", "title: Issue 1\ntype: newsletter\nissue: 1\ndate: 2026-04-01", body)
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring(project.read("site/tips/index.html")).xpath("//div[@class='prose']")[0]
    box = page.xpath("div[@class='admonition tip']")[0]
    assert box.xpath("p[@class='admonition-title']")[0].text_content() == "Quick win"
    assert [kbd.text for kbd in page.xpath("//span[@class='keys']/kbd")] == ["Ctrl", "Enter"]
    message = project.read("newsletters/issue-1/message.eml")
    assert "Quick win" in message and "///" not in message and "++ctrl" not in message
    assert "Ctrl+Enter" in message  # the plain-text part


def test_keys_are_written_as_pymdownx_writes_them() -> None:
    text = (
        'Press ++ctrl+alt+del++, ++cmd+shift+p++, ++enter++, ++a++, ++f5++, ++page-down++, ++"My Key"++, '
        "++esc++ or ++tab++; ++unknown++ and C++ stay text, `++ctrl++` is code."
    )
    expected = markdown.Markdown(extensions=["pymdownx.keys"]).convert(text)
    assert render(parse(text), None).strip() == expected


def _mkdocs_project(tmp_path: Path, extensions: str, page: str) -> Project:
    project = Project(tmp_path / "docs-project")
    project.write("mkdocs.yml", f"site_name: Docs\nmarkdown_extensions:\n{extensions}")
    project.write("docs/index.md", page)
    return project


def test_includes_take_what_mdx_include_takes(tmp_path: Path) -> None:
    page = textwrap.dedent(
        """\
        # Start

        ```python
        {!./docs_src/app.py [ln:2-3,5]!}
        ```

        {!docs_src/part.md!}

        - List:

            {!>docs_src/lines.txt!}

        Literally \\{!docs_src/part.md!}.
        """
    )
    project = _mkdocs_project(tmp_path, "  - mdx_include\n", page)
    project.write("docs_src/app.py", "import os\nline_two = 2\nline_three = 3\nline_four = 4\nline_five = 5\n")
    project.write("docs_src/part.md", "## Included part\n\n{!docs_src/nested.md!}\n")
    project.write("docs_src/nested.md", "Nested *text*.\n")
    project.write("docs_src/lines.txt", "first\nsecond\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output
    ours = lxml.html.fromstring(project.read("site/index.html")).xpath("//div[@class='prose']")[0]
    converter = markdown.Markdown(
        extensions=["mdx_include", "fenced_code"], extension_configs={"mdx_include": {"base_path": str(project.root)}}
    )
    theirs = lxml.html.fromstring(f"<div>{converter.convert(page)}</div>")
    assert ours.xpath("//pre/code")[0].text_content() == theirs.xpath("//pre/code")[0].text_content()
    assert ours.xpath("//h2")[0].text_content() == theirs.xpath("//h2")[0].text_content() == "Included part"
    for path in ("//em", "//li"):
        assert ours.xpath(path)[0].text_content() == theirs.xpath(path)[0].text_content()
    assert "{!docs_src/part.md!}" in ours.text_content()


def test_what_is_left_out_is_named_with_file_and_line_never_raw(tmp_path: Path) -> None:
    page = textwrap.dedent(
        """\
        # Start

        /// html | div
        Kept *text*.
        ///

        /// caption
        A caption.
        ///

        {* ./docs_src/x.py ln[1:8] hl[1,4] *}

        {!../outside.md!}

        {!docs_src/missing.md!}

        /// note
            open: [unclosed
        Body.
        ///

        /// tab | One
            attrs: {class: wide}
        In a tab.
        ///
        """
    )
    project = _mkdocs_project(tmp_path, "  - mdx_include\n  - pymdownx.blocks.admonition\n", page)
    (tmp_path / "outside.md").write_text("secret\n", encoding="utf-8")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0, result.output
    for line, field, message in [
        (3, "blocks", "'/// html | div' shown without its box: it needs pymdownx.blocks.html"),
        (7, "blocks", "'/// caption' shown without its box: it needs pymdownx.blocks.caption"),
        (
            11,
            "plugin",
            "'{* ./docs_src/x.py ln[1:8] hl[1,4] *}' left out: it needs an include of docs_src/x.py lines 1–8 "
            "(markdown_include_variants)",
        ),
        (13, "include", "'../outside.md' not found in the project: left out"),
        (15, "include", "'docs_src/missing.md' not found in the project: left out"),
        (18, "blocks", "the block's options are not YAML `key: value` lines: ignored"),
        (23, "blocks", "block options ignored: attrs"),
    ]:
        assert f"docs/index.md:{line}: {field}: warning: {message}" in result.output
    body = lxml.html.fromstring(project.read("site/index.html")).xpath("//div[@class='prose']")[0]
    text = body.text_content()
    assert "Kept text." in text and "A caption." in text and "Body." in text and "In a tab." in text
    for raw in ("///", "{*", "{!", "secret", "unclosed"):
        assert raw not in text
    assert body.xpath("div[@class='admonition note']/p[@class='admonition-title']")[0].text == "Note"


def test_a_changed_included_file_shows_in_the_next_build(tmp_path: Path) -> None:
    project = _mkdocs_project(tmp_path, "  - mdx_include\n", "# Start\n\n{!docs_src/part.md!}\n")
    project.write("docs_src/part.md", "Old text.\n")
    assert run_cli("build", str(project.root)).exit_code == 0
    project.write("docs_src/part.md", "New text.\n")
    assert run_cli("build", str(project.root)).exit_code == 0
    text = lxml.html.fromstring(project.read("site/index.html")).xpath("//div[@class='prose']")[0].text_content()
    assert "New text." in text and "Old text." not in text


def test_the_types_setting_names_blocks_with_their_class_and_title() -> None:
    types = BlockTypes(
        admonition=(BlockType(name="chef", css_class="tip", title="Chef says"), BlockType(name="see-also")),
        details=(BlockType(name="faq", css_class="question"),),
    )
    settings = MarkdownSettings(block_types=types)
    blocks = (
        "/// chef\nTaste.\n///\n\n/// see-also\nMore.\n///\n\n"
        "/// faq | Why?\n    open: true\nBecause.\n///\n\n/// tip\nx\n///\n"
    )
    classic = (
        '!!! tip "Chef says"\n    Taste.\n\n!!! see-also "See Also"\n    More.\n\n???+ question "Why?"\n    Because.\n'
    )
    ours = parse(blocks, settings=settings)
    assert render(ours, None, settings=settings).startswith(render(parse(classic), None))
    assert [n.message for n in ours.notes] == ["'/// tip' shown without its box: it needs a pymdownx block named 'tip'"]
