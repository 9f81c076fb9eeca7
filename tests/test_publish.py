"""Publishing: versions from the diff, changelog, and the store's guarantees (issue 4)."""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from tipfigures.extract import extract
from tipfigures.package import read_csv_rows, read_parquet_rows, read_tables
from tipfigures.pipeline import build, extract_source, recorded_inputs
from tipfigures.publish import PublishError, Store, diff_tables, next_version, publish
from tipfigures.repository import check_store
from tipfigures.sources import load_source, load_sources, record_snapshot
from tipfigures.tables import RESOURCES, figure_ids, load_schema
from tipfigures.validate import ValidationFailed

from .conftest import RUSSIA

CREATED = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def russia_tables():
    source = load_source(RUSSIA)
    tables, problems = build([source], [extract_source(source)], None)
    assert problems == []
    return tables


def _publish(tables, output: Path, **options):
    return publish(copy.deepcopy(tables), output, inputs={"sources": {}}, created=CREATED,
                   **options)


def test_first_release_then_up_to_date(tmp_path, russia_tables):
    output = tmp_path / "output"
    first = _publish(russia_tables, output)
    assert (first.status, first.version) == ("published", "1.0.0")
    folder = output / "trafficking-figures"
    assert sorted(p.name for p in (folder / "1.0.0" / "data").iterdir())[:2] == [
        "events.csv", "events.parquet"]
    catalog = json.loads((folder / "catalog.json").read_text())
    assert catalog["latest"] == "1.0.0"
    assert catalog["versions"][0]["rows"]["figures"] == len(russia_tables["figures"])
    assert "First release" in (folder / "CHANGELOG.md").read_text()
    again = _publish(russia_tables, output)
    assert (again.status, again.version) == ("up-to-date", "1.0.0")
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["1.0.0"]
    assert check_store(folder) == []


def test_a_new_quality_statement_on_the_same_data_is_a_patch_release(tmp_path, russia_tables):
    """A new extractor version or new held-out gold changes what a release says of its quality:
    the run publishes a patch with the same data files, so that every release measures itself."""
    output = tmp_path / "output"
    measured = {"extractor_version": "1", "measures": [{"name": "panel_f1", "value": 0.8}]}
    remeasured = {"extractor_version": "2", "measures": [{"name": "panel_f1", "value": 0.9}]}
    assert _publish(russia_tables, output, quality=measured).version == "1.0.0"
    dry = _publish(russia_tables, output, quality=remeasured, dry_run=True)
    assert (dry.status, dry.version, dry.changes.bump) == ("dry-run", "1.0.1", "patch")
    second = _publish(russia_tables, output, quality=remeasured)
    assert (second.status, second.version) == ("published", "1.0.1")
    folder = output / "trafficking-figures"
    for name in ("figures.csv", "observations.csv", "figures.parquet"):
        assert (folder / "1.0.0" / "data" / name).read_bytes() == \
            (folder / "1.0.1" / "data" / name).read_bytes()
    descriptor = json.loads((folder / "1.0.1" / "datapackage.json").read_text())
    assert descriptor["quality"] == remeasured
    assert "no change in the data; quality statement measured again" in \
        (folder / "CHANGELOG.md").read_text()
    again = _publish(russia_tables, output, quality=remeasured)
    assert (again.status, again.version) == ("up-to-date", "1.0.1")


def test_changed_value_is_a_patch_with_a_readable_changelog(tmp_path, russia_tables):
    output = tmp_path / "output"
    _publish(russia_tables, output)
    tables = copy.deepcopy(russia_tables)
    row = next(r for r in tables["figures"] if r["text"] == "56")
    row["value"] = 58.0
    for observation in tables["observations"]:
        if observation["figure_id"] == row["figure_id"]:
            observation["value"] = 58.0
    result = _publish(tables, output)
    assert (result.status, result.version, result.changes.bump) == ("published", "1.0.1", "patch")
    changes = json.loads((output / "trafficking-figures/1.0.1/changes.json").read_text())
    changed = changes["resources"]["figures"]["changed"]
    assert changed == [{"key": [row["figure_id"]], "field": "value", "old": 56.0, "new": 58.0,
                        "source_id": RUSSIA.name, "text": "56", "note": None}]
    changelog = (output / "trafficking-figures/CHANGELOG.md").read_text()
    assert f'- {RUSSIA.name}: "56" ({row["figure_id"]}): value 56 -> 58.' in changelog
    assert changelog.index("## 1.0.1") < changelog.index("## 1.0.0")  # newest first


