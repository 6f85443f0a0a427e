"""The files a marketer sends or imports: the MIME message (`message.eml`, built with the
standard `email` package) and the tracked-link table (`links.csv`)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP

from generator.config.settings import Config
from generator.config.settings import Newsletter as NewsletterSettings
from generator.newsletter.issue import Issue, TrackedLink

LINK_COLUMNS = ("position", "anchor_text", "original_url", "tracked_url", "short_code", "short_url")
TOKEN_SLOT = "playbook-unsubscribe-token"  # where a send writes each recipient's token
ADDRESS_SLOT = "playbook-unsubscribe-address"  # ... and their address (URL-encoded)
ONE_CLICK = "List-Unsubscribe=One-Click"


class HeaderClasses(HeaderRegistry):
    """The standard header registry, making each header's class once (the stock one makes a
    new class for every header it parses: a quarter of the time of building a message)."""

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self.made:
            self.made[key] = super().__getitem__(name)
        return self.made[key]


# refold_source="none": headers set with set_raw are written as they are
POLICY = SMTP.clone(refold_source="none", header_factory=HeaderClasses())


def unsubscribe_slot(settings: NewsletterSettings) -> str:
    """The unsubscribe link as built: the https template with slots a send fills per
    recipient, or the e-mail service's merge tag as it is."""
    return settings.unsubscribe_url.replace("{token}", TOKEN_SLOT).replace("{email}", ADDRESS_SLOT)


def build_message(issue: Issue, config: Config, text: str, html: str) -> EmailMessage:
    """multipart/alternative (plain text first, HTML preferred) with the list headers.

    `To`, `Date` and `Message-ID` belong to one delivery: the send sets them."""
    settings = config.newsletter
    message = EmailMessage(policy=POLICY)
    message["Subject"] = issue.meta.subject_line
    message["From"] = Address(settings.from_name or config.site_name, addr_spec=settings.from_address)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["List-Id"] = _list_id(settings.from_name or config.site_name, settings.list_address)
    set_list_unsubscribe(message, unsubscribe_targets(settings))
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = issue.doc.lang  # after the parts: set_content clears Content-* headers
    message.set_boundary(_boundary(text, html))
    return message


def set_list_unsubscribe(message: EmailMessage, targets: list[str]) -> None:
    """`List-Unsubscribe` written as it is, one target a line: folded by the email package, a
    long URL would become an encoded word that no mail client reads as a link. With an https
    target, `List-Unsubscribe-Post` asks for RFC 8058 one-click unsubscribing."""
    del message["List-Unsubscribe"]
    del message["List-Unsubscribe-Post"]
    message.set_raw("List-Unsubscribe", ",\r\n ".join(f"<{target}>" for target in targets))
    if any(target.startswith("https://") for target in targets):
        message["List-Unsubscribe-Post"] = ONE_CLICK


def _list_id(name: str, address: str) -> str:
    """`List-Id: Name <list.example.org>` (RFC 2919; the name as an encoded word when not ASCII)."""
    return f"{name} <{address}>"


def _boundary(text: str, html: str) -> str:
    """A MIME boundary derived from the parts (the email package picks a random one), so the
    same issue always gives the same file. Quoted-printable parts never contain it."""
    digest = hashlib.sha256(f"{text}\0{html}".encode()).hexdigest()[:32]
    return f"=_playbook_{digest}"


def unsubscribe_targets(settings: NewsletterSettings) -> list[str]:
    """The https one-click link (RFC 8058) when Playbook sends, and a mailto: to the reply
    (or sender) address; a merge tag is left to the service, which writes its own header."""
    targets = [unsubscribe_slot(settings)] if settings.one_click else []
    targets.append(f"mailto:{settings.reply_to or settings.from_address}?subject=unsubscribe")
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
