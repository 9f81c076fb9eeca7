"""How sources are grouped into extraction tasks (the flow's batches), without Prefect: the
command line starts extracting them before it imports Prefect (tipfigures.parallel.prefetch).

Prefect costs ~5 ms a task in threads and ~150 ms on Dask workers, and a task's cached result
~50 ms more of the flow's process: extraction runs in batches of about BATCH_CHARS characters
(under a second of extraction, what a changed source costs again), at least MIN_EXTRACT_TASKS
and at most MAX_EXTRACT_TASKS of them, whatever the size of the corpus.
"""

from __future__ import annotations

import hashlib
import math

from tipfigures.sources import Source

BATCH_CHARS = 1_000_000
MIN_EXTRACT_TASKS = 4
MAX_EXTRACT_TASKS = 32


def _bucket(source_id: str, buckets: int) -> int:
    return int(hashlib.sha256(source_id.encode()).hexdigest()[:8], 16) % buckets


def batch_count(sources: list[Source]) -> int:
    """How many extraction batches: a power of two near the corpus's characters / BATCH_CHARS,
    within MIN_EXTRACT_TASKS..MAX_EXTRACT_TASKS. A power of two, so that when the corpus has
    grown enough to double it every batch splits in two (and is extracted once more)."""
    chars = sum(len(source.text) for source in sources)
    count = 2 ** round(math.log2(max(chars, 1) / BATCH_CHARS)) if chars > BATCH_CHARS else 1
    return min(MAX_EXTRACT_TASKS, max(MIN_EXTRACT_TASKS, count))


def batches(sources: list[Source], batch_size: int | None) -> list[list[Source]]:
    """Sources grouped for extraction tasks.

    By default into batch_count() groups chosen by a hash of the source id, so that a group's
    members (and so its cache key) stay the same when other sources are added, removed or
    changed: a growing corpus re-extracts only the groups that changed. With `batch_size`,
    consecutive runs of that many sources.
    """
    if batch_size:
        return [sources[i:i + batch_size] for i in range(0, len(sources), batch_size)]
    count = batch_count(sources)
    groups: dict[int, list[Source]] = {}
    for source in sources:
        groups.setdefault(_bucket(source.id, count), []).append(source)
    return [groups[key] for key in sorted(groups)]
