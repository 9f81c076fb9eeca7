"""Contributions checked before review: corrections and `tipfigures validate` (issue 7)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tipfigures.pipeline import build, extract_source, run
from tipfigures.repository import check_repository
from tipfigures.sources import load_source

from .conftest import ROOT, RUSSIA, built_once

CORRECTIONS = "corrections/russia.yaml"


@pytest.fixture(scope="session")
def good_repository() -> Path:
    """A small repository (the Russia article, one correction) whose output is up to date (made
    once per test run; each test works on a copy of it)."""
    return built_once("good-repository", _make_good_repository)


def _make_good_repository(root: Path) -> None:
    shutil.copytree(RUSSIA, root / "sources" / RUSSIA.name)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copy(ROOT / "pyproject.toml", root)  # the root of a checkout, for the command line
    (root / "corrections").mkdir()
    (root / CORRECTIONS).write_text(yaml.safe_dump({"corrections": [{
        "action": "fix", "figure_id": _figure_id("23"), "field": "unit", "value": "persons",
        "reason": "23 counts people sentenced"}]}))
    here = Path.cwd()
    os.chdir(root)  # published as from this checkout: its quality statement is measured on
    try:            # its own held-out gold (none), as `verify` run from it will measure
        result = run(root / "sources", root / "output")
    finally:
        os.chdir(here)
    assert result.status == "published"


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


def _write_corrections(root: Path, text: str) -> None:
    (root / CORRECTIONS).write_text(text, encoding="utf-8")


def _set_metadata_line(root: Path, name: str, raw: str) -> None:
    """Replace the line `name: ...` of source.yaml with `name: <raw>` (raw YAML)."""
    path = root / "sources" / RUSSIA.name / "source.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    lines[index] = f"{name}: {raw}"
    path.write_text("\n".join(lines) + "\n")


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] +
    [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)])


def alias_bomb_in_corrections(root: Path) -> None:
    _write_corrections(root, BILLION_LAUGHS + "\ncorrections: []\n")


def alias_bomb_in_source_title(root: Path) -> None:
    path = root / "sources" / RUSSIA.name / "source.yaml"
    bomb = BILLION_LAUGHS.replace("\n", "\n  ")
    path.write_text(path.read_text().replace("title: Human trafficking in Russia\n",
                                             f"lols:\n  {bomb}\ntitle: *i\n"))


def oversized_corrections_file(root: Path) -> None:
    _write_corrections(root, "corrections: []\n" + "# padding\n" * 40_000)


def deeply_nested_corrections(root: Path) -> None:
    _write_corrections(root, "corrections:\n  - action: reject\n    reason: " +
                       "[" * 50 + "]" * 50 + "\n")


def duplicate_key_in_a_correction(root: Path) -> None:
    _write_corrections(root, f"""corrections:
  - action: reject
    figure_id: "{_figure_id("102")}"
    reason: not a figure
    reason: a count
