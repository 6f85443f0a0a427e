"""Sending built issues: find an issue's `message.eml`, make one recipient's copy of it (To,
Date, Message-ID, unsubscribe token, merge fields), and deliver it through the `smtp:`
server over one reused connection, with the password read from the environment.

A delivery has a commit point: everything but the final end-of-data line is sent first,
then `committing` is called, then the final line. The list send records it, so a run killed
at any moment knows which messages may have reached the server (see README).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email import message_from_bytes
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from pathlib import Path
from urllib.parse import quote

from generator.config.settings import Config, Smtp
from generator.config.settings import Newsletter as NewsletterSettings
from generator.newsletter.message import (
    ADDRESS_SLOT,
    POLICY,
    TOKEN_SLOT,
    set_list_unsubscribe,
    unsubscribe_targets,
)
from generator.newsletter.tracking import unsubscribe_token

MESSAGE = "message.eml"
TEST_PREFIX = "[Test] "
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")
MERGE_FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class SendError(Exception):
    """The issue cannot be sent; the message says why and what to do."""


def valid_address(text: str) -> bool:
    """A plain `local@domain.tld` address (what a subscriber list or `--to` must hold)."""
    if not ADDRESS.match(text):
        return False
    try:
        Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):
        return False
    return True


@dataclass(frozen=True)
class Recipient:
    """One addressee: the address, a display name, a language, and merge fields (`{{ field }}`)."""

    email: str
    name: str = ""
    lang: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


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


def issue_messages(root: Path, config: Config, slug: str) -> dict[str, Path]:
    """The built `.eml` of issue SLUG in each language that has it (language code → file)."""
    newsletters = root / config.newsletters_dir
    found = {code: newsletters / code / slug / MESSAGE for code in config.language_codes}
    found[config.default_lang] = newsletters / slug / MESSAGE
    found = {code: path for code, path in found.items() if path.is_file()}
    if config.default_lang not in found:
        find_message(root, config, slug)  # raises with the built issues named
        raise SendError(f"issue {slug!r} has no build in the default language ({config.default_lang})")
    return found


@dataclass(frozen=True)
class Personaliser:
    """Makes each recipient's copy of a built message."""

    settings: NewsletterSettings
    secret: str | None
    test: bool = False

    @classmethod
    def from_environment(cls, settings: NewsletterSettings, *, test: bool = False) -> Personaliser:
        """With one-click unsubscribing, the token secret comes from `unsubscribe_secret_env`."""
        if not settings.one_click:
            return cls(settings, None, test)
        secret = os.environ.get(settings.unsubscribe_secret_env, "")
        if not secret:
            raise SendError(
                f"newsletter.unsubscribe_url needs a secret for its tokens: set the environment variable "
                f"{settings.unsubscribe_secret_env} (the same secret your unsubscribe endpoint checks tokens with)"
            )
        return cls(settings, secret, test)

    def message(self, template: bytes, recipient: Recipient, now: dt.datetime) -> EmailMessage:
        """The recipient's copy, dated `now`, with its own Message-ID."""
        message = message_from_bytes(template, _class=EmailMessage, policy=POLICY)
        values = {**recipient.fields, "email": recipient.email, "name": recipient.name}
        slots = {TOKEN_SLOT: "", ADDRESS_SLOT: ""}
        if self.secret:
            slots = {TOKEN_SLOT: unsubscribe_token(self.secret, recipient.email), ADDRESS_SLOT: quote(recipient.email)}
        for part in message.iter_parts():
            subtype = part.get_content_subtype()
            content = _fill(_slots(part.get_content(), slots), values, html=subtype == "html")
            part.set_content(content, subtype=subtype, charset="utf-8", cte="quoted-printable")
        subject = _fill(str(message["Subject"]), values, html=False)
        del message["Subject"], message["To"], message["Date"], message["Message-ID"]
        message["Subject"] = TEST_PREFIX + subject if self.test else subject
        message["To"] = Address(recipient.name, addr_spec=recipient.email)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(domain=self.settings.from_address.rpartition("@")[2] or None)
        targets = unsubscribe_targets(self.settings)
        set_list_unsubscribe(message, [_slots(target, slots) for target in targets])
        return message


def _slots(text: str, slots: Mapping[str, str]) -> str:
    for slot, value in slots.items():
        text = text.replace(slot, value)
    return text


