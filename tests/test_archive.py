"""The one-file download of a version: a deterministic zip, recorded in catalog.json, fetched
over real HTTP by `tipfigures download --zip`, checked by `validate` and rebuilt by `verify`."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.test_download import DATASET, Server, publish_patch, run_cli
from tipfigures.archive import package_files, zip_bytes, zip_name
from tipfigures.repository import check_store
from tipfigures.reproduce import verify_version

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store(published_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("archive") / "output"
    shutil.copytree(published_store, output)
    return output


def entry_of(output: Path, version: str) -> dict:
    catalog = json.loads((output / DATASET / "catalog.json").read_text())
    return next(e for e in catalog["versions"] if e["version"] == version)


def test_each_version_has_a_zip_of_its_files_recorded_in_the_catalog(store: Path) -> None:
    entry = entry_of(store, "1.0.0")
    folder = store / DATASET / "1.0.0"
    path = store / DATASET / entry["zip"]["path"]
    assert path == folder / zip_name("1.0.0")
    data = path.read_bytes()
    assert entry["zip"]["bytes"] == len(data)
    assert entry["zip"]["sha256"] == hashlib.sha256(data).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    top = "trafficking-figures-1.0.0/"
    assert names == sorted(names) == [top + n for n in package_files(folder, "1.0.0")]
    assert {"datapackage.json", "changes.json", "data/figures.csv",
            "data/observations.parquet"} <= {n.removeprefix(top) for n in names}
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert archive.read(info) == (folder / info.filename.removeprefix(top)).read_bytes()
    # the same files give the same bytes, whenever and wherever they are zipped
    copy = store.parent / "copy"
    shutil.copytree(folder, copy)
    (copy / zip_name("1.0.0")).unlink()
    assert zip_bytes(copy, "1.0.0") == data


def test_download_zip_over_http_checks_the_sha256(store: Path, tmp_path: Path) -> None:
    entry = entry_of(store, "1.0.0")
    with Server(store) as server:
        result = run_cli("--zip", "--from", f"{server.url}/{DATASET}", "--to", str(tmp_path))
        assert result.exit_code == 0, result.output
        target = tmp_path / zip_name("1.0.0")
        assert hashlib.sha256(target.read_bytes()).hexdigest() == entry["zip"]["sha256"]
        assert "verified, fetched" in result.stdout
        assert server.count(".zip") == 1
        again = run_cli("--zip", "--from", f"{server.url}/{DATASET}", "--to", str(tmp_path))
        assert again.exit_code == 0 and "already present" in again.stdout
        assert server.count(".zip") == 1  # not fetched twice
    assert sorted(p.name for p in tmp_path.iterdir()) == [zip_name("1.0.0")]


def test_a_corrupted_zip_is_refused_and_nothing_is_written(store: Path, tmp_path: Path) -> None:
    url_path = f"/{DATASET}/1.0.0/{zip_name('1.0.0')}"
    with Server(store, faults={url_path: "corrupt"}) as server:
        result = run_cli("--zip", "--from", f"{server.url}/{DATASET}", "--to", str(tmp_path),
                         "--retries", "0")
    assert result.exit_code == 7, result.output
    assert "checksum mismatch" in result.output and "nothing was written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_zip_whose_content_is_not_the_package_is_refused(store: Path, tmp_path: Path) -> None:
    """An attacker who rewrites the zip and its catalog entry still fails the inside check."""
    tampered = tmp_path / "served"
    shutil.copytree(store, tampered)
    folder = tampered / DATASET / "1.0.0"
    (folder / "data" / "figures.csv").write_text("figure_id\n")
    data = zip_bytes(folder, "1.0.0")
    (folder / zip_name("1.0.0")).write_bytes(data)
    catalog_path = tampered / DATASET / "catalog.json"
    catalog = json.loads(catalog_path.read_text())
    catalog["versions"][0]["zip"].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    catalog_path.write_text(json.dumps(catalog))
    with Server(tampered) as server:
        result = run_cli("--zip", "--from", f"{server.url}/{DATASET}", "--to",
                         str(tmp_path / "got"))
    assert result.exit_code == 7, result.output
    assert "data/figures.csv in the zip does not have the sha256" in result.output
    assert not (tmp_path / "got").exists() or list((tmp_path / "got").iterdir()) == []
    problems = [str(p) for p in check_store(tampered / DATASET)]
    assert any("figures.csv" in p and "zip" in p for p in problems), problems


def test_validate_reports_a_zip_changed_after_publishing(store: Path, tmp_path: Path) -> None:
    assert [p for p in check_store(store / DATASET) if p.severity == "error"] == []
    changed = tmp_path / "changed"
    shutil.copytree(store, changed)
    path = changed / DATASET / "1.0.0" / zip_name("1.0.0")
    path.write_bytes(path.read_bytes() + b"\0")
    problems = [str(p) for p in check_store(changed / DATASET)]
    assert any(zip_name("1.0.0") in p and "sha256" in p for p in problems), problems
    path.unlink()
    assert any("missing, but catalog.json lists it" in str(p)
               for p in check_store(changed / DATASET))


def test_verify_rebuilds_the_zip_byte_for_byte(store: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    shutil.copytree(store, output)
    version = publish_patch(output)
    report = verify_version(output, ROOT / "sources", "1.0.0")
    name = zip_name("1.0.0")
    assert name in report.files and report.differing == []
    published, rebuilt = report.files[name]
    assert published == rebuilt == entry_of(output, "1.0.0")["zip"]["sha256"]
    assert entry_of(output, version)["zip"]["path"] == f"{version}/{zip_name(version)}"