""")


def explicit_yaml_tag(root: Path) -> None:
    _set_metadata_line(root, "title", "!!python/name:os.system")


def occurrence_zero(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": RUSSIA.name, "quote": "twenty members",
                           "occurrence": 0, "value": 20, "unit": "persons",
                           "qualifier": "more_than", "indicator": "traffickers",
                           "reason": "missed"})


def unquoted_numeric_figure_id(root: Path) -> None:
    (root / CORRECTIONS).write_text((root / CORRECTIONS).read_text() +
                                    "- action: reject\n  figure_id: 0000000000000000\n"
                                    "  reason: not a figure\n")


def chars_as_text(root: Path) -> None:
    _set_metadata_line(root, "chars", '"15400"')


def reporting_period_as_text(root: Path) -> None:
    _set_metadata_line(root, "reporting_period", "last year")


def title_as_a_list(root: Path) -> None:
    _set_metadata_line(root, "title", "[Human, trafficking]")


def reason_as_a_mapping(root: Path) -> None:
    _add_correction(root, {"action": "reject", "figure_id": _figure_id("102"),
                           "reason": {"why": "not a figure"}})


def unknown_field_in_a_fix(root: Path) -> None:
    _add_correction(root, {"action": "fix", "figure_id": _figure_id("102"), "field": "unit",
                           "value": "cases", "reason": "cases", "comment": "typo'd key"})


def _rewrite_text(root: Path, change: Callable[[str], str]) -> None:
    """Change text.txt and record its new sha256 and chars, as a careful contributor would."""
    import hashlib

    folder = root / "sources" / RUSSIA.name
    data = change((folder / "text.txt").read_text(encoding="utf-8")).encode("utf-8")
    (folder / "text.txt").write_bytes(data)
    _set_metadata_line(root, "sha256", hashlib.sha256(data).hexdigest())
    _set_metadata_line(root, "chars", str(len(data.decode("utf-8"))))


def crlf_line_endings(root: Path) -> None:
    _rewrite_text(root, lambda text: text.replace("\n", "\r\n"))


def cr_only_line_endings(root: Path) -> None:
    _rewrite_text(root, lambda text: text.replace("\n", "\r"))


def byte_order_mark(root: Path) -> None:
    _rewrite_text(root, lambda text: "\ufeff" + text)


def nul_byte_in_text(root: Path) -> None:
    _rewrite_text(root, lambda text: text.replace("102", "10\x002", 1))


def bidi_override_in_text(root: Path) -> None:
    _rewrite_text(root, lambda text: text.replace("102", "\u202e201\u202c", 1))


def bidi_isolate_in_title(root: Path) -> None:
    _set_metadata_line(root, "title", '"Human trafficking in \u2067Russia\u2069"')


def all_rights_reserved(root: Path) -> None:
    _set_metadata_line(root, "license", "All-Rights-Reserved")


def id_not_the_folder_name(root: Path) -> None:
    _set_metadata_line(root, "id", "russia")


def unknown_origin_kind(root: Path) -> None:
    _set_metadata_line(root, "origin", "{kind: ftp, url: 'ftp://example.org/report.txt'}")
    path = root / "sources" / RUSSIA.name / "source.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("origin:"))
    path.write_text("\n".join(lines[:index + 1] + [line for line in lines[index + 1:]
                                                  if not line.startswith("  ")]) + "\n")


def added_figure_of_an_unknown_source(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": "nowhere-2020", "quote": "12",
                           "value": 12, "qualifier": "exact", "indicator": "arrests",
                           "reason": "missed"})


def fix_of_an_offset(root: Path) -> None:
    _add_correction(root, {"action": "fix", "figure_id": _figure_id("102"), "field": "start",
                           "value": 0, "reason": "moved"})


def figure_id_not_hex(root: Path) -> None:
    _add_correction(root, {"action": "reject", "figure_id": "not-a-figure-id!",
                           "reason": "wrong"})


def corrections_not_a_list(root: Path) -> None:
    _write_corrections(root, "corrections:\n  action: reject\n  reason: flat\n")


def occurrence_out_of_range(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": RUSSIA.name, "quote": "twenty members",
                           "occurrence": 3, "value": 20, "unit": "persons",
                           "qualifier": "more_than", "indicator": "traffickers",
                           "reason": "missed"})


def two_yaml_documents(root: Path) -> None:
    (root / CORRECTIONS).write_text((root / CORRECTIONS).read_text() + "---\ncorrections: []\n")


def already_extracted_figure_added(root: Path) -> None:
    _add_correction(root, {"action": "add", "source_id": RUSSIA.name, "quote": "eleven",
                           "value": 11, "unit": "countries", "qualifier": "exact",
                           "indicator": "other", "reason": "missed?"})


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
    (alias_bomb_in_corrections, CORRECTIONS, "YAML anchor &a is not allowed"),
    (alias_bomb_in_source_title, "source.yaml", "YAML anchor &a is not allowed"),
    (oversized_corrections_file, CORRECTIONS, "a contributor YAML file may have at most"),
    (deeply_nested_corrections, CORRECTIONS, "nested more than 6 levels deep"),
    (duplicate_key_in_a_correction, CORRECTIONS, "key 'reason' appears twice"),
    (explicit_yaml_tag, "source.yaml", "YAML tag tag:yaml.org,2002:python/name:os.system is not"),
    (occurrence_zero, CORRECTIONS, "occurrence must be a whole number >= 1"),
    (unquoted_numeric_figure_id, CORRECTIONS,
     "figure_id must be a quoted string of 16 hex digits; YAML read '0000000000000000' as the "
     "number 0"),
    (chars_as_text, "source.yaml", "field 'chars' must be a whole number of characters"),
    (reporting_period_as_text, "source.yaml", "field 'reporting_period' must be a year"),
    (title_as_a_list, "source.yaml", "field 'title' must be text, got a list"),
    (reason_as_a_mapping, CORRECTIONS, "reason must be text, got a mapping"),
    (unknown_field_in_a_fix, CORRECTIONS, "unknown field 'comment' in a fix correction"),
    (crlf_line_endings, "text.txt", "U+000D CARRIAGE RETURN before a line feed (CRLF"),
    (cr_only_line_endings, "text.txt", "U+000D CARRIAGE RETURN without a line feed (CR-only"),
    (byte_order_mark, "text.txt", "U+FEFF BYTE ORDER MARK is not allowed"),
    (nul_byte_in_text, "text.txt", "U+0000 control character is not allowed"),
    (bidi_override_in_text, "text.txt", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    (bidi_isolate_in_title, "source.yaml", "field 'title' holds U+2067 RIGHT-TO-LEFT ISOLATE"),
    (all_rights_reserved, "source.yaml", "field 'license' is 'All-Rights-Reserved', which is not"),
    (already_extracted_figure_added, CORRECTIONS, "the extractor already finds this figure"),
    (id_not_the_folder_name, "source.yaml", "field 'id' is 'russia' but the folder is named"),
    (unknown_origin_kind, "source.yaml", "kind must be one of mediawiki, url, got the text 'ftp'"),
    (added_figure_of_an_unknown_source, CORRECTIONS, "source_id 'nowhere-2020' is not a source"),
    (fix_of_an_offset, CORRECTIONS, "field 'start' cannot be corrected"),
    (figure_id_not_hex, CORRECTIONS, "figure_id must be 16 hex digits (0-9, a-f), got"),
    (corrections_not_a_list, CORRECTIONS, "expected a top-level 'corrections:' list"),
    (occurrence_out_of_range, CORRECTIONS, "occurrence 3 is out of range 1..1"),
    (two_yaml_documents, CORRECTIONS, "holds more than one YAML document"),
]
# Broken published versions and an output/ behind its inputs: `validate` catches them; `run`
# is how the last one is fixed, so these are not run through `run`.
STORE_PROBLEMS = (edited_published_file, catalog_points_to_missing_version, unpublished_change)
# A problem of a whole file, with no line or field to name.
FILE_LEVEL = (wrong_sha256, oversized_corrections_file, two_yaml_documents)


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


def test_every_mistake_of_an_entry_is_reported_with_its_line(repository):
    _write_corrections(repository, """corrections:
  - action: add
    source_id: wikipedia-human-trafficking-in-russia
    quote: twenty members
    occurrence: 0
    value: twenty
    qualifier: roughly
    indicator: traffickers
    reason: missed
