"""The e-mail lint: what breaks or degrades an issue in real mail clients, as Problems.

Runs on the finished `email.html` during the build and `playbook check`; it only reads.
"""

from __future__ import annotations

import lxml.html

from generator.content.model import Document
from generator.content.schema import Newsletter
from generator.errors import Problem
from generator.newsletter.tracking import MERGE_TAG

ABSOLUTE = ("http://", "https://", "mailto:", "tel:", "sms:", "#")
FORBIDDEN = {
    "script": "JavaScript is stripped or blocked by mail clients",
    "form": "forms do not work in e-mail",
    "iframe": "frames are blocked by mail clients",
    "embed": "embedded objects are blocked by mail clients",
    "object": "embedded objects are blocked by mail clients",
}


def lint_email(html: str, doc: Document, max_kb: int) -> list[Problem]:
    """Problems of one issue's e-mail, each naming the newsletter's source file."""
    meta = doc.meta
    assert isinstance(meta, Newsletter)
    found: list[Problem] = []

    def report(message: str, severity: str = "error", line: int | None = None, field: str | None = None) -> None:
        found.append(Problem(doc.source, line, field, f"e-mail: {message}", severity))  # type: ignore[arg-type]

    size_kb = len(html.encode("utf-8")) / 1024
    if size_kb > max_kb:
        report(f"HTML is {size_kb:.0f} KB, over newsletter.max_html_kb ({max_kb} KB): Gmail clips it", "warning")
    if not meta.subject:
        report("no subject; the title is used as the subject line", "warning", doc.line_of(("subject",)), "subject")
    if not meta.preheader:
        line = doc.line_of(("preheader",))
        report("no preheader: inboxes will preview the first words of the e-mail instead", "warning", line, "preheader")
    tree = lxml.html.document_fromstring(html)
    for tag, why in FORBIDDEN.items():
        if tree.xpath(f"//{tag}"):
            report(f"<{tag}> found: {why}")
    if tree.xpath("//link[@rel='stylesheet']"):
        report("external stylesheet: mail clients ignore it; put the CSS in the theme's email.css")
    for element, attribute in ((e, a) for a in ("href", "src") for e in tree.xpath(f"//*[@{a}]")):
        value = (element.get(attribute) or "").strip()
        if not value.lower().startswith(ABSOLUTE) and not MERGE_TAG.search(value):
            report(f"relative URL {value!r} in <{element.tag} {attribute}>: it cannot work in an inbox")
    for image in tree.xpath("//img"):
        name = image.get("src", "")
        alt = image.get("alt")
        if alt is None:
            report(f"image {name!r} has no alt text (shown when images are blocked)")
        elif not alt.strip():
            report(f"image {name!r} has an empty alt text; describe it unless it is decorative", "warning")
        if not image.get("width"):
            report(f"image {name!r} has no width attribute; Outlook shows it at full size", "warning")
    return found
