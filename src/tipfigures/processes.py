"""Worker processes: how many cores this process may use, and a pool of spawned workers.

Workers are started with "spawn": a flow's process runs Prefect's threads, and forking a
process with threads can deadlock the child. Each stage that uses workers (loading sources,
extracting, validating with Frictionless) decides when its work is large enough to pay for
their start (an interpreter and the stage's imports).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def spawn_pool(workers: int, initializer: Callable[[], None] | None = None
               ) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (started as work is submitted)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=initializer)
