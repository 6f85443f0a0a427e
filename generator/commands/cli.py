"""The command line: parse arguments, call one pipeline function, print problems.

Exit codes: 0 success, 1 content errors, 2 usage errors. Problems go to stderr as
`path:line: field: message`. No traceback reaches the user for a content error.

The pipeline modules are imported inside the commands: `playbook build` first asks the
up-to-date check (standard library only) and, when nothing changed, is done in a blink.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.build import uptodate
from generator.build.heap import paused_collector
from generator.errors import BuildFailed, Problem, Problems

if TYPE_CHECKING:
    from generator.build.pipeline import BuildOptions, BuildResult
    from generator.config.settings import Config


DIR_ARGUMENT = click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)

BUILD_DATE_OPTION = click.option(
    "--build-date", type=click.DateTime(["%Y-%m-%d"]), help="Pretend today is this date (YYYY-MM-DD)."
)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@contextmanager
def _exit_on_failure(verb: str) -> Iterator[None]:
    """Print content and output errors (never a traceback) and exit 1."""
    from generator.build.output import OutputError

    try:
        yield
    except BuildFailed as failed:
        _print_problems(failed.problems.sorted())
        errors, warnings = len(failed.problems.errors), len(failed.problems.warnings)
        click.echo(f"{verb} failed: {errors} error(s), {warnings} warning(s); nothing was written.", err=True)
        sys.exit(1)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _run(directory: Path, options: BuildOptions) -> BuildResult:
    """Build once; the collector also pauses while the pipeline's modules are imported."""
    with paused_collector():
        from generator.build.pipeline import build

        with _exit_on_failure("Build"):
            return build(directory, options)


@contextmanager
def _progress_status() -> Iterator[Callable[[str], None] | None]:
    """A status line naming the build's current stage, with a spinner and the time so far,
    on an interactive terminal; nothing in CI, pipes or logs."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console

    started = time.perf_counter()
    with Console(stderr=True).status("Starting") as status:
        yield lambda stage: status.update(f"{stage} ({time.perf_counter() - started:.1f} s)")


def _summary(verb: str, pages: int, newsletters: int, warnings: int, seconds: float) -> str:
    return f"{verb} {pages} pages, {newsletters} newsletters, {warnings} warnings in {seconds:.2f} s"


def _result_summary(result: BuildResult, verb: str) -> str:
    return _summary(verb, result.pages, result.newsletters, len(result.warnings), result.seconds)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="playbook")
def main() -> None:
    """Playbook: a Markdown marketing playbook as a static site and tracked newsletters."""


@main.command("build")
@DIR_ARGUMENT
@click.option("--drafts", is_flag=True, help="Include documents with draft: true.")
@BUILD_DATE_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--no-cache", is_flag=True, help="Render everything again, ignoring .playbook-cache/.")
def build_command(
    directory: Path, drafts: bool, build_date: dt.datetime | None, quiet: bool, jobs: int | None, no_cache: bool
) -> None:
    """Build the site into site/ and the newsletters into newsletters/."""
    day = build_date.date() if build_date else None
    if not no_cache and _up_to_date(directory, day, drafts, quiet):
        return
    from generator.build.pipeline import BuildOptions

    with _progress_status() as progress:
        options = BuildOptions(drafts=drafts, build_date=day, jobs=jobs, cache=not no_cache, progress=progress)
        result = _run(directory, options)
    _print_problems(result.warnings)
    if not quiet:
        click.echo(_result_summary(result, "Built"))


def _up_to_date(directory: Path, day: dt.date | None, drafts: bool, quiet: bool) -> bool:
    """True (and the last build's report printed again) when nothing changed since it."""
    started = time.perf_counter()
    report = uptodate.unchanged(directory.resolve(), day, drafts)
    if report is None:
        return False
    for warning in report.warnings:
        click.echo(warning, err=True)
    if not quiet:
        seconds = time.perf_counter() - started
        summary = _summary("Built", report.pages, report.newsletters, len(report.warnings), seconds)
        click.echo(f"{summary} (nothing changed since the last build)")
    return True


@main.command("check")
@DIR_ARGUMENT
@click.option("--drafts", is_flag=True, help="Check drafts too.")
@click.option("--external", is_flag=True, help="Also fetch every external http(s) link (uses the network).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--stale", is_flag=True, help="Also fail (exit 1) when any document's review is overdue.")
@BUILD_DATE_OPTION
def check_command(
    directory: Path, drafts: bool, external: bool, output_format: str, stale: bool, build_date: dt.datetime | None
) -> None:
    """Validate content, links and anchors without writing anything.

    With --format json, stdout is one object: {"ok": bool, "errors": int, "warnings": int,
    "problems": [{"path", "line", "field", "message", "severity"}]} (see README).
    """
    from generator.build.output import OutputError
    from generator.build.pipeline import BuildOptions, build
    from generator.site.views.reviews import stale_problems

    options = BuildOptions(drafts=drafts, write=False, build_date=build_date.date() if build_date else None)
    result: BuildResult | None = None
    try:
        result = build(directory, options)
        problems = result.problems
    except BuildFailed as failed:
        problems = failed.problems.sorted()
    except OutputError as exc:
        problems = [Problem(str(directory), None, None, str(exc), "error")]
    if stale and result is not None:
        problems = Problems(problems + stale_problems(result.playbook)).sorted()
    if external and result is not None:
        from generator.commands.linkcheck import check_external_links

        problems = Problems(problems + check_external_links(result.playbook)).sorted()
    errors = sum(1 for p in problems if p.severity == "error")
    if output_format == "json":
        report = {"ok": not errors, "errors": errors, "warnings": len(problems) - errors}
        report["problems"] = [p.as_dict() for p in problems]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_problems(problems)
        if result is not None and not errors:
            click.echo(_result_summary(result, "Checked"))
        else:
            click.echo(f"Check failed: {errors} error(s), {len(problems) - errors} warning(s).", err=True)
    sys.exit(1 if errors else 0)


@main.command("serve")
@DIR_ARGUMENT
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve_command(directory: Path, port: int, host: str) -> None:
    """Preview the site with drafts, rebuilding and reloading the browser on every save."""
    from generator.commands.serve import PreviewServer

    server = PreviewServer(directory, host, port, echo=lambda line: click.echo(line, err=True))
    try:
        server.run()
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}; try --port", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.shutdown()


