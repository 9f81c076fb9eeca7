"""A watchdog that ends what a killed command left running (Prefect's temporary server).

A flow run without PREFECT_API_URL starts a temporary Prefect server as a child process and
stops it at exit; a SIGKILL gives no exit, and the server lived on (in 29 of 50 kills, one for
10 minutes). `guard_children()` starts this module as a small process that polls getppid():
when its parent is gone it terminates the processes the parent had started (SIGTERM, then
SIGKILL after 5 s), checking each one's start time so that a reused pid is never touched.
Linux only (it reads /proc); elsewhere it does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_SECONDS = 0.2
GRACE_SECONDS = 5.0


def guard_children() -> subprocess.Popen[bytes] | None:
    """Start the watchdog for this process (once); None where /proc is missing."""
    if not Path(f"/proc/{os.getpid()}/task").is_dir() or os.environ.get("TIPFIGURES_NO_GUARD"):
        return None
    return subprocess.Popen([sys.executable, "-m", "tipfigures.orphans", str(os.getpid())],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, after the command name


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _descendants(pid: int) -> set[int]:
    seen, todo = set(), [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def watch(parent: int) -> None:
    me = os.getpid()
    known: dict[int, str] = {}  # pid -> start time
    while os.getppid() == parent:
        for pid in _descendants(parent) - {me}:
            started = _start_time(pid)
            if started is not None:
                known.setdefault(pid, started)
        time.sleep(POLL_SECONDS)
    alive = {pid: t for pid, t in known.items() if _start_time(pid) == t}
    for pid in alive:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {pid: t for pid, t in alive.items() if _start_time(pid) == t}
    for pid in alive:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, number)


if __name__ == "__main__":
    watch(int(sys.argv[1]))
