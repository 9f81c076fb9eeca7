"""What changed between two versions of the dataset, and the version number that follows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipfigures.package import format_cell
from tipfigures.tables import RESOURCES, Row, Tables, load_schema

FIRST_VERSION = "1.0.0"
BUMPS = ("patch", "minor", "major")


@dataclass
class ResourceChanges:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # key, field, old, new
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    fields_retyped: list[str] = field(default_factory=list)
    primary_key_changed: list[str] = field(default_factory=list)  # the old key, when it changed

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.fields_added
                    or self.fields_removed or self.fields_retyped or self.primary_key_changed)


@dataclass
class Changes:
    previous: str | None
    resources: dict[str, ResourceChanges]
    note: str | None = None  # the publisher's words for people, first in the changelog
    # the data are the previous version's; only the quality statement was measured again (a
    # new extractor version, new held-out gold): a patch, so that every release measures itself
    quality_only: bool = False

    @property
    def bump(self) -> str | None:
        """Data Package Version: major for removed/renamed/retyped fields or a new primary key
        (what a row is changed: code that joins or sums on the old key breaks), minor for added
        or removed rows and added fields, patch for changed values, None for no change."""
        if self.previous is None:
            return "major"
        r = self.resources.values()
        if any(c.fields_removed or c.fields_retyped or c.primary_key_changed for c in r):
            return "major"
        if any(c.fields_added or c.added or c.removed for c in r):
            return "minor"
        if any(c.changed for c in r) or self.quality_only:
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
            if c.primary_key_changed:
                parts.append(f"{name} primary key changed")
        if not parts and self.quality_only:
            return "no change in the data; quality statement measured again"
        return "; ".join(parts) or "no change"

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_version": self.previous,
            "bump": self.bump,
            "summary": self.summary(),
            **({"note": self.note} if self.note else {}),
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
        if old_schema.get("primaryKey") and old_schema["primaryKey"] != primary_key:
            changes.primary_key_changed = list(old_schema["primaryKey"])
            primary_key = [name for name in old_schema["primaryKey"] if name in new_types] \
                or primary_key  # rows are told apart by the key both versions share
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
                                            "old": before, "new": after,
                                            **_context(name, row)})
        for key, row in old_rows.items():
            if key not in new_rows:
                changes.removed.append({"key": list(key), **_describe(name, row)})
    return Changes(previous, resources)


def _context(resource: str, row: Row) -> dict[str, Any]:
    """What a changelog line about a changed figure names: its source, text and reason."""
    if resource != "figures":
        return {}
    return {"source_id": row.get("source_id"), "text": row.get("text"), "note": row.get("note")}


def _describe(resource: str, row: Row) -> dict[str, Any]:
    """A few fields that let a person recognise a row in a changelog."""
    keep = {"figures": ("source_id", "text", "value", "unit", "indicator", "period", "note"),
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


@dataclass
class PublishResult:
    status: str  # "published", "up-to-date" or "dry-run"
    dataset: str
    version: str | None
    path: Path | None
    changes: Changes
    rows: dict[str, int]
    note: str | None = None  # what else happened, e.g. another run published meanwhile

