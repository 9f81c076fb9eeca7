"""A version about to be published, validated once, from the bytes just written.

Frictionless validates the descriptor and every CSV resource (types, constraints, primary keys,
unique fields) from the bytes in memory; the sizes and sha256 that the descriptor records are
checked against those bytes and against the files on disk. Each CSV is parsed once more, by
pyarrow, for the checks of tipfigures.validate: every Parquet file holds the rows of its CSV, no
CSV cell would run as a spreadsheet formula, and every foreign key holds (checked on those Arrow
tables: Frictionless would read the whole referenced table again for each key, the figures
table four times, which was half of its work).

Frictionless is pure Python and most of the work. For a large package it runs in two worker
processes, one job a table, while this process writes the other files and makes the other
checks: publishing starts the workers before it writes the files (`frictionless_workers`), so
that their start-up (an interpreter and Frictionless's imports) overlaps the writing, and hands
each CSV to them as soon as it is written (`TableValidation`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tipfigures.processes import cores, worker_pool
from tipfigures.tables import Tables
from tipfigures.validate import (
    Problem,
    csv_parquet_pairs,
    foreign_key_problems,
    read_csv_parquet_pair,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

PARALLEL_MIN_BYTES = 2_000_000  # of CSV: below it, starting processes costs more than it saves
PARALLEL_MIN_ROWS = 10_000  # rows of all tables, about PARALLEL_MIN_BYTES of CSV
WORKERS = 2  # the figures table is about half of Frictionless's work


@contextmanager
def frictionless_workers(tables: Tables | None = None) -> Iterator[Executor | None]:
    """Worker processes for Frictionless when `tables` are large enough (None: in any case)
    and there is more than one core, else None: the run's pool when one is open
    (tipfigures.processes.worker_pool), else two started now (they import it at once)."""
    large = tables is None or sum(len(rows) for rows in tables.values()) >= PARALLEL_MIN_ROWS
    with worker_pool(WORKERS if large and cores() > 1 else 0, ("frictionless",)) as pool:
        yield pool


class TableValidation:
    """Frictionless on CSV resources, each started as soon as it is added: in `workers` (one
    job a table, so that the figures table runs in one worker while the others run in the
    other), else here when the problems are asked for.

    Foreign keys are left out of the schemas: check_written_package checks them apart."""

    def __init__(self, workers: Executor | None = None) -> None:
        self.workers = workers
        self.data: dict[str, bytes] = {}
        self._jobs: list[tuple[str, dict[str, Any], bytes, str]] = []
        self._pending: list[Future[list[Problem]]] = []

    def add(self, name: str, schema: dict[str, Any], data: bytes, place: str) -> None:
        self.data[name] = data
        job = (name, _without_foreign_keys(schema), data, place)
        if self.workers is None:
            self._jobs.append(job)
        else:
            self._pending.append(self.workers.submit(_frictionless_problems, *job))

    def problems(self) -> list[Problem]:
        found = [p for job in self._jobs for p in _frictionless_problems(*job)]
        for future in self._pending:
            found += future.result()
        return found


def check_written_package(folder: Path, descriptor: dict[str, Any], files: dict[str, bytes],
                          validation: TableValidation | None = None) -> list[Problem]:
    """The checks of tipfigures.validate.check_package() on a version just written, from the
    bytes in memory (`files`, by path): Frictionless once on every CSV resource (those already
    in `validation`, and the others; in two processes of its own for a large package when no
    validation is given), the recorded sizes and sha256 against the bytes and the files on
    disk, CSV == Parquet, no formulas, foreign keys."""
    from frictionless import Package

    csv_resources = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    places = {r["name"]: str(folder / r["path"]) for r in csv_resources}
    size = sum(len(files.get(r["path"], b"")) for r in csv_resources)
    with (frictionless_workers() if validation is None and size >= PARALLEL_MIN_BYTES
          else nullcontext()) as workers:
        if validation is None:
            validation = TableValidation(workers)
        for resource in csv_resources:  # what was not handed over with these very bytes
            data = files.get(resource["path"])
            if data is not None and validation.data.get(resource["name"]) is not data:
                validation.add(resource["name"], resource["schema"], data,
                               places[resource["name"]])
        # while the workers validate the tables: the descriptor, the bytes, CSV == Parquet
        problems = [Problem(str(folder / "datapackage.json"),
                            f"not a valid data package: {error[0]}")
                    for error in Package.validate_descriptor(descriptor).flatten(["message"])]
        problems += _bytes_problems(folder, descriptor, files)
        pairs: list[Problem] = []
        values = {}  # the CSVs' rows as Arrow tables, for the foreign keys
        for name, csv_resource, parquet in csv_parquet_pairs(descriptor):
            if csv_resource["path"] in files and parquet["path"] in files:
                found, values[name] = read_csv_parquet_pair(
                    name, files[csv_resource["path"]], files[parquet["path"]],
                    csv_resource["schema"], str(folder / csv_resource["path"]),
                    str(folder / parquet["path"]))
                pairs += found
        keys = foreign_key_problems({n: t for n, t in values.items() if t is not None},
                                    {r["name"]: r["schema"] for r in csv_resources}, places)
        del values
        problems += validation.problems()
    return problems + keys + pairs


def _without_foreign_keys(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema Frictionless validates a table with: foreign keys are checked apart."""
    return {key: value for key, value in schema.items() if key != "foreignKeys"}


def _bytes_problems(folder: Path, descriptor: dict[str, Any],
                    files: dict[str, bytes]) -> list[Problem]:
    """Each resource's recorded size and sha256 against the bytes written and those on disk."""
    problems = []
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        data = files.get(resource["path"])
        on_disk = path.read_bytes() if path.is_file() else None
        recorded = resource.get("hash", "").removeprefix("sha256:")
        for label, value in (("written", data), ("on disk", on_disk)):
            if value is None:
                problems.append(Problem(str(path), f"missing ({label})", resource["name"]))
            elif len(value) != resource.get("bytes") or \
                    hashlib.sha256(value).hexdigest() != recorded:
                problems.append(Problem(str(path), f"the bytes {label} do not match the size "
                                        "and sha256 in datapackage.json", resource["name"]))
    return problems


def _frictionless_problems(name: str, schema: dict[str, Any], data: bytes,
                           place: str) -> list[Problem]:
    """Frictionless validation of one inline CSV resource (a worker's job for large
    packages)."""
    from frictionless import Resource, Schema

    report = Resource(data, name=name, format="csv", encoding="utf-8",
                      schema=Schema.from_descriptor(schema)).validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(Problem(place, error.message, name,
                                    getattr(error, "row_number", None),
                                    getattr(error, "field_name", None)))
    for error in report.errors:
        problems.append(Problem(place, error.message, name))
    return problems
