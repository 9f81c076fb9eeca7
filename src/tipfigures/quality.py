"""The data quality statement of a release, measured when the release is built.

Every publish scores the extractor on the held-out gold of the checkout it runs from
(tests/gold/heldout: texts annotated by someone who did not write the extractor) and records
the result in datapackage.json (`quality`), from where the landing page shows it. Nothing here
is typed by hand: `tipfigures verify` measures again and must get the same bytes, and the gold
files' sha256s are recorded so that a changed gold set is named, not guessed.

To add a measure, write a function GoldText list -> list[Measure] and add it to MEASURES:
datapackage.json, the page and verify pick it up with no other change. Field accuracies follow
evaluate.SCORED_FIELDS, so a field added there is measured here too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tipfigures.evaluate import SCORED_FIELDS, Score, evaluate_text, gold_files
from tipfigures.extract import extractor_version
from tipfigures.settings import HELDOUT_GOLD, project_root
from tipfigures.sources import Source, load_source, source_from_text_file

HELDOUT = HELDOUT_GOLD
METHOD = (
    "Figures are read from each source text by tipfigures' rule-based extractor, a pipeline of "
    "four stages: candidates (one pass of regular expressions for numbers: digits, number "
    "words, ranges, fractions, money), figures (the words around each number give its unit, "
    "qualifier, indicator and period), attachments (the sentence's structure: parentheses "
    "and dashes that break a figure down, compared phrases and the year that closes each, "
    "counts of cases and of persons, parts and their wholes, the country a figure is about) "
    "and roles (total, part, case, estimate or other). Vocabulary and rules are in "
    "src/tipfigures/rules/extraction.yaml; no statistical model is involved. The panel "
    "(observations) keeps totals, and parts under their breakdown, with a single year: one "
    "value per key, the latest report first. Before publishing, every figure's text is "
    "checked to be its source's text at its offsets and its value to read from that text; "
    "contributors' corrections (corrections/*.yaml) are applied on top, each with a reason."
)
FIELD_LABELS = {"unit": "Unit accuracy", "qualifier": "Qualifier accuracy",
                "period": "Period accuracy", "indicator": "Indicator accuracy",
                "role": "Role accuracy", "breakdown": "Breakdown accuracy",
                "part_of": "Part-of accuracy", "country_code": "Country accuracy"}


@dataclass(frozen=True)
class Measure:
    """One score: its machine name, what it is in words, its value in [0, 1], and over how many
    items (gold figures for recall, found figures for precision, matched ones for accuracy)."""

    name: str
    label: str
    value: float
    over: int


@dataclass(frozen=True)
class GoldText:
    """A held-out text, scored: its figures and its panel observations against the gold."""

    name: str
    source: Source
    score: Score


@dataclass
class QualityStatement:
    extractor_version: str
    gold_set: str  # relative to the checkout
    texts: list[str]
    gold_sha256: dict[str, str]  # each gold file (and text kept beside it), relative path
    measures: list[Measure] = field(default_factory=list)
    method: str = METHOD

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "extractor_version": self.extractor_version,
            "evaluated_on": {"gold_set": self.gold_set, "texts": self.texts,
                             "sha256": self.gold_sha256},
            "measures": [{**asdict(m), "value": round(m.value, 4)} for m in self.measures],
        }


def load_gold_texts(folder: Path, sources_dir: Path) -> list[GoldText]:
    """Each gold file under `folder` (any depth) with its text (beside it, else
    sources/<name>), scored."""
    texts = []
    for path in gold_files([folder, *sorted(p for p in folder.rglob("*") if p.is_dir())]):
        beside = path.with_suffix(".txt")
        source = source_from_text_file(beside) if beside.exists() else \
            load_source(sources_dir / path.stem)
        texts.append(GoldText(path.relative_to(folder).with_suffix("").as_posix(), source,
                              evaluate_text(path, source)))
    return texts


def _total(texts: list[GoldText]) -> Score:
    total = Score()
    for text in texts:
        total.add(text.score)
    return total


def figure_measures(texts: list[GoldText]) -> list[Measure]:
    """Precision, recall and F1 of figures (span and value equal the gold's) and the accuracy
    of each scored field on the figures that match."""
    total = _total(texts)
    measures = [Measure("figures_precision", "Figures: precision", total.precision,
                        total.predicted),
                Measure("figures_recall", "Figures: recall", total.recall, total.gold),
                Measure("figures_f1", "Figures: F1", total.f1, total.gold)]
    for name in SCORED_FIELDS:
        measures.append(Measure(f"{name}_accuracy", FIELD_LABELS.get(name, f"{name} accuracy"),
                                total.accuracy(name), total.field_scored[name]))
    return measures


def panel_measures(texts: list[GoldText]) -> list[Measure]:
    """Precision, recall and F1 of the panel's rows against the gold observations: a row is
    right when its country, year, indicator, unit, breakdown and value are the gold's."""
    total = _total(texts)
    return [Measure("panel_precision", "Panel: precision", total.observation_precision,
                    total.observations_predicted),
            Measure("panel_recall", "Panel: recall", total.observation_recall,
                    total.observations_gold),
            Measure("panel_f1", "Panel: F1", total.observation_f1, total.observations_gold)]


MEASURES: tuple[Callable[[list[GoldText]], list[Measure]], ...] = (
    figure_measures,
    panel_measures,
)


def measure_quality(root: Path | None = None) -> QualityStatement:
    """Score the extractor on the checkout's held-out gold; empty measures when it has none."""
    root = Path(root) if root is not None else project_root()
    folder = root / HELDOUT
    statement = QualityStatement(extractor_version(), HELDOUT, [], {})
    if not folder.is_dir():
        return statement
    texts = load_gold_texts(folder, root / "sources")
    statement.texts = [t.name for t in texts]
    statement.gold_sha256 = {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()}
    statement.measures = [m for measure in MEASURES for m in measure(texts)]
    return statement
