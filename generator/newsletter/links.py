"""How an e-mail's links resolve: absolute URLs, and for a customer issue public addresses only.

A customer issue may not send readers to the internal playbook: a link to an internal page
or to `site_url` is an error, unless the target declares `public_url:`; a customer issue
links another customer issue's public web version; images and files it links are published
with the public archive under `files/`. Staff issues resolve against the internal site.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from generator.config.settings import Config
from generator.content.model import Asset, Document, Playbook
from generator.content.schema import Newsletter
from generator.errors import Problem
from generator.markdown.links import LinkResolver, Target
from generator.newsletter.issue import is_public, public_web_url
from generator.urls import absolute

PUBLIC_FILES = "files"


def is_internal(url: str, config: Config) -> bool:
    """True for an absolute URL on the internal site's host (which customers cannot open)."""
    if config.site_url is None or not url.lower().startswith(("http://", "https://", "//")):
        return False
    return urlsplit(url).netloc.lower() == urlsplit(config.site_url).netloc.lower()


def public_address(doc: Document, config: Config) -> str | None:
    """Where customers can read `doc`: its `public_url:`, a customer issue's web version, or None."""
    if doc.meta.public_url:
        return doc.meta.public_url
    if isinstance(doc.meta, Newsletter) and is_public(doc, config) and doc.fallback_of is None:
        return public_web_url(doc, config)
    return None


def public_file_url(config: Config, asset: Asset) -> str:
    assert config.newsletter.public_url is not None
    return absolute(config.newsletter.public_url, f"{PUBLIC_FILES}/{asset.url}")


def assets_by_url(playbook: Playbook) -> dict[str, Asset]:
    return {asset.url: asset for assets in playbook.assets_by_lang.values() for asset in assets.values()}


@dataclass
class EmailLinkResolver(LinkResolver):
    """`LinkResolver` for one e-mail or web version. With `public`, only public addresses:
    what it refuses is in `refusals` (the site render already reported broken links), the
    files it links are in `published`."""

    public: bool = False
    assets: dict[str, Asset] = field(default_factory=dict)
    refusals: list[Problem] = field(default_factory=list)
    published: dict[str, Asset] = field(default_factory=dict)

    def asset_of(self, raw: str) -> Asset | None:
        """The content file a relative link or image source names, if it is one."""
        parts = urlsplit(raw)
        if parts.scheme or raw.startswith("//") or not parts.path:
            return None
        target = self._target(_path(parts.path), "", None)
        return self.assets.get(target.url) if target is not None and target.document is None else None

    def _resolve(self, raw: str, line: int | None, text: str, track: bool) -> str:
        if not self.public:
            return super()._resolve(raw, line, text, track)
        config = self.playbook.config
        parts = urlsplit(raw)
        if parts.scheme or raw.startswith("//"):
            if is_internal(raw, config):
                self._refuse(line, f"{raw!r} is on the internal site ({config.site_url})")
                return raw
            return super()._resolve(raw, line, text, track)
        target = self._target(_path(parts.path), "", line)
        url = self._public_target(target, raw, line) if target is not None else None
        if url is None:
            return raw
        return self._external(url, text) if track else url

    def _public_target(self, target: Target, raw: str, line: int | None) -> str | None:
        config = self.playbook.config
        fragment = urlsplit(raw).fragment
        if target.document is not None:
            address = public_address(target.document, config)
            if address is None:
                self._refuse(
                    line,
                    f"{raw!r} is an internal page ({target.document.source}); give it a public address "
                    "(`public_url: https://...` in its front matter)",
                )
                return None
            same_body = not target.document.meta.public_url  # a web version shows the issue's own headings
            return address + (f"#{fragment}" if fragment and same_body else "")
        asset = self.assets.get(target.url)
        if asset is None:
            self._refuse(line, f"{raw!r} is a folder of the internal site")
            return None
        self.published[asset.url] = asset
        return public_file_url(config, asset)

    def _refuse(self, line: int | None, message: str) -> None:
        hint = "customers cannot open it (or mark this issue `audience: staff`)"
        self.refusals.append(Problem(self.doc.source, line, "link", f"customer newsletter: {message}: {hint}"))


def _path(raw: str) -> str:
    return unicodedata.normalize("NFC", unquote(raw))
