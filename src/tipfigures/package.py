"""Writing and reading one version of the data package: CSV, Parquet and datapackage.json.

Files are written so that the same tables give the same bytes: rows in a fixed order, columns
in schema order, numbers in one format, Parquet with fixed writer settings and no timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tipfigures import DATASET_NAME, __version__
from tipfigures.licenses import ALLOWED, package_licenses
from tipfigures.tables import RESOURCES, Row, Tables, load_schema

if TYPE_CHECKING:
    import pyarrow as pa

DATAPACKAGE = "datapackage.json"
CHANGES = "changes.json"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": False,
                   "write_statistics": True, "version": "2.6", "data_page_version": "1.0"}
TITLE = "Human trafficking figures from report texts"
DESCRIPTION = (
    "Figures about human trafficking (investigations, prosecutions, convictions, sentences, "
    "victims, money, estimates) extracted from narrative reports, each traced to the exact "
    "characters of its source text: figures.text == source text[start:end]."
)
# ---------------------------------------------------------------------------------------------
# Cells


def format_cell(value: Any) -> str:
    """The one text form of a value in CSV: '' for null, integers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def parse_cell(text: str, field_type: str) -> Any:
    if text == "":
        return None
    if field_type == "integer":
        return int(text)
    if field_type == "number":
        return float(text)
    if field_type == "boolean":
        return text == "true"
    return text


# A spreadsheet runs a cell that begins with = + - @ (or a tab or CR before them) as a formula
# (=HYPERLINK(...) in a sentence). In CSV only, such a string gets a leading apostrophe, which
# spreadsheets hide; strings that already begin with apostrophes before one of these get one
# more, so that reading removes exactly one (docs/data.md, "CSV and spreadsheets").
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")
FORMULA_FIRST = frozenset("'=+-@\t\r")  # the first characters FORMULA_START can match


def csv_text(value: str) -> str:
    """A string as it is written in CSV: with a leading apostrophe if it could be a formula."""
    return "'" + value if FORMULA_START.match(value) else value


def from_csv_text(text: str) -> str:
    """The string a CSV cell of a string field holds (csv_text undone)."""
    return text[1:] if ESCAPED_FORMULA.match(text) else text


def csv_bytes(rows: list[Row], fields: list[str],
              string_fields: frozenset[str] = frozenset()) -> bytes:
    """The rows as CSV; cells of `string_fields` are defended against formula injection.

    Cells are formatted column by column (one loop per field, with the field's formatter) and
    written by the csv module in one call: the same bytes as formatting row by row, in a
    fraction of the time for 100,000s of rows.
    """
    columns = [_csv_column([row.get(name) for row in rows], name in string_fields)
               for name in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue().encode("utf-8")


def _csv_column(values: list[Any], defended: bool) -> list[str]:
    """The CSV cells of one column: format_cell, then csv_text for a defended string field."""
    cells = [value if type(value) is str else format_cell(value) for value in values]
    if defended:
        cells = [csv_text(cell) if cell and cell[0] in FORMULA_FIRST else cell
                 for cell in cells]
    return cells


def arrow_types() -> dict[str, pa.DataType]:
    """Arrow types of the Table Schema types (pyarrow is imported here, not by every command:
    it costs ~0.3 s)."""
    import pyarrow as pa

    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
            "date": pa.date32(), "boolean": pa.bool_()}


def string_fields(schema: dict[str, Any]) -> frozenset[str]:
    return frozenset(f["name"] for f in schema["fields"] if f["type"] == "string")


def arrow_table(rows: list[Row], schema: dict[str, Any]) -> pa.Table:
    import pyarrow as pa

    types = arrow_types()
    columns = {}
    for field in schema["fields"]:
        name, kind = field["name"], field["type"]
        values = [row.get(name) for row in rows]
        if kind == "date":  # ISO text, parsed by Arrow (dt.date objects one by one: 10x slower)
            columns[name] = pa.array([v or None for v in values], type=pa.string()) \
                .cast(pa.date32())
            continue
        if kind == "number":
            values = [v if v is None or type(v) is float else float(v) for v in values]
        columns[name] = pa.array(values, type=types[kind])
    return pa.table(columns)


def parquet_bytes(rows: list[Row], schema: dict[str, Any]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table(rows, schema), sink, **PARQUET_OPTIONS)
    return sink.getvalue().to_pybytes()


def read_csv_rows(path: Path, schema: dict[str, Any]) -> list[Row]:
    """The rows of a CSV file as written by csv_bytes, typed (and unescaped) by the schema."""
    types = {field["name"]: field["type"] for field in schema["fields"]}
    with path.open(encoding="utf-8", newline="") as handle:
        return [{name: _read_cell(value, types.get(name, "string"))
                 for name, value in row.items()} for row in csv.DictReader(handle)]


def _read_cell(text: str, field_type: str) -> Any:
    value = parse_cell(text, field_type)
    return from_csv_text(value) if field_type == "string" and value else value


