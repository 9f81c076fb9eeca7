"""Only licences that allow redistribution enter a release; the package's follow its sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tipfigures.licenses import ALLOWED
from tipfigures.pipeline import run
from tipfigures.sources import SourceError, load_source

from .conftest import RUSSIA, SOURCES

MALI = SOURCES / "mali-hrr-2004"


def _source(tmp_path: Path, original: Path, license: str) -> Path:
    folder = tmp_path / "sources" / original.name
    shutil.copytree(original, folder)
    path = folder / "source.yaml"
    lines = [f'license: "{license}"' if line.startswith("license:") else line
             for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _package_licenses(tmp_path: Path) -> list[str]:
    result = run(tmp_path / "sources", tmp_path / "output")
    descriptor = json.loads((result.path / "datapackage.json").read_text(encoding="utf-8"))
    return [entry["name"] for entry in descriptor["licenses"]]


@pytest.mark.parametrize("license", ["All-Rights-Reserved", "proprietary", "CC-BY-NC-4.0"])
def test_a_licence_that_forbids_redistribution_is_refused(tmp_path, license):
    folder = _source(tmp_path, MALI, license)
    with pytest.raises(SourceError, match=rf"source.yaml:\d+: field 'license' is '{license}', "
                       "which is not on the list of licences that allow redistribution"):
        load_source(folder)


def test_a_misspelt_spdx_id_gets_its_spelling(tmp_path):
    with pytest.raises(SourceError, match="write it as 'CC-BY-SA-4.0'"):
        load_source(_source(tmp_path, MALI, "cc-by-sa-4.0"))


def test_the_package_declares_the_licences_of_its_sources(tmp_path):
    _source(tmp_path, MALI, "CC-BY-4.0")
    assert _package_licenses(tmp_path) == ["CC-BY-4.0"]


def test_a_share_alike_source_comes_first_and_the_others_are_listed(tmp_path):
    _source(tmp_path, MALI, "public-domain-us-gov")
    _source(tmp_path, RUSSIA, "CC-BY-SA-4.0")
    assert _package_licenses(tmp_path) == ["CC-BY-SA-4.0", "public-domain-us-gov"]


def test_the_documented_list_is_the_allowed_list(root):
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Licences", 1)[1].split("\n## ", 1)[0]
    assert {name for name in ALLOWED if f"`{name}`" in section} == set(ALLOWED)
