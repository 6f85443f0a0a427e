"""Full-text search: runs Pagefind over the staged site folder once every page is written
and before the folder replaces the published site. Pagefind works offline; it writes one
index per `<html lang>` and its own UI into `pagefind/`. This module never renders pages.
`playbook serve` indexes its preview in the background instead (BackgroundIndex).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.errors import Problems
from generator.i18n import Localizer
from generator.msgids import gettext_noop
from generator.urls import BUNDLE_FOLDER

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


def index_site(folder: Path, problems: Problems, bundle: Path | None = None, *, background: bool = False) -> None:
    """Write the search bundle into `folder/pagefind/` (or `bundle`); failures become build
    errors. `background` runs Pagefind at low CPU priority where `nice` exists."""
    executable = pagefind_executable()
    if executable is None:
        problems.error(SOURCE, "Pagefind is not installed: pip install 'pagefind[bin]' (or set `search: false`)")
        return
    output = ["--output-path", str(bundle)] if bundle else ["--output-subdir", BUNDLE_FOLDER]
    nice = shutil.which("nice") if background else None
    command = [*([nice, "-n", "10"] if nice else []), str(executable), "--site", str(folder), *output, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error(SOURCE, f"Pagefind could not run: {exc}")
        return
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        problems.error(SOURCE, f"Pagefind failed (exit {done.returncode}): {' / '.join(detail[-3:])}")


class BackgroundIndex:
    """The search index of a folder that is updated in place (`playbook serve`), rebuilt in
    a thread after each change so that reloading the page does not wait for it. It waits
    for `quiet` seconds without changes and runs Pagefind at low priority, so a burst of
    saves is indexed once and never slows the next rebuild. The new bundle replaces the old
    one with a rename; changes made meanwhile start one more run."""

    def __init__(self, folder: Path, report: Callable[[str], None], quiet: float = 1.0) -> None:
        self.folder = folder
        self.report = report
        self.quiet = quiet
        self._lock = threading.Lock()
        self._again = False
        self._changed = 0.0
        self._thread: threading.Thread | None = None
        self.stopped = False

    def refresh(self) -> None:
        with self._lock:
            self._changed = time.monotonic()
            if self._thread is not None:
                self._again = True
                return
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the index is up to date (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while not self.stopped:
            self._wait_for_quiet()
            self._index_once()
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    def _wait_for_quiet(self) -> None:
        while not self.stopped:
            left = self._changed + self.quiet - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.1))

    def _index_once(self) -> None:
        fresh, retired = self.folder.parent / f".{BUNDLE_FOLDER}-next", self.folder.parent / f".{BUNDLE_FOLDER}-old"
        shutil.rmtree(fresh, ignore_errors=True)
        problems = Problems()
        index_site(self.folder, problems, fresh, background=True)
        if problems.errors or self.stopped:
            for problem in problems.errors:
                self.report(str(problem))
            shutil.rmtree(fresh, ignore_errors=True)
            return
        bundle = self.folder / BUNDLE_FOLDER
        shutil.rmtree(retired, ignore_errors=True)
        if bundle.exists():
            os.replace(bundle, retired)
        os.replace(fresh, bundle)
        shutil.rmtree(retired, ignore_errors=True)


def ui_translations(i18n: Localizer) -> dict[str, str]:
    """The Pagefind UI strings our catalog translates for this language (others: Pagefind's)."""
    translated = {key: i18n.gettext(message) for key, message in UI_MESSAGES.items()}
    return {key: text for key, text in translated.items() if text != UI_MESSAGES[key]}
