"""The `tipfigures` command line. Commands and options here are a contract: see README.md."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tipfigures import DATASET_NAME, __version__
from tipfigures.cli_common import (
    CorrectionsOption,
    OutputOption,
    SourcesOption,
    app,
    err,
    fail,
    guard_children,
    out,
    print_changes,
    print_result,
    quiet_prefect,
    validation_failed,
)

EXTRACT_COLUMNS = ["start", "end", "text", "value", "value_max", "unit", "entity", "qualifier",
                   "indicator", "period", "section", "legal_reference", "sentence"]


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Runner(StrEnum):
    thread = "thread"
    dask = "dask"


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"tipfigures {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[Optional[bool], typer.Option(  # noqa: UP045 (typer needs Optional)
        "--version", callback=_version_callback, is_eager=True,
        help="Print the version and exit.")] = None,
) -> None:
    """Figures about human trafficking, from report text to versioned open data."""


# ---------------------------------------------------------------------------------------------
# run


@app.command()
def run(
    sources: SourcesOption = Path("sources"),
    output: OutputOption = Path("output"),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the version decision and the diff; write nothing.")] = False,
    runner: Annotated[Runner, typer.Option(help="Where extraction tasks run.")] = Runner.thread,
    dask_address: Annotated[Optional[str], typer.Option(  # noqa: UP045
        metavar="ADDRESS", help="Scheduler of an existing Dask cluster (tcp://HOST:8786); "
             "without it --runner dask starts a local cluster.")] = None,
    batch_size: Annotated[Optional[int], typer.Option(  # noqa: UP045
        min=1, metavar="N",
        help="Sources per extraction task (default: 4 to 32 tasks, by the corpus's "
             "size).")] = None,
    corrections: CorrectionsOption = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", help="Show Prefect's and Dask's own logs.")] = False,
    note: Annotated[Optional[str], typer.Option(  # noqa: UP045
        metavar="TEXT", help="A sentence or two for people, first in the changelog entry of the "
                             "version this run publishes (say what a major release changes for "
                             "users).")] = None,
) -> None:
    """Run the Prefect flow `publish`: extract, validate and publish a new version if changed."""
    from tipfigures.prefect_server import ServerError
    from tipfigures.sources import SourceError
    from tipfigures.store import PublishError
    from tipfigures.tables import SchemaError
    from tipfigures.validate import ValidationFailed

    started = time.perf_counter()
    try:
        check = _check_inputs(sources, output, corrections)
        if check.result is not None:  # up to date: Prefect is not even imported
            print_result(_as_dry_run(check.result) if dry_run else check.result,
                         time.perf_counter() - started)
            return
        if not verbose:
            quiet_prefect()  # errors are reported below
        guard_children()  # Prefect's temporary server dies with this process, even killed
        # Prefect's server boots, and a large corpus's worker processes start, while the
        # sources load
        with temporary_server() as server, _run_workers(sources, runner):
            loaded = _preflight(sources, output, corrections)
            result = _run_flow(sources, output, dry_run, runner, dask_address, batch_size,
                               corrections, verbose, check, loaded, server, note)
    except ValidationFailed as error:
        raise validation_failed(error) from None
    except (SourceError, SchemaError, PublishError, ServerError) as error:
        raise fail(f"{error}; nothing was published") from None
    elapsed = time.perf_counter() - started
    print_result(result, elapsed)


def _as_dry_run(up_to_date):
    """What a dry run reports when the inputs are those of the last run: nothing to publish."""
    from tipfigures.changes import Changes, PublishResult

    return PublishResult("dry-run", up_to_date.dataset, None, None,
                         Changes(up_to_date.version, {}), up_to_date.rows)


def temporary_server():
    """Prefect's temporary server, started now (tipfigures.prefect_server), unless
    PREFECT_API_URL names a server to use."""
    from tipfigures.prefect_server import temporary_server as start

    return start()


def _check_inputs(sources: Path, output: Path, corrections: Path | None):
    """The publish flow's up-to-date rule (tipfigures.fingerprint), before Prefect starts."""
    from tipfigures.corrections_folder import locate_corrections
    from tipfigures.fingerprint import check_inputs

    return check_inputs(sources, output, locate_corrections(sources, corrections, output))


