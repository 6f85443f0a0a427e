"""Live preview (`playbook serve`): build into a temporary folder, serve it with MkDocs'
live-reload server, rebuild on every save through `build.Session` and reload open tabs.

A content error never stops the server: the last good pages stay up with an overlay that
names the file, line and message, and the next good build clears it. The user's own
`site/` and `newsletters/` are never touched. The preview folder is updated in place and
its search index is refreshed in the background, so a reload never waits for Pagefind.
How much a rebuild redoes is the Session's business; this module only tells it which
files changed.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from generator.build import BuildOptions, BuildResult, Session
from generator.config import CONFIG_NAME, load_config
from generator.errors import BuildFailed, Problem
from generator.output import OutputError
from generator.search import BackgroundIndex

DEBOUNCE_SECONDS = 0.03
PROJECT_FILES = frozenset({CONFIG_NAME, "mkdocs.yml"})
OVERLAY_ID = "playbook-error-overlay"
# Over the content column only: the theme's --overlay-start is where the sidebar ends and
# --overlay-top where its sticky header ends (both 0 on phones, or on a page of another theme).
OVERLAY_STYLE = (
    "position:fixed;inset-block:var(--overlay-top,0) 0;inset-inline:var(--overlay-start,0) 0;"
    "z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
    "background:rgba(20,20,20,.92);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace"
)

BARE_NOT_FOUND = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"

Echo = Callable[[str], None]


def _is_editor_litter(path: Path) -> bool:
    """Swap files, backups and hidden files that editors write beside the real one."""
    return path.name.startswith((".", "_", "#")) or path.name.endswith(("~", ".swp", ".tmp")) or path.name == "4913"


def watched_folders(root: Path) -> list[Path]:
    """The content and theme folders of the project (defaults when the config is broken)."""
    try:
        config = load_config(root)
        content_dir, theme_dir = config.content_dir, config.theme_dir
    except BuildFailed:
        content_dir, theme_dir = "content", "themes"
    return [folder for folder in (root / content_dir, root / theme_dir) if folder.is_dir()]


def preview_session(root: Path, output: Path) -> Session:
    """The build session behind the preview: drafts shown, `output` updated in place."""
    return Session(root, BuildOptions(drafts=True, output_dir=output, live=True))


def overlay_html(errors: Iterable[Problem]) -> str:
    """A full-window panel listing every error as `path:line: field: message`."""
    items = "".join(f"<li style='margin:.4rem 0'>{html.escape(str(problem))}</li>" for problem in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{OVERLAY_STYLE}">'
        "<p style='font-size:1.2rem;color:#ff8080;margin:0 0 1rem'><strong>Playbook: the last change did not "
        "build.</strong> The page below is the last good build; fix these and save:</p>"
        f"<ul style='padding-left:1.2rem'>{items}</ul>"
        "<button type='button' onclick='this.parentNode.remove()' style='font:inherit'>Dismiss</button></div>"
    )


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with a Playbook Session behind it.

    The watcher records which files changed (MkDocs' own only says "something changed") so
    `Session.rebuild` gets the list; native file events (inotify) replace MkDocs' polling.
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, echo: Echo = print) -> None:
        self.project = root.resolve()
        self.output = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
        self.session = preview_session(self.project, self.output)
        self.search = BackgroundIndex(self.output / "site", echo)
        self.echo = echo
        self.errors: list[Problem] = []
        self.ready = threading.Event()
        self._changed: set[Path] = set()
        self._built = False
        (self.output / "site").mkdir()
        super().__init__(builder=self.build_site, host=host, port=port, root=str(self.output / "site"))
        self.observer = watchdog.observers.Observer()
        self.build_delay = DEBOUNCE_SECONDS
        self.error_handler = self._error_page
        logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)

    def run(self) -> None:
        """Build once, then serve and rebuild on changes until `shutdown()` (blocks)."""
        self.build_site()
        self.watch(str(self.project), recursive=False)
        for folder in watched_folders(self.project):
            self.watch(str(folder))
        self.serve()

    def server_bind(self) -> None:
        super().server_bind()
        host, port = self.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def _build_loop(self) -> None:
        """Runs once the socket listens and the watcher runs: the moment to say so."""
        self.echo(f"Serving {self.project} on {self.url} (drafts included; press Ctrl+C to stop)")
        self.ready.set()
        super()._build_loop()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Watch `path`; a change records the file and asks the build loop for a rebuild."""
        del func
        folder = Path(path).resolve()
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = lambda event: self._record(event, folder, recursive)  # type: ignore[method-assign]
        self._watched_paths[str(folder)] = 1
        self._watch_refs[str(folder)] = self.observer.schedule(handler, str(folder), recursive=recursive)

    def _record(self, event: watchdog.events.FileSystemEvent, folder: Path, recursive: bool) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [Path(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        wanted = (lambda p: True) if recursive else (lambda p: p.parent == folder and p.name in PROJECT_FILES)
        relevant = [p for p in paths if wanted(p) and not _is_editor_litter(p)]
        if not relevant:
            return
        with self._rebuild_cond:
            self._changed.update(relevant)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def build_site(self) -> None:
        """The builder MkDocs calls: never raises, so the server always stays up."""
        with self._rebuild_cond:
            changed, self._changed = self._changed, set()
        started = time.perf_counter()
        try:
            result = self.session.rebuild(sorted(changed)) if self._built else self.session.run()
        except BuildFailed as failed:
            self._failed(failed.problems.sorted(), changed)
            return
        except OutputError as exc:
            self._failed([Problem(str(self.project), None, None, str(exc), "error")], changed)
            return
        except Exception as exc:  # a bug must not take the preview down; show it and keep serving
            self.echo(traceback.format_exc())
            self._failed([Problem("playbook", None, None, f"internal error: {exc!r}", "error")], changed)
            return
        self._built = True
        self.errors = []
        self._report(result, time.perf_counter() - started, changed)
        if result.playbook.config.search:
            self.search.refresh()

    def _failed(self, problems: list[Problem], changed: set[Path]) -> None:
        """Keep the last good pages, remember the change for the next try, show the errors."""
        with self._rebuild_cond:
            self._changed |= changed
        self.errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            self.echo(str(problem))
        self.echo(f"Build failed: {len(self.errors)} error(s); the browser shows them until they are fixed.")

    def _report(self, result: BuildResult, seconds: float, changed: set[Path]) -> None:
        for problem in result.warnings:
            self.echo(str(problem))
        what = ", ".join(_relative(p, self.project) for p in sorted(changed)) or "all"
        self.echo(f"Built {result.pages} pages ({what}) in {seconds * 1000:.0f} ms")

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """MkDocs adds its reload script here; we add the error overlay while there are errors."""
        page = super()._inject_js_into_html(content, epoch)
        if not self.errors:
            return page
        body_end = page.rfind(b"</body>")
        body_end = len(page) if body_end < 0 else body_end
        return page[:body_end] + overlay_html(self.errors).encode() + page[body_end:]

    def _error_page(self, code: int) -> bytes | None:
        """The built 404 page (or a bare one), with live reload, so a fixed error reloads it."""
        if code != 404:
            return None
        not_found = self.output / "site" / "404.html"
        content = not_found.read_bytes() if not_found.is_file() else BARE_NOT_FOUND
        return self._inject_js_into_html(content, self._visible_epoch)

    def shutdown(self, wait: bool = False) -> None:
        self.search.stopped = True
        super().shutdown(wait=wait)
        self.search.wait()
        shutil.rmtree(self.output, ignore_errors=True)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
