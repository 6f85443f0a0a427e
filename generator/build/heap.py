"""Garbage collection during a build. The model a build reads (documents, parsed bodies,
templates) lives until the build ends, and almost everything else it makes is freed by
reference counting the moment it is done with; yet Python's cyclic collector would walk
the whole model again and again while pages are parsed and rendered (a fifth of a cold
build's time), and forked workers would copy every memory page it touches. So the
collector pauses while a build runs (the 1,000-page benchmark's peak memory grows by a
fifth, to 126 MiB, the 10,000-page one's by a tenth, to 758 MiB).

When the build ends, what it keeps is frozen out of the collector's view (`gc.freeze`):
resuming would otherwise start with one collection over everything the build made, a
third of a `serve` rebuild. A long-running process calls `reclaim` now and then, when it
has a moment, to collect what earlier builds left in reference cycles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def reclaim() -> None:
    """Collect everything that builds froze and no longer use."""
    gc.unfreeze()
    gc.collect()