def _preflight(sources: Path, output: Path, corrections: Path | None = None):
    """Check inputs before the flow starts: bad input fails fast and publishes nothing. The
    loaded sources are handed to the flow (not read twice)."""
    from tipfigures.curate import load_corrections
    from tipfigures.pipeline import check_schemas, locate_corrections
    from tipfigures.publish import check_writable
    from tipfigures.sources import load_sources
    from tipfigures.validate import ValidationFailed

    check_schemas()
    folder = locate_corrections(sources, corrections, output)
    loaded = load_sources(sources)
    if folder is not None:
        problems = load_corrections(folder)[1]  # the form of every entry; the flow checks more
        if problems:
            raise ValidationFailed(problems)
    check_writable(output)
    return loaded


def quiet_dask() -> None:
    """Dask's scheduler and workers log dozens of INFO/WARNING lines a run (a worker 'killed
    by signal 9' as the cluster closes): errors only, unless --verbose."""
    import logging

    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    for name in ("distributed", "distributed.nanny", "distributed.scheduler",
                 "distributed.worker", "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _run_workers(sources: Path, runner: Runner):
    """The run's worker processes (tipfigures.parallel.run_workers) for a large corpus, started
    before the sources load: they load them, extract and validate (a Dask runner: none)."""
    from contextlib import nullcontext

    from tipfigures.parallel import processes_for_chars, run_workers, text_size

    if runner is Runner.dask:
        return nullcontext()
    return run_workers(processes_for_chars(text_size(sources)))


def _run_flow(sources: Path, output: Path, dry_run: bool, runner: Runner,
              dask_address: str | None, batch_size: int | None, corrections: Path | None,
              verbose: bool = False, check=None, loaded=None, server=None,
              note: str | None = None):
    from tipfigures.batching import batches
    from tipfigures.parallel import prefetch
    from tipfigures.settings import results_cached

    if runner is not Runner.dask and loaded is not None and not results_cached():
        # an empty extraction cache: the run's workers (if any) extract the flow's batches
        # now, while Prefect is imported; the flow's tasks take their results
        prefetch(batches(loaded, batch_size))

    from tipfigures.flows import Prepared, foreground, hand_over, publish_flow

    flow = publish_flow
    processes = None
    if runner is Runner.dask:
        if not verbose:
            quiet_dask()
        from prefect_dask import DaskTaskRunner

        options = ({"address": dask_address} if dask_address else
                   {"cluster_kwargs": {"n_workers": 2, "threads_per_worker": 1,
                                       "dashboard_address": ":0"}})
        flow = publish_flow.with_options(task_runner=DaskTaskRunner(**options))
        processes = 0  # the cluster's workers extract
    if check is not None and loaded is not None:
        hand_over(sources, output, Prepared(check, loaded))
    if server is not None:
        server.wait_ready()
    with foreground():
        return flow(sources_dir=str(sources), output_dir=str(output), dry_run=dry_run,
                    batch_size=batch_size, extract_processes=processes,
                    corrections_dir=str(corrections) if corrections else None, note=note)


# ---------------------------------------------------------------------------------------------
# extract


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A text file, or a source folder "
                                              "(text.txt + source.yaml).")],
    format: Annotated[OutputFormat, typer.Option(  # noqa: A002
        "--format", help="jsonl: one JSON object a line; csv: a header and a row a figure.")
    ] = OutputFormat.jsonl,
    reporting_period: Annotated[Optional[int], typer.Option(  # noqa: UP045
        metavar="YEAR",
        help="The year 'during the year' means (a source folder's source.yaml gives it).")
    ] = None,
) -> None:
    """Print the figures found in a text, each with its start and end offsets into the text."""
    from tipfigures.extract import extract as extract_figures
    from tipfigures.sources import SourceError, load_source, source_from_text_file

    if not path.exists():
        raise fail(f"{path}: no such file or folder")
    try:
        source = load_source(path) if path.is_dir() else source_from_text_file(path)
    except SourceError as error:
        raise fail(str(error)) from None
    period = reporting_period or source.reporting_period
    extraction = extract_figures(source.text, reporting_period=period,
                                 country_code=source.metadata.get("country_code"))
    rows = [{name: getattr(figure, name) for name in EXTRACT_COLUMNS}
            for figure in extraction.figures]
    if format is OutputFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(sys.stdout, EXTRACT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------------
# evaluate


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Option(metavar="FILE_OR_DIR",
                                             help="A gold JSONL file or a folder of them "
                                                   "(docs/gold-format.md); repeatable.")],
    path: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        metavar="[PATH]",
        help="The text or source folder the gold annotates (default: <gold>.txt beside the gold "
             "file, else sources/<gold file name>).")
    ] = None,
    sources: Annotated[Path, typer.Option(metavar="DIR", help="Where to find sources by id.")
                       ] = Path("sources"),
    show_errors: Annotated[bool, typer.Option("--show-errors",
                                              help="List misses, false figures and "
                                                   "wrong fields.")] = False,
) -> None:
    """Score the extractor against hand-made gold: precision, recall, F1, field accuracy."""
    from tipfigures.evaluate import GoldError, Score, evaluate_text, gold_files
    from tipfigures.sources import SourceError, load_source, source_from_text_file

    for given in gold:
        if not given.exists():
            raise fail(f"--gold {given}: no such file or folder")
    files = gold_files(gold)
    if not files:
        raise fail(f"--gold {', '.join(map(str, gold))}: no gold files (*.jsonl) found")
    if path is not None and not path.exists():
        raise fail(f"{path}: no such file or folder")
    if path is not None and len(files) > 1:
        raise fail("give one gold file with a PATH, or no PATH to find each text in --sources")
    table = Table("text", "gold", "found", "precision", "recall", "F1", "lenient F1", "unit",
                  "qualifier", "period", "indicator", "role", "panel P", "panel R", "panel F1",
                  title="Figures and panel observations against gold")
    total = Score()
    for file in files:
        beside = file.with_suffix(".txt")  # a text kept next to its gold (tests/gold/synthetic)
        target = path or (beside if beside.exists() else sources / file.stem)
        try:
            source = load_source(target) if target.is_dir() else source_from_text_file(target)
            result = evaluate_text(file, source)
        except (SourceError, GoldError) as error:
            raise fail(str(error)) from None
        total.add(result)
        table.add_row(file.stem, *_score_cells(result))
        if show_errors:
            _print_errors(file.stem, source.text, result)
    if len(files) > 1:
        table.add_row("[bold]all[/]", *_score_cells(total))
    out.print(table)


