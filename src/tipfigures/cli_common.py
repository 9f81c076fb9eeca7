"""What the commands of `tipfigures` share: the app, its consoles, options and reports.

The command modules (cli, cli_data, cli_schedule) import this one and register their commands
on `app`; none imports another command module, so there is no import cycle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="Figures about human trafficking, from report text to versioned open data.")
out = Console(width=None if sys.stdout.isatty() else 160)  # tables stay readable in logs
err = Console(stderr=True)


# Options several commands share.
SourcesOption = Annotated[Path, typer.Option(metavar="DIR", help="Folder of source folders.")]
OutputOption = Annotated[Path, typer.Option(metavar="DIR",
                                            help="Output folder of published datasets.")]
CorrectionsOption = Annotated[Optional[Path], typer.Option(  # noqa: UP045 (typer needs Optional)
    metavar="DIR", help="Folder of corrections (default: corrections/ beside --sources).")]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def validation_failed(error) -> typer.Exit:
    """Print a failed validation's problems (resource, row, field, message); exit 1."""
    err.print(f"[bold red]validation failed[/]: {len(error.problems)} problem(s); "
              "nothing was published", highlight=False)
    for problem in error.problems[:100]:
        err.print(f"  {problem}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def guard_children() -> None:
    from tipfigures.orphans import guard_children as start_guard

    start_guard()


def quiet_prefect() -> None:
    """A foreground run reports its own errors: keep Prefect's and its server's logs quiet
    (the user's own PREFECT_LOGGING_* settings win)."""
    from tipfigures.settings import PACKAGE_DIR

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(PACKAGE_DIR / "prefect_logging.yml"))


def print_result(result, elapsed: float) -> None:
    if result.status == "up-to-date":
        why = getattr(result, "note", None) or "no change in the data"
        out.print(f"up to date: {result.dataset} {result.version} ({why}; nothing published) "
                  f"[{elapsed:.1f} s]", highlight=False, soft_wrap=True)
        return
    if result.status == "dry-run":
        if result.version is None:
            out.print(f"dry run: up to date, {result.dataset} would stay at "
                      f"{result.changes.previous}", highlight=False)
        else:
            print_changes(f"dry run: would publish {result.dataset} {result.version}",
                          result.changes.to_json())
        return
    out.print(f"published {result.dataset} {result.version} at {result.path} "
              f"({result.changes.summary()}) [{elapsed:.1f} s]", highlight=False)
    table = Table("resource", "rows")
    for name, count in result.rows.items():
        table.add_row(name, str(count))
    out.print(table)


def print_changes(title: str, data: dict) -> None:
    """A changes.json for people: a title, its summary and a table of the changed figures."""
    from tipfigures.publish import format_cell

    out.print(title, highlight=False, markup=False)
    if data.get("summary"):
        out.print(f"{data.get('bump') or 'no'} change: {data['summary']}", highlight=False,
                  markup=False)
    if data.get("note"):
        out.print(data["note"], highlight=False, markup=False)
    figures = data.get("resources", {}).get("figures", {})
    rows = [("added", row) for row in figures.get("added", [])] + \
           [("removed", row) for row in figures.get("removed", [])]
    if rows:
        table = Table("change", "figure_id", "source", "text", "value", "unit", "indicator",
                      "period")
        for kind, row in rows[:300]:
            table.add_row(kind, row["key"][0], *(str(row.get(name) or "") for name in (
                "source_id", "text")), format_cell(row.get("value")),
                *(str(row.get(name) or "") for name in ("unit", "indicator", "period")))
        out.print(table)
    if figures.get("changed"):
        table = Table("figure_id", "source", "text", "field", "old", "new")
        for change in figures["changed"][:300]:
            table.add_row(change["key"][0], str(change.get("source_id") or ""),
                          str(change.get("text") or ""), change["field"],
                          format_cell(change["old"]), format_cell(change["new"]))
        out.print(table)
