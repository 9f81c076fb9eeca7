"""Getting published data: `tipfigures download` and `tipfigures.load`, verified byte for byte.

A *base location* is the folder of one published dataset: the folder that holds catalog.json and
one folder per version (output/trafficking-figures in a checkout). It is an http(s) URL or a
local path; the output folder above it works too (its trafficking-figures/ is then used).

    catalog.json                  versions, the latest, and the sha256 of each datapackage.json
    <version>/datapackage.json    resources with path, bytes and sha256 hash
    <version>/data/<resource>.csv and .parquet

A download reads catalog.json, fetches the version's datapackage.json and checks its sha256
against the catalog, then fetches the chosen resources into a temporary folder beside the
target, checks each file's bytes and sha256 against datapackage.json, and only then renames the
files into place: a failed or tampered download leaves nothing behind. Files already present
and verified are not fetched again.

Every path read from catalog.json or datapackage.json must be relative, normalised and inside
the base location: '..', absolute paths and URLs (to this or any other host) are refused, and so
are redirects to another host.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from tipfigures import DATASET_NAME, __version__

if TYPE_CHECKING:  # imported lazily: `tipfigures --help` must stay fast
    import httpx
    import pandas as pd
    from rich.console import Console

#: Where published data is read from when neither `--from` / `source=` nor the environment
#: variable TIPFIGURES_DATA_URL says otherwise. The project has no public host yet, so None
#: means "the output/ folder of the checkout this package runs from". Once the data has a home,
#: set this to its URL, e.g. "https://data.example.org/tipfigures/trafficking-figures".
DEFAULT_BASE: str | None = None
BASE_ENV = "TIPFIGURES_DATA_URL"
CACHE_ENV = "TIPFIGURES_CACHE"

CATALOG = "catalog.json"
DATAPACKAGE = "datapackage.json"
DEFAULT_TIMEOUT = 30.0  # seconds without progress (connect, or between two reads)
DEFAULT_RETRIES = 3  # further attempts after a transient failure (connection, timeout, 5xx)
# Seconds for a whole download, retries included: a server that drips a byte a second never
# trips the per-read timeout. An hour is ~1,000x what the dataset takes on a slow link.
DEFAULT_DEADLINE = 3600.0
METADATA_LIMIT = 16 * 2**20  # catalog.json and datapackage.json are small; refuse huge ones
CHUNK = 1 << 16
PROGRESS_DELAY = 1.0  # a download that takes longer than this shows a progress bar
FORMATS = ("csv", "parquet")
SAFE_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")
SHA256_HASH = re.compile(r"^sha256:([0-9a-f]{64})$")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


# ---------------------------------------------------------------------------------------------
# Errors: one class per cause, each with its own exit code for the command line


class DownloadError(Exception):
    """A download failed; `where` names the file or URL, `cause` says why."""

    exit_code = 1

    def __init__(self, where: str, cause: str):
        self.where = where
        self.cause = cause
        super().__init__(f"{where}: {cause}")


class UnknownVersion(DownloadError):
    exit_code = 3


class UnknownResource(DownloadError):
    exit_code = 3


class NotFound(DownloadError):
    exit_code = 4


class ConnectionFailed(DownloadError):
    exit_code = 5


class TimedOut(DownloadError):
    exit_code = 6


class DeadlineExceeded(DownloadError):
    """The whole download took longer than its deadline (not retried)."""

    exit_code = 6


class ChecksumMismatch(DownloadError):
    exit_code = 7


class Truncated(DownloadError):
    exit_code = 8


class UnsafePath(DownloadError):
    exit_code = 9


class BadMetadata(DownloadError):
    """catalog.json or datapackage.json cannot be used, or the server answered with an error."""

    exit_code = 10


class ServerError(BadMetadata):
    """HTTP 5xx or 429: worth another try."""


TRANSIENT = (ConnectionFailed, TimedOut, Truncated, ServerError)


# ---------------------------------------------------------------------------------------------
# Where the data is


def default_base() -> str:
    """TIPFIGURES_DATA_URL, else DEFAULT_BASE, else the checkout's output/ folder."""
    from tipfigures.settings import project_root

    return os.environ.get(BASE_ENV) or DEFAULT_BASE or str(project_root() / "output")


