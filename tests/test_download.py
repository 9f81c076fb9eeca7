"""`tipfigures download` and `tipfigures.load` against a real HTTP server on 127.0.0.1.

The servers here serve a store published once per session (conftest's published_store): as it
is, with one file corrupted, cut off mid-file, stalled, failing once, redirecting to another
host, or with a tampered catalog or datapackage.json. Every error case of the command has a
test; so do the examples of docs/using-the-data.md, which are run as written.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import built_once
from tipfigures import download as dl
from tipfigures.cli import app
from tipfigures.tables import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
DATASET = "trafficking-figures"
DOC = ROOT / "docs" / "using-the-data.md"
DOC_BASE = "http://127.0.0.1:8000"


# ---------------------------------------------------------------------------------------------
# A real HTTP server, with faults on request


class Server:
    """ThreadingHTTPServer on 127.0.0.1 serving `root`; `faults` maps a URL path to a fault:
    corrupt (one byte changed), truncate (half the body, then the connection closes), stall
    (headers and a few bytes, then nothing), hang (no answer at all), fail-once (503 the first
    time), redirect:<url> (302 there)."""

    def __init__(self, root: Path, faults: dict[str, str] | None = None):
        self.root = root
        self.faults = dict(faults or {})
        self.requests: list[str] = []
        self.release = threading.Event()
        self.failed: set[str] = set()
        handler = functools.partial(_Handler, self, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, suffix: str) -> int:
        return sum(path.endswith(suffix) for path in self.requests)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, server_state: Server, *args, **kwargs):
        self.state = server_state
        super().__init__(*args, **kwargs)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        self.state.requests.append(path)
        fault = self.state.faults.get(path, "")
        if fault == "hang":
            self.state.release.wait(10)
            return
        if fault == "fail-once" and path not in self.state.failed:
            self.state.failed.add(path)
            self.send_error(503, "Try again")
            return
        if fault.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", fault.removeprefix("redirect:"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault == "drip":  # a byte every 0.1 s: never idle long enough for a timeout
            data = Path(self.translate_path(path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for byte in data:
                if self.state.release.wait(0.1):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return
            return
        if fault in ("corrupt", "truncate", "stall"):
            data = Path(self.translate_path(path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if fault == "corrupt":
                middle = len(data) // 2
                self.wfile.write(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
            elif fault == "truncate":
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
            else:
                self.wfile.write(data[:100])
                self.wfile.flush()
                self.state.release.wait(10)
            return
        super().do_GET()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def publish_patch(output: Path) -> str:
    """Publish a second version (a patch: one figure's note changed) into `output`."""
    from tipfigures.package import read_descriptor, read_tables
    from tipfigures.publish import Store, publish

    store = Store(output)
    latest = store.version_folder(store.latest())
    tables = read_tables(latest)
    tables["figures"][0]["note"] = "checked against the source by hand"
    result = publish(tables, output, inputs=read_descriptor(latest)["tipfigures"])
    assert result.status == "published"
    return result.version


@pytest.fixture(scope="session")
def two_versions(published_store: Path) -> Path:
    """An output folder with 1.0.0 and 1.0.1 (latest), made once per test run (tests read it)."""
    def make(folder: Path) -> None:
        shutil.copytree(published_store, folder / "output")
        assert publish_patch(folder / "output") == "1.0.1"

    return built_once("two-versions", make) / "output"


@pytest.fixture
def server(two_versions: Path) -> Iterator[Server]:
    with Server(two_versions) as running:
        yield running


def tampered_tree(source: Path, target: Path, version: str = "1.0.1", *, paths=None,
                  catalog_version: str | None = None) -> Path:
    """A copy of an output folder whose datapackage.json (resource paths replaced from `paths`)
    and catalog (its sha256 updated, like an attacker would) were rewritten."""
    shutil.copytree(source, target)
    folder = target / DATASET
    catalog = json.loads((folder / "catalog.json").read_text())
    if paths:
        descriptor_path = folder / version / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text())
        for resource in descriptor["resources"]:
            resource["path"] = paths.get(resource["name"], resource["path"])
        descriptor_path.write_text(json.dumps(descriptor, indent=2))
        for entry in catalog["versions"]:
            if entry["version"] == version:
                entry["datapackage_sha256"] = hashlib.sha256(
                    descriptor_path.read_bytes()).hexdigest()
    if catalog_version:
        catalog["versions"][-1]["version"] = catalog_version
        catalog["latest"] = catalog_version
    (folder / "catalog.json").write_text(json.dumps(catalog, indent=2))
    return target


