"""Existing MkDocs projects build unchanged: a Material-style mkdocs.yml read without
importing anything, MkDocs' URLs and heading ids, its validation levels, the nav as the
sidebar, the site settings, and no playbook views a handbook has nothing for."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
import pytest
from click.testing import Result
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_config

from generator.config.mkdocs_yml import outline_from_nav
from generator.config.settings import NavItem, NavOutline
from tests.conftest import Project, run_cli

BASE_YML = """\
theme:
  name: material
  logo: img/logo.svg
  favicon: img/favicon.png
  language: en
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.arithmatex:
      generic: true
"""

MKDOCS_YML = """\
INHERIT: base.yml
site_name: !ENV [HANDBOOK_TEST_NAME, Old Handbook]
site_url: https://docs.example.com/handbook/
site_dir: public
site_description: How we work
site_author: The Docs Team
copyright: Copyright &copy; 2026 Example Ltd
repo_url: https://github.com/example/handbook
edit_uri: edit/main/docs/
extra_css: [css/extra.css]
extra_javascript: [{path: js/extra.js, type: module}]
plugins:
  - search
  - awesome-pages
  - redirects:
      redirect_maps:
        old_setup.md: guide/setup_steps.md#site_name
extra:
  company: Example Ltd
exclude_docs: |
  drafts/
not_in_nav: |
  guide/unlisted.md
nav:
  - Introduction: README.md
  - Guide:
      - guide/setup_steps.md
      - Day to day: guide/usage.md
      - Reference: reference/
      - Advanced:
          - guide/advanced/tuning.md
  - About: about.md
  - Source: https://git.example.com/handbook