def default_cache() -> Path:
    """TIPFIGURES_CACHE, else the user's cache folder (~/.cache/tipfigures on Linux)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "tipfigures" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tipfigures"


def safe_relative_path(path: Any, where: str, what: str, base_host: str | None = None) -> str:
    """`path` if it is a normalised relative POSIX path that stays inside the base location."""
    if not isinstance(path, str) or not path:
        raise BadMetadata(where, f"{what} is not a path: {path!r}")
    if any(ord(c) < 32 or c == "\x7f" for c in path) or "\\" in path:
        raise UnsafePath(where, f"{what} {path!r} has a backslash or a control character; "
                                "refused")
    if URL_SCHEME.match(path) and not re.match(r"^[A-Za-z]:[/\\]", path) or path.startswith("//"):
        host = urlsplit(path if not path.startswith("//") else "http:" + path).hostname
        if host and host != base_host:
            raise UnsafePath(where, f"{what} {path!r} points to another host ({host}); only "
                                    "paths inside the base location are accepted")
        raise UnsafePath(where, f"{what} {path!r} is a URL; only paths relative to the base "
                                "location are accepted")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise UnsafePath(where, f"{what} {path!r} is an absolute path; only paths relative to "
                                "the base location are accepted")
    parts = path.split("/")
    if ".." in parts:
        raise UnsafePath(where, f"{what} {path!r} climbs out of the base location with '..'; "
                                "refused")
    if any(part in ("", ".") for part in parts):
        raise UnsafePath(where, f"{what} {path!r} is not a normalised path (empty or '.' "
                                "parts); refused")
    return path


class Location:
    """A base location: where files are read from, by path relative to it."""

    base: str
    host: str | None = None

    def child(self, name: str) -> Location:
        raise NotImplementedError

    def url(self, relative: str) -> str:
        raise NotImplementedError

    def stream(self, relative: str) -> AbstractContextManager[Iterator[bytes]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class LocalLocation(Location):
    def __init__(self, base: Path):
        self.folder = Path(base).expanduser().absolute()
        self.base = str(self.folder)

    def child(self, name: str) -> LocalLocation:
        return LocalLocation(self.folder / name)

    def url(self, relative: str) -> str:
        return str(self.folder.joinpath(*relative.split("/")))

    @contextmanager
    def stream(self, relative: str) -> Iterator[Iterator[bytes]]:
        path = self.folder.joinpath(*relative.split("/"))
        try:
            inside = path.resolve().is_relative_to(self.folder.resolve())
        except OSError:
            inside = True  # a missing file is reported below
        if not inside:
            raise UnsafePath(str(path), "resolves outside the base location (a symbolic link?); "
                                        "refused")
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise NotFound(str(path), "no such file") from None
        except IsADirectoryError:
            raise NotFound(str(path), "is a folder, not a file") from None
        except OSError as error:
            raise DownloadError(str(path), f"cannot be read ({error.strerror})") from None
        with handle:
            yield iter(lambda: handle.read(CHUNK), b"")


class HttpLocation(Location):
    def __init__(self, base: str, timeout: float, client: httpx.Client | None = None,
                 deadline: float | None = None, ends_at: float | None = None):
        import httpx

        self.deadline = deadline
        self.ends_at = ends_at if ends_at is not None else (
            time.monotonic() + deadline if deadline is not None else None)
        self.base = base.rstrip("/") + "/"
        parts = urlsplit(self.base)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.timeout = timeout
        self.owned = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5,
            headers={"User-Agent": f"tipfigures/{__version__} (+download)"},
            event_hooks={"request": [self._same_host]})

    def _same_host(self, request: httpx.Request) -> None:
        url = request.url
        if (url.scheme, url.host, url.port) != (self.scheme, self.host, self.port):
            raise UnsafePath(str(url), f"redirected to another host ({url.host}); only the base "
                                       f"location's host ({self.host}) is trusted")

    def child(self, name: str) -> HttpLocation:
        other = HttpLocation(self.url(name), self.timeout, client=self.client,
                             deadline=self.deadline, ends_at=self.ends_at)
        other.owned = False
        return other

    def url(self, relative: str) -> str:
        return self.base + "/".join(quote(part, safe="") for part in relative.split("/"))

    @contextmanager
    def stream(self, relative: str) -> Iterator[Iterator[bytes]]:
        import httpx

        url = self.url(relative)
        self._check_deadline(url, 0)
        try:
            with self.client.stream("GET", url, timeout=self._request_timeout()) as response:
                _check_status(response, url)
                yield self._chunks(response, url)
        except httpx.TimeoutException:
            raise TimedOut(url, f"no answer within {self.timeout:g} s (timed out)") from None
        except httpx.ConnectError as error:
            raise ConnectionFailed(url, _connect_cause(error)) from None
        except httpx.RemoteProtocolError as error:
            raise ConnectionFailed(url, f"the server broke the connection ({error})") from None
        except httpx.TooManyRedirects:
            raise BadMetadata(url, "too many redirects") from None
        except httpx.HTTPError as error:
            raise ConnectionFailed(url, f"{type(error).__name__}: {error}") from None

    def _chunks(self, response: httpx.Response, url: str) -> Iterator[bytes]:
        import httpx

        received = 0
        declared = response.headers.get("content-length")
        try:
            for chunk in response.iter_bytes():
                received += len(chunk)
                self._check_deadline(url, received)
                yield chunk
        except (httpx.RemoteProtocolError, httpx.ReadError) as error:
            of = f" of {declared}" if declared else ""
            raise Truncated(url, f"the connection closed after {received}{of} bytes; the file "
                                 f"is truncated ({type(error).__name__})") from None
        except httpx.TimeoutException:
            self._check_deadline(url, received)
            raise TimedOut(url, f"stalled after {received} bytes: no data within "
                                f"{self.timeout:g} s (timed out)") from None

    def _request_timeout(self) -> httpx.Timeout:
        """The per-read timeout, shortened so that no read outlives the deadline."""
        import httpx

        if self.ends_at is None:
            return httpx.Timeout(self.timeout)
        return httpx.Timeout(max(0.01, min(self.timeout, self.ends_at - time.monotonic())))

    def _check_deadline(self, url: str, received: int) -> None:
        if self.ends_at is not None and time.monotonic() >= self.ends_at:
            raise DeadlineExceeded(url, f"the download did not finish within its deadline of "
                                        f"{self.deadline:g} s ({received:,} bytes of this file "
                                        "received); the server is too slow: try later, or "
                                        "raise --deadline")

    def close(self) -> None:
        if self.owned:
            self.client.close()


def _check_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 300:
        return
    reason = f"HTTP {status} {response.reason_phrase}".strip()
    if status in (404, 410):
        raise NotFound(url, f"not found ({reason})")
    if status >= 500 or status == 429:
        raise ServerError(url, f"the server failed ({reason})")
    raise BadMetadata(url, f"the server refused the request ({reason})")


def _connect_cause(error: Exception) -> str:
    text = str(error)
    if "refused" in text.lower() or "errno 111" in text.lower():
        return "connection refused (is the server running, and is the port right?)"
    if "name or service not known" in text.lower() or "nodename nor servname" in text.lower():
        return f"unknown host ({text})"
    return f"cannot connect ({text})"


def open_location(base: str | Path | None, timeout: float = DEFAULT_TIMEOUT,
                  deadline: float | None = None) -> Location:
    """A Location for a URL (http, https, file) or a local path; None means default_base()."""
    text = str(base if base is not None else default_base())
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(text).hostname:
            raise BadMetadata(text, "a URL without a host")
        return HttpLocation(text, timeout, deadline=deadline)
    if scheme == "file":
        return LocalLocation(Path(url2pathname(urlsplit(text).path)))
    if len(scheme) > 1:
        raise DownloadError(text, f"unsupported location ({scheme}:); give an http(s) URL or a "
                                  "local path")
    return LocalLocation(Path(text))


# ---------------------------------------------------------------------------------------------
# Fetching and verifying one file


class _Progress:
    """A rich progress bar for long downloads: shown after PROGRESS_DELAY s on a terminal."""

    def __init__(self, enabled: bool | None, console: Console | None, total: int):
        self.bar = None
        if enabled is False or total <= 0:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        console = console or Console(stderr=True)
        if enabled is None and not console.is_terminal:
            return
        self.delay = 0.0 if enabled else PROGRESS_DELAY
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                            TransferSpeedColumn(), TimeRemainingColumn(), console=console,
                            transient=True)
        self.task = self.bar.add_task("downloading", total=total)
        self.started = time.monotonic()
        self.live = False

    def advance(self, count: int, name: str) -> None:
        if self.bar is None:
            return
        self.bar.update(self.task, advance=count, description=name)
        if not self.live and time.monotonic() - self.started >= self.delay:
            self.bar.start()
            self.live = True

    def close(self) -> None:
        if self.bar is not None and self.live:
            self.bar.refresh()
            self.bar.stop()


def _retrying(retries: int, action: Callable[[], Any]) -> Any:
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

    for attempt in Retrying(stop=stop_after_attempt(max(0, retries) + 1), reraise=True,
                            wait=wait_exponential(multiplier=0.5, max=8),
                            retry=retry_if_exception_type(TRANSIENT)):
        with attempt:
            return action()
    raise AssertionError("unreachable")  # pragma: no cover


def read_small(location: Location, relative: str, retries: int) -> bytes:
    """A metadata file's bytes, refused beyond METADATA_LIMIT."""
    def attempt() -> bytes:
        data = bytearray()
        with location.stream(relative) as chunks:
            for chunk in chunks:
                data += chunk
                if len(data) > METADATA_LIMIT:
                    raise BadMetadata(location.url(relative),
                                      f"larger than {METADATA_LIMIT} bytes; not a catalog or "
                                      "a datapackage.json")
        return bytes(data)

    return _retrying(retries, attempt)


