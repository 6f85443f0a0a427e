"""Full-text search: runs Pagefind over the staged site folder once every page is written
and before the folder replaces the published site. Pagefind works offline; it writes one
index per `<html lang>` and its own UI into `pagefind/`. This module never renders pages.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import Problems
from generator.i18n import Localizer, gettext_noop

BUNDLE_FOLDER = "pagefind"
SOURCE = "search index"

# Pagefind UI translation keys and the English messages our catalogs translate. Pagefind
# ships its own strings for many languages (not Bulgarian); a catalog entry overrides them.
UI_MESSAGES = {
    "placeholder": gettext_noop("Search the playbook"),
    "search_label": gettext_noop("Search this site"),
    "clear_search": gettext_noop("Clear"),
    "load_more": gettext_noop("Load more results"),
    "filters_label": gettext_noop("Filters"),
    "zero_results": gettext_noop("No results for [SEARCH_TERM]"),
    "many_results": gettext_noop("[COUNT] results for [SEARCH_TERM]"),
    "one_result": gettext_noop("[COUNT] result for [SEARCH_TERM]"),
    "searching": gettext_noop("Searching for [SEARCH_TERM]..."),
}


def pagefind_executable() -> Path | None:
    """The Pagefind binary installed by `pip install 'pagefind[bin]'`, if any."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return get_executable()
    except FileNotFoundError:
        return None


def index_site(folder: Path, problems: Problems) -> None:
    """Write the search bundle into `folder/pagefind/`; failures become build errors."""
    executable = pagefind_executable()
    if executable is None:
        problems.error(SOURCE, "Pagefind is not installed: pip install 'pagefind[bin]' (or set `search: false`)")
        return
    command = [str(executable), "--site", str(folder), "--output-subdir", BUNDLE_FOLDER, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error(SOURCE, f"Pagefind could not run: {exc}")
        return
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        problems.error(SOURCE, f"Pagefind failed (exit {done.returncode}): {' / '.join(detail[-3:])}")


def ui_translations(i18n: Localizer) -> dict[str, str]:
    """The Pagefind UI strings our catalog translates for this language (others: Pagefind's)."""
    translated = {key: i18n.gettext(message) for key, message in UI_MESSAGES.items()}
    return {key: text for key, text in translated.items() if text != UI_MESSAGES[key]}
