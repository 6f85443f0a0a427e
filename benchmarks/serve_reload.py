"""Benchmark: edit-to-reload time of `playbook serve` on a generated N-page playbook.

Starts the preview server on a free loopback port, then for each round saves one page
with a new sentence and measures the time until the served HTML contains it (what a
reader of the open tab waits for: file event, debounce, `Session.rebuild`, serving).

    python benchmarks/serve_reload.py            # 1,000 pages, 7 rounds
    python benchmarks/serve_reload.py -n 200 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.commands.serve import PreviewServer

SECTIONS = ("strategy", "guidelines", "campaigns", "handbook")
TARGET_MS = 300


def generate(root: Path, pages: int) -> Path:
    """A playbook of `pages` documents in four sections of topic folders; returns one page to edit."""
    (root / "content").mkdir(parents=True)
    (root / "playbook.yml").write_text("site_name: Benchmark Playbook\n", encoding="utf-8")
    (root / "content/people.yml").write_text("ana: {name: Ana, role: Editor}\n", encoding="utf-8")
    (root / "content/index.md").write_text("---\ntitle: Home\n---\nWelcome.\n", encoding="utf-8")
    for number in range(pages - 1):
        section = SECTIONS[number % len(SECTIONS)]
        folder = root / "content" / section / f"topic-{number // 40:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        previous = f"page-{number - len(SECTIONS):04d}.md" if number >= len(SECTIONS) and number % 40 >= 4 else None
        link = f"See also [the previous page]({previous}).\n" if previous else ""
        body = "\n".join(
            f"## Part {part}\n\nParagraph {part} of page {number} about reach, engagement and leads.\n"
            f"\n- one point\n- another point\n\n| metric | target |\n|---|---|\n| reach | {part * 100} |\n"
            for part in range(1, 4)
        )
        (folder / f"page-{number:04d}.md").write_text(
            f"---\ntitle: Page {number}\nowner: ana\norder: {number % 40}\n---\n{link}\n{body}", encoding="utf-8"
        )
    return root / "content" / SECTIONS[0] / "topic-00" / "page-0000.md"


def served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=300) as response:
        return response.read().decode("utf-8")


def measure(root: Path, page: Path, rounds: int) -> list[float]:
    server = PreviewServer(root, "127.0.0.1", 0, echo=lambda line: print(f"  server: {line}"))
    thread = threading.Thread(target=server.run, daemon=True)
    started = time.perf_counter()
    thread.start()
    if not server.ready.wait(600):
        raise SystemExit("the server did not start")
    print(f"initial build and start: {time.perf_counter() - started:.2f} s")
    url = server.url + "strategy/topic-00/page-0000/"
    text = page.read_text(encoding="utf-8")
    times = []
    try:
        for round_number in range(rounds):
            marker = f"Edit number {round_number} at {time.time_ns()}."
            saved = time.perf_counter()
            page.write_text(text + f"\n{marker}\n", encoding="utf-8")
            while marker not in served(url):
                time.sleep(0.005)
            times.append(time.perf_counter() - saved)
            time.sleep(0.3)
    finally:
        server.shutdown(wait=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="playbook-serve-bench-") as folder:
        root = Path(folder) / "playbook"
        page = generate(root, args.pages)
        times = measure(root, page, args.rounds)
    median = statistics.median(times) * 1000
    each = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"pages: {args.pages}; edit-to-reload over {len(times)} saves (ms): {each}")
    verdict = "meets" if median < TARGET_MS else "misses"
    print(f"median {median:.0f} ms, best {min(times) * 1000:.0f} ms: {verdict} the {TARGET_MS} ms target")


if __name__ == "__main__":
    main()
