"""Shared fixtures: the repository's folders and a store published once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
RUSSIA = SOURCES / "wikipedia-human-trafficking-in-russia"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of sources/ (with no corrections beside it)."""
    target = tmp_path / "repo" / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def russia_only(tmp_path: Path) -> Path:
    """A sources folder holding only the Russia article: small and fast."""
    target = tmp_path / "repo" / "sources"
    target.mkdir(parents=True)
    shutil.copytree(RUSSIA, target / RUSSIA.name)
    return target


@pytest.fixture(scope="session")
def published_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with version 1.0.0 published from the repository's sources."""
    from tipfigures.pipeline import run

    output = tmp_path_factory.mktemp("published") / "output"
    result = run(SOURCES, output, corrections_folder=ROOT / "corrections")
    assert result.status == "published"
    return output
