"""Rendering of document bodies: parse every source once, then render each page's HTML.

Two passes because a link may point at a heading in another document: pass one collects
every document's anchors, pass two resolves links against them. Both passes are pure
per-document functions of (source, anchors, URLs), which is what makes them cacheable and
parallel: workers each parse a share of the sources, exchange anchors, and render the
share they parsed. A body whose source is unchanged since the last build, and whose links
all still resolve the same way, is taken from the build cache without parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator.build.cache import BodyEntry, CacheState
from generator.build.depends import BodyKeys, link_targets
from generator.build.parallel import two_phase
from generator.content.model import Document, Playbook
from generator.errors import Problem, Problems
from generator.markdown.engine import ParsedBody, parse, render
from generator.markdown.links import LinkResolver
from generator.site.context import RenderedBody

DocId = tuple[str, str]


def parse_sources(playbook: Playbook) -> dict[str, ParsedBody]:
    """Parsed Markdown by source path; fallbacks share their original's parse."""
    parsed: dict[str, ParsedBody] = {}
    for doc in playbook.documents:
        if doc.source not in parsed:
            parsed[doc.source] = parse_document(playbook, doc)
    return parsed


def parse_document(playbook: Playbook, doc: Document) -> ParsedBody:
    return parse(doc.body, doc.body_line, title=doc.title, settings=playbook.config.markdown, project=playbook.root)


def render_bodies(
    playbook: Playbook,
    problems: Problems,
    state: CacheState | None = None,
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> dict[DocId, RenderedBody]:
    """HTML of every document for its own page, with link problems collected. `state` (the
    build cache) gives the previous build's bodies and receives this build's. `meanwhile`
    is other work for this process while worker processes parse."""
    docs = playbook.documents
    previous = state.bodies if state is not None else {}
    keys = BodyKeys(playbook, state.lasting if state is not None else None)
    reusable = {
        _id(d): previous[_id(d)] for d in docs if _id(d) in previous and _same_key(previous[_id(d)], keys.of(d))
    }
    by_source: dict[str, list[Document]] = {}
    for doc in docs:
        if _id(doc) not in reusable:
            by_source.setdefault(doc.source, []).append(doc)
    known = {doc.source: reusable[_id(doc)].anchors for doc in docs if _id(doc) in reusable}

    def parse_share(sources: list[str]) -> tuple[dict[str, frozenset[str]], dict[str, ParsedBody]]:
        parsed = {source: parse_document(playbook, by_source[source][0]) for source in sources}
        return {source: body.anchors for source, body in parsed.items()}, parsed

    def render_share(
        shared: list[dict[str, frozenset[str]]], parsed: dict[str, ParsedBody]
    ) -> list[tuple[DocId, BodyEntry]]:
        anchors = {**known, **{k: v for part in shared for k, v in part.items()}}
        return [
            (_id(doc), render_entry(playbook, doc, parsed[s], anchors, keys.of(doc)))
            for s in parsed
            for doc in by_source[s]
        ]

    shares = two_phase(list(by_source), jobs, parse_share, render_share, meanwhile)
    entries = dict(pair for share in shares for pair in share)
    anchors = {**known, **{doc.source: entries[_id(doc)].anchors for group in by_source.values() for doc in group}}
    targets = link_targets(playbook, anchors)
    same_targets = state is not None and state.link_targets == targets
    for doc in docs:
        entry = entries.get(_id(doc)) or reusable[_id(doc)]
        if _id(doc) in reusable and not same_targets and not _replays(playbook, doc, entry, anchors):
            entry = render_entry(playbook, doc, parse_document(playbook, doc), anchors, keys.of(doc))
        entries[_id(doc)] = entry
        if doc.fallback_of is None:
            problems.extend(entry.problems)
    if state is not None:
        state.bodies, state.link_targets = entries, targets
    return {doc_id: RenderedBody(e.html, e.headings) for doc_id, e in entries.items()}


def _id(doc: Document) -> DocId:
    return (doc.lang, doc.key)


def _replays(playbook: Playbook, doc: Document, entry: BodyEntry, anchors: Mapping[str, frozenset[str]]) -> bool:
    """A cached body is still right if each of its links resolves as before, with the same problems."""
    resolver = LinkResolver(playbook, doc, anchors)
    link_problems = tuple(p for p in entry.problems if p.field == "link")
    return resolver.replays(entry.links) and tuple(resolver.problems) == link_problems


def render_entry(
    playbook: Playbook, doc: Document, parsed: ParsedBody, anchors: Mapping[str, frozenset[str]], key: str | None
) -> BodyEntry:
    """The body's HTML, headings, anchors, the links it resolved and its problems; `key` is
    its body key (see depends.BodyKeys)."""
    resolver = LinkResolver(playbook, doc, anchors, log=[])
    html = render(parsed, resolver, settings=playbook.config.markdown, scroll_tables=True)
    links = tuple(resolver.log or ())
    notes = tuple(Problem(doc.source, n.line, n.field, n.message, "warning") for n in parsed.notes)
    problems = notes + tuple(resolver.problems)
    return BodyEntry(key, html, parsed.headings, parsed.anchors, links, problems)


def _same_key(entry: BodyEntry, key: str | None) -> bool:
    """The remembered body still holds: its key is the body's key now (None never holds)."""
    return key is not None and entry.key == key
