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
    for name, csv_resource, parquet in csv_parquet_pairs(descriptor):
        try:
            csv_data = (folder / csv_resource["path"]).read_bytes()
            parquet_data = (folder / parquet["path"]).read_bytes()
        except OSError as error:
            problems.append(Problem(str(folder / parquet["path"]), f"cannot be read: {error}",
                                    name))
            continue
        problems += check_csv_parquet_pair(name, csv_data, parquet_data, csv_resource["schema"],
                                           str(folder / csv_resource["path"]),
                                           str(folder / parquet["path"]))
    return problems


def csv_parquet_pairs(descriptor: dict[str, Any]):
    """(name, CSV resource, Parquet resource) of each table the descriptor holds in both."""
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    for name, resource in by_name.items():
        if resource.get("format") == "csv" and f"{name}-parquet" in by_name:
            yield name, resource, by_name[f"{name}-parquet"]


def check_csv_parquet_pair(name: str, csv_data: bytes, parquet_data: bytes,
                           schema: dict[str, Any], csv_file: str,
                           parquet_file: str) -> list[Problem]:
    """No cell of the CSV runs as a spreadsheet formula, and the Parquet file holds its rows;
    the CSV is parsed once (by pyarrow) for both."""
    return read_csv_parquet_pair(name, csv_data, parquet_data, schema, csv_file,
                                 parquet_file)[0]


def read_csv_parquet_pair(name: str, csv_data: bytes, parquet_data: bytes,
                          schema: dict[str, Any], csv_file: str, parquet_file: str):
    """check_csv_parquet_pair()'s problems, and the CSV's rows as an Arrow table of the values
    the data holds (typed by the schema, formulas unescaped; None when it cannot be read)."""
    try:
        csv_table, parquet_table = _read_pair(csv_data, parquet_data, schema)
    except Exception as error:  # a broken file is reported, not raised
        return [Problem(parquet_file, f"cannot be read: {error}", name)], None
    problems = formula_problems(csv_table, schema, csv_file, name)
    csv_table = _unescape_formulas(csv_table, schema["fields"])
    return problems + _rows_differ(name, csv_table, parquet_table, parquet_file), csv_table


def csv_equals_parquet(name: str, csv_data: bytes, parquet_data: bytes, schema: dict[str, Any],
                       file: str) -> list[Problem]:
    """The rows of a CSV and a Parquet file are the same values, typed by the Table Schema.

    Both are read by pyarrow (C++), column by column: a fraction of a second for 100,000s of
    rows, where reading them row by row in Python took seconds.
    """
    try:
        csv_table, parquet_table = _read_pair(csv_data, parquet_data, schema)
    except Exception as error:  # a broken file is reported, not raised
        return [Problem(file, f"cannot be read: {error}", name)]
    return _rows_differ(name, _unescape_formulas(csv_table, schema["fields"]), parquet_table,
                        file)


def _read_pair(csv_data: bytes, parquet_data: bytes, schema: dict[str, Any]):
    """The CSV (as written: string cells still escaped) and the Parquet file as Arrow tables."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    from tipfigures.package import arrow_types

    types = arrow_types()
    parquet_table = pq.read_table(pa.BufferReader(parquet_data))
    csv_table = pa_csv.read_csv(
        pa.BufferReader(csv_data),
        read_options=pa_csv.ReadOptions(use_threads=False),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types={f["name"]: types[f["type"]] for f in schema["fields"]},
            null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            true_values=["true"], false_values=["false"]))
    return csv_table, parquet_table


def _rows_differ(name: str, csv_table, parquet_table, file: str) -> list[Problem]:
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


def formula_problems(table, schema: dict[str, Any], file: str, resource: str) -> list[Problem]:
    """No string cell of a CSV (an Arrow table of its cells as written) begins as a spreadsheet
    formula: such cells must carry the apostrophe that csv_bytes adds (docs/data.md, "CSV and
    spreadsheets"). The first one, by row and then by column, is reported."""
    import pyarrow.compute as pc

    strings = {f["name"] for f in schema["fields"] if f["type"] == "string"}
    first: tuple[int, str] | None = None
    for name in table.column_names:
        if name not in strings:
            continue
        # an unescaped formula: one of = + - @ tab CR first (an escaped one begins with ')
        found = pc.index(pc.match_substring_regex(table.column(name), pattern=r"^[=+\-@\t\r]"),
                         True).as_py()
        if found >= 0 and (first is None or found < first[0]):
            first = (found, name)
    if first is None:
        return []
    row, name = first
    cell = table.column(name)[row].as_py()
    return [Problem(file, f"{name} begins with {cell[:12]!r}, which a spreadsheet runs as a "
                    "formula; CSV cells like it carry a leading apostrophe", resource, row + 2,
                    name)]


MAX_KEY_PROBLEMS = 1000  # rows reported per foreign key (Frictionless stops at 1,000 errors too)


def foreign_key_problems(tables: dict[str, Any], schemas: dict[str, dict[str, Any]],
                         places: dict[str, str]) -> list[Problem]:
    """Every foreign key of the schemas, checked as Frictionless checks them, on Arrow tables of
    the CSVs' values (read_csv_parquet_pair): a row whose key cells are not all empty must hold
    a key of the referenced table. One pass a key; Frictionless reads the whole referenced
    table again for each key that refers to it (the figures table four times). A table or
    column that is missing is not checked here: Frictionless and the descriptor report it."""
    problems = []
    for name, schema in schemas.items():
        table = tables.get(name)
        for key in schema.get("foreignKeys", []):
            fields = _as_list(key.get("fields"))
            reference = key.get("reference", {})
            target_name = reference.get("resource") or name
            target_fields = _as_list(reference.get("fields"))
            target = tables.get(target_name)
            if table is None or target is None or \
                    not set(fields) <= set(table.column_names) or \
                    not set(target_fields) <= set(target.column_names):
                continue
            known = {cells for cells in zip(*(target.column(f).to_pylist() for f in target_fields),
                                            strict=True) if any(c is not None for c in cells)}
            found = 0
            for index, cells in enumerate(zip(*(table.column(f).to_pylist() for f in fields),
                                              strict=True)):
                if cells in known or all(c is None for c in cells):
                    continue
                found += 1
                if found > MAX_KEY_PROBLEMS:
                    break
                problems.append(Problem(
                    places.get(name, name),
                    f'Row at position "{index + 2}" violates the foreign key: for '
                    f'"{", ".join(fields)}": values "{", ".join(str(c) for c in cells)}" not '
                    f'found in the lookup table "{target_name}" as "{", ".join(target_fields)}"',
                    name, index + 2, ", ".join(fields)))
    return problems
