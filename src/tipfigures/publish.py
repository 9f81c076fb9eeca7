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
from pathlib import Path
from typing import Any

from tipfigures.archive import write_zip, zip_name, zip_problems
from tipfigures.changelog import changelog_entry
from tipfigures.changes import (  # noqa: F401  (re-exported: tipfigures.publish.Changes...)
    BUMPS,
    FIRST_VERSION,
    Changes,
    PublishResult,
    ResourceChanges,
    diff_tables,
    next_version,
)
from tipfigures.package import (
    DATAPACKAGE,
    format_cell,
    fsync_tree,
    package_schemas,
    read_descriptor,
    read_tables,
    sha256_file,
    write_package_files,
)
from tipfigures.package_check import (
    TableValidation,
    check_written_package,
    frictionless_workers,
)
from tipfigures.site import write_landing_page
from tipfigures.store import CATALOG, PublishError, Store, replace_file  # noqa: F401
from tipfigures.tables import RESOURCES, Tables
from tipfigures.validate import Problem, ValidationFailed

CHANGELOG = "CHANGELOG.md"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _measured_quality() -> dict[str, Any]:
    from tipfigures.quality import measure_quality

    return measure_quality().to_json()


def _quality_release(store: Store, changes: Changes, quality: dict[str, Any]) -> str | None:
    """The patch version to publish when the data are the latest version's but the quality
    statement measured now is not (a new extractor version or new held-out gold), else None:
    every release measures itself, and `tipfigures verify` rebuilds the latest one."""
    latest = store.latest()
    if latest is None or read_descriptor(store.version_folder(latest)).get("quality") == quality:
        return None
    changes.quality_only = True
    return next_version(latest, "patch")


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
            lock_timeout: float = 300.0, created: str | None = None,
            quality: dict[str, Any] | None = None, note: str | None = None) -> PublishResult:
    """Publish `tables` as the next version in output/<dataset>, or say it is up to date.

    `checks` are problems already found in the tables (provenance); any error stops the run
    before anything is written. `quality` is the quality statement; by default it is measured
    now on the checkout's held-out gold (tipfigures.quality). `note`: a sentence or two for
    people, recorded in changes.json and shown first in the changelog.
    """
    store = Store(Path(output))
    rows = {name: len(tables[name]) for name in RESOURCES}
    errors = [p for p in checks or [] if p.severity == "error"]
    if errors:
        raise ValidationFailed(errors)
    if dry_run:
        version, changes = plan(tables, store)
        if version is None:
            quality = quality if quality is not None else _measured_quality()
            version = _quality_release(store, changes, quality)
        changes.note = note
        return PublishResult("dry-run", store.dataset, version, None, changes, rows)
    check_writable(store.root)
    seen = _latest_or_none(store)  # before waiting for the lock: did another run publish?
    with store.lock(lock_timeout):
        store.remove_leftovers()
        version, changes = plan(tables, store)
        if version is None:
            quality = quality if quality is not None else _measured_quality()
            version = _quality_release(store, changes, quality)
        if version is None:
            if stale_derived_files(store):  # a run killed after the catalog was written
                write_derived_files(store)
            latest = store.latest()
            waited = (f"another run published {latest} while this one waited for it; that "
                      "version holds this run's data" if latest != seen else None)
            return PublishResult("up-to-date", store.dataset, latest,
                                 store.version_folder(latest), changes, rows, waited)
        changes.note = note
        target = store.version_folder(version)
        if target.exists() or version in store.versions():
            raise PublishError(f"{target}: version {version} is already published; a published "
                               "version is never rewritten")
        if quality is None:
            quality = _measured_quality()
        temporary = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=store.folder))
        os.chmod(temporary, 0o755)  # mkdtemp makes 0700, which the renamed version would keep
        try:
            # a large package is validated in worker processes, started now, each table as
            # soon as its CSV is written
            with frictionless_workers(tables) as workers:
                validation = TableValidation(workers)
                descriptor, files = write_package_files(
                    tables, temporary, version=version, created=created or _now(),
                    inputs=inputs, changes=changes.to_json(), quality=quality,
                    on_csv=lambda name, schema, data: validation.add(
                        name, schema, data, str(temporary / "data" / f"{name}.csv")))
                _checkpoint("package-written")
                problems = check_written_package(temporary, descriptor, files, validation)
            del files  # validated; the landing page is made from `tables`, which they hold
            if problems:
                raise ValidationFailed(problems)
            archive = write_zip(temporary, version, store.dataset)
            zip_path = temporary / zip_name(version, store.dataset)
            problems = [Problem(str(zip_path), text) for text in
                        zip_problems(zip_path.read_bytes(), temporary, version, store.dataset)]
            if problems:
                raise ValidationFailed(problems)
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
            "zip": archive.to_json(),
        }]
        catalog["latest"] = version
        store.write_catalog(catalog)
        _checkpoint("catalog-written")
        write_derived_files(store, tables)  # the tables just written and validated
        return PublishResult("published", store.dataset, version, target, changes, rows)


def _latest_or_none(store: Store) -> str | None:
    try:
        return store.latest()
    except PublishError:
        return None  # reported under the lock


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
    replace_file(store.folder / CHANGELOG, changelog_text(store))
    write_landing_page(store.folder, latest_tables)
    update_checkout_readme(store)


def update_checkout_readme(store: Store) -> bool:
    """Publishing into the checkout's own output/ rewrites the README's citation block from
    the latest version (tipfigures.citation); a store anywhere else leaves the README alone."""
    from tipfigures.citation import update_readme
    from tipfigures.settings import project_root

    root = project_root()
    readme = root / "README.md"
    latest = store.latest()
    if latest is None or not readme.is_file() or \
            store.root.resolve() != (root / "output").resolve():
        return False
    citation = read_descriptor(store.version_folder(latest)).get("citation")
    return bool(citation) and update_readme(readme, citation)


def stale_derived_files(store: Store) -> list[str]:
    """The derived files (CHANGELOG.md, index.html) that are missing or not what the catalog
    and the versions make now: left behind by a run killed after writing the catalog."""
    def differs(path: Path, expected: str) -> bool:
        try:
            return path.read_text(encoding="utf-8") != expected
        except (OSError, UnicodeDecodeError):
            return True

    stale = [CHANGELOG] if differs(store.folder / CHANGELOG, changelog_text(store)) else []
    try:
        from tipfigures.site import INDEX, render_page
    except ImportError:
        return stale
    if differs(store.folder / INDEX, render_page(store.folder, store.catalog())):
        stale.append(INDEX)
    return stale


def changelog_text(store: Store) -> str:
    lines = [f"# Changelog of {store.dataset}", "",
             "Newest first. Versions follow the Data Package Version recipe: MAJOR when fields "
             "are removed, renamed or retyped or a primary key changes; MINOR when rows or "
             "fields are added or removed; "
             "PATCH when only values of existing rows are corrected.", ""]
    for entry in reversed(store.catalog()["versions"]):
        lines += [f"## {entry['version']} ({entry['created'][:10]})", ""]
        changes_path = store.version_folder(entry["version"]) / "changes.json"
        changes = json.loads(changes_path.read_text(encoding="utf-8")) \
            if changes_path.exists() else {}
        lines += changelog_entry(changes, entry) + [""]
    return "\n".join(lines)


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
