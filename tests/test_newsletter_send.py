# ruff: noqa: F811  (the smtp_server fixture is imported from tests/smtp_fixture.py)
"""`playbook newsletter send` against a real SMTP server (aiosmtpd on 127.0.0.1): test sends,
and list sends that are killed, refused and resumed, each address getting the issue once."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import fcntl
import hashlib
import hmac
import io
import json
import os
import signal
import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from subprocess import PIPE
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from generator.newsletter.listsend import Pacer
from tests.newsletter_fixture import ISSUE_BODY, ISSUE_FRONT, config
from tests.smtp_fixture import free_port, smtp_server  # noqa: F401  (fixture)

SECRET = "test-secret-of-the-unsubscribe-endpoint"
UNSUBSCRIBE = "https://news.example.com/unsubscribe?e={email}&t={token}"
PUBLIC = f"  public_url: https://news.example.com/\n  unsubscribe_url: {UNSUBSCRIBE}\n"


def accept_secret(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


SPANISH_FRONT = ISSUE_FRONT.replace("Spring is here", "Llega la primavera")
SPANISH_FRONT = SPANISH_FRONT.replace("featured: [campaigns/spring.md]\n", "")


@pytest.fixture
def sendable(make_project, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_UNSUBSCRIBE_SECRET", SECRET)

    def make(port: int, extra: str = "", newsletter: str = PUBLIC) -> object:
        smtp = f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n  timeout: 5\n  retry_delay: 0.01\n{extra}"
        settings = config().replace('  unsubscribe: "*|UNSUB|*"\n', newsletter)
        project = make_project(config=settings + smtp)
        project.page("index.md", "title: Home", "Welcome.\n")
        campaign = (
            "title: Spring\ntype: campaign\nstart: 2026-03-01\nend: 2026-05-31\npublic_url: https://shop.example/"
        )
        project.page("campaigns/spring.md", campaign)
        project.page(
            "newsletters/issue-3.md",
            ISSUE_FRONT,
            ISSUE_BODY.replace("#goals", "") + "\nHi {{ name }} from {{ city }}!\n",
        )
        project.page("es/newsletters/issue-3.md", SPANISH_FRONT, "Hola {{ name }}.\n")
        result = project.cli("build")
        assert result.exit_code == 0, result.output
        return project

    return make


def subscribers(project, count: int, extra: str = "") -> Path:
    """`count` subscribers: even ones Spanish, every fifth without a language, one in Finnish (not built)."""
    rows = ["email,name,lang,city"]
    for n in range(count):
        lang = "" if n % 5 == 4 else ("es" if n % 2 == 0 else "en")
        rows.append(f"reader{n}@example.org,Reader {n},{'fi' if n == 7 else lang},Town {n}")
    return project.write("subscribers.csv", "\n".join(rows) + "\n" + extra)


def send_list(project, listing: Path, *options: str):
    return project.cli("newsletter", "send", "issue-3", "--list", str(listing), "--rate", "1000", *options)


def expected_token(address: str) -> str:
    """The README's formula, computed here independently."""
    mac = hmac.new(SECRET.encode(), address.lower().encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def send_log(project) -> list[dict]:
    path = project.root / ".playbook-sends" / "issue-3.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_list_send_gives_each_subscriber_their_language_once_over_one_connection(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    listing = subscribers(project, 30)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = send_list(project, listing)
    after = dt.datetime.now(dt.UTC)
    assert result.exit_code == 0, result.output
    assert "Sent 30, skipped 0, failed 0" in result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in range(30)})
    assert inbox.sessions == 1, "one connection for the whole list"
    ids = set()
    for message in inbox.messages:
        address = message["To"].addresses[0]
        n = int(address.addr_spec.removeprefix("reader").split("@")[0])
        spanish = n % 2 == 0 and n % 5 != 4 and n != 7
        assert message["Content-Language"] == ("es" if spanish else "en"), address
        assert message["Subject"] == ("Llega la primavera" if spanish else "Spring is here")
        assert address.display_name == f"Reader {n}"
        assert before <= message["Date"].datetime <= after
        ids.add(message["Message-ID"])
        https, mailto = (t.strip(" <>") for t in str(message["List-Unsubscribe"]).split(","))
        query = parse_qs(urlsplit(https).query)
        assert https.startswith("https://news.example.com/unsubscribe?")
        assert query == {"e": [address.addr_spec], "t": [expected_token(address.addr_spec)]}
        assert mailto == "mailto:team@example.com?subject=unsubscribe"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == "Example News <news.example.com>"
        plain, html = (part.get_content() for part in message.iter_parts())
        assert https in plain and https.replace("&", "&amp;") in html
        assert (f"Hola Reader {n}." if spanish else f"Hi Reader {n} from Town {n}!") in plain
    assert len(ids) == 30, "every message has its own Message-ID"


