"""`playbook serve`: live rebuilds on save, the error overlay, drafts, and the user's site/ left alone."""

from __future__ import annotations

import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.commands.serve import OVERLAY_ID, PreviewServer
from tests.conftest import BASIC_CONFIG, Project

VERSION = re.compile(r"\}\)\((\d+), \d+\);")
"""The version of the preview a served page shows, from its live-reload script."""
SCRIPT = re.compile(r"<script>\n\(function \(version, tab\).*?</script>", re.DOTALL)
"""The live-reload script the preview adds to every page."""
HANG = 600
"""Seconds after which a test gives up on a server that hangs (not a speed limit: see benchmarks/)."""


@contextmanager
def serving(project: Project, printed: list[str] | None = None) -> Iterator[PreviewServer]:
    """The project served on a free loopback port; what it prints goes to `printed`."""
    printed = printed if printed is not None else []
    server = PreviewServer(project.root, "127.0.0.1", 0, echo=printed.append)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert server.ready.wait(HANG), printed
        yield server
    finally:
        server.shutdown(wait=True)
        thread.join(5)


@pytest.fixture
def served(project: Project) -> Iterator[tuple[PreviewServer, list[str]]]:
    """The project served, with what it printed."""
    printed: list[str] = []
    with serving(project, printed) as server:
        yield server, printed


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=HANG) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, condition: Callable[[str], bool]) -> str:
    """The served page once it satisfies `condition`. Between looks, it waits as an open tab
    does: its live-reload request is answered when the preview has a newer version."""
    _, text = fetch(url)
    while not condition(text):
        version = int(VERSION.search(text)[1])  # type: ignore[index]
        base = url[: url.index("/", len("http://"))]
        _, newer = fetch(f"{base}/livereload/{version}/1")
        assert int(newer) > version, f"{url} did not change for a minute; last HTML:\n{text[-2000:]}"
        _, text = fetch(url)
    return text


def test_an_edit_shows_up_in_the_served_page(project: Project, served: tuple[PreviewServer, list[str]]) -> None:
    server, _ = served
    project.page("guide.md", "title: Guide", "First version.\n")
    wait_for(server.url + "guide/", lambda html: "First version." in html)
    project.page("guide.md", "title: Guide", "Second version of the text.\n")
    wait_for(server.url + "guide/", lambda html: "Second version of the text." in html)
    _, home = fetch(server.url)
    assert "/livereload/" in home, "the live-reload script is injected into served pages"


def test_an_error_shows_the_overlay_and_a_fix_clears_it(
    project: Project, served: tuple[PreviewServer, list[str]]
) -> None:
    server, printed = served
    project.page("guide.md", "title: Guide", "Good text.\n")
    wait_for(server.url + "guide/", lambda html: "Good text." in html)

    project.page("guide.md", "title: Guide\ntype: campaign\nstart: 2026-05-01\nend: 2026-04-01", "Broken.\n")
    html = wait_for(server.url + "guide/", lambda html: OVERLAY_ID in html)
    assert "content/guide.md:5: end: end (2026-04-01) is before start (2026-05-01)" in html
    assert "Good text." in html, "the last good page stays visible under the overlay"
    assert any("content/guide.md:5" in line and "before start" in line for line in printed)

    status, missing = fetch(server.url + "no-such-page/")
    assert status == 404 and OVERLAY_ID in missing and "/livereload/" in missing

    project.page("guide.md", "title: Guide\ntype: campaign\nstart: 2026-05-01\nend: 2026-06-01", "Fixed.\n")
    html = wait_for(server.url + "guide/", lambda html: "Fixed." in html and OVERLAY_ID not in html)


def test_a_file_the_system_refuses_shows_its_reason_in_the_overlay(
    project: Project, served: tuple[PreviewServer, list[str]]
) -> None:
    """The preview writes in place: a name too long for the file system is an error the
    editor can act on, not an internal error."""
    server, printed = served
    project.page("guide.md", "title: Guide", "Good text.\n")
    wait_for(server.url + "guide/", lambda html: "Good text." in html)
    slug = "-".join(["a-very-long-address"] * 15)  # 299 characters: more than a file name may have
    project.page("long.md", f"title: Long\nslug: {slug}", "Too long a name.\n")
    html = wait_for(server.url + "guide/", lambda html: OVERLAY_ID in html)
    assert f"content/long.md: could not write site/{slug}/index.html: File name too long" in html
    assert "internal error" not in html and "Good text." in html
    assert any("File name too long" in line for line in printed)
    project.page("long.md", "title: Long\nslug: shorter", "Now it fits.\n")
    wait_for(server.url + "shorter/", lambda html: "Now it fits." in html and OVERLAY_ID not in html)


