"""`tipfigures verify`: rebuild a published version from its recorded inputs, byte for byte."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tipfigures.archive import write_zip
from tipfigures.package import (
    package_schemas,
    read_descriptor,
    read_tables,
    sha256_file,
    write_package,
)
from tipfigures.pipeline import (
    build,
    extract_source,
    locate_corrections,
    recorded_inputs,
)
from tipfigures.publish import Store, diff_tables
from tipfigures.quality import measure_quality
from tipfigures.settings import corrections_dir
from tipfigures.sources import SourceError, load_sources


class VerifyError(RuntimeError):
    """The version cannot be rebuilt (unknown version, or its inputs are not here)."""


@dataclass
class VerifyReport:
    version: str
    files: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def differing(self) -> list[str]:
        return sorted(name for name, (a, b) in self.files.items() if a != b)


def verify_version(output: Path, sources_dir: Path, version: str | None = None,
                   corrections_folder: Path | None = None) -> VerifyReport:
    store = Store(Path(output))
    versions = store.versions()
    version = version or store.latest()
    if version is None or version not in versions:
        available = ", ".join(versions) or "none"
        raise VerifyError(f"{store.folder}: no published version {version!r}; "
                          f"published versions: {available}")
    folder = store.version_folder(version)
    descriptor = read_descriptor(folder)
    inputs = descriptor.get("tipfigures", {})
    try:
        sources = {s.id: s for s in load_sources(sources_dir)}
    except SourceError as error:
        raise VerifyError(str(error)) from error
    recorded = inputs.get("sources", {})
    for source_id, sha256 in recorded.items():
        if source_id not in sources:
            raise VerifyError(f"{sources_dir / source_id}: missing; version {version} was made "
                              "from it (check out the commit that published it)")
        if sources[source_id].sha256 != sha256:
            raise VerifyError(f"{sources[source_id].text_path}: changed since version {version} "
                              f"(sha256 {sources[source_id].sha256[:12]}, recorded "
                              f"{sha256[:12]}); check out the commit that published it")
    chosen = [sources[source_id] for source_id in sorted(recorded)]
    try:
        corrections = locate_corrections(sources_dir, corrections_folder)
    except SourceError as error:
        raise VerifyError(str(error)) from error
    now = recorded_inputs(chosen, corrections)
    if now["corrections"] != inputs.get("corrections", {}):
        where = corrections or corrections_dir(sources_dir)
        raise VerifyError(f"{where}: corrections differ from those version {version} was "
                          f"made from ({len(inputs.get('corrections', {}))} file(s) recorded, "
                          f"{len(now['corrections'])} found); check out the commit that "
                          "published it, or give their folder with --corrections")
    report = VerifyReport(version)
    if now["extractor_version"] != inputs.get("extractor_version"):
        report.notes.append(f"extractor version is {now['extractor_version']}, version "
                            f"{version} was made with {inputs.get('extractor_version')}")
    tables, _ = build(chosen, [extract_source(s) for s in chosen], corrections)
    previous = note = None
    changes_file = folder / "changes.json"
    if changes_file.exists():
        import json

        recorded = json.loads(changes_file.read_text(encoding="utf-8"))
        previous, note = recorded.get("previous_version"), recorded.get("note")
    if previous:
        old = store.version_folder(previous)
        changes = diff_tables(read_tables(old), tables, package_schemas(old), previous)
    else:
        changes = diff_tables(None, tables, {}, None)
    changes.note = note  # the publisher's words are recorded, not rebuilt
    # (a version with the previous one's data was published for its quality statement)
    changes.quality_only = previous is not None and changes.bump is None
    quality = None
    if "quality" in descriptor:  # measured again: the scores must come out the same
        quality = measure_quality().to_json()
        recorded_gold = descriptor["quality"].get("evaluated_on", {}).get("sha256")
        if quality["evaluated_on"]["sha256"] != recorded_gold:
            report.notes.append(f"the held-out gold differs from the one version {version} was "
                                "measured on; check out the commit that published it")
    rebuilt = Path(tempfile.mkdtemp(prefix=".verify-"))
    try:
        write_package(tables, rebuilt, version=version, created=descriptor["created"],
                      inputs=inputs, changes=changes.to_json(), quality=quality)
        entry = next(e for e in store.catalog()["versions"] if e["version"] == version)
        if entry.get("zip"):  # versions before 2.0.0 have none
            write_zip(rebuilt, version, store.dataset)
        names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        names |= {p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file()}
        for name in sorted(names):
            a, b = folder / name, rebuilt / name
            report.files[name] = (sha256_file(a) if a.exists() else None,
                                  sha256_file(b) if b.exists() else None)
    finally:
        shutil.rmtree(rebuilt, ignore_errors=True)
    return report
