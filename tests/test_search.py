"""The search index: Pagefind runs on the finished site before it is swapped in, one index
per language, only when `search: true`, and a failure keeps the previous site."""

from __future__ import annotations

import pytest

from generator.build.pipeline import build
from generator.errors import BuildFailed
from generator.site import search

MULTILINGUAL = """\
site_name: Test Playbook
languages: {en: English, bg: Български}
"""


def _write_pages(project) -> None:
    project.page(
        "en/campaigns/winter.md",
        "title: Winter Commute\ntype: campaign\ntags: [winter, commuting]\nstart: 2026-11-02\nend: 2027-01-31",
        "## Idea\n\nStudded tyres for commuters.\n",
    )
    project.page("bg/campaigns/winter.md", "title: Зимно пътуване\ntype: campaign\nstart: 2026-11-02\nend: 2027-01-31")
    project.page("en/index.md", "title: Home", "Welcome.\n")
    project.page("bg/index.md", "title: Начало", "Добре дошли.\n")


def test_build_writes_one_search_index_per_language(make_project):
    project = make_project(config=MULTILINGUAL)
    _write_pages(project)
    build(project.root)
    bundle = project.root / "site" / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file()
    assert (bundle / "pagefind.js").is_file()
    assert {meta.name.split("_")[0] for meta in bundle.glob("pagefind.*.pf_meta")} == {"pagefind.en", "pagefind.bg"}
    campaign = project.read("site/campaigns/winter/index.html")
    assert "data-pagefind-body" in campaign
    assert 'data-pagefind-filter="Type:Campaign"' in campaign
    assert 'data-pagefind-filter="Tag">winter</span>' in campaign
    assert 'data-bundle="../../pagefind/"' in campaign
    assert not list(project.root.glob(".site.*")), "the staging folder is gone after the swap"


def test_search_false_writes_no_index_and_no_search_box(make_project):
    project = make_project(config=MULTILINGUAL + "search: false\n")
    _write_pages(project)
    build(project.root)
    assert not (project.root / "site" / "pagefind").exists()
    home = project.read("site/index.html")
    assert "pagefind" not in home.replace("data-pagefind", "")
    assert 'id="search"' not in home


def test_missing_pagefind_fails_the_build_and_keeps_the_previous_site(project, monkeypatch):
    build(project.root)
    before = project.read("site/index.html")
    project.page("index.md", "title: Changed home", "New text.\n")
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    with pytest.raises(BuildFailed) as failed:
        build(project.root)
    messages = [p.message for p in failed.value.problems.errors]
    assert any("Pagefind is not installed" in m and "search: false" in m for m in messages)
    assert project.read("site/index.html") == before


def test_pagefind_ui_strings_come_from_the_catalog_only_when_translated():
    class Catalog:
        lang = "bg"

        def gettext(self, message: str) -> str:
            return {"Search the playbook": "Търсене в наръчника"}.get(message, message)

    assert search.ui_translations(Catalog()) == {"placeholder": "Търсене в наръчника"}


def test_a_newsletter_failing_while_pagefind_indexes_keeps_the_previous_site(project):
    """E-mails render while Pagefind indexes the staged site: when one fails, the build
    waits for Pagefind, reports the e-mail's error and leaves the published site as it was."""
    project.page("news/one.md", "title: One\ntype: newsletter\nissue: 1\ndate: 2026-01-05", "Hello.\n")
    build(project.root)
    before = project.read("site/index.html")
    project.page("index.md", "title: Changed home", "New text.\n")
    project.write("themes/templates/email/email.html", "<html>{{ missing.attribute }}</html>\n")
    with pytest.raises(BuildFailed) as failed:
        build(project.root)
    assert any("email/email.html" in p.path for p in failed.value.problems.errors)
    assert project.read("site/index.html") == before
    assert not list(project.root.glob(".site.*")), "no staging folder is left behind"


def test_short_link_pages_made_after_the_index_started_are_published(make_project):
    """Short-link redirects come from the e-mails, staged while Pagefind already runs."""
    config = "site_name: Test\nsite_url: https://intranet.example.com/playbook/\ntracking: {short_links: true}\n"
    project = make_project(config=config)
    project.page("index.md", "title: Home", "Welcome.\n")
    project.page(
        "news/one.md", "title: One\ntype: newsletter\nissue: 1\ndate: 2026-01-05", "[It](https://example.org/x).\n"
    )
    build(project.root)
    redirects = [p.read_text(encoding="utf-8") for p in (project.root / "site" / "go").glob("*/index.html")]
    assert any("https://example.org/x" in page for page in redirects)
    assert (project.root / "site" / "pagefind" / "pagefind.js").is_file()