def test_an_edited_snippet_shows_up_in_the_pages_that_include_it(project: Project) -> None:
    """Snippet folders (`snippets_base`) are watched like the content."""
    project.write("playbook.yml", BASIC_CONFIG + "markdown: {snippets_base: [includes]}\n")
    project.write("includes/note.md", "First note.\n")
    project.page("guide.md", "title: Guide", '--8<-- "note.md"\n')
    with serving(project) as server:
        wait_for(server.url + "guide/", lambda html: "First note." in html)
        project.write("includes/note.md", "Second note.\n")
        wait_for(server.url + "guide/", lambda html: "Second note." in html)


def test_a_broken_project_at_start_still_serves_the_overlay(project: Project) -> None:
    project.page("index.md", "title: [unclosed", "Body.\n")
    with serving(project) as server:
        status, html = fetch(server.url)
        assert status == 404 and OVERLAY_ID in html and "content/index.md:2: title: the value of title opens" in html
        project.page("index.md", "title: Home", "Repaired home.\n")
        wait_for(server.url, lambda html: "Repaired home." in html and OVERLAY_ID not in html)


def test_drafts_are_served_marked_and_site_is_untouched(
    project: Project, served: tuple[PreviewServer, list[str]]
) -> None:
    server, _ = served
    project.page("plan.md", "title: Secret plan\ndraft: true", "Not yet.\n")
    html = wait_for(server.url + "plan/", lambda html: "Not yet." in html)
    assert "notice-draft" in html
    assert not (project.root / "site").exists(), "serve builds into a temporary folder, not site/"


def test_config_change_rebuilds(project: Project, served: tuple[PreviewServer, list[str]]) -> None:
    server, _ = served
    project.write("playbook.yml", "site_name: Renamed Playbook\n")
    wait_for(server.url, lambda html: "Renamed Playbook" in html)


def test_serve_command_reports_a_busy_port(project: Project) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = project.cli("serve", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 1
    assert "cannot listen" in result.output


def test_a_deleted_page_disappears_from_the_preview(project: Project, served: tuple[PreviewServer, list[str]]) -> None:
    server, _ = served
    page = project.page("guides/old.md", "title: Old Guide", "Soon gone.\n")
    wait_for(server.url + "guides/old/", lambda html: "Soon gone." in html)
    page.unlink()
    wait_for(server.url + "guides/old/", lambda html: "Soon gone." not in html)
    assert not (server.output / "site" / "guides" / "old").exists()


def test_search_index_follows_the_preview_in_the_background(
    project: Project, served: tuple[PreviewServer, list[str]]
) -> None:
    server, printed = served
    project.page("guide.md", "title: Guide", "First version.\n")
    wait_for(server.url + "guide/", lambda html: "First version." in html)
    server.search.wait(HANG)
    entry = server.output / "site" / "pagefind" / "pagefind-entry.json"
    assert entry.is_file(), printed
    before = entry.read_bytes()
    project.page("guide.md", "title: Guide", "A quite different text about bicycles.\n")
    wait_for(server.url + "guide/", lambda html: "bicycles" in html)
    server.search.wait(HANG)
    assert entry.read_bytes() != before, "the index was rebuilt for the new text"


def test_the_preview_serves_the_bytes_a_build_writes(tmp_path) -> None:
    """The example playbook through `serve` is `playbook build --drafts`, plus the reload script."""
    repo, root = Path(__file__).resolve().parent.parent, tmp_path / "example"
    shutil.copytree(repo / "content", root / "content")
    shutil.copy(repo / "playbook.yml", root)
    build(root, BuildOptions(drafts=True, output_dir=tmp_path / "built", cache=False))
    built = tmp_path / "built" / "site"
    server = PreviewServer(root, "127.0.0.1", 0, echo=lambda line: None)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert server.ready.wait(HANG)
        pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
        assert len(pages) > 100
        for rel in pages:
            status, served = fetch(server.url + quote(rel))
            assert status == 200, rel
            assert SCRIPT.sub("", served) == (built / rel).read_text(encoding="utf-8"), rel
    finally:
        server.shutdown(wait=True)
        thread.join(5)
