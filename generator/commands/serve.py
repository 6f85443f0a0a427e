"""Live preview (`playbook serve`): build into a temporary folder, serve it over HTTP, rebuild
on every save through `build.Session` and reload open tabs.

Built from the standard library's HTTP server and watchdog's native file events. Open pages
carry a small script that asks `/livereload/<version>/<tab>`; the request is answered once
the preview has a newer version (or after a minute), and the page then reloads. Pages are
never served half-built: a request made during a rebuild waits for it.

A content error never stops the server: the last good pages stay up with an overlay that
names the file, line and message, and the next good build clears it. The user's own
`site/` and `newsletters/` are never touched. The preview folder is updated in place and
its search index is refreshed in the background, so a reload never waits for Pagefind.
How much a rebuild redoes is the Session's business; this module only tells it which
files changed.
"""

from __future__ import annotations

import html
import http.server
import ipaddress
import mimetypes
import os
import posixpath
import re
import shutil
import socket
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import watchdog.events
import watchdog.observers

from generator.build.heap import reclaim_if_due
from generator.build.output import OutputError
from generator.build.pipeline import BuildOptions, BuildResult, Session
from generator.config.settings import CONFIG_NAME, load_config
from generator.errors import BuildFailed, Problem
from generator.site.search import BackgroundIndex

DEBOUNCE_SECONDS = 0.03
POLL_SECONDS = 60
PROJECT_FILES = frozenset({CONFIG_NAME, "mkdocs.yml"})
OVERLAY_ID = "playbook-error-overlay"
# Over the content column only: the theme's --overlay-start is where the sidebar ends and
# --overlay-top where its sticky header ends (both 0 on phones, or on a page of another theme).
OVERLAY_STYLE = (
    "position:fixed;inset-block:var(--overlay-top,0) 0;inset-inline:var(--overlay-start,0) 0;"
    "z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
    "background:rgba(20,20,20,.92);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace"
)
LIVE_RELOAD = re.compile(r"/livereload/([0-9]+)/[0-9]+")
LIVE_RELOAD_SCRIPT = """<script>
(function (version, tab) {
  var request, retry;
  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (parseFloat(this.responseText) > version) { location.reload(); }
      else { retry = setTimeout(poll, this.status === 200 ? 0 : 3000); }
    };
    request.open("GET", "/livereload/" + version + "/" + tab);
    request.send();
  }
  function stop() {
    if (request) { request.abort(); }
    clearTimeout(retry);
    request = retry = undefined;
  }
  window.addEventListener("load", function () { if (document.visibilityState === "visible") { poll(); } });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); } else { stop(); }
  });
  window.addEventListener("beforeunload", stop);
})(%(version)d, %(tab)d);
</script>"""

BARE_NOT_FOUND = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"

Echo = Callable[[str], None]


def _is_editor_litter(path: Path) -> bool:
    """Swap files, backups and hidden files that editors write beside the real one."""
    return path.name.startswith((".", "_", "#")) or path.name.endswith(("~", ".swp", ".tmp")) or path.name == "4913"


def watched_folders(root: Path) -> list[Path]:
    """The content and theme folders of the project (defaults when the config is broken),
    the snippets folders, the folder of each file appended to every page, and the icon
    folders."""
    try:
        config = load_config(root)
    except BuildFailed:
        return [folder for folder in (root / "content", root / "themes") if folder.is_dir()]
    markdown = config.markdown
    snippets = [root / base for base in markdown.snippets_base]
    appended = [(folder / name).parent for name in markdown.snippets_append for folder in (root, *snippets)]
    icons = [root / folder for folder in markdown.icon_folders]
    folders = [root / config.content_dir, root / config.theme_dir, *snippets, *appended, *icons]
    return [folder for folder in dict.fromkeys(folders) if folder.is_dir() and folder != root]


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


