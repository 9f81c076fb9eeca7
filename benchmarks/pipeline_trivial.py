"""A trivial three-task Prefect flow: the yardstick `tipfigures run` is compared with
(benchmarks/pipeline.py runs both the same way, side by side)."""

from __future__ import annotations

from tipfigures.settings import configure_prefect_environment

configure_prefect_environment()  # the same Prefect home and settings as `tipfigures run`

from prefect import flow, task  # noqa: E402


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
    assert trivial() == 4
