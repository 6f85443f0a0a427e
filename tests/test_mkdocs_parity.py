"""Parity with MkDocs itself: fixture projects written for these tests (tests/parity/*, one
per flavour: plain MkDocs, Material-style PyMdown extensions, PyMdown Blocks with includes
and keys) are built by MkDocs (default
theme) and by Playbook. Every page MkDocs writes must exist at the same path, its heading ids
must be MkDocs' (at least 98% of pages and ids together), and no Playbook page may show raw
extension syntax."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_config

from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "parity"
HEADINGS = "h2 or self::h3 or self::h4 or self::h5 or self::h6"
# What a page would show if an extension's syntax were not rendered.
RAW_SYNTAX = re.compile(
    r'!!!|\?\?\?|=== "|--8<--|\{:|\{ ?[#.]|:::|\*\[|==\w|\^\^|~~|:[a-z_]+:|markdown>|\[\^\d\]'
    r'|/{3,}|\{!|!\}|\{\*|\*\}|\+\+[\w"\'-]'
)
# Includes are expanded in code blocks too.
RAW_INCLUDE = re.compile(r"\{!|\{\*")


@dataclass
class Parity:
    """Pages and heading ids MkDocs wrote, and which of them Playbook wrote the same."""

    expected: int = 0
    matched: int = 0
    differences: list[str] = field(default_factory=list)

    def compare(self, what: str, mkdocs: object, playbook: object) -> None:
        self.expected += 1
        if mkdocs == playbook:
            self.matched += 1
        else:
            self.differences.append(f"{what}: MkDocs {mkdocs!r}, Playbook {playbook!r}")

    @property
    def ratio(self) -> float:
        return self.matched / self.expected if self.expected else 0.0


def mkdocs_pages(site: Path) -> dict[str, list[str]]:
    """Heading ids (h2-h6) of every page MkDocs wrote, by output path (HTML files that are
    not pages of the theme, such as a project's own templates, are left out)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith("search/"):
            continue
        main = lxml.html.fromstring(path.read_text(encoding="utf-8")).xpath("//div[@role='main']")
        if main:
            pages[rel] = main[0].xpath(f".//*[self::{HEADINGS}]/@id")
    return pages


def playbook_prose(site: Path, rel: str) -> lxml.html.HtmlElement | None:
    path = site / rel
    if not path.is_file():
        return None
    found = lxml.html.fromstring(path.read_text(encoding="utf-8")).xpath("//div[@class='prose']")
    return found[0] if found else None


def visible_text(prose: lxml.html.HtmlElement) -> str:
    """The words a reader sees, code blocks left out (they may show syntax on purpose)."""
    for code in prose.xpath(".//code"):
        code.drop_tree()
    return prose.text_content()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if (p / "mkdocs.yml").is_file()))
def test_playbook_writes_mkdocs_pages_and_heading_ids(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, project)
    monkeypatch.chdir(project)  # as MkDocs is run: mdx_include reads paths from the working folder
    mkdocs_site = tmp_path / "mkdocs-site"
    mkdocs_build(mkdocs_config(str(project / "mkdocs.yml"), site_dir=str(mkdocs_site)))
    result = run_cli("build", str(project))
    assert result.exit_code == 0, result.output
    assert ": warning: " not in result.output, result.output
    site = project / "site"
    parity = Parity()
    for rel, ids in mkdocs_pages(mkdocs_site).items():
        prose = playbook_prose(site, rel)
        parity.compare(f"{rel} exists", True, prose is not None)
        if prose is None:
            continue
        parity.compare(f"{rel} heading ids", ids, prose.xpath(f".//*[self::{HEADINGS}]/@id"))
        assert not RAW_INCLUDE.findall(prose.text_content()), f"{rel} shows a raw include"
        raw = RAW_SYNTAX.findall(visible_text(prose))
        assert not raw, f"{rel} shows raw syntax {raw}"
    assert parity.expected > 10
    assert parity.ratio >= 0.98, "\n".join(parity.differences)


NUMBERED_FENCES = """\
# Fences

```python hl_lines="1 3-4" linenums="10"
import os
path = os.getcwd()
name = "x"
print(name, path)
done = True
```

```python linenums="1 2"
a = 1
b = 2
c = 3
d = 4
e = 5
```

```python title="later.py" hl_lines="2-9"
first = 1
second = 2
third = 3
```

```
plain text, no language
second line
```

``` hl_lines="2"
one
two
```

```python linenums="0" hl_lines="1"
opted_out = True
```

!!! note
    ```yaml hl_lines="2"
    key: value
    other: thing
    ```
"""


@dataclass(frozen=True)
class FenceLines:
    """What a reader sees of one code block's lines: the numbers in its gutter, the text of
    its emphasised lines and the ids links can point to."""

    numbers: tuple[int, ...]
    highlighted: tuple[str, ...]
    anchors: tuple[str, ...]


def mkdocs_fences(html: str) -> list[FenceLines]:
    """MkDocs' code blocks: numbers in a table gutter or in pymdownx-inline `data-linenos`."""
    main = lxml.html.fromstring(html).xpath("//div[@role='main']")[0]
    gutter = ".//td[@class='linenos']//span[@class='normal']//text() | .//span[@class='linenos']/@data-linenos"
    return [_fence_lines(block, gutter) for block in main.xpath(".//div[contains(@class, 'highlight')]")]


def playbook_fences(prose: lxml.html.HtmlElement) -> list[FenceLines]:
    gutter = ".//span[@class='linenos']/@data-linenos"
    return [_fence_lines(block, gutter) for block in prose.xpath(".//div[@class='highlight']")]


def _fence_lines(block: lxml.html.HtmlElement, gutter: str) -> FenceLines:
    numbers = tuple(int(label) for label in block.xpath(gutter) if label.strip())
    highlighted = tuple(line.text_content() for line in block.xpath(".//span[@class='hll']"))
    return FenceLines(numbers, highlighted, tuple(block.xpath(".//a/@id")))


@pytest.mark.parametrize(
    "highlight",
    [
        {},
        {"linenums": True},
        {"linenums": True, "linenums_style": "pymdownx-inline", "anchor_linenums": True},
        {"anchor_linenums": True, "line_spans": "__span"},
        {"linenums": False},
    ],
    ids=["per-block", "all-numbered", "pymdownx-inline", "anchors", "never-numbered"],
)
def test_code_blocks_highlight_and_number_the_lines_mkdocs_does(highlight: dict, tmp_path: Path) -> None:
    project = tmp_path / "fences"
    (project / "docs").mkdir(parents=True)
    extensions = [{"pymdownx.highlight": highlight}, "pymdownx.superfences", "admonition"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": "Fences", "markdown_extensions": extensions}))
    (project / "docs" / "index.md").write_text(NUMBERED_FENCES, encoding="utf-8")
    mkdocs_site = tmp_path / "mkdocs-site"
    mkdocs_build(mkdocs_config(str(project / "mkdocs.yml"), site_dir=str(mkdocs_site)))
    result = run_cli("build", str(project))
    assert result.exit_code == 0, result.output
    expected = mkdocs_fences((mkdocs_site / "index.html").read_text(encoding="utf-8"))
    prose = playbook_prose(project / "site", "index.html")
    assert prose is not None
    assert playbook_fences(prose) == expected
    assert any(fence.numbers for fence in expected) == (highlight.get("linenums") is not False)
    assert any(fence.anchors for fence in expected) == bool(highlight.get("anchor_linenums"))
    assert "docs/index.md:19: hl_lines: warning: hl_lines 2-9 goes outside the block's lines 1 to 3" in result.output
