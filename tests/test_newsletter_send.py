"""`playbook newsletter send` against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.newsletter_fixture import ISSUE_BODY, ISSUE_FRONT, config


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accept_secret(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    servers = []

    def start(**options) -> tuple[Inbox, int]:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        servers.append(controller)
        return inbox, controller.port

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def sendable(make_project):
    def make(port: int, extra: str = "") -> object:
        smtp = f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n  timeout: 5\n{extra}"
        project = make_project(config=config() + smtp)
        project.page("index.md", "title: Home", "Welcome.\n")
        project.page("campaigns/spring.md", "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31")
        project.page("newsletters/issue-3.md", ISSUE_FRONT, ISSUE_BODY.replace("#goals", ""))
        assert project.cli("build").exit_code == 0
        return project

    return make


def test_send_delivers_the_built_message(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    result = project.cli("newsletter", "send", "issue-3", "--to", "me@example.org", "--to", "you@example.org")
    assert result.exit_code == 0, result.output
    assert "Sent" in result.output
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "news@example.com"
    assert envelope.rcpt_tos == ["me@example.org", "you@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=default_policy)
    assert message["Subject"] == "Spring is here"
    assert message["To"] == "me@example.org, you@example.org"
    assert message.get_content_type() == "multipart/alternative"
    assert "Book now [1]" in message.get_body(("plain",)).get_content()


def test_send_logs_in_with_the_password_from_the_environment(smtp_server, sendable, monkeypatch):
    inbox, port = smtp_server(authenticator=accept_secret, auth_require_tls=False)
    project = sendable(port, "  user: newsletter\n  password_env: TEST_SMTP_PASSWORD\n")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    refused = project.cli("newsletter", "send", "issue-3", "--to", "me@example.org")
    assert refused.exit_code == 1
    assert "refused the login of 'newsletter': 535" in refused.output
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    assert project.cli("newsletter", "send", "issue-3", "--to", "me@example.org").exit_code == 0
    assert len(inbox.envelopes) == 1


def test_unreachable_server_is_a_clear_error(sendable):
    project = sendable(free_port())
    result = project.cli("newsletter", "send", "issue-3", "--to", "me@example.org")
    assert result.exit_code == 1
    assert "error: cannot reach the SMTP server 127.0.0.1:" in result.output
    assert "Connection refused" in result.output
    assert "Traceback" not in result.output


def test_unknown_issue_names_the_built_ones(sendable):
    project = sendable(free_port())
    result = project.cli("newsletter", "send", "issue-99", "--to", "me@example.org")
    assert result.exit_code == 1
    assert "no built newsletter 'issue-99'" in result.output and "built issues: issue-3" in result.output
