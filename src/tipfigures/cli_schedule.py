"""Commands for maintainers: `tipfigures serve` and `tipfigures refresh` (see tipfigures.refresh
and docs/maintainers.md). Prefect is imported inside the commands, never at import time."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from tipfigures.cli_common import (
    CorrectionsOption,
    OutputOption,
    SourcesOption,
    app,
    err,
    fail,
    guard_children,
    out,
    print_result,
    quiet_prefect,
    validation_failed,
)

DEFAULT_CRON = "0 6 * * 1"  # Mondays at 06:00
DEFAULT_TIMEZONE = "UTC"
DEFAULT_API_URL = "http://127.0.0.1:4200/api"
DEPLOYMENT_NAME = "scheduled"
PUBLISH_RETRIED = ("publishing failed: new snapshots stay stored but unpublished; every "
                   "refresh tries to publish them again (and fails) until this is fixed")


# ---------------------------------------------------------------------------------------------
# refresh


@app.command("refresh")
def refresh_command(
    sources: SourcesOption = Path("sources"),
    output: OutputOption = Path("output"),
    publish: Annotated[bool, typer.Option(
        "--publish/--no-publish",
        help="Run the publish flow when a snapshot changed (a new version when figures "
             "changed).")] = True,
    timeout: Annotated[float, typer.Option(min=0.1, metavar="SECONDS",
                                           help="Seconds to wait for an answer.")] = 30.0,
    retries: Annotated[int, typer.Option(
        min=0, metavar="N",
        help="Retries of a transient failure (timeout, lost connection, HTTP 5xx or "
                    "429), after 2 s, 4 s, 8 s...")] = 3,
    corrections: CorrectionsOption = None,
) -> None:
    """Fetch sources that declare an origin; store changed texts; publish only then."""
    from tipfigures.prefect_server import ServerError
    from tipfigures.publish import PublishError
    from tipfigures.refresh import RefreshFailed, RefreshReport, probe_sources
    from tipfigures.sources import SourceError
    from tipfigures.validate import ValidationFailed

    started = time.perf_counter()
    from tipfigures.pipeline import locate_corrections
    from tipfigures.refresh import unpublished_snapshots

    failed = None
    try:
        locate_corrections(sources, corrections, output)  # before fetching anything
        # One fetch a source first: when none changed and every stored snapshot was
        # published, the flow's report without Prefect.
        probes = probe_sources(sources, timeout=timeout)
        outcomes = [result for _, result in probes]
        unchanged = all(getattr(result, "status", None) == "unchanged" for result in outcomes)
        if unchanged and not (publish and unpublished_snapshots(sources, output, outcomes)):
            report = RefreshReport(outcomes)
        else:
            report = _refresh_with_prefect(sources, output, publish, timeout, retries, probes,
                                           corrections)
    except RefreshFailed as error:
        failed, report = error, error.report
    except ValidationFailed as error:
        err.print(PUBLISH_RETRIED, highlight=False)
        raise validation_failed(error) from None
    except (SourceError, PublishError, ServerError) as error:
        raise fail(f"{error}; {PUBLISH_RETRIED}") from None
    if report is None:  # pragma: no cover (RefreshFailed always carries its report in-process)
        raise fail(str(failed))
    colours = {"updated": "green", "unchanged": "dim", "failed": "red"}
    for outcome in report.outcomes:
        out.print(f"[{colours[outcome.status]}]{outcome.status}[/] {outcome.source_id}: "
                  f"{outcome.message}", highlight=False, soft_wrap=True)
    if report.unpublished:
        out.print(f"{len(report.unpublished)} snapshot(s) stored earlier were never published "
                  f"({', '.join(report.unpublished)}): publishing them now", highlight=False,
                  soft_wrap=True)
    if not report.outcomes:
        out.print(f"no source in {sources} declares an origin; nothing to refresh",
                  highlight=False)
    elapsed = time.perf_counter() - started
    if report.published is not None:
        print_result(report.published, elapsed)
    elif (report.updated or report.unpublished) and not publish:
        out.print("new snapshots stored; not published (--no-publish): run `tipfigures run` "
                  "to publish them", highlight=False)
    else:
        out.print(f"{report.summary()}; nothing to publish [{elapsed:.1f} s]", highlight=False)
    if failed is not None:
        raise fail(f"{len(report.failed)} source(s) could not be refreshed; their last good "
                   "snapshots are kept")


def _refresh_with_prefect(sources: Path, output: Path, publish: bool, timeout: float,
                          retries: int, probes: list, corrections: Path | None):
    """The refresh flow (retries with backoff, publish when a snapshot changed); the probes'
    fetches are its first attempts."""
    from tipfigures.prefect_server import temporary_server

    quiet_prefect()  # outcomes are printed by the command
    guard_children()  # Prefect's temporary server dies with this process, even killed
    with temporary_server() as server:
        from tipfigures.flows import foreground, hand_over_probes, refresh_flow

        hand_over_probes(probes)
        server.wait_ready()
        with foreground():
            return refresh_flow(sources_dir=str(sources), output_dir=str(output),
                                publish=publish, timeout=timeout, retries=retries,
                                corrections_dir=str(corrections) if corrections else None)


# ---------------------------------------------------------------------------------------------
# serve


def check_schedule(cron: str, timezone: str) -> None:
    """Raise typer.Exit with a clear message for an unknown time zone or a bad cron string."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"--timezone {timezone!r}: not an IANA time zone (e.g. UTC, Europe/Paris, "
                   "America/New_York)") from None
    fields = cron.split()
    if len(fields) != 5:
        raise fail(f"--cron {cron!r}: a cron string has 5 fields (minute hour day-of-month "
                   "month day-of-week), e.g. '0 6 * * 1' for Mondays at 06:00")