""")
    problems, _ = check_repository(repository)
    found = {(p.field, p.row) for p in problems if p.file.endswith(CORRECTIONS)}
    assert {("occurrence", 5), ("value", 6), ("qualifier", 7)} <= found, found


def test_unquoted_figure_id_is_refused_not_read_as_zero(repository):
    unquoted_numeric_figure_id(repository)
    problems, _ = check_repository(repository)
    problem = next(p for p in problems if p.field == "figure_id")
    lines = (repository / CORRECTIONS).read_text().splitlines()
    assert lines[problem.row - 1].strip() == "figure_id: 0000000000000000"
    assert 'figure_id: "0000000000000000"' in problem.hint


def test_an_alias_bomb_is_refused_before_it_is_expanded(repository):
    from tipfigures.contributor_yaml import ContributorYamlError, read_contributor_yaml

    alias_bomb_in_corrections(repository)
    with pytest.raises(ContributorYamlError) as caught:
        read_contributor_yaml(repository / CORRECTIONS)
    assert caught.value.line == 1
    assert len((repository / CORRECTIONS).read_bytes()) < 1000  # 9**9 lols once expanded


def test_text_errors_name_line_and_column(repository):
    bidi_override_in_text(repository)
    problems, _ = check_repository(repository)
    problem = next(p for p in problems if "U+202E" in p.message)
    text = (repository / "sources" / RUSSIA.name / "text.txt").read_text(encoding="utf-8")
    line = text.splitlines()[problem.row - 1]
    column = int(problem.message.split("column ")[1].split(":")[0])
    assert line[column - 1] == "\u202e"


def test_validate_runs_the_release_checks_on_the_tables(repository, monkeypatch):
    """A schema constraint the tables break passes the schema checks but fails a release:
    validate builds the tables, writes them as a run would and validates them the same way."""
    schemas = repository / "schemas"
    path = schemas / "figures.schema.json"
    schema = json.loads(path.read_text())
    next(f for f in schema["fields"] if f["name"] == "text")["constraints"]["maxLength"] = 3
    path.write_text(json.dumps(schema, indent=2))
    monkeypatch.setenv("TIPFIGURES_SCHEMAS", str(schemas))
    problems, _ = check_repository(repository)
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.resource == "figures" and p.field == "text" and p.row and
               p.file.startswith("(the tables of a run)") for p in errors), [str(p) for p in errors]
    with pytest.raises(Exception, match="text"):
        run(repository / "sources", repository / "fresh-output")  # a first release


def test_replacing_a_figure_by_reject_and_add_on_its_span_is_allowed(repository):
    _add_correction(repository, {"action": "reject", "figure_id": _figure_id("eleven"),
                                 "reason": "replaced below"})
    already_extracted_figure_added(repository)
    problems, _ = check_repository(repository)
    assert not [p for p in problems if p.file.endswith(CORRECTIONS)], [str(p) for p in problems]


# ---------------------------------------------------------------------------------------------
# Where corrections are found (--corrections)


def _tipfigures(*args: str, cwd: Path, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tipfigures.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "COLUMNS": "200", **(env or {})},
                          timeout=300)


def _catalog(root: Path) -> str:
    return (root / "output/trafficking-figures/catalog.json").read_text()


def test_sources_elsewhere_without_their_corrections_publish_nothing(repository, tmp_path):
    elsewhere = tmp_path / "copy" / "sources"
    shutil.copytree(repository / "sources", elsewhere)
    before = _catalog(repository)
    for command in ("run", "refresh", "changes"):
        result = _tipfigures(command, "--sources", str(elsewhere), "--output", "output",
                             cwd=repository)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "no corrections folder at" in result.stderr and "russia.yaml" in result.stderr
        assert "--corrections DIR" in result.stderr
    assert _catalog(repository) == before


def test_corrections_given_with_sources_elsewhere_are_applied(repository, tmp_path,
                                                              prefect_api):
    elsewhere = tmp_path / "copy" / "sources"
    shutil.copytree(repository / "sources", elsewhere)
    result = _tipfigures("run", "--sources", str(elsewhere), "--output", "output",
                         "--corrections", "corrections", cwd=repository,
                         env={"PREFECT_API_URL": prefect_api})  # the test run's server
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("up to date")  # the curation is kept, nothing reverted
    verified = _tipfigures("verify", "--sources", str(elsewhere), "--corrections",
                           "corrections", cwd=repository)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_corrections_elsewhere_while_the_sources_have_their_own_are_refused(repository,
                                                                           tmp_path):
    other = tmp_path / "other-corrections"
    other.mkdir()
    before = _catalog(repository)
    result = _tipfigures("run", "--corrections", str(other), cwd=repository)
    assert result.returncode == 1
    assert "the sources have 1 correction file(s) of their own in" in result.stderr
    assert _catalog(repository) == before


@pytest.mark.parametrize("command", ["run", "validate", "changes", "verify", "refresh"])
def test_a_missing_corrections_folder_is_an_error(repository, command):
    result = _tipfigures(command, "--corrections", "nope", cwd=repository)
    assert result.returncode == 1, result.stdout
    assert "--corrections nope: no such folder" in result.stderr


# ---------------------------------------------------------------------------------------------
# The examples of CONTRIBUTING.md


def _yaml_blocks(root: Path) -> list[str]:
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_the_documented_corrections_apply_without_a_problem(tmp_path):
    from tipfigures.curate import load_corrections
    from tipfigures.sources import load_sources

    block = next(b for b in _yaml_blocks(ROOT) if b.startswith("corrections:"))
    folder = tmp_path / "corrections"
    folder.mkdir()
    (folder / "example.yaml").write_text(block, encoding="utf-8")
    corrections, problems = load_corrections(folder)
    assert problems == [] and [c.action for c in corrections] == ["fix", "reject", "reject",
                                                                  "add"]
    sources = load_sources(ROOT / "sources")
    tables, problems = build(sources, [extract_source(s) for s in sources], folder)
    assert [str(p) for p in problems] == []
    curated = {row["text"]: row for row in tables["figures"] if row["method"] == "curated"}
    assert set(curated) == {"23", "nearly four dozen"}
    assert curated["23"]["note"] == '"23 given sentences" counts people, not sentences.'
    ids = {row["figure_id"] for row in tables["figures"]}
    assert not {"88d523af3add40f9", "242d46688fd11456"} & ids


def test_the_documented_source_yaml_and_sha256_command_make_a_valid_source(tmp_path):
    from tipfigures.sources import check_metadata

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    command = text.split("Get the last two with\n   `", 1)[1].split("`", 1)[0]
    folder = tmp_path / "sources" / "kenya-tip-2023"
    shutil.copytree(ROOT / "sources" / "mali-hrr-2004", folder)
    assert command.startswith("python -c ") and command.endswith(" sources/kenya-tip-2023/text.txt")
    printed = subprocess.run(["sh", "-c", command.replace("python ", f"{sys.executable} ", 1)],
                             cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    sha256, chars = printed.split()
    block = next(b for b in _yaml_blocks(ROOT) if b.lstrip().startswith("id: kenya-tip-2023"))
    block = block.replace("<sha256 of text.txt>", sha256).replace(
        "<length of the text in characters>", chars)
    (folder / "source.yaml").write_text("\n".join(line.strip() for line in block.splitlines()))
    source = load_source(folder)
    assert source.sha256 == sha256 and len(source.text) == int(chars)
    assert check_metadata(source.metadata, folder / "source.yaml") == []


# ---------------------------------------------------------------------------------------------
# Each bad contribution through `tipfigures validate` and `tipfigures run`, as CI and a
# contributor would run them, in a copy of the repository


def schema_constraint_the_tables_break(root: Path) -> None:
    """With a change of the data, so that `run` makes a release and checks it."""
    unpublished_change(root)
    path = root / "schemas" / "figures.schema.json"
    schema = json.loads(path.read_text())
    next(f for f in schema["fields"] if f["name"] == "text")["constraints"]["maxLength"] = 3
    path.write_text(json.dumps(schema, indent=2))


COMMAND_LINE_CASES = [case for case in BAD_CONTRIBUTIONS if case[0] not in STORE_PROBLEMS] + [
    (schema_constraint_the_tables_break, "figures", "maxLength"),
]


def _published(root: Path) -> list[str]:
    folder = root / "output" / "trafficking-figures"
    return sorted(p.name for p in folder.iterdir()) + [(folder / "catalog.json").read_text()]


def _start(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tipfigures.cli", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "COLUMNS": "200", **env})


def _finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _in_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`tipfigures ARGS` in `cwd`, run in this process by typer's CliRunner, against the test
    run's Prefect server (conftest's prefect_api): exit code, stdout and stderr as a process
    gives them. Prefect's results go to `cwd`'s state folder and Prefect's own logs are quiet,
    as in a process started there; the environment, the working folder and the log level are
    restored afterwards. An exception the command does not turn into an exit code fails the
    test."""
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.settings import PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings
    from typer.testing import CliRunner

    from tipfigures.cli import app

    ensure_logging_setup()  # else Prefect's first flow here sets its levels anew
    saved, prefect_logger = dict(os.environ), logging.getLogger("prefect")
    level = prefect_logger.level
    prefect_logger.setLevel(logging.CRITICAL)  # as quiet_prefect() makes it in a process
    try:
        with contextlib.chdir(cwd), temporary_settings(
                {PREFECT_RESULTS_LOCAL_STORAGE_PATH: cwd / ".state" / "prefect" / "results"}):
            # TIPFIGURES_NO_GUARD: no watchdog of this (pytest's) process for each command
            result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200",
                                                              "TIPFIGURES_NO_GUARD": "1"})
    finally:
        os.environ.clear()
        os.environ.update(saved)
        prefect_logger.setLevel(level)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(["tipfigures", *args], result.exit_code, result.stdout,
                                       result.stderr)


