"""Benchmark: Playbook against MkDocs on the same synthetic playbook.

Generates N pages (front matter, three sections, lists, a table, links between pages;
campaigns and newsletters in proportion; people.yml) into benchmarks/_work/N/, writes the
same Markdown as an MkDocs project (default theme), then times in one run: `mkdocs build`,
`hugo` when it is on the PATH (the same Markdown, with minimal layouts: a page, a sidebar of
sections and of the page's own section), a cold `playbook build`, a no-op rebuild and a
one-page edit rebuild (CLI and the in-memory `Session.rebuild` that `playbook serve` uses).
Each step runs in its own process; peak memory is that process's maximum resident set size.

    python benchmarks/bench.py                      # N = 1,000 and 10,000
    python benchmarks/bench.py -n 1000 --skip-mkdocs-above 5000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
BIN = Path(sys.executable).parent
PAGES_PER_TOPIC = 25
TOPICS_PER_AREA = 8
CAMPAIGN_SHARE = 0.10
NEWSLETTER_SHARE = 0.05
PEOPLE = [f"person-{i:02d}" for i in range(20)]
WORDS = (
    "audience",
    "reach",
    "brand",
    "channel",
    "content",
    "engagement",
    "funnel",
    "growth",
    "insight",
    "journey",
    "launch",
    "metric",
    "newsletter",
    "organic",
    "paid",
    "quarter",
    "retention",
    "segment",
    "story",
    "target",
    "video",
    "weekly",
    "community",
    "partner",
)
BENCH_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""Both tools run as users run them: with Python's bytecode cache (some sandboxes turn it off)."""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<nav>{{ partialCached "sections.html" . }}
<ul>{{ range .CurrentSection.Pages }}<li><a href="{{ .RelPermalink }}"\
{{ if eq .RelPermalink $.RelPermalink }} aria-current="page"{{ end }}>{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    "partials/sections.html": '<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
    "</li>{{ end }}</ul>\n",
}
SERVE_SCRIPT = """
import sys, tempfile, time
from pathlib import Path
from generator.commands.serve import preview_session
root, page = Path(sys.argv[1]), Path(sys.argv[2])
session = preview_session(root, Path(tempfile.mkdtemp(prefix="bench-serve-")))
session.run()
text = page.read_text(encoding="utf-8")
times = []
for round in range(5):
    page.write_text(text + f"\\nServe edit {round}.\\n", encoding="utf-8")
    started = time.perf_counter()
    session.rebuild([page])
    times.append(time.perf_counter() - started)
page.write_text(text, encoding="utf-8")
print(sorted(times)[len(times) // 2])
"""


@dataclass
class Timing:
    step: str
    seconds: float
    peak_mib: float
    note: str = ""
    cpu: float = float("nan")


def sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def page_rel(index: int) -> str:
    """Content path of ordinary page `index`: area-A/topic-T/page-I.md."""
    topic = index // PAGES_PER_TOPIC
    return f"area-{topic // TOPICS_PER_AREA:02d}/topic-{topic % TOPICS_PER_AREA:02d}/page-{index:05d}.md"


def relative(from_rel: str, to_rel: str) -> str:
    return os.path.relpath(to_rel, os.path.dirname(from_rel) or ".")


def body(rng: random.Random, title: str, rel: str, links: list[str]) -> str:
    link_lines = "\n".join(f"- See [{Path(t).stem}]({relative(rel, t)}) for {sentence(rng, 4).lower()}" for t in links)
    rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {sentence(rng, 5)} |" for _ in range(4))
    return textwrap.dedent(
        f"""\
        # {title}

        {sentence(rng, 30)} {sentence(rng, 25)}

        ## Context

        {sentence(rng, 40)} **{rng.choice(WORDS)}** and *{rng.choice(WORDS)}*. {sentence(rng, 20)}

        - {sentence(rng, 8)}
        - {sentence(rng, 8)}
        - {sentence(rng, 8)}

        ## Approach

        1. {sentence(rng, 10)}
        2. {sentence(rng, 10)}
        3. {sentence(rng, 10)}

        | Item | Value | Note |
        |------|------:|------|
        {{rows}}

        ## Results

        {sentence(rng, 35)} `{rng.choice(WORDS)}` {sentence(rng, 15)}

        {{links}}
        """
    ).format(rows=rows, links=link_lines)


