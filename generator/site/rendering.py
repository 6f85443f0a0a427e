"""Rendering HTML pages for every generator: from the build cache when nothing a page shows
has changed, otherwise through Jinja, in parallel worker processes when asked to.

Generators call `SiteContext.html(template, context, source)`; through the site's
`PageRenderer`, that call returns either a `KeptFile` (the page is unchanged
since the last build: the writer keeps the file already published) or, in parallel mode,
a `PendingFile` that `PageRenderer.finish` later replaces by the rendered bytes, in the
same order, so the output is byte-identical to a serial build.

Generators whose files are not Jinja pages (e-mails, feeds) go through `remembered_all`:
files made from the same inputs as last time are kept as published.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

import jinja2

from generator.build.cache import MemoEntry, PageEntry, PublishedFile, data_digest
from generator.build.depends import Dependencies, WatchedPlaybook
from generator.build.output import Published
from generator.build.parallel import fork_map
from generator.errors import Problems
from generator.site.theme import Theme
from generator.urls import output_path

Tree = Literal["site", "newsletters", "public"]


@dataclass(frozen=True)
class OutputFile:
    """Bytes for one file of the output; `source` names what produced it (for messages)."""

    path: str
    data: bytes
    source: str = ""
    tree: Tree = "site"


class Made(NamedTuple):
    """What a generator made for one remembered output: its files and a picklable extra
    (problems, short links) that the next build replays when it keeps the files."""

    files: list[OutputFile]
    extra: Any


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
    quick: str | None = None
    key_in_worker: bool = False
    """The page has no previous build to compare with: its worker computes the key (a
    cold build thus fingerprints its pages in parallel)."""


@dataclass
class PageRenderer:
    theme: Theme
    depends: Dependencies
    previous: dict[tuple[str, str], PageEntry]
    published: Published
    """What the previous build wrote, verified on disk before a file is kept."""
    workers: int = 1
    remember: bool = True
    """Compute the keys the next build compares with (not for a build without a cache)."""
    previous_memos: dict[str, MemoEntry] = field(default_factory=dict)
    entries: dict[tuple[str, str], PageEntry] = field(default_factory=dict)
    memos: dict[str, MemoEntry] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)

    def quick_kept(
        self, url: str, template: str, inputs: tuple[Any, ...], source: str
    ) -> tuple[OutputFile | None, str]:
        """The published page, kept without building its context, when the page is a function
        of `inputs` and the site's metadata (the world digest) and none of them changed; and
        the quick key to pass to `output` otherwise."""
        quick = self.depends.quick_key(template, inputs)
        path = output_path(url)
        entry = self.previous.get(("site", path))
        if entry is None or entry.quick != quick or not self._still_published("site", path, entry.digest):
            return None, quick
        self.entries[("site", path)] = entry
        return KeptFile(path, b"", source, digest=entry.digest), quick

    def output(self, template: str, context: dict[str, Any], source: str, quick: str | None = None) -> OutputFile:
        path = output_path(context["page_url"])
        parallel = self.workers > 1
        if not self.remember:
            job = Job(template, context, source, None)
        elif parallel and ("site", path) not in self.previous:
            job = Job(template, context, source, None, quick, key_in_worker=True)
        else:
            key = self.depends.page_key(template, context)
            kept = self._kept(path, key, quick)
            if kept is not None:
                return KeptFile(path, b"", source, digest=kept.digest)
            job = Job(template, context, source, key, quick)
        if parallel:
            self.jobs.append(job)
            return PendingFile(path, b"", source, job=len(self.jobs) - 1)
        data, touched = render_job(self.theme, job)
        return self._done(path, job, data, touched)

    def _kept(self, path: str, key: str | None, quick: str | None) -> PageEntry | None:
        entry = self.previous.get(("site", path))
        if key is None or entry is None or entry.key != key or entry.world not in (None, self.depends.world):
            return None
        if not self._still_published("site", path, entry.digest):
            return None
        self.entries[("site", path)] = replace(entry, quick=quick)
        return entry

    def _still_published(self, tree: str, path: str, digest: str) -> bool:
        return self.published.holds(tree, path, digest)

    def remembered_all(
        self, items: list[tuple[str, tuple[Any, ...]]], make: Callable[[int], tuple[list[OutputFile], Any]]
    ) -> list[Made]:
        """For each (name, inputs) item, the files (and a picklable extra) that `make(index)`
        makes, or the same files kept from the last build when they were made from the same
        inputs and are still published as they were. Those not kept are made in workers, all
        but the first: made here, it loads what the others share (modules, templates, memos)
        once, before the workers fork."""
        keys = [self.depends.output_key(name, inputs) for name, inputs in items]
        results: list[Made | None] = [self._recall(name, key) for (name, _), key in zip(items, keys, strict=True)]
        missing = [index for index, result in enumerate(results) if result is None]
        made = [_made_safely(make, index) for index in missing[:1]]
        made += fork_map(lambda index: _made_safely(make, index), missing[1:], self.workers)
        for index, (files, extra) in zip(missing, map(_unwrap, made), strict=True):
            name, _ = items[index]
            described = tuple(PublishedFile(f.tree, f.path, f.source, data_digest(f.data)) for f in files)
            self.memos[name] = MemoEntry(keys[index], described, extra)
            results[index] = Made(files, extra)
        return [result for result in results if result is not None]

    def _recall(self, name: str, key: str) -> Made | None:
        entry = self.previous_memos.get(name)
        if entry is None or entry.key != key or not self._all_published(entry):
            return None
        self.memos[name] = entry
        kept: list[OutputFile] = [KeptFile(f.path, b"", f.source, f.tree, digest=f.digest) for f in entry.files]
        return Made(kept, entry.extra)

    def _all_published(self, entry: MemoEntry) -> bool:
        return all(self._still_published(f.tree, f.path, f.digest) for f in entry.files)

    def _done(self, path: str, job: Job, data: bytes, touched: bool) -> OutputFile:
        if job.key is not None:
            world = self.depends.world if touched else None
            self.entries[("site", path)] = PageEntry(job.key, data_digest(data), world, job.quick)
        return OutputFile(path, data, job.source)

    def finish(self, files: Iterable[OutputFile], jobs: int, problems: Problems) -> list[OutputFile]:
        """Render the queued pages in worker processes and put them in their places."""
        files = list(files)
        results = fork_map(self._render_in_worker, self.jobs, jobs)
        done = []
        for file in files:
            if not isinstance(file, PendingFile):
                done.append(file)
                continue
            job, rendered = self.jobs[file.job], results[file.job]
            error = rendered.error
            if error is not None:
                problems.error(error.filename or job.template, f"template error: {error.message}", error.line)
                continue
            done.append(self._done(file.path, replace(job, key=rendered.key), rendered.data, rendered.touched))
        self.jobs.clear()
        return done

    def _render_in_worker(self, job: Job) -> RenderedPage:
        key = self.depends.page_key(job.template, job.context) if job.key_in_worker else job.key
        try:
            data, touched = render_job(self.theme, job)
        except jinja2.TemplateError as exc:
            return RenderedPage(b"", False, key, template_error(exc))
        return RenderedPage(data, touched, key)


def render_job(theme: Theme, job: Job) -> tuple[bytes, bool]:
    """The page's bytes, and whether its template read the playbook model beyond settings."""
    watched = WatchedPlaybook(job.context["playbook"]) if "playbook" in job.context else None
    context = {**job.context, "playbook": watched} if watched is not None else job.context
    data = theme.render(job.template, **context).encode("utf-8")
    return data, bool(watched and watched.touched)