def _fetch_file(location: Location, relative: str, target: Path, size: int, sha256: str,
                retries: int, progress: _Progress) -> None:
    """Write the file at `relative` to `target`, checking its bytes and sha256 as it comes."""
    url = location.url(relative)
    target.parent.mkdir(parents=True, exist_ok=True)

    def attempt() -> None:
        digest = hashlib.sha256()
        received = 0
        try:
            with target.open("wb") as handle, location.stream(relative) as chunks:
                for chunk in chunks:
                    received += len(chunk)
                    progress.advance(len(chunk), relative)
                    if received > size:
                        raise ChecksumMismatch(url, f"more than the {size} bytes datapackage.json "
                                                    "declares; the file was changed or replaced")
                    digest.update(chunk)
                    handle.write(chunk)
                _flush(handle)
        except BaseException:
            progress.advance(-received, relative)
            raise
        if received < size:
            progress.advance(-received, relative)
            raise Truncated(url, f"got {received} of the {size} bytes datapackage.json declares; "
                                 "the file is truncated")
        actual = digest.hexdigest()
        if actual != sha256:
            raise ChecksumMismatch(url, f"checksum mismatch: sha256 is {actual}, datapackage.json "
                                        f"says {sha256}; the file was changed or corrupted")

    _retrying(retries, attempt)


