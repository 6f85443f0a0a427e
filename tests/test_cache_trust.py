"""The cases that made the old cache publish a wrong site: a copied project, a cache restored
in another folder, an output edited by hand, a hostile cache file, an upgraded dependency,
and dates that depended on the machine (fresh clones, time zones, SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import uptodate
from generator.build.cache import CACHE_FILE
from generator.build.pipeline import BuildOptions, Session
from tests.conftest import Project, run_cli

NOTHING_CHANGED = "nothing changed since the last build"
DAY = "2026-11-20"
ALPHA = "site/guides/alpha/index.html"
CAMPAIGN = "title: Spring launch\ntype: campaign\nstart: 2026-03-01\nend: 2026-03-31\nbudget: 1000"


def build(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli("build", "-j", "1", "--build-date", DAY, *args, str(root))
    return result.exit_code, result.output


def check(root: Path) -> int:
    return run_cli("check", "--build-date", DAY, str(root)).exit_code


def outputs(root: Path) -> dict[str, bytes]:
    files = [p for name in ("site", "newsletters") for p in (root / name).rglob("*") if p.is_file()]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if "pagefind" not in p.parts}


@pytest.fixture
def built(project: Project) -> Project:
    project.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "First text.\n")
    project.page("campaigns/spring.md", CAMPAIGN, "The launch.\n")
    assert build(project.root)[0] == 0
    return project


def test_a_page_added_in_a_copied_project_is_built(built: Project, tmp_path: Path) -> None:
    copy = Project(tmp_path / "copy")
    shutil.copytree(built.root, copy.root)
    copy.page("guides/new.md", "title: Brand New", "Fresh.\n")
    code, output = build(copy.root)
    assert code == 0 and NOTHING_CHANGED not in output
    assert "Fresh." in copy.read("site/guides/new/index.html")


def test_a_copy_without_its_site_gets_one(built: Project, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built.root, copy)
    shutil.rmtree(copy / "site")
    assert build(copy)[0] == 0
    assert outputs(copy) == outputs(built.root)


def test_check_and_build_agree_in_a_copy(built: Project, tmp_path: Path) -> None:
    copy = Project(tmp_path / "copy")
    shutil.copytree(built.root, copy.root)
    copy.page("guides/alpha.md", "title: Alpha Guide\nowner: nobody", "First text.\n")
    assert check(copy.root) == build(copy.root)[0] == 1


def test_a_cache_restored_in_another_folder_is_judged_by_content(built: Project, tmp_path: Path) -> None:
    """A CI job restores .playbook-cache/ from another checkout of the same project."""
    other = Project(tmp_path / "ci" / "checkout")
    other.root.mkdir(parents=True)
    for name in ("playbook.yml", "content"):
        copy = shutil.copytree if (built.root / name).is_dir() else shutil.copy2
        copy(built.root / name, other.root / name)
    shutil.copytree(built.root / ".playbook-cache", other.root / ".playbook-cache")
    other.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "Text from the pull request.\n")
    code, output = build(other.root)
    assert code == 0 and NOTHING_CHANGED not in output
    assert "Text from the pull request." in other.read(ALPHA)


def test_an_output_edited_by_hand_is_written_again(built: Project) -> None:
    page = built.root / ALPHA
    original = page.read_bytes()
    before = page.stat()
    page.write_bytes(original.replace(b"First text.", b"Hand edit."))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, output = build(built.root)
    assert code == 0 and NOTHING_CHANGED not in output
    assert page.read_bytes() == original


def test_an_output_edited_by_hand_is_written_again_when_other_pages_changed(built: Project) -> None:
    page = built.root / ALPHA
    original = page.read_bytes()
    page.write_bytes(original.replace(b"First text.", b"Hand edit."))
    built.page("guides/beta.md", "title: Beta", "Another page.\n")
    assert build(built.root)[0] == 0
    assert b"First text." in page.read_bytes() and b"Hand edit." not in page.read_bytes()


@pytest.mark.parametrize("without_cache", [["--no-cache"], "deleted"])
def test_a_build_without_the_cache_keeps_the_files_whose_bytes_are_the_same(
    built: Project, without_cache: list[str] | str
) -> None:
    """A host that syncs site/ (rsync, S3) uploads only what changed, even after a build
    that could not use the cache; a file edited by hand is still written again."""
    spring, alpha = built.root / "site/campaigns/spring/index.html", built.root / ALPHA
    before = spring.stat()
    alpha.write_bytes(alpha.read_bytes().replace(b"First text.", b"Hand edit."))
    built.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "Second text.\n")
    if without_cache == "deleted":
        shutil.rmtree(built.root / ".playbook-cache")
    assert build(built.root, *([] if without_cache == "deleted" else without_cache))[0] == 0
    after = spring.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert b"Second text." in alpha.read_bytes() and b"Hand edit." not in alpha.read_bytes()
    fresh = built.root.parent / "fresh"
    shutil.copytree(built.root / "content", fresh / "content")
    shutil.copy(built.root / "playbook.yml", fresh / "playbook.yml")
    assert build(fresh, "--no-cache")[0] == 0
    assert outputs(built.root) == outputs(fresh)


def test_a_file_added_by_hand_to_the_site_is_removed(built: Project) -> None:
    (built.root / "site" / "stray.html").write_text("not from the content", encoding="utf-8")
    code, output = build(built.root)
    assert code == 0 and NOTHING_CHANGED not in output
    assert not (built.root / "site" / "stray.html").exists()


class Payload:
    """Unpickling this creates a file: what a hostile cache committed in a pull request does."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (shutil.copy, (__file__, str(self.marker)))


