"""Prefect's temporary server, started as soon as a command knows it will run a flow.

Without PREFECT_API_URL, Prefect starts a temporary server the first time a flow calls its API:
it imports its whole server package into the command's process (~1.5 s), then starts uvicorn
in a subprocess and waits until it answers (~3 s), after the command's own preparation.
`tipfigures run` and `refresh` start the very same server (Prefect's app factory
prefect.server.api.server:create_app, run by uvicorn as Prefect runs it, in ephemeral mode)
before they import Prefect: it boots on the other core while the command imports Prefect and
loads its sources, and the flow finds PREFECT_API_URL set. Flow and task runs, their states and
logs are recorded as with Prefect's own temporary server. The server stops with the command.

Two settings make it start faster, both Prefect's own:

- PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false once this Prefect version has migrated the
  database (a marker in PREFECT_HOME records the version and the database's Alembic revision;
  any difference, or another database URL, migrates as usual).
- The automation services (triggers, actions) off: a foreground run defines no automation.

A PREFECT_API_URL set by the user (a dedicated `prefect server start`) is used as it is.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MARKER = "tipfigures-migrated.json"
STARTUP_TIMEOUT = 120.0  # seconds; a loaded CI machine is slow
# Services a foreground run does not need: it defines no automation.
SERVICES_OFF = ("TRIGGERS", "ACTIONS")


class ServerError(RuntimeError):
    """Prefect's temporary server did not start."""


def _prefect_version() -> str:
    from importlib import metadata

    return metadata.version("prefect")


def _database(home: Path) -> Path | None:
    """The SQLite database of Prefect's default settings, or None for another database."""
    for name in ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL"):
        if os.environ.get(name):
            return None
    return home / "prefect.db"


def _revision(database: Path) -> str | None:
    """The database's Alembic revision (None when there is no database or no revision)."""
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def database_is_migrated(home: Path) -> bool:
    """True when this Prefect version migrated the database and it is still at that revision."""
    database = _database(home)
    if database is None:
        return False
    try:
        marker = json.loads((home / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (marker.get("prefect") == _prefect_version() and marker.get("database") ==
            str(database) and marker.get("revision") is not None
            and marker.get("revision") == _revision(database))


def remember_migrated(home: Path) -> None:
    """After a server with migrations on answered: record the version and revision."""
    database = _database(home)
    revision = _revision(database) if database else None
    if revision is None:
        return
    temporary = home / f".{MARKER}.{os.getpid()}"
    temporary.write_text(json.dumps({"prefect": _prefect_version(), "database": str(database),
                                     "revision": revision}) + "\n", encoding="utf-8")
    os.replace(temporary, home / MARKER)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(home: Path, migrate: bool) -> dict[str, str]:
    """The server process's environment: this one, in Prefect's ephemeral mode."""
    env = dict(os.environ)
    env.update({"PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
    if not migrate:
        env["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] = "false"
    for name in SERVICES_OFF:
        env.setdefault(f"PREFECT_SERVER_SERVICES_{name}_ENABLED", "false")
    return env


@dataclass
class TemporaryServer:
    """A running server process and its API address."""

    process: subprocess.Popen[bytes]
    api_url: str
    home: Path
    migrate: bool
    ready: bool = False
    log: IO[bytes] | None = None

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Block until the server answers /health (it started booting long before)."""
        if self.ready:
            return
        import httpx

        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise ServerError(f"Prefect's temporary server exited with code {code} "
                                      f"before answering at {self.api_url}")
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerError(f"Prefect's temporary server did not answer at "
                                      f"{self.api_url} within {timeout:g} s")
                time.sleep(0.05)
        self.ready = True
        if self.migrate:
            remember_migrated(self.home)

    def stop(self) -> None:
        """Stop the server, once Prefect's log and event workers sent what they hold (else they
        retry against a closed port for a minute at exit)."""
        drain_prefect_workers()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()


def drain_prefect_workers(timeout: float = 10.0) -> None:
    """Wait until Prefect's log and event workers (if any ran here) have sent their queue."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with suppress(Exception):  # a worker that never started has nothing to send
            worker.drain_all(timeout=timeout)


def start_server(home: Path) -> TemporaryServer:
    """Start Prefect's server app for PREFECT_HOME `home` on a free port of 127.0.0.1, without
    waiting for it (TemporaryServer.wait_ready does); its output goes to a log in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    migrate = not database_is_migrated(home)
    port = _free_port()
    log = open(home / "temporary-server.log", "wb")  # noqa: SIM115 (closed by stop())
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error",
         "--lifespan", "on"],
        env=server_environment(home, migrate), stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    return TemporaryServer(process, f"http://127.0.0.1:{port}/api", home, migrate, log=log)


class NoServer:
    """Stands for a server someone else runs (PREFECT_API_URL), or Prefect's own."""

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        return None


@contextmanager
def temporary_server() -> Iterator[TemporaryServer | NoServer]:
    """Prefect's temporary server for this command, booting from now on; PREFECT_API_URL
    points at it until the command ends. Nothing is started when PREFECT_API_URL is set, when
    Prefect is already imported (its settings are read then), or when Prefect's ephemeral
    server is turned off (PREFECT_SERVER_EPHEMERAL_ENABLED=false: Prefect says what to do)."""
    from tipfigures.settings import configure_prefect_environment

    configure_prefect_environment()
    if (os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules
            or os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in
            ("false", "0", "no")):
        yield NoServer()
        return
    server = start_server(Path(os.environ["PREFECT_HOME"]))
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
