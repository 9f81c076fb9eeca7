"""Corrections: contributors fix, reject or add figures in corrections/*.yaml (CONTRIBUTING.md).

Applied after extraction; a curated row carries method=curated and its reason in `note`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tipfigures.extract import read_value
from tipfigures.sources import Source
from tipfigures.tables import Row, indicator_rows, load_schema, stable_id
from tipfigures.text_structure import analyse
from tipfigures.validate import Problem

ACTIONS = ("fix", "reject", "add")
NOT_CORRECTABLE = ("figure_id", "source_id", "start", "end", "text", "method", "note",
                   "sentence", "section")
ADD_FIELDS = ("source_id", "quote", "occurrence", "value", "value_max", "unit", "qualifier",
              "indicator", "period", "entity", "legal_reference", "reason", "action", "role",
              "breakdown", "country_code")


@dataclass(frozen=True)
class Correction:
    action: str
    fields: dict[str, Any]
    file: Path
    line: int

    @property
    def reason(self) -> str:
        return str(self.fields.get("reason") or "")


@dataclass
class _Checker:
    problems: list[Problem] = field(default_factory=list)

    def add(self, correction: Correction, message: str, name: str | None = None,
            hint: str | None = None) -> None:
        self.problems.append(Problem(str(correction.file), message, row=correction.line,
                                     field=name, hint=hint))


def load_corrections(folder: Path) -> tuple[list[Correction], list[Problem]]:
    corrections: list[Correction] = []
    problems: list[Problem] = []
    for path in sorted(Path(folder).glob("*.yaml")) + sorted(Path(folder).glob("*.yml")):
        try:
            text = path.read_text(encoding="utf-8")
            root = yaml.compose(text)
            data = yaml.safe_load(text)
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(str(path), f"not valid YAML: {error}",
                                    row=mark.line + 1 if mark else None))
            continue
        if data is None:
            continue
        items = data.get("corrections") if isinstance(data, dict) else None
        if not isinstance(items, list):
            problems.append(Problem(str(path), "expected a top-level 'corrections:' list",
                                    row=1, hint="see CONTRIBUTING.md for the format"))
            continue
        nodes = next(v for k, v in root.value if k.value == "corrections").value
        for item, node in zip(items, nodes, strict=True):
            line = node.start_mark.line + 1
            if not isinstance(item, dict) or item.get("action") not in ACTIONS:
                problems.append(Problem(str(path), f"each correction needs an action: one of "
                                        f"{', '.join(ACTIONS)}", row=line, field="action"))
                continue
            if not item.get("reason"):
                problems.append(Problem(str(path), "a correction needs a reason", row=line,
                                        field="reason", hint="say why, for the reviewer and "
                                        "the changelog"))
                continue
            corrections.append(Correction(item["action"], item, path, line))
    return corrections, problems


def _check_field(checker: _Checker, correction: Correction, name: str, value: Any,
                 fields: dict[str, dict[str, Any]], indicators: set[str]) -> bool:
    spec = fields.get(name)
    if spec is None:
        checker.add(correction, f"unknown field {name!r}", name,
                    hint=f"figures fields are: {', '.join(fields)}")
        return False
    if value is None:
        if spec.get("constraints", {}).get("required"):
            checker.add(correction, f"field {name!r} cannot be empty", name)
            return False
        return True
    kind = spec["type"]
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        checker.add(correction, f"{name} must be a number, got {value!r}", name)
        return False
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        checker.add(correction, f"{name} must be an integer, got {value!r}", name)
        return False
    constraints = spec.get("constraints", {})
    if "enum" in constraints and value not in constraints["enum"]:
        checker.add(correction, f"{name} must be one of {', '.join(constraints['enum'])}, "
                    f"got {value!r}", name)
        return False
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        checker.add(correction, f"{name} {value!r} does not match {constraints['pattern']}", name)
        return False
    if name == "indicator" and value not in indicators:
        checker.add(correction, f"unknown indicator {value!r}", name,
                    hint="use a code of schemas/indicators.csv, or add one there")
        return False
    return True


def apply_corrections(figures: list[Row], corrections: list[Correction],
                      sources: dict[str, Source]) -> tuple[list[Row], list[Problem]]:
    """The figures table with corrections applied, and the corrections that could not be."""
    checker = _Checker()
    schema_fields = {f["name"]: f for f in load_schema("figures")["fields"]}
    indicators = {row["indicator"] for row in indicator_rows()}
    by_id = {row["figure_id"]: dict(row) for row in figures}
    added: list[Row] = []
    for correction in corrections:
        data = correction.fields
        if correction.action in ("fix", "reject"):
            figure_id = str(data.get("figure_id", ""))
            if figure_id not in by_id:
                checker.add(correction, f"figure_id {figure_id!r} does not exist", "figure_id",
                            hint="the figure may have been re-extracted under a new id: find it "
                            "with `tipfigures extract` and update the correction")
                continue
            row = by_id[figure_id]
            if correction.action == "reject":
                del by_id[figure_id]
                continue
            name = data.get("field")
            if name in NOT_CORRECTABLE:
                checker.add(correction, f"field {name!r} cannot be corrected", "field",
                            hint="reject the figure and add a new one instead")
                continue
            if not _check_field(checker, correction, str(name), data.get("value"),
                                schema_fields, indicators):
                continue
            if name in ("value", "value_max") and not _reads(row["text"], data.get("value")):
                checker.add(correction, f"value {data.get('value')!r} cannot be read from "
                            f"{row['text']!r}", "value")
                continue
            row[name] = data.get("value")
            row["method"], row["note"] = "curated", correction.reason
        else:
            row = _added_figure(checker, correction, sources, schema_fields, indicators)
            if row is not None:
                added.append(row)
    rows = list(by_id.values()) + added
    seen: dict[str, int] = {}
    for row in rows:
        seen[row["figure_id"]] = seen.get(row["figure_id"], 0) + 1
    for figure_id, count in seen.items():
        if count > 1:
            checker.problems.append(Problem("corrections", f"figure_id {figure_id} appears "
                                            f"{count} times", "figures", None, "figure_id",
                                            hint="two corrections add the same figure"))
    return rows, checker.problems


def _reads(quote: str, value: Any) -> bool:
    values = read_value(quote)
    return bool(values) and isinstance(value, int | float) and any(
        abs(v - value) <= 1e-9 * max(1.0, abs(value)) for v in values)


def _added_figure(checker: _Checker, correction: Correction, sources: dict[str, Source],
                  schema_fields: dict[str, dict[str, Any]], indicators: set[str]) -> Row | None:
    data = correction.fields
    unknown = [k for k in data if k not in ADD_FIELDS]
    if unknown:
        checker.add(correction, f"unknown field {unknown[0]!r} in an added figure", unknown[0],
                    hint=f"an added figure has: {', '.join(ADD_FIELDS)}")
        return None
    source = sources.get(str(data.get("source_id")))
    if source is None:
        checker.add(correction, f"source_id {data.get('source_id')!r} is not a source",
                    "source_id", hint="use the name of a folder in sources/")
        return None
    quote = str(data.get("quote") or "")
    positions = [m.start() for m in re.finditer(re.escape(quote), source.text)] if quote else []
    if not positions:
        checker.add(correction, f"quote {quote!r} is not in {source.text_path}", "quote",
                    hint="copy the figure's characters exactly from text.txt")
        return None
    occurrence = data.get("occurrence")
    if occurrence is None and len(positions) > 1:
        checker.add(correction, f"quote {quote!r} occurs {len(positions)} times in "
                    f"{source.text_path}; say which with occurrence: 1..{len(positions)}",
                    "occurrence")
        return None
    index = (occurrence or 1) - 1
    if not isinstance(occurrence or 1, int) or not 0 <= index < len(positions):
        checker.add(correction, f"occurrence {occurrence!r} is out of range 1..{len(positions)}",
                    "occurrence")
        return None
    for name in ("value", "value_max", "unit", "qualifier", "indicator", "period", "entity",
                 "legal_reference", "role", "breakdown", "country_code"):
        if name in data or name in ("value", "qualifier", "indicator"):
            value = data.get(name, None)
            if not _check_field(checker, correction, name, value, schema_fields, indicators):
                return None
    if not _reads(quote, data["value"]):
        checker.add(correction, f"value {data['value']!r} cannot be read from {quote!r}", "value")
        return None
    start = positions[index]
    structure = analyse(source.text)
    s_start, s_end = structure.sentence_span(start)
    sentence = source.text[s_start:s_end].strip()
    return {
        "figure_id": stable_id(source.id, "curated", sentence, quote, index),
        "source_id": source.id,
        "section": structure.section(start),
        "start": start,
        "end": start + len(quote),
        "text": quote,
        "value": float(data["value"]),
        "value_max": float(data["value_max"]) if data.get("value_max") is not None else None,
        "unit": data.get("unit"),
        "entity": data.get("entity"),
        "qualifier": data["qualifier"],
        "indicator": data["indicator"],
        "period": str(data["period"]) if data.get("period") is not None else None,
        "role": data.get("role", "other"),
        "part_of": None,
        "breakdown": data.get("breakdown"),
        "country_code": data.get("country_code") or source.metadata.get("country_code"),
        "legal_reference": data.get("legal_reference"),
        "sentence": sentence,
        "method": "curated",
        "note": correction.reason,
    }
