"""The newsletter generator: for each issue, `email.html`, `email.txt`, `message.eml` and
`links.csv` in the newsletters tree; a customer issue's web version, images and short
links in the public archive; a staff issue's short links on the site.

The body goes through the same Markdown engine as the site, with a resolver that makes
every URL absolute (public for customer issues) and hands outbound links to the tracker.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from markdown_it.token import Token

from generator.build import depends
from generator.content.model import Document
from generator.content.schema import Newsletter
from generator.errors import Problem
from generator.markdown.bodies import parse_document
from generator.markdown.engine import ParsedBody, render
from generator.newsletter.images import fitted, image_size
from generator.newsletter.inline import MERGE_TAG_PLACEHOLDER, inline_css
from generator.newsletter.issue import SHORT_LINK_FOLDER, Issue, Tracker, is_public, issue_of
from generator.newsletter.links import PUBLIC_FILES, EmailLinkResolver, assets_by_url, public_address
from generator.newsletter.lint import lint_email
from generator.newsletter.message import build_message, links_csv, short_link_rows, unsubscribe_slot
from generator.newsletter.text import References, render_text
from generator.newsletter.tracking import share_links
from generator.site.context import OutputFile, SiteContext
from generator.site.rendering import Tree
from generator.urls import absolute

PREHEADER_PADDING = "\u200c\u00a0" * 90  # keeps the body's first words out of the inbox preview
WEB_VERSION_ID = "web-version"
WEB_MEDIUM = "web"  # utm_medium of the links in a web version


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
    refusals: list[Problem]
    published: list[str]


class ShortLink(NamedTuple):
    code: str
    target: str


class IssueExtra(NamedTuple):
    """What the build keeps of an issue besides its files: short links, problems, and the
    content files (asset URLs) its public web version links."""

    short_links: list[ShortLink]
    problems: list[Problem]
    published: list[str]


def newsletter_documents(site: SiteContext) -> list[Document]:
    """Issues that get e-mails: every newsletter except translation fallbacks."""
    return [d for d in site.playbook.documents if isinstance(d.meta, Newsletter) and d.fallback_of is None]


def public_inputs(site: SiteContext) -> tuple[Any, ...]:
    """What a customer issue's links and images depend on beyond its own text: which documents
    have public addresses, and the content files (by size and time)."""
    config = site.playbook.config
    addresses = tuple((d.source, public_address(d, config)) for d in site.playbook.documents)
    files = tuple(
        (asset.display, stat.st_size, stat.st_mtime_ns)
        for asset in assets_by_url(site.playbook).values()
        for stat in [asset.source.stat()]
    )
    return addresses, files


class Newsletters:
    """The e-mail files of every issue, and the public archive's web versions, files and short links."""

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
        _warn_without_public_host(site, docs)
        shared = public_inputs(site) if config.newsletter.public_url else ()
        items = [
            (f"newsletter:{doc.source}", depends.newsletter_issue(site, doc, featured_documents(site, doc), shared))
            for doc in docs
        ]
        made = site.remembered_all(items, lambda index: make_issue(site, docs[index]))
        short_links: dict[Tree, dict[str, tuple[str, str, str]]] = {"site": {}, "public": {}}
        published: set[str] = set()
        for doc, (files, extra) in zip(docs, made, strict=True):
            site.problems.extend(extra.problems)
            yield from files
            tree: Tree = "public" if is_public(doc, config) else "site"
            for link in extra.short_links:
                short_links[tree].setdefault(link.code, (link.target, doc.source, doc.lang))
            published.update(extra.published)
        for tree, links in short_links.items():
            yield from short_link_pages(site, links, tree)
        yield from published_files(site, sorted(published))


def _warn_without_public_host(site: SiteContext, docs: list[Document]) -> None:
    config = site.playbook.config
    customers = [d for d in docs if isinstance(d.meta, Newsletter) and d.meta.for_customers]
    if customers and config.newsletter.public_url is None:
        site.problems.warning(
            customers[0].source,
            "customer newsletters need newsletter.public_url in playbook.yml (the public host of the "
            "newsletter archive, e.g. https://news.example.com/); until then their links point at the "
            "internal site, which customers cannot open (mark internal issues `audience: staff`)",
            None,
            "audience",
        )


def make_issue(site: SiteContext, doc: Document) -> tuple[list[OutputFile], IssueExtra]:
    """One issue's files, and its short links and problems (kept by the build cache while the
    issue, its body as the site rendered it, its featured documents and the public addresses
    are the same)."""
    config = site.playbook.config
    assert config.site_url is not None
    issue = issue_of(doc, config, config.site_url)
    email = render_issue(site, issue)
    problems = email.refusals + lint_email(email.html, doc, config.newsletter.max_html_kb)
    files = list(issue_files(site, email))
    if issue.public:
        web = render_issue(site, issue, web=True)
        files.append(OutputFile(f"{issue.folder}/index.html", web.html.encode("utf-8"), doc.source, tree="public"))
    shorts = [ShortLink(code, target) for code, target in short_link_rows(email.tracker.links.values())]
    return files, IssueExtra(shorts, problems, email.published)


