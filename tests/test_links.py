"""Links between documents: `.md` paths become relative URLs; broken targets are errors."""

from __future__ import annotations

import unicodedata

from tests.linkcheck import broken_links


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _strategy(project):
    project.page(
        "strategy/plan.md",
        "title: Plan\ntype: strategy",
        "## Goals\n\nGrow.\n\n## Цели и мерки\n\nТекст.\n",
    )


def test_relative_md_links_become_relative_urls_with_anchors(project):
    _strategy(project)
    project.page(
        "campaigns/spring.md",
        "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31",
        "See [the plan](../strategy/plan.md#goals), [цели](/strategy/plan.md#цели-и-мерки) and [home](../index.md).\n",
    )
    assert project.cli("build").exit_code == 0
    html = project.read("site/campaigns/spring/index.html")
    assert 'href="../../strategy/plan/#goals"' in html
    assert 'href="../../strategy/plan/#%D1%86%D0%B5%D0%BB%D0%B8-%D0%B8-%D0%BC%D0%B5%D1%80%D0%BA%D0%B8"' in html
    assert 'href="../../"' in html
    assert broken_links(project.root / "site") == []


def test_missing_document_and_missing_anchor_are_errors_with_lines(project):
    _strategy(project)
    project.page(
        "a.md",
        "title: A",
        "First line.\n\nA [gone](missing.md) link.\n\nAn [anchor](strategy/plan.md#nope) link.\n",
    )
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/a.md:6: link: link to missing document 'missing.md'" in result.output
    assert "content/a.md:8: link: no heading #nope in content/strategy/plan.md (headings: goals" in result.output


def test_links_outside_the_content_folder_are_refused(project):
    project.page("a.md", "title: A", "[x](../../etc/passwd)\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "'../../etc/passwd' points outside the content folder" in result.output


def test_images_beside_markdown_are_copied_and_linked(project):
    (project.root / "content/campaigns/img").mkdir(parents=True)
    (project.root / "content/campaigns/img/poster.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    project.page(
        "campaigns/spring.md",
        "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31",
        "![Poster of the spring ride](img/poster.png)\n",
    )
    assert project.cli("build").exit_code == 0
    html = project.read("site/campaigns/spring/index.html")
    assert 'src="../img/poster.png" alt="Poster of the spring ride"' in html
    assert (project.root / "site/campaigns/img/poster.png").read_bytes().endswith(b"fake")


def test_external_and_mail_links_are_left_alone(project):
    project.page("a.md", "title: A", "[web](https://example.org/a?b=1#c) and [mail](mailto:x@example.org)\n")
    assert project.cli("build").exit_code == 0
    html = project.read("site/a/index.html")
    assert 'href="https://example.org/a?b=1#c"' in html
    assert 'href="mailto:x@example.org"' in html


def test_javascript_urls_are_not_linked(project):
    project.page("a.md", "title: A", "[click](javascript:alert(1))\n")
    assert project.cli("build").exit_code == 0
    assert 'href="javascript:' not in project.read("site/a/index.html")


def test_folder_links_go_to_the_section_page_and_a_folder_without_documents_is_an_error(project):
    project.page("guides/deep/c.md", "title: Charlie")
    project.page("a.md", "title: A", "[Guides](guides/), [deep](guides/deep) and [home](./).\n\n[Gone](nowhere/)\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/a.md:6: link: link to missing file 'nowhere/'" in result.output
    project.page("a.md", "title: A", "[Guides](guides/), [deep](guides/deep) and [home](./).\n")
    assert project.cli("build").exit_code == 0
    html = project.read("site/a/index.html")
    assert 'href="../guides/">Guides<' in html
    assert 'href="../guides/deep/">deep<' in html
    assert 'href="../">home<' in html
    assert broken_links(project.root / "site") == []


def test_decomposed_file_names_as_macos_writes_them_get_the_same_urls_and_links(project):
    """`café.md` saved with a decomposed é (NFD) is the same document as one saved in NFC."""
    project.page(nfd("café.md"), "title: Café", "## Déjà vu\n\nText.\n")
    (project.root / "content" / nfd("crème.png")).write_bytes(b"\x89PNG\r\n\x1a\nfake")
    links = f"[NFC](café.md#déjà-vu), [NFD]({nfd('café.md#déjà-vu')}) and ![Crème](crème.png).\n"
    project.page("a.md", "title: A", links)
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    html = project.read("site/a/index.html")
    assert html.count('href="../caf%C3%A9/#d%C3%A9j%C3%A0-vu"') == 2
    assert 'src="../cr%C3%A8me.png"' in html
    site = project.root / "site"
    assert (site / "café" / "index.html").is_file() and (site / "crème.png").is_file()
    assert broken_links(site) == []
