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
    from tipfigures.package import format_cell

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
                file, f"{_figure_place(row)}: text[{row['start']}:{row['end']}] is "
                f"{quoted!r}, not {row['text']!r}", "figures", index, "text",
                hint="offsets must point at the figure's characters in text.txt"))
            continue
        values = read_value(row["text"])
        expected = [row["value"]] + ([row["value_max"]] if row["value_max"] is not None else [])
        if values is None or not all(any(_close(v, e) for v in values) for e in expected):
            problems.append(Problem(
                file, f"{_figure_place(row)}: value {format_cell(row['value'])} cannot be read "
                f"from {row['text']!r}", "figures", index, "value",
                hint="the value must be the number written in the quote"))
    return problems


def _figure_place(row: dict[str, Any]) -> str:
    """Which figure a problem is about: its source, figure_id and sentence."""
    return (f"source {row['source_id']} figure {row.get('figure_id')} in sentence "
            f"{row.get('sentence') or ''!r}")


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
    from tipfigures.package import read_descriptor

    try:
        descriptor = read_descriptor(folder)
    except (OSError, json.JSONDecodeError) as error:
        return [Problem(str(folder / "datapackage.json"), f"cannot be read: {error}")]
    problems = []
    for name, csv_resource, parquet in _csv_parquet_pairs(descriptor):
        try:
            csv_data = (folder / csv_resource["path"]).read_bytes()
            parquet_data = (folder / parquet["path"]).read_bytes()
        except OSError as error:
            problems.append(Problem(str(folder / parquet["path"]), f"cannot be read: {error}",
                                    name))
            continue
        problems += check_csv_formulas(folder / csv_resource["path"], csv_resource["schema"],
                                       name)
        problems += csv_equals_parquet(name, csv_data, parquet_data, csv_resource["schema"],
                                       str(folder / parquet["path"]))
    return problems


def _csv_parquet_pairs(descriptor: dict[str, Any]):
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    for name, resource in by_name.items():
        if resource.get("format") == "csv" and f"{name}-parquet" in by_name:
            yield name, resource, by_name[f"{name}-parquet"]