def test_a_send_killed_at_any_moment_resumes_and_nobody_gets_it_twice(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    listing = subscribers(project, 30)
    command = [*list_command(project, listing), "--rate", "1000"]
    env = {**os.environ, "PLAYBOOK_UNSUBSCRIBE_SECRET": SECRET}

    def run_killed(kill_when: Callable[[], bool], hook: str) -> int:
        running: list[subprocess.Popen] = []

        def maybe_kill(_address: str) -> None:
            if kill_when():
                os.kill(running[0].pid, signal.SIGKILL)

        setattr(inbox, hook, maybe_kill)
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        running.append(process)
        process.communicate()
        setattr(inbox, hook, None)
        return process.returncode

    # 1: killed after the server accepted the 12th message, before the sender heard "250"
    assert run_killed(lambda: len(inbox.messages) == 12, "on_data") == -signal.SIGKILL
    assert send_log(project)[-1]["state"] == "committing"
    # 2: killed while the server was reading the recipient of a message (not accepted)
    assert run_killed(lambda: len(inbox.messages) == 20, "on_rcpt") == -signal.SIGKILL
    assert send_log(project)[-1]["state"] == "sending"
    # 3: run to the end
    result = send_list(project, listing)
    assert result.exit_code == 0, result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in range(30)})
    assert "Sent 10, skipped 20, failed 0" in result.output
    states = {entry["email"]: entry["state"] for entry in send_log(project)}
    assert Counter(states.values()) == Counter({"sent": 29, "unconfirmed": 1})
    again = send_list(project, listing)
    assert "Sent 0, skipped 30, failed 0" in again.output and len(inbox.messages) == 30


def list_command(project, listing: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        "newsletter",
        "send",
        "issue-3",
        str(project.root),
        "--list",
        str(listing),
    ]


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    listing = subscribers(project, 8)
    env = {**os.environ, "PLAYBOOK_UNSUBSCRIBE_SECRET": SECRET}
    running: list[subprocess.Popen] = []
    inbox.on_data = lambda _address: len(inbox.messages) == 3 and running[0].send_signal(signal.SIGINT)
    running.append(subprocess.Popen([*list_command(project, listing), "--rate", "1000"], env=env, stderr=PIPE))
    _, stderr = running[0].communicate()
    process = running[0]
    inbox.on_data = None
    assert process.returncode == 130
    assert b"Interrupted. Every delivery so far is in" in stderr and b"run the same command to resume" in stderr
    result = send_list(project, listing)
    assert result.exit_code == 0, result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in range(8)})


def test_temporary_refusals_are_retried_and_permanent_ones_suppressed(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    listing = subscribers(project, 6)
    inbox.rcpt_answers = {
        "reader1@example.org": ["451 4.7.1 Greylisted, try again", "451 4.7.1 Greylisted, try again"],
        "reader3@example.org": ["550 5.1.1 No such user"],
    }
    result = send_list(project, listing)
    assert result.exit_code == 1
    assert "failed: reader3@example.org: 550 5.1.1 No such user (added to suppressed.csv)" in result.output
    assert "Sent 5, skipped 0, failed 1" in result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in (0, 1, 2, 4, 5)})
    rows = list(csv.DictReader(io.StringIO(project.read("suppressed.csv"))))
    assert [(r["email"], r["reason"]) for r in rows] == [("reader3@example.org", "550 5.1.1 No such user")]
    again = send_list(project, listing)
    assert again.exit_code == 0 and "Sent 0, skipped 6, failed 0" in again.output


def test_suppressed_and_invalid_addresses_are_skipped(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    project.write("suppressed.csv", "email,reason,date\nREADER2@example.org,unsubscribed,2026-01-01\n")
    listing = subscribers(project, 4, extra="not an address,Nobody,en\nreader0@example.org,Twice,en\n")
    dry = send_list(project, listing, "--dry-run")
    assert "Would send 3 (en: 2, es: 1), skip 3" in dry.output and not inbox.messages
    result = send_list(project, listing)
    assert result.exit_code == 0, result.output
    assert "subscribers.csv:6: email: warning: 'not an address' is not an e-mail address: skipped" in result.output
    assert "subscribers.csv:7: email: warning: reader0@example.org is listed twice: sent once" in result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in (0, 1, 3)})


