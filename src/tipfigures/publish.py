"""Publishing versions: semantic version from the diff, atomic and exclusive writes, catalog.

The store is output/<dataset>/:

    catalog.json      every published version; the one source of truth for what is published
    CHANGELOG.md      derived from the catalog and each version's changes.json
    index.html        landing page, derived too
    <version>/        immutable once listed in the catalog

A version is built in a temporary folder beside the store, validated, flushed to disk and
renamed into place; the catalog is replaced last. A folder that is not in the catalog was left
by an interrupted run and is removed by the next one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from tipfigures import DATASET_NAME
from tipfigures.package import (
    DATAPACKAGE,
    format_cell,
    fsync_tree,
    package_schemas,
    read_tables,
    sha256_file,
    tables_of_files,
    write_package_files,
)
from tipfigures.tables import RESOURCES, Row, Tables, load_schema
from tipfigures.validate import Problem, ValidationFailed, check_written_package

CATALOG = "catalog.json"
CHANGELOG = "CHANGELOG.md"
FIRST_VERSION = "1.0.0"
BUMPS = ("patch", "minor", "major")


class PublishError(RuntimeError):
    """Publishing could not go on; nothing was published."""


# ---------------------------------------------------------------------------------------------
# Changes between two versions


@dataclass
class ResourceChanges:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # key, field, old, new
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    fields_retyped: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.fields_added
                    or self.fields_removed or self.fields_retyped)


@dataclass
class Changes:
    previous: str | None
    resources: dict[str, ResourceChanges]

    @property
    def bump(self) -> str | None:
        """Data Package Version: major for removed/renamed/retyped fields, minor for added or
        removed rows and added fields, patch for changed values, None for no change."""
        if self.previous is None:
            return "major"
        r = self.resources.values()
        if any(c.fields_removed or c.fields_retyped for c in r):
            return "major"
        if any(c.fields_added or c.added or c.removed for c in r):
            return "minor"
        if any(c.changed for c in r):
            return "patch"
        return None

    def summary(self) -> str:
        if self.previous is None:
            return "first release"
        parts = []
        for name, c in self.resources.items():
            for count, verb in ((len(c.added), "added"), (len(c.removed), "removed"),
                                (len({json.dumps(x["key"]) for x in c.changed}), "changed")):
                if count:
                    noun = name if count != 1 else name.removesuffix("s")
                    parts.append(f"{count} {noun} {verb}")
            for kind, fields in (("added", c.fields_added), ("removed", c.fields_removed),
                                 ("retyped", c.fields_retyped)):
                if fields:
                    parts.append(f"{name} fields {kind}: {', '.join(fields)}")
        return "; ".join(parts) or "no change"

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_version": self.previous,
            "bump": self.bump,
            "summary": self.summary(),
            "resources": {name: {k: v for k, v in c.__dict__.items() if v}
                          for name, c in self.resources.items() if not c.is_empty()},
        }


def _key(row: Row, primary_key: list[str]) -> tuple[str, ...]:
    return tuple(format_cell(row.get(name)) for name in primary_key)


def diff_tables(old: Tables | None, new: Tables, old_schemas: dict[str, dict[str, Any]],
                previous: str | None) -> Changes:
    """Rows added, removed and changed (by primary key), and fields added, removed, retyped."""
    resources: dict[str, ResourceChanges] = {}
    for name in RESOURCES:
        schema = load_schema(name)
        changes = ResourceChanges()
        resources[name] = changes
        if old is None:
            continue
        new_types = {f["name"]: f["type"] for f in schema["fields"]}
        old_schema = old_schemas.get(name)
        if old_schema is None:
            changes.fields_added = list(new_types)
            changes.added = [{"key": list(_key(r, schema["primaryKey"]))} for r in new[name]]
            continue
        old_types = {f["name"]: f["type"] for f in old_schema["fields"]}
        changes.fields_added = [n for n in new_types if n not in old_types]
        changes.fields_removed = [n for n in old_types if n not in new_types]
        changes.fields_retyped = [n for n in new_types if n in old_types
                                  and old_types[n] != new_types[n]]
        primary_key = schema["primaryKey"]
        old_rows = {_key(r, primary_key): r for r in old.get(name, [])}
        new_rows = {_key(r, primary_key): r for r in new[name]}
        shared_fields = [n for n in new_types if n in old_types]
        for key, row in new_rows.items():
            if key not in old_rows:
                changes.added.append({"key": list(key), **_describe(name, row)})
                continue
            for field_name in shared_fields:
                before, after = old_rows[key].get(field_name), row.get(field_name)
                if format_cell(before) != format_cell(after):
                    changes.changed.append({"key": list(key), "field": field_name,
                                            "old": before, "new": after})
        for key, row in old_rows.items():
            if key not in new_rows:
                changes.removed.append({"key": list(key), **_describe(name, row)})
    return Changes(previous, resources)


def _describe(resource: str, row: Row) -> dict[str, Any]:
    """A few fields that let a person recognise a row in a changelog."""
    keep = {"figures": ("source_id", "text", "value", "unit", "indicator", "period"),
            "sources": ("title",), "observations": ("country_code", "year", "indicator", "value")}
    return {name: row.get(name) for name in keep.get(resource, ())}


def next_version(current: str | None, bump: str) -> str:
    if current is None:
        return FIRST_VERSION
    major, minor, patch = (int(part) for part in current.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# ---------------------------------------------------------------------------------------------
# The store


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
        _replace_file(self.folder / CATALOG, json.dumps(catalog, indent=2) + "\n")


def _replace_file(path: Path, text: str) -> None:
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


@dataclass
class PublishResult:
    status: str  # "published", "up-to-date" or "dry-run"
    dataset: str
    version: str | None
    path: Path | None
    changes: Changes
    rows: dict[str, int]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def plan(tables: Tables, store: Store) -> tuple[str | None, Changes]:
    """The version a publish would create (None when nothing changed), and the changes."""
    latest = store.latest()
    if latest is None:
        return FIRST_VERSION, diff_tables(None, tables, {}, None)
    folder = store.version_folder(latest)
    if not (folder / DATAPACKAGE).exists():
        raise PublishError(f"{store.folder / CATALOG}: lists latest version {latest}, but "
                           f"{folder / DATAPACKAGE} is missing; restore it from git")
    changes = diff_tables(read_tables(folder), tables, package_schemas(folder), latest)
    bump = changes.bump
    return (next_version(latest, bump) if bump else None), changes


def publish(tables: Tables, output: Path, *, inputs: dict[str, Any],
            checks: list[Problem] | None = None, dry_run: bool = False,
            lock_timeout: float = 300.0, created: str | None = None) -> PublishResult:
    """Publish `tables` as the next version in output/<dataset>, or say it is up to date.

    `checks` are problems already found in the tables (provenance); any error stops the run
    before anything is written.
    """
    store = Store(Path(output))
    rows = {name: len(tables[name]) for name in RESOURCES}
    errors = [p for p in checks or [] if p.severity == "error"]
    if errors:
        raise ValidationFailed(errors)
    if dry_run:
        version, changes = plan(tables, store)
        return PublishResult("dry-run", store.dataset, version, None, changes, rows)
    check_writable(store.root)
    with store.lock(lock_timeout):
        store.remove_leftovers()
        version, changes = plan(tables, store)
        if version is None:
            return PublishResult("up-to-date", store.dataset, store.latest(),
                                 store.version_folder(store.latest()), changes, rows)
        target = store.version_folder(version)
        if target.exists() or version in store.versions():
            raise PublishError(f"{target}: version {version} is already published; a published "
                               "version is never rewritten")
        temporary = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=store.folder))
        os.chmod(temporary, 0o755)  # mkdtemp makes 0700, which the renamed version would keep
        try:
            descriptor, files = write_package_files(tables, temporary, version=version,
                                                    created=created or _now(), inputs=inputs,
                                                    changes=changes.to_json())
            _checkpoint("package-written")
            problems = check_written_package(temporary, descriptor, files)
            if problems:
                raise ValidationFailed(problems)
            # only the Parquet bytes are read again (by the landing page): free the CSV's
            files = {path: data for path, data in files.items() if path.endswith(".parquet")}
            fsync_tree(temporary)
            _checkpoint("validated")
            os.rename(temporary, target)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        _checkpoint("renamed")
        catalog = store.catalog()
        catalog["name"] = store.dataset
        catalog["versions"] = [e for e in catalog["versions"] if e["version"] != version] + [{
            "version": version,
            "created": descriptor["created"],
            "datapackage_sha256": sha256_file(target / DATAPACKAGE),
            "bump": changes.bump,
            "summary": changes.summary(),
            "rows": rows,
        }]
        catalog["latest"] = version
        store.write_catalog(catalog)
        _checkpoint("catalog-written")
        write_derived_files(store, tables_of_files(descriptor, files))
        return PublishResult("published", store.dataset, version, target, changes, rows)


def _checkpoint(name: str) -> None:
    """Test hook for the kill tests: with TIPFIGURES_PUBLISH_PAUSE=<name> the publisher stops
    here, writes TIPFIGURES_PUBLISH_PAUSE_MARKER and waits to be killed."""
    if os.environ.get("TIPFIGURES_PUBLISH_PAUSE") != name:
        return
    Path(os.environ["TIPFIGURES_PUBLISH_PAUSE_MARKER"]).write_text(name)
    time.sleep(600)


def check_writable(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PublishError(f"{root}: cannot create the output folder ({error.strerror})") from error
    if not os.access(root, os.W_OK | os.X_OK):
        raise PublishError(f"{root}: the output folder is not writable; choose another with "
                           "--output or fix its permissions")


def write_derived_files(store: Store, latest_tables: Tables | None = None) -> None:
    """CHANGELOG.md and index.html, remade from the catalog (so never ahead of it);
    `latest_tables`: the latest version's tables, when they were just written."""
    _replace_file(store.folder / CHANGELOG, changelog_text(store))
    try:
        from tipfigures.site import write_landing_page
    except ImportError:
        return
    write_landing_page(store.folder, latest_tables)


