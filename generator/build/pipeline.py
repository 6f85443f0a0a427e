"""The build pipeline: read -> validate -> model -> render -> write, in that order.

This module only sequences the stages and collects their problems; each stage lives in
its own module. `check` runs the same pipeline without writing.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.build import uptodate
from generator.build.cache import CACHE_FOLDER, CacheState, load_state, save_state
from generator.build.depends import Dependencies, reads_undeclared_files
from generator.build.heap import paused_collector
from generator.build.output import Published, Threads, build_lock, output_trees, write_trees
from generator.build.parallel import default_jobs
from generator.commands.catalogs import missing_translations
from generator.config.mkdocs_yml import MKDOCS_NAME
from generator.config.settings import CONFIG_NAME, Config, load_config
from generator.content.dates import SourceDates, default_build_date, source_dates
from generator.content.model import Playbook
from generator.content.reader import read_content, without_excluded
from generator.content.validate import assemble
from generator.errors import BuildFailed, Problem, Problems
from generator.i18n import localizers
from generator.markdown.bodies import render_bodies
from generator.newsletter.archive import NewsletterArchive, PublicArchive
from generator.newsletter.emails import Newsletters
from generator.newsletter.issue import SHORT_LINK_FOLDER
from generator.site.context import Generator, SiteContext, ViewLink
from generator.site.nav import build_navigation
from generator.site.pages import DocumentPages, SectionPages
from generator.site.presence import Presence, presence
from generator.site.redirects import RedirectPages
from generator.site.rendering import OutputFile, PageRenderer, template_error
from generator.site.search import index_site
from generator.site.special import Assets, NotFoundPage, Sitemap
from generator.site.theme import Theme, load_theme
from generator.site.views.calendar import CampaignCalendar
from generator.site.views.campaigns import CampaignsView
from generator.site.views.people import PeopleView
from generator.site.views.results import ResultsView
from generator.site.views.reviews import ReviewsView
from generator.site.views.tags import TagsView


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    build_date: dt.date | None = None
    write: bool = True
    output_dir: Path | None = None
    """Write `site/` and `newsletters/` under this folder instead of the project's (used by serve)."""
    jobs: int | None = None
    """Worker processes; None: one per core."""
    cache: bool = True
    """Reuse and update the build cache in `.playbook-cache/`."""
    live: bool = False
    """Update the output folders in place and leave the search index to the caller: the
    private preview of `playbook serve`, where a reload must not wait for the whole site."""
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    """Called with the name of each stage as it starts: the CLI's status line."""


@dataclass
class BuildResult:
    playbook: Playbook
    files: int = 0
    pages: int = 0
    newsletters: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def site_generators(shown: Presence) -> list[Generator]:
    """Every output of the site, in the order it is written; views only where content feeds
    them. The e-mails come last: they render while the search index reads the finished
    pages (see `write_trees`)."""
    wanted: list[tuple[bool, Generator]] = [
        (shown.campaigns, CampaignsView()),
        (shown.campaigns, CampaignCalendar()),
        (shown.results, ResultsView()),
        (shown.people, PeopleView()),
        (shown.tags, TagsView()),
        (shown.reviews, ReviewsView()),
    ]
    views = [generator for present, generator in wanted if present]
    pages: list[Generator] = [Assets(), DocumentPages(), SectionPages(), RedirectPages(), *views]
    return [*pages, NewsletterArchive(), NotFoundPage(), Sitemap(), Newsletters(), PublicArchive()]


def load_playbook(
    root: Path,
    options: BuildOptions,
    problems: Problems,
    state: CacheState | None = None,
    config: Config | None = None,
    dates: SourceDates | None = None,
) -> Playbook:
    """Stages read, validate and model. Raises BuildFailed with every problem found."""
    config = config or load_config(root)
    problems.extend(config.load_problems)
    dates = dates or source_dates(root, config.content_dir, config.timezone)
    tree = without_excluded(
        read_content(root, config.content_dir, problems, state.sources if state else None, dates), config.exclude
    )
    memo = state.documents if state else None
    build_date = options.build_date or default_build_date(config.timezone)
    return assemble(root, config, tree, problems, include_drafts=options.drafts, build_date=build_date, memo=memo)


