"""The command line: parse arguments, call one pipeline function, print problems.

Exit codes: 0 success, 1 content errors, 2 usage errors. Problems go to stderr as
`path:line: field: message`. No traceback reaches the user for a content error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.build import BuildOptions, BuildResult, build
from generator.config import load_config
from generator.errors import BuildFailed, Problem
from generator.output import OutputError, clean_outputs
from generator.views.reviews import stale_problems

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
    try:
        yield
    except BuildFailed as failed:
        _print_problems(failed.problems.sorted())
        errors = len(failed.problems.errors)
        click.echo(f"{verb} failed: {errors} error(s); nothing was written.", err=True)
        sys.exit(1)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _run(directory: Path, options: BuildOptions) -> BuildResult:
    with _exit_on_failure("Build"):
        return build(directory, options)


def _summary(result: BuildResult, verb: str) -> str:
    return (
        f"{verb} {result.pages} pages, {result.newsletters} newsletters, "
        f"{len(result.warnings)} warnings in {result.seconds:.2f} s"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="playbook")
def main() -> None:
    """Playbook: a Markdown marketing playbook as a static site and tracked newsletters."""


@main.command("build")
@DIR_ARGUMENT
@click.option("--drafts", is_flag=True, help="Include documents with draft: true.")
@BUILD_DATE_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def build_command(directory: Path, drafts: bool, build_date: dt.datetime | None, quiet: bool) -> None:
    """Build the site into site/ and the newsletters into newsletters/."""
    options = BuildOptions(drafts=drafts, build_date=build_date.date() if build_date else None)
    result = _run(directory, options)
    _print_problems(result.warnings)
    if not quiet:
        click.echo(_summary(result, "Built"))


@main.command("check")
@DIR_ARGUMENT
@click.option("--drafts", is_flag=True, help="Check drafts too.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--stale", is_flag=True, help="Also fail (exit 1) when any document's review is overdue.")
@BUILD_DATE_OPTION
def check_command(
    directory: Path, drafts: bool, output_format: str, stale: bool, build_date: dt.datetime | None
) -> None:
    """Validate content, links and anchors without writing anything."""
    options = BuildOptions(drafts=drafts, write=False, build_date=build_date.date() if build_date else None)
    if output_format == "json":
        _check_json(directory, options, stale)
        return
    result = _run(directory, options)
    overdue = stale_problems(result.playbook) if stale else []
    _print_problems(result.warnings + overdue)
    click.echo(_summary(result, "Checked"))
    if overdue:
        click.echo(f"{len(overdue)} document(s) overdue for review.", err=True)
        sys.exit(1)


def _check_json(directory: Path, options: BuildOptions, stale: bool) -> None:
    try:
        result = build(directory, options)
        overdue = stale_problems(result.playbook) if stale else []
        problems, ok = result.problems + overdue, not overdue
    except BuildFailed as failed:
        problems, ok = failed.problems.sorted(), False
    report = {"ok": ok, "problems": [p.as_dict() for p in problems]}
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    sys.exit(0 if ok else 1)


@main.command("clean")
@DIR_ARGUMENT
def clean_command(directory: Path) -> None:
    """Delete the built site, newsletters and cache: only folders Playbook wrote itself."""
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
@click.option("--to", "recipients", multiple=True, required=True, help="Recipient address (repeat for several).")
def newsletter_send_command(issue: str, directory: Path, recipients: tuple[str, ...]) -> None:
    """Send ISSUE's built message.eml as a test through the SMTP server in playbook.yml.

    ISSUE is a slug (issue-15), <lang>/<slug> (es/issue-15) or a path to the issue's folder.
    The password comes from the environment variable named by smtp.password_env.
    """
    from generator.config import load_config
    from generator.newsletter.send import SendError, find_message, prepare, send

    with _exit_on_failure("Send"):
        config = load_config(directory)
    try:
        path = find_message(directory, config, issue)
        send(prepare(path, list(recipients)), list(recipients), config.smtp, config.newsletter.from_address)
    except SendError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Sent {path} to {', '.join(recipients)} through {config.smtp.host}:{config.smtp.port}")