def email_body(
    site: SiteContext, doc: Document, tracker: Callable[[str, str], str] | None = None, *, public: bool = False
) -> tuple[ParsedBody, EmailLinkResolver]:
    """A body parsed for e-mail or feeds, and the resolver that makes its URLs absolute
    (public ones for a customer issue); broken links were already reported by the site."""
    config = site.playbook.config
    resolver = EmailLinkResolver(
        site.playbook,
        doc,
        site.heading_anchors,
        absolute_base=config.site_url,
        rewrite_external=tracker,
        public=public,
        assets=assets_by_url(site.playbook),
    )
    return parsed_once(site, doc), resolver


def parsed_once(site: SiteContext, doc: Document) -> ParsedBody:
    """The body parsed as the site parses it, once per build for its e-mail, web version and feeds."""
    key = (doc.lang, doc.key)
    if key not in site.email_bodies:
        site.email_bodies[key] = parse_document(site.playbook, doc)
    return site.email_bodies[key]


def absolute_body(site: SiteContext, doc: Document, *, public: bool = False) -> str:
    """The body as HTML with absolute URLs, untracked (for feeds)."""
    parsed, resolver = email_body(site, doc, public=public)
    return render(parsed, resolver, settings=site.playbook.config.markdown, inline_styles=True)


def render_issue(site: SiteContext, issue: Issue, *, web: bool = False) -> IssueEmail:
    """HTML and plain text of one issue (or, with `web`, the HTML of its public web version),
    with all its links tracked once."""
    config, doc = site.playbook.config, issue.doc
    i18n = site.localizers[doc.lang]
    tracker = issue.tracker(config)
    if web:
        tracker = Tracker(config.tracking.utm_source, WEB_MEDIUM, issue.campaign)
    web_href = tracker.track(issue.web_url, i18n.gettext("Web version"), WEB_VERSION_ID)
    parsed, resolver = email_body(site, doc, tracker, public=issue.public)
    headline, parsed = single_headline(parsed, doc.title)
    parsed = size_images(parsed, resolver)
    body_html = render(parsed, resolver, settings=config.markdown, inline_styles=True)
    cards = featured_cards(site, issue, tracker, resolver)
    shares = share_links(issue.web_url, doc.title, list(config.tracking.share_networks), issue.campaign)
    settings = config.newsletter
    context = {
        "site": config,
        "lang": doc.lang,
        "dir": i18n.direction,
        "i18n": i18n,
        "meta": issue.meta,
        "title": doc.title,
        "headline": headline,
        "brand": settings.from_name or settings.organisation or config.site_name,
        "subject": issue.meta.subject_line,
        "preheader": issue.meta.preheader or "",
        "preheader_padding": PREHEADER_PADDING if issue.meta.preheader else "",
        "logo_url": _logo_url(site, issue, resolver),
        "web": web,
        "web_url": issue.web_url,
        "web_href": web_href,
        "archive_url": _archive_url(site, issue),
        "unsubscribe_href": MERGE_TAG_PLACEHOLDER if not settings.one_click else unsubscribe_slot(settings),
        "unsubscribe": unsubscribe_slot(settings),
        "body_html": body_html,
        "cards": cards,
        "shares": shares,
    }
    html = inline_css(site.theme.render("email/email.html", **context), settings.unsubscribe_url)
    text = "" if web else render_plain_text(site, parsed, resolver, context)  # a web page has no text part
    return IssueEmail(issue, html, text, tracker, resolver.refusals, sorted(resolver.published))


def _logo_url(site: SiteContext, issue: Issue, resolver: EmailLinkResolver) -> str | None:
    """The logo: as configured when absolute; in a customer issue, a content file published
    with the archive (or no logo: the internal site is out of customers' reach)."""
    config = site.playbook.config
    if not config.logo or config.site_url is None:
        return None
    path = "/" + config.logo.lstrip("/")
    if issue.public and "://" not in config.logo:
        return resolver.resolve(path, None, track=False) if resolver.asset_of(path) else None
    return absolute(config.site_url, config.logo)


def _archive_url(site: SiteContext, issue: Issue) -> str | None:
    """The public archive's index in the issue's language (customer issues only)."""
    config = site.playbook.config
    if not issue.public:
        return None
    return absolute(issue.base_url, "" if issue.doc.lang == config.default_lang else f"{issue.doc.lang}/")


class Headlined(NamedTuple):
    headline: str
    parsed: ParsedBody


