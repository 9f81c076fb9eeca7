"""The one-file download of a version: <version>/trafficking-figures-<version>.zip.

The zip holds every file of the version folder (datapackage.json, changes.json, data/*) under
one folder named like the zip. Its bytes depend only on those files: entries sorted by name,
one fixed timestamp, fixed permissions, one compression setting; so `tipfigures verify` can
rebuild it byte for byte, and its sha256 in catalog.json says what a download must get.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tipfigures import DATASET_NAME

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in the bytes
ZIP_MODE = 0o100644  # a regular file, rw-r--r--
COMPRESS_LEVEL = 9


@dataclass(frozen=True)
class ZipInfo:
    """What catalog.json records of a version's zip."""

    path: str  # relative to the dataset folder, e.g. 2.0.0/trafficking-figures-2.0.0.zip
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256}


def zip_name(version: str, dataset: str = DATASET_NAME) -> str:
    return f"{dataset}-{version}.zip"


def package_files(folder: Path, version: str, dataset: str = DATASET_NAME) -> list[str]:
    """The files of a version folder that go into its zip (all but the zip), sorted."""
    skip = zip_name(version, dataset)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name != skip and not p.name.startswith("."))


def zip_bytes(folder: Path, version: str, dataset: str = DATASET_NAME) -> bytes:
    """The zip of a version folder, the same bytes for the same files."""
    top = zip_name(version, dataset).removesuffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in package_files(folder, version, dataset):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ZIP_MODE << 16
            info.create_system = 3  # Unix, so that the permissions above are read as such
            archive.writestr(info, (folder / name).read_bytes(), compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def write_zip(folder: Path, version: str, dataset: str = DATASET_NAME) -> ZipInfo:
    """Write the version's zip into its folder; return what the catalog records of it."""
    import os

    data = zip_bytes(folder, version, dataset)
    target = folder / zip_name(version, dataset)
    with target.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return ZipInfo(f"{version}/{target.name}", len(data), hashlib.sha256(data).hexdigest())


def zip_problems(data: bytes, folder: Path | None, version: str,
                 dataset: str = DATASET_NAME) -> list[str]:
    """What is wrong with a version's zip: not a zip, a file missing or extra, a file that is not
    the version folder's (when `folder` is given), or a resource whose sha256 is not the one its
    datapackage.json records. Empty when it is sound."""
    import json

    top = zip_name(version, dataset).removesuffix(".zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return [f"not a readable zip ({error})"]
    problems = []
    outside = [name for name in contents if not name.startswith(f"{top}/")]
    if outside:
        problems.append(f"entries outside {top}/: {', '.join(sorted(outside)[:5])}")
    files = {name.removeprefix(f"{top}/"): body for name, body in contents.items()}
    if folder is not None:
        expected = package_files(folder, version, dataset)
        for name in sorted(set(expected) - set(files)):
            problems.append(f"{name} is missing from the zip")
        for name in sorted(set(files) - set(expected)):
            problems.append(f"{name} is in the zip but not in the version folder")
        for name in expected:
            if name in files and files[name] != (folder / name).read_bytes():
                problems.append(f"{name} in the zip differs from the version folder's")
    try:
        descriptor = json.loads(files["datapackage.json"])
    except (KeyError, ValueError):
        return problems + ["no readable datapackage.json in the zip"]
    for resource in descriptor.get("resources", []):
        body = files.get(str(resource.get("path")))
        if body is None:
            problems.append(f"resource file {resource.get('path')} is missing from the zip")
        elif f"sha256:{hashlib.sha256(body).hexdigest()}" != resource.get("hash"):
            problems.append(f"{resource.get('path')} in the zip does not have the sha256 its "
                            "datapackage.json records")
    return problems
