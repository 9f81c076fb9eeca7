"""Loading source folders: verified against source.yaml, with errors that name the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from tipfigures.sources import SourceError, load_source, load_sources, record_snapshot

from .conftest import RUSSIA, SOURCES


def test_every_bundled_source_loads_and_matches_its_recorded_hash():
    sources = load_sources(SOURCES)
    assert len(sources) >= 5
    for source in sources:
        data = source.text_path.read_bytes()
        assert source.sha256 == hashlib.sha256(data).hexdigest() == source.metadata["sha256"]
        assert len(source.text) == source.metadata["chars"]


def test_russia_is_the_founding_source_with_its_license():
    source = load_source(RUSSIA)
    assert source.metadata["license"] == "CC-BY-SA-4.0"
    assert source.country_code == "RUS"
    assert source.reporting_period == 2009


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / RUSSIA.name
    folder.mkdir()
    for name in ("text.txt", "source.yaml"):
        (folder / name).write_bytes((RUSSIA / name).read_bytes())
    return folder


def test_missing_source_yaml_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "source.yaml").unlink()
    with pytest.raises(SourceError, match=r"source\.yaml: missing"):
        load_source(folder)


def test_non_utf8_text_names_the_file_line_and_byte(tmp_path):
    folder = _copy(tmp_path)
    (folder / "text.txt").write_bytes("first line\nsecond \xe9 line".encode("latin-1"))
    with pytest.raises(SourceError, match=r"text\.txt:2: not UTF-8 \(byte 0xe9"):
        load_source(folder)


def test_empty_text_is_refused(tmp_path):
    folder = _copy(tmp_path)
    (folder / "text.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"text\.txt: empty"):
        load_source(folder)


def test_sha256_mismatch_says_what_to_do(tmp_path):
    folder = _copy(tmp_path)
    with (folder / "text.txt").open("a", encoding="utf-8") as handle:
        handle.write("One more sentence.")
    with pytest.raises(SourceError, match=r"text\.txt: sha256 is [0-9a-f]{64}, but source\.yaml "
                                          r"records"):
        load_source(folder)


def test_chars_mismatch_is_an_error(tmp_path):
    folder = _copy(tmp_path)
    metadata = yaml.safe_load((folder / "source.yaml").read_text())
    metadata["chars"] += 1
    (folder / "source.yaml").write_text(yaml.safe_dump(metadata))
    with pytest.raises(SourceError, match="records chars"):
        load_source(folder)


def test_missing_license_is_named(tmp_path):
    folder = _copy(tmp_path)
    metadata = yaml.safe_load((folder / "source.yaml").read_text())
    del metadata["license"]
    (folder / "source.yaml").write_text(yaml.safe_dump(metadata))
    with pytest.raises(SourceError, match="field 'license' is missing"):
        load_source(folder)


def test_record_snapshot_updates_hash_and_length(tmp_path):
    folder = _copy(tmp_path)
    record_snapshot(folder, "In 2024, police opened 12 investigations.\n", revision="42")
    source = load_source(folder)
    assert source.text.startswith("In 2024")
    assert source.metadata["revision"] == "42"