def changelog_text(store: Store) -> str:
    lines = [f"# Changelog of {store.dataset}", "",
             "Newest first. Versions follow the Data Package Version recipe: MAJOR when fields "
             "are removed, renamed or retyped; MINOR when rows or fields are added or removed; "
             "PATCH when only values of existing rows are corrected.", ""]
    for entry in reversed(store.catalog()["versions"]):
        lines += [f"## {entry['version']} ({entry['created'][:10]})", ""]
        changes_path = store.version_folder(entry["version"]) / "changes.json"
        changes = json.loads(changes_path.read_text(encoding="utf-8")) \
            if changes_path.exists() else {}
        lines += changelog_entry(changes, entry) + [""]
    return "\n".join(lines)


def changelog_entry(changes: dict[str, Any], entry: dict[str, Any]) -> list[str]:
    if not changes.get("previous_version"):
        rows = entry.get("rows", {})
        return [f"- First release: {rows.get('figures', 0)} figures from "
                f"{rows.get('sources', 0)} sources."]
    lines = []
    for name, c in changes.get("resources", {}).items():
        if name == "figures":
            for verb in ("added", "removed"):
                by_source: dict[str, int] = {}
                for row in c.get(verb, []):
                    by_source[row.get("source_id")] = by_source.get(row.get("source_id"), 0) + 1
                for source_id, count in sorted(by_source.items(), key=str):
                    lines.append(f"- {count} figure{'s' * (count != 1)} {verb} "
                                 f"{'from' if verb == 'added' else 'in'} source {source_id}.")
            for change in c.get("changed", [])[:200]:
                lines.append(f"- {change['field']} of figure {change['key'][0]} corrected from "
                             f"{format_cell(change['old']) or 'empty'} to "
                             f"{format_cell(change['new']) or 'empty'}.")
        else:
            counts = []
            for kind in ("added", "removed", "changed"):
                rows = {json.dumps(row["key"]) for row in c.get(kind, [])}
                if rows:
                    counts.append(f"{len(rows)} row{'s' * (len(rows) != 1)} {kind}")
            if counts:
                lines.append(f"- {name}: {', '.join(counts)}.")
        for kind in ("fields_added", "fields_removed", "fields_retyped"):
            if c.get(kind):
                lines.append(f"- {name}: {kind.replace('_', ' ')}: {', '.join(c[kind])}.")
    return lines or [f"- {entry.get('summary', '')}"]


