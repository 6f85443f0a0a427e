"""One newsletter issue as the e-mail sees it: its slug, output folder, campaign, web
version, and the tracker that tags (and optionally shortens) every link it contains."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.config.settings import Config
from generator.content.model import Document
from generator.content.schema import Newsletter
from generator.newsletter.tracking import ShareLink, is_trackable, link_id, share_links, short_code, tag_url, utm_params
from generator.urls import absolute

SHORT_LINK_FOLDER = "go"


@dataclass(frozen=True)
class TrackedLink:
    """One link of an e-mail: where it points, the URL with UTM, and its short link if any."""

    position: int
    text: str
    original: str
    tracked: str
    code: str = ""
    short_url: str = ""

    @property
    def href(self) -> str:
        """What the e-mail links to: the short link when there is one, else the tagged URL."""
        return self.short_url or self.tracked


@dataclass
class Tracker:
    """Tags the links of one issue, in the order they appear; the same link is tagged once."""

    source: str
    medium: str
    campaign: str
    short_base: str | None = None
    links: dict[tuple[str, str], TrackedLink] = field(default_factory=dict)

    def __call__(self, url: str, text: str) -> str:
        """The href for `url` (a `LinkResolver.rewrite_external` hook)."""
        return self.track(url, text)

    def track(self, url: str, text: str, content_id: str | None = None) -> str:
        if not is_trackable(url):
            return url
        known = self.links.get((url, text))
        if known is None:
            content = content_id or link_id(text, url)
            tracked = tag_url(url, utm_params(self.source, self.medium, self.campaign, content))
            code = short_code(tracked) if self.short_base else ""
            short = f"{self.short_base}{code}/" if code else ""
            known = TrackedLink(len(self.links) + 1, text, url, tracked, code, short)
            self.links[(url, text)] = known
        return known.href


@dataclass(frozen=True)
class Issue:
    """Where an issue's files go and how its links are tagged.

    A customer issue (with `newsletter.public_url` set) lives on the public host: its web
    version, short links, share links and images; a staff issue on the internal site."""

    doc: Document
    slug: str
    folder: str
    campaign: str
    web_url: str
    base_url: str
    public: bool

    @property
    def meta(self) -> Newsletter:
        assert isinstance(self.doc.meta, Newsletter)
        return self.doc.meta

    def tracker(self, config: Config) -> Tracker:
        tracking = config.tracking
        short_base = f"{self.base_url}{SHORT_LINK_FOLDER}/" if tracking.short_links else None
        return Tracker(tracking.utm_source, tracking.utm_medium, self.campaign, short_base)


def slug_of(doc: Document) -> str:
    return doc.url.rstrip("/").rsplit("/", 1)[-1]


def campaign_of(doc: Document, config: Config) -> str:
    """`tracking.utm_campaign` with {slug}, {issue} and {lang} filled in for this issue."""
    meta = doc.meta
    issue = str(meta.issue) if isinstance(meta, Newsletter) and meta.issue is not None else slug_of(doc)
    template = config.tracking.utm_campaign
    return template.replace("{slug}", slug_of(doc)).replace("{issue}", issue).replace("{lang}", doc.content_lang)


def is_public(doc: Document, config: Config) -> bool:
    """True for a customer issue of a playbook with a public newsletter host."""
    meta = doc.meta
    return isinstance(meta, Newsletter) and meta.for_customers and config.newsletter.public_url is not None


def issue_folder(doc: Document, config: Config) -> str:
    """`<slug>` for the default language, `<lang>/<slug>` for others (newsletters/ and the public archive)."""
    slug = slug_of(doc)
    return slug if doc.lang == config.default_lang else f"{doc.lang}/{slug}"


def public_web_url(doc: Document, config: Config) -> str:
    """The web version of a customer issue on the public host."""
    assert config.newsletter.public_url is not None
    return absolute(config.newsletter.public_url, issue_folder(doc, config) + "/")


def issue_of(doc: Document, config: Config, site_url: str) -> Issue:
    """The issue's folder, campaign and addresses (public or internal, see `Issue`)."""
    public = is_public(doc, config)
    base = config.newsletter.public_url if public else site_url
    assert base is not None
    web_url = public_web_url(doc, config) if public else absolute(site_url, doc.url)
    return Issue(doc, slug_of(doc), issue_folder(doc, config), campaign_of(doc, config), web_url, base, public)


def page_share_links(doc: Document, config: Config) -> list[ShareLink]:
    """Share links for a site page: an issue shares under its campaign (a customer issue its
    public web version), other pages under `tracking.share_campaign`."""
    if config.site_url is None:
        return []
    tracking = config.tracking
    campaign = campaign_of(doc, config) if isinstance(doc.meta, Newsletter) else tracking.share_campaign
    url = public_web_url(doc, config) if is_public(doc, config) else absolute(config.site_url, doc.url)
    return share_links(url, doc.title, list(tracking.share_networks), campaign)