def _assert_refused(breakage: Callable[[Path], None], where: str, message: str,
                    checked: subprocess.CompletedProcess[str],
                    ran: subprocess.CompletedProcess[str]) -> None:
    """`validate --format json` names the problem (with its row or field), `run` says it and
    publishes nothing."""
    assert checked.returncode == 1, checked.stdout + checked.stderr
    errors = [p for p in json.loads(checked.stdout)["problems"] if p["severity"] == "error"]
    ours = [p for p in errors if where in p["file"] and message in p["message"]]
    assert ours, errors
    if breakage not in FILE_LEVEL:
        assert any("row" in p or "field" in p for p in ours), ours
    assert ran.returncode == 1, ran.stdout + ran.stderr
    said = [line for line in ran.stderr.splitlines() if message in line]
    assert said and where in said[0], ran.stderr
    assert "nothing was published" in ran.stderr


@pytest.mark.flow
@pytest.mark.parametrize(("breakage", "where", "message"), COMMAND_LINE_CASES,
                         ids=[b.__name__ for b, _, _ in COMMAND_LINE_CASES])
def test_each_bad_contribution_fails_validate_and_run_and_publishes_nothing(
        repository, prefect_api, breakage, where, message):
    """Every case through the commands `validate` and `run` as typed in the repository, run in
    this process (a `run` that passes its checks runs the real publish flow); the processes
    themselves are the next test's."""
    breakage(repository)
    before = _published(repository)
    checked = _in_process("validate", ".", "--format", "json", cwd=repository)
    ran = _in_process("run", cwd=repository)
    _assert_refused(breakage, where, message, checked, ran)
    assert _published(repository) == before