def changes_markdown(title: str, changes: dict[str, Any]) -> str:
    """A changes.json as Markdown: a summary line and a table of changed figures."""
    lines = [f"### {title}", ""]
    if changes.get("summary"):
        lines += [f"**{changes.get('bump') or 'no'} change**: {changes['summary']}", ""]
    figures = changes.get("resources", {}).get("figures", {})
    rows = [("added", row) for row in figures.get("added", [])] + \
           [("removed", row) for row in figures.get("removed", [])]
    if rows:
        lines += ["| change | figure_id | source | text | value | unit | indicator | period |",
                  "|---|---|---|---|---|---|---|---|"]
        for kind, row in rows[:300]:
            cells = [kind, row["key"][0], row.get("source_id"), row.get("text"),
                     format_cell(row.get("value")), row.get("unit"), row.get("indicator"),
                     row.get("period")]
            lines.append("| " + " | ".join(str(c or "").replace("|", "\\|") for c in cells)
                         + " |")
        lines.append("")
    if figures.get("changed"):
        lines += ["| figure_id | field | old | new |", "|---|---|---|---|"]
        for change in figures["changed"][:300]:
            lines.append(f"| {change['key'][0]} | {change['field']} | "
                         f"{format_cell(change['old'])} | {format_cell(change['new'])} |")
        lines.append("")
    return "\n".join(lines) + "\n"
