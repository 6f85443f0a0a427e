"""The build cache's storage: what the previous build made, kept in `.playbook-cache/` as
JSON (never pickle: loading it must not be able to run code), so that an unchanged body or
page is neither rendered nor rewritten again. What each entry is keyed on is decided in
depends.py; this module only keeps the entries and reads and writes them safely.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from generator.build.uptodate import CACHE_FOLDER, FileStamp
from generator.content.reader import SourceMemo
from generator.content.validate import DocumentMemo
from generator.errors import Problem, Problems
from generator.markdown.headings import Heading
from generator.markdown.links import Link

CACHE_FILE = "build-cache.json"
OLD_CACHE_FILES = ("build-cache.pickle",)
CACHE_VERSION = 6


class PublishedFile(NamedTuple):
    """A file a generator made, as the next build finds it published."""

    tree: str
    path: str
    source: str
    digest: str


@dataclass(frozen=True)
class BodyEntry:
    key: str | None
    html: str
    headings: tuple[Heading, ...]
    anchors: frozenset[str]
    links: tuple[Link, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class PageEntry:
    key: str
    digest: str
    world: str | None
    quick: str | None = None
    """For a page whose context follows from a few inputs and the site's metadata: the
    digest of those, which lets the next build keep it without building its context."""


@dataclass(frozen=True)
class MemoEntry:
    key: str
    files: tuple[PublishedFile, ...]
    extra: Any
    """Whatever else the generator needs to replay (problems, short links): plain data."""


class Lasting:
    """Digests of objects that live through several builds of one `playbook serve` session:
    an unchanged file's document, and an unchanged body's HTML, are the very same objects
    from build to build (the reader's, validator's and body caches keep them). Such objects
    are never changed once made, so a digest found by identity is still right; the entry
    holds the object, so its id cannot pass to another one. A build keeps only what it used."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, tuple[object, str]] = {}
        self._current: dict[Hashable, tuple[object, str]] = {}

    def digest(self, value: object, what: Hashable, compute: Callable[[], str]) -> str:
        """The digest `compute()` gives for `value`; `what` names the digest and anything else
        it reads (so that two kinds of digest of one object, or one under other settings,
        never meet)."""
        key = (id(value), what)
        held = self._current.get(key) or self._previous.get(key) or (value, compute())
        self._current[key] = held
        return held[1]

    def next_build(self) -> None:
        """A build starts: what the last one used may be asked for again, the rest is dropped."""
        self._previous, self._current = self._current, {}


@dataclass
class CacheState:
    """What one build leaves for the next (saved as JSON, see `save_state`)."""

    salt: str = ""
    bodies: dict[tuple[str, str], BodyEntry] = field(default_factory=dict)
    link_targets: str = ""
    pages: dict[tuple[str, str], PageEntry] = field(default_factory=dict)
    memos: dict[str, MemoEntry] = field(default_factory=dict)
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)
    """{tree: {path: digest}} of every file the last build produced."""
    published: dict[str, dict[str, FileStamp]] = field(default_factory=dict)
    """{tree: {path: stamp}}: how each of those files looked on disk right after writing."""
    sources: SourceMemo = field(default_factory=dict)
    documents: DocumentMemo = field(default_factory=dict)
    lasting: Lasting = field(default_factory=Lasting)


STORED = ("salt", "bodies", "link_targets", "pages", "memos", "manifest", "published")
"""The parts saved to disk. Read files, validated documents and lasting digests stay out:
they are for `playbook serve`, which keeps its state in memory; on disk they would cost
more to load than reading and validating the files again does."""

RECORDS: dict[str, type] = {
    kind.__name__: kind for kind in (BodyEntry, PageEntry, MemoEntry, Heading, Problem, FileStamp, PublishedFile, Link)
}
"""The only classes a cache file can name: plain records, built field by field."""


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def data_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ForeignCache(ValueError):
    """The cache file is not one this version of Playbook wrote."""


