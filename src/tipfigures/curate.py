"""Corrections: contributors fix, reject or add figures in corrections/*.yaml (CONTRIBUTING.md).

Applied after extraction; a curated row carries method=curated and its reason in `note`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipfigures.contributor_yaml import (
    ContributorYamlError,
    is_int,
    is_number,
    item_nodes,
    locate,
    read_contributor_yaml,
    type_name,
)
from tipfigures.corrections_folder import correction_files
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
ENTRY_FIELDS = {"fix": ("action", "figure_id", "field", "value", "reason"),
                "reject": ("action", "figure_id", "reason"),
                "add": ADD_FIELDS}
FIGURE_ID = re.compile(r"[0-9a-f]{16}")
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Correction:
    action: str
    fields: dict[str, Any]
    file: Path
    line: int
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        return str(self.fields.get("reason") or "")

    def line_of(self, name: str | None) -> int:
        return self.lines.get(name or "", self.line)


@dataclass
class _Checker:
    problems: list[Problem] = field(default_factory=list)

    def add(self, correction: Correction, message: str, name: str | None = None,
            hint: str | None = None) -> None:
        self.problems.append(Problem(str(correction.file), message,
                                     row=correction.line_of(name), field=name, hint=hint))


def load_corrections(folder: Path) -> tuple[list[Correction], list[Problem]]:
    """The well-formed corrections of a folder, and every mistake of the others.

    Each entry is checked field by field (types, forms, known fields) and all of its mistakes
    are reported; an entry with any mistake is not applied.
    """
    corrections: list[Correction] = []
    problems: list[Problem] = []
    schema_fields = {f["name"]: f for f in load_schema("figures")["fields"]}
    indicators = {row["indicator"] for row in indicator_rows()}
    for path in correction_files(folder):
        try:
            document = read_contributor_yaml(path)
        except ContributorYamlError as error:
            problems.append(Problem(str(path), error.message, row=error.line))
            continue
        if document.data is None:
            continue
        top = document.located()
        items = top.data.get("corrections") if top is not None else None
        if top is None or not isinstance(items, list):
            problems.append(Problem(str(path), "expected a top-level 'corrections:' list",
                                    row=top.line_of("corrections") if top else 1,
                                    field="corrections", hint="see CONTRIBUTING.md for the "
                                    "format"))
            continue
        for name in top.data:
            if name != "corrections":
                problems.append(Problem(str(path), f"unknown top-level key {name!r}",
                                        row=top.line_of(str(name)), field=str(name),
                                        hint="a corrections file holds one 'corrections:' list"))
        for item, node in zip(items, item_nodes(document.root, "corrections"), strict=True):
            line = node.start_mark.line + 1
            if not isinstance(item, dict):
                problems.append(Problem(str(path), f"each correction is a mapping (action: ..., "
                                        f"reason: ...), got {type_name(item)}", row=line))
                continue
            located = locate(node, item)
            entry = Correction(str(item.get("action")), dict(item), path, line, located.lines)
            mistakes = check_entry(entry, node, schema_fields, indicators)
            if mistakes:
                problems += mistakes
                continue
            if entry.action == "add" and is_int(item.get("period")):
                entry.fields["period"] = str(item["period"])
            corrections.append(entry)
    return corrections, problems


def _raw(node: Any, name: str) -> str | None:
    """The characters a field's value was written with (for 'YAML read 0000 as 0')."""
    for key, value in getattr(node, "value", []):
        if getattr(key, "value", None) == name and hasattr(value, "value") \
                and isinstance(value.value, str):
            return value.value
    return None


