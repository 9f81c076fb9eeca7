"""A country-year panel made by hand from a version's figures, in the shape of the 2.0 schema
(observations keyed by country, year, indicator, unit and breakdown), to try the landing page on
panel data before the pipeline makes it. Includes parts under a breakdown with an absurd value:
a page that charts them shows it."""

from __future__ import annotations

from typing import Any

PANEL_INDICATORS = ("investigations", "arrests", "prosecutions", "convictions",
                    "victims_identified", "victims_assisted")
CASE_UNITS = ("cases", "investigations", "prosecutions", "convictions")
PART_VALUE = 987654.0  # no total is this large: a chart showing it charts a part


def panel_tables(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    keyed: dict[tuple, list[dict[str, Any]]] = {}
    for figure in tables["figures"]:
        period, unit = figure.get("period"), figure.get("unit")
        if (figure.get("indicator") not in PANEL_INDICATORS or not period or "/" in period
                or figure.get("value_max") is not None or not figure.get("country_code")):
            continue
        unit = "persons" if unit == "persons" else "cases" if unit in CASE_UNITS else None
        if unit is None:
            continue
        key = (figure["country_code"], int(period), figure["indicator"], unit)
        keyed.setdefault(key, []).append(figure)
    rows = []
    for (country, year, indicator, unit), figures in sorted(keyed.items()):
        chosen = figures[-1]  # the latest source (sources sort by id, the year last)
        values = {f["value"] for f in figures}
        rows.append(_row(country, year, indicator, unit, "total", chosen, figures,
                         conflict=len(values) > 1))
        if len(rows) % 5 == 0:  # a part under every fifth total
            rows.append(_row(country, year, indicator, unit, "sex=female",
                             {**chosen, "value": PART_VALUE}, [chosen], conflict=False))
    return {**tables, "observations": rows}


def _row(country: str, year: int, indicator: str, unit: str, breakdown: str,
         chosen: dict[str, Any], figures: list[dict[str, Any]], conflict: bool) -> dict[str, Any]:
    return {"country_code": country, "year": year, "indicator": indicator, "unit": unit,
            "breakdown": breakdown, "value": chosen["value"],
            "qualifier": chosen.get("qualifier") or "exact", "figure_id": chosen["figure_id"],
            "source_id": chosen["source_id"],
            "figure_ids": " ".join(f["figure_id"] for f in figures),
            "source_ids": " ".join(sorted({f["source_id"] for f in figures})),
            "source_count": len({f["source_id"] for f in figures}), "conflict": conflict}
