"""Renderer rules for links and images: `.md` paths become URLs, broken targets are errors.

A link is resolved against the content tree, never by regular expressions over HTML. The
resolver answers for one page; the same parsed tokens render for the site (relative URLs)
or for an e-mail (absolute URLs, tracked by the newsletter stage).
"""

from __future__ import annotations

import difflib
import posixpath
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple
from urllib.parse import unquote, urlsplit

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from generator.content.model import ContentPath, Document, Playbook
from generator.errors import Problem
from generator.urls import absolute, href

RESOLVER_KEY = "resolver"
NOTRACK_TITLE = "notrack"  # `[text](https://... "notrack")`: the e-mail keeps this link untagged
Check = Literal["not_found", "anchors", "unrecognized"]


def closest(word: str, options: Iterable[str], count: int) -> list[str]:
    """The `count` options most like `word` (difflib's similarity), best first."""
    scored = [(difflib.SequenceMatcher(None, word, option).ratio(), option) for option in options]
    return [option for _, option in sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:count]]


def suggestion(playbook: Playbook, doc: Document, looked_for: ContentPath) -> str:
    """`; did you mean '...'?` naming the existing document closest to `looked_for`, written as
    a path from `doc` (empty when no document is close)."""
    keys = [key for key in playbook.by_lang.get(looked_for.lang, {}) if key.endswith(".md")]
    best = difflib.get_close_matches(looked_for.key, keys, n=1, cutoff=0.5)
    if not best:
        return ""
    if looked_for.lang == doc.lang:
        return f"; did you mean {posixpath.relpath(best[0], doc.folder or '.')!r}?"
    return f"; did you mean {best[0]!r} in {looked_for.lang!r}?"


@dataclass
class Target:
    """What a link in the source points at, once resolved."""

    url: str
    fragment: str = ""
    document: Document | None = None


class Link(NamedTuple):
    """One link as a body resolved it: what was written, where, and the URL written for it."""

    raw: str
    line: int | None
    text: str
    track: bool
    resolved: str


@dataclass
class LinkResolver:
    """Resolves the links of one document for one output page."""

    playbook: Playbook
    doc: Document
    anchors: Mapping[str, frozenset[str]]
    absolute_base: str | None = None
    rewrite_external: Callable[[str, str], str] | None = None
    problems: list[Problem] = field(default_factory=list)
    log: list[Link] | None = None

    def resolve(self, raw: str, line: int | None, text: str = "", *, track: bool = True) -> str:
        """The URL to write for `raw`; on a broken target, record a problem and keep `raw`.

        `track=False` (images, opted-out links) skips `rewrite_external`. With a `log`, every
        answer is recorded (the build cache replays them).
        """
        resolved = self._resolve(raw, line, text, track)
        if self.log is not None:
            self.log.append(Link(raw, line, text, track, resolved))
        return resolved

    def replays(self, log: Iterable[Link]) -> bool:
        """True if every link of `log` still resolves as it did."""
        return all(self.resolve(link.raw, link.line, link.text, track=link.track) == link.resolved for link in log)

    def _resolve(self, raw: str, line: int | None, text: str, track: bool) -> str:
        parts = urlsplit(raw)
        if parts.scheme or raw.startswith("//"):
            return self._external(raw, text) if track else raw
        target = self._target(_nfc(unquote(parts.path)), _nfc(unquote(parts.fragment)), line)
        if target is None:
            return raw
        if self.absolute_base is not None:
            url = absolute(self.absolute_base, target.url)
            url += f"#{parts.fragment}" if parts.fragment else ""
            return self._external(url, text) if track else url
        return href(self.doc.url, target.url, target.fragment)

    def _external(self, url: str, text: str) -> str:
        if self.rewrite_external is None or not url.lower().startswith(("http://", "https://")):
            return url
        return self.rewrite_external(url, text)

    def _error(self, line: int | None, message: str, check: Check | None = None) -> None:
        """Record a problem; a broken target or anchor is as grave as the `links` settings say
        (MkDocs projects: mkdocs.yml's `validation:`)."""
        level = getattr(self.playbook.config.links, check) if check else "error"
        if level != "ignore":
            self.problems.append(Problem(self.doc.source, line, "link", message, level))

    def _target(self, path: str, fragment: str, line: int | None) -> Target | None:
        if not path:
            self._check_anchor(self.doc, fragment, line)
            return Target(self.doc.url, fragment, self.doc)
        place = self.playbook.content_path(self.doc, path)
        if place is None:
            self._error(line, f"{path!r} points outside the content folder", _missing(path))
            return None
        if place.key.endswith(".md"):
            return self._document_target(place, path, fragment, line)
        return self._file_target(place, path, fragment, line)

    def _document_target(self, place: ContentPath, path: str, fragment: str, line: int | None) -> Target | None:
        target = self.playbook.document(*place)
        if target is None:
            hint = suggestion(self.playbook, self.doc, place)
            message = f"link to missing document {path!r} (looked for {place.key!r} in {place.lang!r}){hint}"
            self._error(line, message, "not_found")
            return None
        if not self._check_anchor(target, fragment, line) and self.doc.fallback_of is not None:
            fragment = ""
        return Target(target.url, fragment, target)

    def _file_target(self, place: ContentPath, path: str, fragment: str, line: int | None) -> Target | None:
        lang, key = place
        folder_key = key.rstrip("/")
        index = self.playbook.folder_index(lang, folder_key)
        if index is not None:
            return Target(index.url, fragment, index)
        if self.playbook.has_folder(lang, folder_key):
            return Target(self.playbook.config.url_scheme.folder(folder_key, self.playbook.prefixes[lang]), fragment)
        for asset_lang in (lang, self.doc.content_lang):
            asset = self.playbook.assets_by_lang.get(asset_lang, {}).get(key)
            if asset is not None:
                return Target(asset.url, fragment)
        self._error(line, f"link to missing file {path!r}", _missing(path))
        return None

    def _check_anchor(self, target: Document, fragment: str, line: int | None) -> bool:
        """True when the fragment names a heading of the target (or there is none).

        A translation fallback links to the translated target when there is one, whose
        headings differ; its caller then drops the fragment instead of reporting it.
        """
        known = self.anchors.get(target.source, frozenset())
        if not fragment or fragment in known:
            return True
        where = "this page" if target is self.doc else target.source
        ranked = closest(fragment, known, 8)
        best = difflib.get_close_matches(fragment, known, n=1, cutoff=0.5)
        hint = f"; did you mean #{best[0]}?" if best else ""
        hint += f" (headings: {', '.join(ranked)})" if ranked else ""
        self._error(line, f"no heading #{fragment} in {where}{hint}", "anchors")
        return False


