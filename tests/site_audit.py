"""The standard audits of a built site in headless Chromium, shared by the sampled browser
tests (`make test`) and the every-page sweep (`make audit`): axe-core with WCAG 2.2's
target-size rule on, layout shift while a page loads, tables cut off by their box, and how
many rows the header takes. Measures only; the tests decide what passes."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.build.pipeline import build

REPO = Path(__file__).resolve().parent.parent
SUB_PATH = "playbook/"

AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
SERIOUS = ("serious", "critical")

# Sums every layout shift not caused by the reader's own input, from the first byte on.
LAYOUT_SHIFT_RECORDER = """
window.__layoutShift = 0;
window.__layoutShiftObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
});
window.__layoutShiftObserver.observe({ type: "layout-shift", buffered: true });
"""

# After two animation frames every shift of the loaded page has been recorded.
LAYOUT_SHIFT_TOTAL = """() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  for (const entry of window.__layoutShiftObserver.takeRecords()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
  resolve(window.__layoutShift);
})))"""

# A table is cut when it is wider than the box it sits in and that box is not a focusable,
# labelled scroll container (tabindex="0", role="region", a name, overflow-x auto or scroll).
# Tables for screen readers only (in a visually hidden box of 1 px) are not shown at all.
CUT_TABLES = """() => [...document.querySelectorAll("main table")].filter((table) => {
  const box = table.parentElement;
  if (box.getBoundingClientRect().width <= 1) return false;
  const named = box.getAttribute("aria-label") || box.getAttribute("aria-labelledby");
  const region = box.matches("[tabindex='0'][role='region']") && named
    && ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
  const main = document.querySelector("main").getBoundingClientRect();
  if (region) return box.getBoundingClientRect().right > main.right + 1;
  return table.getBoundingClientRect().width > box.clientWidth + 1;
}).map((table) => table.className || (table.caption && table.caption.textContent) || "table")"""

# Rows of the header: how many distinct lines its visible items sit on.
HEADER_ROWS = """() => {
  const items = [...document.querySelector(".site-header").children]
    .filter((item) => item.getClientRects().length && getComputedStyle(item).visibility !== "hidden")
    .map((item) => item.getBoundingClientRect());
  let rows = 0, bottom = -Infinity;
  for (const box of items.sort((a, b) => a.top - b.top)) if (box.top >= bottom) { rows += 1; bottom = box.bottom; }
  return rows;
}"""


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    scheme: str


DESKTOP = Viewport("desktop", 1280, 900, "light")
LAPTOP = Viewport("laptop", 1024, 768, "light")
PHONE = Viewport("phone", 375, 740, "dark")


@dataclass(frozen=True)
class PageAudit:
    """What the audits found on one page at one viewport."""

    path: str
    axe: tuple[str, ...]
    layout_shift: float
    cut_tables: tuple[str, ...]
    header_rows: int


def build_example(folder: Path) -> Path:
    """The example playbook built in `folder`; returns a host folder serving it under /playbook/."""
    project = folder / "example"
    project.mkdir()
    shutil.copy(REPO / "playbook.yml", project / "playbook.yml")
    shutil.copytree(REPO / "content", project / "content")
    build(project)
    host = folder / "host"
    host.mkdir()
    (project / "site").rename(host / SUB_PATH.rstrip("/"))
    return host


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root ("" is the home page)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        pages.append(rel.removesuffix("index.html"))
    return pages


def new_audit_tab(browser: object, viewport: Viewport) -> object:
    """A page in a fresh context at `viewport`, recording layout shifts from the first byte."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": viewport.width, "height": viewport.height}, color_scheme=viewport.scheme
    )
    context.add_init_script(LAYOUT_SHIFT_RECORDER)
    context.route("**/*", _stay_on_the_page)
    return context.new_page()


def _stay_on_the_page(route: object) -> None:
    """Only loopback requests; a page's meta refresh (a `go/` short link) is switched off, so
    the audit sees the page a reader sees when the redirect does not happen."""
    request = route.request  # type: ignore[attr-defined]
    if urlsplit(request.url).hostname != "127.0.0.1":
        route.abort()  # type: ignore[attr-defined]
    elif request.resource_type == "document":
        response = route.fetch()  # type: ignore[attr-defined]
        body = response.text().replace('http-equiv="refresh"', 'http-equiv="x-audited-refresh"')
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]
    else:
        route.continue_()  # type: ignore[attr-defined]


def axe_findings(tab: object) -> tuple[str, ...]:
    """Serious and critical axe-core violations as `rule: element` lines."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(tab, options=AXE_OPTIONS).response["violations"]
    return tuple(
        f"{v['id']}: {' '.join(map(str, node['target']))}"
        for v in violations
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    )


def audit_page(tab: object, base_url: str, path: str, *, axe: bool = True) -> PageAudit:
    """Open `path` and run every audit (axe-core only when `axe`: it takes most of the time)."""
    tab.goto(base_url + path)  # type: ignore[attr-defined]
    shift = tab.evaluate(LAYOUT_SHIFT_TOTAL)  # type: ignore[attr-defined]
    has_header = tab.locator(".site-header").count() > 0  # type: ignore[attr-defined]
    return PageAudit(
        path,
        axe_findings(tab) if axe else (),
        round(shift, 4),
        tuple(tab.evaluate(CUT_TABLES)),  # type: ignore[attr-defined]
        tab.evaluate(HEADER_ROWS) if has_header else 0,  # type: ignore[attr-defined]
    )
