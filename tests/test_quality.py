"""The quality statement and the citation of a release: measured and generated, not typed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipfigures.citation import README_END, README_START, readme_with_citation, update_readme
from tipfigures.cli import app
from tipfigures.evaluate import gold_files as evaluate_gold_files
from tipfigures.extract import extractor_version
from tipfigures.quality import HELDOUT, measure_quality
from tipfigures.repository import check_readme_citation

from .conftest import ROOT

DATASET = "trafficking-figures"


def by_name(statement) -> dict[str, float]:
    return {m.name: m.value for m in statement.measures}


def test_the_statement_scores_the_held_out_gold() -> None:
    statement = measure_quality(ROOT)
    values = by_name(statement)
    assert {"figures_precision", "figures_recall", "figures_f1", "indicator_accuracy",
            "period_accuracy"} <= set(values)
    assert statement.extractor_version == extractor_version()
    folders = [ROOT / HELDOUT, *sorted(p for p in (ROOT / HELDOUT).rglob("*") if p.is_dir())]
    gold_files = evaluate_gold_files(folders)
    assert statement.texts == [p.relative_to(ROOT / HELDOUT).with_suffix("").as_posix()
                               for p in gold_files]
    gold_lines = sum(1 for p in gold_files for line in p.read_text().splitlines() if line.strip())
    assert statement.measure("figures_recall").over == gold_lines
    p, r = values["figures_precision"], values["figures_recall"]
    assert values["figures_f1"] == pytest.approx(2 * p * r / (p + r))
    # the same numbers `tipfigures evaluate` prints for the set as a whole
    result = CliRunner().invoke(app, ["evaluate", *(a for f in folders for a in ("--gold", str(f))),
                                      "--sources", str(ROOT / "sources")],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if re.search(r"\ball\b", line))
    cells = re.findall(r"\d+\.\d{3}", row)
    precision, recall, f1, _lenient, unit, qualifier, period, indicator, role, panel_p, \
        panel_r, panel_f1 = map(float, cells)
    assert (round(p, 3), round(r, 3), round(values["figures_f1"], 3)) == (precision, recall, f1)
    assert round(values["period_accuracy"], 3) == period
    assert round(values["indicator_accuracy"], 3) == indicator
    assert round(values["role_accuracy"], 3) == role
    assert (round(values["panel_precision"], 3), round(values["panel_recall"], 3),
            round(values["panel_f1"], 3)) == (panel_p, panel_r, panel_f1)


def test_the_statement_follows_the_gold(tmp_path: Path) -> None:
    """Measured, not recorded: drop gold figures and recall and the hashes change."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / HELDOUT, root / HELDOUT)
    (root / "sources").symlink_to(ROOT / "sources")
    gold = sorted((root / HELDOUT).glob("*.jsonl"))[0]
    lines = gold.read_text().splitlines()
    gold.write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    before, after = measure_quality(ROOT), measure_quality(root)
    assert after.measure("figures_recall").over < before.measure("figures_recall").over
    assert by_name(after)["figures_precision"] < by_name(before)["figures_precision"]
    assert after.gold_sha256 != before.gold_sha256
    assert measure_quality(tmp_path / "no-gold").measures == []


def test_a_release_records_quality_and_citation(published_store: Path) -> None:
    descriptor = json.loads((published_store / DATASET / "1.0.0" / "datapackage.json")
                            .read_text())
    assert descriptor["quality"] == measure_quality(ROOT).to_json()
    assert descriptor["quality"]["extractor_version"] == descriptor["tipfigures"][
        "extractor_version"]
    citation = descriptor["citation"]
    assert citation["version"] == "1.0.0" and citation["date"] == descriptor["created"][:10]
    assert citation["license"] == descriptor["licenses"][0]["name"]
    publishers = {s["publisher"] for s in descriptor["sources"]}
    assert set(citation["publishers"]) == publishers and len(publishers) == 2
    assert citation["publishers"][0].startswith("U.S. Department of State")  # most sources
    for part in ("trafficking-figures", "version 1.0.0", citation["date"], citation["license"],
                 *publishers):
        assert part in citation["text"]
    assert citation["bibtex"].startswith("@misc{trafficking_figures_1_0_0,")


def test_the_readme_block_is_rewritten_and_checked(published_store: Path,
                                                   tmp_path: Path) -> None:
    citation = json.loads((published_store / DATASET / "1.0.0" / "datapackage.json")
                          .read_text())["citation"]
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{README_START}\nold\n{README_END}\n\nrest\n")
    assert check_readme_citation(tmp_path, published_store / DATASET)[0].message.startswith(
        "the citation block is not the one of version 1.0.0")
    assert update_readme(readme, citation)
    text = readme.read_text()
    assert citation["text"] in text and citation["bibtex"] in text and text.endswith("rest\n")
    assert check_readme_citation(tmp_path, published_store / DATASET) == []
    assert not update_readme(readme, citation)  # already current
    with pytest.raises(ValueError, match="no citation block"):
        readme_with_citation("# no markers\n", citation)


def test_publishing_into_the_checkout_rewrites_its_readme(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's block is written by the release into the checkout's own output/ only."""
    from tipfigures.pipeline import run

    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "schemas", checkout / "schemas")
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    shutil.copytree(ROOT / "sources" / "mali-hrr-2004", checkout / "sources" / "mali-hrr-2004")
    readme = checkout / "README.md"
    readme.write_text(f"# x\n\n{README_START}\nplaceholder\n{README_END}\n")
    monkeypatch.chdir(checkout)  # project_root() is the folder with pyproject.toml and schemas
    elsewhere = run(checkout / "sources", tmp_path / "elsewhere")
    assert elsewhere.status == "published" and "placeholder" in readme.read_text()
    result = run(checkout / "sources", checkout / "output")
    assert result.status == "published"
    citation = json.loads((checkout / "output" / DATASET / "1.0.0" / "datapackage.json")
                          .read_text())["citation"]
    assert citation["text"] in readme.read_text() and "placeholder" not in readme.read_text()
    assert check_readme_citation(checkout, checkout / "output" / DATASET) == []