def check_entry(entry: Correction, node: Any, schema_fields: dict[str, dict[str, Any]],
                indicators: set[str]) -> list[Problem]:
    """Every mistake of one correction's fields: names, types and forms (not yet whether its
    figure or quote exists: apply_corrections says that)."""
    checker = _Checker()
    data = entry.fields
    action = data.get("action")
    if action not in ACTIONS:
        checker.add(entry, f"action must be one of {', '.join(ACTIONS)}, got "
                    f"{type_name(action)}", "action")
    reason = data.get("reason")
    if reason in (None, ""):
        checker.add(entry, "a correction needs a reason", "reason",
                    hint="say why, for the reviewer and the changelog")
    elif not isinstance(reason, str):
        checker.add(entry, f"reason must be text, got {type_name(reason)}", "reason",
                    hint="quote it")
    elif len(reason) > MAX_REASON_CHARS:
        checker.add(entry, f"reason has {len(reason):,} characters; at most "
                    f"{MAX_REASON_CHARS:,}", "reason")
    if action not in ACTIONS:
        return checker.problems
    allowed = ENTRY_FIELDS[action]
    for name in data:
        if name not in allowed:
            checker.add(entry, f"unknown field {name!r} in a {action} correction", str(name),
                        hint=f"a {action} correction has: {', '.join(allowed)}")
    if action in ("fix", "reject"):
        figure_id = data.get("figure_id")
        if figure_id is None:
            checker.add(entry, f"a {action} correction needs the figure_id", "figure_id")
        elif not isinstance(figure_id, str):
            raw = _raw(node, "figure_id")
            checker.add(entry, f"figure_id must be a quoted string of 16 hex digits; YAML read "
                        f"{raw or figure_id!r} as {type_name(figure_id)}", "figure_id",
                        hint=f'write it in quotes: figure_id: "{raw or figure_id}"')
        elif not FIGURE_ID.fullmatch(figure_id):
            checker.add(entry, f"figure_id must be 16 hex digits (0-9, a-f), got {figure_id!r}",
                        "figure_id", hint="copy it from the figure_id column of figures.csv")
    if action == "fix":
        name = data.get("field")
        if not isinstance(name, str) or not name:
            checker.add(entry, f"field must name a figures column, got {type_name(name)}",
                        "field", hint=f"figures fields are: {', '.join(schema_fields)}")
        elif name in NOT_CORRECTABLE:
            checker.add(entry, f"field {name!r} cannot be corrected", "field",
                        hint="reject the figure and add a new one instead")
        elif "value" not in data:
            checker.add(entry, "a fix needs the new value", "value")
        else:
            _check_field(checker, entry, name, data.get("value"), schema_fields, indicators,
                         where="value")
    if action == "add":
        source_id = data.get("source_id")
        if not isinstance(source_id, str) or not SOURCE_ID.fullmatch(source_id):
            checker.add(entry, f"source_id must be a source folder's name, got "
                        f"{type_name(source_id)}", "source_id",
                        hint="use the name of a folder in sources/")
        quote = data.get("quote")
        if not isinstance(quote, str) or not quote:
            checker.add(entry, f"quote must be the figure's text, got {type_name(quote)}",
                        "quote", hint="copy the figure's characters exactly from text.txt, "
                        "in quotes")
        occurrence = data.get("occurrence")
        if occurrence is not None and not (is_int(occurrence) and occurrence >= 1):
            checker.add(entry, f"occurrence must be a whole number >= 1 (1 = the first), got "
                        f"{type_name(occurrence)}", "occurrence")
        period = data.get("period")
        values = dict(data, period=str(period) if is_int(period) else period)
        for name in ("value", "value_max", "unit", "qualifier", "indicator", "period", "entity",
                     "legal_reference", "role", "breakdown", "country_code"):
            if name in data or name in ("value", "qualifier", "indicator"):
                _check_field(checker, entry, name, values.get(name), schema_fields, indicators)
    return checker.problems