HOSTILE_JSON = '[6, {"record": ["os.system", "touch MARKER"]}, {"map": []}]'


@pytest.mark.parametrize("name", ["build-cache.pickle", CACHE_FILE])
def test_a_hostile_cache_runs_nothing_and_the_build_succeeds(built: Project, tmp_path: Path, name: str) -> None:
    marker = tmp_path / "pwned"
    cache = built.root / ".playbook-cache"
    if name.endswith(".pickle"):
        (cache / name).write_bytes(pickle.dumps(Payload(marker)))
    else:
        (cache / name).write_text(HOSTILE_JSON.replace("MARKER", str(marker)), encoding="utf-8")
    built.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "Second text.\n")
    code, output = build(built.root)
    assert code == 0, output
    assert not marker.exists()
    warnings = [line for line in output.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f".playbook-cache/{name}: warning: ")
    assert "Second text." in built.read(ALPHA)


def test_a_corrupt_cache_gives_one_warning_and_a_full_build(built: Project) -> None:
    (built.root / ".playbook-cache" / CACHE_FILE).write_bytes(b"\x00\xff not json")
    built.page("guides/alpha.md", "title: Alpha Guide\nowner: ana", "Third text.\n")
    code, output = build(built.root)
    assert code == 0
    warnings = [line for line in output.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f".playbook-cache/{CACHE_FILE}: warning: ")
    assert "Third text." in built.read(ALPHA)