def _known_type(context: click.Context, parameter: click.Parameter, value: str) -> str:
    """A document type of the registry (imported only when `new` runs: it loads the schemas)."""
    from generator.content.doctypes import NAMES

    if value not in NAMES:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(map(repr, NAMES))}.", context, parameter)
    return value


@main.command("new")
@click.argument("doc_type", metavar="TYPE", callback=_known_type)
@click.argument("title", required=False, default="")
@click.option("--lang", help="Language code (default: the site's default language).")
@click.option("--section", help="Folder inside the language folder (default: one per type, e.g. campaigns).")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False, path_type=Path), help="Project.")
@click.option(
    "--strategy",
    type=click.Path(dir_okay=False, path_type=Path),
    help="For a report: the strategy or campaign file it follows up (its last figures are filled in).",
)
def new_command(
    doc_type: str, title: str, lang: str | None, section: str | None, directory: Path, strategy: Path | None
) -> None:
    """Create a document of TYPE (a document type, e.g. campaign) from its archetype and print its path.

    TITLE is required, except for a report (default: "Report N")."""
    from generator.commands.scaffold import NEEDS_STRATEGY, NewDocument, ScaffoldError, create_document

    if not title and doc_type != "report":
        raise click.UsageError("Missing argument 'TITLE'.")
    if strategy is not None and doc_type != "report":
        raise click.UsageError("--strategy is only for TYPE report.")
    if doc_type == "report" and strategy is None:
        raise click.UsageError(NEEDS_STRATEGY)
    try:
        path = create_document(directory, NewDocument(doc_type, title, lang, section, strategy=strategy))
    except BuildFailed as failed:
        _print_problems(failed.problems.sorted())
        sys.exit(1)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(path.relative_to(directory.resolve()).as_posix())


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
@click.option("--name", "site_name", help="Site name (default: from the folder name).")
def init_command(directory: Path, site_name: str | None) -> None:
    """Start a new playbook project in DIR that builds at once."""
    from generator.commands.scaffold import ScaffoldError, create_project

    try:
        written = create_project(directory, site_name)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(path.relative_to(directory).as_posix())
    click.echo(f"Created a playbook in {directory}. Next: playbook serve {directory}", err=True)


@main.command("clean")
@DIR_ARGUMENT
def clean_command(directory: Path) -> None:
    """Delete the built site, newsletters and cache: only folders Playbook wrote itself."""
    from generator.build.output import clean_outputs
    from generator.config.settings import load_config

    root = directory.resolve()
    with _exit_on_failure("Clean"):
        removed = clean_outputs(root, load_config(root))
    for path in removed:
        click.echo(f"removed {path}")


