"""Prefect flows: thin wiring of the pipeline's plain functions into tasks.

Import this module only to run flows: it imports Prefect (about a second), which the other
commands avoid. tipfigures.settings.configure_prefect_environment() runs first, so that
Prefect's home, results and telemetry settings point at the project's state folder.
"""

from __future__ import annotations

from tipfigures.settings import configure_prefect_environment

configure_prefect_environment()

import math  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import TASK_SOURCE, CachePolicy  # noqa: E402

from tipfigures import pipeline  # noqa: E402
from tipfigures.extract import Extraction, extractor_version  # noqa: E402
from tipfigures.sources import Source, load_sources  # noqa: E402

MAX_EXTRACT_TASKS = 32  # Prefect costs ~5 ms a task in threads, ~150 ms on Dask: batch sources


def extraction_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Cache extraction on the texts' sha256 and the extractor's version (code + rules)."""
    batch: list[Source] = parameters["batch"]
    keys = ",".join(f"{s.sha256}:{s.reporting_period}:{s.metadata.get('country_code')}"
                    for s in batch)
    from hashlib import sha256

    return f"extract-{extractor_version()}-{sha256(keys.encode()).hexdigest()}"


EXTRACTION_CACHE = TASK_SOURCE + CachePolicy.from_cache_key_fn(extraction_cache_key)


@task(name="load-sources")
def load_sources_task(sources_dir: str) -> list[Source]:
    return load_sources(sources_dir)


@task(name="extract", cache_policy=EXTRACTION_CACHE, persist_result=True, retries=0)
def extract_task(batch: list[Source]) -> list[Extraction]:
    return [pipeline.extract_source(source) for source in batch]


@task(name="build-tables")
def build_task(sources: list[Source], extractions: list[Extraction], corrections: str | None):
    return pipeline.build(sources, extractions, Path(corrections) if corrections else None)


@task(name="publish")
def publish_task(tables, problems, sources: list[Source], output_dir: str, dry_run: bool,
                 corrections: str | None):
    from tipfigures.publish import publish

    inputs = pipeline.recorded_inputs(sources, Path(corrections) if corrections else None)
    return publish(tables, Path(output_dir), inputs=inputs, checks=problems, dry_run=dry_run)


def batches(sources: list[Source], batch_size: int | None) -> list[list[Source]]:
    size = batch_size or max(1, math.ceil(len(sources) / MAX_EXTRACT_TASKS))
    return [sources[i:i + size] for i in range(0, len(sources), size)]


@flow(name="publish", log_prints=False, validate_parameters=False)
def publish_flow(sources_dir: str = "sources", output_dir: str = "output",
                 dry_run: bool = False, batch_size: int | None = None,
                 corrections_dir: str | None = None):
    """Load sources, extract figures, build and validate tables, publish a version."""
    sources = load_sources_task(sources_dir)
    futures = [extract_task.submit(batch) for batch in batches(sources, batch_size)]
    extractions = [extraction for future in futures for extraction in future.result()]
    corrections = corrections_dir or str(pipeline.corrections_dir(Path(sources_dir)))
    tables, problems = build_task(sources, extractions, corrections)
    return publish_task(tables, problems, sources, output_dir, dry_run, corrections)
