"""`tipfigures serve` for real: a Prefect server on 127.0.0.1, the served deployments, a run
triggered through the API that refreshes a source from a MediaWiki look-alike and publishes.

Slow (about 20 s): it starts `prefect server start` and `tipfigures serve` as processes, with
a fresh PREFECT_HOME, and stops both within a bounded time. The new home gets a copy of a
database this Prefect version migrated (tests.conftest_flows.seed_migrated_database): a new
database's migrations alone took 10 s of the test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest_flows import (
    NEW_SENTENCE,
    RUSSIA,
    fake_wiki,
    free_port,
    seed_migrated_database,
    wiki_source,
)
from tipfigures.sources import load_source

pytestmark = [pytest.mark.flow, pytest.mark.slow]

BIN = Path(sys.executable).parent
TOTAL_SECONDS = 150  # the whole test, servers included
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _command(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"`{name}` is not installed beside {sys.executable}")
    return found


def _environment(**values: str) -> dict[str, str]:
    """This process's environment without Prefect or tipfigures settings, plus `values`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "TIPFIGURES_"))}
    env.update({"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}, **values)
    return env


@contextmanager
def _process(args: list[str], log: Path, **options: Any) -> Iterator[subprocess.Popen]:
    """A process in its own session, stopped at the end: SIGTERM, again, then SIGKILL."""
    with open(log, "wb") as handle:
        process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True, **options)
        try:
            yield process
        finally:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                if process.poll() is not None:
                    break
                try:
                    os.killpg(process.pid, sig)  # the session this test started
                except ProcessLookupError:
                    break
                try:
                    process.wait(wait)
                except subprocess.TimeoutExpired:
                    continue


def _wait_for(what: str, check: Callable[[], Any], deadline: float, logs: list[Path]) -> Any:
    while time.monotonic() < deadline:
        try:
            value = check()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                      for log in logs if log.exists())
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def test_served_deployment_runs_when_triggered_and_stays_scheduled(tmp_path):
    seed_migrated_database(tmp_path / "server-home")  # before the clock starts
    started = time.monotonic()
    deadline = started + TOTAL_SECONDS - 25  # leave time to stop the processes
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    server_log, serve_log = tmp_path / "server.log", tmp_path / "serve.log"
    logs = [server_log, serve_log]
    sources, output = tmp_path / "repo" / "sources", tmp_path / "repo" / "output"
    sources.mkdir(parents=True)
    new_text = RUSSIA.joinpath("text.txt").read_text().rstrip("\n") + "\n\n" + NEW_SENTENCE + "\n"

    server_env = _environment(PREFECT_HOME=str(tmp_path / "server-home"),
                              PREFECT_UI_ENABLED="false")
    serve_env = _environment(TIPFIGURES_STATE=str(tmp_path / "state"),
                             PREFECT_RUNNER_POLL_FREQUENCY="1")
    with fake_wiki(revision=1002, text=new_text) as wiki, \
            _process([_command("prefect"), "server", "start", "--host", "127.0.0.1", "--port",
                      str(port)], server_log, env=server_env, cwd=tmp_path) as server, \
            httpx.Client(base_url=api, timeout=10) as client:
        folder = wiki_source(sources, wiki.api, revision=1001)
        _wait_for("the Prefect server", lambda: client.get("/health").status_code == 200,
                  deadline, logs)
        with _process([_command("tipfigures"), "serve", "--sources", str(sources), "--output",
                       str(output), "--cron", "30 5 * * 1", "--timezone", "Europe/Paris",
                       "--api-url", api], serve_log, env=serve_env, cwd=tmp_path) as serve:

            def deployment(flow: str) -> dict | None:
                response = client.get(f"/deployments/name/{flow}/scheduled")
                return response.json() if response.status_code == 200 else None

            refresh = _wait_for("the served deployments",
                                lambda: deployment("publish") and deployment("refresh"),
                                deadline, logs)
            refresh = deployment("refresh")
            assert [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"])
                    for s in refresh["schedules"]] == [("30 5 * * 1", "Europe/Paris", True)]
            assert refresh["entrypoint"] == "tipfigures.flows.refresh_flow"
            assert refresh["parameters"] == {"sources_dir": str(sources.resolve()),
                                             "output_dir": str(output.resolve())}
            assert deployment("publish")["schedules"] == []  # on demand

            response = client.post(f"/deployments/{refresh['id']}/create_flow_run", json={})
            assert response.status_code == 201, response.text
            run_id = response.json()["id"]

            def finished() -> dict | None:
                run = client.get(f"/flow_runs/{run_id}").json()
                return run if run["state_type"] in TERMINAL else None

            run = _wait_for("the triggered flow run", finished, deadline, logs)
            assert run["state_type"] == "COMPLETED", serve_log.read_text(errors="replace")
            assert serve.poll() is None, "serving goes on after a run"
        assert serve.returncode is not None  # stopped by the context manager
        after = deployment("refresh")
        assert after["paused"] is False  # pause_on_shutdown is off
        assert [s["active"] for s in after["schedules"]] == [True]
        assert server.poll() is None
    assert server.returncode is not None

    assert wiki.requests, "the run fetched the page from the MediaWiki look-alike"
    source = load_source(folder)
    assert (source.text, source.metadata["revision"]) == (new_text, 1002)
    catalog = json.loads((output / "trafficking-figures" / "catalog.json").read_text())
    assert catalog["latest"] == "1.0.0"
    assert time.monotonic() - started < TOTAL_SECONDS
