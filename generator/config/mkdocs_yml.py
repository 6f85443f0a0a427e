"""Existing MkDocs projects: read `mkdocs.yml` with a tolerant loader of our own and express
it as our Config, so `playbook build` works in a folder that has no `playbook.yml` yet.

The loader never imports anything: `!!python/name:` and `!!python/object/apply:` tags become
names Playbook can recognise (a slug function, say), `!ENV` reads environment variables and
`INHERIT` merges a parent file, as MkDocs does. Plugins and Markdown extensions that
Playbook neither renders nor maps are listed once, in one warning. MkDocs' themes are not
used: Playbook renders with its own theme and Markdown engine. Pages may omit `title`.

This module turns `mkdocs.yml` into settings as `playbook.yml` would hold them; validating
them is `config`'s job, so it never imports `config`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

import yaml

from generator.errors import BuildFailed, Problem, Problems

MKDOCS_NAME = "mkdocs.yml"
MAX_INHERIT = 10
DEFAULT_EXCLUDES = ("/templates/",)

# Markdown extensions whose syntax Playbook renders, or which change nothing it shows.
RENDERED_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "extra",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "mdx_include",
        "meta",
        "sane_lists",
        "tables",
        "toc",
        "pymdownx.betterem",
        "pymdownx.blocks.admonition",
        "pymdownx.blocks.details",
        "pymdownx.blocks.tab",
        "pymdownx.caret",
        "pymdownx.details",
        "pymdownx.emoji",
        "pymdownx.extra",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.keys",
        "pymdownx.magiclink",
        "pymdownx.mark",
        "pymdownx.smartsymbols",
        "pymdownx.snippets",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "pymdownx.tilde",
        "pymdownx.saneheaders",
    }
)
# Plugins whose work Playbook does itself (search) or takes over (redirects).
MAPPED_PLUGINS = frozenset({"search", "redirects"})
LEVELS = {"warn": "warning", "info": "ignore", "ignore": "ignore"}
MKDOCS_LINK_DEFAULTS = {
    "not_found": "warn",
    "anchors": "info",
    "unrecognized_links": "info",
    "omitted_files": "info",
    "nav_not_found": "warn",
}
REPO_NAMES = {"github.com": "GitHub", "bitbucket.org": "Bitbucket", "gitlab.com": "GitLab"}
DEFAULT_EDIT_URIS = {
    "github.com": "edit/master/docs/",
    "gitlab.com": "edit/master/docs/",
    "bitbucket.org": "src/default/docs/",
}


@dataclass(frozen=True)
class PythonName:
    """`!!python/name:module.attr`: the name only, never imported."""

    name: str


@dataclass(frozen=True)
class PythonCall:
    """`!!python/object/apply:module.func {kwds: {...}}`: the name and arguments, never called."""

    name: str
    kwds: Mapping[str, Any]


class TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' tags without importing or running anything."""


def _python_name(loader: TolerantLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix)


def _python_call(loader: TolerantLoader, suffix: str, node: yaml.Node) -> PythonCall:
    value = _plain(loader, node)
    kwds = value.get("kwds", {}) if isinstance(value, dict) else {}
    return PythonCall(suffix, kwds if isinstance(kwds, dict) else {})


def _plain(loader: TolerantLoader, node: yaml.Node) -> Any:
    """A node's value without its tag."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _unknown_tag(loader: TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    return _plain(loader, node)


def _env(loader: TolerantLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, as MkDocs (pyyaml_env_tag) reads it."""
    default = None
    if isinstance(node, yaml.SequenceNode):
        names = node.value
        if len(names) > 1:
            default = loader.construct_object(names[-1])
            names = names[:-1]
        variables = [loader.construct_scalar(n) for n in names]
    else:
        variables = [loader.construct_scalar(node)]  # type: ignore[arg-type]
    for variable in variables:
        if variable in os.environ:
            value = os.environ[str(variable)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _python_call)
TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/object:", _python_call)
TolerantLoader.add_constructor("!ENV", _env)
TolerantLoader.add_multi_constructor("!", _unknown_tag)


def is_mkdocs_project(root: Path) -> bool:
    return (root / MKDOCS_NAME).is_file()


