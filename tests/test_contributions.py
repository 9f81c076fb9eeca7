"""Contributions checked before review: corrections and `tipfigures validate` (issue 7)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tipfigures.pipeline import build, extract_source, run
from tipfigures.repository import check_repository
from tipfigures.sources import load_source

from .conftest import ROOT, RUSSIA

CORRECTIONS = "corrections/russia.yaml"


@pytest.fixture(scope="module")
def good_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small repository (the Russia article, one correction) whose output is up to date."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(RUSSIA, root / "sources" / RUSSIA.name)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / "corrections").mkdir()
    (root / CORRECTIONS).write_text(yaml.safe_dump({"corrections": [{
        "action": "fix", "figure_id": _figure_id("23"), "field": "unit", "value": "persons",
        "reason": "23 counts people sentenced"}]}))
    result = run(root / "sources", root / "output")
    assert result.status == "published"
    return root


def _figure_id(surface: str) -> str:
    source = load_source(RUSSIA)
    tables, _ = build([source], [extract_source(source)], None)
    return next(r["figure_id"] for r in tables["figures"] if r["text"] == surface)


@pytest.fixture
def repository(good_repository: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(good_repository, root)
    return root


def test_the_good_repository_is_valid(repository):
    problems, checked = check_repository(repository)
    assert [str(p) for p in problems] == []
    assert "output/ against a fresh run" in checked


def test_the_committed_correction_is_published_as_curated(repository):
    figures = (repository / "output/trafficking-figures/1.0.0/data/figures.csv").read_text()
    curated = [line for line in figures.splitlines() if ",curated," in line]
    assert len(curated) == 1 and "23 counts people sentenced" in curated[0]


def _add_correction(root: Path, correction: dict) -> None:
    path = root / CORRECTIONS
    data = yaml.safe_load(path.read_text())
    data["corrections"].append(correction)
    path.write_text(yaml.safe_dump(data))


def _edit_yaml(root: Path, change: Callable[[dict], None]) -> None:
    path = root / "sources" / RUSSIA.name / "source.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def missing_license(root: Path) -> None:
    _edit_yaml(root, lambda data: data.pop("license"))


def wrong_sha256(root: Path) -> None:
    _edit_yaml(root, lambda data: data.update(sha256="0" * 64))


def non_utf8_text(root: Path) -> None:
    (root / "sources" / RUSSIA.name / "text.txt").write_bytes(b"Police found 12 victims \xff.")


def quote_not_in_text(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": RUSSIA.name, "quote": "4,321 victims",
                           "value": 4321, "unit": "persons", "qualifier": "exact",
                           "indicator": "victims_identified", "reason": "missed"})


def ambiguous_quote(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": RUSSIA.name, "quote": "two additional",
                           "value": 2, "unit": "investigations", "qualifier": "exact",
                           "indicator": "investigations", "reason": "missed"})


def unknown_indicator(root: Path) -> None:
    _add_correction(root, {"action": "fix", "figure_id": _figure_id("102"), "field": "indicator",
                           "value": "raids", "reason": "better code"})


def duplicate_figure_id(root: Path) -> None:
    added = {"action": "add", "source_id": RUSSIA.name, "quote": "twenty members",
             "value": 20, "unit": "persons", "qualifier": "more_than", "indicator": "traffickers",
             "reason": "members of groups"}
    _add_correction(root, added)
    _add_correction(root, dict(added))


def value_not_in_quote(root: Path) -> None:
    _add_correction(root, {"action": "fix", "figure_id": _figure_id("102"), "field": "value",
                           "value": 120, "reason": "typo"})


def unknown_figure_id(root: Path) -> None:
    _add_correction(root, {"action": "reject", "figure_id": "0123456789abcdef",
                           "reason": "not a figure"})


def edited_published_file(root: Path) -> None:
    path = root / "output/trafficking-figures/1.0.0/data/figures.csv"
    path.write_text(path.read_text().replace(",102,", ",103,", 1))


def catalog_points_to_missing_version(root: Path) -> None:
    path = root / "output/trafficking-figures/catalog.json"
    catalog = json.loads(path.read_text())
    catalog["versions"].append({**catalog["versions"][0], "version": "1.1.0"})
    catalog["latest"] = "1.1.0"
    path.write_text(json.dumps(catalog))


def unpublished_change(root: Path) -> None:
    _add_correction(root, {"action": "reject", "figure_id": _figure_id("102"),
                           "reason": "pretend it is wrong"})


BAD_CONTRIBUTIONS = [
    (missing_license, "source.yaml", "field 'license' is missing"),
    (wrong_sha256, "text.txt", "but source.yaml records 0000"),
    (non_utf8_text, "text.txt", "not UTF-8"),
    (quote_not_in_text, CORRECTIONS, "quote '4,321 victims' is not in"),
    (ambiguous_quote, CORRECTIONS, "occurs 2 times"),
    (unknown_indicator, CORRECTIONS, "unknown indicator 'raids'"),
    (duplicate_figure_id, "corrections", "appears 2 times"),
    (value_not_in_quote, CORRECTIONS, "value 120 cannot be read from '102'"),
    (unknown_figure_id, CORRECTIONS, "figure_id '0123456789abcdef' does not exist"),
    (edited_published_file, "figures.csv", "hash"),
    (catalog_points_to_missing_version, "catalog.json", "lists version 1.1.0, but"),
    (unpublished_change, "output/trafficking-figures", "not up to date"),
]


@pytest.mark.parametrize(("breakage", "where", "message"), BAD_CONTRIBUTIONS,
                         ids=[b.__name__ for b, _, _ in BAD_CONTRIBUTIONS])
def test_each_bad_contribution_has_its_own_error(repository, breakage, where, message):
    breakage(repository)
    problems, _ = check_repository(repository)
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{breakage.__name__} was not caught"
    assert any(where in p.file and message in str(p) for p in errors), [str(p) for p in errors]


def test_correction_errors_name_the_line(repository):
    quote_not_in_text(repository)
    problems, _ = check_repository(repository)
    problem = next(p for p in problems if "is not in" in p.message)
    lines = (repository / CORRECTIONS).read_text().splitlines()
    assert "action: add" in lines[problem.row - 1] or "quote" in "".join(
        lines[problem.row - 1:problem.row + 8])
    assert problem.field == "quote"
