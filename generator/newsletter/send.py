"""Test sends: deliver an issue's built `message.eml` through the SMTP server configured in
`playbook.yml` (`smtp:`), with the password read from the environment, never from a file."""

from __future__ import annotations

import os
import smtplib
import ssl
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import make_msgid
from pathlib import Path

from generator.config import Config, Smtp

MESSAGE = "message.eml"


class SendError(Exception):
    """The issue cannot be sent; the message says why and what to do."""


def find_message(root: Path, config: Config, issue: str) -> Path:
    """The built `.eml` of ISSUE: a slug (`issue-15`), `<lang>/<slug>`, or a path to the folder or file."""
    newsletters = root / config.newsletters_dir
    candidates = [Path(issue), Path(issue) / MESSAGE, newsletters / issue / MESSAGE]
    for candidate in candidates:
        if candidate.is_file() and candidate.name == MESSAGE:
            return candidate
    built = sorted(str(p.parent.relative_to(newsletters)) for p in newsletters.rglob(MESSAGE))
    hint = f"built issues: {', '.join(built)}" if built else f"run `playbook build {root}` first"
    raise SendError(f"no built newsletter {issue!r} in {newsletters} ({hint})")


def prepare(path: Path, recipients: list[str]) -> EmailMessage:
    """The stored message addressed to the test recipients, with a fresh Message-ID."""
    message = message_from_bytes(path.read_bytes(), _class=EmailMessage, policy=SMTP_POLICY)
    del message["To"]
    message["To"] = ", ".join(recipients)
    domain = str(message.get("From", "")).rpartition("@")[2].rstrip(">") or None
    del message["Message-ID"]
    message["Message-ID"] = make_msgid("test", domain=domain)
    return message


def send(message: EmailMessage, recipients: list[str], settings: Smtp, sender: str) -> None:
    """Deliver through the configured server; every failure becomes a SendError."""
    where = f"{settings.host}:{settings.port}"
    password = None
    if settings.user:
        password = os.environ.get(settings.password_env)
        if password is None:
            raise SendError(f"smtp.user is set, but the environment variable {settings.password_env} is empty")
    try:
        with _connect(settings) as client:
            if settings.user and password is not None:
                client.login(settings.user, password)
            refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"{where} refused the login of {settings.user!r}: {_reply(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"{where} refused every recipient: {', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} refused the message: {_reply(exc)}") from None
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise SendError(f"SMTP conversation with {where} failed: {exc}") from None
    except TimeoutError:
        raise SendError(f"no answer from {where} within {settings.timeout:g} s") from None
    except OSError as exc:
        raise SendError(f"cannot reach the SMTP server {where}: {exc.strerror or exc}") from None
    if refused:
        raise SendError(f"{where} refused: {', '.join(refused)}")


def _connect(settings: Smtp) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
        )
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        try:
            client.starttls(context=ssl.create_default_context())
        except BaseException:
            client.close()
            raise
    return client


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}"
