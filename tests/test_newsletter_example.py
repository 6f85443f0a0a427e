"""The example playbook's newsletters as customers get them: no link to the internal host,
every public link present in the public archive, and SpamAssassin's verdict on each message
as a mail server receives it."""

from __future__ import annotations

import datetime as dt
import email
import re
import shutil
import subprocess
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from tests.conftest import run_cli
from tests.smtp_fixture import smtp_server  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[1]
INTERNAL_HOST = "intranet.brightwater.example"
PUBLIC_URL = "https://news.brightwater.example/"
URL = re.compile(r"https?://[^\s<>\"')\]]+")
SPAM_LIMIT = 2.5


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "playbook.yml", root / "playbook.yml")
    shutil.copytree(REPO / "content", root / "content")
    result = run_cli("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def customer_files(root: Path) -> list[Path]:
    return sorted((root / "newsletters").rglob("email.*")) + sorted((root / "public").rglob("*.html"))


def urls_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        tree = lxml.html.document_fromstring(text)
        return [value for attribute in ("href", "src") for value in tree.xpath(f"//@{attribute}")]
    return URL.findall(text)


def test_no_customer_email_or_public_page_links_the_internal_host(example: Path):
    files = customer_files(example)
    assert len([f for f in files if f.name == "email.html"]) == 5
    for path in files:
        for url in urls_of(path):
            assert INTERNAL_HOST not in unquote(url), f"{path.relative_to(example)} links {url}"
    for path in (example / "newsletters").rglob("message.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        for part in message.iter_parts():
            assert INTERNAL_HOST not in part.get_content(), path


def test_every_public_link_of_an_email_is_in_the_public_archive(example: Path):
    public = example / "public"
    checked = 0
    for path in (example / "newsletters").rglob("email.html"):
        for url in urls_of(path):
            if not url.startswith(PUBLIC_URL):
                continue
            rel = unquote(urlsplit(url).path).lstrip("/")
            target = public / rel / "index.html" if rel.endswith("/") or not rel else public / rel
            assert target.is_file(), f"{path.relative_to(example)} links {url}, missing from public/"
            checked += 1
    assert checked > 20
    for page in (public / "go").glob("*/index.html"):
        refresh = lxml.html.document_fromstring(page.read_text()).xpath("//meta[@http-equiv='refresh']/@content")[0]
        assert INTERNAL_HOST not in refresh


def as_received(raw: bytes) -> bytes:
    """The message as the receiving server stores it: its Received: line on top (from a
    routable address, so that no "trusted network" bonus applies), in an mbox entry."""
    received = (
        "Received: from mail.brightwater.example (mail.brightwater.example [93.184.216.34])\r\n"
        f"\tby mx.example.org with ESMTPS id 4XyZ1; {format_datetime(dt.datetime.now(dt.UTC))}\r\n"
    ).encode()
    text = (received + raw).replace(b"\r\n", b"\n")
    return (
        b"From newsletter@brightwater.example Tue Dec  1 08:00:00 2026\n"
        + text.replace(b"\nFrom ", b"\n>From ")
        + b"\n"
    )


@pytest.mark.skipif(shutil.which("spamassassin") is None, reason="Debian spamassassin is not installed")
def test_spamassassin_scores_every_example_message_as_received_below_the_limit(
    example: Path,
    smtp_server,  # noqa: F811
    monkeypatch,
):
    inbox, port = smtp_server()
    monkeypatch.setenv("PLAYBOOK_UNSUBSCRIBE_SECRET", "a secret for the example")
    config = (example / "playbook.yml").read_text()
    (example / "playbook.yml").write_text(re.sub(r"(?m)^  port: \d+$", f"  port: {port}", config))
    everyone = example / "subscribers.csv"
    everyone.write_text(
        "email,name,lang\n" + "".join(f"{c}@example.org,Reader,{c}\n" for c in ("en", "es", "bg", "fi"))
    )
    english = example / "english.csv"
    english.write_text("email,name,lang\nen@example.org,Reader,en\n")
    for issue, listing in (("issue-15", everyone), ("issue-14", english)):  # issue 14 is in English only
        result = run_cli("newsletter", "send", issue, str(example), "--list", str(listing), "--rate", "1000")
        assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 5
    mbox = b"".join(as_received(raw) for raw in inbox.raw)
    report = subprocess.run(["spamassassin", "-L", "-t", "--mbox"], input=mbox, capture_output=True, check=True)
    statuses = re.findall(
        r"^X-Spam-Status: \w+, score=(-?[\d.]+).*?tests=([^\n]*(?:\n\t[^\n]*)*)", report.stdout.decode(), re.M
    )
    assert len(statuses) == 5, report.stdout.decode()[:3000]
    for message, (score, tests) in zip(inbox.messages, statuses, strict=True):
        verdict = f"{message['Content-Language']} {message['Subject']}: {score} ({' '.join(tests.split())})"
        assert float(score) < SPAM_LIMIT, verdict
