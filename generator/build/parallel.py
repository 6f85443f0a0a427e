"""Parallel work in forked processes: workers inherit the model built in the parent (no
pickling of documents or templates) and send back only small, picklable results.

Every function here gives exactly the results of running the work serially, in the same
order; with `jobs == 1` (or where fork is unavailable) it runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS_PER_WORKER = 8


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int, items: int) -> int:
    """Forking costs a few milliseconds: small batches run in this process."""
    if sys.platform != "linux" or jobs <= 1:
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """`[function(item) for item in items]`, spread over `jobs` forked workers."""
    per_worker = two_phase(items, jobs, lambda shard: (None, shard), lambda _, shard: [function(i) for i in shard])
    merged: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for index, results in enumerate(per_worker):
        merged[index :: len(per_worker)] = results
    return merged


def two_phase(
    items: Sequence[Item],
    jobs: int,
    first: Callable[[list[Item]], tuple[Any, Any]],
    second: Callable[[list[Any], Any], list[Result]],
    meanwhile: Callable[[], object] | None = None,
) -> list[list[Result]]:
    """Run `first` on each worker's shard, items[w::workers] (it returns something to share
    and something to keep), give every worker all shared results, then run
    `second(shared, kept)`; the results of each worker, in worker order. `meanwhile` runs
    in this process while the workers work (before them when there are none).

    This is what rendering Markdown needs: pass one parses (and shares each document's
    anchors), pass two renders (and needs every document's anchors) from the tokens the
    same worker kept in memory.
    """
    workers = worker_count(jobs, len(items))
    shards = [list(items[w::workers]) for w in range(workers)]
    if workers == 1:
        if meanwhile is not None:
            meanwhile()
        shared, kept = first(shards[0])
        return [second([shared], kept)]
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe() for _ in shards]
    processes = []
    for index, shard in enumerate(shards):
        process = context.Process(target=_worker, args=(pipes[index][1], shard, first, second), daemon=True)
        process.start()
        pipes[index][1].close()
        processes.append(process)
    try:
        if meanwhile is not None:
            meanwhile()
        shared = [_receive(parent) for parent, _ in pipes]
        for parent, _ in pipes:
            parent.send_bytes(pickle.dumps(shared, pickle.HIGHEST_PROTOCOL))
        results = [_receive(parent) for parent, _ in pipes]
    finally:
        for parent, _ in pipes:
            parent.close()
        for process in processes:
            process.join()
    return results


def _worker(connection: Connection, shard: list[Any], first: Callable, second: Callable) -> None:
    try:
        shared, kept = first(shard)
        connection.send_bytes(pickle.dumps(("ok", shared), pickle.HIGHEST_PROTOCOL))
        everyone = pickle.loads(connection.recv_bytes())
        connection.send_bytes(pickle.dumps(("ok", second(everyone, kept)), pickle.HIGHEST_PROTOCOL))
    except BaseException:
        connection.send_bytes(pickle.dumps(("error", traceback.format_exc())))
    finally:
        connection.close()
        os._exit(0)


class WorkerFailed(RuntimeError):
    """A worker raised: a bug, not a content problem (those come back as values)."""


def _receive(connection: Connection) -> Any:
    status, value = pickle.loads(connection.recv_bytes())
    if status != "ok":
        raise WorkerFailed(value)
    return value