class TemplateFailed(jinja2.TemplateError):
    """A template error raised in a worker process, raised again in the build's process."""

    def __init__(self, message: str, filename: str | None, lineno: int | None) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno


class WorkerError(NamedTuple):
    """A template error as it crosses from a worker process: where, and what."""

    filename: str | None
    message: str
    line: int | None


class RenderedPage(NamedTuple):
    """A worker's answer for one page: its bytes, whether the template read the model, its key."""

    data: bytes
    touched: bool
    key: str | None
    error: WorkerError | None = None


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".svg")


def template_error(exc: jinja2.TemplateError) -> WorkerError:
    """Template file, message and line of a template error. Errors raised while rendering
    (an undefined name) carry neither file nor line; Jinja's traceback has both."""
    filename, lineno = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    if filename is None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(TEMPLATE_SUFFIXES)]
        if frames:
            filename, lineno = frames[-1].filename, frames[-1].lineno
    return WorkerError(filename, str(exc), lineno)


def _made_safely(make: Callable[[int], tuple[list[OutputFile], Any]], index: int) -> tuple[Any, WorkerError | None]:
    try:
        return make(index), None
    except jinja2.TemplateError as exc:
        return None, template_error(exc)


def _unwrap(result: tuple[Any, WorkerError | None]) -> Any:
    made, error = result
    if error is not None:
        raise TemplateFailed(error.message, error.filename, error.line)
    return made
