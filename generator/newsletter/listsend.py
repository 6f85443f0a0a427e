"""Sending an issue to a subscriber list, resumably: `playbook newsletter send ISSUE --list FILE`.

Every step of every delivery is appended (and fsync'd) to the issue's send log, a JSON-lines
file in `.playbook-sends/`, before the next step starts: `sending` before the transaction,
`committing` just before the end-of-data line that makes the server accept the message,
then `sent`, `failed` (a 5xx answer: the address is added to the suppression file),
`deferred` (4xx answers after every retry) or `unconfirmed` (the connection dropped after the
end of data). A run killed at any moment and started again skips what is `sent`, `failed` or
`unconfirmed`, counts a `committing` left by the dead run as `unconfirmed` (the server may
have accepted it: at most once), and sends everything else (it cannot have been accepted).
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from generator.config.settings import Config
from generator.errors import Problem
from generator.newsletter.send import (
    Connection,
    Dropped,
    Personaliser,
    Recipient,
    Refused,
    SendError,
    issue_messages,
    valid_address,
)

SEND_LOG_FOLDER = ".playbook-sends"
SUPPRESSION_COLUMNS = ("email", "reason", "date")
DONE = frozenset({"sent", "failed", "unconfirmed"})
Outcome = Literal["sent", "failed", "deferred", "unconfirmed"]


@dataclass(frozen=True)
class SubscriberList:
    """The valid, distinct rows of a subscriber CSV, and a warning for each row left out."""

    recipients: list[Recipient]
    problems: list[Problem]


def read_subscribers(path: Path) -> SubscriberList:
    """`email,name,lang` and any further columns (merge fields); a header row is required."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SendError(f"cannot read the subscriber list {display}: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "email" not in [name.strip().lower() for name in reader.fieldnames]:
        raise SendError(f"{display}:1: the first row must name the columns, with at least 'email' (email,name,lang)")
    recipients: list[Recipient] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key}
        address = values.pop("email", "")
        if not valid_address(address):
            message = f"{address!r} is not an e-mail address: skipped"
            problems.append(Problem(display, line, "email", message, "warning"))
            continue
        if address.lower() in seen:
            problems.append(Problem(display, line, "email", f"{address} is listed twice: sent once", "warning"))
            continue
        seen.add(address.lower())
        name, lang = values.pop("name", ""), values.pop("lang", "")
        recipients.append(Recipient(address, name, lang, values))
    return SubscriberList(recipients, problems)


def read_suppressed(path: Path) -> set[str]:
    """Addresses (lower case) that must not be mailed: unsubscribes and hard bounces."""
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {(row.get("email") or "").strip().lower() for row in csv.DictReader(handle)} - {""}


def add_suppressed(path: Path, address: str, reason: str, when: dt.datetime) -> None:
    new = not path.is_file() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new:
            writer.writerow(SUPPRESSION_COLUMNS)
        writer.writerow((address, reason, when.isoformat(timespec="seconds")))
        _sync(handle)


