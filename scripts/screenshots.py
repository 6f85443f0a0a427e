"""Regenerate the README screenshots: build the example playbook into a temporary folder,
serve it on 127.0.0.1 and photograph the home, a campaign and a newsletter page on a
desktop and a phone with Debian's Chromium. Run with `make screenshots`."""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.build.pipeline import build

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "screenshots"
PAGES = {
    "home": "",
    "campaign": "campaigns/winter-commute/",
    "results": "results/",
    "newsletter": "newsletters/issue-15/",
}
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def build_example(folder: Path) -> Path:
    shutil.copy(REPO / "playbook.yml", folder / "playbook.yml")
    shutil.copytree(REPO / "content", folder / "content")
    build(folder)
    return folder / "site"


def photograph(base_url: str, chromium: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for device, options in DEVICES.items():
            context = browser.new_context(color_scheme="light", **options)
            tab = context.new_page()
            for name, path in PAGES.items():
                tab.goto(base_url + path)
                target = OUTPUT / f"{name}-{device}.png"
                tab.screenshot(path=str(target))
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_example(Path(tmp))
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            written = photograph(f"http://127.0.0.1:{server.server_address[1]}/", chromium)
        finally:
            server.shutdown()
            server.server_close()
    for path in written:
        print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
