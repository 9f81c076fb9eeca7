"""Skipping unchanged work: a run whose inputs, code and store are exactly those of the last run
that published (or found nothing to publish) into the same output is up to date at once.

The digest covers source files, corrections, schemas, the package's code and rules, the
held-out gold each release is measured on, and the versions of the libraries that shape the
data; it is kept in the state folder, per output.

This module is what an up-to-date `tipfigures run` does before anything else: it imports neither
Prefect nor pandas, pyarrow or Frictionless (check_inputs() answers in well under a second).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FINGERPRINT_PACKAGES = ("text2num", "pyyaml", "pandas", "pyarrow", "frictionless")


def inputs_fingerprint(sources_dir: Path, corrections: Path | None) -> str | None:
    """A digest of everything a publish reads: source files, corrections, schemas, the package's
    code and rules, and the versions of the libraries that shape the data. None when a source
    folder holds an unfinished snapshot (the full run completes it)."""
    from importlib import metadata

    from tipfigures import __version__, settings
    from tipfigures.sources import PENDING_SNAPSHOT, source_folders

    # the package's code and rules are digested below, the extractor's among them (so its
    # module is not imported: an up-to-date run compiles none of its rules)
    digest = hashlib.sha256(f"tipfigures {__version__}\n".encode())

    def add(label: str, path: Path) -> None:
        digest.update(f"{label}\0{len(data := path.read_bytes())}\0".encode())
        digest.update(data)

    for name in FINGERPRINT_PACKAGES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    code = settings.PACKAGE_DIR
    for path in sorted(p for p in code.rglob("*") if p.suffix in (".py", ".yaml", ".json")):
        add(f"code/{path.relative_to(code)}", path)
    schemas = settings.schemas_dir()
    for path in sorted(p for p in schemas.rglob("*") if p.is_file()):
        add(f"schemas/{path.relative_to(schemas)}", path)
    for folder in source_folders(sources_dir):
        if (folder / PENDING_SNAPSHOT).exists():
            return None
        for name in ("source.yaml", "text.txt"):
            if (folder / name).is_file():
                add(f"sources/{folder.name}/{name}", folder / name)
    if corrections is not None and corrections.is_dir():
        for path in sorted(corrections.glob("*.y*ml")):
            add(f"corrections/{path.name}", path)
    # the held-out gold: each release's quality statement is measured on it
    gold = settings.project_root() / settings.HELDOUT_GOLD
    for path in sorted(p for p in gold.rglob("*") if p.is_file()) if gold.is_dir() else ():
        add(f"gold/{path.relative_to(gold).as_posix()}", path)
    return digest.hexdigest()


def _input_files(sources_dir: Path, corrections: Path | None) -> Iterator[Path]:
    """The sources' and corrections' files a fingerprint reads (code and schemas aside)."""
    from tipfigures.sources import source_folders

    for folder in source_folders(sources_dir):
        for name in ("source.yaml", "text.txt"):
            yield folder / name
    if corrections is not None and corrections.is_dir():
        yield from sorted(corrections.glob("*.y*ml"))


def inputs_stamp(sources_dir: Path, corrections: Path | None) -> str:
    """A digest of the input files' names, sizes and modification times (no file is read).

    Taken before the fingerprint and again at the end of a run: a file written meanwhile changes
    it, and the run's fingerprint is then not recorded (the inputs it read may be mixed).
    """
    digest = hashlib.sha256()
    for path in _input_files(Path(sources_dir), corrections):
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            digest.update(f"{path}\0-\n".encode())
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class InputsCheck:
    """What a run learns before doing any work: its inputs' fingerprint, their stamp, and
    the "up-to-date" result when the last run into the output had these very inputs."""

    fingerprint: str | None
    stamp: str
    result: Any  # a tipfigures.publish.PublishResult, or None: the run must do the work


def check_inputs(sources_dir: Path, output_dir: Path, corrections: Path | None) -> InputsCheck:
    """The up-to-date rule, shared by `tipfigures run` (before Prefect starts) and the publish
    flow (for runs that do not come from the command line)."""
    stamp = inputs_stamp(Path(sources_dir), corrections)
    fingerprint = inputs_fingerprint(Path(sources_dir), corrections)
    return InputsCheck(fingerprint, stamp, up_to_date(Path(output_dir), fingerprint))


def _fingerprint_file(output_dir: Path) -> Path:
    from tipfigures.settings import state_dir

    key = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return state_dir() / "publish-fingerprints" / f"{key}.json"


def _store_state(output_dir: Path) -> dict[str, Any] | None:
    """The latest version of the store and its datapackage.json's sha256, as on disk."""
    from tipfigures.package import DATAPACKAGE, sha256_file
    from tipfigures.store import PublishError, Store

    store = Store(output_dir)
    try:
        catalog = store.catalog()
    except PublishError:
        return None
    latest = catalog.get("latest")
    descriptor = store.version_folder(latest) / DATAPACKAGE if latest else None
    if descriptor is None or not descriptor.is_file():
        return None
    entry = next((e for e in catalog["versions"] if e.get("version") == latest), {})
    return {"version": latest, "datapackage_sha256": sha256_file(descriptor),
            "rows": entry.get("rows", {})}


def up_to_date(output_dir: Path, fingerprint: str | None):
    """A PublishResult "up-to-date" when the last run into output_dir had these very inputs and
    left the store as it is now; else None."""
    import json

    from tipfigures import DATASET_NAME
    from tipfigures.changes import Changes, PublishResult
    from tipfigures.store import Store

    path = _fingerprint_file(output_dir)
    if fingerprint is None or not path.is_file():
        return None
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    state = _store_state(output_dir)
    if state is None or recorded.get("fingerprint") != fingerprint or \
            recorded.get("store") != {k: state[k] for k in ("version", "datapackage_sha256")}:
        return None
    store = Store(output_dir)
    return PublishResult("up-to-date", DATASET_NAME, state["version"],
                         store.version_folder(state["version"]),
                         Changes(state["version"], {}), dict(state["rows"]))


def record_fingerprint(output_dir: Path, fingerprint: str | None) -> None:
    import json
    import os

    state = _store_state(output_dir)
    if fingerprint is None or state is None:
        return
    path = _fingerprint_file(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({
        "output": str(output_dir.resolve()), "fingerprint": fingerprint,
        "store": {k: state[k] for k in ("version", "datapackage_sha256")}}) + "\n",
        encoding="utf-8")
    os.replace(temporary, path)