def _fill(text: str, values: Mapping[str, str], *, html: bool) -> str:
    """Merge fields `{{ name }}` filled from the recipient's columns; unknown ones stay as written."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return escape(values[name]) if html else values[name]

    return MERGE_FIELD.sub(value, text)


class Refused(Exception):
    """The server answered a command with an error code."""

    def __init__(self, code: int, reply: str, stage: str) -> None:
        super().__init__(f"{code} {reply}")
        self.code = code
        self.reply = reply
        self.stage = stage

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


class Dropped(Exception):
    """The connection was lost; `committed` when the end of the message had been sent."""

    def __init__(self, reason: str, *, committed: bool) -> None:
        super().__init__(reason)
        self.committed = committed


@dataclass
class Connection:
    """One SMTP connection, opened on first use and again after it drops."""

    settings: Smtp
    client: smtplib.SMTP | None = None
    opened: int = 0

    def deliver(self, message: EmailMessage, sender: str, recipient: str, committing: Callable[[], None]) -> None:
        """One transaction. Raises Refused (an error reply) or Dropped (connection lost)."""
        client = self._open()
        data = _LEADING_DOT.sub(b"..", _LINE_ENDS.sub(b"\r\n", message.as_bytes(policy=POLICY)))
        committed = False
        try:
            client.ehlo_or_helo_if_needed()
            self._expect(client.mail(sender), (250,), "MAIL FROM")
            self._expect(client.rcpt(recipient), (250, 251), "RCPT TO")
            self._expect(client.docmd("DATA"), (354,), "DATA")
            client.send(data if data.endswith(b"\r\n") else data + b"\r\n")
            committing()
            committed = True
            client.send(b".\r\n")
            self._expect(client.getreply(), (250,), "end of data")
        except Refused as refused:
            self._reset(refused)
            raise
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()
            raise Dropped(str(exc) or type(exc).__name__, committed=committed) from None

    def _expect(self, answer: tuple[int, bytes], good: tuple[int, ...], stage: str) -> None:
        code, reply = answer
        if code not in good:
            raise Refused(code, reply.decode("utf-8", "replace"), stage)

    def _reset(self, refused: Refused) -> None:
        """After an error reply: a 421 closes the connection, anything else is RSET."""
        try:
            if refused.code == 421 or self.client is None:
                self.close()
            else:
                self.client.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def _open(self) -> smtplib.SMTP:
        if self.client is None:
            self.client = open_smtp(self.settings)
            self.opened += 1
        return self.client

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def open_smtp(settings: Smtp) -> smtplib.SMTP:
    """A logged-in connection to the configured server; every failure becomes a SendError."""
    where = f"{settings.host}:{settings.port}"
    password = None
    if settings.user:
        password = os.environ.get(settings.password_env)
        if password is None:
            raise SendError(f"smtp.user is set, but the environment variable {settings.password_env} is empty")
    try:
        client = _connect(settings)
        if settings.user and password is not None:
            try:
                client.login(settings.user, password)
            except BaseException:
                client.close()
                raise
        return client
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"{where} refused the login of {settings.user!r}: {_reply(exc)}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} refused the connection: {_reply(exc)}") from None
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise SendError(f"SMTP conversation with {where} failed: {exc}") from None
    except TimeoutError:
        raise SendError(f"no answer from {where} within {settings.timeout:g} s") from None
    except OSError as exc:
        raise SendError(f"cannot reach the SMTP server {where}: {exc.strerror or exc}") from None


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


def send_test(path: Path, recipients: list[str], config: Config, now: dt.datetime) -> None:
    """Each test recipient (valid addresses) gets their own copy of the built message, marked "[Test]"."""
    personaliser = Personaliser.from_environment(config.newsletter, test=True)
    template = path.read_bytes()
    connection = Connection(config.smtp)
    where = f"{config.smtp.host}:{config.smtp.port}"
    try:
        for address in recipients:
            message = personaliser.message(template, Recipient(address), now)
            connection.deliver(message, config.newsletter.from_address, address, lambda: None)
    except Refused as refused:
        raise SendError(f"{where} refused {refused.stage} for the message: {refused}") from None
    except Dropped as dropped:
        raise SendError(f"the connection to {where} dropped: {dropped}") from None
    finally:
        connection.close()
