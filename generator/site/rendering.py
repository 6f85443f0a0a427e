"""Rendering HTML pages for every generator: from the build cache when nothing a page shows
has changed, otherwise through Jinja, in parallel worker processes when asked to.

Generators call `SiteContext.html(template, context, source)` as usual. With a
`PageRenderer` attached, that call returns either a `KeptFile` (the page is unchanged
since the last build: the writer keeps the file already published) or, in parallel mode,
a `PendingFile` that `PageRenderer.finish` later replaces by the rendered bytes, in the
same order, so the output is byte-identical to a serial build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.cache import Fingerprints, PageEntry, Uncacheable, WatchedPlaybook, data_digest, digest
from generator.errors import Problems
from generator.parallel import fork_map
from generator.site.context import OutputFile
from generator.theme import Theme
from generator.urls import output_path


@dataclass(frozen=True)
class KeptFile(OutputFile):
    """Unchanged since the last build: the writer keeps the published file (and its mtime)."""

    digest: str = ""


@dataclass(frozen=True)
class PendingFile(OutputFile):
    """A page queued for a worker process; `job` is its place in the queue."""

    job: int = -1


@dataclass
class Job:
    template: str
    context: dict[str, Any]
    source: str
    key: str | None


@dataclass
class PageRenderer:
    theme: Theme
    salt: str
    world: str
    previous: dict[tuple[str, str], PageEntry]
    published: dict[str, str]
    site_folder: Path
    prints: Fingerprints
    parallel: bool = False
    entries: dict[tuple[str, str], PageEntry] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)
    rendered: int = 0

    def output(self, template: str, context: dict[str, Any], source: str) -> OutputFile:
        path = output_path(context["page_url"])
        try:
            key: str | None = digest(self.salt, template, self.prints.of(context))
        except Uncacheable:
            key = None
        kept = self._kept(path, key)
        if kept is not None:
            return KeptFile(path, b"", source, digest=kept.digest)
        job = Job(template, context, source, key)
        if self.parallel:
            self.jobs.append(job)
            return PendingFile(path, b"", source, job=len(self.jobs) - 1)
        data, touched = render_job(self.theme, job)
        return self._done(path, job, data, touched)

    def _kept(self, path: str, key: str | None) -> PageEntry | None:
        entry = self.previous.get(("site", path))
        if key is None or entry is None or entry.key != key or entry.world not in (None, self.world):
            return None
        if self.published.get(path) != entry.digest or not (self.site_folder / path).is_file():
            return None
        self.entries[("site", path)] = entry
        return entry

    def _done(self, path: str, job: Job, data: bytes, touched: bool) -> OutputFile:
        self.rendered += 1
        if job.key is not None:
            self.entries[("site", path)] = PageEntry(job.key, data_digest(data), self.world if touched else None)
        return OutputFile(path, data, job.source)

    def finish(self, files: Iterable[OutputFile], jobs: int, problems: Problems) -> list[OutputFile]:
        """Render the queued pages in worker processes and put them in their places."""
        files = list(files)
        results = fork_map(lambda job: _render_safely(self.theme, job), self.jobs, jobs)
        done = []
        for file in files:
            if not isinstance(file, PendingFile):
                done.append(file)
                continue
            job = self.jobs[file.job]
            data, touched, error = results[file.job]
            if error is not None:
                problems.error(error[0] or job.template, f"template error: {error[1]}", error[2])
                continue
            done.append(self._done(file.path, job, data, touched))
        self.jobs.clear()
        return done


def render_job(theme: Theme, job: Job) -> tuple[bytes, bool]:
    """The page's bytes, and whether its template read the playbook model beyond settings."""
    watched = WatchedPlaybook(job.context["playbook"]) if "playbook" in job.context else None
    context = {**job.context, "playbook": watched} if watched is not None else job.context
    data = theme.render(job.template, **context).encode("utf-8")
    return data, bool(watched and watched.touched)


def _render_safely(theme: Theme, job: Job) -> tuple[bytes, bool, tuple[str | None, str, int | None] | None]:
    try:
        data, touched = render_job(theme, job)
    except jinja2.TemplateError as exc:
        name = getattr(exc, "filename", None) or getattr(exc, "name", None)
        return b"", False, (name, str(exc), getattr(exc, "lineno", None))
    return data, touched, None