def read_mkdocs_yml(path: Path, display: str, depth: int = 0) -> dict[str, Any]:
    """The settings of `path`, merged over those of the file its `INHERIT` names."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=TolerantLoader)  # a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise MkDocsYamlError(f"invalid YAML: {exc.problem}", mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise MkDocsYamlError(f"cannot read it: {exc}", None) from None
    data = data if isinstance(data, dict) else {}
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    if depth >= MAX_INHERIT:
        raise MkDocsYamlError(f"INHERIT nested more than {MAX_INHERIT} files deep", _line_of(path, "INHERIT"))
    parent_path = (path.parent / str(parent)).resolve()
    if not parent_path.is_file():
        raise MkDocsYamlError(f"INHERIT: no file {parent!r} next to {display}", _line_of(path, "INHERIT"))
    return merged(read_mkdocs_yml(parent_path, str(parent), depth + 1), data)


class MkDocsYamlError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def merged(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child settings over parent ones: mappings merge key by key, anything else is replaced."""
    result = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def _line_of(path: Path, key: str) -> int | None:
    """The line of a top-level key (for messages)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, text in enumerate(lines, 1) if re.match(rf"{re.escape(key)}\s*:", text)), None)


class MkDocsRead(NamedTuple):
    """mkdocs.yml as playbook.yml settings, the line of each top-level key, and the warnings."""

    data: dict[str, Any]
    lines: dict[tuple[str | int, ...], int]
    warnings: list[Problem]


def mkdocs_settings(root: Path) -> MkDocsRead:
    """The settings of the MkDocs project in `root`, keyed as in playbook.yml; BuildFailed
    naming mkdocs.yml if it cannot be read."""
    path = root / MKDOCS_NAME
    try:
        raw = read_mkdocs_yml(path, MKDOCS_NAME)
    except MkDocsYamlError as exc:
        problems = Problems()
        problems.error(MKDOCS_NAME, exc.message, exc.line)
        raise BuildFailed(problems) from None
    settings = MkDocsSettings(raw)
    data = settings.config_data(root)
    lines = {(key,): line for key in data if (line := _line_of(path, key)) is not None}
    warnings = settings.warnings()
    markdown = data["markdown"]
    missing = _missing_appended(root, markdown)
    markdown["snippets_append"] = tuple(name for name in markdown["snippets_append"] if name not in missing)
    for name in missing:
        message = f"auto_append: {name!r} is not in the project: left out"
        warnings.append(Problem(MKDOCS_NAME, None, None, message, "warning"))
    return MkDocsRead(data, lines, warnings)


def _missing_appended(root: Path, markdown: dict[str, Any]) -> list[str]:
    """The pymdownx.snippets `auto_append` files found neither in the project nor in a base folder."""
    folders = [root, *(root / base for base in markdown["snippets_base"])]
    return [name for name in markdown["snippets_append"] if not any((f / name).is_file() for f in folders)]


class MkDocsSettings:
    """The parts of one merged mkdocs.yml that Playbook maps, and what it leaves aside."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.extensions = dict(_named_entries(raw.get("markdown_extensions")))
        self.plugins = dict(_named_entries(raw.get("plugins", ["search"])))
        theme = raw.get("theme")
        self.theme: dict[str, Any] = theme if isinstance(theme, dict) else {"name": theme}

    def config_data(self, root: Path) -> dict[str, Any]:
        raw = self.raw
        site_url = raw.get("site_url") or None
        repo_url = raw.get("repo_url") or None
        docs_dir = _relative(raw.get("docs_dir", "docs"), root)
        data: dict[str, Any] = {
            "site_name": raw.get("site_name"),
            "site_url": site_url,
            "description": raw.get("site_description") or "",
            "author": raw.get("site_author"),
            "copyright": raw.get("copyright"),
            "content_dir": docs_dir,
            "output_dir": _relative(raw.get("site_dir", "site"), root),
            "extra": dict(raw.get("extra") or {}),
            "title_from_heading": True,
            "url_style": "mkdocs",
            "directory_urls": bool(raw.get("use_directory_urls", True)),
            "public": bool(raw.get("public", bool(site_url))),
            "tracking": {"share_pages": False},  # a docs site has no share buttons
            "repo_url": repo_url,
            "repo_name": raw.get("repo_name") or (_repo_name(repo_url) if repo_url else None),
            "edit_url": _edit_url(repo_url, raw.get("edit_uri"), raw.get("edit_uri_template"), docs_dir),
            "extra_css": _paths(raw.get("extra_css")),
            "extra_javascript": _paths(raw.get("extra_javascript")),
            "logo": _theme_file(self.theme.get("logo")),
            "favicon": _theme_file(self.theme.get("favicon")),
            "redirects": dict(self.plugins.get("redirects", {}).get("redirect_maps") or {}),
            "exclude": [*DEFAULT_EXCLUDES, *_patterns(raw.get("exclude_docs"))],
            "not_in_nav": _patterns(raw.get("not_in_nav")),
            "links": self._links(),
            "markdown": self._markdown(),
        }
        if raw.get("nav"):
            data["outline"] = outline_from_nav(raw["nav"])
        language = self.theme.get("locale") or self.theme.get("language")
        if language:
            code = str(language).replace("_", "-")
            data["languages"] = [{"code": code, "name": code}]
        return {key: value for key, value in data.items() if value is not None or key == "site_name"}

    def _links(self) -> dict[str, str]:
        """mkdocs.yml's `validation:` levels (MkDocs' defaults where it says nothing)."""
        validation = self.raw.get("validation") or {}
        shorthand = {k: v for k, v in validation.items() if isinstance(v, str)}
        links = {**shorthand, **(validation.get("links") or {})}
        nav = {**shorthand, **(validation.get("nav") or {})}
        chosen = {
            "not_found": links.get("not_found", MKDOCS_LINK_DEFAULTS["not_found"]),
            "anchors": links.get("anchors", MKDOCS_LINK_DEFAULTS["anchors"]),
            "unrecognized": links.get("unrecognized_links", MKDOCS_LINK_DEFAULTS["unrecognized_links"]),
            "omitted_files": nav.get("omitted_files", MKDOCS_LINK_DEFAULTS["omitted_files"]),
            "nav_not_found": nav.get("not_found", MKDOCS_LINK_DEFAULTS["nav_not_found"]),
        }
        strict = bool(self.raw.get("strict"))
        return {
            key: "error" if strict and level == "warn" else LEVELS.get(str(level), "warning")
            for key, level in chosen.items()
        }

    def _markdown(self) -> dict[str, Any]:
        toc = self.extensions.get("toc", {})
        snippets = self.extensions.get("pymdownx.snippets", {})
        emoji_options = (self.extensions.get("pymdownx.emoji") or {}).get("options") or {}
        base = snippets.get("base_path", ["."])
        highlight = self.extensions.get("pymdownx.highlight", self.extensions.get("codehilite", {}))
        markdown = {
            "heading_ids": heading_ids_from(toc.get("slugify"), str(toc.get("separator", "-"))),
            "plugin_syntax": True,
            "snippets_base": tuple(str(b) for b in ([base] if isinstance(base, str) else base)),
            "snippets_append": tuple(str(name) for name in snippets.get("auto_append") or ()),
            "block_types": self._block_types(),
            "linkify": "pymdownx.magiclink" in self.extensions,
            "smart_symbols": "pymdownx.smartsymbols" in self.extensions,
            "icon_folders": tuple(str(folder) for folder in emoji_options.get("custom_icons") or ()),
            "linenums": highlight.get("linenums"),
            "line_anchors": bool(highlight.get("anchor_linenums")),
        }
        if "mdx_include" in self.extensions:
            markdown["includes_base"] = str(self.extensions["mdx_include"].get("base_path", "."))
        return markdown

    def _block_types(self) -> dict[str, list[dict[str, Any]]]:
        """The `types:` of pymdownx.blocks.admonition and .details (pymdownx's defaults otherwise)."""
        chosen = {}
        for kind in ("admonition", "details"):
            types = self.extensions.get(f"pymdownx.blocks.{kind}", {}).get("types")
            if isinstance(types, list):
                chosen[kind] = [_block_type(entry) for entry in types if isinstance(entry, str | dict)]
        return chosen

    def warnings(self) -> list[Problem]:
        """One warning naming every plugin and extension that is neither rendered nor mapped."""
        plugins = sorted(name for name in self.plugins if name.split("/")[-1] not in MAPPED_PLUGINS)
        extensions = sorted(name for name in self.extensions if name not in RENDERED_EXTENSIONS)
        parts = [f"plugins: {', '.join(plugins)}"] if plugins else []
        parts += [f"markdown_extensions: {', '.join(extensions)}"] if extensions else []
        if not parts:
            return []
        message = f"not supported by Playbook, ignored: {'; '.join(parts)}"
        return [Problem(MKDOCS_NAME, None, None, message, "warning")]