def _flush(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _verified(path: Path, size: int, sha256: str) -> bool:
    """True when a file already on disk has the declared bytes and sha256."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != size:
            return False
    except OSError:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == sha256


# ---------------------------------------------------------------------------------------------
# Reading the catalog and the descriptor


def _parse_json(data: bytes, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadMetadata(where, f"not valid JSON ({error})") from None


def read_catalog(location: Location, retries: int) -> tuple[Location, dict[str, Any]]:
    """The catalog at the base location, or at <base>/<dataset>/ when the base is an output
    folder; with the location it was found at."""
    try:
        data = read_small(location, CATALOG, retries)
    except NotFound as error:
        nested = location.child(DATASET_NAME)
        try:
            data = read_small(nested, CATALOG, retries)
        except NotFound:
            raise NotFound(error.where, f"{error.cause}; is this the folder of a published "
                                        f"dataset (it holds {CATALOG}), or an output folder "
                                        f"holding {DATASET_NAME}/?") from None
        location = nested
    catalog = _parse_json(data, location.url(CATALOG))
    if not isinstance(catalog, dict) or not isinstance(catalog.get("versions"), list):
        raise BadMetadata(location.url(CATALOG), "not a catalog (no list of versions)")
    return location, catalog


def choose_version(catalog: dict[str, Any], version: str, where: str) -> dict[str, Any]:
    """The catalog entry of `version` ('latest' or X.Y.Z), refusing unsafe version names."""
    entries = [e for e in catalog["versions"] if isinstance(e, dict) and "version" in e]
    available = [str(e["version"]) for e in entries]
    if version == "latest":
        version = catalog.get("latest") or (available[-1] if available else "")
        if not version:
            raise UnknownVersion(where, "no version has been published yet")
    entry = next((e for e in entries if str(e["version"]) == version), None)
    if entry is None:
        listing = ", ".join(available) or "none"
        raise UnknownVersion(where, f"unknown version {version!r}; available versions: "
                                    f"{listing} (latest {catalog.get('latest') or 'none'})")
    if not SAFE_VERSION.match(version) or version in (".", ".."):
        raise UnsafePath(where, f"version {version!r} is not a safe folder name; refused")
    return entry


def _resource_name(resource: dict[str, Any]) -> str:
    name = str(resource.get("name", ""))
    return name[: -len("-parquet")] if name.endswith("-parquet") else name


def select_resources(descriptor: dict[str, Any], names: Sequence[str], formats: Sequence[str],
                     where: str) -> list[dict[str, Any]]:
    """The resources named (by table name, e.g. figures, or resource name, figures-parquet) in
    the formats asked for; all of them when `names` is empty."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise BadMetadata(where, "no list of resources")
    tables = sorted({_resource_name(r) for r in resources})
    for name in names:
        if name not in tables and not any(r.get("name") == name for r in resources):
            raise UnknownResource(where, f"unknown resource {name!r}; available resources: "
                                         f"{', '.join(tables)}")
    chosen = [r for r in resources
              if (not names or r.get("name") in names or _resource_name(r) in names)
              and r.get("format") in formats]
    if not chosen:
        raise UnknownResource(where, f"no resource in format {' or '.join(formats)}")
    return chosen


@dataclass
class Planned:
    """One file to have: where it comes from and what it must be."""

    resource: dict[str, Any]
    path: str  # relative to the version folder
    bytes: int
    sha256: str


def plan_files(resources: list[dict[str, Any]], where: str,
               host: str | None = None) -> list[Planned]:
    planned: dict[str, Planned] = {}
    for resource in resources:
        name = resource.get("name", "?")
        path = safe_relative_path(resource.get("path"), where, f"resource {name}: path", host)
        if path in (DATAPACKAGE, CATALOG):
            raise UnsafePath(where, f"resource {name}: path {path!r} would overwrite metadata")
        size = resource.get("bytes")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BadMetadata(where, f"resource {name}: no valid 'bytes' ({size!r}); cannot "
                                     "verify the file")
        match = SHA256_HASH.match(str(resource.get("hash", "")).lower())
        if not match:
            raise BadMetadata(where, f"resource {name}: no sha256 'hash' "
                                     f"({resource.get('hash')!r}); cannot verify the file")
        previous = planned.get(path)
        if previous and (previous.bytes, previous.sha256) != (size, match.group(1)):
            raise BadMetadata(where, f"resource {name}: path {path!r} is declared twice with "
                                     "different bytes or hashes")
        planned[path] = Planned(resource, path, size, match.group(1))
    return list(planned.values())


# ---------------------------------------------------------------------------------------------
# Downloading a version


@dataclass
class FileResult:
    path: str  # relative to the version folder, e.g. data/figures.csv
    target: Path
    bytes: int
    sha256: str
    fetched: bool  # False when it was already present and verified
    resource: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass
class DownloadResult:
    dataset: str
    version: str
    base: str  # where the catalog was found
    folder: Path  # the version's local folder: <to>/<version>
    files: list[FileResult]
    descriptor: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def fetched(self) -> int:
        return sum(f.fetched for f in self.files)


def download(base: str | Path | None = None, to: str | Path = DATASET_NAME, *,
             version: str = "latest", formats: Sequence[str] = FORMATS,
             resources: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT,
             retries: int = DEFAULT_RETRIES, progress: bool | None = None,
             console: Console | None = None,
             deadline: float | None = DEFAULT_DEADLINE) -> DownloadResult:
    """Download one version into <to>/<version>/, verified; see the module's docstring.

    `deadline`: seconds for the whole download, retries included (None: no limit).
    `formats`: csv and/or parquet. `resources`: table names (figures) or resource names
    (figures-parquet); all when empty. `progress`: True always shows a progress bar, False
    never, None on a terminal for downloads that take more than a second.
    Raises a DownloadError subclass naming the file and the cause.
    """
    formats = tuple(formats)
    if unknown := [f for f in formats if f not in FORMATS]:
        raise DownloadError(", ".join(unknown), f"unknown format; choose from {', '.join(FORMATS)}")
    location = open_location(base, timeout, deadline)
    if isinstance(location, LocalLocation):
        retries = 0  # nothing transient about a local file
    try:
        location, catalog = read_catalog(location, retries)
        catalog_url = location.url(CATALOG)
        entry = choose_version(catalog, version, catalog_url)
        chosen = str(entry["version"])
        descriptor_path = f"{chosen}/{DATAPACKAGE}"
        descriptor_url = location.url(descriptor_path)
        descriptor_bytes = read_small(location, descriptor_path, retries)
        expected = entry.get("datapackage_sha256")
        actual = hashlib.sha256(descriptor_bytes).hexdigest()
        if expected and actual != str(expected).lower():
            raise ChecksumMismatch(descriptor_url, f"checksum mismatch: sha256 is {actual}, "
                                                   f"{CATALOG} says {expected}; the descriptor "
                                                   "was changed or corrupted")
        descriptor = _parse_json(descriptor_bytes, descriptor_url)
        if not isinstance(descriptor, dict):
            raise BadMetadata(descriptor_url, "not a data package descriptor")
        chosen_resources = select_resources(descriptor, resources, formats, descriptor_url)
        planned = plan_files(chosen_resources, descriptor_url, location.host)
        folder = Path(to) / chosen
        results = _write_version(location.child(chosen), planned, folder, chosen,
                                 descriptor_bytes, retries, progress, console)
    finally:
        location.close()
    return DownloadResult(str(descriptor.get("name", DATASET_NAME)), chosen, location.base,
                          folder, results, descriptor)


def _write_version(location: Location, planned: list[Planned], folder: Path, version: str,
                   descriptor_bytes: bytes, retries: int, progress_option: bool | None,
                   console: Console | None) -> list[FileResult]:
    """Fetch what is missing into a temporary folder beside `folder`, then rename into place."""
    present = {p.path for p in planned if _verified(folder / p.path, p.bytes, p.sha256)}
    descriptor_target = folder / DATAPACKAGE
    descriptor_ok = (descriptor_target.is_file() and not descriptor_target.is_symlink()
                     and descriptor_target.read_bytes() == descriptor_bytes)
    results = [FileResult(p.path, folder / p.path, p.bytes, p.sha256, p.path not in present,
                          p.resource) for p in planned]
    missing = [p for p in planned if p.path not in present]
    if not missing and descriptor_ok:
        return results
    parent = folder.parent
    created = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".tmp-download-{version}-", dir=parent))
        os.chmod(temporary, 0o777 & ~_umask())  # mkdtemp's 0700 would become the version's
    except OSError as error:
        raise DownloadError(str(parent), f"cannot write here ({error.strerror})") from None
    progress = _Progress(progress_option, console, sum(p.bytes for p in missing))
    try:
        try:
            for item in missing:
                _fetch_file(location, item.path, temporary.joinpath(*item.path.split("/")),
                            item.bytes, item.sha256, retries, progress)
        finally:
            progress.close()
        with (temporary / DATAPACKAGE).open("wb") as handle:
            handle.write(descriptor_bytes)
            _flush(handle)
        if not folder.exists():
            os.rename(temporary, folder)  # the whole version appears at once
        else:
            for item in missing:
                destination = folder.joinpath(*item.path.split("/"))
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary.joinpath(*item.path.split("/")), destination)
            os.replace(temporary / DATAPACKAGE, descriptor_target)  # last: it lists the files
    except OSError as error:
        _remove(temporary, created)
        raise DownloadError(str(folder), f"cannot write the files ({error.strerror})") from None
    except BaseException:
        _remove(temporary, created)
        raise
    shutil.rmtree(temporary, ignore_errors=True)
    return results


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove(temporary: Path, created: list[Path]) -> None:
    """Leave nothing behind: the temporary folder and the folders made for it, if empty."""
    shutil.rmtree(temporary, ignore_errors=True)
    for path in created:  # deepest first
        try:
            path.rmdir()
        except OSError:
            break