def run_cli(*args: str):
    return CliRunner().invoke(app, ["download", *args])


def declared(version_folder: Path) -> dict[str, tuple[int, str]]:
    descriptor = json.loads((version_folder / "datapackage.json").read_text())
    return {r["path"]: (r["bytes"], r["hash"].removeprefix("sha256:"))
            for r in descriptor["resources"]}


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".tmp" in p.name] if folder.exists() else []


# ---------------------------------------------------------------------------------------------
# Downloading


def test_downloads_the_latest_version_verified(server: Server, two_versions: Path,
                                               tmp_path: Path) -> None:
    target = tmp_path / "data"
    result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(target))
    assert result.exit_code == 0, result.output
    folder = target / "1.0.1"
    published = two_versions / DATASET / "1.0.1"
    files = declared(published)
    assert len(files) == 2 * len(RESOURCES)  # CSV and Parquet of each resource
    for path, (size, sha256) in files.items():
        data = (folder / path).read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha256, path
    assert (folder / "datapackage.json").read_bytes() == \
        (published / "datapackage.json").read_bytes()
    assert sorted(p.name for p in target.iterdir()) == ["1.0.1"]  # no temporary folder left
    assert "trafficking-figures 1.0.1" in result.stdout and \
        f"{2 * len(RESOURCES)} fetched" in result.stdout


def test_files_present_and_verified_are_not_fetched_again(server: Server,
                                                          tmp_path: Path) -> None:
    base = f"{server.url}/{DATASET}"
    assert run_cli("--from", base, "--to", str(tmp_path)).exit_code == 0
    server.requests.clear()
    result = run_cli("--from", base, "--to", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(server.requests) == sorted([f"/{DATASET}/catalog.json",
                                              f"/{DATASET}/1.0.1/datapackage.json"])
    assert f"0 fetched, {2 * len(RESOURCES)} already present" in result.stdout

    damaged = tmp_path / "1.0.1" / "data" / "events.csv"
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    server.requests.clear()
    result = run_cli("--from", base, "--to", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [p for p in server.requests if "/data/" in p] == [f"/{DATASET}/1.0.1/data/events.csv"]
    assert f"1 fetched, {2 * len(RESOURCES) - 1} already present" in result.stdout
    size, sha256 = declared(tmp_path / "1.0.1")["data/events.csv"]
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == sha256


def test_version_format_and_resources_choose_the_files(server: Server, tmp_path: Path) -> None:
    result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path), "--version",
                     "1.0.0", "--format", "parquet", "--resource", "figures", "--resource",
                     "observations")
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["1.0.0/data/figures.parquet", "1.0.0/data/observations.parquet",
                       "1.0.0/datapackage.json"]
    result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path), "--version",
                     "1.0.0", "--format", "csv", "--resource", "sources")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "1.0.0" / "data" / "sources.csv").is_file()
    assert (tmp_path / "1.0.0" / "data" / "figures.parquet").is_file()  # still there


def test_the_output_folder_above_the_dataset_works_as_base(server: Server,
                                                           tmp_path: Path) -> None:
    result = run_cli("--from", server.url, "--to", str(tmp_path), "--resource", "sources")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "1.0.1" / "data" / "sources.parquet").is_file()


def test_a_local_path_works_too(two_versions: Path, tmp_path: Path) -> None:
    result = run_cli("--from", str(two_versions / DATASET), "--to", str(tmp_path), "--version",
                     "1.0.0")
    assert result.exit_code == 0, result.output
    assert len([p for p in (tmp_path / "1.0.0").rglob("*") if p.is_file()]) == \
        2 * len(RESOURCES) + 1  # and datapackage.json


