"""Scoring the extractor against hand-made gold annotations (docs/gold-format.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipfigures.extract import Figure

SCORED_FIELDS = ("unit", "qualifier", "period", "indicator")


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
        return self.field_hits[name] / self.true_positives if self.true_positives else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.gold += other.gold
        self.predicted += other.predicted
        self.lenient_matches += other.lenient_matches
        for name in SCORED_FIELDS:
            self.field_hits[name] += other.field_hits[name]


def read_gold(path: Path | str, text: str | None = None) -> list[dict[str, Any]]:
    """Gold figures from a JSONL file, checked against the text when it is given."""
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}:{number}: not JSON ({error.msg})") from error
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


def _same_field(name: str, gold: dict[str, Any], figure: Figure) -> bool:
    expected, got = gold.get(name), getattr(figure, name)
    if name == "period":
        return (str(expected) if expected is not None else None) == got
    return expected == got


def score(figures: list[Figure], gold: list[dict[str, Any]]) -> Score:
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
                if _same_field(name, row, figure):
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
