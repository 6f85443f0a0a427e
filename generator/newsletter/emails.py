"""The newsletter generator: for each issue, `email.html`, `email.txt`, `message.eml` and
`links.csv` in the newsletters tree, plus the site's short-link pages when enabled.

The body goes through the same Markdown engine as the site, with a resolver that makes
every URL absolute and hands outbound links to the issue's tracker.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from generator import depends
from generator.errors import Problem
from generator.markdown.engine import ParsedBody, parse, render
from generator.markdown.links import LinkResolver
from generator.model import Document
from generator.newsletter.inline import MERGE_TAG_PLACEHOLDER, inline_css
from generator.newsletter.issue import SHORT_LINK_FOLDER, Issue, Tracker, issue_of
from generator.newsletter.lint import lint_email
from generator.newsletter.message import build_message, links_csv, short_link_rows
from generator.newsletter.text import References, render_text
from generator.schema import Newsletter
from generator.site.context import OutputFile, SiteContext
from generator.tracking import share_links
from generator.urls import absolute

PREHEADER_PADDING = "\u200c\u00a0" * 90  # keeps the body's first words out of the inbox preview
WEB_VERSION_ID = "web-version"


class AbsoluteBody(NamedTuple):
    """A body rendered for outside the site: the parse, its links' resolver and the HTML."""

    parsed: ParsedBody
    resolver: LinkResolver
    html: str


@dataclass(frozen=True)
class Card:
    """A featured page or campaign in the e-mail."""

    kind: str
    title: str
    summary: str
    href: str
    ref: int = 0


@dataclass(frozen=True)
class IssueEmail:
    issue: Issue
    html: str
    text: str
    tracker: Tracker


def newsletter_documents(site: SiteContext) -> list[Document]:
    """Issues that get e-mails: every newsletter except translation fallbacks."""
    return [d for d in site.playbook.documents if isinstance(d.meta, Newsletter) and d.fallback_of is None]


class Newsletters:
    """The e-mail files of every issue (and `go/` short-link pages on the site)."""

    def generate(self, site: SiteContext) -> Iterator[OutputFile]:
        docs = newsletter_documents(site)
        config = site.playbook.config
        if not docs:
            return
        if config.site_url is None:
            site.problems.error(
                docs[0].source,
                "newsletters need site_url in playbook.yml to make their links absolute "
                "(e.g. site_url: https://intranet.example.com/playbook/)",
                None,
                "site_url",
            )
            return
        items = [
            (f"newsletter:{doc.source}", depends.newsletter_issue(site, doc, featured_documents(site, doc)))
            for doc in docs
        ]
        made = site.remembered_all(items, lambda index: make_issue(site, docs[index]))
        short_links: dict[str, tuple[str, str]] = {}
        for doc, (files, (rows, problems)) in zip(docs, made, strict=True):
            site.problems.extend(problems)
            yield from files
            for code, target in rows:
                short_links.setdefault(code, (target, doc.source))
        yield from short_link_pages(site, short_links)


IssueExtra = tuple[list[tuple[str, str]], list[Problem]]


def make_issue(site: SiteContext, doc: Document) -> tuple[list[OutputFile], IssueExtra]:
    """One issue's files, and its short links and lint problems (kept by the build cache
    while the issue, its body as the site rendered it and its featured documents are the same)."""
    config = site.playbook.config
    assert config.site_url is not None
    email = render_issue(site, issue_of(doc, config, config.site_url))
    problems = lint_email(email.html, doc, config.newsletter.max_html_kb)
    return list(issue_files(site, email)), (list(short_link_rows(email.tracker.links.values())), problems)


def absolute_body(
    site: SiteContext, doc: Document, tracker: Callable[[str, str], str] | None = None
) -> AbsoluteBody:
    """A body rendered with absolute URLs (for e-mail and feeds); link problems were already
    reported by the site render, so this resolver's are not collected again."""
    config = site.playbook.config
    parsed = parse(doc.body, doc.body_line, title=doc.title, settings=config.markdown, project=site.playbook.root)
    anchors = site.heading_anchors
    resolver = LinkResolver(site.playbook, doc, anchors, absolute_base=config.site_url, rewrite_external=tracker)
    return AbsoluteBody(parsed, resolver, render(parsed, resolver, settings=config.markdown, inline_styles=True))


