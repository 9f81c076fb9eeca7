"""The changelog's lines for one version, from its changes.json: shared by CHANGELOG.md
(publish.py) and the landing page (site.py)."""

from __future__ import annotations

import json
from typing import Any

from tipfigures.package import format_cell


def changelog_entry(changes: dict[str, Any], entry: dict[str, Any]) -> list[str]:
    """The version's lines: the publisher's note first (`tipfigures run --note`), then what
    changed, resource by resource."""
    note = [changes["note"].strip(), ""] if changes.get("note") else []
    return note + _change_lines(changes, entry)


def _change_lines(changes: dict[str, Any], entry: dict[str, Any]) -> list[str]:
    if not changes.get("previous_version"):
        rows = entry.get("rows", {})
        return [f"- First release: {rows.get('figures', 0)} figures from "
                f"{rows.get('sources', 0)} sources."]
    lines = []
    for name, c in changes.get("resources", {}).items():
        if name == "figures":
            lines += figure_change_lines(c)
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
        if c.get("primary_key_changed"):
            lines.append(f"- {name}: a row is now told apart by another key (it was "
                         f"{', '.join(c['primary_key_changed'])}).")
    return lines or [f"- {entry.get('summary', '')}"]


MANY_ADDED = 20  # more figures added from one source than this: one line with their number


def _sentence_end(text: str | None) -> str:
    return (text or "").strip().rstrip(".")


def figure_change_lines(changes: dict[str, Any]) -> list[str]:
    """One line per figure for people: source, text, what changed (old -> new) and why.

    `method` and `note` are not echoed: a correction's reason ends the line instead.
    """
    lines: list[str] = []
    by_figure: dict[str, list[dict[str, Any]]] = {}
    for change in changes.get("changed", []):
        by_figure.setdefault(change["key"][0], []).append(change)
    for figure_id, items in list(by_figure.items())[:500]:
        first = items[0]
        edits = [f"{c['field']} {format_cell(c['old']) or 'empty'} -> "
                 f"{format_cell(c['new']) or 'empty'}" for c in items
                 if c["field"] not in ("method", "note")]
        if not edits:
            edits = ["reason changed"]
        reason = _sentence_end(first.get("note"))
        lines.append(f"- {first.get('source_id', '?')}: \"{first.get('text', '')}\" "
                     f"({figure_id}): {'; '.join(edits)}" + (f" ({reason})." if reason else "."))
    for verb in ("added", "removed"):
        by_source: dict[str, list[dict[str, Any]]] = {}
        for row in changes.get(verb, []):
            by_source.setdefault(str(row.get("source_id")), []).append(row)
        for source_id, rows in sorted(by_source.items()):
            if verb == "added" and len(rows) > MANY_ADDED:
                lines.append(f"- {source_id}: {len(rows)} figures added.")
                continue
            for row in rows:
                value = " ".join(part for part in (format_cell(row.get("value")),
                                                   row.get("unit") or "") if part)
                reason = _sentence_end(row.get("note"))
                lines.append(f"- {source_id}: \"{row.get('text', '')}\" ({row['key'][0]}, "
                             f"{value}) {verb}" + (f" ({reason})." if reason else "."))
    return lines
