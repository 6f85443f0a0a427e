"""Existing MkDocs projects: read `mkdocs.yml` with MkDocs' own loader and express it as our
Config, so `playbook build` works in a folder that has no `playbook.yml` yet.

Taken over: `site_name`, `site_url`, `docs_dir` (the content folder), `site_dir` (the output
folder, so hosting scripts keep working), `nav` (sidebar order and labels), `extra` and the
theme's `locale` (the site language). MkDocs themes, plugins and Markdown extensions are
ignored: Playbook renders with its own theme and Markdown engine. Pages may omit `title`.

This module turns `mkdocs.yml` into settings as `playbook.yml` would hold them; validating
them is `config`'s job, so it never imports `config`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import posixpath
from pathlib import Path
from typing import Any

from generator.errors import BuildFailed, Problems

MKDOCS_NAME = "mkdocs.yml"
# What MkDocs needs installed for these is irrelevant to us; neutral values keep its loader
# from failing on a theme, plugin or extension that only the old toolchain had.
NEUTRAL_OPTIONS: dict[str, Any] = {"theme": "mkdocs", "plugins": [], "markdown_extensions": []}


def is_mkdocs_project(root: Path) -> bool:
    return (root / MKDOCS_NAME).is_file()


def mkdocs_settings(root: Path) -> dict[str, Any]:
    """The settings of the MkDocs project in `root`, keyed as in playbook.yml; BuildFailed
    naming mkdocs.yml if MkDocs cannot load it."""
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    problems = Problems()
    quiet = logging.getLogger("mkdocs")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            mkdocs = mkdocs_load_config(str(root / MKDOCS_NAME), **NEUTRAL_OPTIONS)
    except (MkDocsException, OSError, SystemExit) as exc:
        problems.error(MKDOCS_NAME, f"MkDocs cannot load it: {exc}")
        raise BuildFailed(problems) from None
    finally:
        quiet.level = level
    data = {
        "site_name": mkdocs.site_name,
        "site_url": mkdocs.site_url or None,
        "content_dir": _relative(Path(mkdocs.docs_dir), root),
        "output_dir": _relative(Path(mkdocs.site_dir), root),
        "extra": dict(mkdocs.extra),
        "title_from_heading": True,
        "outline": outline_from_nav(mkdocs.nav or []),
    }
    locale = mkdocs.theme.get("locale")
    if locale is not None:
        code = str(locale).replace("_", "-")
        data["languages"] = [{"code": code, "name": locale.get_display_name() or code}]
    return data


def _relative(path: Path, root: Path) -> str:
    return os.path.relpath(path.resolve(), root.resolve())


def outline_from_nav(nav: list[Any]) -> dict[str, Any]:
    """MkDocs' nested `nav` as the `outline` setting: the content paths in sidebar order
    (`order`) and their labels (`labels`).

    A section label is given to the folder its pages share; external URLs are skipped.
    """
    order: list[str] = []
    labels: dict[str, str] = {}
    _walk_nav(nav, order, labels)
    return {"order": order, "labels": labels}


def _walk_nav(items: list[Any], order: list[str], labels: dict[str, str]) -> list[str]:
    """Add each entry of one nav level; return the pages it holds (for the section's folder)."""
    pages: list[str] = []
    for item in items:
        label, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            inner = _walk_nav(value, order, labels)
            folder = _common_folder(inner)
            if label and folder:
                labels.setdefault(folder, str(label))
            pages += inner
        elif isinstance(value, str) and "://" not in value and value.endswith(".md"):
            path = value.lstrip("/")
            order.append(path)
            pages.append(path)
            if label:
                labels[path] = str(label)
    return pages


def _common_folder(pages: list[str]) -> str:
    return posixpath.commonpath([page.rpartition("/")[0] for page in pages]) if pages else ""
