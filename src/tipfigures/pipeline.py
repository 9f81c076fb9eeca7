"""The pipeline's stages as plain functions: what the Prefect flow, `verify` and `validate` share.

sources -> extract -> curate -> tables -> checks -> publish
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tipfigures.corrections_folder import locate_corrections
from tipfigures.curate import apply_corrections, load_corrections
from tipfigures.extract import Extraction, extract, extractor_version
from tipfigures.parallel import extract_sources, processes_for, run_workers
from tipfigures.publish import PublishResult, publish
from tipfigures.settings import schemas_dir
from tipfigures.sources import Source, load_sources, sha256_of
from tipfigures.tables import SchemaError, Tables, build_tables, figure_rows
from tipfigures.validate import Problem, check_provenance, check_schema_files


def extract_source(source: Source) -> Extraction:
    return extract(source.text, reporting_period=source.reporting_period,
                   country_code=source.metadata.get("country_code"))


def build(sources: list[Source], extractions: list[Extraction],
          corrections_folder: Path | None) -> tuple[Tables, list[Problem]]:
    """Tables from extractions with corrections applied, and the problems found on the way."""
    check_schemas()
    pairs = list(zip(sources, extractions, strict=True))
    figures = [row for source, extraction in sorted(pairs, key=lambda p: p[0].id)
               for row in figure_rows(source, extraction)]
    problems: list[Problem] = []
    if corrections_folder is not None and corrections_folder.is_dir():
        corrections, problems = load_corrections(corrections_folder)
        figures, applied_problems = apply_corrections(figures, corrections,
                                                      {s.id: s for s in sources})
        problems += applied_problems
    tables = build_tables(pairs, figures_override=figures)
    problems += check_provenance(tables, {s.id: s.text for s in sources})
    return tables, problems


def check_schemas() -> None:
    """Stop before any work when a schema is broken: every table depends on them."""
    problems = check_schema_files(schemas_dir())
    if problems:
        raise SchemaError(str(problems[0]))


def recorded_inputs(sources: list[Source], corrections_folder: Path | None) -> dict[str, Any]:
    """What a version was made from, so that `tipfigures verify` can make it again."""
    corrections = {}
    if corrections_folder is not None and corrections_folder.is_dir():
        corrections = {path.name: sha256_of(path.read_bytes())
                       for path in sorted(corrections_folder.glob("*.y*ml"))}
    return {
        "extractor_version": extractor_version(),
        "sources": {s.id: s.sha256 for s in sorted(sources, key=lambda s: s.id)},
        "corrections": corrections,
    }


def run(sources_dir: Path, output_dir: Path, *, dry_run: bool = False,
        corrections_folder: Path | None = None, **options: Any) -> PublishResult:
    """The whole pipeline without Prefect (the flow in tipfigures.flows wraps these stages)."""
    folder = locate_corrections(sources_dir, corrections_folder, output_dir)
    sources = load_sources(sources_dir)
    # extraction and validation on every core when the corpus is large, in one pool of workers;
    # the extractions are freed once built
    with run_workers(processes_for(sources)):
        tables, problems = build(sources, extract_sources(sources), folder)
        return publish(tables, output_dir, inputs=recorded_inputs(sources, folder),
                       checks=problems, dry_run=dry_run, **options)
