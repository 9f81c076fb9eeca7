"""`tipfigures validate`: every check of a contribution, over a path or the whole repository."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

from tipfigures.archive import zip_name, zip_problems
from tipfigures.package import DATAPACKAGE, sha256_file
from tipfigures.publish import CATALOG, PublishError, Store, plan, stale_derived_files
from tipfigures.sources import (
    FIELD_SPECS,
    METADATA_FILE,
    TEXT_FILE,
    SourceError,
    check_metadata,
    load_source,
    read_located_metadata,
    read_text,
    source_folders,
    unknown_fields,
)
from tipfigures.validate import Problem, check_package, check_schema_files


def check_source_folder(folder: Path) -> list[Problem]:
    """Every problem of one source folder (not only the first)."""
    from tipfigures.refresh import OriginError, parse_origin

    problems: list[Problem] = []
    path = folder / METADATA_FILE
    try:
        located = read_located_metadata(folder)
    except SourceError as error:
        return [_source_problem(error, folder)]
    problems += [Problem(str(p.file), p.message, row=p.line, field=p.field)
                 for p in check_metadata(located.data, path, located.lines)]
    problems += [Problem(str(path), f"unknown field {name!r} (a typo?); it is not published",
                         row=located.line_of(name), field=name, severity="warning",
                         hint=f"source.yaml fields are: {', '.join(FIELD_SPECS)}")
                 for name in unknown_fields(located.data)]
    if isinstance(located.data.get("origin"), dict) and not any(
            p.field == "origin" for p in problems):
        try:
            parse_origin(located.data["origin"], str(path))
        except OriginError as error:
            problems.append(Problem(str(path), _strip_path(error, path),
                                    row=located.line_of("origin"), field="origin"))
    try:
        read_text(folder / TEXT_FILE)  # readable, UTF-8, not empty
        if not [p for p in problems if p.severity == "error"]:
            load_source(folder)  # and the text matches the sha256 and chars recorded
    except SourceError as error:
        problems.append(_source_problem(error, folder))
    return problems


def _source_problem(error: SourceError, folder: Path) -> Problem:
    """A SourceError ('<file>[:<line>]: message') as a Problem with its file and line."""
    text = str(error)
    for name in (TEXT_FILE, METADATA_FILE):
        match = re.match(rf"^{re.escape(str(folder / name))}(?::(\d+))?: (.*)$", text, re.S)
        if match:
            return Problem(str(folder / name), match.group(2),
                           row=int(match.group(1)) if match.group(1) else None)
    return Problem(str(folder / METADATA_FILE), text)


def _strip_path(error: Exception | str, path: Path) -> str:
    text = str(error)
    return re.sub(rf"^{re.escape(str(path))}(:\d+)?: ", "", text)


def check_indicator_list(path: Path) -> list[Problem]:
    problems = []
    seen = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            code = row.get("indicator") or ""
            if not re.fullmatch(r"[a-z][a-z_]*", code):
                problems.append(Problem(str(path), f"indicator code {code!r} must be lower case "
                                        "letters and _", row=number, field="indicator"))
            if code in seen:
                problems.append(Problem(str(path), f"indicator {code!r} is listed twice",
                                        row=number, field="indicator"))
            seen.add(code)
    return problems


def check_store(folder: Path) -> list[Problem]:
    """A dataset folder: catalog consistent with the versions, each version valid."""
    store = Store(folder.parent, folder.name)
    try:
        catalog = store.catalog()
    except PublishError as error:
        return [Problem(str(folder / CATALOG), str(error))]
    problems: list[Problem] = []
    versions = [entry.get("version") for entry in catalog.get("versions", [])]
    if catalog.get("latest") != (versions[-1] if versions else None):
        problems.append(Problem(str(folder / CATALOG), f"latest is {catalog.get('latest')!r}, "
                                f"but the last version listed is {versions[-1:] or None}",
                                field="latest"))
    for entry in catalog.get("versions", []):
        version = entry.get("version")
        version_folder = folder / str(version)
        if not (version_folder / DATAPACKAGE).is_file():
            problems.append(Problem(str(folder / CATALOG), f"lists version {version}, but "
                                    f"{version_folder / DATAPACKAGE} is missing",
                                    field="versions", hint="restore the version from git"))
            continue
        digest = sha256_file(version_folder / DATAPACKAGE)
        if digest != entry.get("datapackage_sha256"):
            problems.append(Problem(str(version_folder / DATAPACKAGE),
                                    "changed after publishing: its sha256 is not the one "
                                    "catalog.json records", hint="a published version is never "
                                    "edited; restore it and publish a new version"))
        problems += check_package(version_folder)
        if entry.get("zip"):
            problems += check_zip(folder, entry)
    if versions and not problems:
        problems += [Problem(str(folder / name), "stale: not what catalog.json and the "
                             "versions make (a run was interrupted after publishing?)",
                             hint="`tipfigures run` rebuilds it")
                     for name in stale_derived_files(store)]
    for path in folder.iterdir():
        if path.is_dir() and path.name[:1].isdigit() and path.name not in versions:
            problems.append(Problem(str(path), "a version folder that catalog.json does not list",
                                    hint="left by an interrupted run; the next run removes it",
                                    severity="warning"))
    return problems


def check_zip(folder: Path, entry: dict) -> list[Problem]:
    """A version's zip: where the catalog says, its bytes and sha256, the version's files."""
    version, recorded = str(entry.get("version")), entry["zip"]
    expected = f"{version}/{zip_name(version, folder.name)}"
    if not isinstance(recorded, dict) or recorded.get("path") != expected:
        recorded = recorded if isinstance(recorded, dict) else {"path": recorded}
        return [Problem(str(folder / CATALOG), f"version {version}: zip path "
                        f"{recorded.get('path')!r} should be {expected!r}", field="zip")]
    path = folder / expected
    if not path.is_file():
        return [Problem(str(path), "missing, but catalog.json lists it", field="zip",
                        hint="restore the version from git")]
    data = path.read_bytes()
    if (len(data), hashlib.sha256(data).hexdigest()) != (recorded.get("bytes"),
                                                         recorded.get("sha256")):
        return [Problem(str(path), "its bytes or sha256 are not the ones catalog.json records",
                        hint="a published version is never edited; restore it from git")]
    return [Problem(str(path), text) for text in zip_problems(data, folder / version, version,
                                                              folder.name)]


def check_published_unchanged(root: Path, output: Path) -> list[Problem]:
    """Files of versions already in git (at TIPFIGURES_BASE_REF, default HEAD) are unchanged."""
    base = os.environ.get("TIPFIGURES_BASE_REF", "HEAD")
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", base,
                                 "--", str(output.relative_to(root))], capture_output=True,
                                text=True, check=True).stdout.split()
        changed = subprocess.run(["git", "-C", str(root), "diff", "--name-only", base, "--",
                                  str(output.relative_to(root))], capture_output=True, text=True,
                                 check=True).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError):
        return []  # not a git checkout, or no such ref: the catalog's hashes still apply
    version_file = re.compile(r"^.*/[^/]+/\d+\.\d+\.\d+/")
    published = {match.group(0) for name in listed if (match := version_file.match(name))}
    return [Problem(str(root / name), f"changed since {base}, but it belongs to a published "
                    "version", hint="published versions are immutable; restore the file "
                    f"(git checkout {base} -- {name})")
            for name in changed if any(name.startswith(p) for p in published)]


def check_up_to_date(root: Path, corrections: Path | None = None) -> list[Problem]:
    """The committed output/ is what the pipeline makes from the committed inputs, and what it
    would make passes the checks a release runs."""
    from tipfigures.pipeline import build, extract_source, locate_corrections
    from tipfigures.sources import load_sources

    try:
        folder = locate_corrections(root / "sources", corrections, root / "output")
    except SourceError as error:
        return [Problem(str(corrections or root / "corrections"), str(error))]
    sources = load_sources(root / "sources")
    tables, problems = build(sources, [extract_source(s) for s in sources], folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return errors
    store = Store(root / "output")
    version, changes = plan(tables, store)
    errors = check_release(tables, version or store.latest() or "0.0.0")
    if errors or version is None:
        return errors
    return [Problem(str(store.folder), f"not up to date with sources and corrections: a run "
                    f"would publish {version} ({changes.summary()})",
                    hint="run `make run` (or `tipfigures run`) and commit output/")]


def check_readme_citation(root: Path, store: Path) -> list[Problem]:
    """The README's citation block is the one of the latest version (when it has one)."""
    from tipfigures.citation import readme_with_citation

    latest = Store(store.parent, store.name).latest()
    readme = root / "README.md"
    if latest is None or not readme.is_file():
        return []
    try:
        citation = json.loads((store / latest / DATAPACKAGE).read_text(encoding="utf-8")) \
            .get("citation")
    except (OSError, ValueError):
        return []  # check_store reports the version's descriptor
    if not citation:
        return []
    text = readme.read_text(encoding="utf-8")
    try:
        current = readme_with_citation(text, citation) == text
    except ValueError as error:
        return [Problem(str(readme), str(error), hint="put the two marker lines back")]
    if current:
        return []
    return [Problem(str(readme), f"the citation block is not the one of version {latest}",
                    hint="it is written by publishing; restore it with "
                         "`git checkout -- README.md`")]


