"""The extractor's rules, one sentence case each, from the tables in tests/cases/*.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tipfigures.extract import extract
from tipfigures.extract.results import Figure

CASES = [case for table in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
         for case in yaml.safe_load(table.read_text("utf-8"))]


def _by_text(figures: list[Figure]) -> dict[str, Figure]:
    """Each figure under its text, the n-th repeat of a text (from 2) as "text#n"."""
    named: dict[str, Figure] = {}
    for figure in figures:
        key, n = figure.text, 1
        while key in named:
            n += 1
            key = f"{figure.text}#{n}"
        named[key] = figure
    return named


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_sentence_case(case):
    # (a blank line in the case, which YAML folds to one line break, parts two paragraphs; a
    # case marked verbatim keeps its lines as they are)
    text = case["text"] + "\n" if case.get("verbatim") else "\n\n".join(
        " ".join(line.split()) for line in case["text"].split("\n")) + "\n"
    figures = _by_text(extract(text, reporting_period=case["year"],
                               country_code=case["country"]).figures)
    at = {f.start: f.text for f in figures.values()}
    for name, expected in case["expect"].items():
        assert name in figures, f"{case['name']}: no figure {name!r} in {sorted(figures)}"
        figure = figures[name]
        found = {field: (at.get(figure.part_of) if field == "part_of" else getattr(figure, field))
                 for field in expected}
        assert found == expected, f"{case['name']}: {name!r}"
    for name in case.get("not_figures", []):
        assert name not in figures, f"{case['name']}: {name!r} is no figure"
