"""A killed `tipfigures run` leaves no process behind: Prefect's temporary server is ended by
the watchdog (tipfigures.orphans), and the next run leaves no stale file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tipfigures.orphans import _descendants, _start_time
from tipfigures.publish import Store
from tipfigures.repository import check_store

from .conftest import ROOT

pytestmark = pytest.mark.slow


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _run(sources: Path, output: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tipfigures.cli", "run", "--sources",
                             str(sources), "--output", str(output)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env})


@pytest.mark.parametrize("point", ["validated", "catalog-written"])
def test_a_killed_run_leaves_no_prefect_server_and_no_stale_file(russia_only, tmp_path, point,
                                                                 prefect_api):
    output = tmp_path / "output"
    marker = tmp_path / "paused"
    victim = _run(russia_only, output, {"TIPFIGURES_PUBLISH_PAUSE": point,
                                        "TIPFIGURES_PUBLISH_PAUSE_MARKER": str(marker)})
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert victim.poll() is None, victim.communicate()
        assert time.monotonic() < deadline, "the run never reached " + point
        time.sleep(0.1)
    started = {pid: _start_time(pid) for pid in _descendants(victim.pid)}
    servers = [pid for pid in started if "uvicorn" in _command_line(pid)]
    assert servers, {pid: _command_line(pid) for pid in started}  # Prefect's temporary server
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    deadline = time.monotonic() + 30
    while [pid for pid, t in started.items() if _start_time(pid) == t]:
        assert time.monotonic() < deadline, [
            _command_line(pid) for pid, t in started.items() if _start_time(pid) == t]
        time.sleep(0.2)

    again = _run(russia_only, output, {"PREFECT_API_URL": prefect_api})  # the tests' server
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    store = Store(output)
    assert store.latest() == "1.0.0"
    assert check_store(store.folder) == []  # no stale CHANGELOG.md or index.html
    assert not [p for p in store.folder.iterdir() if p.name.startswith(".tmp-")]