def _missing(path: str) -> Check:
    """A missing target without a file extension is an "unrecognized" link, as MkDocs says:
    it may be a URL written for the built site (`../advanced/transports`)."""
    return "not_found" if posixpath.splitext(path.rstrip("/"))[1] else "unrecognized"


def _nfc(text: str) -> str:
    """Links written with decomposed letters (NFD) find files and headings named in NFC."""
    return unicodedata.normalize("NFC", text)


def _resolver(env: dict) -> LinkResolver | None:
    return env.get(RESOLVER_KEY)


def _link_text(tokens: list[Token], idx: int) -> str:
    text = []
    for token in tokens[idx + 1 :]:
        if token.type == "link_close":
            break
        text.append(token.content)
    return "".join(text).strip()


def link_href(tokens: list[Token], idx: int, resolver: LinkResolver | None) -> str | None:
    """The href the `link_open` at `idx` gets. A "notrack" title keeps the link untagged (and is
    not rendered)."""
    token = tokens[idx]
    raw = token.attrGet("href")
    track = token.attrGet("title") != NOTRACK_TITLE
    if resolver is None or not isinstance(raw, str):
        return raw if isinstance(raw, str) else None
    return resolver.resolve(raw, token.meta.get("line"), _link_text(tokens, idx), track=track)


def render_link_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: dict) -> str:
    token = tokens[idx]
    href = link_href(tokens, idx, _resolver(env))
    attrs = {} if href is None else {"href": href}
    drop = ("title",) if token.attrGet("title") == NOTRACK_TITLE else ()
    return _with_attrs(token, attrs, lambda: self.renderToken(tokens, idx, options, env), drop)


def render_image(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: dict) -> str:
    token = tokens[idx]
    resolver = _resolver(env)
    raw = token.attrGet("src")
    attrs: dict[str, str | int | float] = {"loading": "lazy"}
    if resolver is not None and isinstance(raw, str):
        attrs["src"] = resolver.resolve(raw, token.meta.get("line"), track=False)
    return _with_attrs(token, attrs, lambda: self.image(tokens, idx, options, env))


def _with_attrs(
    token: Token, attrs: dict[str, str | int | float], render: Callable[[], str], drop: tuple[str, ...] = ()
) -> str:
    """Render `token` with some attributes replaced or dropped, then restore them: parsed
    tokens are shared by every page and e-mail that shows the document, so rendering must
    not change them."""
    saved = dict(token.attrs)
    token.attrs.update(attrs)
    for name in drop:
        token.attrs.pop(name, None)
    try:
        return render()
    finally:
        token.attrs = saved