@main.group("newsletter")
def newsletter_group() -> None:
    """Work with built newsletters."""


@newsletter_group.command("send")
@click.argument("issue")
@DIR_ARGUMENT
@click.option("--to", "recipients", multiple=True, help="A test recipient (repeat for several).")
@click.option(
    "--list",
    "subscribers",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The real send: a CSV of subscribers (email,name,lang and merge fields).",
)
@click.option(
    "--rate", type=click.FloatRange(min=0.01), default=10, show_default=True, help="Messages a second, at most."
)
@click.option("--dry-run", is_flag=True, help="With --list: show who would get which language; send nothing.")
def newsletter_send_command(
    issue: str, directory: Path, recipients: tuple[str, ...], subscribers: Path | None, rate: float, dry_run: bool
) -> None:
    """Send ISSUE through the SMTP server in playbook.yml: a test (--to) or to a list (--list).

    ISSUE is a slug (issue-15); for a test also <lang>/<slug> (es/issue-15) or a folder. The
    issue is built first when its sources changed. A list send is resumable: run it again
    after an interruption and nobody gets the issue twice (see README).
    """
    from generator.config.settings import load_config
    from generator.newsletter.send import valid_address

    if bool(recipients) == bool(subscribers):
        raise click.UsageError("give either --to ADDRESS (a test send) or --list FILE (the real send)")
    invalid = [address for address in recipients if not valid_address(address)]
    if invalid:
        raise click.BadParameter(f"not an e-mail address: {', '.join(map(repr, invalid))}", param_hint="--to")
    if subscribers is not None and "/" in issue.strip("/"):
        slug = issue.rsplit("/", 1)[-1]
        raise click.UsageError(f"--list takes the issue's slug ({slug}): each subscriber gets their language")
    with _exit_on_failure("Send"):
        config = load_config(directory)
    if not dry_run:
        _build_for_send(directory)
    if subscribers is None:
        _send_test(directory, config, issue, list(recipients))
    else:
        _send_list(directory, config, issue.strip("/"), subscribers, rate, dry_run)


def _build_for_send(directory: Path) -> None:
    """Never send an old build: build first (at once done when nothing changed)."""
    if not _up_to_date(directory, dt.date.today(), False, quiet=True):
        from generator.build.pipeline import BuildOptions

        _print_problems(_run(directory, BuildOptions()).warnings)


def _send_test(directory: Path, config: Config, issue: str, recipients: list[str]) -> None:
    from generator.newsletter.send import SendError, find_message, send_test

    try:
        path = find_message(directory, config, issue)
        send_test(path, recipients, config, dt.datetime.now(dt.UTC))
    except SendError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Sent a test of {path} to {', '.join(recipients)} through {config.smtp.host}:{config.smtp.port}")


def _send_list(directory: Path, config: Config, slug: str, subscribers: Path, rate: float, dry_run: bool) -> None:
    from generator.newsletter.listsend import ListSender, plan_send, read_subscribers, send_log_path
    from generator.newsletter.send import SendError

    root = directory.resolve()
    try:
        listed = read_subscribers(subscribers)
        _print_problems(listed.problems)
        plan = plan_send(root, config, slug, listed)
        if dry_run:
            languages = ", ".join(f"{lang}: {count}" for lang, count in sorted(plan.summary.by_language.items()))
            click.echo(f"Would send {len(plan.queue)} ({languages or 'nobody'}), skip {plan.summary.skipped}")
            return
        with _send_progress(len(plan.queue)) as advance:
            summary = ListSender(root, config, slug, rate, advance).run(plan)
    except SendError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        log = send_log_path(root, slug)
        click.echo(f"Interrupted. Every delivery so far is in {log}; run the same command to resume.", err=True)
        sys.exit(130)
    for address, reply in summary.failed:
        click.echo(f"failed: {address}: {reply} (added to {config.newsletter.suppression_file})", err=True)
    for address, reply in summary.deferred:
        click.echo(f"deferred: {address}: {reply} (run the same command again later)", err=True)
    for address in summary.unconfirmed:
        click.echo(f"unconfirmed: {address}: the connection ended after the message; counted as sent", err=True)
    sent = len(summary.sent) + len(summary.unconfirmed)
    failed = len(summary.failed) + len(summary.deferred)
    click.echo(f"Sent {sent}, skipped {summary.skipped}, failed {failed}")
    sys.exit(0 if summary.ok else 1)


@contextmanager
def _send_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on an interactive terminal; nothing in CI, pipes or logs."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda outcome: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Sending", total=total)
        yield lambda outcome: progress.advance(task)
