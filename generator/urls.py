"""URL scheme: slugs, document URLs and relative links between output pages.

URLs are kept unquoted and relative to the site root ("" is the home page, folders end in
"/"); `href` makes the percent-encoded relative link a page writes, so `site/` works under
any sub-path.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote

_NOT_SLUG = re.compile(r"[^\w\- ]+")
_DASHES = re.compile(r"[\s_\-]+")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
LINK_SAFE = "/.-_~!$&'()*+,;=:@%"
ASSET_FOLDER = "_playbook"
"""The theme's assets, at the site's root."""
BUNDLE_FOLDER = "pagefind"
"""Pagefind's search bundle, at the site's root."""
RESERVED_FOLDERS = {ASSET_FOLDER: "the theme's files", BUNDLE_FOLDER: "the search index"}
"""Top-level folders of the site that the build writes itself; content may not use them."""


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Readable, stable slug: lowercase, Unicode letters kept (Cyrillic stays Cyrillic).
    Remembered: pages slugify the same tags and folder names over and over."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _NOT_SLUG.sub("", text)
    return _DASHES.sub("-", text).strip("-")


def folder_title(name: str) -> str:
    """A readable title from a folder name: `social-media` -> `Social media`."""
    return name.replace("-", " ").replace("_", " ").capitalize()


def language_prefix(lang: str, default: str, default_at_root: bool) -> str:
    return "" if lang == default and default_at_root else f"{lang}/"


def document_url(key: str, slug: str | None, prefix: str) -> str:
    """`strategy/plan.md` -> `strategy/plan/`; `strategy/index.md` -> `strategy/`."""
    path = PurePosixPath(key)
    folders = [slugify(part) or part for part in path.parent.parts]
    stem = path.stem
    segments = folders if stem == "index" and slug is None else [*folders, slug or slugify(stem) or stem]
    return prefix + "".join(f"{segment}/" for segment in segments)


def folder_url(folder: str, prefix: str) -> str:
    parts = PurePosixPath(folder).parts
    return prefix + "".join(f"{slugify(part) or part}/" for part in parts)


INDEX_NAMES = ("index.md", "README.md")


@dataclass(frozen=True)
class UrlScheme:
    """How content paths become URLs. Playbook's: slugs and pretty URLs. MkDocs': file and
    folder names as written, `README.md` as the folder's page, `name.html` without
    directory URLs (a folder's page is its index.html either way)."""

    mkdocs: bool = False
    directory_urls: bool = True

    def document(self, key: str, slug: str | None, prefix: str) -> str:
        if not self.mkdocs:
            return document_url(key, slug, prefix)
        path = PurePosixPath(key)
        folder = self.folder(path.parent.as_posix() if path.parent.parts else "", prefix)
        if path.name in INDEX_NAMES:
            return folder
        name = slug or path.stem
        return folder + (f"{name}/" if self.directory_urls else f"{name}.html")

    def folder(self, folder: str, prefix: str) -> str:
        if not self.mkdocs:
            return folder_url(folder, prefix)
        return prefix + "".join(f"{part}/" for part in PurePosixPath(folder).parts)

    def is_folder_page(self, key: str) -> bool:
        """True for the file that is its folder's page: index.md (README.md too, for MkDocs)."""
        name = key.rsplit("/", 1)[-1]
        return name == "index.md" or (self.mkdocs and name == "README.md")


def output_path(url: str) -> str:
    """The file that serves `url`: folders get an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def is_external(url: str) -> bool:
    """True for a URL with a host (`https://cdn.example.com/logo.png`, `//cdn...`): used as is."""
    return _EXTERNAL.match(url) is not None


def href(from_url: str, to_url: str, fragment: str = "") -> str:
    """The relative, percent-encoded link from the page at `from_url` to `to_url`."""
    page_folder = from_url[:-1]
    if from_url.endswith("/") and page_folder and not to_url.startswith(page_folder):
        link = _link_from_sibling(posixpath.dirname(page_folder), to_url)
    else:
        link = _link(from_url, to_url)
    if fragment:
        link += "#" + quote(fragment, safe="-_.~!$&'()*+,;=:@%")
    return link or "./"


@lru_cache(maxsize=1 << 16)
def _link_from_sibling(folder: str, to_url: str) -> str:
    """The link from any page `folder/NAME/` to a `to_url` that is not below it: the same for
    every page of `folder`, so it is worked out once per (folder, target)."""
    up = _relative_path(to_url, folder)
    target = ".." if up == "." else "../" + up
    if to_url.endswith("/") or to_url == "":
        target += "/"
    return quote(target, safe=LINK_SAFE)


def _link(from_url: str, to_url: str) -> str:
    """The percent-encoded relative link, "" for the page itself."""
    if to_url == from_url:
        return ""
    base = from_url.rstrip("/") if from_url.endswith("/") else posixpath.dirname(from_url)
    target = _relative_path(to_url, base)
    if to_url.endswith("/") or to_url == "":
        target = "./" if target == "." else target + "/"
    return quote(target, safe=LINK_SAFE)


def _relative_path(to_url: str, base: str) -> str:
    """posixpath.relpath for site URLs (already normalised), without its look at the working
    folder: every link of every page goes through here."""
    to_parts = [part for part in to_url.split("/") if part]
    base_parts = [part for part in base.split("/") if part]
    common = 0
    for mine, theirs in zip(to_parts, base_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base_parts) - common) + to_parts[common:]) or "."


def absolute(site_url: str, url: str) -> str:
    """Absolute URL of a page, from `site_url` (which ends in '/'); an external URL as it is."""
    if is_external(url):
        return url
    return site_url + quote(url, safe=LINK_SAFE)


def person_url(prefix: str, person_id: str) -> str:
    """The page of one person in the people directory of a language."""
    return f"{prefix}people/{slugify(person_id) or person_id}/"


def tag_url(prefix: str, tag: str) -> str:
    """The page listing every document with this tag (tags differing in case share one)."""
    return f"{prefix}tags/{slugify(tag) or tag}/"
