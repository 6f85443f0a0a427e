"""Rendering of document bodies: parse every source once, then render each page's HTML.

Two passes because a link may point at a heading in another document: pass one collects
every document's anchors, pass two resolves links against them. Both passes are pure
per-document functions of (source, anchors, URLs), which is what makes them cacheable and
parallel.
"""

from __future__ import annotations

from generator.errors import Problems
from generator.markdown.engine import ParsedBody, parse, render
from generator.markdown.links import LinkResolver
from generator.model import Document, Playbook
from generator.site.context import RenderedBody


def parse_sources(playbook: Playbook) -> dict[str, ParsedBody]:
    """Parsed Markdown by source path; fallbacks share their original's parse."""
    raw_html = playbook.config.markdown.raw_html
    parsed: dict[str, ParsedBody] = {}
    for doc in playbook.documents:
        if doc.source not in parsed:
            parsed[doc.source] = parse(doc.body, doc.body_line, title=doc.title, raw_html=raw_html)
    return parsed


def render_bodies(playbook: Playbook, problems: Problems) -> dict[tuple[str, str], RenderedBody]:
    """HTML of every document for its own page, with link problems collected."""
    parsed = parse_sources(playbook)
    anchors = {source: body.anchors for source, body in parsed.items()}
    bodies: dict[tuple[str, str], RenderedBody] = {}
    for doc in playbook.documents:
        bodies[(doc.lang, doc.key)] = render_body(playbook, doc, parsed[doc.source], anchors, problems)
    return bodies


def render_body(
    playbook: Playbook,
    doc: Document,
    parsed: ParsedBody,
    anchors: dict[str, frozenset[str]],
    problems: Problems,
) -> RenderedBody:
    resolver = LinkResolver(playbook, doc, anchors)
    html = render(parsed, resolver, raw_html=playbook.config.markdown.raw_html)
    if doc.fallback_of is None:
        problems.extend(resolver.problems)
    return RenderedBody(html, parsed.headings)