"""


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    project = Project(tmp_path_factory.mktemp("mk") / "handbook")
    project.write("base.yml", BASE_YML)
    project.write("mkdocs.yml", MKDOCS_YML)
    project.write("docs/README.md", "# Welcome\n\nStart with [setup](guide/setup_steps.md#site_name).\n")
    project.write("docs/about.md", "---\ntitle: About us\n---\nWho we are. [Gone](gone.md)\n")
    project.write(
        "docs/guide/setup_steps.md",
        """\
        # Setting up

        ## site_name

        The name.

        ## site_name

        Again, see [usage](usage.md#every-day-use) and [a missing anchor](usage.md#nowhere).

        !!! warning "Careful"
            Back up first.
        """,
    )
    project.write("docs/guide/usage.md", "```\n# not a heading\n```\n\n# Using it every day\n\n## Every day use\n")
    project.write("docs/guide/advanced/tuning.md", "No heading here.\n")
    project.write("docs/guide/unlisted.md", "# Not in the nav\n")
    project.write("docs/reference/index.md", "# Reference\n")
    project.write("docs/drafts/secret.md", "# Secret\n")
    project.write("docs/css/extra.css", "body { color: inherit; }\n")
    project.write("docs/js/extra.js", "void 0;\n")
    project.write("docs/img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0, result.output
    return project, result.output


def built(folder: Path, mkdocs_yml: str, pages: dict[str, str]) -> tuple[Project, Result]:
    """A small MkDocs project (`pages` under docs/), built."""
    project = Project(folder)
    project.write("mkdocs.yml", mkdocs_yml)
    for rel, text in pages.items():
        project.write(f"docs/{rel}", text)
    return project, run_cli("build", str(project.root))


def sidebar_labels(html: str) -> list[str]:
    sidebar = html.split('id="sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a (?:class="nav-home" )?href="[^"]*"(?: aria-current="page")?>([^<]+)</a>', sidebar)


def test_mkdocs_yml_with_material_tags_env_and_inherit_builds(handbook: tuple[Project, str]) -> None:
    project, output = handbook
    assert not (project.root / "site").exists()
    page = project.read("public/index.html")
    assert "<title>Old Handbook</title>" in page and "Start with" in page
    warnings = [line for line in output.splitlines() if line.startswith("mkdocs.yml")]
    assert warnings == [
        "mkdocs.yml: warning: not supported by Playbook, ignored: plugins: awesome-pages; "
        "markdown_extensions: pymdownx.arithmatex"
    ]


def test_env_values_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_TEST_NAME", "From the environment")
    project, result = built(
        tmp_path / "env", "site_name: !ENV [HANDBOOK_TEST_NAME, Fallback]\n", {"index.md": "# Home\n"}
    )
    assert result.exit_code == 0
    assert "From the environment" in project.read("site/index.html")


def test_urls_are_mkdocs_urls(handbook: tuple[Project, str]) -> None:
    project, _ = handbook
    site = project.root / "public"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html") if "_playbook" not in p.parts)
    assert "guide/setup_steps/index.html" in pages
    assert "index.html" in pages and "README/index.html" not in pages
    assert not (site / "drafts").exists()
    assert 'href="guide/setup_steps/#site_name"' in project.read("public/index.html")


def test_heading_ids_are_mkdocs_ids_and_links_to_them_resolve(handbook: tuple[Project, str]) -> None:
    project, output = handbook
    setup = project.read("public/guide/setup_steps/index.html")
    assert '<h2 id="site_name">' in setup and '<h2 id="site_name_1">' in setup
    assert 'href="../usage/#every-day-use"' in setup
    assert "#nowhere" not in output, "MkDocs only INFOs a missing anchor"
    assert "docs/about.md:4: link: warning: link to missing document 'gone.md'" in output


def test_validation_levels_come_from_mkdocs_yml(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n\n[a](other.md#nowhere) [b](missing.md)\n", "other.md": "# Other\n"}
    yml = "site_name: S\nvalidation:\n  links:\n    anchors: warn\n    not_found: info\n"
    project, result = built(tmp_path / "strict", yml, pages)
    assert result.exit_code == 0
    assert "docs/index.md:3: link: warning: no heading #nowhere in docs/other.md" in result.output
    assert "missing.md" not in result.output
    project.write("mkdocs.yml", "site_name: S\nstrict: true\nvalidation:\n  anchors: warn\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 1 and "docs/index.md:3: link: no heading #nowhere" in result.output


def test_the_sidebar_is_the_nav(handbook: tuple[Project, str]) -> None:
    project, output = handbook
    page = project.read("public/guide/usage/index.html")
    assert sidebar_labels(page) == [
        "Introduction",
        "Guide",
        "Setting up",
        "Day to day",
        "Reference",
        "Advanced",
        "About",
        "Source",
    ]
    assert 'href="https://git.example.com/handbook"' in page
    assert "Not in the nav" not in page
    assert "unlisted" not in output, "not_in_nav pages are meant to stay out of the nav"
    deeper = project.read("public/guide/advanced/tuning/index.html")
    assert "Tuning" in sidebar_labels(deeper)


def test_titles_come_from_front_matter_heading_or_file_name(handbook: tuple[Project, str]) -> None:
    project, _ = handbook
    assert "<h1>About us</h1>" in project.read("public/about/index.html")
    assert "<h1>Using it every day</h1>" in project.read("public/guide/usage/index.html")
    assert "<h1>Tuning</h1>" in project.read("public/guide/advanced/tuning/index.html")


def test_site_settings_are_used(handbook: tuple[Project, str]) -> None:
    project, _ = handbook
    page = project.read("public/about/index.html")
    assert '<a class="repo-link" href="https://github.com/example/handbook">GitHub</a>' in page
    assert 'href="https://github.com/example/handbook/edit/main/docs/about.md"' in page
    assert '<meta name="author" content="The Docs Team">' in page
    assert "Copyright &copy; 2026 Example Ltd" in page
    assert '<link rel="stylesheet" href="../css/extra.css">' in page
    assert '<script src="../js/extra.js" defer></script>' in page
    assert '<link rel="icon" href="../img/favicon.png">' in page
    assert '<img src="../img/logo.svg"' in page
    assert '<meta name="description" content="How we work">' in project.read("public/index.html")


def test_a_page_description_in_front_matter_is_its_meta_description(tmp_path: Path) -> None:
    """Material's `description:` (uv's guides use it): the page's own description, not an
    unknown key."""
    pages = {
        "index.md": "# Home\n",
        "guide.md": "---\ndescription: A short guide to planting\n---\n# Guide\n",
        "both.md": "---\ndescription: Ignored\nsummary: Written for Playbook\n---\n# Both\n",
    }
    project, result = built(tmp_path / "described", "site_name: Garden\nsite_description: The garden\n", pages)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warnings == ["docs/both.md:2: description: warning: ignored: `summary` is the page's description"]
    assert '<meta name="description" content="A short guide to planting">' in project.read("site/guide/index.html")
    assert '<meta name="description" content="The garden">' in project.read("site/index.html")
    assert '<meta name="description" content="Written for Playbook">' in project.read("site/both/index.html")


def test_a_slug_in_front_matter_leaves_the_page_at_its_files_address(tmp_path: Path) -> None:
    """MkDocs gives a page the address of its file; Material's blog posts carry `slug:` for
    the blog plugin (`slug: mkdocs-2.0` in Material's own docs failed the whole build)."""
    post = "---\nslug: mkdocs-2.0\ndate: 2026-01-02\n---\n# MkDocs 2.0\n"
    project, result = built(tmp_path / "slugs", "site_name: Blog\n", {"index.md": "# Home\n", "posts/news.md": post})
    assert result.exit_code == 0, result.output
    assert "MkDocs 2.0" in project.read("site/posts/news/index.html")
    assert "docs/posts/news.md:2: slug: warning: ignored: an MkDocs page's address is its file's" in result.output


GLOSSARY_YML = """site_name: Glossary
markdown_extensions:
  - abbr
  - pymdownx.snippets:
      auto_append: [includes/abbreviations.md]
"""
GLOSSARY_PAGES = {
    "index.md": "# Home\n\nOur HTML pages follow the CSS guide.\n",
    "guide.md": "# Guide\n\nNo abbreviation here, but HTML is everywhere.\n",
}


def abbreviations(html: str) -> list[tuple[str, str]]:
    return [(a.text_content(), a.get("title")) for a in lxml.html.fromstring(html).xpath("//abbr")]


def test_a_glossary_appended_to_every_page_gives_the_abbreviations_mkdocs_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pymdownx.snippets' `auto_append` (Material's glossary recipe), with MkDocs as the oracle
    (run, as users run it, from the project folder: snippets are found from there)."""
    glossary = "*[HTML]: HyperText Markup Language\n*[CSS]: Cascading Style Sheets\n"
    project, result = built(tmp_path / "glossary", GLOSSARY_YML, GLOSSARY_PAGES)
    project.write("includes/abbreviations.md", glossary)
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output
    monkeypatch.chdir(project.root)
    mkdocs_build(mkdocs_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "mkdocs-site")))
    for page in ("index.html", "guide/index.html"):
        ours = abbreviations(project.read(f"site/{page}"))
        assert ours == abbreviations((tmp_path / "mkdocs-site" / page).read_text()) and ours, page
    project.write("includes/abbreviations.md", glossary.replace("HyperText Markup Language", "Hypertext"))
    assert run_cli("build", str(project.root)).exit_code == 0  # with the cache of the first build
    assert ("HTML", "Hypertext") in abbreviations(project.read("site/guide/index.html"))


def test_a_missing_appended_file_is_one_warning(tmp_path: Path) -> None:
    project, result = built(tmp_path / "missing", GLOSSARY_YML, GLOSSARY_PAGES)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warnings == ["mkdocs.yml: warning: auto_append: 'includes/abbreviations.md' is not in the project: left out"]
    assert "Our HTML pages" in project.read("site/index.html")


SYMBOLS_TEXT = """# Symbols

