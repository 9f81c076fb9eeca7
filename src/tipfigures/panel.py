"""The country-year panel: one value per country, year, indicator, unit and breakdown.

Researchers chart and sum this table, so a row is only ever a total a report states (or a part
of one, under its breakdown), never a case, an estimate, a share, a pending stock or a
conversion. Several figures can give the same key: a report restates its own figures, and a
later report restates (and corrects) an earlier year's. The rule that picks one value:

1. the latest report wins (the highest reporting period, then the source id): later reports
   correct earlier ones, and a report's "compared with 61 in 2021" is the later word on 2021;
2. within one report, the first statement wins: a report states its headline figure where it
   first reports on a subject and comes back to details later (measured against "the largest
   value wins" on the development gold: equal over all sets, better on TIP narratives and web
   text, docs/quality.md);
3. every candidate stays in observation_candidates with the decision taken on it, and a key
   whose candidates disagree is flagged `conflict`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Row = dict[str, Any]
PANEL_ROLES = frozenset({"total", "part"})


def panel_unit(figure: Row) -> str | None:
    """What a panel row counts: cases, persons or a currency; None for anything else."""
    unit = figure["unit"]
    if unit == "persons":
        return "persons"
    from tipfigures.extract import rules  # not at import: reading a store needs no extractor

    if unit in rules().structure.case_nouns:
        return "cases"
    if unit and len(unit) == 3 and unit.isupper() and figure["indicator"] == "funding":
        return unit
    return None


def candidate_rows(figures: list[Row], reporting_periods: dict[str, int | None],
                   panel_indicators: frozenset[str]) -> list[Row]:
    """The figures that may enter the panel, each under its key."""
    rows = []
    indicator_of = {figure["figure_id"]: figure["indicator"] for figure in figures}
    role_of = {figure["figure_id"]: figure["role"] for figure in figures}
    for position, figure in enumerate(figures):
        period, role = figure["period"], figure["role"]
        if role not in PANEL_ROLES or (role == "part" and not figure["breakdown"]):
            continue
        if role == "part" and role_of.get(figure["part_of"], "total") not in PANEL_ROLES:
            continue  # "a marabout trafficking 11 children (seven Malians ...)": of a case
        # a part is charted under its whole's indicator: "victims identified, of which 87 in
        # sex trafficking" is victims_identified, form=sex_trafficking
        indicator = indicator_of.get(figure["part_of"], figure["indicator"]) \
            if figure["part_of"] else figure["indicator"]
        if indicator not in panel_indicators or not figure["country_code"]:
            continue
        if not period or "/" in period or figure["value_max"] is not None:
            continue
        unit = panel_unit(figure)
        if unit is None:
            continue
        rows.append({
            "country_code": figure["country_code"],
            "year": int(period),
            "indicator": indicator,
            "unit": unit,
            "breakdown": figure["breakdown"] if role == "part" else "total",
            "value": figure["value"],
            "qualifier": figure["qualifier"],
            "figure_id": figure["figure_id"],
            "source_id": figure["source_id"],
            "reporting_period": reporting_periods.get(figure["source_id"]),
            "selected": False,
            "decision": "",
            "position": position,  # text order within a source; not published
        })
    return rows


def _key(row: Row) -> tuple[Any, ...]:
    return (row["country_code"], row["year"], row["indicator"], row["unit"], row["breakdown"])


def _preference(row: Row) -> tuple[Any, ...]:
    """Sorts the preferred candidate first: latest report, then its first statement."""
    return (-(row["reporting_period"] or 0), row["source_id"], row["position"])


def decide(candidates: list[Row]) -> tuple[list[Row], list[Row]]:
    """The panel and the candidates with their decisions, both in key order."""
    by_key: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in candidates:
        by_key[_key(row)].append(row)
    panel: list[Row] = []
    decided: list[Row] = []
    for key in sorted(by_key):
        rows = sorted(by_key[key], key=_preference)
        chosen = rows[0]
        for row in rows:
            if row is chosen:
                decision = "selected"
            elif row["value"] == chosen["value"]:
                decision = "agrees"
            elif row["source_id"] == chosen["source_id"]:
                decision = "outvoted"
            else:
                decision = "superseded"
            decided.append({**{k: v for k, v in row.items() if k != "position"},
                            "selected": decision in ("selected", "agrees"),
                            "decision": decision})
        agreeing = [row for row in rows if row["value"] == chosen["value"]]
        panel.append({
            **{name: chosen[name] for name in (
                "country_code", "year", "indicator", "unit", "breakdown", "value", "qualifier",
                "figure_id", "source_id")},
            "figure_ids": " ".join(sorted(row["figure_id"] for row in agreeing)),
            "source_ids": " ".join(sorted({row["source_id"] for row in agreeing})),
            "source_count": len({row["source_id"] for row in rows}),
            "conflict": len({row["value"] for row in rows}) > 1,
        })
    decided.sort(key=lambda row: (_key(row), row["figure_id"]))
    return panel, decided
