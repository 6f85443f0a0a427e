"""Garbage collection during a build: the model the build reads (documents, parsed bodies,
templates) lives until the build ends, yet Python's cyclic collector would walk it again
and again while pages are parsed and rendered, and forked workers would copy every page it
touches. `quiet_collector` moves what exists at each stage boundary out of the collector's
reach (`gc.freeze`) and collects young objects less often; on leaving, everything is handed
back to the collector, so a long-running `serve` frees each build's garbage as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 20_000
"""Allocations between young collections while building (Python's default is 700): parsing
makes many short-lived token objects, almost none of them in reference cycles."""


class Collector:
    """The build's handle on the collector: `settle()` at a stage boundary."""

    def settle(self) -> None:
        """Keep everything that exists now out of later collections (it lives until the build ends)."""
        gc.freeze()


@contextmanager
def quiet_collector() -> Iterator[Collector]:
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield Collector()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
