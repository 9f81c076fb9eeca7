"""Refreshing sources: fetch a source's text from where it comes from, store a new snapshot
only when the text changed.

A source.yaml may say where its text comes from:

    origin:                                   # Wikipedia and other MediaWiki sites
      kind: mediawiki
      api: https://en.wikipedia.org/w/api.php
      title: Human trafficking in Russia

    origin:                                   # any publisher with a plain-text address
      kind: url
      url: https://example.org/report.txt

For MediaWiki the text is the page's plain-text extract (TextExtracts, explaintext) under a
"= Title =" line, and the snapshot records the revision id. Unchanged text (same sha256 as
the snapshot) writes nothing. A failed fetch raises a RefreshError whose message names the
source, the address and the problem; `transient` says whether trying again may help (the
Prefect flow retries those with backoff). A snapshot is only ever replaced by a good text
(tipfigures.sources.record_snapshot writes the pair loss-free).

These are plain functions: the `refresh` flow in tipfigures.flows wires them into tasks.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tipfigures import __version__
from tipfigures.sources import (
    BIDI_CONTROLS,
    METADATA_FILE,
    ORIGIN_KINDS,
    TEXT_FILE,
    SourceError,
    finish_interrupted_snapshot,
    read_metadata,
    record_snapshot,
    sha256_of,
    source_folders,
    text_problem,
)

DEFAULT_TIMEOUT = 30.0  # seconds to wait for an answer (connecting: at most 10 s)
USER_AGENT = (f"tipfigures/{__version__} (refreshes report snapshots for an open dataset; "
              f"https://www.mediawiki.org/wiki/API:Etiquette) httpx/{httpx.__version__}")
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
TRANSIENT_API_ERRORS = frozenset({"maxlag", "ratelimited", "readonly", "internal_api_error"})


# ---------------------------------------------------------------------------------------------
# Errors


class RefreshError(Exception):
    """A source could not be refreshed; its snapshot is unchanged. `transient`: a later try
    may succeed (timeouts, lost connections, HTTP 5xx and 429)."""

    transient = False


class OriginError(RefreshError):
    """source.yaml's `origin` is missing a field or has an unknown kind."""


class FetchTimeout(RefreshError):
    transient = True


class ConnectionFailed(RefreshError):
    transient = True


class HTTPStatusError(RefreshError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message, status)
        self.status = status

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def transient(self) -> bool:  # type: ignore[override]
        return self.status in TRANSIENT_STATUSES


class MalformedResponse(RefreshError):
    """The answer is not what the API promises (not JSON, fields missing)."""


class APIError(RefreshError):
    """The MediaWiki API answered with an error object."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)
        self.code = code

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def transient(self) -> bool:  # type: ignore[override]
        return self.code in TRANSIENT_API_ERRORS


class MissingPage(RefreshError):
    """No page has the title (deleted, renamed without a redirect, or a typo in origin.title)."""


class EmptyText(RefreshError):
    """The answer holds no text: nothing to make a snapshot from."""


class RefreshFailed(RuntimeError):
    """Some sources could not be refreshed (the others were); carries the whole report."""

    def __init__(self, message: str, report: RefreshReport | None = None) -> None:
        super().__init__(message, report)
        self.report = report

    def __str__(self) -> str:
        return str(self.args[0])

    def __repr__(self) -> str:
        return f"RefreshFailed({self.args[0]!r})"


# ---------------------------------------------------------------------------------------------
# Origins and fetched texts


@dataclass(frozen=True)
class Origin:
    kind: str
    api: str | None = None
    title: str | None = None
    url: str | None = None

    def describe(self) -> str:
        if self.kind == "mediawiki":
            return f"{self.api} (page {self.title!r})"
        return str(self.url)


@dataclass(frozen=True)
class Fetched:
    """What an origin gave: the snapshot's text (None when the server said 'not modified')."""

    text: str | None
    address: str
    revision: int | None = None
    etag: str | None = None
    last_modified: str | None = None