def check_server(api_url: str) -> None:
    import httpx

    try:
        response = httpx.get(f"{api_url.rstrip('/')}/health", timeout=5.0)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise fail(f"no Prefect server answers at {api_url} ({type(error).__name__}); start one "
                   "first: `PREFECT_SERVER_ANALYTICS_ENABLED=false prefect server start "
                   "--host 127.0.0.1 --port 4200` (docs/maintainers.md), or give its address "
                   "with --api-url") from None


@app.command()
def serve(
    sources: SourcesOption = Path("sources"),
    output: OutputOption = Path("output"),
    cron: Annotated[str, typer.Option(
        metavar="CRON",
        help="When `refresh` runs (cron: minute hour day month weekday).")] = DEFAULT_CRON,
    timezone: Annotated[str, typer.Option(
        metavar="ZONE",
        help="IANA time zone of the cron schedules (e.g. Europe/Paris).")] = DEFAULT_TIMEZONE,
    publish_cron: Annotated[Optional[str], typer.Option(  # noqa: UP045 (typer needs Optional)
        metavar="CRON",
        help="When `publish` runs on its own (default: only on demand, from the UI or "
             "`prefect deployment run publish/scheduled`).")] = None,
    name: Annotated[str, typer.Option(metavar="NAME", help="Name of both deployments.")
                    ] = DEPLOYMENT_NAME,
    api_url: Annotated[Optional[str], typer.Option(  # noqa: UP045
        envvar="PREFECT_API_URL", metavar="URL",
        help=f"The Prefect server's API (default {DEFAULT_API_URL}).")] = None,
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="Flow runs at a time.")] = 1,
) -> None:
    """Serve the refresh (weekly) and publish deployments to a Prefect server until Ctrl-C.

    Runs scheduled or triggered on the server (UI, API, `prefect deployment run`) execute in
    this process. The schedules stay active on the server when serving stops.
    """
    api_url = (api_url or DEFAULT_API_URL).rstrip("/")
    check_schedule(cron, timezone)
    if publish_cron:
        check_schedule(publish_cron, timezone)
    check_server(api_url)
    os.environ["PREFECT_API_URL"] = api_url  # before Prefect is imported, for every flow run
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")

    from prefect import serve as serve_deployments
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from tipfigures.flows import publish_flow, refresh_flow

    parameters = {"sources_dir": str(sources.resolve()), "output_dir": str(output.resolve())}
    common = {"parameters": parameters, "tags": ["tipfigures"],
              "entrypoint_type": EntrypointType.MODULE_PATH}
    try:
        deployments = [
            refresh_flow.to_deployment(
                name, schedules=[Cron(cron, timezone=timezone)],
                description="Fetch sources with an origin; publish when a text changed.",
                **common),
            publish_flow.to_deployment(
                name, schedules=[Cron(publish_cron, timezone=timezone)] if publish_cron else [],
                description="Extract, validate and publish a new version if the data changed.",
                **common),
        ]
    except ValueError as error:  # pydantic rejects a cron string it cannot parse
        raise fail(f"--cron: {error}") from None
    ui = api_url.removesuffix("/api")
    out.print(f"serving refresh/{name} ({cron}, {timezone}) and publish/{name} "
              f"({publish_cron + ', ' + timezone if publish_cron else 'on demand'}) against "
              f"{api_url}; runs are in the UI at {ui}; Ctrl-C stops serving (the schedules "
              "stay active)", highlight=False, soft_wrap=True)
    serve_deployments(*deployments, pause_on_shutdown=False, limit=limit)
