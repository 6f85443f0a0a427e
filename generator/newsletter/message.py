"""The files a marketer sends or imports: the MIME message (`message.eml`, built with the
standard `email` package) and the tracked-link table (`links.csv`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from generator.config import Config
from generator.newsletter.issue import Issue, TrackedLink

SEND_HOUR = dt.time(8, 0, tzinfo=dt.UTC)
LINK_COLUMNS = ("position", "anchor_text", "original_url", "tracked_url", "short_code", "short_url")


def build_message(issue: Issue, config: Config, text: str, html: str, date: dt.date) -> EmailMessage:
    """multipart/alternative (plain text first, HTML preferred) with the sending headers."""
    settings = config.newsletter
    message = EmailMessage(policy=SMTP)
    message["Subject"] = issue.meta.subject_line
    message["From"] = Address(settings.from_name or config.site_name, addr_spec=settings.from_address)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(dt.datetime.combine(date, SEND_HOUR))
    message["Message-ID"] = _message_id(issue, settings.from_address)
    message["List-Unsubscribe"] = ", ".join(f"<{target}>" for target in _unsubscribe_targets(config))
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = issue.doc.lang  # after the parts: set_content clears Content-* headers
    message.set_boundary(_boundary(text, html))
    return message


def _boundary(text: str, html: str) -> str:
    """A MIME boundary derived from the parts (the email package picks a random one), so the
    same issue always gives the same file. Quoted-printable parts never contain it."""
    digest = hashlib.sha256(f"{text}\0{html}".encode()).hexdigest()[:32]
    return f"=_playbook_{digest}"


def _message_id(issue: Issue, from_address: str) -> str:
    """Deterministic, so rebuilding does not change the file; `send` gives each test send its own."""
    domain = from_address.rpartition("@")[2] or "playbook.invalid"
    digest = hashlib.sha256(f"{issue.doc.lang}/{issue.slug}".encode()).hexdigest()[:16]
    local = issue.slug.encode("ascii", "ignore").decode().strip("-") or "issue"  # headers are ASCII
    return f"<{local}.{digest}@{domain}>"


def _unsubscribe_targets(config: Config) -> list[str]:
    """The configured unsubscribe link (usually a merge tag the sending service fills), and
    a mailto: to the reply address when there is one."""
    settings = config.newsletter
    targets = [settings.unsubscribe]
    if settings.reply_to:
        targets.append(f"mailto:{settings.reply_to}?subject=unsubscribe")
    return targets


def links_csv(links: Iterable[TrackedLink]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    for link in links:
        writer.writerow((link.position, link.text, link.original, link.tracked, link.code, link.short_url))
    return buffer.getvalue()


def short_link_rows(links: Iterable[TrackedLink]) -> list[tuple[str, str]]:
    """(code, target) for each shortened link, for the site's `go/` pages."""
    return [(link.code, link.tracked) for link in links if link.code]