def _is_http(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def parse_origin(value: Any, where: str) -> Origin:
    """An Origin from source.yaml's `origin` mapping; OriginError says what is wrong."""
    if not isinstance(value, dict):
        raise OriginError(f"{where}: field 'origin' must be a mapping with a 'kind' "
                          f"({' or '.join(ORIGIN_KINDS)}), got {value!r}")
    kind = value.get("kind")
    if kind == "mediawiki":
        api, title = value.get("api"), value.get("title")
        if not _is_http(api):
            raise OriginError(f"{where}: origin.api must be the http(s) address of a MediaWiki "
                              f"api.php (e.g. https://en.wikipedia.org/w/api.php), got {api!r}")
        if not isinstance(title, str) or not title.strip():
            raise OriginError(f"{where}: origin.title must be the page's title, got {title!r}")
        return Origin("mediawiki", api=api, title=title.strip())
    if kind == "url":
        url = value.get("url")
        if not _is_http(url):
            raise OriginError(f"{where}: origin.url must be an http(s) address, got {url!r}")
        return Origin("url", url=url)
    raise OriginError(f"{where}: origin.kind must be one of {', '.join(ORIGIN_KINDS)}, "
                      f"got {kind!r}")


def read_origin(folder: Path) -> Origin | None:
    """The origin a source folder declares, or None when its text cannot be refreshed."""
    metadata = read_metadata(folder)
    if metadata.get("origin") in (None, ""):
        return None
    return parse_origin(metadata["origin"], str(folder / METADATA_FILE))


def refreshable_folders(sources_dir: Path | str) -> list[Path]:
    """Source folders whose source.yaml declares an origin, sorted by name."""
    return [folder for folder in source_folders(sources_dir)
            if read_metadata(folder).get("origin") not in (None, "")]


# ---------------------------------------------------------------------------------------------
# Fetching


def http_timeout(timeout: float) -> httpx.Timeout:
    return httpx.Timeout(timeout, connect=min(timeout, 10.0))


def _get(client: httpx.Client, url: str, *, params: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None, what: str) -> httpx.Response:
    """GET with the errors turned into RefreshErrors that say what was asked and what failed."""
    try:
        response = client.get(url, params=params, headers=headers)
    except httpx.TimeoutException as error:
        limit = client.timeout.read
        raise FetchTimeout(f"{what}: no answer within {limit:g} s "
                           f"({type(error).__name__})") from error
    except httpx.TransportError as error:
        raise ConnectionFailed(f"{what}: could not connect or the connection broke "
                               f"({type(error).__name__}: {error})") from error
    if response.status_code == 304:
        return response
    if response.status_code >= 400:
        snippet = " ".join(response.text[:120].split())
        raise HTTPStatusError(f"{what}: HTTP {response.status_code} "
                              f"{response.reason_phrase}" + (f": {snippet}" if snippet else ""),
                              response.status_code)
    return response


def _client(timeout: float, client: httpx.Client | None) -> httpx.Client:
    return client or httpx.Client(timeout=http_timeout(timeout), follow_redirects=True,
                                  headers={"User-Agent": USER_AGENT})


def mediawiki_params(title: str) -> dict[str, str]:
    """The MediaWiki API query for a page's current revision id and plain-text extract."""
    return {"action": "query", "prop": "revisions|extracts", "explaintext": "1",
            "titles": title, "rvprop": "ids", "redirects": "1", "format": "json",
            "formatversion": "2"}


def normalise_fetched(text: str, what: str) -> str:
    """A fetched text as a snapshot may hold it (docs/data.md, "Texts"): LF line endings, no
    BOM, no bidirectional controls (invisible; they can show '73' as '37'). Other control
    characters (NUL...) are refused: the answer is not a plain text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = "".join(char for char in text if char not in BIDI_CONTROLS)
    problem = text_problem(text)
    if problem:
        raise MalformedResponse(f"{what}: the text at line {problem}")
    return text


def mediawiki_text(title: str, extract: str, what: str = "MediaWiki") -> str:
    """The snapshot text of a page: a '= Title =' line, a blank line, the extract, a newline
    (sections stay as the '== Section ==' lines TextExtracts writes)."""
    body = normalise_fetched(extract, what).strip()
    return f"= {normalise_fetched(title, what)} =\n\n{body}\n"


def fetch_mediawiki(origin: Origin, *, timeout: float = DEFAULT_TIMEOUT,
                    client: httpx.Client | None = None) -> Fetched:
    """The current revision id and text of the origin's page, from the MediaWiki API."""
    assert origin.api and origin.title
    what = f"MediaWiki API {origin.api} (page {origin.title!r})"
    with _client(timeout, client) as http:
        response = _get(http, origin.api, params=mediawiki_params(origin.title), what=what)
    try:
        data = json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        snippet = " ".join(response.text[:80].split())
        raise MalformedResponse(f"{what}: the answer is not JSON ({error}); it begins "
                                f"{snippet!r}") from error
    if not isinstance(data, dict):
        raise MalformedResponse(f"{what}: expected a JSON object, got {type(data).__name__}")
    if isinstance(data.get("error"), dict):
        code = str(data["error"].get("code", "unknown"))
        info = data["error"].get("info", "")
        raise APIError(f"{what}: API error {code}: {info}", code)
    pages = (data.get("query") or {}).get("pages") if isinstance(data.get("query"), dict) \
        else None
    if not isinstance(pages, list) or not pages or not isinstance(pages[0], dict):
        raise MalformedResponse(f"{what}: the answer has no query.pages list "
                                "(is this a MediaWiki api.php with formatversion=2?)")
    page = pages[0]
    if page.get("missing") or page.get("invalid"):
        reason = page.get("invalidreason") or "no page has this title"
        raise MissingPage(f"{what}: page not found ({reason}); check origin.title")
    revisions = page.get("revisions")
    revision = revisions[0].get("revid") if isinstance(revisions, list) and revisions \
        and isinstance(revisions[0], dict) else None
    if not isinstance(revision, int) or isinstance(revision, bool):
        raise MalformedResponse(f"{what}: the answer has no revision id "
                                "(query.pages[0].revisions[0].revid)")
    extract = page.get("extract")
    if extract is not None and not isinstance(extract, str):
        raise MalformedResponse(f"{what}: the extract is a {type(extract).__name__}, "
                                "not text")
    if not extract or not extract.strip():
        raise EmptyText(f"{what}: revision {revision} came with an empty extract; "
                        "nothing to make a snapshot from")
    title = page.get("title") or origin.title
    return Fetched(mediawiki_text(title, extract, what), str(response.url), revision=revision)


def fetch_url(origin: Origin, *, timeout: float = DEFAULT_TIMEOUT, etag: str | None = None,
              client: httpx.Client | None = None) -> Fetched:
    """The text at the origin's address; with the snapshot's ETag, 'not modified' comes back
    as Fetched(text=None)."""
    assert origin.url
    what = f"{origin.url}"
    headers = {"If-None-Match": etag} if etag else None
    with _client(timeout, client) as http:
        response = _get(http, origin.url, headers=headers, what=what)
    if response.status_code == 304:
        return Fetched(None, str(response.url), etag=etag)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and not (media_type.startswith("text/") and media_type != "text/html"):
        raise MalformedResponse(f"{what}: answered with {media_type}; a url origin must give "
                                "plain text (text/plain or text/markdown)")
    try:
        text = response.content.decode(response.charset_encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as error:
        raise MalformedResponse(f"{what}: the text is not in its declared encoding "
                                f"({response.charset_encoding or 'utf-8'}): {error}") from error
    text = normalise_fetched(text, what)
    if not text.strip():
        raise EmptyText(f"{what}: the answer is empty; nothing to make a snapshot from")
    if not text.endswith("\n"):
        text += "\n"
    return Fetched(text, str(response.url), etag=response.headers.get("etag"),
                   last_modified=response.headers.get("last-modified"))


def fetch(origin: Origin, metadata: dict[str, Any], *,
          timeout: float = DEFAULT_TIMEOUT) -> Fetched:
    if origin.kind == "mediawiki":
        return fetch_mediawiki(origin, timeout=timeout)
    return fetch_url(origin, timeout=timeout, etag=metadata.get("etag"))


# ---------------------------------------------------------------------------------------------
# Refreshing a source


@dataclass(frozen=True)
class Outcome:
    """What refreshing one source did: "updated", "unchanged" or "failed"."""

    source_id: str
    status: str
    message: str
    revision: int | str | None = None
    sha256: str | None = None
    previous_sha256: str | None = None
    transient: bool = False

    def __str__(self) -> str:
        return f"{self.status} {self.source_id}: {self.message}"


@dataclass
class RefreshReport:
    outcomes: list[Outcome] = field(default_factory=list)
    published: Any = None  # the PublishResult when a publish ran
    unpublished: list[str] = field(default_factory=list)  # snapshots stored, never published

    def with_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def updated(self) -> list[Outcome]:
        return self.with_status("updated")

    @property
    def unchanged(self) -> list[Outcome]:
        return self.with_status("unchanged")

    @property
    def failed(self) -> list[Outcome]:
        return self.with_status("failed")

    def summary(self) -> str:
        counts = [f"{len(self.with_status(s))} {s}" for s in ("updated", "unchanged", "failed")]
        return f"{len(self.outcomes)} source(s) with an origin: {', '.join(counts)}"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _short(digest: str | None) -> str:
    return digest[:12] if digest else "none"


def refresh_source(folder: Path | str, *, timeout: float = DEFAULT_TIMEOUT,
                   retrieved: str | None = None, store: bool = True) -> Outcome:
    """Fetch a source's text from its origin; store a new snapshot only when the text changed.

    Raises a RefreshError when the fetch fails (the snapshot is left as it was). With
    store=False no snapshot is stored: the outcome says what a refresh would do.
    """
    folder = Path(folder)
    finish_interrupted_snapshot(folder)
    metadata = read_metadata(folder)
    if metadata.get("origin") in (None, ""):
        raise OriginError(f"{folder / METADATA_FILE}: no 'origin'; nothing to refresh from")
    origin = parse_origin(metadata["origin"], str(folder / METADATA_FILE))
    source_id = folder.name
    fetched = fetch(origin, metadata, timeout=timeout)
    previous = metadata.get("sha256")
    if fetched.text is None:
        return Outcome(source_id, "unchanged", f"{fetched.address} not modified since the "
                       f"snapshot (ETag {fetched.etag})", sha256=previous,
                       previous_sha256=previous)
    data = fetched.text.encode("utf-8")
    digest = sha256_of(data)
    stored = folder / TEXT_FILE
    intact = stored.is_file() and sha256_of(stored.read_bytes()) == previous
    revision_note = (f"revision {metadata.get('revision')} -> {fetched.revision}"
                     if origin.kind == "mediawiki" else fetched.address)
    if digest == previous and intact:
        same = ("same revision" if fetched.revision is not None
                and str(fetched.revision) == str(metadata.get("revision")) else revision_note)
        return Outcome(source_id, "unchanged", f"same text ({same}; sha256 {_short(digest)})",
                       revision=fetched.revision, sha256=digest, previous_sha256=previous)
    fields: dict[str, Any] = {"retrieved": retrieved or now_utc()}
    if origin.kind == "mediawiki":
        fields["revision"] = fetched.revision
    else:
        fields.update({key: value for key, value in (("etag", fetched.etag),
                                                     ("last_modified", fetched.last_modified))
                       if value})
    if store:
        record_snapshot(folder, fetched.text, **fields)
    return Outcome(source_id, "updated",
                   f"new snapshot ({revision_note}; sha256 {_short(previous)} -> "
                   f"{_short(digest)}; {len(fetched.text)} characters)",
                   revision=fetched.revision, sha256=digest, previous_sha256=previous)


def failed(folder: Path | str, error: BaseException, attempts: int = 1) -> Outcome:
    """The outcome of a source whose refresh raised `error` after `attempts` tries."""
    folder = Path(folder)
    try:
        kept = read_metadata(folder)
        snapshot = (f"the last good snapshot is kept (sha256 {_short(kept.get('sha256'))}"
                    + (f", revision {kept['revision']}" if kept.get("revision") else "") + ")")
    except SourceError:
        snapshot = "no snapshot was written"
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return Outcome(folder.name, "failed", f"{error}{tries}; {snapshot}",
                   transient=bool(getattr(error, "transient", False)))


def refresh_sources(sources_dir: Path | str, *, timeout: float = DEFAULT_TIMEOUT
                    ) -> RefreshReport:
    """Refresh every source with an origin, once each (no retries; the flow adds them)."""
    report = RefreshReport()
    for folder in refreshable_folders(sources_dir):
        try:
            report.outcomes.append(refresh_source(folder, timeout=timeout))
        except RefreshError as error:
            report.outcomes.append(failed(folder, error))
    return report


def probe_sources(sources_dir: Path | str, *, timeout: float = DEFAULT_TIMEOUT
                  ) -> list[tuple[Path, Outcome | RefreshError]]:
    """One fetch a source, storing nothing, until a source changed or failed (its outcome or
    error is the last item). `tipfigures refresh` asks this before starting Prefect: when every
    source is unchanged, a refresh has nothing to do; otherwise the refresh flow counts these
    fetches as its first attempts (tipfigures.flows.hand_over_probes)."""
    probes: list[tuple[Path, Outcome | RefreshError]] = []
    for folder in refreshable_folders(sources_dir):
        try:
            outcome = refresh_source(folder, timeout=timeout, store=False)
        except RefreshError as error:
            probes.append((folder, error))
            break
        probes.append((folder, outcome))
        if outcome.status != "unchanged":
            break  # fetched again by the flow, which stores it
    return probes


def unpublished_snapshots(sources_dir: Path | str, output_dir: Path | str,
                          outcomes: list[Outcome]) -> list[str]:
    """Sources with an origin whose current snapshot the latest published version was not made
    from: an earlier refresh stored it, then its publish failed (or was skipped). A snapshot
    counts as published only when a release is made from it, so these are published again.

    Empty when nothing is published yet (a first release is `tipfigures run`'s to make).
    """
    from tipfigures.package import read_descriptor
    from tipfigures.publish import Store

    store = Store(Path(output_dir))
    latest = store.latest()
    if latest is None:
        return []
    try:
        recorded = read_descriptor(store.version_folder(latest)).get("tipfigures", {}) \
            .get("sources", {})
    except (OSError, ValueError):
        return []  # an unreadable store: the publish reports it
    failed_ids = {o.source_id for o in outcomes if o.status == "failed"}
    return [folder.name for folder in refreshable_folders(sources_dir)
            if folder.name not in failed_ids
            and recorded.get(folder.name) != read_metadata(folder).get("sha256")]


def failure_message(report: RefreshReport) -> str:
    lines = [f"refresh failed for {len(report.failed)} of {len(report.outcomes)} source(s):"]
    lines += [f"  {outcome.source_id}: {outcome.message}" for outcome in report.failed]
    return "\n".join(lines)