def heading_ids_from(slugify: object, separator: str) -> dict[str, Any]:
    """The heading-id settings for the toc extension's `slugify:` (a name, never imported)."""
    name = slugify.name if isinstance(slugify, PythonName | PythonCall) else "markdown.extensions.toc.slugify"
    short = name.rpartition(".")[2]
    if isinstance(slugify, PythonCall) and name.startswith("pymdownx.slugs"):
        kwds = slugify.kwds
        return {
            "slugify": "pymdownx",
            "separator": separator,
            "case": kwds.get("case", "none"),
            "normalize": kwds.get("normalize", "NFC"),
            "percent_encode": bool(kwds.get("percent_encode", False)),
        }
    if name.startswith("pymdownx.slugs"):
        return {
            "slugify": "pymdownx",
            "separator": separator,
            "case": "none" if "cased" in short else "lower",
            "percent_encode": short.endswith("encoded"),
        }
    return {"slugify": "toc_unicode" if short == "slugify_unicode" else "toc", "separator": separator}


def _block_type(entry: str | dict[str, Any]) -> dict[str, Any]:
    """A `types:` entry: a name, or `{name:, class:, title:}`."""
    if isinstance(entry, str):
        return {"name": entry}
    return {"name": str(entry.get("name")), "css_class": entry.get("class"), "title": entry.get("title")}


