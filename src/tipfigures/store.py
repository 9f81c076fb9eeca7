"""The store on disk: one dataset's folder of published versions and its catalog.

Reading it (the latest version, its folder) imports nothing heavy: an up-to-date run
(fingerprint.py) answers from here.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from tipfigures import DATASET_NAME

CATALOG = "catalog.json"


class PublishError(RuntimeError):
    """Publishing could not go on; nothing was published."""


@dataclass
class Store:
    """One dataset's folder of published versions."""

    root: Path  # the output folder; the dataset lives in root/<dataset>
    dataset: str = DATASET_NAME

    @property
    def folder(self) -> Path:
        return self.root / self.dataset

    def catalog(self) -> dict[str, Any]:
        path = self.folder / CATALOG
        if not path.exists():
            return {"name": self.dataset, "latest": None, "versions": []}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise PublishError(f"{path}: not valid JSON ({error.msg} at line {error.lineno}); "
                               "restore it from git before publishing") from error

    def latest(self) -> str | None:
        return self.catalog().get("latest")

    def versions(self) -> list[str]:
        return [entry["version"] for entry in self.catalog()["versions"]]

    def version_folder(self, version: str) -> Path:
        return self.folder / version

    @contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """Only one publisher at a time: wait up to `timeout` seconds, then give up clearly."""
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / ".lock"))
        try:
            lock.acquire(timeout=timeout)
        except Timeout as error:
            raise PublishError(
                f"{self.folder}: another run is publishing (lock {self.folder / '.lock'} held "
                f"for more than {timeout:g} s); wait for it to finish and run again") from error
        try:
            yield
        finally:
            lock.release()

    def remove_leftovers(self) -> list[Path]:
        """Remove temporary folders and version folders no catalog lists (interrupted runs)."""
        listed = set(self.versions())
        removed = []
        for path in self.folder.iterdir() if self.folder.exists() else []:
            if path.is_dir() and (path.name.startswith(".tmp-") or (
                    path.name[:1].isdigit() and path.name not in listed)):
                shutil.rmtree(path)
                removed.append(path)
        return removed

    def write_catalog(self, catalog: dict[str, Any]) -> None:
        replace_file(self.folder / CATALOG, json.dumps(catalog, indent=2) + "\n")


def replace_file(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, fsync, rename."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; a web server must be able to read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# ---------------------------------------------------------------------------------------------
# Publishing