def test_a_failed_retry_recovers_from_a_server_error(two_versions: Path, tmp_path: Path) -> None:
    path = f"/{DATASET}/1.0.1/data/figures.csv"
    with Server(two_versions, {path: "fail-once"}) as server:
        started = time.monotonic()
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path),
                         "--retries", "1", "--resource", "figures")
        assert result.exit_code == 0, result.output
        assert server.count("figures.csv") == 2
    assert time.monotonic() - started < 5


def test_progress_bar_for_long_downloads(server: Server, tmp_path: Path) -> None:
    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    dl.download(f"{server.url}/{DATASET}", tmp_path, resources=["figures"], progress=True,
                console=console)
    shown = screen.getvalue()
    assert "data/figures" in shown and "━" in shown and "kB" in shown
    quiet = io.StringIO()
    dl.download(f"{server.url}/{DATASET}", tmp_path / "again", resources=["figures"],
                console=Console(file=quiet, force_terminal=False))
    assert quiet.getvalue() == ""  # not a terminal, and fast: no bar


# ---------------------------------------------------------------------------------------------
# Every error: its own message and exit code, and nothing written


def test_unknown_version_lists_the_available_ones(server: Server, tmp_path: Path) -> None:
    result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"),
                     "--version", "9.9.9")
    assert result.exit_code == 3
    assert f"{server.url}/{DATASET}/catalog.json: unknown version '9.9.9'; available " \
           "versions: 1.0.0, 1.0.1 (latest 1.0.1)" in result.stderr
    assert not (tmp_path / "x").exists()


def test_unknown_resource_lists_the_available_ones(server: Server, tmp_path: Path) -> None:
    result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"),
                     "--resource", "victims")
    assert result.exit_code == 3
    assert "unknown resource 'victims'; available resources: events, figures" in result.stderr


def test_not_found(server: Server, tmp_path: Path) -> None:
    result = run_cli("--from", f"{server.url}/no-such-dataset", "--to", str(tmp_path / "x"))
    assert result.exit_code == 4
    assert f"{server.url}/no-such-dataset/catalog.json: not found (HTTP 404" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_missing_data_file_is_not_found(two_versions: Path, tmp_path: Path) -> None:
    tree = shutil.copytree(two_versions, tmp_path / "tree")
    (tree / DATASET / "1.0.1" / "data" / "events.csv").unlink()
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
    assert result.exit_code == 4
    assert f"{server.url}/{DATASET}/1.0.1/data/events.csv: not found" in result.stderr
    assert not (tmp_path / "x").exists()


def test_connection_refused(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/{DATASET}"
    result = run_cli("--from", url, "--to", str(tmp_path / "x"), "--retries", "0")
    assert result.exit_code == 5
    assert f"{url}/catalog.json: connection refused" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("fault, path, words", [
    ("hang", "catalog.json", "no answer within 0.3 s (timed out)"),
    ("stall", "1.0.1/data/figures.csv", "stalled after 100 bytes: no data within 0.3 s"),
])
def test_timeout(two_versions: Path, tmp_path: Path, fault: str, path: str, words: str) -> None:
    with Server(two_versions, {f"/{DATASET}/{path}": fault}) as server:
        started = time.monotonic()
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"),
                         "--timeout", "0.3", "--retries", "0")
        elapsed = time.monotonic() - started
    assert result.exit_code == 6, result.output
    assert f"{server.url}/{DATASET}/{path}: {words}" in result.stderr
    assert elapsed < 5
    assert not (tmp_path / "x").exists()


def test_a_server_that_drips_bytes_is_given_up_on_at_the_deadline(two_versions: Path,
                                                                   tmp_path: Path) -> None:
    path = "1.0.1/data/figures.csv"
    with Server(two_versions, {f"/{DATASET}/{path}": "drip"}) as server:
        started = time.monotonic()
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"),
                         "--timeout", "2", "--retries", "2", "--deadline", "1.5")
        elapsed = time.monotonic() - started
    assert result.exit_code == 6, result.output
    said = " ".join(result.stderr.split())
    assert f"{server.url}/{DATASET}/{path}: the download did not finish within its deadline " \
           "of 1.5 s" in said
    assert "raise --deadline" in said
    assert elapsed < 5  # not retried: the deadline covers the retries
    assert server.count("figures.csv") == 1
    assert not (tmp_path / "x").exists()