def render_issue(site: SiteContext, issue: Issue) -> IssueEmail:
    """HTML and plain text of one issue, with all its links tracked once."""
    config, doc = site.playbook.config, issue.doc
    assert config.site_url is not None
    i18n = site.localizers[doc.lang]
    tracker = issue.tracker(config)
    web_href = tracker.track(issue.web_url, i18n.gettext("Web version"), WEB_VERSION_ID)
    parsed, resolver, body_html = absolute_body(site, doc, tracker)
    cards = featured_cards(site, issue, tracker)
    shares = share_links(issue.web_url, doc.title, list(config.tracking.share_networks), issue.campaign)
    context = {
        "site": config,
        "lang": doc.lang,
        "dir": i18n.direction,
        "i18n": i18n,
        "meta": issue.meta,
        "title": doc.title,
        "subject": issue.meta.subject_line,
        "preheader": issue.meta.preheader or "",
        "preheader_padding": PREHEADER_PADDING if issue.meta.preheader else "",
        "logo_url": absolute(config.site_url, config.logo) if config.logo else None,
        "web_href": web_href,
        "unsubscribe_href": MERGE_TAG_PLACEHOLDER,
        "unsubscribe": config.newsletter.unsubscribe,
        "body_html": body_html,
        "cards": cards,
        "shares": shares,
    }
    html = inline_css(site.theme.render("email/email.html", **context), config.newsletter.unsubscribe)
    text = render_plain_text(site, parsed, resolver, context)
    return IssueEmail(issue, html, text, tracker)


def render_plain_text(site: SiteContext, parsed: ParsedBody, resolver: LinkResolver, context: dict) -> str:
    """The text part: the same tokens and the same tracked URLs, as numbered references."""
    refs = References()
    body_text = render_text(parsed, resolver, refs)
    cards = [Card(c.kind, c.title, c.summary, c.href, refs.number(c.href)) for c in context["cards"]]
    text = site.theme.render(
        "email/email.txt", **{**context, "body_text": body_text, "cards": cards, "references": refs.listing()}
    )
    return text.strip() + "\n"


def featured_documents(site: SiteContext, doc: Document) -> list[Document]:
    return site.playbook.featured(doc)


def featured_cards(site: SiteContext, issue: Issue, tracker: Tracker) -> list[Card]:
    site_url = site.playbook.config.site_url
    assert site_url is not None
    return [
        Card(item.type, item.title, item.meta.summary, tracker.track(absolute(site_url, item.url), item.title))
        for item in featured_documents(site, issue.doc)
    ]


def issue_files(site: SiteContext, email: IssueEmail) -> Iterator[OutputFile]:
    issue, doc = email.issue, email.issue.doc
    date = issue.meta.date or site.playbook.build_date
    message = build_message(issue, site.playbook.config, email.text, email.html, date)
    files = {
        "email.html": email.html.encode("utf-8"),
        "email.txt": email.text.encode("utf-8"),
        "message.eml": message.as_bytes(),
        "links.csv": links_csv(email.tracker.links.values()).encode("utf-8"),
    }
    for name, data in files.items():
        yield OutputFile(f"{issue.folder}/{name}", data, doc.source, tree="newsletters")


def short_link_pages(site: SiteContext, links: dict[str, tuple[str, str]]) -> Iterator[OutputFile]:
    """`go/<code>/index.html` redirect pages and `go/manifest.csv` (code → target)."""
    if not links:
        return
    lang = site.playbook.config.default_lang
    i18n = site.localizers[lang]
    buffer = io.StringIO()
    manifest = csv.writer(buffer, lineterminator="\n")
    manifest.writerow(("code", "target", "newsletter"))
    for code, (target, source) in sorted(links.items()):
        manifest.writerow((code, target, source))
        page = site.theme.render("go.html", lang=lang, i18n=i18n, target=target)
        yield OutputFile(f"{SHORT_LINK_FOLDER}/{code}/index.html", page.encode("utf-8"), "short links")
    yield OutputFile(f"{SHORT_LINK_FOLDER}/manifest.csv", buffer.getvalue().encode("utf-8"), "short links")
