"""Where users wait: an up-to-date run or refresh answers without Prefect, extraction on worker
processes gives the same figures, publishing validates the bytes it wrote, and Prefect's
temporary server skips migrations only for a database this Prefect version migrated."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest_flows import fake_wiki, wiki_source

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("prefect", "pandas", "pyarrow", "frictionless")
# Runs the command line in a fresh interpreter, then prints which heavy libraries it imported.
PROBE = """
import json, sys
from tipfigures.cli import main
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["tipfigures", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print("IMPORTED", json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def _command(args: list[str], state: Path) -> tuple[str, list[str]]:
    env = {"TIPFIGURES_STATE": str(state), "PATH": "/usr/bin:/bin", "HOME": str(state)}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("IMPORTED"))
    return result.stdout, json.loads(line.removeprefix("IMPORTED "))


def _published_with_fingerprint(sources: Path, output: Path, state: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A store published by the pipeline, and its inputs recorded as the flow records them."""
    from tipfigures.fingerprint import check_inputs, record_fingerprint
    from tipfigures.pipeline import run
    from tipfigures.settings import corrections_dir

    monkeypatch.setenv("TIPFIGURES_STATE", str(state))
    assert run(sources, output).status == "published"
    check = check_inputs(sources, output, corrections_dir(sources))
    assert check.result is None  # nothing recorded yet: a run would do the work
    record_fingerprint(output, check.fingerprint)


def test_up_to_date_run_imports_neither_prefect_nor_the_data_libraries(
        tmp_path, russia_only, monkeypatch):
    output, state = tmp_path / "output", tmp_path / "state"
    _published_with_fingerprint(russia_only, output, state, monkeypatch)
    stdout, imported = _command(["run", "--sources", str(russia_only), "--output", str(output)],
                                state)
    assert "up to date: trafficking-figures 1.0.0 (no change in the data" in stdout
    assert imported == []


def test_check_inputs_sees_a_changed_text_and_a_touched_file(tmp_path, russia_only, monkeypatch):
    from tipfigures.fingerprint import check_inputs, inputs_stamp

    output, state = tmp_path / "output", tmp_path / "state"
    _published_with_fingerprint(russia_only, output, state, monkeypatch)
    corrections = russia_only.parent / "corrections"
    before = check_inputs(russia_only, output, corrections)
    assert before.result is not None and before.result.status == "up-to-date"
    text = next(russia_only.iterdir()) / "text.txt"
    text.write_bytes(text.read_bytes())  # same bytes, new modification time
    assert inputs_stamp(russia_only, corrections) != before.stamp
    assert check_inputs(russia_only, output, corrections).result is not None
    text.write_text(text.read_text() + "\nIn 2024, 7 victims were identified.\n")
    assert check_inputs(russia_only, output, corrections).result is None


def test_unchanged_refresh_answers_without_prefect(tmp_path):
    sources = tmp_path / "repo" / "sources"
    sources.mkdir(parents=True)
    with fake_wiki(revision=1001) as wiki:
        folder = wiki_source(sources, wiki.api, revision=1001)
        before = (folder / "source.yaml").read_bytes()
        stdout, imported = _command(["refresh", "--sources", str(sources), "--output",
                                     str(tmp_path / "output")], tmp_path / "state")
    assert f"unchanged {folder.name}: same text (same revision" in " ".join(stdout.split())
    assert "nothing to publish" in stdout
    assert imported == []
    assert (folder / "source.yaml").read_bytes() == before
    assert len(wiki.requests) == 1  # one fetch


def test_worker_processes_extract_the_same_figures_prefetched_or_not():
    from tipfigures import parallel, pipeline
    from tipfigures.batching import batches
    from tipfigures.processes import open_pool
    from tipfigures.sources import load_sources

    sources = load_sources(ROOT / "sources")
    in_process = [pipeline.extract_source(source) for source in sources]
    assert parallel.processes_for(sources) == 0  # 320,000 characters: not worth a process
    assert not parallel.prefetch(batches(sources, None))  # no pool open: nothing started
    with parallel.run_workers(2) as pool:  # one pool for the whole run
        assert open_pool() is pool
        assert parallel.extract_sources(sources) == in_process  # in the run's pool
        groups = batches(sources, None)
        assert parallel.prefetch(groups)  # as `tipfigures run` does before importing Prefect
        with parallel.extraction_pool(2) as same:
            assert same is pool
            by_id = {s.id: e for group in groups
                     for s, e in zip(group, parallel.extract_batch(group), strict=True)}
        assert [by_id[s.id] for s in sources] == in_process
        assert not parallel._prefetched  # every prefetched extraction was taken
    assert open_pool() is None


def test_worker_processes_load_the_same_sources_and_name_the_first_bad_one(sources_copy,
                                                                          monkeypatch):
    from tipfigures.sources import SourceError, load_sources

    monkeypatch.setattr("tipfigures.sources.LOAD_CHUNK", 10)  # nine chunks of 85 folders
    assert load_sources(sources_copy, processes=2) == load_sources(sources_copy, processes=0)
    folders = sorted(sources_copy.iterdir())
    for folder in (folders[70], folders[20]):  # two bad folders: the first one is named
        (folder / "text.txt").write_text("changed", encoding="utf-8")
    errors = []
    for processes in (0, 2):
        with pytest.raises(SourceError) as error:
            load_sources(sources_copy, processes=processes)
        errors.append(str(error.value))
    assert errors[0] == errors[1] and folders[20].name in errors[0]


def test_chunks_keep_every_source_in_order():
    from tipfigures.parallel import chunks
    from tipfigures.sources import load_sources

    sources = load_sources(ROOT / "sources")
    parts = chunks(sources, size=20_000)
    assert [s.id for part in parts for s in part] == [s.id for s in sources]
    assert len(parts) > 2
    assert all(sum(len(s.text) for s in part[:-1]) <= 20_000 for part in parts)


def _written(tmp_path: Path, russia_tables):
    from tipfigures.package import write_package_files

    folder = tmp_path / "version"
    descriptor, files = write_package_files(russia_tables, folder, version="1.0.0",
                                            created="2026-01-01T00:00:00Z", inputs={},
                                            changes=None)
    return folder, descriptor, files


@pytest.fixture(scope="module")
def russia_tables():
    from tipfigures.pipeline import build, extract_source
    from tipfigures.sources import load_sources

    folder = ROOT / "sources" / "wikipedia-human-trafficking-in-russia"
    loaded = [s for s in load_sources(folder.parent) if s.id == folder.name]
    tables, problems = build(loaded, [extract_source(s) for s in loaded], None)
    assert not [p for p in problems if p.severity == "error"]
    return tables


def test_written_package_is_valid_and_each_kind_of_damage_is_named(tmp_path, russia_tables):
    from tipfigures.package_check import check_written_package

    folder, descriptor, files = _written(tmp_path, russia_tables)
    assert check_written_package(folder, descriptor, files) == []

    # a file changed on disk after it was written: its size or sha256 no longer match
    (folder / "data" / "events.csv").write_bytes(files["data/events.csv"] + b"\n")
    problems = check_written_package(folder, descriptor, files)
    assert [(p.resource, "on disk" in p.message) for p in problems] == [("events", True)]
    (folder / "data" / "events.csv").write_bytes(files["data/events.csv"])

    # a duplicated primary key, seen by Frictionless in the bytes in memory
    header, first, *rest = files["data/figures.csv"].decode().split("\n")
    damaged = dict(files, **{"data/figures.csv": "\n".join([header, first, first, *rest])
                             .encode()})
    found = check_written_package(folder, descriptor, damaged)
    keys = [p for p in found if p.resource == "figures" and "primary key" in p.message.lower()]
    assert keys and keys[0].row == 3


def test_foreign_keys_are_checked_as_frictionless_checks_them(tmp_path, russia_tables):
    """Publishing checks foreign keys on Arrow tables, not in Frictionless: the same rows are
    named as Frictionless names on the files, in this process and in the workers."""
    from tipfigures.package_check import (
        TableValidation,
        check_written_package,
        frictionless_workers,
    )
    from tipfigures.validate import check_package

    figures = [dict(row) for row in russia_tables["figures"]]
    figures[3]["part_of"] = "0123456789abcdef"  # no such figure
    figures[5]["indicator"] = "raids"  # not in the code list
    events = [dict(row) for row in russia_tables["events"]]
    events[0]["source_id"] = "no-such-source"
    damaged = dict(russia_tables, figures=figures, events=events)
    folder, descriptor, files = _written(tmp_path, damaged)

    def key_rows(problems):
        return sorted((p.resource, p.row) for p in problems if "foreign key" in p.message)

    expected = [("events", 2), ("figures", 5), ("figures", 7)]
    assert key_rows(check_package(folder)) == expected  # Frictionless, on the files
    assert key_rows(check_written_package(folder, descriptor, files)) == expected
    with frictionless_workers() as workers:
        in_workers = check_written_package(folder, descriptor, files, TableValidation(workers))
    assert key_rows(in_workers) == expected
    assert sorted(map(str, in_workers)) == sorted(map(str, check_written_package(
        folder, descriptor, files)))


def test_csv_equals_parquet_names_the_row_and_field(tmp_path, russia_tables):
    from tipfigures.validate import csv_equals_parquet

    _, descriptor, files = _written(tmp_path, russia_tables)
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "figures")
    csv_data, parquet = files["data/figures.csv"], files["data/figures.parquet"]
    assert csv_equals_parquet("figures", csv_data, parquet, schema, "f") == []
    rows = list(csv.reader(io.StringIO(csv_data.decode())))
    value_at = rows[0].index("value")
    rows[2][value_at] = str(float(rows[2][value_at]) + 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    changed = buffer.getvalue().encode()
    problems = csv_equals_parquet("figures", changed, parquet, schema, "f")
    assert [(p.row, p.field) for p in problems] == [(3, "value")]


def test_migrations_are_skipped_only_for_the_database_this_prefect_migrated(tmp_path):
    from tipfigures import prefect_server

    home = tmp_path / "prefect"
    home.mkdir()
    assert not prefect_server.database_is_migrated(home)  # no database
    with sqlite3.connect(home / "prefect.db") as db:
        db.execute("CREATE TABLE alembic_version (version_num TEXT)")
        db.execute("INSERT INTO alembic_version VALUES ('aaaa')")
    assert not prefect_server.database_is_migrated(home)  # never migrated by this version
    prefect_server.remember_migrated(home)
    assert prefect_server.database_is_migrated(home)
    assert prefect_server.server_environment(home, migrate=False)[
        "PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] == "false"
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in \
        prefect_server.server_environment(home, migrate=True)
    with sqlite3.connect(home / "prefect.db") as db:
        db.execute("UPDATE alembic_version SET version_num = 'bbbb'")
    assert not prefect_server.database_is_migrated(home)  # another revision: migrate again
    shutil.copy(home / "prefect.db", tmp_path / "copy.db")
    (home / "prefect.db").unlink()
    assert not prefect_server.database_is_migrated(home)


# A command that finished skips Python's teardown (tipfigures.quick_exit) but keeps its status,
# its output and every other exit handler; a traceback keeps Python's own exit.
EXIT_PROBE = """
import atexit, sys
from pathlib import Path
from tipfigures import quick_exit
from tipfigures.cli import main
quick_exit.install()  # as the entry point does; then a handler of the run's (as Prefect's)
marker = Path(sys.argv[1])
atexit.register(lambda: marker.write_text("handler ran"))
sys.argv = ["tipfigures", *sys.argv[2:]]
try:
    main()
finally:
    print("after main", flush=False)  # flushed at exit, not by the print
"""


@pytest.mark.parametrize(("args", "status"), [(["--version"], 0),
                                              (["validate", "/nonexistent"], 1),
                                              (["no-such-command"], 2)])
def test_a_finished_command_keeps_its_status_output_and_exit_handlers(tmp_path, args, status):
    marker = tmp_path / "marker"
    result = subprocess.run([sys.executable, "-c", EXIT_PROBE, str(marker), *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == status, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("after main")
    assert marker.read_text() == "handler ran"


def test_a_traceback_after_the_command_keeps_a_failing_status(tmp_path):
    probe = ("import sys\nfrom tipfigures.cli import main\nsys.argv = ['tipfigures', '--version']"
             "\ntry:\n    main()\nexcept SystemExit:\n    pass\nraise RuntimeError('later')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "RuntimeError: later" in result.stderr
