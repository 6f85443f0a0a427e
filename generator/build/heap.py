"""Garbage collection during a build. The model a build reads (documents, parsed bodies,
templates) lives until the build ends, and almost everything else it makes is freed by
reference counting the moment it is done with; yet Python's cyclic collector would walk
the whole model again and again while pages are parsed and rendered (a fifth of a cold
build's time), and forked workers would copy every memory page it touches. So the
collector pauses while a build runs (the 1,000-page benchmark's peak memory grows by a
fifth, to 126 MiB, the 10,000-page one's by a tenth, to 758 MiB).

When the build ends, what it keeps is frozen out of the collector's view (`gc.freeze`):
resuming would otherwise start with one collection over everything the build made, a
third of a `serve` rebuild. What builds leave in reference cycles is collected every
`RECLAIM_AFTER` builds: `serve` calls `reclaim_if_due` when it has a moment (after the pages
were told to reload), and any other process that builds again and again (a script, the test
suite) has it done at the start of its next build, so memory never grows with the number of
builds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

RECLAIM_AFTER = 20
"""Builds whose leftovers stay frozen before they are collected."""


@dataclass
class _Frozen:
    builds: int = 0
    """Builds frozen since the last collection, in this process."""


_FROZEN = _Frozen()


@contextmanager
def paused_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    if was_enabled:
        reclaim_if_due()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            _FROZEN.builds += 1
            gc.enable()


def reclaim_if_due() -> None:
    """`reclaim` once `RECLAIM_AFTER` builds were frozen since the last time."""
    if _FROZEN.builds >= RECLAIM_AFTER:
        reclaim()


def reclaim() -> None:
    """Collect everything that builds froze and no longer use."""
    gc.unfreeze()
    gc.collect()
    _FROZEN.builds = 0
