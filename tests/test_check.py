"""`playbook check`: the JSON report's schema, exit codes and the opt-in external link check
(against a loopback server started here, never the internet)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.conftest import Project

PROBLEM_KEYS = {"path", "line", "field", "message", "severity"}


def check_json(project: Project, *args: str) -> tuple[int, dict]:
    result = project.cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def assert_schema(report: dict) -> None:
    assert set(report) == {"ok", "errors", "warnings", "problems"}
    assert isinstance(report["ok"], bool)
    for problem in report["problems"]:
        assert set(problem) == PROBLEM_KEYS
        assert isinstance(problem["path"], str) and isinstance(problem["message"], str)
        assert problem["line"] is None or isinstance(problem["line"], int)
        assert problem["field"] is None or isinstance(problem["field"], str)
        assert problem["severity"] in ("error", "warning")
    severities = [p["severity"] for p in report["problems"]]
    assert report["errors"] == severities.count("error") and report["warnings"] == severities.count("warning")
    assert report["ok"] is (report["errors"] == 0)


def test_json_report_of_a_valid_project(project: Project) -> None:
    project.page("a.md", "title: A\nsumary: typo", "Fine.\n")
    code, report = check_json(project)
    assert_schema(report)
    assert code == 0 and report["ok"] is True
    assert report["problems"] == [
        {
            "path": "content/a.md",
            "line": 3,
            "field": "sumary",
            "message": "unknown key; did you mean 'summary'?",
            "severity": "warning",
        }
    ]
    assert not (project.root / "site").exists(), "check writes nothing"


def test_json_report_lists_every_error(project: Project) -> None:
    project.page("a.md", "title: A\ntype: campaign\nstart: 2026-01-01\nend: later", "See [b](b.md).\n")
    project.page("b.md", "title: B\nowner: nobody", "")
    code, report = check_json(project)
    assert_schema(report)
    assert code == 1 and report["ok"] is False
    found = {(p["path"], p["line"], p["field"]) for p in report["problems"]}
    assert ("content/a.md", 5, "end") in found and ("content/b.md", 3, "owner") in found


def test_text_report_names_file_line_and_field(project: Project) -> None:
    project.page("a.md", "title: A", "A [missing](nope.md) link.\n")
    result = project.cli("check")
    assert result.exit_code == 1
    assert "content/a.md:4: link: link to missing document 'nope.md'" in result.output
    assert "Check failed: 1 error(s), 0 warning(s)." in result.output


class _LinkTarget(http.server.BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /no-head refuses HEAD but answers GET."""

    def do_HEAD(self) -> None:
        self._answer(405 if self.path == "/no-head" else None)

    def do_GET(self) -> None:
        self._answer(None)

    def _answer(self, forced: int | None) -> None:
        status = forced or (404 if self.path == "/gone" else 200)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def link_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LinkTarget)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_external_links_are_checked_only_when_asked(project: Project, link_server: str) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/x"
    project.page(
        "links.md",
        "title: Links",
        f"""
        [ok]({link_server}/ok) and [again]({link_server}/ok)

        [gone]({link_server}/gone)

        [no head]({link_server}/no-head) ![img]({link_server}/gone)

        [down]({dead})
        """,
    )
    code, report = check_json(project)
    assert code == 0 and report["problems"] == [], "no network without --external"

    code, report = check_json(project, "--external")
    assert_schema(report)
    assert code == 1
    got = {(p["line"], p["severity"], p["message"]) for p in report["problems"]}
    assert got == {
        (6, "error", f"external link answers HTTP 404: {link_server}/gone"),
        (8, "error", f"external link answers HTTP 404: {link_server}/gone"),
        (10, "warning", f"external link could not be reached ([Errno 111] Connection refused): {dead}"),
    }
    assert all(p["path"] == "content/links.md" and p["field"] == "link" for p in report["problems"])
