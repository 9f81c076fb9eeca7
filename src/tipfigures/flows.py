"""Prefect flows: thin wiring of the pipeline's plain functions into tasks.

- `publish`: load sources, extract figures (batched, cached on the texts' sha256 and the
  extractor's version), build and validate tables, publish a version when the data changed.
- `refresh`: fetch every source that declares an origin (retried with backoff when the error
  is transient), store new snapshots only for changed texts, then run `publish` only when a
  snapshot changed.

Import this module only to run flows: it imports Prefect (about a second), which the other
commands avoid. tipfigures.settings.configure_prefect_environment() runs first, so that
Prefect's home, results and telemetry settings point at the project's state folder.
"""

from __future__ import annotations

from tipfigures.settings import configure_prefect_environment

configure_prefect_environment()

import hashlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE, TASK_SOURCE, CachePolicy  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from tipfigures import pipeline, refresh  # noqa: E402
from tipfigures.extract import Extraction, extractor_version  # noqa: E402
from tipfigures.fingerprint import (  # noqa: E402
    inputs_fingerprint,
    record_fingerprint,
    up_to_date,
)
from tipfigures.sources import Source, load_sources  # noqa: E402

# Prefect costs ~5 ms a task in threads and ~150 ms on Dask workers: extraction runs in at most
# this many tasks (batches of sources), whatever the size of the corpus.
MAX_EXTRACT_TASKS = 32
DEFAULT_RETRIES = 3
DEFAULT_RETRY_DELAY = 2.0  # seconds before the first retry; doubled for each next one


@contextmanager
def foreground() -> Iterator[None]:
    """Prefect settings for a flow run in a command's own process (`tipfigures run`, `refresh`).

    No heartbeat thread: heartbeats let a server notice that a deployment's run crashed, while a
    foreground run's user sees it; joining that thread costs about a second at the end of every
    flow run. Served and deployed runs keep their heartbeats.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


# ---------------------------------------------------------------------------------------------
# publish


class Opaque:
    """A value Prefect passes as it is.

    Prefect walks task arguments and results object by object, looking for futures; through
    thousands of sources or figures that walk costs more than the work (~150 ms for a task of
    300 documents). An object of a plain class is not walked.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getstate__(self) -> Any:
        return self.value

    def __setstate__(self, value: Any) -> None:
        self.value = value