def test_a_dropped_connection_is_reopened(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    listing = subscribers(project, 6)
    inbox.rcpt_answers = {"reader2@example.org": ["421 4.3.2 Service shutting down"]}
    result = send_list(project, listing)
    assert result.exit_code == 0, result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in range(6)})
    assert inbox.sessions == 2


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("another run holds the log", "error: another send of this issue is running"),
        ("no token secret", "error: newsletter.unsubscribe_url needs a secret for its tokens: set the environment"),
    ],
)
def test_list_send_refuses_before_sending_anything(smtp_server, sendable, monkeypatch, case, error):
    inbox, port = smtp_server()
    project = sendable(port)
    log = project.root / ".playbook-sends" / "issue-3.jsonl"
    log.parent.mkdir()
    if case == "no token secret":
        monkeypatch.delenv("PLAYBOOK_UNSUBSCRIBE_SECRET")
    with log.open("a") as held:
        if case == "another run holds the log":
            fcntl.flock(held, fcntl.LOCK_EX)
        result = send_list(project, subscribers(project, 2))
    assert result.exit_code == 1
    assert error in result.output
    assert not inbox.messages


def test_test_send_marks_the_subject_and_addresses_each_recipient(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = project.cli("newsletter", "send", "issue-3", "--to", "me@example.org", "--to", "you@example.org")
    assert result.exit_code == 0, result.output
    assert "Sent a test" in result.output
    assert sorted(inbox.received()) == ["me@example.org", "you@example.org"]
    for message in inbox.messages:
        assert message["Subject"] == "[Test] Spring is here"
        assert message["Date"].datetime >= before
        assert message.get_content_type() == "multipart/alternative"
        assert "Book now [1]" in message.get_body(("plain",)).get_content()
    assert inbox.messages[0]["Message-ID"] != inbox.messages[1]["Message-ID"]


def test_test_send_rejects_what_is_not_an_address(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    result = project.cli("newsletter", "send", "issue-3", "--to", "not an address")
    assert result.exit_code == 2
    assert "not an e-mail address: 'not an address'" in result.output
    assert not inbox.messages


def test_test_send_sends_the_current_text_after_an_edit(smtp_server, sendable):
    inbox, port = smtp_server()
    project = sendable(port)
    project.page("newsletters/issue-3.md", ISSUE_FRONT.replace("Spring is here", "Spring is really here"), "Hi.\n")
    assert project.cli("newsletter", "send", "issue-3", "--to", "me@example.org").exit_code == 0
    assert inbox.messages[0]["Subject"] == "[Test] Spring is really here"


def test_send_logs_in_with_the_password_from_the_environment(smtp_server, sendable, monkeypatch):
    inbox, port = smtp_server(authenticator=accept_secret, auth_require_tls=False)
    project = sendable(port, "  user: newsletter\n  password_env: TEST_SMTP_PASSWORD\n")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    refused = project.cli("newsletter", "send", "issue-3", "--to", "me@example.org")
    assert refused.exit_code == 1
    assert "refused the login of 'newsletter': 535" in refused.output
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    assert project.cli("newsletter", "send", "issue-3", "--to", "me@example.org").exit_code == 0
    assert len(inbox.messages) == 1


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
    assert "no built newsletter 'issue-99'" in result.output and "built issues: es/issue-3, issue-3" in result.output


def test_the_pacer_spaces_messages_by_the_rate():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(4, clock=lambda: now[0], sleep=sleep)
    starts = []
    for work in (0.0, 0.1, 0.5, 0.0):
        pacer.wait()
        starts.append(now[0])
        now[0] += work
    assert [round(b - a, 6) for a, b in pairwise(starts)] == [0.25, 0.25, 0.5]
    assert sum(slept) == pytest.approx(0.25 + 0.15)


OPENSSL_SELF_SIGNED = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
OPENSSL_SELF_SIGNED += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]


@pytest.fixture
def certificate(tmp_path, monkeypatch) -> ssl.SSLContext:
    """A server context with a self-signed certificate for 127.0.0.1, which the client trusts
    through SSL_CERT_FILE (as it would trust a real CA)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [*OPENSSL_SELF_SIGNED, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_sends_over_starttls_and_ssl(smtp_server, sendable, certificate, security):
    if security == "starttls":
        inbox, port = smtp_server(tls_context=certificate, require_starttls=True)
    else:
        inbox, port = smtp_server(server_hostname="127.0.0.1", ssl_context=certificate)
    project = sendable(port)
    project.write("playbook.yml", project.read("playbook.yml").replace("security: none", f"security: {security}"))
    result = send_list(project, subscribers(project, 3))
    assert result.exit_code == 0, result.output
    assert inbox.received() == Counter({f"reader{n}@example.org": 1 for n in range(3)})