def front_matter(rng: random.Random, title: str, kind: str, index: int) -> str:
    lines = [
        f"title: {title}",
        f"type: {kind}",
        f"summary: {sentence(rng, 10)}",
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
        f"owner: {rng.choice(PEOPLE)}",
    ]
    if kind == "campaign":
        month = index % 12 + 1
        lines += [f"start: 2026-{month:02d}-01", f"end: 2026-{month:02d}-28", f"budget: {rng.randint(1, 90) * 500}"]
        lines += [f"team: [{rng.choice(PEOPLE)}, {rng.choice(PEOPLE)}]", "channels: [Instagram, Newsletter]"]
    if kind == "newsletter":
        lines += [f"issue: {index + 1}", f"date: 20{20 + index // 12 % 10}-{index % 12 + 1:02d}-15"]
        lines += [f"subject: Issue {index + 1}", "preheader: News from the playbook."]
    if kind == "guideline":
        lines += ["audience: staff", "version: 2"]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def generate(n: int, root: Path) -> Path:
    """Write the playbook project and the MkDocs project; return the page to edit."""
    rng = random.Random(n)
    content, docs = root / "playbook" / "content", root / "mkdocs" / "docs"
    campaigns, newsletters = int(n * CAMPAIGN_SHARE), int(n * NEWSLETTER_SHARE)
    pages = n - campaigns - newsletters
    entries: list[tuple[str, str, str, int]] = []
    kinds = ["page", "page", "guideline", "strategy"]
    entries += [(page_rel(i), f"Page {i} {rng.choice(WORDS)}", kinds[i % 4], i) for i in range(pages)]
    entries += [(f"campaigns/campaign-{i:05d}.md", f"Campaign {i}", "campaign", i) for i in range(campaigns)]
    entries += [(f"newsletters/issue-{i:05d}.md", f"Issue {i + 1}", "newsletter", i) for i in range(newsletters)]
    ordinary = [entry[0] for entry in entries[:pages]]
    for index, (rel, title, kind, number) in enumerate(entries):
        links = [ordinary[(index * 7 + k * 131 + 1) % len(ordinary)] for k in range(3)]
        text = body(rng, title, rel, [t for t in links if t != rel])
        for folder, prefix in ((content, front_matter(rng, title, kind, number)), (docs, "")):
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(prefix + text, encoding="utf-8")
    home = "# Synthetic playbook\n\nStart with [the first page](" + ordinary[0] + ").\n"
    (content / "index.md").write_text("---\ntitle: Home\n---\n\n" + home, encoding="utf-8")
    (docs / "index.md").write_text(home, encoding="utf-8")
    people = "".join(f"{p}:\n  name: Person {p[-2:]}\n  role: Marketer\n  email: {p}@example.org\n" for p in PEOPLE)
    (content / "people.yml").write_text(people, encoding="utf-8")
    (root / "playbook" / "playbook.yml").write_text(
        "site_name: Synthetic Playbook\nsite_url: https://intranet.example.com/playbook/\n",
        encoding="utf-8",
    )
    (root / "mkdocs" / "mkdocs.yml").write_text("site_name: Synthetic Playbook\ntheme: mkdocs\n", encoding="utf-8")
    _hugo_project(root / "hugo", docs)
    return content / ordinary[len(ordinary) // 2]


def _hugo_project(folder: Path, docs: Path) -> None:
    """The MkDocs project's Markdown as a Hugo site (title from each page's first heading)."""
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        title = text.split("\n", 1)[0].lstrip("# ")
        rel = path.relative_to(docs)
        target = folder / "content" / (rel.with_name("_index.md") if rel.name == "index.md" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'---\ntitle: "{title}"\n---\n\n' + text, encoding="utf-8")
    for name, layout in HUGO_LAYOUTS.items():
        (folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / name).write_text(layout, encoding="utf-8")
    (folder / "hugo.toml").write_text('title = "Synthetic Playbook"\nbaseURL = "https://intranet.example.com/"\n')


def run(argv: list[str], step: str, cwd: Path | None = None) -> tuple[Timing, str]:
    """Run one process: its wall time and peak resident memory (os.wait4's resource usage,
    the largest of the process and the workers it waited for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env=BENCH_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{step} failed:\n{out.read().decode()}\n{err.read().decode()}")
        cpu = usage.ru_utime + usage.ru_stime
        return Timing(step, seconds, usage.ru_maxrss / 1024, cpu=cpu), out.read().decode()


def bench(n: int, skip_mkdocs_above: int, jobs: int | None) -> list[Timing]:
    root = WORK / str(n)
    stale = _set_aside(root)
    print(f"Generating {n:,} pages in {root} ...", file=sys.stderr)
    edited = generate(n, root)
    project = root / "playbook"
    build = [str(BIN / "playbook"), "build", "-q", str(project)]
    if jobs:
        build[2:2] = ["--jobs", str(jobs)]
    others = _other_tools(root, n, skip_mkdocs_above)
    shutil.rmtree(project / ".playbook-cache", ignore_errors=True)
    timings = [run(build, "playbook build (cold)")[0], run(build, "playbook build (no-op)")[0]]
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\nOne more sentence.\n", encoding="utf-8")
    timings.append(run(build, "playbook build (one-page edit)")[0])
    edited.write_text(original, encoding="utf-8")
    timings.append(_newsletters(project))
    serve, out = run([sys.executable, "-c", SERVE_SCRIPT, str(project), str(edited)], "serve: one-page edit")
    timings.append(Timing(serve.step, float(out.strip()), serve.peak_mib, "in-memory Session.rebuild"))
    timings += others
    shutil.rmtree(stale, ignore_errors=True)
    return timings


def _other_tools(root: Path, n: int, skip_mkdocs_above: int) -> list[Timing]:
    """MkDocs and Hugo, timed first: the later Playbook steps replace and delete files,
    which must not slow their file writing (see _set_aside)."""
    timings = []
    if n <= skip_mkdocs_above:
        mkdocs = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(root / "mkdocs" / "mkdocs.yml")], "mkdocs build")
        timings.append(mkdocs[0])
    else:
        timings.append(Timing("mkdocs build", float("nan"), float("nan"), f"skipped (N > {skip_mkdocs_above:,})"))
    hugo = shutil.which("hugo")
    if hugo:
        timings.append(run([hugo, "--quiet", "--source", str(root / "hugo")], "hugo build")[0])
    return timings


def _set_aside(root: Path) -> Path:
    """Move the previous run's files out of the way; they are deleted after this run's
    timings. (Deleting thousands of files just before a timed step slows the file
    creation of whichever tool runs next: ext4 skips recently freed inodes for half a
    minute, which made the first step, our cold build, pay for the clean-up.)"""
    stale = root.with_name(f".stale-{root.name}-{os.getpid()}")
    if root.exists():
        os.replace(root, stale)
    return stale


def _newsletters(project: Path) -> Timing:
    """Newsletters are written by `playbook build` into newsletters/ when that stage exists."""
    issues = sorted((project / "newsletters").glob("**/message.eml"))
    note = (
        f"{len(issues)} issues (HTML + text e-mail) written by the cold build" if issues else "no newsletters written"
    )
    return Timing("newsletters", float("nan"), float("nan"), note)


def table(results: dict[int, list[Timing]]) -> str:
    lines = [
        "| Pages | Step | Time (s) | CPU (s) | Peak memory (MiB) | MkDocs / Playbook | Playbook / Hugo | Note |",
        "|------:|------|---------:|--------:|------------------:|------------------:|----------------:|------|",
    ]
    for n, timings in results.items():
        others = {t.step: t.seconds for t in timings if t.step in ("mkdocs build", "hugo build")}
        mkdocs, hugo = others.get("mkdocs build", float("nan")), others.get("hugo build", float("nan"))
        for t in timings:
            ours = t.step.startswith(("playbook", "serve")) and t.seconds == t.seconds
            cells = [
                f"{n:,}",
                t.step,
                _num(t.seconds, 3),
                _num(t.cpu, 2),
                _num(t.peak_mib, 0),
                _num(mkdocs / t.seconds if ours else float("nan"), 1, "×"),
                _num(t.seconds / hugo if ours else float("nan"), 1, "×"),
                t.note,
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _num(value: float, digits: int, suffix: str = "") -> str:
    return "–" if value != value else f"{value:,.{digits}f}{suffix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--pages", type=int, action="append", help="pages to generate (repeatable)")
    parser.add_argument("--skip-mkdocs-above", type=int, default=10**9, metavar="N")
    parser.add_argument("--jobs", type=int, help="passed to playbook build --jobs")
    args = parser.parse_args()
    results = {n: bench(n, args.skip_mkdocs_above, args.jobs) for n in args.pages or [1000, 10000]}
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
    print(table(results))


if __name__ == "__main__":
    main()
