"""The changelog's lines for one version, from its changes.json: shared by CHANGELOG.md
(publish.py) and the landing page (site.py)."""

from __future__ import annotations

import json
from typing import Any

from tipfigures.package import format_cell


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
