"""Scoring the extractor against hand-made gold annotations (docs/gold-format.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipfigures.extract import Figure, extract
from tipfigures.panel import candidate_rows, decide
from tipfigures.sources import Source
from tipfigures.tables import figure_rows, indicator_rows

SCORED_FIELDS = ("unit", "qualifier", "period", "indicator", "role", "breakdown", "part_of",
                 "country_code")
# Format-2 fields are scored only on gold lines that carry them.
OPTIONAL_FIELDS = frozenset({"role", "breakdown", "part_of", "country_code"})
OBSERVATION_KEY = ("country_code", "year", "indicator", "unit", "breakdown")


class GoldError(ValueError):
    """A gold file that does not follow docs/gold-format.md."""


@dataclass
class Score:
    """Counts for one text (or summed over several)."""

    true_positives: int = 0
    gold: int = 0
    predicted: int = 0
    lenient_matches: int = 0
    field_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED_FIELDS, 0))
    field_scored: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(SCORED_FIELDS, 0))
    observations_true: int = 0
    observations_gold: int = 0
    observations_predicted: int = 0
    observations_missed: list[dict[str, Any]] = field(default_factory=list)
    observations_spurious: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[Figure] = field(default_factory=list)
    mismatched: list[tuple[str, dict[str, Any], Figure]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def lenient_f1(self) -> float:
        p = self.lenient_matches / self.predicted if self.predicted else 1.0
        r = self.lenient_matches / self.gold if self.gold else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        scored = self.field_scored[name]
        return self.field_hits[name] / scored if scored else 1.0

    @property
    def observation_precision(self) -> float:
        predicted = self.observations_predicted
        return self.observations_true / predicted if predicted else 1.0

    @property
    def observation_recall(self) -> float:
        gold = self.observations_gold
        return self.observations_true / gold if gold else 1.0

    @property
    def observation_f1(self) -> float:
        p, r = self.observation_precision, self.observation_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.gold += other.gold
        self.predicted += other.predicted
        self.lenient_matches += other.lenient_matches
        for name in SCORED_FIELDS:
            self.field_hits[name] += other.field_hits[name]
            self.field_scored[name] += other.field_scored[name]
        self.observations_true += other.observations_true
        self.observations_gold += other.observations_gold
        self.observations_predicted += other.observations_predicted


def _json_lines(path: Path):
    """(line number, object) of each non-blank line of a JSONL file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}:{number}: not JSON ({error.msg})") from error


def read_gold(path: Path | str, text: str | None = None) -> list[dict[str, Any]]:
    """Gold figures from a JSONL file, checked against the text when it is given."""
    path = Path(path)
    rows = []
    for number, row in _json_lines(path):
        for name in ("start", "end", "text", "value"):
            if name not in row:
                raise GoldError(f"{path}:{number}: field '{name}' is missing")
        if text is not None and text[row["start"]:row["end"]] != row["text"]:
            raise GoldError(f"{path}:{number}: text[{row['start']}:{row['end']}] is "
                            f"{text[row['start']:row['end']]!r}, not {row['text']!r}")
        rows.append(row)
    return rows


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _same_field(name: str, gold: dict[str, Any], figure: Figure,
                source_country: str | None = None) -> bool:
    expected, got = gold.get(name), getattr(figure, name, None)
    if name == "country_code":  # the source's own country may be said or left out
        return (expected or source_country) == (got or source_country)
    if name == "period":
        return (str(expected) if expected is not None else None) == got
    return expected == got


def score(figures: list[Figure], gold: list[dict[str, Any]],
          source_country: str | None = None) -> Score:
    by_span = {(f.start, f.end): f for f in figures}
    result = Score(gold=len(gold), predicted=len(figures))
    matched_spans = set()
    for row in gold:
        figure = by_span.get((row["start"], row["end"]))
        if figure and _same_value(figure.value, row["value"]) and _same_value(
                figure.value_max, row.get("value_max")):
            result.true_positives += 1
            matched_spans.add((figure.start, figure.end))
            for name in SCORED_FIELDS:
                if name in OPTIONAL_FIELDS and name not in row:
                    continue
                result.field_scored[name] += 1
                if _same_field(name, row, figure, source_country):
                    result.field_hits[name] += 1
                else:
                    result.mismatched.append((name, row, figure))
        else:
            result.missed.append(row)
        if any(f.start < row["end"] and row["start"] < f.end and _same_value(f.value, row["value"])
               for f in figures):
            result.lenient_matches += 1
    result.spurious = [f for f in figures if (f.start, f.end) not in matched_spans]
    return result


def read_observations(path: Path) -> list[dict[str, Any]]:
    """Gold observations (docs/gold-format.md, format 2), one JSON object per line."""
    rows = []
    for number, row in _json_lines(path):
        missing = [name for name in (*OBSERVATION_KEY, "value") if name not in row]
        if missing:
            raise GoldError(f"{path}:{number}: field(s) {', '.join(missing)} missing")
        rows.append(row)
    return rows


def observations_path(gold: Path) -> Path:
    return gold.with_name(gold.stem + ".observations.jsonl")


def gold_files(paths: list[Path]) -> list[Path]:
    """The figure gold files of files and folders (not their observation files)."""
    found = [f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    return [f for f in found if not f.name.endswith(".observations.jsonl")]


def predicted_observations(source: Source, figures: list[Figure]) -> list[dict[str, Any]]:
    """The panel rows that one source's figures give, as the release would build them."""
    from tipfigures.extract import Extraction

    rows = figure_rows(source, Extraction(figures=figures))
    panel_indicators = frozenset(r["indicator"] for r in indicator_rows() if r["in_panel"])
    panel, _ = decide(candidate_rows(rows, {source.id: source.reporting_period},
                                     panel_indicators))
    return panel


def score_observations(result: Score, predicted: list[dict[str, Any]],
                       gold: list[dict[str, Any]]) -> None:
    """Counts a predicted observation as right when its key and its value are the gold's."""
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(str(row[name]) if name != "year" else int(row[name])
                     for name in OBSERVATION_KEY)

    expected = {key(row): row for row in gold}
    found = {key(row): row for row in predicted}
    result.observations_gold += len(expected)
    result.observations_predicted += len(found)
    for k, row in expected.items():
        if k in found and _same_value(found[k]["value"], row["value"]):
            result.observations_true += 1
        else:
            result.observations_missed.append(row)
    result.observations_spurious += [row for k, row in found.items()
                                     if k not in expected or not _same_value(
                                         row["value"], expected[k]["value"])]


def evaluate_text(gold: Path, source: Source) -> Score:
    """The extractor on one source against its gold figures (and observations, if any)."""
    extraction = extract(source.text, reporting_period=source.reporting_period,
                         country_code=source.country_code)
    result = score(extraction.figures, read_gold(gold, source.text), source.country_code)
    observations = observations_path(gold)
    if observations.exists():
        score_observations(result, predicted_observations(source, extraction.figures),
                           read_observations(observations))
    return result
