"""Checks that gate publishing and that CI runs on contributions.

Every check returns Problems: where (file, row, field), what is wrong, and a hint. Frictionless
validates each resource against its Table Schema (types, constraints, primary and foreign keys,
bytes and hash); the checks here add what a schema cannot say: the figure's text is in its
source at its offsets, its value reads from that text, CSV equals Parquet.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tipfigures.tables import RESOURCES, Tables


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.resource:
            where += f" [{self.resource}"
            where += f" row {self.row}" if self.row is not None else ""
            where += f" field {self.field}" if self.field else ""
            where += "]"
        elif self.row is not None:
            where += f":{self.row}"
        text = f"{where}: {self.message}"
        return text + (f" (hint: {self.hint})" if self.hint else "")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class ValidationFailed(Exception):
    """Validation found errors; nothing was published."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"validation failed with {len(problems)} problem(s):\n" +
                         "\n".join(f"  {p}" for p in problems[:50]))


# ---------------------------------------------------------------------------------------------
# Schemas


def check_schema_files(folder: Path) -> list[Problem]:
    from frictionless import Schema

    problems: list[Problem] = []
    names = {}
    for name in RESOURCES:
        path = folder / f"{name}.schema.json"
        if not path.is_file():
            problems.append(Problem(str(path), "missing", hint="every resource needs a schema"))
            continue
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            problems.append(Problem(str(path), f"not valid JSON: {error.msg}", row=error.lineno))
            continue
        report = Schema.validate_descriptor(descriptor)
        for error in report.flatten(["message"]):
            problems.append(Problem(str(path), f"not a valid Table Schema: {error[0]}"))
        names[name] = descriptor
    for name, descriptor in names.items():
        fields = {f.get("name") for f in descriptor.get("fields", [])}
        for key in descriptor.get("foreignKeys", []):
            target = key.get("reference", {}).get("resource")
            if target not in RESOURCES:
                problems.append(Problem(str(folder / f"{name}.schema.json"),
                                        f"foreign key points to unknown resource {target!r}"))
                continue
            target_fields = {f.get("name") for f in names.get(target, {}).get("fields", [])}
            for field in _as_list(key.get("fields")):
                if field not in fields:
                    problems.append(Problem(str(folder / f"{name}.schema.json"),
                                            f"foreign key field {field!r} is not a field"))
            for field in _as_list(key.get("reference", {}).get("fields")):
                if names.get(target) and field not in target_fields:
                    problems.append(Problem(str(folder / f"{name}.schema.json"),
                                            f"foreign key refers to {target}.{field}, "
                                            "which does not exist"))
    return problems


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


# ---------------------------------------------------------------------------------------------
# Tables, before they are written


def check_provenance(tables: Tables, texts: dict[str, str], file: str = "figures") -> list[Problem]:
    """figures.text == text[start:end], and the value reads from that text."""
    from tipfigures.extract import read_value

    problems = []
    for index, row in enumerate(tables["figures"], start=2):
        text = texts.get(row["source_id"])
        if text is None:
            problems.append(Problem(file, f"source {row['source_id']!r} has no text", "figures",
                                    index, "source_id"))
            continue
        quoted = text[row["start"]:row["end"]]
        if quoted != row["text"]:
            problems.append(Problem(
                file, f"text[{row['start']}:{row['end']}] of {row['source_id']} is {quoted!r}, "
                f"not {row['text']!r}", "figures", index, "text",
                hint="offsets must point at the figure's characters in text.txt"))
            continue
        values = read_value(row["text"])
        expected = [row["value"]] + ([row["value_max"]] if row["value_max"] is not None else [])
        if values is None or not all(any(_close(v, e) for v in values) for e in expected):
            problems.append(Problem(
                file, f"value {row['value']} cannot be read from {row['text']!r}", "figures",
                index, "value", hint="the value must be the number written in the quote"))
    return problems


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


# ---------------------------------------------------------------------------------------------
# A written package


def check_package(folder: Path) -> list[Problem]:
    """Frictionless validation of a package folder, plus CSV == Parquet for every resource."""
    from frictionless import Package, system

    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.is_file():
        return [Problem(str(descriptor_path), "missing", hint="a version folder needs its "
                        "datapackage.json")]
    problems: list[Problem] = []
    with system.use_context(trusted=True):
        report = Package(str(descriptor_path)).validate()
    for task in report.tasks:
        for error in task.errors:
            problems.append(Problem(
                str(folder / (task.place or "")), error.message, task.name,
                getattr(error, "row_number", None), getattr(error, "field_name", None)))
    for error in report.errors:
        problems.append(Problem(str(descriptor_path), error.message))
    problems += check_csv_equals_parquet(folder)
    return problems


def check_csv_equals_parquet(folder: Path) -> list[Problem]:
    from tipfigures.package import read_csv_rows, read_descriptor, read_parquet_rows

    problems = []
    try:
        descriptor = read_descriptor(folder)
    except (OSError, json.JSONDecodeError) as error:
        return [Problem(str(folder / "datapackage.json"), f"cannot be read: {error}")]
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    for name, resource in by_name.items():
        if resource.get("format") != "csv" or f"{name}-parquet" not in by_name:
            continue
        parquet = by_name[f"{name}-parquet"]
        try:
            csv_rows = read_csv_rows(folder / resource["path"], resource["schema"])
            parquet_rows = read_parquet_rows(folder / parquet["path"])
        except Exception as error:  # a broken file is reported, not raised
            problems.append(Problem(str(folder / parquet["path"]), f"cannot be read: {error}",
                                    name))
            continue
        problems += check_csv_formulas(folder / resource["path"], resource["schema"], name)
        if len(csv_rows) != len(parquet_rows):
            problems.append(Problem(str(folder / parquet["path"]),
                                    f"{len(parquet_rows)} rows, but the CSV has {len(csv_rows)}",
                                    name))
            continue
        for number, (a, b) in enumerate(zip(csv_rows, parquet_rows, strict=True), start=2):
            if a != b:
                field = next((k for k in a if a.get(k) != b.get(k)), None)
                problems.append(Problem(
                    str(folder / parquet["path"]),
                    f"differs from the CSV: {field}={b.get(field)!r} in Parquet, "
                    f"{a.get(field)!r} in CSV", name, number, field))
                break
    return problems


def check_csv_formulas(path: Path, schema: dict[str, Any], resource: str) -> list[Problem]:
    """No string cell of a CSV begins as a spreadsheet formula (it must carry the apostrophe
    that csv_bytes adds; docs/data.md, "CSV and spreadsheets")."""
    import csv

    from tipfigures.package import FORMULA_START

    strings = {f["name"] for f in schema["fields"] if f["type"] == "string"}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            for name, cell in row.items():
                if name in strings and cell and cell[0] != "'" and FORMULA_START.match(cell):
                    return [Problem(str(path), f"{name} begins with {cell[:12]!r}, which a "
                                    "spreadsheet runs as a formula; CSV cells like it carry a "
                                    "leading apostrophe", resource, number, name)]
    return []