def _check_field(checker: _Checker, correction: Correction, name: str, value: Any,
                 fields: dict[str, dict[str, Any]], indicators: set[str],
                 where: str | None = None) -> bool:
    """Check a value against the figures schema's field `name`; `where` is the YAML key that
    holds it (a fix's `value`), for the line of the message."""
    where = where or name
    spec = fields.get(name)
    if spec is None:
        checker.add(correction, f"unknown field {name!r}", "field" if where != name else name,
                    hint=f"figures fields are: {', '.join(fields)}")
        return False
    if value is None:
        if spec.get("constraints", {}).get("required"):
            checker.add(correction, f"field {name!r} cannot be empty", where)
            return False
        return True
    kind = spec["type"]
    if kind == "number" and not is_number(value):
        checker.add(correction, f"{name} must be a number, got {type_name(value)}", where)
        return False
    if kind == "integer" and not is_int(value):
        checker.add(correction, f"{name} must be a whole number, got {type_name(value)}", where)
        return False
    if kind == "string" and not isinstance(value, str):
        checker.add(correction, f"{name} must be text, got {type_name(value)}", where,
                    hint="quote it")
        return False
    if kind == "string" and len(value) > MAX_REASON_CHARS:
        checker.add(correction, f"{name} has {len(value):,} characters; at most "
                    f"{MAX_REASON_CHARS:,}", where)
        return False
    constraints = spec.get("constraints", {})
    if "enum" in constraints and value not in constraints["enum"]:
        checker.add(correction, f"{name} must be one of {', '.join(constraints['enum'])}, "
                    f"got {value!r}", where)
        return False
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        checker.add(correction, f"{name} {value!r} does not match {constraints['pattern']}",
                    where)
        return False
    if name == "indicator" and value not in indicators:
        checker.add(correction, f"unknown indicator {value!r}", where,
                    hint="use a code of schemas/indicators.csv, or add one there")
        return False
    return True


def apply_corrections(figures: list[Row], corrections: list[Correction],
                      sources: dict[str, Source]) -> tuple[list[Row], list[Problem]]:
    """The figures table with corrections applied, and the corrections that could not be.

    Corrections come from load_corrections (their fields are well-formed); what is checked
    here is what depends on the data: the figure exists, the quote is in its text...
    """
    checker = _Checker()
    by_id = {row["figure_id"]: dict(row) for row in figures}
    rejected = {c.fields["figure_id"] for c in corrections if c.action == "reject"}
    extracted_spans = {(row["source_id"], row["start"], row["end"]): row["figure_id"]
                       for row in figures if row["figure_id"] not in rejected}
    added: list[Row] = []
    for correction in corrections:
        data = correction.fields
        if correction.action in ("fix", "reject"):
            figure_id = data["figure_id"]
            if figure_id not in by_id:
                checker.add(correction, f"figure_id {figure_id!r} does not exist", "figure_id",
                            hint="the figure may have been re-extracted under a new id: find it "
                            "with `tipfigures extract` and update the correction")
                continue
            row = by_id[figure_id]
            if correction.action == "reject":
                del by_id[figure_id]
                continue
            name = data["field"]
            if name in ("value", "value_max") and not _reads(row["text"], data.get("value")):
                checker.add(correction, f"value {data.get('value')!r} cannot be read from "
                            f"{row['text']!r}", "value")
                continue
            row[name] = data.get("value")
            row["method"], row["note"] = "curated", correction.reason
        else:
            row = _added_figure(checker, correction, sources, extracted_spans)
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
                  extracted: dict[tuple[str, int, int], str]) -> Row | None:
    data = correction.fields
    quote = data["quote"]
    readable = _reads(quote, data["value"])
    if not readable:
        checker.add(correction, f"value {data['value']!r} cannot be read from {quote!r}",
                    "value")
    source = sources.get(data["source_id"])
    if source is None:
        checker.add(correction, f"source_id {data['source_id']!r} is not a source",
                    "source_id", hint="use the name of a folder in sources/")
        return None
    positions = [m.start() for m in re.finditer(re.escape(quote), source.text)]
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
    if not 0 <= index < len(positions):
        checker.add(correction, f"occurrence {occurrence!r} is out of range 1..{len(positions)}"
                    f" (the quote occurs {len(positions)} time(s))", "occurrence")
        return None
    start = positions[index]
    found = extracted.get((source.id, start, start + len(quote)))
    if found is not None:
        checker.add(correction, f"the extractor already finds this figure (figure_id {found}, "
                    f"{quote!r} at {start}..{start + len(quote)})", "quote",
                    hint=f"correct it with action: fix and figure_id: \"{found}\" instead")
        return None
    if not readable:
        return None
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
        "period": data.get("period"),
        "role": data.get("role", "other"),
        "part_of": None,
        "breakdown": data.get("breakdown"),
        "country_code": data.get("country_code") or source.metadata.get("country_code"),
        "legal_reference": data.get("legal_reference"),
        "sentence": sentence,
        "method": "curated",
        "note": correction.reason,
    }