def with_live_reload(page: bytes, version: int, errors: list[Problem]) -> bytes:
    """The page with the reload script (and the error overlay while there are errors) before `</body>`."""
    body_end = page.rfind(b"</body>")
    body_end = len(page) if body_end < 0 else body_end
    script = LIVE_RELOAD_SCRIPT % {"version": version, "tab": time.monotonic_ns() // 1000}
    overlay = overlay_html(errors) if errors else ""
    return page[:body_end] + (script + overlay).encode("utf-8") + page[body_end:]


def content_type(path: Path) -> str:
    if path.suffix in (".js", ".mjs"):
        return "application/javascript"
    guess, _ = mimetypes.guess_type(path.name)
    return guess or "application/octet-stream"


class PreviewState:
    """What the build loop and the request handlers share, under one lock: the version of the
    preview that pages show, whether a rebuild is under way, the files changed since the last
    build and the errors of the last one."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.version = _now_ms()
        self.building = False
        self.wanted = False
        self.stopped = False
        self.changed: set[Path] = set()
        self.errors: list[Problem] = []

    def record(self, paths: Iterable[Path]) -> None:
        """Files changed: remember them and wake the build loop."""
        with self.condition:
            self.changed.update(paths)
            self.wanted = True
            self.condition.notify_all()

    def next_changes(self) -> set[Path] | None:
        """Block until files changed and no more change for a moment; then mark the preview as
        building and return them. None once stopped."""
        with self.condition:
            self.condition.wait_for(lambda: self.wanted or self.stopped)
            while not self.stopped and self.condition.wait(DEBOUNCE_SECONDS):
                pass
            if self.stopped:
                return None
            self.wanted, self.building = False, True
            changed, self.changed = self.changed, set()
            return changed

    def built(self, errors: list[Problem]) -> None:
        """A build ended (well or not): a new version that open pages reload to."""
        with self.condition:
            self.errors = errors
            self.version = max(self.version + 1, _now_ms())
            self.building = False
            self.condition.notify_all()

    def finished_version(self) -> int:
        """The version being served, once no build is under way."""
        with self.condition:
            self.condition.wait_for(lambda: not self.building or self.stopped)
            return self.version

    def newer_than(self, version: int) -> int:
        """The current version, as soon as it is newer than `version` (or after POLL_SECONDS)."""
        with self.condition:
            self.condition.wait_for(lambda: self.version > version or self.stopped, timeout=POLL_SECONDS)
            return self.version

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """Files of the preview folder, HTML with the reload script, and the long-poll answers."""

    server: PreviewHTTPServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path, errors="ignore")
        state, root = self.server.state, self.server.root
        if match := LIVE_RELOAD.fullmatch(path):
            self._send(200, b"%d" % state.newer_than(int(match[1])), "text/plain", send_body)
            return
        version = state.finished_version()
        rel = posixpath.normpath("/" + path).lstrip("/")
        target = root / rel / "index.html" if path.endswith("/") or not rel else root / rel
        if target.is_dir() and (target / "index.html").is_file():
            self.send_response(302)
            self.send_header("Location", quote(path) + "/")
            self.end_headers()
        elif target.is_file():
            data = target.read_bytes()
            if target.suffix == ".html":
                data = with_live_reload(data, version, state.errors)
            self._send(200, data, content_type(target), send_body)
        else:
            not_found = root / "404.html"
            page = not_found.read_bytes() if not_found.is_file() else BARE_NOT_FOUND
            self._send(404, with_live_reload(page, version, state.errors), "text/html", send_body)

    def _send(self, status: int, data: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the preview reports builds, not requests."""


class PreviewHTTPServer(http.server.ThreadingHTTPServer):
    """The preview folder over HTTP, one thread per request (long polls wait in theirs)."""

    def __init__(self, host: str, port: int, root: Path, state: PreviewState) -> None:
        self.address_family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
        self.root = root
        self.state = state
        super().__init__((host, port), PreviewHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that goes away mid-answer is no error worth printing."""


class PreviewServer:
    """`playbook serve`: a Playbook Session behind a small live-reload HTTP server."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, echo: Echo = print) -> None:
        self.project = root.resolve()
        self.host, self.port = host, port
        self.output = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
        self.session = preview_session(self.project, self.output)
        self.search = BackgroundIndex(self.output / "site", echo)
        self.echo = echo
        self.state = PreviewState()
        self.ready = threading.Event()
        self.url = ""
        self.observer = watchdog.observers.Observer()
        self._http: PreviewHTTPServer | None = None
        self._serving: threading.Thread | None = None
        self._built = False
        (self.output / "site").mkdir()

    def run(self) -> None:
        """Build once, then serve and rebuild on changes until `shutdown()` (blocks)."""
        self.state.built(self.build_site(set()))
        if self.state.stopped:
            return
        self._http = PreviewHTTPServer(self.host, self.port, self.output / "site", self.state)
        host, port = self._http.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self.watch(self.project, recursive=False)
        for folder in watched_folders(self.project):
            self.watch(folder)
        self.observer.start()
        self._serving = threading.Thread(target=self._http.serve_forever, name="preview-http", daemon=True)
        self._serving.start()
        self.echo(f"Serving {self.project} on {self.url} (drafts included; press Ctrl+C to stop)")
        self.ready.set()
        while (changed := self.state.next_changes()) is not None:
            self.state.built(self.build_site(changed))
            reclaim_if_due()

    def watch(self, folder: Path, *, recursive: bool = True) -> None:
        """Watch `folder` (only the project files in it, when not recursive) for changes."""
        folder = folder.resolve()
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = lambda event: self._record(event, folder, recursive)  # type: ignore[method-assign]
        self.observer.schedule(handler, str(folder), recursive=recursive)

    def _record(self, event: watchdog.events.FileSystemEvent, folder: Path, recursive: bool) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        wanted = (lambda p: True) if recursive else (lambda p: p.parent == folder and p.name in PROJECT_FILES)
        relevant = [p for p in paths if wanted(p) and not _is_editor_litter(p)]
        if relevant:
            self.state.record(relevant)

    def build_site(self, changed: set[Path]) -> list[Problem]:
        """Build the preview; never raises, so the server always stays up. Returns the errors
        that the overlay shows (none after a good build)."""
        started = time.perf_counter()
        try:
            result = self.session.rebuild(sorted(changed)) if self._built else self.session.run()
        except BuildFailed as failed:
            return self._failed(failed.problems.sorted(), changed)
        except OutputError as exc:
            return self._failed([Problem(exc.source or str(self.project), None, None, str(exc), "error")], changed)
        except Exception as exc:  # a bug must not take the preview down; show it and keep serving
            self.echo(traceback.format_exc())
            return self._failed([Problem("playbook", None, None, f"internal error: {exc!r}", "error")], changed)
        self._built = True
        self._report(result, time.perf_counter() - started, changed)
        if result.playbook.config.search:
            self.search.refresh()
        return []

    def _failed(self, problems: list[Problem], changed: set[Path]) -> list[Problem]:
        """Keep the last good pages, remember the change for the next try, show the errors."""
        with self.state.condition:
            self.state.changed |= changed
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            self.echo(str(problem))
        self.echo(f"Build failed: {len(errors)} error(s); the browser shows them until they are fixed.")
        return errors

    def _report(self, result: BuildResult, seconds: float, changed: set[Path]) -> None:
        for problem in result.warnings:
            self.echo(str(problem))
        what = ", ".join(_relative(p, self.project) for p in sorted(changed)) or "all"
        self.echo(f"Built {result.pages} pages ({what}) in {seconds * 1000:.0f} ms")

    def shutdown(self, wait: bool = False) -> None:
        """Stop serving, watching and indexing, and delete the preview folder."""
        self.search.stopped = True
        self.state.stop()
        if self.observer.is_alive():
            self.observer.stop()
            if wait:
                self.observer.join()
        if self._http is not None:
            if self._serving is not None and self._serving.is_alive():
                self._http.shutdown()
            self._http.server_close()
        self.search.wait()
        shutil.rmtree(self.output, ignore_errors=True)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _is_ipv6(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