def _encode(value: Any) -> Any:
    """JSON for cache values: tuples, sets, dates and the RECORDS classes are tagged."""
    kind = type(value)
    if kind in (str, int, float, bool, type(None)):
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"tuple": [_encode(v) for v in value]}
    if kind in (set, frozenset):
        return {"set": sorted((_encode(v) for v in value), key=repr)}
    if kind is dict:
        return {"map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is dt.date:
        return {"date": value.isoformat()}
    if kind.__name__ in RECORDS and RECORDS[kind.__name__] is kind:
        return {"record": [kind.__name__, *[_encode(getattr(value, name)) for name in _field_names(value)]]}
    raise TypeError(f"cannot store a {kind.__name__} in the build cache")


def _field_names(record: Any) -> tuple[str, ...]:
    """The fields of a dataclass or NamedTuple record, in order."""
    names = getattr(type(record), "_fields", None)
    return names if names is not None else tuple(f.name for f in fields(record))


def _decode(tagged: dict[str, Any]) -> Any:
    """The inverse of `_encode`, for one JSON object (inner objects are already decoded)."""
    if len(tagged) != 1:
        raise ForeignCache("untagged object")
    ((tag, value),) = tagged.items()
    if tag == "tuple":
        return tuple(value)
    if tag == "set":
        return frozenset(value)
    if tag == "map":
        return {_hashable(k): v for k, v in value}
    if tag == "date":
        return dt.date.fromisoformat(value)
    if tag == "record" and value[0] in RECORDS:
        return RECORDS[value[0]](*value[1:])
    raise ForeignCache(f"unknown tag {tag!r}")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _checked(parts: dict[str, Any]) -> CacheState:
    """A CacheState from decoded parts, each checked to have the shape this version writes."""
    state = CacheState(**parts)
    shapes = {"bodies": BodyEntry, "pages": PageEntry, "memos": MemoEntry}
    for name, kind in shapes.items():
        table = getattr(state, name)
        if not isinstance(table, dict) or not all(isinstance(v, kind) for v in table.values()):
            raise ForeignCache(f"{name} is not a table of {kind.__name__}")
    trees = [*state.manifest.values(), *state.published.values()]
    if not isinstance(state.salt, str) or not all(isinstance(t, dict) for t in trees):
        raise ForeignCache("manifest is not a table of trees")
    return state


def load_state(root: Path, problems: Problems | None = None) -> CacheState:
    """The previous build's cache, or an empty one if there is none. A cache this version
    did not write (corrupt, from another version, hostile) is never run, only read as
    JSON: it is ignored with one warning and everything is built again."""
    folder = root / CACHE_FOLDER
    warn = problems.warning if problems is not None else (lambda *_: None)
    for old in OLD_CACHE_FILES:
        if (folder / old).exists():
            warn(f"{CACHE_FOLDER}/{old}", "not loaded (an old format that could run code); removed")
            (folder / old).unlink()
    path = folder / CACHE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return CacheState()
    except (OSError, UnicodeDecodeError):
        text = ""
    try:
        version, *parts = json.loads(text, object_hook=_decode)
        if version != CACHE_VERSION or len(parts) != len(STORED):
            raise ForeignCache("another version")
        return _checked(dict(zip(STORED, parts, strict=True)))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        warn(f"{CACHE_FOLDER}/{CACHE_FILE}", "not a build cache this version wrote; ignored, building everything")
        return CacheState()


def save_state(root: Path, state: CacheState) -> None:
    """Save the cache for the next build as JSON (entries that are not plain data are left out)."""
    folder = root / CACHE_FOLDER
    folder.mkdir(exist_ok=True)
    parts = {name: getattr(state, name) for name in STORED} | {"memos": _storable(state.memos)}
    stored = [CACHE_VERSION, *[_encode(parts[name]) for name in STORED]]
    temporary = folder / f"{CACHE_FILE}.tmp"
    temporary.write_text(json.dumps(stored, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(folder / CACHE_FILE)


def _storable(memos: dict[str, MemoEntry]) -> dict[str, MemoEntry]:
    """The memos whose extra data can be stored."""
    kept = {}
    for name, entry in memos.items():
        try:
            _encode(entry.extra)
        except TypeError:
            continue
        kept[name] = entry
    return kept
