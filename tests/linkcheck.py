"""A link checker for built sites: every relative href/src must lead to a file, and every
fragment to an element id in that file. Used by the end-to-end tests."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not (tag == "base" and name == "href"):
                self.links.append(value)


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _target_file(page: Path, path: str, site: Path) -> Path:
    target = (page.parent / unquote(path)).resolve() if path else page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    if not target.is_relative_to(site.resolve()):
        raise ValueError(f"leaves the site: {path}")
    return target


def broken_links(site: Path) -> list[str]:
    """Every broken internal link or anchor in the site, as 'page: link (reason)'."""
    problems: list[str] = []
    ids_cache: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parsed = _parse(page)
        if parsed.base is not None:
            continue
        ids_cache[page.resolve()] = parsed.ids
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("data:"):
                continue
            try:
                target = _target_file(page, parts.path, site)
            except ValueError as exc:
                problems.append(f"{page.relative_to(site)}: {link} ({exc})")
                continue
            if not target.is_file():
                problems.append(f"{page.relative_to(site)}: {link} (no file {target.relative_to(site.resolve())})")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = ids_cache.get(target) or ids_cache.setdefault(target, _parse(target).ids)
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page.relative_to(site)}: {link} (no id {unquote(parts.fragment)!r})")
    return problems
