"""The build cache is correct, not just fast: whatever a page shows changes, the page is
rendered again; unchanged files keep their mtime; deleted pages disappear."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.errors import BuildFailed
from generator.site.theme import BUILTIN_THEME

DAY = dt.date(2026, 11, 20)


def run(root: Path, **options: object) -> None:
    build(root, BuildOptions(build_date=DAY, jobs=1, **options))  # type: ignore[arg-type]


def stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def pages_containing(site: Path, text: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if text in p.read_text(encoding="utf-8")}


@pytest.fixture
def playbook(project):
    project.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "## Setup\n\nSee [beta](beta.md#usage).\n")
    project.page("guides/beta.md", "title: Beta Guide", "## Usage\n\nUse it.\n")
    project.page("guides/gamma.md", "title: Gamma Guide", "Plain page.\n")
    run(project.root)
    return project


def test_noop_rebuild_rewrites_nothing(playbook) -> None:
    site = playbook.root / "site"
    before = stamps(site)
    run(playbook.root)
    assert stamps(site) == before


def test_body_edit_rewrites_only_that_page(playbook) -> None:
    site = playbook.root / "site"
    before = stamps(site)
    old = (playbook.root / "content/guides/gamma.md").stat()
    playbook.page("guides/gamma.md", "title: Gamma Guide", "Plain page, edited.\n")
    # the same time as before: a newer one would move the page up "Recently changed" on the home page
    os.utime(playbook.root / "content/guides/gamma.md", ns=(old.st_atime_ns, old.st_mtime_ns))
    run(playbook.root)
    after = stamps(site)
    changed = {path for path in after if after[path] != before.get(path)}
    assert "guides/gamma/index.html" in changed
    assert "guides/alpha/index.html" not in changed and "index.html" not in changed
    assert "Plain page, edited." in playbook.read("site/guides/gamma/index.html")


def test_title_change_reaches_every_page_that_shows_it(playbook) -> None:
    site = playbook.root / "site"
    showing = pages_containing(site, "Beta Guide")
    assert {"guides/alpha/index.html", "guides/gamma/index.html"} <= showing
    playbook.page("guides/beta.md", "title: Beta Handbook", "## Usage\n\nUse it.\n")
    run(playbook.root)
    assert pages_containing(site, "Beta Guide") == set()
    assert showing <= pages_containing(site, "Beta Handbook")


def test_template_change_rerenders_pages(playbook) -> None:
    page = (BUILTIN_THEME / "templates" / "page.html").read_text(encoding="utf-8")
    playbook.write("themes/templates/page.html", page.replace('<div class="prose">', '<div class="prose" data-x="1">'))
    run(playbook.root)
    assert 'data-x="1"' in playbook.read("site/guides/alpha/index.html")


def test_configuration_change_rerenders_pages(playbook) -> None:
    config = playbook.read("playbook.yml").replace("Test Playbook", "Renamed Playbook")
    playbook.write("playbook.yml", config)
    run(playbook.root)
    site = playbook.root / "site"
    assert pages_containing(site, "Test Playbook") == set()
    assert "guides/beta/index.html" in pages_containing(site, "Renamed Playbook")


def test_people_change_rerenders_the_pages_naming_them(playbook) -> None:
    assert "Ana Torres" in playbook.read("site/guides/alpha/index.html")
    playbook.write("content/people.yml", playbook.read("content/people.yml").replace("Ana Torres", "Ana Ruiz"))
    run(playbook.root)
    assert "Ana Ruiz" in playbook.read("site/guides/alpha/index.html")
    assert pages_containing(playbook.root / "site", "Ana Torres") == set()


def test_deleted_page_disappears_everywhere(playbook) -> None:
    (playbook.root / "content" / "guides" / "gamma.md").unlink()
    run(playbook.root)
    site = playbook.root / "site"
    assert not (site / "guides" / "gamma").exists()
    assert pages_containing(site, "Gamma Guide") == set()


def test_removed_heading_breaks_the_cached_page_that_links_to_it(playbook) -> None:
    playbook.page("guides/beta.md", "title: Beta Guide", "## Other\n\nUse it.\n")
    with pytest.raises(BuildFailed) as failed:
        run(playbook.root)
    messages = [str(p) for p in failed.value.problems.errors]
    assert any("guides/alpha.md" in m and "#usage" in m for m in messages), messages


def test_renamed_target_updates_the_link_in_an_unchanged_page(playbook) -> None:
    playbook.page("guides/beta.md", "title: Beta Guide\nslug: beta-two", "## Usage\n\nUse it.\n")
    run(playbook.root)
    assert 'href="../beta-two/#usage"' in playbook.read("site/guides/alpha/index.html")


def test_cached_build_equals_a_fresh_one(playbook, tmp_path: Path) -> None:
    playbook.page("guides/gamma.md", "title: Gamma Guide", "Edited [alpha](alpha.md).\n")
    run(playbook.root)
    cached = {p: (playbook.root / "site" / p).read_bytes() for p in stamps(playbook.root / "site")}
    run(playbook.root, cache=False)
    fresh = {p: (playbook.root / "site" / p).read_bytes() for p in stamps(playbook.root / "site")}
    assert cached == fresh


def test_damaged_cache_is_ignored(playbook) -> None:
    (playbook.root / ".playbook-cache" / "build-cache.pickle").write_bytes(b"not a pickle")
    run(playbook.root)
    assert "Alpha Guide" in playbook.read("site/guides/alpha/index.html")


def test_missing_output_file_is_written_again(playbook) -> None:
    (playbook.root / "site" / "guides" / "beta" / "index.html").unlink()
    run(playbook.root)
    assert "Beta Guide" in playbook.read("site/guides/beta/index.html")


@pytest.fixture
def with_issue(playbook):
    playbook.page(
        "news/issue-1.md",
        "title: Issue One\ntype: newsletter\ndate: 2026-11-02\nsubject: Hello\nfeatured: [guides/beta.md]",
        "Read [alpha](../guides/alpha.md) this week.\n",
    )
    run(playbook.root)
    return playbook


def test_unchanged_newsletter_keeps_its_files(with_issue) -> None:
    newsletters = with_issue.root / "newsletters"
    before = stamps(newsletters)
    assert "issue-1/email.html" in before and "issue-1/message.eml" in before
    with_issue.page("guides/gamma.md", "title: Gamma Guide", "Plain page, edited.\n")
    run(with_issue.root)
    assert stamps(newsletters) == before


def test_featured_title_change_reaches_the_newsletter(with_issue) -> None:
    assert "Beta Guide" in with_issue.read("newsletters/issue-1/email.html")
    with_issue.page("guides/beta.md", "title: Beta Handbook", "## Usage\n\nUse it.\n")
    run(with_issue.root)
    for name in ("email.html", "email.txt"):
        text = with_issue.read(f"newsletters/issue-1/{name}")
        assert "Beta Handbook" in text and "Beta Guide" not in text


def test_link_target_moving_reaches_the_newsletter_and_feed(with_issue) -> None:
    with_issue.page("guides/alpha.md", "title: Alpha Guide\nslug: alpha-two", "## Setup\n\nSee [beta](beta.md).\n")
    run(with_issue.root)
    for rel in ("newsletters/issue-1/email.txt", "site/newsletters/feed.xml"):
        text = with_issue.read(rel)
        assert "guides/alpha-two/" in text and "guides/alpha/" not in text, rel


def test_newsletter_lint_warnings_are_reported_again_from_the_cache(with_issue) -> None:
    with_issue.page(
        "news/issue-1.md",
        "title: Issue One\ntype: newsletter\ndate: 2026-11-02\nsubject: Hello",
        "![](missing-alt.png)\n",
    )
    with_issue.write("content/news/missing-alt.png", "png")
    first = build(with_issue.root, BuildOptions(build_date=DAY, jobs=1))
    second = build(with_issue.root, BuildOptions(build_date=DAY, jobs=1))
    assert any("alt" in str(p) for p in first.warnings), first.warnings
    assert [str(p) for p in first.warnings] == [str(p) for p in second.warnings]


def test_campaign_change_reaches_the_calendar_feed(playbook) -> None:
    playbook.page("campaigns/spring.md", "title: Spring Push\ntype: campaign\nstart: 2026-03-01\nend: 2026-03-31")
    run(playbook.root)
    stamp = (playbook.root / "site" / "campaigns.ics").stat().st_mtime_ns
    run(playbook.root)
    assert (playbook.root / "site" / "campaigns.ics").stat().st_mtime_ns == stamp
    playbook.page("campaigns/spring.md", "title: Spring Sale\ntype: campaign\nstart: 2026-03-01\nend: 2026-04-02")
    run(playbook.root)
    calendar = playbook.read("site/campaigns.ics")
    assert "Spring Sale" in calendar and "Spring Push" not in calendar and "20260402" in calendar


def test_front_matter_warnings_come_back_from_the_cache(playbook) -> None:
    playbook.page("guides/gamma.md", "title: Gamma Guide\nsumary: typo", "Plain page.\n")
    first = build(playbook.root, BuildOptions(build_date=DAY, jobs=1))
    second = build(playbook.root, BuildOptions(build_date=DAY, jobs=1))
    assert [str(p) for p in first.warnings] == [str(p) for p in second.warnings]
    assert any("did you mean 'summary'" in str(p) for p in second.warnings)


def test_an_edited_front_matter_is_validated_again(playbook) -> None:
    playbook.page("guides/gamma.md", "title: Gamma Guide\nowner: nobody", "Plain page.\n")
    with pytest.raises(BuildFailed) as failed:
        run(playbook.root)
    assert any("unknown person 'nobody'" in str(p) for p in failed.value.problems.errors)