def test_a_dependency_upgrade_builds_again(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert NOTHING_CHANGED in build(built.root)[1]
    installed = uptodate.dependency_versions()
    upgraded = {**installed, "Jinja2": installed["Jinja2"] + ".post1"}
    monkeypatch.setattr(uptodate, "dependency_versions", lambda: upgraded)
    uptodate.code_version.cache_clear()
    try:
        code, output = build(built.root)
        assert code == 0 and NOTHING_CHANGED not in output
        assert NOTHING_CHANGED in build(built.root)[1]
    finally:
        uptodate.code_version.cache_clear()


def test_the_same_sources_give_the_same_bytes_anywhere(built: Project, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "deeper"
    other.mkdir(parents=True)
    for name in ("playbook.yml", "content"):
        copy = shutil.copytree if (built.root / name).is_dir() else shutil.copy2
        copy(built.root / name, other / name)
    assert build(other, "--no-cache")[0] == 0
    assert outputs(other) == outputs(built.root)


def git(root: Path, *args: str, when: str = "2024-03-05T23:30:00Z") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_GLOBAL": os.devnull}
    identity = ["-c", "user.name=Ana", "-c", "user.email=ana@example.org", "-c", "init.defaultBranch=main"]
    subprocess.run(["git", *identity, *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fresh_clone_shows_commit_dates_in_the_site_time_zone(built: Project, tmp_path: Path) -> None:
    built.write("playbook.yml", built.read("playbook.yml") + "timezone: Europe/Helsinki\n")
    built.write(".gitignore", "site/\nnewsletters/\n.playbook-cache/\n")
    git(built.root, "init", "-q")
    git(built.root, "add", ".")
    git(built.root, "commit", "-q", "-m", "First version")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(built.root), str(clone)], check=True, capture_output=True)
    assert build(clone)[0] == 0
    page = (clone / ALPHA).read_text(encoding="utf-8")
    assert '<time datetime="2024-03-06">' in page, "23:30 UTC is the next day in Helsinki"
    sitemap = (clone / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "guides/alpha/</loc><lastmod>2024-03-06</lastmod>" in sitemap
    calendar = (clone / "site" / "campaigns.ics").read_text(encoding="utf-8")
    assert "DTSTAMP:20240305T233000Z" in calendar

    (clone / "content" / "guides" / "alpha.md").write_text("---\ntitle: Alpha Guide\n---\nEdited.\n")
    os.utime(clone / "content" / "guides" / "alpha.md", (1_780_000_000, 1_780_000_000))
    assert build(clone)[0] == 0
    assert '<time datetime="2026-05-28">' in (clone / ALPHA).read_text(encoding="utf-8"), "uncommitted: the file's time"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_serve_dates_follow_each_commit_amend_checkout_and_reset(built: Project, tmp_path: Path) -> None:
    """Serve reads the git history again only when it changed: every change shows at once."""
    built.write(".gitignore", "site/\nnewsletters/\n.playbook-cache/\n")
    git(built.root, "init", "-q")
    git(built.root, "add", ".")
    git(built.root, "commit", "-q", "-m", "First version")
    preview = tmp_path / "preview"
    session = Session(built.root, BuildOptions(drafts=True, output_dir=preview, live=True, jobs=1))
    session.run()

    def shown() -> str:
        session.rebuild([])
        page = (preview / ALPHA).read_text(encoding="utf-8")
        return page.split('<time datetime="', 1)[1][:10]

    assert shown() == "2024-03-05"
    built.write("content/guides/alpha.md", "---\ntitle: Alpha Guide\nowner: ana\n---\nSecond text.\n")
    git(built.root, "commit", "-q", "-a", "-m", "Second", when="2025-01-02T10:00:00Z")
    assert shown() == "2025-01-02"
    git(built.root, "commit", "-q", "--amend", "-m", "Second, amended", when="2025-02-03T10:00:00Z")
    assert shown() == "2025-02-03"
    git(built.root, "checkout", "-q", "HEAD~1")
    assert shown() == "2024-03-05"
    git(built.root, "checkout", "-q", "main")
    assert shown() == "2025-02-03"
    git(built.root, "reset", "-q", "--hard", "HEAD~1")
    assert shown() == "2024-03-05"


def test_source_date_epoch_caps_dates_and_gives_identical_builds(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = tmp_path / "other"
    shutil.copytree(built.root / "content", other / "content")
    shutil.copy(built.root / "playbook.yml", other / "playbook.yml")
    for path in (other / "content").rglob("*.md"):
        os.utime(path, (1_750_000_000, 1_750_000_000))
    for root in (built.root, other):
        assert run_cli("build", "-j", "1", "--no-cache", str(root)).exit_code == 0
    assert outputs(other) == outputs(built.root)
    calendar = (other / "site" / "campaigns.ics").read_text(encoding="utf-8")
    assert "DTSTAMP:20231114T221320Z" in calendar
    assert '<time datetime="2023-11-14">' in (other / ALPHA).read_text(encoding="utf-8")


def test_an_unknown_time_zone_is_an_error_naming_its_line(project: Project) -> None:
    project.write("playbook.yml", project.read("playbook.yml") + "timezone: Mars/Base\n")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "playbook.yml:3: timezone: 'Mars/Base' is not an IANA time zone" in result.output