def test_the_deadline_has_a_default_of_an_hour() -> None:
    import inspect

    from tipfigures.download import DEFAULT_DEADLINE, download

    assert inspect.signature(download).parameters["deadline"].default == DEFAULT_DEADLINE == 3600
    assert "--deadline" in CliRunner().invoke(app, ["download", "--help"]).output


def test_checksum_mismatch_leaves_nothing_behind(two_versions: Path, tmp_path: Path) -> None:
    path = f"/{DATASET}/1.0.1/data/figures.parquet"
    with Server(two_versions, {path: "corrupt"}) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
    assert result.exit_code == 7, result.output
    size, sha256 = declared(two_versions / DATASET / "1.0.1")["data/figures.parquet"]
    assert f"{server.url}{path}: checksum mismatch: sha256 is " in result.stderr
    assert f"datapackage.json says {sha256}" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_failed_update_keeps_what_was_there(two_versions: Path, tmp_path: Path) -> None:
    target = tmp_path / "x"
    with Server(two_versions) as server:
        assert run_cli("--from", f"{server.url}/{DATASET}", "--to", str(target), "--format",
                       "csv").exit_code == 0
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    path = f"/{DATASET}/1.0.1/data/observations.parquet"
    with Server(two_versions, {path: "corrupt"}) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(target))
    assert result.exit_code == 7
    after = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before  # no Parquet file fetched before the failure was kept
    assert leftovers(target) == []


def test_truncated_file(two_versions: Path, tmp_path: Path) -> None:
    path = f"/{DATASET}/1.0.1/data/figures.csv"
    size, _ = declared(two_versions / DATASET / "1.0.1")["data/figures.csv"]
    with Server(two_versions, {path: "truncate"}) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"),
                         "--retries", "1")
        assert server.count("figures.csv") == 2  # tried again, in vain
    assert result.exit_code == 8, result.output
    assert f"{server.url}{path}: the connection closed after {size // 2} of {size} bytes; " \
           "the file is truncated" in result.stderr
    assert not (tmp_path / "x").exists()


def test_tampered_datapackage_is_refused(two_versions: Path, tmp_path: Path) -> None:
    tree = shutil.copytree(two_versions, tmp_path / "tree")
    descriptor = tree / DATASET / "1.0.1" / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace("Human trafficking", "Human-trafficking"))
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
    assert result.exit_code == 7
    assert f"{server.url}/{DATASET}/1.0.1/datapackage.json: checksum mismatch" in result.stderr
    assert "catalog.json says" in result.stderr


@pytest.mark.parametrize("path, words", [
    ("../../secret.csv", "climbs out of the base location with '..'"),
    ("data/../../../secret.csv", "climbs out of the base location"),
    ("/etc/passwd", "is an absolute path"),
    ("http://evil.example/figures.csv", "points to another host (evil.example)"),
    ("file:///etc/passwd", "is a URL"),
    ("data//figures.csv", "is not a normalised path"),
    ("data\\..\\..\\secret.csv", "backslash"),
])
def test_paths_outside_the_base_are_refused(two_versions: Path, tmp_path: Path, path: str,
                                            words: str) -> None:
    tree = tampered_tree(two_versions, tmp_path / "tree", paths={"figures": path})
    (tree / "secret.csv").write_text("not for you\n")
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
        assert not any("secret" in p or "passwd" in p for p in server.requests)
    assert result.exit_code == 9, result.output
    assert f"{server.url}/{DATASET}/1.0.1/datapackage.json: resource figures: path" in \
        result.stderr
    assert words in result.stderr and "nothing was written" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_url_to_the_same_host_is_refused_too(two_versions: Path, tmp_path: Path) -> None:
    with Server(two_versions) as probe:
        port = probe.port
    tree = tampered_tree(two_versions, tmp_path / "tree", paths={
        "figures": f"http://127.0.0.1:{port}/{DATASET}/1.0.1/data/figures.csv"})
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
    assert result.exit_code == 9
    assert "is a URL; only paths relative to the base location are accepted" in result.stderr