def _score_cells(result) -> list[str]:
    return [str(result.gold), str(result.predicted), f"{result.precision:.3f}",
            f"{result.recall:.3f}", f"{result.f1:.3f}", f"{result.lenient_f1:.3f}",
            *(f"{result.accuracy(name):.3f}" for name in
              ("unit", "qualifier", "period", "indicator", "role")),
            *((f"{result.observation_precision:.3f}", f"{result.observation_recall:.3f}",
               f"{result.observation_f1:.3f}") if result.observations_gold or
              result.observations_predicted else ("", "", ""))]


def _observation(row: dict) -> str:
    return (f"{row['country_code']} {row['year']} {row['indicator']} {row['breakdown']} = "
            f"{row['value']:g} {row['unit']}")


def _print_errors(name: str, text: str, result) -> None:
    def context(start: int, end: int) -> str:
        return text[max(0, start - 50):end + 40].replace("\n", " ")

    for row in result.missed:
        out.print(f"{name}: missed {row['text']!r} = {row['value']}: "
                  f"…{context(row['start'], row['end'])}…", highlight=False, soft_wrap=True)
    for figure in result.spurious:
        out.print(f"{name}: not in gold {figure.text!r} = {figure.value}: "
                  f"…{context(figure.start, figure.end)}…", highlight=False, soft_wrap=True)
    for row in result.observations_missed:
        out.print(f"{name}: panel misses {_observation(row)}", highlight=False, soft_wrap=True)
    for row in result.observations_spurious:
        out.print(f"{name}: panel has {_observation(row)}, not in gold", highlight=False,
                  soft_wrap=True)
    for field, row, figure in result.mismatched:
        out.print(f"{name}: {field} of {row['text']!r} is {getattr(figure, field)!r}, gold says "
                  f"{row.get(field)!r}", highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------------------------
# validate


@app.command()
def validate(
    path: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        metavar="[PATH]",
        help="A data package (datapackage.json or its folder), a source folder, or nothing for "
             "the whole repository.")] = None,
    format: Annotated[ReportFormat, typer.Option(  # noqa: A002
        "--format", help="text for people, json for machines.")] = ReportFormat.text,
    corrections: CorrectionsOption = None,
) -> None:
    """Check sources, schemas, corrections and published versions; exit 1 on any error."""
    from tipfigures.repository import check_path, check_repository
    from tipfigures.settings import project_root

    if corrections is not None and not corrections.is_dir():
        raise fail(f"--corrections {corrections}: no such folder")
    if path is None:
        problems, checked = check_repository(project_root(), corrections)
    else:
        if not path.exists():
            raise fail(f"{path}: no such file or folder")
        problems, checked = check_path(path, corrections)
    errors = [p for p in problems if p.severity == "error"]
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps({"valid": not errors, "checked": checked,
                                     "problems": [p.to_dict() for p in problems]}, indent=2) + "\n")
    else:
        for problem in problems:
            colour = "red" if problem.severity == "error" else "yellow"
            out.print(f"[{colour}]{problem.severity}[/]: {problem}", highlight=False,
                      soft_wrap=True)
        verdict = "[bold red]invalid[/]" if errors else "[bold green]valid[/]"
        what = f"checked {', '.join(checked)}; " if checked else f"{path}: "
        out.print(f"{verdict}: {what}{len(errors)} error{'s' * (len(errors) != 1)}",
                  highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------------------------
# verify


@app.command()
def verify(
    version: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[VERSION]", help="Version to rebuild (default: the latest).")] = None,
    output: OutputOption = Path("output"),
    sources: SourcesOption = Path("sources"),
    corrections: CorrectionsOption = None,
) -> None:
    """Rebuild a published version from its recorded inputs and compare every file's sha256."""
    from tipfigures.reproduce import VerifyError, verify_version

    try:
        report = verify_version(output, sources, version, corrections)
    except VerifyError as error:
        raise fail(str(error)) from None
    for name, (published, rebuilt) in sorted(report.files.items()):
        mark = "[green]same[/]" if published == rebuilt else "[red]DIFFERS[/]"
        out.print(f"{mark} {name} {published[:12] if published else '-'} "
                  f"{rebuilt[:12] if rebuilt else '-'}", highlight=False)
    if report.differing:
        out.print(f"[bold red]{DATASET_NAME} {report.version}: {len(report.differing)} file(s) "
                  f"differ[/]: {', '.join(report.differing)}", highlight=False)
        raise typer.Exit(1)
    out.print(f"[bold green]{DATASET_NAME} {report.version} verified[/]: "
              f"{len(report.files)} files rebuilt byte for byte", highlight=False)


# ---------------------------------------------------------------------------------------------
# changes


@app.command()
def changes(
    sources: SourcesOption = Path("sources"),
    output: OutputOption = Path("output"),
    format: Annotated[ReportFormat, typer.Option(  # noqa: A002
        "--format", help="text, or json (markdown is --markdown).")] = ReportFormat.text,
    markdown: Annotated[bool, typer.Option("--markdown", help="Markdown, e.g. for a CI job "
                                                              "summary.")] = False,
    corrections: CorrectionsOption = None,
) -> None:
    """Show what a run would publish (no Prefect, writes nothing), else the latest changes."""
    from tipfigures.pipeline import build, extract_source, locate_corrections
    from tipfigures.publish import PublishError, Store, changes_markdown, plan
    from tipfigures.sources import SourceError, load_sources
    from tipfigures.tables import SchemaError

    try:
        folder = locate_corrections(sources, corrections, output)
        loaded = load_sources(sources)
        tables, _ = build(loaded, [extract_source(s) for s in loaded], folder)
        store = Store(output)
        version, pending = plan(tables, store)
    except (SourceError, SchemaError, PublishError) as error:
        raise fail(str(error)) from None
    if version is not None:
        title, data = f"Unpublished changes: a run would publish {version}", pending.to_json()
    elif store.latest():
        path = store.version_folder(store.latest()) / "changes.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        title = f"Up to date; changes in the latest version, {store.latest()}"
    else:
        title, data = "Nothing published yet", {}
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps({"title": title, "changes": data}, indent=2, default=str)
                         + "\n")
    elif markdown:
        sys.stdout.write(changes_markdown(title, data))
    else:
        print_changes(title, data)


# Commands kept in their own modules register themselves on `app` when imported.
from tipfigures import cli_data, cli_schedule  # noqa: E402, F401


def main() -> None:
    from tipfigures import quick_exit

    quick_exit.install()
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        quick_exit.finished(130)
        sys.exit(130)
    except SystemExit as done:  # how typer ends every command, success or failure
        quick_exit.finished(done.code)
        raise
    quick_exit.finished(0)


if __name__ == "__main__":
    main()  # every command is registered on tipfigures.cli_common.app, shared by both copies
