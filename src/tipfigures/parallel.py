"""Extraction on every core for large corpora.

Extraction is pure Python: threads do not run it in parallel. Above PARALLEL_MIN_CHARS
characters of text, sources are extracted in a pool of worker processes (one per core, in
chunks of about CHUNK_CHARS characters, so that the cores stay busy whatever the documents'
sizes and however slow the extractor gets); below it, starting the workers (each imports the
extractor) costs more than it saves. The Prefect flow keeps its batches as tasks (cached,
visible in the UI) and hands their sources to the pool that is open while it extracts.

A run opens one pool for extraction and validation (run_workers); `tipfigures run` opens it
before it imports Prefect and, when the extraction cache is empty, starts extracting the
flow's batches at once (prefetch): the flow's tasks then take those extractions.

Workers are spawned (tipfigures.processes).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from pathlib import Path

from tipfigures.extract import Extraction
from tipfigures.processes import cores, open_pool, worker_pool
from tipfigures.sources import Source

PARALLEL_MIN_CHARS = 2_000_000  # about a second of extraction on one core
CHUNK_CHARS = 400_000  # about 0.2 s of work a chunk: small enough to balance two cores
ENVIRONMENT_VARIABLE = "TIPFIGURES_EXTRACT_PROCESSES"
WORKER_IMPORTS = ("tipfigures.extract", "frictionless")  # a run's workers extract and validate

_current: Executor | None = None  # the pool open in this process (extraction_pool)


def processes_for(sources: list[Source], requested: int | None = None) -> int:
    """How many worker processes to extract `sources` with: `requested`, else
    $TIPFIGURES_EXTRACT_PROCESSES, else one per core when the corpus is large (0: in this
    process)."""
    return processes_for_chars(sum(len(source.text) for source in sources), requested)


def processes_for_chars(chars: int, requested: int | None = None) -> int:
    """processes_for() of a corpus of `chars` characters."""
    if requested is None and os.environ.get(ENVIRONMENT_VARIABLE):
        requested = int(os.environ[ENVIRONMENT_VARIABLE])
    if requested is not None:
        return requested if requested > 1 else 0
    if chars < PARALLEL_MIN_CHARS:
        return 0
    return cores() if cores() > 1 else 0


def text_size(sources_dir: Path) -> int:
    """The bytes of the source texts in `sources_dir` (about their characters), from the
    folder entries alone: what decides the run's workers before the sources are loaded."""
    from tipfigures.sources import TEXT_FILE, source_folders

    total = 0
    for folder in source_folders(sources_dir):
        try:
            total += os.stat(folder / TEXT_FILE).st_size
        except OSError:
            continue  # loading names the missing text
    return total


@contextmanager
def run_workers(processes: int) -> Iterator[Executor | None]:
    """The worker pool of a whole run (tipfigures.processes.worker_pool): `processes` workers
    (processes_for()), each importing the extractor and Frictionless as it starts; loading,
    extraction and validation use it while it is open."""
    with worker_pool(processes, WORKER_IMPORTS) as pool:
        try:
            yield pool
        finally:
            _prefetched.clear()


# Extractions started before the flow asks for them (prefetch), by what extraction reads.
_prefetched: dict[tuple[str, str, int | None, str | None], tuple[Future, int]] = {}


def _prefetch_key(source: Source) -> tuple[str, str, int | None, str | None]:
    return (source.id, source.sha256, source.reporting_period,
            source.metadata.get("country_code"))


def prefetch(groups: list[list[Source]]) -> bool:
    """Start extracting `groups` (the flow's batches, in the order its tasks run) in the run's
    open pool now: `tipfigures run` does so before it imports Prefect, when the extraction
    cache is empty (every batch must be extracted), so that the workers extract while Prefect
    starts. The flow's tasks take these extractions (extract_batch) instead of submitting the
    sources again. False, and nothing started, when no pool is open."""
    pool = open_pool()
    if pool is None:
        return False
    for group in groups:
        for chunk in chunks(group):
            future = pool.submit(_extract_chunk, _items(chunk))
            for index, source in enumerate(chunk):
                _prefetched[_prefetch_key(source)] = (future, index)
    return True


def _take_prefetched(sources: list[Source]) -> list[Extraction] | None:
    """The prefetched extractions of `sources` (None unless every one was prefetched)."""
    found = [_prefetched.get(_prefetch_key(source)) for source in sources]
    if not sources or any(item is None for item in found):
        return None
    for source in sources:
        del _prefetched[_prefetch_key(source)]
    return [future.result()[index] for future, index in found]


@contextmanager
def extraction_pool(processes: int) -> Iterator[Executor | None]:
    """A pool of `processes` workers that extract_batch() uses while it is open (None for 0):
    the run's pool when one is open (tipfigures.processes.worker_pool), else one of its own."""
    global _current
    with worker_pool(processes, WORKER_IMPORTS) as pool:
        previous, _current = _current, pool
        try:
            yield pool
        finally:
            _current = previous


def pool_open() -> bool:
    return _current is not None


def _items(sources: list[Source]) -> list[tuple[str, int | None, str | None]]:
    """What extraction reads of each source (all a worker is sent)."""
    return [(s.text, s.reporting_period, s.metadata.get("country_code")) for s in sources]


def _extract_chunk(items: list[tuple[str, int | None, str | None]]) -> list[Extraction]:
    """Extractions of (text, reporting period, country code) items; what a worker runs."""
    from tipfigures.extract import extract

    return [extract(text, reporting_period=period, country_code=country)
            for text, period, country in items]


def chunks(sources: list[Source], size: int = CHUNK_CHARS) -> list[list[Source]]:
    """Consecutive runs of sources of about `size` characters (at least one source each)."""
    out: list[list[Source]] = [[]]
    chars = 0
    for source in sources:
        if out[-1] and chars + len(source.text) > size:
            out.append([])
            chars = 0
        out[-1].append(source)
        chars += len(source.text)
    return [chunk for chunk in out if chunk]


def extract_batch(sources: list[Source]) -> list[Extraction]:
    """Extractions of `sources`, in order: prefetched ones, else in the open pool's workers,
    else in this process."""
    prefetched = _take_prefetched(sources)
    if prefetched is not None:
        return prefetched
    pool = _current
    if pool is None:
        return _extract_chunk(_items(sources))
    futures = [pool.submit(_extract_chunk, _items(chunk)) for chunk in chunks(sources)]
    return [extraction for future in futures for extraction in future.result()]


def extract_sources(sources: list[Source], processes: int | None = None) -> list[Extraction]:
    """Extractions of every source, in order, on every core when the corpus is large."""
    with extraction_pool(processes_for(sources, processes)):
        return extract_batch(sources)
