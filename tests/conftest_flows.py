"""Shared helpers of the refresh, flow and serve tests: a MediaWiki API look-alike on
127.0.0.1 and a source folder whose origin points at it.

Not a conftest.py: test modules import what they need from here.
"""

from __future__ import annotations

import json
import shutil
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


@contextmanager
def prefect_test_server(home: Path) -> Iterator[str]:
    """A real Prefect server (Prefect's own app, tipfigures.prefect_server) with a PREFECT_HOME
    of its own for the test session; the flows of this process use it (temporary_settings).

    Migrating a new database is most of a server's start (tens of seconds on a loaded machine):
    the first session keeps its freshly migrated database as a template in the state folder,
    later sessions start from a copy of it (for the same Prefect version and revision only).
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from tipfigures.prefect_server import MARKER, database_is_migrated, start_server
    from tipfigures.settings import state_dir

    template = state_dir() / "test-prefect-template"
    MEMO = "memo_store.toml"  # noqa: N806 (Prefect's record of the blocks it registered)
    seeded = database_is_migrated(template)
    if seeded:
        home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template / "prefect.db", home / "prefect.db")
        if (template / MEMO).is_file():  # the blocks are registered in that database already
            shutil.copyfile(template / MEMO, home / MEMO)
        remember = json.loads((template / MARKER).read_text(encoding="utf-8"))
        (home / MARKER).write_text(json.dumps({**remember, "database": str(home / "prefect.db")}),
                                   encoding="utf-8")
    server = start_server(home)
    try:
        server.wait_ready()
        if not seeded:  # a copy of the database as migrated, before any run is recorded
            template.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(home / "prefect.db") as source, \
                    sqlite3.connect(template / "prefect.db") as target:
                source.backup(target)
            if (home / MEMO).is_file():
                shutil.copyfile(home / MEMO, template / MEMO)
            remember = json.loads((home / MARKER).read_text(encoding="utf-8"))
            (template / MARKER).write_text(json.dumps(
                {**remember, "database": str(template / "prefect.db")}), encoding="utf-8")
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        server.stop()


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