def extraction_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Cache extraction on the texts' sha256 and the extractor's version (code + rules), plus
    the two metadata fields extraction reads (reporting period, country)."""
    batch: list[Source] = parameters["batch"].value
    keys = ",".join(f"{s.sha256}:{s.reporting_period}:{s.metadata.get('country_code')}"
                    for s in batch)
    return f"extract-{extractor_version()}-{hashlib.sha256(keys.encode()).hexdigest()}"


EXTRACTION_CACHE = TASK_SOURCE + CachePolicy.from_cache_key_fn(extraction_cache_key)


@task(name="load-sources", cache_policy=NO_CACHE)
def load_sources_task(sources_dir: str) -> Opaque:
    """The sources (an Opaque list)."""
    return Opaque(load_sources(sources_dir))


@task(name="extract", cache_policy=EXTRACTION_CACHE, persist_result=True, retries=0)
def extract_task(batch: Opaque) -> Opaque:
    """The extractions (an Opaque list) of a batch (an Opaque list) of sources."""
    return Opaque([pipeline.extract_source(source) for source in batch.value])


@task(name="build-tables", cache_policy=NO_CACHE)
def build_task(sources: list[Source], extractions: list[Extraction], corrections: str | None):
    return pipeline.build(sources, extractions, Path(corrections) if corrections else None)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(tables, problems, sources: list[Source], output_dir: str, dry_run: bool,
                 corrections: str | None):
    from tipfigures.publish import publish

    inputs = pipeline.recorded_inputs(sources, Path(corrections) if corrections else None)
    return publish(tables, Path(output_dir), inputs=inputs, checks=problems, dry_run=dry_run)


def _bucket(source_id: str, buckets: int) -> int:
    return int(hashlib.sha256(source_id.encode()).hexdigest()[:8], 16) % buckets


def batches(sources: list[Source], batch_size: int | None) -> list[list[Source]]:
    """Sources grouped for extraction tasks.

    By default into at most MAX_EXTRACT_TASKS groups chosen by a hash of the source id, so that
    a group's members (and so its cache key) stay the same when other sources are added,
    removed or changed: a growing corpus re-extracts only the groups that changed. With
    `batch_size`, consecutive runs of that many sources.
    """
    if batch_size:
        return [sources[i:i + batch_size] for i in range(0, len(sources), batch_size)]
    groups: dict[int, list[Source]] = {}
    for source in sources:
        groups.setdefault(_bucket(source.id, MAX_EXTRACT_TASKS), []).append(source)
    return [groups[key] for key in sorted(groups)]


def extract_all(sources: list[Source], batch_size: int | None) -> list[Extraction]:
    """Extractions in the order of `sources`, from batched (cached) extract tasks."""
    groups = batches(sources, batch_size)
    futures = [extract_task.submit(Opaque(group)) for group in groups]
    by_id: dict[str, Extraction] = {}
    for group, future in zip(groups, futures, strict=True):
        by_id.update(zip((s.id for s in group), future.result().value, strict=True))
    return [by_id[source.id] for source in sources]


# Skipping unchanged work: a run whose inputs, code and store are exactly those of the last run
# that published (or found nothing to publish) into the same output is up to date at once.


@task(name="check-inputs", cache_policy=NO_CACHE)
def check_inputs_task(sources_dir: str, output_dir: str, corrections: str | None):
    fingerprint = inputs_fingerprint(Path(sources_dir), Path(corrections) if corrections
                                     else None)
    return fingerprint, up_to_date(Path(output_dir), fingerprint)


@task(name="record-inputs", cache_policy=NO_CACHE)
def record_fingerprint_task(sources_dir: str, output_dir: str, corrections: str | None,
                            fingerprint: str) -> None:
    """Remember the inputs of this run, unless they changed while it ran."""
    if inputs_fingerprint(Path(sources_dir), Path(corrections) if corrections else None) \
            == fingerprint:
        record_fingerprint(Path(output_dir), fingerprint)


# Extraction is pure Python: threads do not run it in parallel, and many threads contending
# for the interpreter cost ~10% at 10,000 documents. One thread here; `--runner dask` for
# parallel extraction.
@flow(name="publish", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=1))
def publish_flow(sources_dir: str = "sources", output_dir: str = "output",
                 dry_run: bool = False, batch_size: int | None = None,
                 corrections_dir: str | None = None):
    """Load sources, extract figures, build and validate tables, publish a version.

    Up to date at once when nothing the data depends on changed since the last run into the
    same output (inputs, code, schemas, store); extraction is cached by content otherwise.
    """
    given = Path(corrections_dir) if corrections_dir else None
    folder = pipeline.locate_corrections(Path(sources_dir), given, Path(output_dir))
    corrections = str(folder) if folder is not None else None
    fingerprint, result = check_inputs_task(sources_dir, output_dir, corrections)
    if result is not None and not dry_run:
        return result
    sources = load_sources_task(sources_dir).value
    extractions = extract_all(sources, batch_size)
    # quote(): big arguments are passed as they are, not walked object by object by Prefect
    tables, problems = build_task(quote(sources), quote(extractions), corrections)
    result = publish_task(quote(tables), quote(problems), quote(sources), output_dir, dry_run,
                          corrections)
    if not dry_run and fingerprint is not None:
        record_fingerprint_task(sources_dir, output_dir, corrections, fingerprint)
    return result


# ---------------------------------------------------------------------------------------------
# refresh


def _is_transient(task, task_run, state) -> bool:
    """Retry a refresh only when trying again may help (timeouts, lost connections, 5xx)."""
    error = state.result(raise_on_failure=False)
    return bool(getattr(error, "transient", False))


@task(name="refresh-source", cache_policy=NO_CACHE, retries=DEFAULT_RETRIES,
      retry_delay_seconds=DEFAULT_RETRY_DELAY, retry_condition_fn=_is_transient)
def refresh_source_task(folder: str, timeout: float) -> refresh.Outcome:
    from prefect.runtime import task_run

    try:
        return refresh.refresh_source(Path(folder), timeout=timeout)
    except refresh.RefreshError as error:
        error.attempts = task_run.run_count  # for the report (kept in-process)
        raise


def backoff(first_delay: float, retries: int) -> list[float]:
    """Delays before each retry: first_delay, then doubled each time."""
    return [first_delay * 2 ** attempt for attempt in range(retries)]


@flow(name="refresh", log_prints=False, validate_parameters=False)
def refresh_flow(sources_dir: str = "sources", output_dir: str = "output",
                 publish: bool = True, timeout: float = refresh.DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, retry_delay: float = DEFAULT_RETRY_DELAY,
                 batch_size: int | None = None, corrections_dir: str | None = None):
    """Fetch every source with an origin; store new snapshots of changed texts; then publish
    (the `publish` flow, as a subflow) only when a snapshot changed, or when a snapshot an
    earlier refresh stored was never published (its publish failed: it is tried again).

    Raises refresh.RefreshFailed, after publishing what did change, when a source could not
    be fetched (the message lists them; their last good snapshots are kept).
    """
    from prefect.logging import get_run_logger

    logger = get_run_logger()
    folders = refresh.refreshable_folders(sources_dir)
    fetch = refresh_source_task.with_options(retries=retries,
                                             retry_delay_seconds=backoff(retry_delay, retries))
    futures = [(folder, fetch.submit(str(folder), timeout)) for folder in folders]
    report = refresh.RefreshReport()
    for folder, future in futures:
        try:
            outcome = future.result()
        except refresh.RefreshError as error:
            outcome = refresh.failed(folder, error, getattr(error, "attempts", 1))
        report.outcomes.append(outcome)
        (logger.warning if outcome.status == "failed" else logger.info)(str(outcome))
    report.unpublished = [name for name in refresh.unpublished_snapshots(
        sources_dir, output_dir, report.outcomes) if name not in {o.source_id for o in
                                                               report.updated}]
    if (report.updated or report.unpublished) and publish:
        report.published = publish_flow(sources_dir=sources_dir, output_dir=output_dir,
                                        batch_size=batch_size, corrections_dir=corrections_dir)
    logger.info(report.summary())
    if report.failed:
        raise refresh.RefreshFailed(refresh.failure_message(report), report)
    return report