def read_parquet_rows(path: Path | bytes) -> list[Row]:
    """The rows of a Parquet file (or of its bytes), dates as ISO text as in the CSV."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pa.BufferReader(path) if isinstance(path, bytes) else path
    rows = pq.read_table(source).to_pylist()
    for row in rows:
        for name, value in row.items():
            if isinstance(value, dt.date):
                row[name] = value.isoformat()
    return rows


# ---------------------------------------------------------------------------------------------
# The package


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_tree(folder: Path) -> None:
    """Flush every folder of a tree, so that a rename after it cannot expose missing entries."""
    for path in sorted({p.parent for p in folder.rglob("*")} | {folder}, reverse=True):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def package_descriptor(tables: Tables, resources: list[dict[str, Any]], *, version: str,
                       created: str, inputs: dict[str, Any],
                       quality: dict[str, Any] | None = None) -> dict[str, Any]:
    """The descriptor; with `quality` (tipfigures.quality) it also holds the quality statement
    and a citation (versions before 2.0.0 have neither, and keep their bytes)."""
    from tipfigures.citation import citation_of, publishers_of

    descriptor = {
        "$schema": PACKAGE_PROFILE,
        "name": DATASET_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "keywords": ["human trafficking", "trafficking in persons", "statistics", "provenance"],
        "licenses": package_licenses([row["license"] for row in tables["sources"]]),
        "sources": [{
            "title": row["title"],
            "path": row["url"],
            "license": (ALLOWED[row["license"]].descriptor() if row["license"] in ALLOWED
                        else {"name": row["license"]}),
            "publisher": row["publisher"],
            "retrieved": row["retrieved"],
            "sha256": row["sha256"],
        } for row in tables["sources"]],
        "contributors": [{"title": "tipfigures contributors", "roles": ["creator"]}],
        "resources": resources,
        "tipfigures": inputs,
    }
    if quality is not None:
        descriptor["citation"] = citation_of(descriptor, publishers_of(tables["sources"])).to_json()
        descriptor["quality"] = quality
    return descriptor


def write_package(tables: Tables, folder: Path, *, version: str, created: str,
                  inputs: dict[str, Any], changes: dict[str, Any] | None,
                  schemas_folder: Path | None = None,
                  quality: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write one version into `folder` (which must not hold another) and return its descriptor."""
    return write_package_files(tables, folder, version=version, created=created, inputs=inputs,
                               changes=changes, schemas_folder=schemas_folder,
                               quality=quality)[0]


def write_package_files(tables: Tables, folder: Path, *, version: str, created: str,
                        inputs: dict[str, Any], changes: dict[str, Any] | None,
                        schemas_folder: Path | None = None,
                        quality: dict[str, Any] | None = None,
                        on_csv: Callable[[str, dict[str, Any], bytes], None] | None = None
                        ) -> tuple[dict[str, Any], dict[str, bytes]]:
    """write_package(), also returning the bytes of each data file by path: publishing
    validates those (tipfigures.package_check), not files read back. `on_csv(name, schema,
    data)` is called with each CSV file as soon as it is written (to start validating it)."""
    files: dict[str, bytes] = {}
    resources = []
    for name in RESOURCES:
        schema = load_schema(name, schemas_folder)
        fields = [field["name"] for field in schema["fields"]]
        for kind in ("csv", "parquet"):
            data = csv_bytes(tables[name], fields, string_fields(schema)) if kind == "csv" \
                else parquet_bytes(tables[name], schema)
            relative = f"data/{name}.{kind}"
            _write(folder / relative, data)
            files[relative] = data
            if kind == "csv" and on_csv is not None:
                on_csv(name, schema, data)
            resources.append({
                "name": name if kind == "csv" else f"{name}-parquet",
                # Parquet is declared a file: Frictionless then checks its bytes and hash (it cannot
                # when it reads Parquet as a table); tipfigures checks its rows equal the CSV's.
                "type": "table" if kind == "csv" else "file",
                "path": relative,
                "format": kind,
                "mediatype": "text/csv" if kind == "csv" else "application/vnd.apache.parquet",
                **({"encoding": "utf-8"} if kind == "csv" else {}),
                "bytes": len(data),
                "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                "schema": schema,
            })
    descriptor = package_descriptor(tables, resources, version=version, created=created,
                                    inputs=inputs, quality=quality)
    _write(folder / DATAPACKAGE, (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
           .encode("utf-8"))
    if changes is not None:
        _write(folder / CHANGES, (json.dumps(changes, indent=2, ensure_ascii=False) + "\n")
               .encode("utf-8"))
    return descriptor, files


def read_descriptor(folder: Path) -> dict[str, Any]:
    return json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))


def read_tables(folder: Path) -> Tables:
    """The tables of a published version, typed by the schemas it was published with."""
    descriptor = read_descriptor(folder)
    tables: Tables = {}
    for resource in descriptor["resources"]:
        if resource.get("format") == "csv":
            tables[resource["name"]] = read_csv_rows(folder / resource["path"], resource["schema"])
    return tables


def package_schemas(folder: Path) -> dict[str, dict[str, Any]]:
    return {r["name"]: r["schema"] for r in read_descriptor(folder)["resources"]
            if r.get("format") == "csv"}


def producer() -> str:
    return f"tipfigures {__version__}"