def test_a_catalog_version_that_is_a_path_is_refused(two_versions: Path, tmp_path: Path) -> None:
    tree = tampered_tree(two_versions, tmp_path / "tree", catalog_version="../../etc")
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
        assert server.requests == [f"/{DATASET}/catalog.json"]
    assert result.exit_code == 9
    assert "version '../../etc' is not a safe folder name; refused" in result.stderr


def test_a_redirect_to_another_host_is_refused(two_versions: Path, tmp_path: Path) -> None:
    with Server(two_versions) as other:
        elsewhere = f"http://localhost:{other.port}/{DATASET}/1.0.1/datapackage.json"
        path = f"/{DATASET}/1.0.1/datapackage.json"
        with Server(two_versions, {path: f"redirect:{elsewhere}"}) as server:
            result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
        assert other.requests == []
    assert result.exit_code == 9
    assert f"{elsewhere}: redirected to another host (localhost)" in result.stderr


def test_a_catalog_that_is_not_json(two_versions: Path, tmp_path: Path) -> None:
    tree = shutil.copytree(two_versions, tmp_path / "tree")
    (tree / DATASET / "catalog.json").write_text("<html>maintenance</html>")
    with Server(tree) as server:
        result = run_cli("--from", f"{server.url}/{DATASET}", "--to", str(tmp_path / "x"))
    assert result.exit_code == 10
    assert f"{server.url}/{DATASET}/catalog.json: not valid JSON" in result.stderr


def test_a_symbolic_link_out_of_a_local_base_is_refused(two_versions: Path,
                                                        tmp_path: Path) -> None:
    tree = shutil.copytree(two_versions, tmp_path / "tree")
    (tmp_path / "secret.csv").write_text("not for you\n")
    data = tree / DATASET / "1.0.1" / "data" / "figures.csv"
    data.unlink()
    data.symlink_to(tmp_path / "secret.csv")
    result = run_cli("--from", str(tree / DATASET), "--to", str(tmp_path / "x"))
    assert result.exit_code == 9
    assert "resolves outside the base location" in result.stderr


@pytest.mark.parametrize("path", ["data/figures.csv", "a/b-c_d.e/f.parquet"])
def test_safe_paths_pass(path: str) -> None:
    assert dl.safe_relative_path(path, "here", "path") == path


@pytest.mark.parametrize("path", ["..", "./data/x", "data/", "C:/x", "c:\\x", "//evil/x",
                                  "data/x\x00", "https://a.example/x", ""])
def test_unsafe_paths_fail(path: str) -> None:
    with pytest.raises((dl.UnsafePath, dl.BadMetadata)):
        dl.safe_relative_path(path, "here", "path")


# ---------------------------------------------------------------------------------------------
# The default location and tipfigures.load


def test_default_base(monkeypatch: pytest.MonkeyPatch) -> None:
    from tipfigures.settings import project_root

    monkeypatch.delenv(dl.BASE_ENV, raising=False)
    monkeypatch.setattr(dl, "DEFAULT_BASE", None)
    assert dl.default_base() == str(project_root() / "output")
    monkeypatch.setattr(dl, "DEFAULT_BASE", "https://data.example.org/tf")
    assert dl.default_base() == "https://data.example.org/tf"
    monkeypatch.setenv(dl.BASE_ENV, "http://127.0.0.1:9/x")
    assert dl.default_base() == "http://127.0.0.1:9/x"


