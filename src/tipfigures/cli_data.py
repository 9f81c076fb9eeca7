"""Commands for data users: `tipfigures download` (see tipfigures.download)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tipfigures import DATASET_NAME
from tipfigures.cli_common import app, err, fail, out


class DownloadFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    both = "both"


@app.command()
def download(
    version: Annotated[str, typer.Option(
        metavar="VERSION", help="The version to download: X.Y.Z, or latest.")] = "latest",
    from_: Annotated[Optional[str], typer.Option(  # noqa: UP045 (typer needs Optional)
        "--from", metavar="URL_OR_PATH",
        help="The published dataset: the folder holding catalog.json, as an http(s) URL or a "
             "local path (default: $TIPFIGURES_DATA_URL, else the checkout's output/).")] = None,
    to: Annotated[Path, typer.Option(
        metavar="DIR", help="Where to write: files go to DIR/<version>/.")] = Path(DATASET_NAME),
    format: Annotated[DownloadFormat, typer.Option(  # noqa: A002
        "--format", help="Which files of each resource.")] = DownloadFormat.both,
    resource: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--resource", metavar="NAME",
        help="A resource to download (figures, sources, observations...); repeatable; "
             "default: all.")] = None,
    timeout: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS",
        help="Seconds to wait for a connection or for data before giving up.")] = 30.0,
    retries: Annotated[int, typer.Option(
        min=0, metavar="N",
        help="Further attempts after a dropped connection, timeout or server error.")
    ] = 3,
    deadline: Annotated[float, typer.Option(
        min=0.01, metavar="SECONDS",
        help="Seconds for the whole download, retries included (a server that "
                       "sends a byte at a time is given up on).")] = 3600.0,
    progress: Annotated[Optional[bool], typer.Option(  # noqa: UP045
        "--progress/--no-progress",
        help="Show a progress bar (default: on a terminal, for downloads over a second).")
    ] = None,
    zip_: Annotated[bool, typer.Option(
        "--zip", help="Download the version as one zip file, DIR/<dataset>-<version>.zip, "
                      "checked against the sha256 in catalog.json.")] = False,
) -> None:
    """Download a published version, verify every file's bytes and sha256, write atomically.

    A failed or tampered download leaves nothing behind.

    Files already present and verified are not fetched again.
    """
    from tipfigures.download import DownloadError
    from tipfigures.download import download as download_version

    if zip_:
        _download_zip(version, from_, to, timeout, retries, progress, bool(resource))
        return
    formats = ("csv", "parquet") if format is DownloadFormat.both else (format.value,)
    try:
        result = download_version(from_, to, version=version, formats=formats,
                                  resources=resource or (), timeout=timeout, retries=retries,
                                  progress=progress, console=err, deadline=deadline)
    except DownloadError as error:
        raise fail(f"{error}; nothing was written", error.exit_code) from None
    for item in result.files:
        state = "[green]fetched[/]" if item.fetched else "[dim]present[/]"
        out.print(f"{state}  {item.path}  {item.bytes:,} bytes  sha256 {item.sha256[:12]}",
                  highlight=False)
    out.print(f"[bold green]{result.dataset} {result.version}[/] from {result.base} in "
              f"{result.folder}: {len(result.files)} file(s) verified ({result.fetched} fetched, "
              f"{len(result.files) - result.fetched} already present)", highlight=False,
              soft_wrap=True)


def _download_zip(version: str, from_: str | None, to: Path, timeout: float, retries: int,
                  progress: bool | None, resources_given: bool) -> None:
    from tipfigures.download import DownloadError, download_zip

    if resources_given:
        raise fail("--zip downloads the whole version; leave out --resource")
    try:
        result = download_zip(from_, to, version=version, timeout=timeout, retries=retries,
                              progress=progress, console=err)
    except DownloadError as error:
        raise fail(f"{error}; nothing was written", error.exit_code) from None
    state = "fetched" if result.fetched else "already present"
    out.print(f"[bold green]{result.dataset} {result.version}[/] from {result.base}: "
              f"{result.target} ({result.bytes:,} bytes, sha256 {result.sha256[:12]}, verified, "
              f"{state})", highlight=False, soft_wrap=True)
