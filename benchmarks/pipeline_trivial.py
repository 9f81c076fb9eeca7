"""A trivial three-task Prefect flow: "Prefect alone", the yardstick `tipfigures run` is compared
with (benchmarks/pipeline.py runs both the same way, side by side).

In the same mode as `tipfigures run`: the same Prefect home and settings, no heartbeat thread
(tipfigures.flows.foreground), and, when no PREFECT_API_URL is set, a temporary server with the
settings tipfigures.prefect_server gives its own (migrations skipped once the database is
migrated, automation services off), started by Prefect itself when the flow begins.
"""

from __future__ import annotations

import os

from tipfigures.prefect_server import SERVICES_OFF, database_is_migrated
from tipfigures.settings import configure_prefect_environment

configure_prefect_environment()  # the same Prefect home and settings as `tipfigures run`
if not os.environ.get("PREFECT_API_URL"):
    from pathlib import Path

    if database_is_migrated(Path(os.environ["PREFECT_HOME"])):
        os.environ.setdefault("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")
    for name in SERVICES_OFF:
        os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{name}_ENABLED", "false")

from prefect import flow, task  # noqa: E402
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402


@task
def first() -> int:
    return 1


@task
def second(value: int) -> int:
    return value + 1


@task
def third(value: int) -> int:
    return value * 2


@flow(name="trivial")
def trivial() -> int:
    return third(second(first()))


if __name__ == "__main__":
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):  # as foreground()
        assert trivial() == 4