def site_context(
    playbook: Playbook,
    generators: list[Generator],
    problems: Problems,
    state: CacheState | None,
    previous: CacheState,
    trees: dict[str, Path],
    jobs: int = 1,
) -> SiteContext:
    """Stage render, part one: document bodies, navigation, localisation, and the renderer
    the generators' pages go through."""
    config = playbook.config
    theme = load_theme(playbook.root, config.theme_dir)
    bodies = render_bodies(playbook, problems, state, jobs, meanwhile=theme.compile_templates)
    if problems.errors:
        raise BuildFailed(problems)
    languages = localizers(theme.dirs, config.language_codes)
    navigation = {lang: build_navigation(playbook, lang, languages[lang].section_title) for lang in languages}
    for nav in navigation.values():
        problems.extend(nav.problems)
    if problems.errors:
        raise BuildFailed(problems)
    view_links = tuple(g.view_link for g in generators if getattr(g, "view_link", None))
    claimed = frozenset(url for g in generators for url in getattr(g, "claims", ()))
    return SiteContext(
        playbook=playbook,
        theme=theme,
        localizers=languages,
        navigation=navigation,
        bodies=bodies,
        problems=problems,
        renderer=_renderer(playbook, theme, view_links, claimed, previous, trees, jobs, remember=state is not None),
        view_links=view_links,
        claimed=claimed,
    )


def build(root: Path, options: BuildOptions = BuildOptions(), state: CacheState | None = None) -> BuildResult:
    """Run the whole pipeline; raise BuildFailed (nothing written) if anything is wrong.

    `state` is the build cache (`Session` keeps it in memory); by default it is read from
    and saved to `.playbook-cache/`.
    """
    started = time.perf_counter()
    root = root.resolve()
    problems = Problems()
    jobs = options.jobs or default_jobs()
    stage = options.progress or _quiet
    with build_lock(root), paused_collector():
        persistent = state is None and options.cache and options.write and options.output_dir is None
        config = load_config(root)
        dates = source_dates(root, config.content_dir, config.timezone)
        if state is not None:
            state.lasting.next_build()
        if persistent:
            state = load_state(root, problems)
            uptodate.forget(root / CACHE_FOLDER)
            inputs = uptodate.take_inputs(root, stamp_inputs(config), config.content_dir, config.timezone, dates)
        stage("Reading content")
        playbook = load_playbook(root, options, problems, state, config, dates)
        trees = _trees(root, playbook.config, options.output_dir) if options.write else {}
        previous = copy.copy(state) if state is not None else CacheState()
        stage("Rendering Markdown")
        generators = site_generators(presence(playbook))
        site = site_context(playbook, generators, problems, state, previous, trees, jobs)
        renderer = site.renderer
        result = BuildResult(playbook)
        stage("Rendering pages")
        pages = [g for g in generators if not isinstance(g, Newsletters)]
        files = list(_counted(renderer.finish(_generate(site, pages, problems), jobs, problems), result))
        emails = _counted(_made_later(site, [g for g in generators if g not in pages], jobs, problems), result)
        if state is not None:
            state.salt, state.pages, state.memos = renderer.depends.salt, renderer.entries, renderer.memos
        if options.write:
            finish = {"site": index_site} if playbook.config.search and not options.live else {}
            stage("Writing files and newsletters" + (" and the search index" if finish else ""))
            manifest, stamps = (state.manifest, state.published) if state is not None else ({}, {})
            with Threads() as background:
                result.files = write_trees(
                    trees,
                    files,
                    problems,
                    finish,
                    manifest,
                    live=options.live,
                    stamps=stamps,
                    later=emails,
                    retire=background.retire,
                )
                if persistent:
                    save_state(root, state)
                    _stamp(root, options, inputs, trees, stamps, result, problems)
        else:
            result.files = len(files) + len(list(emails))
            names = {lang.code: lang.name for lang in config.languages}
            problems.extend(missing_translations(root, site.theme.dirs, names, root / config.theme_dir))
            if problems.errors:
                raise BuildFailed(problems)
    result.seconds = time.perf_counter() - started
    result.problems = problems.sorted()
    return result


def _quiet(stage: str) -> None:
    """No progress reporting."""


def stamp_inputs(config: Config) -> list[str]:
    """Every file and folder a build reads, relative to the project (the built-in theme is
    part of the code version)."""
    return [CONFIG_NAME, MKDOCS_NAME, config.content_dir, config.theme_dir]


