"""Shared fixtures: tiny playbooks in temporary folders, the CLI, a loopback HTTP server and
a headless Chromium (Debian's package; tests skip without it unless CI=true)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.commands.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

EXPECT_TIMEOUT_MS = 15_000  # expect() retries this long: enough for a busy machine

BASIC_CONFIG = """\
site_name: Test Playbook
site_url: https://intranet.example.com/playbook/
"""

BASIC_PEOPLE = """\
ana:
  name: Ana Torres
  role: Head of Digital
  email: ana@example.org
ben:
  name: Ben Okafor
  role: Analyst
"""


@dataclass
class Project:
    """A playbook project in a temporary folder."""

    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def page(self, rel: str, front: str, body: str = "") -> Path:
        """Write content/<rel> with the given front matter lines and body."""
        text = "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + textwrap.dedent(body).lstrip("\n")
        path = self.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def cli(self, *args: str) -> Result:
        """Run `playbook ARGS... ROOT` in-process."""
        return run_cli(*args, str(self.root))


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A minimal valid playbook: config, people and a home page."""
    proj = Project(tmp_path / "pb")
    proj.write("playbook.yml", BASIC_CONFIG)
    proj.write("content/people.yml", BASIC_PEOPLE)
    proj.page("index.md", "title: Home", "Welcome to the playbook.\n")
    return proj


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """Factory for projects with a custom configuration."""

    def make(config: str = BASIC_CONFIG, people: str = BASIC_PEOPLE, name: str = "pb") -> Project:
        proj = Project(tmp_path / name)
        proj.write("playbook.yml", config)
        proj.write("content/people.yml", people)
        return proj

    return make


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 (free port); returns the base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium driven by Playwright. Skips without Chromium, fails under CI."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI=true (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page that records console errors and failed requests (HTTP errors included)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.console_errors = []
    tab.failed_requests = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    # A request cut short by the next navigation is not a failure; an HTTP error is one.
    tab.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED" and tab.failed_requests.append(req.url))
    tab.on("response", lambda resp: resp.status >= 400 and tab.failed_requests.append(f"{resp.status} {resp.url}"))
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


def assert_no_console_errors(tab: object, *, requests: bool = True) -> None:
    """The one check browser tests make of a page they used (the `page` fixture records it):
    no console error, no uncaught exception and, with `requests`, no failed request."""
    assert tab.console_errors == []  # type: ignore[attr-defined]
    if requests:
        assert tab.failed_requests == []  # type: ignore[attr-defined]