def test_a_curated_figure_is_one_changelog_line_with_its_reason(tmp_path, russia_tables):
    output = tmp_path / "output"
    _publish(russia_tables, output)
    tables = copy.deepcopy(russia_tables)
    row = next(r for r in tables["figures"] if r["text"] == "23")
    removed = next(r for r in tables["figures"] if r["text"] == "102")
    tables["figures"].remove(removed)
    for name in ("observations", "observation_candidates"):
        tables[name] = [o for o in tables[name] if o["figure_id"] != removed["figure_id"]]
    row.update(unit="persons", indicator="sentence", method="curated",
               note="23 counts people sentenced.")
    _publish(tables, output)
    changelog = (output / "trafficking-figures/CHANGELOG.md").read_text()
    section = changelog.split("## 1.1.0", 1)[1].split("## 1.0.0", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    ours = [line for line in lines if row["figure_id"] in line]
    assert len(ours) == 1, lines
    assert f'- {RUSSIA.name}: "23" ({row["figure_id"]}): ' in ours[0]
    assert "indicator convictions -> sentence" in ours[0]
    assert ours[0].endswith("(23 counts people sentenced).")  # no doubled full stop
    assert "method" not in section and ".." not in section
    assert any(f'"102" ({removed["figure_id"]}, 102 investigations) removed.' in line
               for line in lines)


def test_edited_source_is_a_minor_release(tmp_path, russia_only):
    output = tmp_path / "output"
    source = load_source(russia_only / RUSSIA.name)
    tables, _ = build([source], [extract_source(source)], None)
    _publish(tables, output)
    record_snapshot(source.folder, source.text + "\nIn 2024, police opened 31 investigations "
                                                 "and rescued 12 victims.\n")
    edited = load_source(source.folder)
    tables, problems = build([edited], [extract_source(edited)], None)
    assert problems == []
    result = _publish(tables, output)
    assert (result.version, result.changes.bump) == ("1.1.0", "minor")
    changelog = (output / "trafficking-figures/CHANGELOG.md").read_text()
    assert f'- {RUSSIA.name}: "31" (' in changelog and "31 investigations) added." in changelog


def test_removed_or_retyped_field_is_major(russia_tables):
    old_schemas = {name: load_schema(name) for name in russia_tables}
    old_schemas["figures"] = copy.deepcopy(old_schemas["figures"])
    old_schemas["figures"]["fields"].append({"name": "confidence", "type": "number"})
    assert diff_tables(russia_tables, russia_tables, old_schemas, "1.2.0").bump == "major"
    old_schemas["figures"]["fields"].pop()
    old_schemas["figures"]["fields"][6] = {"name": "value", "type": "string"}
    assert diff_tables(russia_tables, russia_tables, old_schemas, "1.2.0").bump == "major"
    assert next_version("1.2.3", "major") == "2.0.0"
    assert next_version("1.2.3", "minor") == "1.3.0"
    assert next_version("1.2.3", "patch") == "1.2.4"


def test_figure_id_survives_edits_before_and_after_the_figure():
    text = ("Intro paragraph.\n\nIn 2009, police conducted 102 investigations. "
            "Later, 12 victims were referred.\n")
    edited = ("A new first paragraph with 7 NGOs.\n\nIntro paragraph, longer now.\n\nIn 2009, "
              "police conducted 102 investigations. Later, 12 victims were referred. And 3 more "
              "were found.\n")

    def ids(body: str) -> dict[str, str]:
        figures = extract(body).figures
        return {f.text: i for f, i in zip(figures, figure_ids("s", figures), strict=True)}

    before, after = ids(text), ids(edited)
    assert before["102"] == after["102"]
    assert before["12"] == after["12"]
    assert len(set(after.values())) == len(after)


def _ids_by_text(body: str) -> dict[str, str]:
    figures = extract(body).figures
    return {f.text: i for f, i in zip(figures, figure_ids("s", figures), strict=True)}


SENTENCE = ("In 2009, police conducted 102 investigations, prosecuted 99 individuals and "
            "convicted 76 of them.\n")


@pytest.mark.parametrize(("old", "new"), [("99", "98"), ("102", "1,020"), ("76", "seventy-six")])
def test_editing_one_figure_keeps_the_ids_of_the_others_in_its_sentence(old, new):
    before = _ids_by_text("Intro.\n\n" + SENTENCE)
    after = _ids_by_text("Intro.\n\n" + SENTENCE.replace(old, new))
    assert set(before) == {"102", "99", "76"}
    for text in {"102", "99", "76"} - {old}:
        assert before[text] == after[text], text
    assert before[old] == after[new]  # the edited figure too: its value changed, not its place


def test_editing_the_words_of_a_sentence_or_adding_a_figure_makes_new_ids():
    before = _ids_by_text(SENTENCE)
    assert not set(before.values()) & set(
        _ids_by_text(SENTENCE.replace("prosecuted", "charged")).values())
    assert not set(before.values()) & set(
        _ids_by_text(SENTENCE.replace("them.", "them; 12 victims were found.")).values())


def test_the_same_sentence_twice_gives_different_ids():
    figures = extract(SENTENCE + "\n" + SENTENCE).figures
    ids = figure_ids("s", figures)
    assert len(figures) == 6 and len(set(ids)) == 6


def test_publishing_an_existing_version_is_refused(tmp_path, russia_tables):
    output = tmp_path / "output"
    _publish(russia_tables, output)
    tables = copy.deepcopy(russia_tables)
    tables["figures"][0]["entity"] = "edited"
    _publish(tables, output)  # 1.0.1
    store = Store(output)
    catalog = store.catalog()
    catalog["latest"] = "1.0.0"  # as if 1.0.1 had not been seen: the next patch is 1.0.1 again
    store.write_catalog(catalog)
    tables["figures"][0]["entity"] = "edited again"
    with pytest.raises(PublishError, match="1.0.1 is already published"):
        _publish(tables, output)
    assert json.loads((output / "trafficking-figures/1.0.1/changes.json").read_text())


def test_validation_gates_publishing(tmp_path, russia_tables):
    output = tmp_path / "output"
    _publish(russia_tables, output)
    tables = copy.deepcopy(russia_tables)
    tables["figures"][3]["qualifier"] = "roughly"
    with pytest.raises(ValidationFailed) as raised:
        _publish(tables, output)
    problem = raised.value.problems[0]
    assert (problem.resource, problem.row, problem.field) == ("figures", 5, "qualifier")
    assert "roughly" in problem.message
    store = Store(output)
    assert store.versions() == ["1.0.0"]
    assert [p.name for p in store.folder.iterdir() if p.is_dir()] == ["1.0.0"]


def test_unwritable_output_is_a_clear_error(tmp_path, russia_tables):
    if os.geteuid() == 0:
        blocker = tmp_path / "file"
        blocker.write_text("not a folder")
        output = blocker / "output"
    else:
        output = tmp_path / "locked"
        output.mkdir(mode=0o500)
    with pytest.raises(PublishError, match="output"):
        _publish(russia_tables, output)


def test_same_inputs_give_byte_identical_files(tmp_path, russia_tables):
    a, b = tmp_path / "a", tmp_path / "b"
    _publish(russia_tables, a)
    _publish(russia_tables, b)
    files_a = sorted((a / "trafficking-figures/1.0.0").rglob("*.*"))
    # the data files, datapackage.json, changes.json and the zip
    assert len(files_a) == 2 * len(RESOURCES) + 3
    for path in files_a:
        twin = b / path.relative_to(a)
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_parquet_equals_csv_in_rows_and_types(published_store):
    folder = published_store / "trafficking-figures/1.0.0"
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        csv_rows = read_csv_rows(folder / resource["path"], resource["schema"])
        parquet_rows = read_parquet_rows(folder / f"data/{resource['name']}.parquet")
        assert csv_rows == parquet_rows, resource["name"]
        for row in csv_rows[:3]:
            for field in resource["schema"]["fields"]:
                value = row[field["name"]]
                if value is not None and field["type"] == "integer":
                    assert isinstance(value, int)


def test_every_figure_satisfies_the_provenance_contract(published_store):
    tables = read_tables(published_store / "trafficking-figures/1.0.0")
    sources = {s.id: s.text for s in load_sources(RUSSIA.parent)}
    assert len(tables["figures"]) > 100
    for row in tables["figures"]:
        assert sources[row["source_id"]][row["start"]:row["end"]] == row["text"]


def test_second_publisher_waits_for_the_lock_then_gives_up_clearly(tmp_path, russia_tables):
    output = tmp_path / "output"
    folder = output / "trafficking-figures"
    folder.mkdir(parents=True)
    with FileLock(str(folder / ".lock")), pytest.raises(PublishError, match="another run is "
                                                                            "publishing"):
        _publish(russia_tables, output, lock_timeout=0.2)
    assert not (folder / "catalog.json").exists()


# A publisher in a process of its own, publishing the Russia tables (built once, pickled).
PUBLISHER = """
import pickle, sys
from pathlib import Path
from tipfigures.publish import publish
tables = pickle.loads(Path(sys.argv[1]).read_bytes())
if sys.argv[3] == "edit":
    tables["figures"][0]["entity"] = "edited"
result = publish(tables, Path(sys.argv[2]), inputs={}, lock_timeout=60)
print(result.status, result.version)
"""


@pytest.fixture(scope="module")
def russia_tables_file(tmp_path_factory, russia_tables) -> Path:
    path = tmp_path_factory.mktemp("tables") / "russia.pickle"
    path.write_bytes(pickle.dumps(russia_tables))
    return path


def _start_publisher(tables: Path, output: Path, edit: bool, pause: str | None, marker: Path):
    env = dict(os.environ)
    if pause:
        env["TIPFIGURES_PUBLISH_PAUSE"] = pause
        env["TIPFIGURES_PUBLISH_PAUSE_MARKER"] = str(marker)
    return subprocess.Popen([sys.executable, "-c", PUBLISHER, str(tables), str(output),
                             "edit" if edit else "same"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def first_release(tmp_path_factory, russia_tables) -> Path:
    """An output folder with 1.0.0 published as PUBLISHER publishes it (shared by the kill
    tests, which copy it)."""
    output = tmp_path_factory.mktemp("first-release") / "output"
    assert publish(copy.deepcopy(russia_tables), output, inputs={}).version == "1.0.0"
    return output


@pytest.mark.parametrize("point", ["package-written", "validated", "renamed", "catalog-written"])
def test_sigkill_at_any_point_leaves_the_store_valid(tmp_path, point, first_release,
                                                     russia_tables_file):
    output = tmp_path / "output"
    shutil.copytree(first_release, output)
    marker = tmp_path / "paused"
    victim = _start_publisher(russia_tables_file, output, edit=True, pause=point, marker=marker)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, victim.stderr.read()
        assert time.monotonic() < deadline, "publisher never reached " + point
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    store = Store(output)
    expected_latest = "1.0.1" if point == "catalog-written" else "1.0.0"
    assert store.latest() == expected_latest
    errors = [p for p in check_store(store.folder) if p.severity == "error"]
    if point == "catalog-written":  # killed before CHANGELOG.md and index.html were remade
        assert sorted(Path(p.file).name for p in errors) == ["CHANGELOG.md", "index.html"]
        assert all("stale" in p.message for p in errors)
    else:
        assert errors == []
    assert (store.version_folder("1.0.0") / "datapackage.json").exists()

    again = _start_publisher(russia_tables_file, output, edit=True, pause=None, marker=marker)
    assert again.wait(timeout=120) == 0, again.stderr.read()
    status = again.stdout.read().split()
    assert status == (["up-to-date", "1.0.1"] if point == "catalog-written"
                      else ["published", "1.0.1"])
    assert store.latest() == "1.0.1"
    assert check_store(store.folder) == []  # the next run rebuilt the derived files
    assert "## 1.0.1" in (store.folder / "CHANGELOG.md").read_text()
    assert not [p for p in store.folder.iterdir() if p.name.startswith(".tmp-")]


def test_two_publishers_at_once_never_corrupt_the_store(tmp_path, russia_tables_file):
    output = tmp_path / "output"
    runs = [_start_publisher(russia_tables_file, output, edit=False, pause=None,
                             marker=tmp_path / "m") for _ in range(2)]
    results = sorted(run.communicate(timeout=120)[0].strip() for run in runs)
    assert results == ["published 1.0.0", "up-to-date 1.0.0"]
    assert check_store(Store(output).folder) == []


def test_the_second_of_two_runs_says_that_the_other_published(tmp_path, russia_tables):
    """Both runs wait for the lock with the same new data; the one that gets it second says
    that the other published it, not merely 'no change in the data'."""
    import threading

    from filelock import FileLock

    output = tmp_path / "output"
    _publish(russia_tables, output)
    tables = copy.deepcopy(russia_tables)
    tables["figures"][0]["entity"] = "edited"
    results = []
    with FileLock(str(Store(output).folder / ".lock")):  # a third run holds the lock
        runs = [threading.Thread(target=lambda: results.append(
            publish(tables, output, inputs={}, lock_timeout=60))) for _ in range(2)]
        for run in runs:
            run.start()
        time.sleep(1.0)  # both have read the catalog and wait for the lock
    for run in runs:
        run.join(timeout=120)
    statuses = sorted((r.status, r.version) for r in results)
    assert statuses == [("published", "1.0.1"), ("up-to-date", "1.0.1")]
    waited = next(r for r in results if r.status == "up-to-date")
    assert waited.note == ("another run published 1.0.1 while this one waited for it; that "
                           "version holds this run's data")
    assert next(r for r in results if r.status == "published").note is None


def test_recorded_inputs_name_every_source_and_the_extractor(tmp_path):
    sources = load_sources(RUSSIA.parent)
    inputs = recorded_inputs(sources, None)
    assert set(inputs["sources"]) == {s.id for s in sources}
    assert inputs["extractor_version"].startswith("0.")


def test_a_release_note_comes_first_in_the_changelog_and_is_kept(tmp_path, russia_tables):
    output = tmp_path / "output"
    _publish(russia_tables, output)
    changed = copy.deepcopy(russia_tables)
    changed["figures"] = changed["figures"][1:]
    note = "The panel now holds one value per country, year and indicator."
    result = _publish(changed, output, note=note)
    assert result.version == "1.1.0"
    recorded = json.loads((result.path / "changes.json").read_text(encoding="utf-8"))
    assert recorded["note"] == note
    changelog = (output / "trafficking-figures" / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.split("## 1.1.0", 1)[1].split("## 1.0.0", 1)[0]
    lines = [line for line in entry.splitlines() if line.strip()]
    assert lines[1] == note  # after the date, before the change lines
    assert lines[2].startswith("- ")
    assert "## 1.0.0" in changelog and note not in changelog.split("## 1.0.0", 1)[1]


def test_a_new_primary_key_is_a_major_change(russia_tables):
    schemas = {name: load_schema(name) for name in RESOURCES}
    old_schemas = copy.deepcopy(schemas)
    old_schemas["observations"]["primaryKey"] = ["figure_id"]  # as before the panel (1.0.0)
    changes = diff_tables(russia_tables, russia_tables, old_schemas, "1.0.0")
    assert changes.bump == "major"
    assert changes.resources["observations"].primary_key_changed == ["figure_id"]
    assert "observations primary key changed" in changes.summary()
    assert diff_tables(russia_tables, russia_tables, schemas, "1.0.0").bump is None