def check_release(tables, version: str) -> list[Problem]:
    """The checks `run` makes before it publishes (Frictionless on the written package, CSV ==
    Parquet), on the tables written to a temporary folder: what would fail a run fails here."""
    import tempfile

    from tipfigures.package import write_package

    with tempfile.TemporaryDirectory(prefix="tipfigures-validate-") as folder:
        write_package(tables, Path(folder), version=version, created="1970-01-01T00:00:00Z",
                      inputs={}, changes=None)
        problems = check_package(Path(folder))
    return [Problem(f"(the tables of a run){p.file.removeprefix(folder)}",
                    p.message, p.resource, p.row, p.field, p.hint, p.severity)
            for p in problems]


def check_repository(root: Path, corrections_folder: Path | None = None
                     ) -> tuple[list[Problem], list[str]]:
    from tipfigures.curate import load_corrections

    problems: list[Problem] = []
    checked = []
    sources = root / "sources"
    folders = source_folders(sources) if sources.is_dir() else []
    for folder in folders:
        problems += check_source_folder(folder)
    checked.append(f"{len(folders)} sources")
    problems += check_schema_files(root / "schemas")
    problems += check_indicator_list(root / "schemas" / "indicators.csv")
    checked.append("schemas")
    corrections = corrections_folder or root / "corrections"
    if corrections.is_dir():
        problems += load_corrections(corrections)[1]
        checked.append(f"{len(list(corrections.glob('*.y*ml')))} correction files")
    output = root / "output"
    stores = [p for p in output.iterdir() if (p / CATALOG).exists()] if output.is_dir() else []
    for store in stores:
        problems += check_store(store)
        problems += check_readme_citation(root, store)
        count = len(Store(output, store.name).versions())
        checked.append(f"{count} published version{'s' * (count != 1)} of {store.name}")
    problems += check_published_unchanged(root, output)
    if not [p for p in problems if p.severity == "error"]:
        problems += check_up_to_date(root, corrections_folder)
        checked.append("output/ against a fresh run")
    return problems, checked


def check_path(path: Path, corrections: Path | None = None) -> tuple[list[Problem], list[str]]:
    if path.is_file() and path.name == DATAPACKAGE:
        path = path.parent
    if (path / DATAPACKAGE).is_file():
        return check_package(path), [f"package {path}"]
    if (path / CATALOG).is_file():
        return check_store(path), [f"dataset {path}"]
    if (path / METADATA_FILE).exists() or (path / TEXT_FILE).exists():
        return check_source_folder(path), [f"source {path}"]
    if path.is_dir() and (path / "sources").is_dir():
        return check_repository(path, corrections)
    if path.suffix in (".yaml", ".yml") and path.parent.name == "corrections":
        from tipfigures.curate import load_corrections

        return load_corrections(path.parent)[1], [f"corrections {path.parent}"]
    return [Problem(str(path), "not a data package, a dataset folder, a source folder or a "
                    "repository")], []


__all__ = ["check_path", "check_repository"]