def _sync(handle: IO[str]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


@dataclass
class SendLog:
    """The append-only record of one issue's deliveries (address → its latest state)."""

    path: Path
    states: dict[str, str] = field(default_factory=dict)
    handle: IO[str] | None = None

    @classmethod
    def read(cls, path: Path) -> SendLog:
        log = cls(path)
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill; its step did not happen
                log.states[entry["email"].lower()] = entry["state"]
        return log

    def done(self, address: str) -> bool:
        return self.states.get(address.lower()) in DONE

    @contextmanager
    def writing(self) -> Iterator[SendLog]:
        """Open for appending, with an exclusive lock: a second run of the same issue stops at once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SendError(f"another send of this issue is running (it holds {self.path})") from None
            handle.seek(0, os.SEEK_END)
            if handle.tell() and not self.path.read_bytes().endswith(b"\n"):
                handle.write("\n")  # end a line cut short by a kill
            self.handle = handle
            try:
                yield self
            finally:
                self.handle = None

    def record(self, address: str, state: str, **details: str) -> None:
        assert self.handle is not None
        entry = {"email": address, "state": state, "time": _now().isoformat(timespec="seconds"), **details}
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        _sync(self.handle)
        self.states[address.lower()] = state

    def reconcile(self) -> list[str]:
        """Deliveries a killed run left at `committing`: the server may have accepted them, so
        they count as sent (`unconfirmed`) and are not sent again."""
        open_commits = [address for address, state in self.states.items() if state == "committing"]
        for address in open_commits:
            self.record(address, "unconfirmed", reply="the previous run stopped after the end of data")
        return open_commits


def send_log_path(root: Path, slug: str) -> Path:
    return root / SEND_LOG_FOLDER / f"{slug}.jsonl"


@dataclass
class Summary:
    """What a list send did (or, dry, would do)."""

    sent: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    invalid: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    by_language: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return len(self.already) + len(self.suppressed) + self.invalid

    @property
    def ok(self) -> bool:
        return not self.failed and not self.deferred


@dataclass(frozen=True)
class Plan:
    """Who gets which language's message, after the suppression file and the send log."""

    messages: dict[str, Path]
    queue: list[tuple[Recipient, str]]
    summary: Summary


def plan_send(root: Path, config: Config, slug: str, subscribers: SubscriberList) -> Plan:
    messages = issue_messages(root, config, slug)
    suppressed = read_suppressed(root / config.newsletter.suppression_file)
    log = SendLog.read(send_log_path(root, slug))
    summary = Summary(invalid=len(subscribers.problems))
    queue = []
    for recipient in subscribers.recipients:
        if recipient.email.lower() in suppressed:
            summary.suppressed.append(recipient.email)
        elif log.done(recipient.email) or log.states.get(recipient.email.lower()) == "committing":
            summary.already.append(recipient.email)
        else:
            lang = recipient.lang if recipient.lang in messages else config.default_lang
            queue.append((recipient, lang))
            summary.by_language[lang] = summary.by_language.get(lang, 0) + 1
    return Plan(messages, queue, summary)


@dataclass
class Pacer:
    """At most `rate` messages a second: each `wait` returns at least 1/rate s after the last."""

    rate: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    next_slot: float = 0.0

    def wait(self) -> None:
        now = self.clock()
        if now < self.next_slot:
            self.sleep(self.next_slot - now)
        self.next_slot = max(now, self.next_slot) + 1 / self.rate


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class ListSender:
    """Delivers a plan through one reused connection, recording every step in the send log."""

    root: Path
    config: Config
    slug: str
    rate: float
    on_done: Callable[[Outcome], None] = lambda outcome: None

    def run(self, plan: Plan) -> Summary:
        personaliser = Personaliser.from_environment(self.config.newsletter)
        templates = {lang: path.read_bytes() for lang, path in plan.messages.items()}
        summary = plan.summary
        connection = Connection(self.config.smtp)
        pacer = Pacer(self.rate)
        log = SendLog.read(send_log_path(self.root, self.slug))
        with log.writing():
            summary.already.extend(log.reconcile())
            try:
                for recipient, lang in plan.queue:
                    if log.done(recipient.email):
                        continue
                    delivery = Delivery(recipient, templates[lang], personaliser, connection, log, pacer)
                    outcome, reply = delivery.attempt(self.config)
                    self._count(summary, recipient.email, outcome, reply)
                    self.on_done(outcome)
            finally:
                connection.close()
        return summary

    def _count(self, summary: Summary, address: str, outcome: Outcome, reply: str) -> None:
        if outcome == "sent":
            summary.sent.append(address)
        elif outcome == "unconfirmed":
            summary.unconfirmed.append(address)
        elif outcome == "failed":
            summary.failed.append((address, reply))
            add_suppressed(self.root / self.config.newsletter.suppression_file, address, reply, _now())
        else:
            summary.deferred.append((address, reply))


@dataclass
class Delivery:
    """One recipient's message: retried with back-off on 4xx answers and dropped connections."""

    recipient: Recipient
    template: bytes
    personaliser: Personaliser
    connection: Connection
    log: SendLog
    pacer: Pacer

    def attempt(self, config: Config) -> tuple[Outcome, str]:
        address = self.recipient.email
        reply = ""
        for attempt in range(config.smtp.retries + 1):
            if attempt:
                time.sleep(config.smtp.retry_delay * 2 ** (attempt - 1))
            self.pacer.wait()
            message = self.personaliser.message(self.template, self.recipient, _now())
            self.log.record(address, "sending", message_id=str(message["Message-ID"]))
            try:
                self.connection.deliver(
                    message, config.newsletter.from_address, address, lambda: self.log.record(address, "committing")
                )
            except Refused as refused:
                reply = str(refused)
                if refused.temporary:
                    continue
                if refused.stage == "MAIL FROM":
                    sender = config.newsletter.from_address
                    raise SendError(f"the server refused the sender {sender}: {reply}") from None
                self.log.record(address, "failed", reply=reply)
                return "failed", reply
            except Dropped as dropped:
                reply = f"connection lost: {dropped}"
                if dropped.committed:
                    self.log.record(address, "unconfirmed", reply=reply)
                    return "unconfirmed", reply
                continue
            self.log.record(address, "sent", message_id=str(message["Message-ID"]))
            return "sent", ""
        self.log.record(address, "deferred", reply=reply)
        return "deferred", reply