def single_headline(parsed: ParsedBody, title: str) -> Headlined:
    """The e-mail's one `<h1>`: a leading `# Heading` of the body (taken out of the body), else
    the title; any other level-1 heading of the body becomes level 2 (in copies: the parse is
    shared)."""
    tokens = list(parsed.tokens)
    headline = title
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        headline = tokens[1].content.strip() or title
        del tokens[:3]
    demoted = [_level_two(token) for token in tokens]
    return Headlined(headline, replace(parsed, tokens=tuple(demoted)))


def _level_two(token: Token) -> Token:
    if token.type in ("heading_open", "heading_close") and token.tag == "h1":
        return token.copy(tag="h2", markup="##")
    return token


def size_images(parsed: ParsedBody, resolver: EmailLinkResolver) -> ParsedBody:
    """`width` and `height` for every image of a content file, from the file's real size fitted
    to the e-mail's column (remote images cannot be measured: a build never uses the network);
    sized images are copies, in copies of their inline tokens (the parse is shared)."""
    return replace(parsed, tokens=tuple(_with_sized_images(token, resolver) for token in parsed.tokens))


def _with_sized_images(token: Token, resolver: EmailLinkResolver) -> Token:
    if not any(child.type == "image" for child in token.children or []):
        return token
    return token.copy(children=[_sized(child, resolver) for child in token.children or []])


def _sized(child: Token, resolver: EmailLinkResolver) -> Token:
    source = child.attrGet("src") if child.type == "image" else None
    asset = resolver.asset_of(source) if isinstance(source, str) else None
    size = image_size(asset.source.read_bytes()) if asset is not None else None
    if size is None:
        return child
    shown = fitted(size)
    return child.copy(attrs={**child.attrs, "width": str(shown.width), "height": str(shown.height)})


def render_plain_text(site: SiteContext, parsed: ParsedBody, resolver: EmailLinkResolver, context: dict) -> str:
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


def featured_cards(site: SiteContext, issue: Issue, tracker: Tracker, resolver: EmailLinkResolver) -> list[Card]:
    """Cards linking each featured document: its public address in a customer issue (a
    featured document without one is an error at its `featured` line)."""
    config = site.playbook.config
    assert config.site_url is not None
    cards = []
    meta = issue.meta
    for index, path in enumerate(meta.featured):
        item = site.playbook.featured_target(issue.doc, path).document
        if item is None:
            continue
        url = public_address(item, config) if issue.public else absolute(config.site_url, item.url)
        if url is None:
            line = issue.doc.line_of(("featured", index))
            message = (
                f"customer newsletter: featured {path!r} is an internal page ({item.source}); customers cannot "
                "open it: give it a public address (`public_url: https://...` in its front matter)"
            )
            resolver.refusals.append(Problem(issue.doc.source, line, f"featured[{index}]", message))
            continue
        cards.append(Card(item.type, item.title, item.meta.summary, tracker.track(url, item.title)))
    return cards


def issue_files(site: SiteContext, email: IssueEmail) -> Iterator[OutputFile]:
    issue, doc = email.issue, email.issue.doc
    message = build_message(issue, site.playbook.config, email.text, email.html)
    files = {
        "email.html": email.html.encode("utf-8"),
        "email.txt": email.text.encode("utf-8"),
        "message.eml": message.as_bytes(),
        "links.csv": links_csv(email.tracker.links.values()).encode("utf-8"),
    }
    for name, data in files.items():
        yield OutputFile(f"{issue.folder}/{name}", data, doc.source, tree="newsletters")


def short_link_pages(site: SiteContext, links: dict[str, tuple[str, str, str]], tree: Tree) -> Iterator[OutputFile]:
    """`go/<code>/index.html` redirect pages, each in the language of the issue that first
    used the link, and `go/manifest.csv` (code → target), on the site (staff issues) or the
    public archive (customer issues)."""
    if not links:
        return
    buffer = io.StringIO()
    manifest = csv.writer(buffer, lineterminator="\n")
    manifest.writerow(("code", "target", "newsletter"))
    for code, (target, source, lang) in sorted(links.items()):
        manifest.writerow((code, target, source))
        page = site.theme.render("go.html", lang=lang, i18n=site.localizers[lang], target=target)
        yield OutputFile(f"{SHORT_LINK_FOLDER}/{code}/index.html", page.encode("utf-8"), "short links", tree)
    yield OutputFile(f"{SHORT_LINK_FOLDER}/manifest.csv", buffer.getvalue().encode("utf-8"), "short links", tree)


def published_files(site: SiteContext, urls: list[str]) -> Iterator[OutputFile]:
    """The content files (images, PDFs) that customer issues link, copied to the public archive."""
    assets = assets_by_url(site.playbook)
    for url in urls:
        asset = assets[url]
        yield OutputFile(f"{PUBLIC_FILES}/{url}", asset.source.read_bytes(), asset.display, tree="public")