def _stamp(
    root: Path,
    options: BuildOptions,
    inputs: uptodate.Inputs,
    trees: dict[str, Path],
    stamps: dict[str, dict[str, uptodate.FileStamp]],
    result: BuildResult,
    problems: Problems,
) -> None:
    """Record the build for the up-to-date check (see uptodate.py). An MkDocs project gets
    none: its mkdocs.yml may read environment variables (`!ENV`) and other files (`INHERIT`);
    nor does a playbook whose pages include snippets: they may come from any file."""
    if not (root / CONFIG_NAME).is_file() or reads_undeclared_files(result.playbook):
        return
    outputs = {
        os.path.relpath(trees[tree] / rel, root): stamp
        for tree, files in stamps.items()
        for rel, stamp in files.items()
    }
    folders = [os.path.relpath(folder, root) for folder in trees.values()]
    warnings = [str(p) for p in problems.sorted() if p.severity == "warning"]
    report = uptodate.Report(result.pages, result.newsletters, warnings)
    key = uptodate.build_key(result.playbook.build_date, options.drafts)
    stamp = uptodate.Stamp(uptodate.STAMP_VERSION, key, inputs, outputs, folders, report)
    uptodate.record(root / CACHE_FOLDER, stamp)


def _renderer(
    playbook: Playbook,
    theme: Theme,
    view_links: tuple[ViewLink, ...],
    claimed: frozenset[str],
    previous: CacheState,
    folders: dict[str, Path],
    jobs: int,
    remember: bool,
) -> PageRenderer:
    depends = Dependencies(playbook, theme, view_links, claimed, previous.lasting)
    same_salt = previous.salt == depends.salt
    return PageRenderer(
        theme=theme,
        depends=depends,
        previous=previous.pages if same_salt else {},
        published=Published(folders, previous.manifest, previous.published),
        workers=jobs,
        remember=remember,
        previous_memos=previous.memos if same_salt else {},
    )


def _trees(root: Path, config: Config, output_dir: Path | None) -> dict[str, Path]:
    if output_dir is None:
        return output_trees(root, config)
    trees = {"site": output_dir / "site", "newsletters": output_dir / "newsletters"}
    return trees | ({"public": output_dir / "public"} if config.newsletter.public_url else {})


def _generate(site: SiteContext, generators: Iterable[Generator], problems: Problems) -> Iterator[OutputFile]:
    for generator in generators:
        try:
            yield from generator.generate(site)
        except jinja2.TemplateError as exc:
            error = template_error(exc)
            problems.error(error.filename or type(generator).__name__, f"template error: {error.message}", error.line)


def _made_later(site: SiteContext, generators: list[Generator], jobs: int, problems: Problems) -> Iterator[OutputFile]:
    """The generators' files, made only as they are asked for."""
    yield from site.renderer.finish(_generate(site, generators, problems), jobs, problems)


def _counted(files: Iterable[OutputFile], result: BuildResult) -> Iterator[OutputFile]:
    """Pages (not short-link redirects) and newsletters, for the summary line."""
    for file in files:
        if file.tree == "site" and file.path.endswith(".html") and not file.path.startswith(f"{SHORT_LINK_FOLDER}/"):
            result.pages += 1
        elif file.tree == "newsletters" and file.path.endswith("/message.eml"):
            result.newsletters += 1
        yield file


class Session:
    """A build that is run again and again (by `playbook serve`).

    The session keeps the build cache in memory: a rebuild parses again only files whose
    bytes changed (see reader.py), renders only the bodies and pages whose inputs changed (listings and
    navigation only when the metadata they show changed) and rewrites only changed files.
    `rebuild` receives the paths that changed; callers must not assume more than "the
    output is up to date afterwards".
    """

    def __init__(self, root: Path, options: BuildOptions = BuildOptions()) -> None:
        self.root = root.resolve()
        self.options = options
        self.state = CacheState()

    def run(self) -> BuildResult:
        return build(self.root, self.options, self.state if self.options.cache else None)

    def rebuild(self, changed: Iterable[Path]) -> BuildResult:
        del changed  # every file is compared anyway (stat data, then its digest): cheap, and never misses one
        return self.run()
