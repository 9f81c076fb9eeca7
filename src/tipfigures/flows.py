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
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE, TASK_SOURCE, CachePolicy  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from tipfigures import parallel, pipeline, refresh  # noqa: E402
from tipfigures.batching import batches  # noqa: E402
from tipfigures.extract import Extraction, extractor_version  # noqa: E402
from tipfigures.fingerprint import (  # noqa: E402
    InputsCheck,
    check_inputs,
    inputs_stamp,
    record_fingerprint,
)
from tipfigures.sources import Source, load_sources  # noqa: E402

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
def load_sources_task(sources_dir: str, loaded: Opaque | None = None) -> Opaque:
    """The sources (an Opaque list): those the command already loaded, else read here."""
    return loaded if loaded is not None else Opaque(load_sources(sources_dir))


@task(name="extract", cache_policy=EXTRACTION_CACHE, persist_result=True, retries=0)
def extract_task(batch: Opaque) -> Opaque:
    """The extractions (an Opaque list) of a batch (an Opaque list) of sources: in the
    extraction pool's worker processes when the flow opened one (a large corpus)."""
    if parallel.pool_open():
        return Opaque(parallel.extract_batch(batch.value))
    return Opaque([pipeline.extract_source(source) for source in batch.value])


@task(name="build-tables", cache_policy=NO_CACHE)
def build_task(sources: list[Source], extractions: list[Extraction], corrections: str | None):
    return pipeline.build(sources, extractions, Path(corrections) if corrections else None)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(tables, problems, sources: list[Source], output_dir: str, dry_run: bool,
                 corrections: str | None, note: str | None = None):
    from tipfigures.publish import publish

    inputs = pipeline.recorded_inputs(sources, Path(corrections) if corrections else None)
    return publish(tables, Path(output_dir), inputs=inputs, checks=problems, dry_run=dry_run,
                   note=note)


def extract_all(sources: list[Source], batch_size: int | None) -> list[Extraction]:
    """Extractions in the order of `sources`, from batched (cached) extract tasks."""
    groups = batches(sources, batch_size)
    futures = [extract_task.submit(Opaque(group)) for group in groups]
    by_id: dict[str, Extraction] = {}
    for group, future in zip(groups, futures, strict=True):
        by_id.update(zip((s.id for s in group), future.result().value, strict=True))
    return [by_id[source.id] for source in sources]


# Skipping unchanged work: a run whose inputs, code and store are exactly those of the last run
# that published (or found nothing to publish) into the same output is up to date at once
# (tipfigures.fingerprint; `tipfigures run` applies the same rule before starting Prefect).


@dataclass(frozen=True)
class Prepared:
    """What a command did before starting the flow, in this process: the inputs' check and
    the loaded sources (`tipfigures run` loads them to fail fast, before Prefect starts)."""

    check: InputsCheck
    sources: list[Source]


_prepared: dict[tuple[str, str], Prepared] = {}


def hand_over(sources_dir: Path, output_dir: Path, prepared: Prepared) -> None:
    """Give the next publish flow run of these folders, in this process, what was prepared."""
    _prepared[(str(Path(sources_dir).resolve()), str(Path(output_dir).resolve()))] = prepared


def _take_prepared(sources_dir: str, output_dir: str) -> Prepared | None:
    return _prepared.pop((str(Path(sources_dir).resolve()), str(Path(output_dir).resolve())),
                         None)


@task(name="check-inputs", cache_policy=NO_CACHE)
def check_inputs_task(sources_dir: str, output_dir: str, corrections: str | None) -> Opaque:
    return Opaque(check_inputs(Path(sources_dir), Path(output_dir),
                               Path(corrections) if corrections else None))


@task(name="record-inputs", cache_policy=NO_CACHE)
def record_fingerprint_task(sources_dir: str, output_dir: str, corrections: str | None,
                            check: Opaque) -> None:
    """Remember the inputs of this run, unless a file changed while it ran (its stamp: sizes
    and modification times, without reading the files again)."""
    if inputs_stamp(Path(sources_dir), Path(corrections) if corrections else None) \
            == check.value.stamp:
        record_fingerprint(Path(output_dir), check.value.fingerprint)


# Extraction is pure Python: threads do not run it in parallel. A large corpus is extracted in
# worker processes (tipfigures.parallel), fed by twice as many task threads as there are
# workers, so that a worker always has a batch waiting while a thread does a task's bookkeeping
# (states, persisted result). `--runner dask` runs the tasks on a Dask cluster instead.
@flow(name="publish", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=2 * parallel.cores()))
def publish_flow(sources_dir: str = "sources", output_dir: str = "output",
                 dry_run: bool = False, batch_size: int | None = None,
                 corrections_dir: str | None = None, extract_processes: int | None = None,
                 note: str | None = None):
    """Load sources, extract figures, build and validate tables, publish a version.

    Up to date at once when nothing the data depends on changed since the last run into the
    same output (inputs, code, schemas, store); extraction is cached by content otherwise.
    `extract_processes`: worker processes for extraction (default: one per core when the
    corpus is large; 0 or 1: in the tasks' threads, as on a Dask cluster).
    """
    given = Path(corrections_dir) if corrections_dir else None
    folder = pipeline.locate_corrections(Path(sources_dir), given, Path(output_dir))
    corrections = str(folder) if folder is not None else None
    prepared = _take_prepared(sources_dir, output_dir)
    check = Opaque(prepared.check) if prepared else \
        check_inputs_task(sources_dir, output_dir, corrections)
    if check.value.result is not None and not dry_run:
        return check.value.result
    sources = load_sources_task(sources_dir, Opaque(prepared.sources) if prepared else None).value
    # one pool of workers (a large corpus) extracts, then validates what publishing writes:
    # the command's, when it opened one (tipfigures.parallel.run_workers)
    with parallel.run_workers(parallel.processes_for(sources, extract_processes)):
        with parallel.extraction_pool(parallel.processes_for(sources, extract_processes)):
            extractions = extract_all(sources, batch_size)
        # quote(): big arguments are passed as they are, not walked object by object by Prefect
        tables, problems = build_task(quote(sources), quote(extractions), corrections)
        del extractions  # the tables hold what publishing needs
        result = publish_task(quote(tables), quote(problems), quote(sources), output_dir,
                              dry_run, corrections, note)
    if not dry_run and check.value.fingerprint is not None:
        record_fingerprint_task(sources_dir, output_dir, corrections, check)
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

    probed = _probes.pop(str(Path(folder).resolve()), None) if task_run.run_count <= 1 \
        else None
    try:
        if isinstance(probed, refresh.RefreshError):
            raise probed  # the command's fetch was this task's first attempt
        if probed is not None and probed.status == "unchanged":
            return probed  # unchanged moments ago (a changed one is fetched again, to store)
        return refresh.refresh_source(Path(folder), timeout=timeout)
    except refresh.RefreshError as error:
        error.attempts = task_run.run_count  # for the report (kept in-process)
        raise


_probes: dict[str, refresh.Outcome | refresh.RefreshError] = {}


def hand_over_probes(probes: list[tuple[Path, refresh.Outcome | refresh.RefreshError]]) -> None:
    """The command's fetches (tipfigures.refresh.probe_sources) become the first attempts of
    the next refresh flow run in this process: no source is fetched twice in a row."""
    _probes.update({str(Path(folder).resolve()): result for folder, result in probes})


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
