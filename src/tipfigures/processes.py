"""Worker processes: how many cores this process may use, and pools of spawned workers.

Workers are started with "spawn": a flow's process runs Prefect's threads, and forking a
process with threads can deadlock the child. Each stage that uses workers (loading sources,
extracting, validating with Frictionless) decides when its work is large enough to pay for
their start (an interpreter and the stage's imports).

A run can open one pool for all its stages (`worker_pool`, with the modules its workers import
as they start): `tipfigures run` opens it before it imports Prefect, so that the workers start
and import the extractor and Frictionless while this process imports Prefect, and the stages
that find it open (`open_pool`) use it instead of starting workers of their own.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Executor, ProcessPoolExecutor

_open: Executor | None = None  # the pool worker_pool() holds open in this process


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def spawn_pool(workers: int, initializer: Callable[..., None] | None = None,
               initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (started as work is submitted)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=initializer, initargs=initargs)


@contextmanager
def worker_pool(workers: int, imports: tuple[str, ...] = ()) -> Iterator[Executor | None]:
    """`workers` processes, started now, each importing `imports` as it starts, and open for
    every stage of this process while the block runs (None for fewer than two workers). Inside
    another worker_pool block: that pool."""
    global _open
    if workers <= 1:
        yield None
        return
    if _open is not None:
        yield _open
        return
    pool = spawn_pool(workers, initializer=import_modules, initargs=(imports,))
    for _ in range(workers):  # each submission starts a worker (none is idle yet)
        pool.submit(_ready)
    _open = pool
    try:
        yield pool
    finally:
        _open = None
        pool.shutdown(wait=True, cancel_futures=True)


def open_pool() -> Executor | None:
    """The pool a worker_pool() block holds open in this process, if any."""
    return _open


def import_modules(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


def _ready() -> bool:
    return True
