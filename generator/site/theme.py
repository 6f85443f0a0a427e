"""The theme: Jinja2 templates (autoescaped) and fingerprinted static assets.

The built-in theme lives in `generator/site/builtin_theme/`; a project's `themes/` folder overrides any
single template, asset, archetype or catalog by giving a file of the same name. Templates
hold markup; the helpers registered here only compute URLs and formats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import urls
from generator.build.uptodate import contents_digest
from generator.newsletter.issue import page_share_links
from generator.newsletter.tracking import ShareLink
from generator.site.charts import trend_chart
from generator.site.fragments import shared_sidebar

BUILTIN_THEME = Path(__file__).resolve().parent / "builtin_theme"


@dataclass
class Theme:
    dirs: list[Path]
    env: jinja2.Environment
    fingerprint: str
    """Changes whenever any template, asset or catalog changes (a cache key)."""
    assets: dict[str, str] = field(default_factory=dict)
    asset_bytes: dict[str, bytes] = field(default_factory=dict)
    compiled: bool = False

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def compile_templates(self) -> None:
        """Compile every template now (each is compiled once per theme, and worker processes
        forked afterwards inherit them instead of each compiling its own). A template that
        does not compile is left to fail, with its message, where a page uses it."""
        if self.compiled:
            return
        self.compiled = True
        for name in self.env.list_templates():
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                continue

    def find(self, *parts: str) -> Path | None:
        """The first theme folder's copy of a file (user override before built-in)."""
        for folder in self.dirs:
            candidate = folder.joinpath(*parts)
            if candidate.is_file():
                return candidate
        return None


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: Any, fragment: str = "") -> str:
    """Relative link from the page being rendered to a document or site path; an external
    URL (a `logo` on a CDN) as it is."""
    to_url = getattr(target, "url", target)
    if urls.is_external(to_url):
        return to_url
    return urls.href(context.get("page_url", ""), to_url, fragment)


@jinja2.pass_context
def _static(context: jinja2.runtime.Context, name: str) -> str:
    assets: dict[str, str] = context["theme_assets"]
    return urls.href(context.get("page_url", ""), assets[name])


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str, **values: Any) -> str:
    return context["i18n"].gettext(message, **values)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, count: int, **values: Any) -> str:
    return context["i18n"].ngettext(singular, plural, count, **values)


@jinja2.pass_context
def _person_url(context: jinja2.runtime.Context, person: Any) -> str:
    """Relative link to a person's page in the current language's people directory."""
    return urls.href(context.get("page_url", ""), urls.person_url(context["home_url"], person.id))


@jinja2.pass_context
def _tag_url(context: jinja2.runtime.Context, tag: str) -> str:
    return urls.href(context.get("page_url", ""), urls.tag_url(context["home_url"], tag))


@jinja2.pass_context
def _share_links(context: jinja2.runtime.Context, doc: Any) -> list[ShareLink]:
    """A page's tracked share links, worked out only for the pages actually rendered (the
    templates ask only where the site shares its pages, see `Presence.share`)."""
    return page_share_links(doc, context["site"]) if doc is not None else []


def _safe(html: str) -> Markup:
    """Mark HTML that our own Markdown engine produced as safe to insert."""
    return Markup(html)


_LOADED: dict[tuple[tuple[Path, ...], str], Theme] = {}


def load_theme(root: Path, theme_dir: str) -> Theme:
    """The theme of a project. The last one loaded is kept while its files are unchanged,
    so that a rebuild (`playbook serve`) does not compile its templates again."""
    user = (root / theme_dir).resolve()
    dirs = list(dict.fromkeys(d for d in (user, BUILTIN_THEME) if d.is_dir()))
    key = (tuple(dirs), contents_digest(dirs))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = _new_theme(dirs, key[1])
    return _LOADED[key]


def _new_theme(dirs: list[Path], fingerprint: str) -> Theme:
    loader = jinja2.FileSystemLoader([str(d / "templates") for d in dirs])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(url=_url, static=_static, _=_gettext, gettext=_gettext, ngettext=_ngettext)
    env.globals.update(person_url=_person_url, tag_url=_tag_url, share_links_of=_share_links)
    env.globals.update(trend_chart=trend_chart, shared_sidebar=shared_sidebar)
    env.filters["safe_html"] = _safe
    theme = Theme(dirs, env, fingerprint)
    _collect_assets(theme)
    return theme


def _collect_assets(theme: Theme) -> None:
    """Fingerprint every asset so hosts may cache them forever."""
    for folder in reversed(theme.dirs):
        asset_root = folder / "assets"
        if not asset_root.is_dir():
            continue
        for path in sorted(asset_root.rglob("*")):
            if path.is_file():
                name = path.relative_to(asset_root).as_posix()
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()[:10]
                stem, dot, ext = name.rpartition(".")
                fingerprinted = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
                theme.assets[name] = f"{urls.ASSET_FOLDER}/{fingerprinted}"
                theme.asset_bytes[name] = data
