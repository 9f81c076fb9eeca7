"""Shared helpers of the refresh, flow and serve tests: a MediaWiki API look-alike on
127.0.0.1 and a source folder whose origin points at it.

Not a conftest.py: test modules import what they need from here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
RUSSIA = ROOT / "sources" / "wikipedia-human-trafficking-in-russia"
TITLE = "Human trafficking in Russia"
NEW_SENTENCE = "In 2024, police opened 31 investigations and rescued 12 victims."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def body_of(text: str) -> str:
    """The extract MediaWiki would send for a snapshot text (without its '= Title =' line)."""
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if first.startswith("= ") else text


@dataclass
class Reply:
    """One scripted answer: status, body (bytes, str or JSON-able) and a delay before it."""

    status: int = 200
    body: Any = None
    delay: float = 0.0
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class FakeWiki:
    """A MediaWiki api.php look-alike: one page, a revision id and its text; scripted failures.

    `script` answers the next requests in order; when it is empty the page is served.
    `requests` keeps every request's query parameters (and headers).
    """

    def __init__(self, revision: int, text: str, title: str = TITLE) -> None:
        self.revision, self.text, self.title = revision, text, title
        self.script: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/w/api.php"

    def page_reply(self) -> Reply:
        return Reply(body={"batchcomplete": True, "query": {"pages": [{
            "pageid": 2139577, "ns": 0, "title": self.title,
            "revisions": [{"revid": self.revision, "parentid": self.revision - 1}],
            "extract": body_of(self.text)}]}})

    def next_reply(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append({"query": query, "headers": headers})
            if self.script:
                return self.script.pop(0)
        return self.page_reply()

    def _handler(self):
        wiki = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                reply = wiki.next_reply(query, dict(self.headers))
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                if not isinstance(body, bytes | str):
                    body = json.dumps(body)
                data = body.encode() if isinstance(body, str) else body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeWiki:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------------
# One Prefect server for the whole test run


SHARED_ENV = "TIPFIGURES_TESTS_SHARED"  # a folder the pytest processes of one run share
MEMO = "memo_store.toml"  # Prefect's record of the blocks it registered
# Starts the server (tipfigures.prefect_server.start_server) and exits at once: the server is
# then nobody's child, so neither the end of the pytest worker that started it nor a watchdog
# of that worker (tipfigures.orphans, started by commands run in-process) stops it while
# other workers still use it.
# Prefect's settings are the commands' own (configure_prefect_environment: telemetry and
# analytics off, quiet logs), set in the launcher only: the tests' environment is left alone.
LAUNCHER = """
import json, os, sys
from pathlib import Path
from tipfigures.prefect_server import start_server
from tipfigures.settings import configure_prefect_environment
configure_prefect_environment()
server = start_server(Path(sys.argv[1]))
print(json.dumps({"api_url": server.api_url, "pid": server.process.pid}), flush=True)
os._exit(0)
"""


def shared_dir() -> Path:
    """The folder every pytest process of this run shares (tests/conftest.py makes it: with
    pytest-xdist the controller makes it and the workers inherit its path)."""
    return Path(os.environ[SHARED_ENV])


def _template() -> Path:
    from tipfigures.settings import state_dir

    return state_dir() / "test-prefect-template"


def _seed(home: Path) -> bool:
    """Copy the migrated database of an earlier test run into `home`; False when there is none.

    Migrating a new database is most of a server's start (tens of seconds on a loaded
    machine): the first run keeps its freshly migrated database as a template in the state
    folder, later runs start from a copy of it (for the same Prefect version and revision)."""
    from tipfigures.prefect_server import MARKER, database_is_migrated

    template = _template()
    if not database_is_migrated(template):
        return False
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "prefect.db", home / "prefect.db")
    if (template / MEMO).is_file():  # the blocks are registered in that database already
        shutil.copyfile(template / MEMO, home / MEMO)
    remember = json.loads((template / MARKER).read_text(encoding="utf-8"))
    (home / MARKER).write_text(json.dumps({**remember, "database": str(home / "prefect.db")}),
                               encoding="utf-8")
    return True


def _keep_as_template(home: Path) -> None:
    """A copy of the database as migrated, before any run is recorded in it."""
    from tipfigures.prefect_server import MARKER, remember_migrated

    remember_migrated(home)
    template = _template()
    template.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(home / "prefect.db") as source, \
            sqlite3.connect(template / "prefect.db") as target:
        source.backup(target)
    if (home / MEMO).is_file():
        shutil.copyfile(home / MEMO, template / MEMO)
    remember = json.loads((home / MARKER).read_text(encoding="utf-8"))
    (template / MARKER).write_text(json.dumps(
        {**remember, "database": str(template / "prefect.db")}), encoding="utf-8")


def start_shared_server() -> dict[str, Any]:
    """Start the run's Prefect server unless a pytest process of this run did: Prefect's own
    app (tipfigures.prefect_server.start_server) on 127.0.0.1 with a PREFECT_HOME of its own.
    Returns without waiting for it (it boots while other tests run)."""
    import subprocess
    import sys

    from filelock import FileLock

    shared = shared_dir()
    info_path = shared / "prefect-server.json"
    with FileLock(str(shared / "prefect-server.lock")):
        if info_path.is_file():
            return json.loads(info_path.read_text(encoding="utf-8"))
        home = shared / "prefect-home"
        seeded = _seed(home)
        launched = subprocess.run([sys.executable, "-c", LAUNCHER, str(home)], check=True,
                                  capture_output=True, text=True, timeout=60)
        info = {**json.loads(launched.stdout), "home": str(home), "seeded": seeded,
                "ready": False}
        info_path.write_text(json.dumps(info), encoding="utf-8")
        return info


def seed_migrated_database(home: Path) -> None:
    """Put a database migrated by this Prefect version into the PREFECT_HOME `home` of a
    server a test starts itself (`prefect server start` then finds nothing to migrate): the
    template the run's shared server left, made by it first when this is a new checkout."""
    shared_server_url()  # its first start keeps the migrated database as the template
    if not _seed(home):
        raise RuntimeError(f"no migrated Prefect database in {_template()}")