def _named_entries(entries: object) -> Iterable[tuple[str, dict[str, Any]]]:
    """`[name, {name: {options}}]` or `{name: {options}}` as (name, options); the prefix
    `markdown.extensions.` dropped."""
    items = (
        entries.items()
        if isinstance(entries, dict)
        else [next(iter(e.items())) if isinstance(e, dict) else (e, {}) for e in entries or []]
    )
    for name, options in items:
        yield str(name).removeprefix("markdown.extensions."), options if isinstance(options, dict) else {}


def _relative(folder: object, root: Path) -> str:
    """A folder setting relative to the project (MkDocs reads it relative to mkdocs.yml)."""
    path = Path(str(folder))
    return os.path.relpath(path, root) if path.is_absolute() else path.as_posix()


def _paths(entries: object) -> list[str]:
    """extra_css / extra_javascript entries (a path, or `{path: ..., type: module}`)."""
    found = []
    for entry in entries if isinstance(entries, list) else []:
        path = entry.get("path") if isinstance(entry, dict) else entry
        if isinstance(path, str) and path:
            found.append(path.lstrip("/") if "://" not in path else path)
    return found


def _theme_file(value: object) -> str | None:
    """theme.logo / theme.favicon: a path inside the docs folder, or a URL."""
    if not isinstance(value, str) or not value:
        return None
    return value if "://" in value else value.lstrip("/")


def _patterns(text: object) -> list[str]:
    """A .gitignore-style block (`exclude_docs: |`) as its patterns."""
    lines = text.splitlines() if isinstance(text, str) else [str(t) for t in text] if isinstance(text, list) else []
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _repo_name(repo_url: str) -> str:
    host = urlsplit(repo_url).hostname or ""
    return REPO_NAMES.get(host, host.split(".")[0].title())


def _edit_url(repo_url: str | None, edit_uri: object, template: object, docs_dir: str) -> str | None:
    """The page's edit address with `{file}` for its path inside the docs folder."""
    if isinstance(template, str) and template:
        base = urljoin(repo_url.rstrip("/") + "/", "") if repo_url else ""
        return base + template.replace("{path}", "{file}").replace("{path_noext}", "{file}")
    if edit_uri is None and repo_url:
        edit_uri = DEFAULT_EDIT_URIS.get(urlsplit(repo_url).hostname or "")
    if not isinstance(edit_uri, str) or not edit_uri:
        return None
    if "://" in edit_uri or repo_url is None:
        base = edit_uri
    elif edit_uri.startswith(("?", "#")):
        base = repo_url + edit_uri
    else:
        base = urljoin(repo_url.rstrip("/") + "/", edit_uri)
    return base.rstrip("/") + "/{file}"


def outline_from_nav(nav: list[Any]) -> dict[str, Any]:
    """MkDocs' nested `nav` as the `outline` setting: pages, folders, external links and
    sections (each entry as `title`, and `path`, `url` or `children`)."""
    return {"items": [item for entry in nav if (item := _nav_item(entry)) is not None]}


def _nav_item(entry: object) -> dict[str, Any] | None:
    title, value = next(iter(entry.items())) if isinstance(entry, dict) and entry else (None, entry)
    label = None if title is None else str(title)
    if isinstance(value, list):
        return {"title": label, "children": [item for child in value if (item := _nav_item(child)) is not None]}
    if not isinstance(value, str):
        return None
    if "://" in value or value.startswith("mailto:"):
        return {"title": label or value, "url": value}
    path = PurePosixPath(value.lstrip("/")).as_posix() + ("/" if value.endswith("/") else "")
    return {"title": label, "path": path}
