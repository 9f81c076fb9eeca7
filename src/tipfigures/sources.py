"""Source snapshots: sources/<source-id>/text.txt plus its source.yaml, loaded and verified."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEXT_FILE = "text.txt"
METADATA_FILE = "source.yaml"
# libyaml's loader when PyYAML has it: ~9x faster on 10,000 source.yaml files, same values
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REQUIRED_FIELDS = ("id", "title", "publisher", "url", "license", "language", "country_code",
                   "retrieved", "sha256", "chars")


class SourceError(ValueError):
    """A source folder that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Source:
    """One immutable snapshot of a report text and what is known about it."""

    id: str
    folder: Path
    text: str
    sha256: str
    metadata: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        return self.metadata["title"]

    @property
    def country_code(self) -> str:
        return self.metadata["country_code"]

    @property
    def reporting_period(self) -> int | None:
        value = self.metadata.get("reporting_period")
        return int(value) if value not in (None, "") else None

    @property
    def text_path(self) -> Path:
        return self.folder / TEXT_FILE

    @property
    def metadata_path(self) -> Path:
        return self.folder / METADATA_FILE


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_metadata(folder: Path) -> dict[str, Any]:
    path = folder / METADATA_FILE
    if not path.is_file():
        raise SourceError(f"{path}: missing; every source folder needs a {METADATA_FILE}")
    try:
        metadata = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise SourceError(f"{path}{where}: not valid YAML ({error})") from error
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from error
    if not isinstance(metadata, dict):
        raise SourceError(f"{path}: expected a mapping of fields, got {type(metadata).__name__}")
    return metadata


def read_text(path: Path) -> tuple[str, bytes]:
    if not path.is_file():
        raise SourceError(f"{path}: missing; a source folder holds its text as {TEXT_FILE}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the text as UTF-8"
        ) from error
    if not text.strip():
        raise SourceError(f"{path}: empty; a source needs its text")
    return text, data


def check_metadata(metadata: dict[str, Any], path: Path) -> list[str]:
    """Problems with the fields of a source.yaml, each a readable sentence."""
    problems = [f"{path}: field '{name}' is missing" for name in REQUIRED_FIELDS
                if metadata.get(name) in (None, "")]
    code = metadata.get("country_code")
    if code and not (isinstance(code, str) and len(code) == 3 and code.isalpha()
                     and code.isupper()):
        problems.append(f"{path}: field 'country_code' must be ISO 3166-1 alpha-3 (e.g. RUS), "
                        f"got {code!r}")
    retrieved = metadata.get("retrieved")
    if retrieved and not isinstance(retrieved, dt.date):
        try:
            dt.date.fromisoformat(str(retrieved)[:10])
        except ValueError:
            problems.append(f"{path}: field 'retrieved' must be a date (YYYY-MM-DD), "
                            f"got {retrieved!r}")
    url = metadata.get("url")
    if url and not str(url).startswith(("http://", "https://")):
        problems.append(f"{path}: field 'url' must be an http(s) address, got {url!r}")
    period = metadata.get("reporting_period")
    if period not in (None, "") and not (isinstance(period, int) and 1900 <= period <= 2100):
        problems.append(f"{path}: field 'reporting_period' must be a year, got {period!r}")
    return problems