def csv_equals_parquet(name: str, csv_data: bytes, parquet_data: bytes, schema: dict[str, Any],
                       file: str) -> list[Problem]:
    """The rows of a CSV and a Parquet file are the same values, typed by the Table Schema.

    Both are read by pyarrow (C++), column by column: a fraction of a second for 100,000s of
    rows, where reading them row by row in Python took seconds.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    from tipfigures.package import arrow_types

    types = arrow_types()
    fields = schema["fields"]
    try:
        parquet_table = pq.read_table(pa.BufferReader(parquet_data))
        csv_table = pa_csv.read_csv(
            pa.BufferReader(csv_data),
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={f["name"]: types[f["type"]] for f in fields},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
                true_values=["true"], false_values=["false"]))
    except Exception as error:  # a broken file is reported, not raised
        return [Problem(file, f"cannot be read: {error}", name)]
    csv_table = _unescape_formulas(csv_table, fields)
    if csv_table.num_rows != parquet_table.num_rows:
        return [Problem(file, f"{parquet_table.num_rows} rows, but the CSV has "
                              f"{csv_table.num_rows}", name)]
    if csv_table.column_names != parquet_table.column_names:
        return [Problem(file, f"columns {parquet_table.column_names} in Parquet, "
                              f"{csv_table.column_names} in CSV", name)]
    for field in csv_table.column_names:
        a, b = csv_table.column(field), parquet_table.column(field)
        if a.type == b.type and a.equals(b):
            continue
        a_values, b_values = a.to_pylist(), b.to_pylist()
        number = next((i for i, (x, y) in enumerate(zip(a_values, b_values, strict=True))
                       if x != y), 0)
        return [Problem(file, f"differs from the CSV: {field}={b_values[number]!r} in Parquet, "
                              f"{a_values[number]!r} in CSV", name, number + 2, field)]
    return []


def _unescape_formulas(table, fields: list[dict[str, Any]]):
    """The CSV's string columns as the data holds them: csv_bytes' leading apostrophe of a cell
    that a spreadsheet would run as a formula taken off again (tipfigures.package.csv_text)."""
    import pyarrow.compute as pc

    for index, name in enumerate(table.column_names):
        if any(f["name"] == name and f["type"] == "string" for f in fields):
            column = pc.replace_substring_regex(table.column(index), pattern=r"^'('*[=+\-@\t\r])",
                                                replacement=r"\1")
            table = table.set_column(index, name, column)
    return table


# ---------------------------------------------------------------------------------------------
# A version about to be published, validated from the bytes just written

PARALLEL_MIN_BYTES = 2_000_000  # of CSV: below it, starting processes costs more than it saves


def check_written_package(folder: Path, descriptor: dict[str, Any],
                          files: dict[str, bytes]) -> list[Problem]:
    """The checks of check_package() on a version just written, from the bytes in memory.

    Frictionless validates the descriptor and every CSV resource (types, constraints, primary
    and foreign keys) once, from the bytes that were written; the sizes and sha256 recorded in
    the descriptor are checked against those bytes and against the files on disk; every
    Parquet file holds the rows of its CSV. Large packages are validated resource by resource
    in two worker processes (Frictionless is pure Python, and the largest table is about half
    of the work).
    """
    import hashlib

    from frictionless import Package

    problems = [Problem(str(folder / "datapackage.json"), f"not a valid data package: {error[0]}")
                for error in Package.validate_descriptor(descriptor).flatten(["message"])]
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        data = files.get(resource["path"])
        on_disk = path.read_bytes() if path.is_file() else None
        recorded = resource.get("hash", "").removeprefix("sha256:")
        for label, value in (("written", data), ("on disk", on_disk)):
            if value is None:
                problems.append(Problem(str(path), f"missing ({label})", resource["name"]))
            elif len(value) != resource.get("bytes") or \
                    hashlib.sha256(value).hexdigest() != recorded:
                problems.append(Problem(str(path), f"the bytes {label} do not match the size "
                                        "and sha256 in datapackage.json", resource["name"]))
    tables = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    inline = [(r["name"], r["schema"], files[r["path"]]) for r in tables if r["path"] in files]
    size = sum(len(data) for _, _, data in inline)
    groups = _balanced_groups(inline) if size >= PARALLEL_MIN_BYTES else [[n for n, _, _ in inline]]
    places = {r["name"]: str(folder / r["path"]) for r in tables}
    if len(groups) > 1:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(len(groups), mp_context=get_context("spawn")) as pool:
            for found in pool.map(_frictionless_problems, [inline] * len(groups), groups,
                                  [places] * len(groups)):
                problems += found
    else:
        problems += _frictionless_problems(inline, groups[0], places)
    for name, csv_resource, parquet in _csv_parquet_pairs(descriptor):
        if csv_resource["path"] in files and parquet["path"] in files:
            problems += check_csv_formulas(folder / csv_resource["path"],
                                           csv_resource["schema"], name)
            problems += csv_equals_parquet(name, files[csv_resource["path"]],
                                           files[parquet["path"]], csv_resource["schema"],
                                           str(folder / parquet["path"]))
    return problems


def _balanced_groups(inline: list[tuple[str, dict[str, Any], bytes]]) -> list[list[str]]:
    """Two groups of resources of about the same size: the largest, and the others."""
    ordered = sorted(inline, key=lambda item: len(item[2]), reverse=True)
    if len(ordered) < 2:
        return [[name for name, _, _ in ordered]]
    return [[ordered[0][0]], [name for name, _, _ in ordered[1:]]]


def _frictionless_problems(inline: list[tuple[str, dict[str, Any], bytes]], names: list[str],
                           places: dict[str, str]) -> list[Problem]:
    """Frictionless validation of the resources `names` of a package of inline CSV resources
    (all of them, for foreign keys); runs in a worker process for large packages."""
    from frictionless import Package, Resource, Schema

    package = Package(resources=[
        Resource(data, name=name, format="csv", encoding="utf-8",
                 schema=Schema.from_descriptor(schema)) for name, schema, data in inline])
    problems = []
    for name in names:
        report = package.get_resource(name).validate()
        for task in report.tasks:
            for error in task.errors:
                problems.append(Problem(places[name], error.message, name,
                                        getattr(error, "row_number", None),
                                        getattr(error, "field_name", None)))
        for error in report.errors:
            problems.append(Problem(places[name], error.message, name))
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