def test_load_returns_typed_frames_cached_and_verified(server: Server, two_versions: Path,
                                                       tmp_path: Path) -> None:
    import pandas as pd

    import tipfigures

    base = f"{server.url}/{DATASET}"
    figures = tipfigures.load("figures", source=base, cache=tmp_path)
    csv = pd.read_csv(two_versions / DATASET / "1.0.1" / "data" / "figures.csv")
    assert len(figures) == len(csv) > 100
    assert list(figures.columns) == list(csv.columns)
    assert str(figures["start"].dtype) == "Int64" and str(figures["end"].dtype) == "Int64"
    assert figures["value"].dtype == "float64"
    assert figures["note"].iloc[0] == "checked against the source by hand"  # 1.0.1, the latest
    sources = tipfigures.load("sources", version="1.0.0", source=base, cache=tmp_path)
    assert pd.api.types.is_datetime64_any_dtype(sources["retrieved"])
    assert str(sources["chars"].dtype) == "Int64"
    old = tipfigures.load("figures", version="1.0.0", source=base, cache=tmp_path)
    assert pd.isna(old["note"].iloc[0])

    server.requests.clear()
    again = tipfigures.load("figures", source=base, cache=tmp_path)
    assert not [p for p in server.requests if "/data/" in p]  # read from the cache
    pd.testing.assert_frame_equal(again, figures)

    cached = next(tmp_path.rglob("1.0.1/data/figures.parquet"))
    cached.write_bytes(b"PAR1" + cached.read_bytes()[4:-8] + b"damaged!")
    repaired = tipfigures.load("figures", source=base, cache=tmp_path)
    assert server.count("/1.0.1/data/figures.parquet") == 1  # fetched again, verified
    pd.testing.assert_frame_equal(repaired, figures)


def test_load_uses_the_cache_environment_variable(server: Server, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import tipfigures

    monkeypatch.setenv(dl.CACHE_ENV, str(tmp_path / "cache"))
    tipfigures.load("indicators", source=f"{server.url}/{DATASET}")
    assert list((tmp_path / "cache").rglob("indicators.parquet"))


def test_load_offline_falls_back_to_a_verified_cached_version(two_versions: Path,
                                                              tmp_path: Path) -> None:
    import tipfigures

    server = Server(two_versions).__enter__()
    base = f"{server.url}/{DATASET}"
    first = tipfigures.load("observations", version="1.0.0", source=base, cache=tmp_path,
                            retries=0)
    server.stop()
    with pytest.warns(UserWarning, match="connection refused.*; using the copy of 1.0.0"):
        offline = tipfigures.load("observations", version="1.0.0", source=base,
                                  cache=tmp_path, retries=0)
    assert offline.equals(first)
    with pytest.raises(dl.ConnectionFailed):
        tipfigures.load("observations", source=base, cache=tmp_path, retries=0)  # latest?


def test_load_unknown_resource(server: Server, tmp_path: Path) -> None:
    import tipfigures

    with pytest.raises(dl.UnknownResource, match="unknown resource 'victims'"):
        tipfigures.load("victims", source=f"{server.url}/{DATASET}", cache=tmp_path)


# ---------------------------------------------------------------------------------------------
# docs/using-the-data.md, run as written


def doc_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, language, code) of each sh or python block not marked `<!-- not tested -->`."""
    blocks = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = re.match(r"^```(\w*)\s*$", lines[index])
        if not match:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        if match.group(1) in ("sh", "python") and not before.startswith("<!-- not tested"):
            blocks.append((index + 1, match.group(1), "\n".join(lines[index + 1:end])))
        index = end + 1
    return blocks


def test_the_documented_examples_run(published_store: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example of the guide, in order, against a server of a freshly published store:
    the CLI, frictionless validate, tipfigures.load, pandas over HTTP and DuckDB."""
    blocks = doc_blocks(DOC.read_text(encoding="utf-8"))
    assert {language for _, language, _ in blocks} == {"sh", "python"}
    assert len(blocks) >= 6
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv(dl.CACHE_ENV, str(tmp_path / "cache"))
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    namespace: dict[str, object] = {}
    with Server(published_store) as server:
        for line, language, code in blocks:
            code = code.replace(DOC_BASE, server.url)
            if language == "sh":
                done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=work,
                                      env=env, capture_output=True, text=True, timeout=120)
                assert done.returncode == 0, (f"docs/using-the-data.md:{line}: exit "
                                              f"{done.returncode}\n{done.stdout}\n{done.stderr}")
            else:
                try:
                    exec(compile(code, f"docs/using-the-data.md:{line}", "exec"), namespace)
                except Exception as error:  # name the block
                    raise AssertionError(f"docs/using-the-data.md:{line}: {error!r}") from error
        assert server.count("/1.0.0/data/figures.parquet") >= 2  # download and read_parquet
    assert (work / DATASET / "1.0.0" / "data" / "figures.csv").is_file()
    assert len(namespace["figures"]) > 100 and len(namespace["sources"]) > 5
