"""The command line as a user meets it: one clear error line per bad input, a real run."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, RUSSIA


def tipfigures(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tipfigures.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "COLUMNS": "200", **(env or {})},
                          timeout=timeout)


@functools.cache
def help_of(command: str) -> subprocess.CompletedProcess[str]:
    """`tipfigures COMMAND --help` (run once per command and test process: two tests read it)."""
    return tipfigures(command, "--help")


def test_version_and_help_on_every_command():
    assert tipfigures("--version").stdout.startswith("tipfigures ")
    for command in ("run", "extract", "validate", "evaluate", "verify", "download", "serve",
                    "refresh"):
        result = help_of(command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout


def test_extract_a_source_folder_as_jsonl():
    result = tipfigures("extract", str(RUSSIA))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    text = (RUSSIA / "text.txt").read_text(encoding="utf-8")
    assert len(rows) > 30
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
        assert {"value", "value_max", "unit", "entity", "qualifier", "indicator", "period",
                "section", "sentence"} <= set(row)
    by_text = {row["text"]: row for row in rows}
    assert by_text["102"]["period"] == "2009"
    assert by_text["102"]["indicator"] == "investigations"


def test_extract_a_text_file_as_csv(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("In 2021, police identified 45 victims and arrested 7 suspects.\n")
    result = tipfigures("extract", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["text"], r["unit"], r["period"]) for r in rows] == [
        ("45", "persons", "2021"), ("7", "persons", "2021")]


def test_evaluate_prints_scores_for_a_gold_file():
    result = tipfigures("evaluate", "--gold", "tests/gold/mali-hrr-2004.jsonl")
    assert result.returncode == 0, result.stderr
    assert "mali-hrr-2004" in result.stdout
    assert "precision" in result.stdout


def _bad_sources(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(RUSSIA, sources / RUSSIA.name)
    return sources


@pytest.mark.parametrize(("breakage", "expected"), [
    ("no-yaml", "source.yaml: missing"),
    ("latin-1", "not UTF-8"),
    ("empty", "text.txt: empty"),
    ("sha256", "sha256 is"),
])
def test_bad_sources_give_one_clear_line_and_publish_nothing(tmp_path, breakage, expected):
    sources = _bad_sources(tmp_path)
    folder = sources / RUSSIA.name
    if breakage == "no-yaml":
        (folder / "source.yaml").unlink()
    elif breakage == "latin-1":
        (folder / "text.txt").write_bytes("Caf\xe9 and 12 victims.".encode("latin-1"))
    elif breakage == "empty":
        (folder / "text.txt").write_text("")
    else:
        (folder / "text.txt").write_text("Changed: 12 victims.")
    output = tmp_path / "output"
    result = tipfigures("run", "--sources", str(sources), "--output", str(output))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and str(folder) in lines[0]
    assert "nothing was published" in lines[0]
    assert not (output / "trafficking-figures").exists()


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON"),
    ('{"fields": [{"name": "x", "type": "no-such-type"}]}', "not a valid Table Schema"),
])
def test_bad_schema_gives_one_clear_line(tmp_path, content, expected):
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "figures.schema.json").write_text(content)
    result = tipfigures("run", "--sources", str(RUSSIA.parent), "--output", str(tmp_path / "o"),
                        env={"TIPFIGURES_SCHEMAS": str(schemas)})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "figures.schema.json" in lines[0] and expected in lines[0]


def test_unwritable_output_gives_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = tipfigures("run", "--sources", str(RUSSIA.parent), "--output",
                        str(blocker / "output"))
    assert result.returncode == 1
    assert "cannot create the output folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_publishes_then_is_up_to_date(tmp_path, russia_only, prefect_api):
    output = tmp_path / "output"
    first = tipfigures("run", "--sources", str(russia_only), "--output", str(output),
                       env={"PREFECT_API_URL": prefect_api})  # the test run's Prefect server
    assert first.returncode == 0, first.stderr
    assert "published trafficking-figures 1.0.0" in first.stdout
    assert "figures" in first.stdout
    second = tipfigures("run", "--sources", str(russia_only), "--output", str(output))
    assert second.returncode == 0, second.stderr
    assert "up to date: trafficking-figures 1.0.0" in second.stdout
    dry = tipfigures("run", "--sources", str(russia_only), "--output", str(output), "--dry-run")
    assert "dry run: up to date" in dry.stdout
    verify = tipfigures("verify", "--output", str(output), "--sources", str(russia_only))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "verified" in verify.stdout
    valid = tipfigures("validate", str(output / "trafficking-figures" / "1.0.0"))
    assert valid.returncode == 0, valid.stdout
    frictionless = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate",
         str(output / "trafficking-figures/1.0.0/datapackage.json")], capture_output=True,
        text=True)
    assert frictionless.returncode == 0, frictionless.stdout


def test_verify_reports_a_differing_file(tmp_path, published_store):
    output = tmp_path / "output"
    shutil.copytree(published_store, output)
    csv_path = output / "trafficking-figures/1.0.0/data/indicators.csv"
    csv_path.write_text(csv_path.read_text().replace("Trafficking investigations", "Probes"))
    result = tipfigures("verify", "--output", str(output))
    assert result.returncode == 1
    assert "data/indicators.csv" in result.stdout and "differ" in result.stdout


def test_verify_unknown_version_lists_the_published_ones(published_store):
    result = tipfigures("verify", "9.9.9", "--output", str(published_store))
    assert result.returncode == 1
    assert "published versions: 1.0.0" in result.stderr


def test_help_reads_plainly():
    for command in ("run", "extract", "evaluate", "validate", "verify", "changes", "download",
                    "serve", "refresh"):
        text = help_of(command).stdout
        assert "<bool>" not in text and "<list" not in text, text
        options = [line for line in text.splitlines() if line.startswith("  --")]
        odd = [line for line in options for oddity in ("<str>", "<path>", "<int range>",
                                                       "<float range>") if oddity in line]
        assert options and not odd, (command, odd)
    assert "--gold FILE_OR_DIR" in help_of("evaluate").stdout


@pytest.mark.parametrize(("args", "expected"), [
    (("extract", "nope.txt"), "error: nope.txt: no such file or folder"),
    (("evaluate", "--gold", "nope"), "error: --gold nope: no such file or folder"),
])
def test_a_missing_file_is_named_as_typed(args, expected):
    result = tipfigures(*args)
    assert result.returncode == 1
    assert result.stderr.strip() == expected


def test_validate_of_a_folder_that_is_nothing_says_so(tmp_path):
    result = tipfigures("validate", str(tmp_path))
    assert result.returncode == 1
    assert "not a data package, a dataset folder, a source folder or a repository" in result.stdout
    assert f"invalid: {tmp_path}: 1 error" in result.stdout and "checked ;" not in result.stdout


def test_validate_counts_versions_in_good_english(tmp_path):
    result = tipfigures("validate", "--format", "text")
    count = len(json.loads((ROOT / "output/trafficking-figures/catalog.json").read_text())
                ["versions"])
    assert f"{count} published version{'s' * (count != 1)} of trafficking-figures" in \
        result.stdout
    one = tmp_path / "repo"  # a repository with one version says it in the singular
    for name in ("schemas", "sources", "corrections", "pyproject.toml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, one / name)
    store = one / "output/trafficking-figures"
    store.mkdir(parents=True)
    catalog = json.loads((ROOT / "output/trafficking-figures/catalog.json").read_text())
    catalog["versions"] = catalog["versions"][:1]
    catalog["latest"] = catalog["versions"][0]["version"]
    (store / "catalog.json").write_text(json.dumps(catalog))
    shutil.copytree(ROOT / "output/trafficking-figures/1.0.0", store / "1.0.0")
    single = tipfigures("validate", str(one), "--format", "text")
    assert "1 published version of trafficking-figures" in single.stdout + single.stderr
    assert "1 published versions" not in single.stdout + single.stderr


def test_changes_and_dry_run_print_plain_text_tables(tmp_path, russia_only, prefect_api):
    output = tmp_path / "output"
    dry = tipfigures("run", "--sources", str(russia_only), "--output", str(output), "--dry-run",
                     env={"PREFECT_API_URL": prefect_api})
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("dry run: would publish trafficking-figures 1.0.0")
    assert "{" not in dry.stdout and '"added"' not in dry.stdout
    shown = tipfigures("changes", "--sources", str(russia_only), "--output", str(output))
    assert shown.returncode == 0, shown.stderr
    assert "###" not in shown.stdout and "**" not in shown.stdout
    assert shown.stdout.startswith("Unpublished changes: a run would publish 1.0.0")
    markdown = tipfigures("changes", "--sources", str(russia_only), "--output", str(output),
                          "--markdown")
    assert markdown.stdout.startswith("### Unpublished changes")


def test_the_command_modules_do_not_import_each_other():
    for name in ("cli_data", "cli_schedule", "cli_common"):
        text = (ROOT / "src" / "tipfigures" / f"{name}.py").read_text()
        assert "from tipfigures.cli import" not in text and "import tipfigures.cli\n" not in text
    common = (ROOT / "src" / "tipfigures" / "cli_common.py").read_text()
    assert "cli_data" not in common.split('"""', 2)[2] and "cli_schedule" not in \
        common.split('"""', 2)[2]
