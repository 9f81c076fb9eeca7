"""The dataset's tables, built from sources and their extractions.

Rows are plain dicts in the column order of schemas/<resource>.schema.json, sorted so that the
same inputs always give the same tables.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tipfigures import identifiers
from tipfigures.panel import candidate_rows, decide
from tipfigures.settings import schemas_dir
from tipfigures.sources import Source

if TYPE_CHECKING:  # the extractor is not imported to read a published store (fingerprint.py)
    from tipfigures.extract import Extraction, Figure

Row = dict[str, Any]
Tables = dict[str, list[Row]]

RESOURCES = ("sources", "indicators", "figures", "events", "tier_placements", "observations",
             "observation_candidates")


class SchemaError(ValueError):
    """A schema file that cannot be used; the message names the file and the problem."""


def load_schema(resource: str, folder: Path | None = None) -> dict[str, Any]:
    path = (folder or schemas_dir()) / f"{resource}.schema.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SchemaError(f"{path}: missing; every resource needs its Table Schema") from error
    except json.JSONDecodeError as error:
        raise SchemaError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error


def field_names(resource: str) -> list[str]:
    return [field["name"] for field in load_schema(resource)["fields"]]


def stable_id(*parts: object) -> str:
    """16 hex digits of the SHA-256 of the parts: the same parts, the same id."""
    return identifiers.stable_id(*parts)


def figure_ids(source_id: str, figures: list[Figure]) -> list[str]:
    """Ids that survive edits elsewhere in the text and of other figures of the same sentence
    (tipfigures.identifiers; docs/identifiers.md)."""
    return identifiers.figure_ids(source_id, figures)


def source_row(source: Source) -> Row:
    m = source.metadata
    revision = m.get("revision")
    return {
        "source_id": source.id,
        "title": m["title"],
        "publisher": m["publisher"],
        "url": m["url"],
        "license": m["license"],
        "language": m["language"],
        "country_code": m["country_code"],
        "retrieved": str(m["retrieved"])[:10],
        "reporting_period": source.reporting_period,
        "revision": str(revision) if revision not in (None, "") else None,
        "sha256": source.sha256,
        "chars": len(source.text),
    }


def figure_rows(source: Source, extraction: Extraction) -> list[Row]:
    rows = []
    ids = figure_ids(source.id, extraction.figures)
    id_at = {figure.start: figure_id for figure_id, figure in zip(ids, extraction.figures,
                                                                   strict=True)}
    for figure_id, figure in zip(ids, extraction.figures, strict=True):
        # the fields one by one: dataclasses.asdict deep-copies every value (seconds at scale)
        rows.append({
            "figure_id": figure_id,
            "source_id": source.id,
            "section": figure.section,
            "start": figure.start,
            "end": figure.end,
            "text": figure.text,
            "value": figure.value,
            "value_max": figure.value_max,
            "unit": figure.unit,
            "entity": figure.entity,
            "qualifier": figure.qualifier,
            "indicator": figure.indicator,
            "period": figure.period,
            "role": figure.role,
            "part_of": id_at.get(figure.part_of) if figure.part_of is not None else None,
            "breakdown": figure.breakdown,
            "country_code": figure.country_code or source.metadata.get("country_code"),
            "legal_reference": figure.legal_reference,
            "sentence": figure.sentence,
            "method": figure.method,
            "note": None,
        })
    return rows


def event_rows(source: Source, extraction: Extraction) -> list[Row]:
    seen: Counter[tuple[str, str]] = Counter()
    rows = []
    for event in extraction.events:
        key = (event.sentence, event.text)
        rows.append({
            "event_id": stable_id(source.id, "event", event.sentence, event.text, seen[key]),
            "source_id": source.id,
            "start": event.start,
            "end": event.end,
            "text": event.text,
            "date": event.date,
            "date_precision": event.date_precision,
            "sentence": event.sentence,
        })
        seen[key] += 1
    return rows


def tier_rows(source: Source, extraction: Extraction) -> list[Row]:
    return [{
        "country_code": placement.country_code,
        "year": placement.year,
        "tier": placement.tier,
        "source_id": source.id,
        "start": placement.start,
        "end": placement.end,
        "text": placement.text,
        "sentence": placement.sentence,
    } for placement in extraction.tier_placements if placement.country_code]


def indicator_rows(folder: Path | None = None) -> list[Row]:
    path = (folder or schemas_dir()) / "indicators.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [{key: (value if value != "" else None) for key, value in row.items()}
                for row in csv.DictReader(handle)]
    for row in rows:
        row["in_panel"] = row.get("in_panel") == "true"
    return rows


def build_tables(extractions: list[tuple[Source, Extraction]],
                 figures_override: list[Row] | None = None) -> Tables:
    """All resources, in a stable order. `figures_override` is the curated figures table."""
    ordered = sorted(extractions, key=lambda pair: pair[0].id)
    figures = figures_override if figures_override is not None else [
        row for source, extraction in ordered for row in figure_rows(source, extraction)]
    figures = sorted(figures, key=lambda r: (r["source_id"], r["start"], r["end"], r["figure_id"]))
    indicators = indicator_rows()
    panel_indicators = frozenset(row["indicator"] for row in indicators if row["in_panel"])
    periods = {source.id: source.reporting_period for source, _ in ordered}
    observations, candidates = decide(candidate_rows(figures, periods, panel_indicators))
    tables: Tables = {
        "sources": [source_row(source) for source, _ in ordered],
        "indicators": indicators,
        "figures": figures,
        "events": [row for s, e in ordered for row in event_rows(s, e)],
        "tier_placements": sorted(
            (row for s, e in ordered for row in tier_rows(s, e)),
            key=lambda r: (r["country_code"], r["year"], r["tier"], r["source_id"])),
        "observations": observations,
        "observation_candidates": candidates,
    }
    return tables
