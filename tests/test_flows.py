"""The Prefect flows, run for real against the test run's Prefect server (conftest's
prefect_api): extraction caching across runs, the refresh flow with retries, and the Dask task
runner on a real LocalCluster."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest_flows import (
    NEW_SENTENCE,
    RUSSIA,
    Reply,
    fake_wiki,
    snapshot_bytes,
    wiki_source,
)

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

pytestmark = pytest.mark.flow

SOURCES = RUSSIA.parent
FEW = (RUSSIA.name, "mali-hrr-2004", "uganda-hrr-2006")


@pytest.fixture
def results(prefect_api, tmp_path):
    """A fresh folder of persisted task results (so no cache from other tests is found), and
    the flows run in the foreground settings the commands run them in (tipfigures.flows.
    foreground: no heartbeat thread, whose join cost a second at the end of every flow run)."""
    from prefect.settings import PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings

    from tipfigures.flows import foreground

    folder = tmp_path / "results"
    with temporary_settings({PREFECT_RESULTS_LOCAL_STORAGE_PATH: folder}), foreground():
        yield folder


@pytest.fixture
def extraction_calls(monkeypatch):
    """Every call of the extraction function, by source id (tasks run in threads here)."""
    from tipfigures import pipeline

    calls: list[str] = []
    real = pipeline.extract_source

    def counting(source):
        calls.append(source.id)
        return real(source)

    monkeypatch.setattr(pipeline, "extract_source", counting)
    return calls


def _copy_sources(target: Path, names=FEW) -> Path:
    for name in names:
        shutil.copytree(SOURCES / name, target / name)
    return target


def test_second_run_is_cached_and_a_new_extractor_invalidates_it(
        results, extraction_calls, tmp_path, monkeypatch):
    import importlib

    from tipfigures.extract import extractor_version
    from tipfigures.flows import publish_flow

    extract = importlib.import_module(extractor_version.__module__)  # where the rules path is

    sources = _copy_sources(tmp_path / "repo" / "sources")
    output = tmp_path / "output"
    first = publish_flow(sources_dir=str(sources), output_dir=str(output))
    assert (first.status, first.version) == ("published", "1.0.0")
    assert sorted(extraction_calls) == sorted(FEW)
    assert list(results.iterdir()), "extraction results are persisted"

    extraction_calls.clear()
    # Another output folder: the whole flow runs, but every batch comes from the cache.
    second = publish_flow(sources_dir=str(sources), output_dir=str(tmp_path / "other"))
    assert (second.status, second.version) == ("published", "1.0.0")
    assert extraction_calls == []
    assert _csv(second.path, "figures") == _csv(first.path, "figures")

    # A change in the extractor's rules (here a comment) is a new extractor version.
    rules = tmp_path / "extraction.yaml"
    rules.write_text(extract.RULES_PATH.read_text(encoding="utf-8") + "\n# changed\n",
                     encoding="utf-8")
    old_version = extract.extractor_version()
    monkeypatch.setattr(extract, "RULES_PATH", rules)
    extract.extractor_version.cache_clear()
    try:
        assert extract.extractor_version() != old_version
        # (into a new output: the rules file here is outside the package, whose files the
        # up-to-date check digests)
        third = publish_flow(sources_dir=str(sources), output_dir=str(tmp_path / "third"))
    finally:
        monkeypatch.undo()
        extract.extractor_version.cache_clear()
    assert sorted(extraction_calls) == sorted(FEW)  # the cache no longer applies
    assert _csv(third.path, "figures") == _csv(first.path, "figures")


def _csv(version_folder: Path, name: str) -> bytes:
    return (version_folder / "data" / f"{name}.csv").read_bytes()


def test_unchanged_inputs_are_up_to_date_without_loading_anything(
        results, extraction_calls, tmp_path, monkeypatch):
    import tipfigures.flows as flows

    sources = _copy_sources(tmp_path / "repo" / "sources")
    output = tmp_path / "output"
    assert flows.publish_flow(sources_dir=str(sources), output_dir=str(output)).version == "1.0.0"
    loads: list[str] = []
    real_load = flows.load_sources
    monkeypatch.setattr(flows, "load_sources", lambda d: loads.append(d) or real_load(d))

    again = flows.publish_flow(sources_dir=str(sources), output_dir=str(output))
    assert (again.status, again.version, again.rows["sources"]) == ("up-to-date", "1.0.0", 3)
    assert loads == []  # decided from the files' digest alone

    # Any change to what the data is made from runs the flow again: a correction file...
    corrections = sources.parent / "corrections"
    corrections.mkdir()
    (corrections / "empty.yaml").write_text("corrections: []\n")
    assert flows.publish_flow(sources_dir=str(sources), output_dir=str(output)).status \
        == "up-to-date"
    assert len(loads) == 1
    # ... or a store that is not as the last run left it.
    shutil.rmtree(output)
    rebuilt = flows.publish_flow(sources_dir=str(sources), output_dir=str(output))
    assert (rebuilt.status, rebuilt.version) == ("published", "1.0.0")
    assert len(loads) == 2


def test_adding_a_source_reextracts_only_its_batch(results, extraction_calls, tmp_path):
    from tipfigures.flows import batches, publish_flow
    from tipfigures.sources import load_sources

    names = sorted(p.name for p in SOURCES.iterdir() if p.is_dir() and p.name != "uganda-hrr-2006")
    sources = _copy_sources(tmp_path / "repo" / "sources", names=names)
    publish_flow(sources_dir=str(sources), output_dir=str(tmp_path / "output"))
    assert len(extraction_calls) == len(names)
    extraction_calls.clear()
    _copy_sources(sources, names=["uganda-hrr-2006"])
    result = publish_flow(sources_dir=str(sources), output_dir=str(tmp_path / "output"))
    assert (result.status, result.version) == ("published", "1.1.0")
    group = next(g for g in batches(load_sources(sources), None)
                 if "uganda-hrr-2006" in [s.id for s in g])
    assert sorted(extraction_calls) == sorted(s.id for s in group)
    assert len(extraction_calls) < len(names) + 1


def _published_russia(tmp_path: Path, api: str):
    from tipfigures.flows import publish_flow

    sources = tmp_path / "repo" / "sources"
    sources.mkdir(parents=True)
    folder = wiki_source(sources, api, revision=1001)
    output = tmp_path / "output"
    result = publish_flow(sources_dir=str(sources), output_dir=str(output))
    assert result.version == "1.0.0"
    return sources, folder, output


def _catalog(output: Path) -> dict:
    return json.loads((output / "trafficking-figures" / "catalog.json").read_text())


def test_refresh_unchanged_source_runs_no_extraction_and_publishes_nothing(
        results, extraction_calls, tmp_path):
    from tipfigures.flows import refresh_flow

    with fake_wiki(revision=1002) as wiki:  # a new revision, the same text
        sources, folder, output = _published_russia(tmp_path, wiki.api)
        before, catalog = snapshot_bytes(folder), _catalog(output)
        extraction_calls.clear()
        report = refresh_flow(sources_dir=str(sources), output_dir=str(output))
    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert report.published is None
    assert extraction_calls == []
    assert snapshot_bytes(folder) == before
    assert _catalog(output) == catalog


def test_a_failed_publish_is_retried_by_every_refresh_until_it_succeeds(
        results, tmp_path):
    """The snapshot is stored, its publish fails (a correction no longer applies): the next
    refresh, which finds the text unchanged, publishes again and fails loudly again; once the
    correction is fixed, the next refresh publishes the stored snapshot."""
    import yaml

    from tipfigures.flows import refresh_flow
    from tipfigures.pipeline import build, extract_source
    from tipfigures.sources import load_source
    from tipfigures.validate import ValidationFailed

    new_text = RUSSIA.joinpath("text.txt").read_text().replace("conducted 102 trafficking",
                                                               "conducted 103 trafficking")
    with fake_wiki(revision=1002, text=new_text) as wiki:
        sources, folder, output = _published_russia(tmp_path, wiki.api)
        source = load_source(folder)
        tables, _ = build([source], [extract_source(source)], None)
        figure_id = next(r["figure_id"] for r in tables["figures"] if r["text"] == "102")
        corrections = sources.parent / "corrections"
        corrections.mkdir()
        (corrections / "russia.yaml").write_text(yaml.safe_dump({"corrections": [{
            "action": "fix", "figure_id": figure_id, "field": "value", "value": 102,
            "reason": "102 investigations"}]}))
        for _ in range(2):  # the first stores the snapshot, the second finds it unchanged
            with pytest.raises(ValidationFailed, match="value 102 cannot be read from '103'"):
                refresh_flow(sources_dir=str(sources), output_dir=str(output))
            assert _catalog(output)["latest"] == "1.0.0"
            assert "103 trafficking" in (folder / "text.txt").read_text()  # kept
        (corrections / "russia.yaml").write_text("corrections: []\n")
        retried = refresh_flow(sources_dir=str(sources), output_dir=str(output))
        again = refresh_flow(sources_dir=str(sources), output_dir=str(output))
    assert [o.status for o in retried.outcomes] == ["unchanged"]
    assert retried.unpublished == [RUSSIA.name]
    assert (retried.published.status, _catalog(output)["latest"]) == ("published", "1.1.0")
    assert again.unpublished == [] and again.published is None


def test_refresh_retries_transient_errors_then_publishes_the_new_text(
        results, extraction_calls, tmp_path):
    from tipfigures.flows import refresh_flow
    from tipfigures.sources import load_source

    new_text = RUSSIA.joinpath("text.txt").read_text().rstrip("\n") + "\n\n" + NEW_SENTENCE + "\n"
    with fake_wiki(revision=1002, text=new_text) as wiki:
        sources, folder, output = _published_russia(tmp_path, wiki.api)
        extraction_calls.clear()
        wiki.script += [Reply(500, "busy", content_type="text/plain"), Reply(delay=3)]
        started = time.perf_counter()
        report = refresh_flow(sources_dir=str(sources), output_dir=str(output), timeout=0.5,
                              retries=3, retry_delay=0.2)
        elapsed = time.perf_counter() - started
    assert len(wiki.requests) == 3  # HTTP 500, a timeout, then the page
    assert elapsed >= 0.2 + 0.4  # the backoff was waited: 0.2 s, then 0.4 s
    assert [o.status for o in report.outcomes] == ["updated"]
    assert load_source(folder).metadata["revision"] == 1002
    assert extraction_calls == [RUSSIA.name]
    assert (report.published.status, report.published.version) == ("published", "1.1.0")
    assert _catalog(output)["latest"] == "1.1.0"


def test_refresh_gives_up_clearly_and_keeps_the_last_good_snapshot(
        results, extraction_calls, tmp_path):
    from tipfigures.flows import refresh_flow
    from tipfigures.refresh import RefreshFailed

    with fake_wiki(revision=1002, text="= T =\n\nIn 2030, 5 cases.\n") as wiki:
        sources, folder, output = _published_russia(tmp_path, wiki.api)
        before, catalog = snapshot_bytes(folder), _catalog(output)
        extraction_calls.clear()
        wiki.script += [Reply(500, "down", content_type="text/plain")] * 3
        with pytest.raises(RefreshFailed) as raised:
            refresh_flow(sources_dir=str(sources), output_dir=str(output), retries=2,
                         retry_delay=0.05)
        assert len(wiki.requests) == 3  # one try and two retries
        message = str(raised.value)
        assert f"{RUSSIA.name}: MediaWiki API {wiki.api}" in message
        assert "HTTP 500" in message and "after 3 attempts" in message
        assert "the last good snapshot is kept (sha256 aeb4a31bbd43, revision 1001)" in message

        wiki.script += [Reply(200, "{not json")]  # not transient: no retry
        with pytest.raises(RefreshFailed, match="the answer is not JSON") as raised:
            refresh_flow(sources_dir=str(sources), output_dir=str(output), retries=2,
                         retry_delay=0.05)
        assert len(wiki.requests) == 4
        assert raised.value.report.failed[0].transient is False
    assert snapshot_bytes(folder) == before
    assert extraction_calls == []
    assert _catalog(output) == catalog


def test_dask_runner_on_a_local_cluster_publishes_the_same_data(prefect_api, results, tmp_path):
    from distributed import Client, LocalCluster, get_task_stream
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    from tipfigures.cli import Runner, _run_flow
    from tipfigures.flows import publish_flow

    sources = _copy_sources(tmp_path / "repo" / "sources")
    threads = publish_flow(sources_dir=str(sources), output_dir=str(tmp_path / "threads"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client, \
            get_task_stream(client) as stream:
        # the path of `tipfigures run --runner dask --dask-address tcp://...`, one source a task
        result = _run_flow(sources, tmp_path / "dask", False, Runner.dask,
                           cluster.scheduler_address, 1, None)
        workers = set(cluster.scheduler.workers)
    assert (result.status, result.version) == ("published", "1.0.0")
    ran_on = [record["worker"] for record in stream.data]
    assert len(ran_on) == len(FEW) and set(ran_on) <= workers  # one task a source, on workers
    for name in ("figures", "events", "observations"):
        assert _csv(result.path, name) == _csv(threads.path, name)

    # The workers reported their task runs to the flow's Prefect API (the settings travel
    # with each task), not to temporary servers of their own.
    with get_client(sync_client=True) as api:
        assert str(api.api_url).startswith(prefect_api.rstrip("/"))
        # this test's run (other tests may run flows on the same server meanwhile)
        run = next(r for r in api.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=50)
                   if r.parameters.get("output_dir") == str(tmp_path / "dask"))
        tasks = api.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(
            any_=[run.id])))
    extracts = [t for t in tasks if t.name.startswith("extract")]
    assert len(extracts) == len(FEW)
    assert {t.state.type.value for t in extracts} == {"COMPLETED"}


def test_refresh_command_prints_each_source_and_the_version(prefect_api, results, tmp_path):
    from typer.testing import CliRunner

    from tipfigures.cli import app

    sources = tmp_path / "repo" / "sources"
    sources.mkdir(parents=True)
    new_text = RUSSIA.joinpath("text.txt").read_text().rstrip("\n") + "\n\n" + NEW_SENTENCE + "\n"
    with fake_wiki(revision=1002, text=new_text) as wiki:
        wiki_source(sources, wiki.api, revision=1001)
        args = ["refresh", "--sources", str(sources), "--output", str(tmp_path / "output"),
                "--retries", "0", "--timeout", "5"]
        wiki.script.append(Reply(503, "maintenance", content_type="text/plain"))
        failed = CliRunner().invoke(app, args)
        updated = CliRunner().invoke(app, args)
        unchanged = CliRunner().invoke(app, args)
    assert failed.exit_code == 1
    assert f"failed {RUSSIA.name}: MediaWiki API" in " ".join(failed.output.split())
    assert "HTTP 503" in failed.output
    assert updated.exit_code == 0, updated.output
    assert f"updated {RUSSIA.name}: new snapshot (revision 1001 -> 1002" in updated.output
    assert "published trafficking-figures 1.0.0" in updated.output
    assert unchanged.exit_code == 0, unchanged.output
    assert f"unchanged {RUSSIA.name}: same text (same revision" in unchanged.output
    assert "nothing to publish" in unchanged.output


def test_serve_refuses_a_bad_schedule_or_a_missing_server():
    from typer.testing import CliRunner

    from tests.conftest_flows import free_port
    from tipfigures.cli import app

    runner = CliRunner()
    bad_zone = runner.invoke(app, ["serve", "--timezone", "Mars/Olympus"])
    assert bad_zone.exit_code == 1 and "not an IANA time zone" in bad_zone.output
    bad_cron = runner.invoke(app, ["serve", "--cron", "every monday"])
    assert bad_cron.exit_code == 1 and "a cron string has 5 fields" in bad_cron.output
    no_server = runner.invoke(app, ["serve", "--api-url",
                                    f"http://127.0.0.1:{free_port()}/api"])
    assert no_server.exit_code == 1 and "no Prefect server answers" in no_server.output