def shared_server_url(timeout: float = 120.0) -> str:
    """The API URL of the run's Prefect server, once it answers /health."""
    import httpx
    from filelock import FileLock

    info = start_shared_server()
    api, pid = info["api_url"], info["pid"]
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while True:
            try:
                if client.get(f"{api}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if not _alive(pid):
                log = Path(info["home"]) / "temporary-server.log"
                raise RuntimeError(f"the tests' Prefect server at {api} exited:\n"
                                   f"{log.read_text(errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the tests' Prefect server did not answer at {api} within "
                                   f"{timeout:g} s")
            time.sleep(0.1)
    shared = shared_dir()
    with FileLock(str(shared / "prefect-server.lock")):  # the first to see it ready records it
        info = json.loads((shared / "prefect-server.json").read_text(encoding="utf-8"))
        if not info["ready"]:
            if not info["seeded"]:
                _keep_as_template(Path(info["home"]))
            info["ready"] = True
            (shared / "prefect-server.json").write_text(json.dumps(info), encoding="utf-8")
    return api


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_shared_server() -> None:
    """Stop the run's Prefect server (by the process that made the shared folder, once every
    test is done): SIGTERM, then SIGKILL after 10 s."""
    info_path = shared_dir() / "prefect-server.json"
    if not info_path.is_file():
        return
    pid = json.loads(info_path.read_text(encoding="utf-8"))["pid"]
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return
    if b"uvicorn" not in command:  # not our server (it ended, and the pid was reused)
        return
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not _alive(pid):
            return


@contextmanager
def fake_wiki(revision: int = 1001, text: str | None = None) -> Iterator[FakeWiki]:
    with FakeWiki(revision, text if text is not None else RUSSIA.joinpath("text.txt")
                  .read_text(encoding="utf-8")) as wiki:
        yield wiki


def wiki_source(sources: Path, api: str, revision: int | None = 1001) -> Path:
    """A copy of the Russia article in `sources`, its origin pointing at `api`."""
    folder = sources / RUSSIA.name
    shutil.copytree(RUSSIA, folder)
    metadata = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    metadata["origin"] = {"kind": "mediawiki", "api": api, "title": TITLE}
    metadata["revision"] = revision
    (folder / "source.yaml").write_text(yaml.safe_dump(metadata, sort_keys=False,
                                                       allow_unicode=True), encoding="utf-8")
    return folder


def snapshot_bytes(folder: Path) -> tuple[bytes, bytes]:
    return (folder / "text.txt").read_bytes(), (folder / "source.yaml").read_bytes()