Acme(tm) and (c) 2026 Acme (r), c/o the office: +/- 3 days, a =/= b.
Arrows --> and <-- and <-->, but not ---> or <---. Fractions 1/2, 3/4 and 7/8, not 11/2.
The 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st and 101st time, not a1st.
Code stays as written: `(c) --> 1/2 1st`.
"""


def test_smart_symbols_are_those_smartsymbols_makes(tmp_path: Path) -> None:
    """pymdownx.smartsymbols (in Material's own configuration); Python-Markdown is the oracle."""
    mkdocs_yml = "site_name: Symbols\nmarkdown_extensions:\n  - pymdownx.smartsymbols\n"
    project, result = built(tmp_path / "symbols", mkdocs_yml, {"index.md": SYMBOLS_TEXT})
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output
    ours = lxml.html.fromstring(project.read("site/index.html")).xpath("//div[@class='prose']/p")
    oracle = lxml.html.fromstring(markdown.markdown(SYMBOLS_TEXT, extensions=["pymdownx.smartsymbols"]))
    theirs = oracle.xpath("//p")
    assert [p.text_content() for p in ours] == [p.text_content() for p in theirs]
    assert [s.text for p in ours for s in p.xpath(".//sup")] == [s.text for p in theirs for s in p.xpath(".//sup")]
    assert "© 2026" in ours[0].text_content() and len(ours[0].xpath(".//sup")) == 9


ICONS_YML = """site_name: Icons
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
      options:
        custom_icons: [overrides/.icons]
"""
ICONS_PAGE = """# Icons

Open :material-open-in-new:, send :fontawesome-solid-paper-plane:, star :octicons-star-16:,
our own :brand-logo: and a :smile:.
"""
OWN_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>\n'


def icon_paths(html: str) -> list[list[str]]:
    """The path data of each icon (`<span class="twemoji"><svg>`) of a page, in order."""
    spans = lxml.html.fromstring(html).xpath("//span[@class='twemoji']")
    return [span.xpath(".//*[local-name()='path']/@d") for span in spans]


def test_icon_shortcodes_are_the_svgs_material_inlines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material's icon sets and the project's own (`custom_icons`), with MkDocs and Material's
    emoji extension as the oracle; emoji stay Unicode text (Material would load images)."""
    project, _ = built(tmp_path / "icons", ICONS_YML, {"index.md": ICONS_PAGE})
    project.write("overrides/.icons/brand/logo.svg", OWN_ICON)
    result = run_cli("build", str(project.root))
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output
    ours = icon_paths(project.read("site/index.html"))
    monkeypatch.chdir(project.root)
    mkdocs_build(mkdocs_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "mkdocs-site")))
    assert ours == icon_paths((tmp_path / "mkdocs-site" / "index.html").read_text()) and len(ours) == 4
    assert ours[3] == ["M2 2h20v20H2z"] and "😄" in project.read("site/index.html")


BARE_ADDRESSES = """# Addresses

Plain https://example.com/docs, a www.example.org address, and mail to me@example.com.
In parentheses (https://example.com/a_b) and at the end of a sentence https://example.com/end.
Already a link: [text](https://example.com/linked) and <https://example.com/angle>.
Code stays code: `https://example.com/code`.

- a list item with http://example.net/list?a=1&b=2
"""


def test_bare_addresses_become_the_links_magiclink_makes(tmp_path: Path) -> None:
    """pymdownx.magiclink (uv's and Material's usual configuration) links bare addresses;
    Python-Markdown with magiclink is the oracle."""
    mkdocs_yml = "site_name: Links\nmarkdown_extensions:\n  - pymdownx.magiclink\n"
    project, result = built(tmp_path / "magic", mkdocs_yml, {"index.md": BARE_ADDRESSES})
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output
    prose = lxml.html.fromstring(project.read("site/index.html")).xpath("//div[@class='prose']")[0]
    ours = [href for href in prose.xpath(".//a/@href") if not href.startswith("#")]
    oracle = markdown.markdown(BARE_ADDRESSES, extensions=["pymdownx.magiclink"])
    theirs = lxml.html.fromstring(oracle).xpath("//a/@href")
    assert ours == theirs and len(ours) == 8


def test_redirect_maps_become_redirect_pages(handbook: tuple[Project, str]) -> None:
    project, _ = handbook
    redirect = project.read("public/old_setup/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../guide/setup_steps/#site_name">' in redirect


def test_a_public_docs_site_has_no_playbook_views(handbook: tuple[Project, str]) -> None:
    project, _ = handbook
    site = project.root / "public"
    for view in ("campaigns", "people", "results", "reviews", "tags", "newsletters"):
        assert not (site / view).exists(), view
    assert not (site / "campaigns.ics").exists()
    home = project.read("public/index.html")
    for absent in ("views-nav", "No campaign is running", "No newsletter", "Share this page", "noindex"):
        assert absent not in home, absent
    assert "Share this page" not in project.read("public/about/index.html")
    robots = project.read("public/robots.txt")
    assert "Disallow: /" not in robots and "Sitemap: https://docs.example.com/handbook/sitemap.xml" in robots


def test_use_directory_urls_false_gives_html_files(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n\n[Setup](guide/Set_Up.md)\n", "guide/Set_Up.md": "# Set up\n"}
    project, result = built(tmp_path / "flat", "site_name: Flat\nuse_directory_urls: false\n", pages)
    assert result.exit_code == 0
    assert (project.root / "site/guide/Set_Up.html").is_file()
    assert 'href="guide/Set_Up.html"' in project.read("site/index.html")


def test_codehilite_linenums_numbers_every_code_block(tmp_path: Path) -> None:
    config = "site_name: Lines\nmarkdown_extensions:\n  - codehilite:\n      linenums: true\n"
    project, result = built(tmp_path / "lines", config, {"index.md": "# Lines\n\n```python\na = 1\nb = 2\n```\n"})
    assert result.exit_code == 0
    assert re.findall(r'data-linenos="(\d+)"', project.read("site/index.html")) == ["1", "2"]


def test_readme_beside_index_is_left_out_with_a_warning(tmp_path: Path) -> None:
    pages = {"index.md": "# Index\n", "README.md": "# Readme\n"}
    project, result = built(tmp_path / "both", "site_name: Both\n", pages)
    assert result.exit_code == 0
    assert "docs/README.md: warning: left out: index.md in the same folder is the folder's page" in result.output
    assert "<h1>Index</h1>" in project.read("site/index.html")


def test_nav_entry_to_a_missing_page_is_a_warning(tmp_path: Path) -> None:
    _, result = built(
        tmp_path / "navmiss", "site_name: N\nnav:\n  - index.md\n  - Gone: gone.md\n", {"index.md": "# Home\n"}
    )
    assert result.exit_code == 0
    assert "mkdocs.yml: nav: warning: nav: 'gone.md' is not a page in the content folder" in result.output


def test_playbook_yml_wins_over_mkdocs_yml(tmp_path: Path) -> None:
    project = Project(tmp_path / "both")
    project.write("mkdocs.yml", "site_name: From MkDocs\n")
    project.write("playbook.yml", "site_name: From Playbook\n")
    project.write("content/index.md", "---\ntitle: Home\n---\n")
    assert run_cli("build", str(project.root)).exit_code == 0
    assert "From Playbook" in project.read("site/index.html")


def test_an_invalid_mkdocs_yml_is_reported_not_raised(tmp_path: Path) -> None:
    project, result = built(tmp_path / "bad", "site_name: X\nnav: [\n", {"index.md": "# Home\n"})
    assert result.exit_code == 1
    assert result.output.startswith("mkdocs.yml:3: invalid YAML")
    project.write("mkdocs.yml", "site_url: 12\n")
    result = run_cli("build", str(project.root))
    assert result.exit_code == 1 and "mkdocs.yml: site_name:" in result.output


def test_python_tags_are_never_imported(tmp_path: Path) -> None:
    yml = "site_name: T\nextra:\n  x: !!python/object/apply:os.system ['exit 3']\n  y: !!python/name:no.such.module\n"
    _, result = built(tmp_path / "tags", yml, {"index.md": "# Home\n"})
    assert result.exit_code == 0


def test_titles_stay_required_in_playbook_projects(project: Project) -> None:
    project.write("content/untitled.md", "# A heading\n")
    result = project.cli("check")
    assert result.exit_code == 1 and "content/untitled.md: title: is required" in result.output


def test_outline_from_nested_nav() -> None:
    outline = outline_from_nav(
        [{"Home": "index.md"}, {"Guide": ["guide/a.md", {"Deep": ["guide/deep/"]}]}, {"Ext": "https://x.org"}]
    )
    found = NavOutline.model_validate(outline)
    assert found.items == [
        NavItem(title="Home", path="index.md"),
        NavItem(
            title="Guide",
            children=[NavItem(path="guide/a.md"), NavItem(title="Deep", children=[NavItem(path="guide/deep/")])],
        ),
        NavItem(title="Ext", url="https://x.org"),
    ]
    assert found.order == ["index.md", "guide/a.md", "guide/deep/"]


def test_public_false_keeps_a_site_with_site_url_internal(tmp_path: Path) -> None:
    yml = "site_name: I\nsite_url: https://intra.example.com/\npublic: false\n"
    project, result = built(tmp_path / "internal", yml, {"index.md": "# Home\n"})
    assert result.exit_code == 0
    assert '<meta name="robots" content="noindex, nofollow">' in project.read("site/index.html")
    assert project.read("site/robots.txt") == "User-agent: *\nDisallow: /\n"


def test_link_levels_can_be_set_in_playbook_yml(project: Project) -> None:
    project.write("playbook.yml", "site_name: P\nlinks: {not_found: warning, anchors: ignore}\n")
    project.page("a.md", "title: A", "[gone](gone.md) [anchor](index.md#nowhere)\n")
    result = project.cli("build")
    assert result.exit_code == 0
    assert "content/a.md:4: link: warning: link to missing document 'gone.md'" in result.output
    assert "nowhere" not in result.output