def load_source(folder: Path | str) -> Source:
    """Load one source folder and verify its text against the recorded sha256 and length."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a source folder")
    finish_interrupted_snapshot(folder)  # a snapshot cut short by a crash: complete it
    metadata = read_metadata(folder)
    text, data = read_text(folder / TEXT_FILE)
    problems = check_metadata(metadata, folder / METADATA_FILE)
    if problems:
        raise SourceError(problems[0])
    if metadata["id"] != folder.name:
        raise SourceError(f"{folder / METADATA_FILE}: field 'id' is {metadata['id']!r} but the "
                          f"folder is named {folder.name!r}; they must agree")
    digest = sha256_of(data)
    if digest != metadata["sha256"]:
        raise SourceError(
            f"{folder / TEXT_FILE}: sha256 is {digest}, but source.yaml records "
            f"{metadata['sha256']}; if the text changed on purpose, record the new sha256 and chars"
        )
    if len(text) != int(metadata["chars"]):
        raise SourceError(f"{folder / TEXT_FILE}: {len(text)} characters, but source.yaml "
                          f"records chars: {metadata['chars']}")
    return Source(id=folder.name, folder=folder, text=text, sha256=digest, metadata=metadata)


def source_folders(sources_dir: Path | str) -> list[Path]:
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise SourceError(f"{sources_dir}: no such sources folder")
    return sorted(p for p in sources_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_sources(sources_dir: Path | str) -> list[Source]:
    folders = source_folders(sources_dir)
    if not folders:
        raise SourceError(f"{sources_dir}: holds no source folders")
    return [load_source(folder) for folder in folders]


def source_from_text_file(path: Path | str) -> Source:
    """A bare text file as a source, for `tipfigures extract some.txt`.

    A <name>.yaml beside <name>.txt, if there is one, gives its metadata (reporting_period,
    country_code...), as source.yaml does in a source folder.
    """
    path = Path(path)
    text, data = read_text(path)
    metadata = {"id": path.stem, "title": path.name, "country_code": None}
    beside = path.with_suffix(".yaml")
    if beside.is_file():
        metadata.update(yaml.safe_load(beside.read_text(encoding="utf-8")) or {})
    return Source(id=path.stem, folder=path.parent, text=text, sha256=sha256_of(data),
                  metadata=metadata)


PENDING_SNAPSHOT = ".pending-snapshot"


def record_snapshot(folder: Path, text: str, **fields: Any) -> dict[str, Any]:
    """Replace a source's text.txt and source.yaml (sha256, chars and `fields`) together.

    Loss-free: both files are first written and flushed to folder/.pending-snapshot/, then
    renamed into place, the text first and source.yaml last. Interrupted before the first
    rename, the old pair is intact (the pending folder is discarded); between the two renames,
    the pending source.yaml records the new text's sha256 and the pair is completed. Either way
    finish_interrupted_snapshot() (run here and by `tipfigures refresh`) tidies up.
    """
    import os

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    finish_interrupted_snapshot(folder)
    metadata = read_metadata(folder) if (folder / METADATA_FILE).exists() else {}
    data = text.encode("utf-8")
    metadata.update(fields)
    metadata["sha256"] = sha256_of(data)
    metadata["chars"] = len(text)
    pending = folder / PENDING_SNAPSHOT
    pending.mkdir()
    _write_durably(pending / TEXT_FILE, data)
    _write_durably(pending / METADATA_FILE,
                   yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True).encode())
    _fsync_folder(pending)
    os.replace(pending / TEXT_FILE, folder / TEXT_FILE)
    _fsync_folder(folder)
    os.replace(pending / METADATA_FILE, folder / METADATA_FILE)  # the snapshot is committed
    _fsync_folder(folder)
    pending.rmdir()
    return metadata


def finish_interrupted_snapshot(folder: Path) -> str | None:
    """Complete or discard a snapshot that record_snapshot() did not finish.

    Returns "completed" (the new text was in place: its source.yaml is moved beside it),
    "discarded" (the old pair was still whole) or None (nothing was pending).
    """
    import os
    import shutil

    pending = Path(folder) / PENDING_SNAPSHOT
    if not pending.is_dir():
        return None
    pending_metadata = pending / METADATA_FILE
    text_path = Path(folder) / TEXT_FILE
    if not (pending / TEXT_FILE).exists() and pending_metadata.is_file() and text_path.is_file():
        try:
            recorded = yaml.safe_load(pending_metadata.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            recorded = None
        if isinstance(recorded, dict) and recorded.get("sha256") == sha256_of(
                text_path.read_bytes()):
            os.replace(pending_metadata, Path(folder) / METADATA_FILE)
            _fsync_folder(Path(folder))
            shutil.rmtree(pending)
            return "completed"
    shutil.rmtree(pending)
    return "discarded"


def _write_durably(path: Path, data: bytes) -> None:
    import os

    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(path: Path) -> None:
    import os

    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
