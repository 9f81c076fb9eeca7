"""Shared fixtures: the repository's folders, a store published once per test run and one
Prefect server for the whole run.

With pytest-xdist (`make test` runs two workers) the controller makes a folder that every
worker shares (tests.conftest_flows.SHARED_ENV): what is built once per run is built there by
the first worker that needs it, under a file lock, and the controller stops the Prefect server
once every worker is done.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest_flows import (
    SHARED_ENV,
    shared_dir,
    shared_server_url,
    start_shared_server,
    stop_shared_server,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
RUSSIA = SOURCES / "wikipedia-human-trafficking-in-russia"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and SHARED_ENV not in os.environ:
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="tipfigures-tests-")
        config.stash[_OWNER] = True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with slow tests (real servers and processes) first, each module's tests kept
    together and in order (module fixtures are made once): the two workers then share out the
    long tests early instead of one of them finishing the run alone with test_serve."""
    def weight(item: pytest.Item) -> int:
        return -2 if item.get_closest_marker("slow") else -1 if item.get_closest_marker(
            "flow") else 0

    modules: dict[str, int] = {}
    for item in items:
        key = item.nodeid.split("::")[0]
        modules[key] = min(modules.get(key, 0), weight(item))
    order = {key: index for index, key in enumerate(modules)}
    items.sort(key=lambda item: (modules[item.nodeid.split("::")[0]],
                                 order[item.nodeid.split("::")[0]]))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the Prefect server as soon as a collected test will need it: it boots (and on a
    new checkout migrates its database) while the first tests run."""
    if any("prefect_api" in getattr(item, "fixturenames", ()) for item in session.items):
        start_shared_server()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Send what Prefect's log and event workers of this process hold before the server
    stops (else they retry against a closed port at exit)."""
    if "prefect" in sys.modules:
        from tipfigures.prefect_server import drain_prefect_workers

        drain_prefect_workers()


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_OWNER, False):
        try:
            stop_shared_server()
        finally:
            shutil.rmtree(os.environ.pop(SHARED_ENV), ignore_errors=True)


_OWNER = pytest.StashKey[bool]()


def built_once(name: str, build: Callable[[Path], None]) -> Path:
    """A folder `name` in the run's shared folder, made by `build(folder)` once for the whole
    run (the first process to ask builds it; the others wait, then use it as it is)."""
    from filelock import FileLock

    shared = shared_dir()
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of sources/ (with no corrections beside it)."""
    target = tmp_path / "repo" / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def russia_only(tmp_path: Path) -> Path:
    """A sources folder holding only the Russia article: small and fast."""
    target = tmp_path / "repo" / "sources"
    target.mkdir(parents=True)
    shutil.copytree(RUSSIA, target / RUSSIA.name)
    return target


def _publish_the_repository(folder: Path) -> None:
    from tipfigures.pipeline import run

    result = run(SOURCES, folder / "output", corrections_folder=ROOT / "corrections")
    assert result.status == "published"


@pytest.fixture(scope="session")
def published_store() -> Path:
    """An output folder with version 1.0.0 published from the repository's sources (once per
    test run; tests read it or copy it, none writes into it)."""
    return built_once("published", _publish_the_repository) / "output"


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """The API URL of the test run's Prefect server (one real server for every test and
    worker: tests.conftest_flows.start_shared_server); the flows of this process use it.
    Command lines started by a test use it when their environment has PREFECT_API_URL."""
    from tipfigures.settings import configure_prefect_environment

    configure_prefect_environment()  # before Prefect is imported (as tipfigures.flows does)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api = shared_server_url()
    with temporary_settings({PREFECT_API_URL: api}):
        yield api