# ---------------------------------------------------------------------------------------------
# pandas


def cache_folder(base: str, cache: str | Path | None = None) -> Path:
    """The cache of one base location: <cache>/<readable name>-<hash of the location>."""
    text = str(base)
    if urlsplit(text).scheme.lower() not in ("http", "https"):
        text = str(Path(text).expanduser().absolute())
    readable = re.sub(r"[^A-Za-z0-9.-]+", "-", text.split("://")[-1]).strip("-")[-40:]
    key = hashlib.sha256(text.rstrip("/").encode("utf-8")).hexdigest()[:12]
    return Path(cache if cache is not None else default_cache()) / f"{readable}-{key}"


def load(resource: str, version: str = "latest", source: str | Path | None = None, *,
         cache: str | Path | None = None, timeout: float = DEFAULT_TIMEOUT,
         retries: int = DEFAULT_RETRIES, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One resource of a published version as a pandas DataFrame, typed by its Table Schema.

    The Parquet file is downloaded once into a cache folder (TIPFIGURES_CACHE, default
    ~/.cache/tipfigures), verified against datapackage.json, and read from there afterwards.
    Integer fields come back as pandas "Int64" (nullable), numbers as float64, booleans as
    "boolean", dates as datetime64 and strings as pandas strings. With an explicit version and
    no connection, a verified copy in the cache is used (with a warning).
    """
    base = str(source) if source is not None else default_base()
    table = resource[: -len("-parquet")] if resource.endswith("-parquet") else resource
    folder = cache_folder(base, cache)
    try:
        result = download(base, folder, version=version, formats=("parquet",),
                          resources=[table], timeout=timeout, retries=retries, progress=False)
        item = next(f for f in result.files if f.resource.get("format") == "parquet")
        path, schema = item.target, item.resource.get("schema") or {}
    except (ConnectionFailed, TimedOut) as error:
        cached = _cached(folder, version, table)
        if cached is None:
            raise
        warnings.warn(f"{error}; using the copy of {version} verified in {folder}", stacklevel=3)
        path, schema = cached
    return read_parquet_typed(path, schema, columns)


def _cached(folder: Path, version: str, table: str) -> tuple[Path, dict[str, Any]] | None:
    """A resource's Parquet file in the cache, if it still matches its datapackage.json."""
    if version == "latest" or not SAFE_VERSION.match(version):
        return None
    try:
        descriptor = json.loads((folder / version / DATAPACKAGE).read_text(encoding="utf-8"))
        where = str(folder / version / DATAPACKAGE)
        resources = select_resources(descriptor, [table], ("parquet",), where)
        planned = [p for p in plan_files(resources, where) if p.resource.get("format") ==
                   "parquet"]
    except (OSError, ValueError, DownloadError):
        return None
    for item in planned:
        path = folder / version / item.path
        if _verified(path, item.bytes, item.sha256):
            return path, item.resource.get("schema") or {}
    return None


def read_parquet_typed(path: Path, schema: dict[str, Any],
                       columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A Parquet file as a DataFrame whose dtypes follow the Table Schema's field types."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = schema.get("fields") or []
    names = [f["name"] for f in fields] or None
    if columns is not None:
        names = list(columns)
    table = pq.read_table(path, columns=names)
    integer_types = (pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(),
                     pa.uint32(), pa.uint64())
    mapping = {t: pd.Int64Dtype() for t in integer_types} | {pa.bool_(): pd.BooleanDtype()}
    frame = table.to_pandas(types_mapper=mapping.get)
    for spec in fields:
        name, kind = spec["name"], spec.get("type")
        if name not in frame.columns:
            continue
        if kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "number":
            frame[name] = frame[name].astype("float64")
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        elif kind in ("date", "datetime"):
            frame[name] = pd.to_datetime(frame[name])
    return frame


# ---------------------------------------------------------------------------------------------
# The one-file download: a version's zip


@dataclass
class ZipResult:
    dataset: str
    version: str
    base: str
    target: Path  # <to>/<dataset>-<version>.zip
    bytes: int
    sha256: str
    fetched: bool  # False when it was already present and verified


def download_zip(base: str | Path | None = None, to: str | Path = ".", *,
                 version: str = "latest", timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, progress: bool | None = None,
                 console: Console | None = None) -> ZipResult:
    """Download one version's zip into <to>/, checked against catalog.json (bytes, sha256) and
    inside (its datapackage.json is the one the catalog records, and every resource file has
    the sha256 the descriptor records). Written atomically: a failed download leaves nothing."""
    from tipfigures.archive import zip_name, zip_problems

    location = open_location(base, timeout)
    if isinstance(location, LocalLocation):
        retries = 0
    try:
        location, catalog = read_catalog(location, retries)
        catalog_url = location.url(CATALOG)
        entry = choose_version(catalog, version, catalog_url)
        chosen = str(entry["version"])
        recorded = entry.get("zip")
        if not isinstance(recorded, dict):
            raise NotFound(catalog_url, f"version {chosen} has no zip (versions published "
                                        "before 2.0.0 have none); download its files instead")
        path = safe_relative_path(recorded.get("path"), catalog_url, f"version {chosen}: zip",
                                  location.host)
        name = zip_name(chosen, str(catalog.get("name") or DATASET_NAME))
        if path != f"{chosen}/{name}":
            raise UnsafePath(catalog_url, f"version {chosen}: zip path {path!r} is not "
                                          f"{chosen}/{name}; refused")
        size, sha256 = recorded.get("bytes"), str(recorded.get("sha256", "")).lower()
        if not isinstance(size, int) or isinstance(size, bool) or size < 0 \
                or not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise BadMetadata(catalog_url, f"version {chosen}: the zip's bytes or sha256 are "
                                           "missing; cannot verify it")
        target = Path(to) / name
        if _verified(target, size, sha256):
            return ZipResult(str(catalog.get("name") or DATASET_NAME), chosen, location.base,
                             target, size, sha256, fetched=False)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=target.parent)
            os.close(descriptor)
        except OSError as error:
            raise DownloadError(str(target.parent), f"cannot write here ({error.strerror})") \
                from None
        bar = _Progress(progress, console, size)
        try:
            try:
                _fetch_file(location, path, Path(temporary), size, sha256, retries, bar)
            finally:
                bar.close()
            inside = zip_problems(Path(temporary).read_bytes(), None, chosen,
                                  str(catalog.get("name") or DATASET_NAME))
            if inside:
                raise ChecksumMismatch(location.url(path), "; ".join(inside[:3]))
            _check_zip_descriptor(Path(temporary), chosen, entry, location.url(path))
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        location.close()
    return ZipResult(str(catalog.get("name") or DATASET_NAME), chosen, location.base, target,
                     size, sha256, fetched=True)


def _check_zip_descriptor(path: Path, version: str, entry: dict[str, Any], where: str) -> None:
    """The zip's datapackage.json is the one catalog.json records for the version."""
    import zipfile

    expected = entry.get("datapackage_sha256")
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.endswith(f"/{DATAPACKAGE}")
                 and n.count("/") == 1]
        if not names:
            raise BadMetadata(where, "the zip holds no datapackage.json")
        actual = hashlib.sha256(archive.read(names[0])).hexdigest()
    if expected and actual != str(expected).lower():
        raise ChecksumMismatch(where, f"the zip's datapackage.json has sha256 {actual}, "
                                      f"{CATALOG} says {expected} for version {version}")
