"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, scripted per recipient."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it accepts; `rcpt_answers` and `on_data` script it."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    rcpt_answers: dict[str, list[str]] = field(default_factory=dict)
    on_rcpt: Callable[[str], None] | None = None
    on_data: Callable[[str], None] | None = None
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_rcpt is not None:
            self.on_rcpt(address)
        answers = self.rcpt_answers.get(address)
        answer = answers.pop(0) if answers else "250 OK"
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
            self.raw.append(envelope.original_content)
        if self.on_data is not None:
            self.on_data(envelope.rcpt_tos[0])
        return "250 OK"

    def received(self) -> Counter[str]:
        return Counter(m["To"].addresses[0].addr_spec for m in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
