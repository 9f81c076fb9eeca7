"""What the landing page charts: the country-year panel's totals, as one line per country.

Only rows of the panel (observations) with breakdown == "total" are charted: never a case, a
part or an estimate, which the panel does not hold as totals. Each indicator is charted one
unit at a time (cases and persons are not added up). A version published before the panel
(observations without a breakdown column) has no series.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]

CHART_INDICATORS = ("investigations", "prosecutions", "convictions", "victims_identified")
TOTAL = "total"


@dataclass(frozen=True)
class Point:
    country_code: str
    year: int
    value: float
    unit: str
    qualifier: str
    figure_id: str
    source_id: str
    source_count: int
    conflict: bool


@dataclass
class Series:
    """One indicator in one unit: a line of points per country, sorted by year."""

    indicator: str
    unit: str
    lines: dict[str, list[Point]] = field(default_factory=dict)

    @property
    def points(self) -> list[Point]:
        return [p for line in self.lines.values() for p in line]


def has_panel(tables: dict[str, list[Row]]) -> bool:
    """True when the observations are the country-year panel (they carry a breakdown)."""
    rows = tables.get("observations") or []
    return bool(rows) and "breakdown" in rows[0]


def panel_totals(tables: dict[str, list[Row]]) -> list[Row]:
    """The panel's totals, the only rows a chart or a country table shows."""
    if not has_panel(tables):
        return []
    return [row for row in tables["observations"] if row.get("breakdown") == TOTAL
            and row.get("value") is not None and row.get("year") is not None
            and row.get("country_code")]


def _point(row: Row) -> Point:
    return Point(row["country_code"], int(row["year"]), float(row["value"]),
                 str(row.get("unit") or ""), str(row.get("qualifier") or "exact"),
                 str(row.get("figure_id") or ""), str(row.get("source_id") or ""),
                 int(row.get("source_count") or 1), bool(row.get("conflict")))


def chart_series(tables: dict[str, list[Row]],
                 indicators: tuple[str, ...] = CHART_INDICATORS) -> dict[str, list[Series]]:
    """Per indicator, its series, one per unit, the unit with most points first."""
    grouped: dict[tuple[str, str], dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for row in panel_totals(tables):
        if row.get("indicator") in indicators:
            point = _point(row)
            grouped[(row["indicator"], point.unit)][point.country_code].append(point)
    result: dict[str, list[Series]] = {name: [] for name in indicators}
    for (indicator, unit), lines in grouped.items():
        result[indicator].append(Series(indicator, unit, {
            country: sorted(points, key=lambda p: p.year)
            for country, points in sorted(lines.items())}))
    for name in indicators:
        result[name].sort(key=lambda s: (-len(s.points), s.unit))
    return result


def country_names(sources: list[Row]) -> dict[str, str]:
    """A readable name per country code, from the sources' titles ("Trafficking in Persons:
    Mali (2004 ...)", "Human trafficking in Russia"); the code itself when no title says."""
    names: dict[str, str] = {}
    for row in sources:
        code, title = row.get("country_code"), str(row.get("title") or "")
        if not code or code in names:
            continue
        match = re.search(r":\s*([^:(]+?)\s*\(", title) or re.search(r"\bin\s+([A-Z][\w' -]+)$",
                                                                    title)
        if match:
            names[code] = match.group(1).strip()
    for row in sources:
        if row.get("country_code"):
            names.setdefault(row["country_code"], row["country_code"])
    return names


def panel_by_country(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """The panel's totals of each country, by indicator, unit and year."""
    result: dict[str, list[Row]] = defaultdict(list)
    for row in panel_totals(tables):
        result[row["country_code"]].append(row)
    return {code: sorted(rows, key=lambda r: (r["indicator"], r.get("unit") or "", r["year"]))
            for code, rows in sorted(result.items())}
