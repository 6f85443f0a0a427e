"""External link check (`playbook check --external`): the only network access Playbook makes.

Collects every http(s) link and image of the documents (with file and line) from the
parsed Markdown, then asks each distinct URL once, concurrently, with a short timeout.
A 404 or 410 is an error (the page is gone); anything else that fails (timeouts, refused
connections, 5xx, 403/429 from sites that block robots) is a warning, because it may pass
tomorrow.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from markdown_it.token import Token

from generator.content.model import Playbook
from generator.errors import Problem, Severity
from generator.markdown.bodies import parse_sources

TIMEOUT_SECONDS = 5.0
WORKERS = 16
GONE = frozenset({404, 410})
RETRY_WITH_GET = frozenset({400, 403, 405, 501})
USER_AGENT = "playbook-linkcheck/1"


@dataclass(frozen=True)
class LinkUse:
    url: str
    source: str
    line: int | None


def external_links(playbook: Playbook) -> list[LinkUse]:
    """Every http(s) link or image in the documents, each use with its file and line."""
    parsed = parse_sources(playbook)
    uses = []
    for source, body in parsed.items():
        for token in _inline_children(body.tokens):
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            url = token.attrGet(attr) if attr else None
            if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
                uses.append(LinkUse(url, source, token.meta.get("line")))
    return uses


def _inline_children(tokens: tuple[Token, ...]) -> Iterator[Token]:
    for token in tokens:
        yield from token.children or ()


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[Severity, str] | None:
    """None when `url` answers; otherwise (severity, what went wrong)."""
    status: int | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            status = error.code
            if status not in RETRY_WITH_GET:
                break
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return "warning", f"external link could not be reached ({reason})"
    severity: Severity = "error" if status in GONE else "warning"
    return severity, f"external link answers HTTP {status}"


def check_external_links(playbook: Playbook, timeout: float = TIMEOUT_SECONDS, workers: int = WORKERS) -> list[Problem]:
    """One problem per use of each failing URL; every URL is fetched once."""
    uses = external_links(playbook)
    urls = sorted({use.url for use in uses})
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        verdicts = dict(zip(urls, pool.map(lambda url: probe(url, timeout), urls), strict=True))
    problems = []
    for use in uses:
        verdict = verdicts[use.url]
        if verdict is not None:
            severity, message = verdict
            problems.append(Problem(use.source, use.line, "link", f"{message}: {use.url}", severity))
    return problems