# One case the checks before the flow refuse, one the flow's release checks refuse.
IN_PROCESSES = [case for case in COMMAND_LINE_CASES if case[0] in (
    missing_license, schema_constraint_the_tables_break)]


@pytest.mark.slow
@pytest.mark.parametrize(("breakage", "where", "message"), IN_PROCESSES,
                         ids=[b.__name__ for b, _, _ in IN_PROCESSES])
def test_bad_contributions_fail_the_commands_as_ci_runs_them(
        repository, prefect_api, breakage, where, message):
    """`tipfigures validate` and `tipfigures run` as processes, side by side, as CI and a
    contributor run them (`run` on the test run's Prefect server, PREFECT_API_URL)."""
    breakage(repository)
    before = _published(repository)
    validating = _start("validate", ".", "--format", "json", cwd=repository, env={})
    running = _start("run", cwd=repository,  # side by side: validate only reads
                     env={"PREFECT_API_URL": prefect_api})
    _assert_refused(breakage, where, message, _finish(validating), _finish(running))
    assert _published(repository) == before


def test_the_table_of_bad_contributions_is_in_contributing(root):
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("### Bad contributions and their messages", 1)[1].split("\n## ", 1)[0]
    missing = [message for _, _, message in BAD_CONTRIBUTIONS + COMMAND_LINE_CASES[-1:]
               if message.replace("|", "\\|") not in table]
    assert missing == []
