"""Line charts of the panel as inline SVG: one line per country, linear axes from 0.

Drawn here so that the page needs no script to show them; the page's script (site_assets.py)
only redraws the y axis for the countries picked, with the same nice_ticks rule.
"""

from __future__ import annotations

import math
from html import escape

from tipfigures.package import format_cell
from tipfigures.site_series import Point, Series

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 18, 14, 34
# distinct on white and dark backgrounds (Our World in Data's and Tableau's categorical hues)
PALETTE = ("#3360a9", "#e56e5a", "#28a27a", "#9a5129", "#883039", "#00847e", "#c15065",
           "#6d3e91", "#b16214", "#286bbb", "#578145", "#a2559c", "#38aaba", "#ce261e",
           "#4c6a9c", "#bc8e5a", "#18470f", "#d73c50", "#7f7f7f", "#00295b")


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 x 10^k) up to at least `top`: a readable linear axis."""
    top = max(top, 1.0)
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    steps = math.ceil(top / step - 1e-9)
    return [i * step for i in range(steps + 1)]


def tick_label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def colours_for(countries: list[str]) -> dict[str, str]:
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(sorted(countries))}


def point_title(point: Point, name: str) -> str:
    qualifier = "" if point.qualifier == "exact" else f" ({point.qualifier.replace('_', ' ')})"
    value = f"{point.value:,.0f}" if point.value.is_integer() else f"{point.value:,g}"
    extra = f"; {point.source_count} sources" if point.source_count > 1 else ""
    extra += ", they disagree" if point.conflict else ""
    return f"{name} {point.year}: {value} {point.unit}{qualifier} (source {point.source_id}{extra})"


def line_chart(series: Series, label: str, years: tuple[int, int], colours: dict[str, str],
               names: dict[str, str], hidden: bool = False,
               shown: set[str] | None = None) -> str:
    """One series as an SVG chart; each point links to its figure's sentence (#f-<figure_id>).

    Countries not in `shown` are drawn switched off (the picker turns them on); the y axis
    fits the countries shown, or all of them when none of those has a point here.
    """
    first, last = years
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    shown = set(series.lines) if shown is None else shown
    values = [p.value for c, line in series.lines.items() if c in shown for p in line] or \
        [p.value for p in series.points]
    ticks = nice_ticks(max(values, default=1.0))

    def x_of(year: int) -> float:
        return LEFT + plot_w * ((year - first) / span if last > first else 0.5)

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * value / ticks[-1]

    key = f"{series.indicator}-{series.unit}"
    parts = [f'<svg class="chart" data-indicator="{escape(series.indicator)}" '
             f'data-unit="{escape(series.unit)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="chart-{escape(key)}" data-top="{TOP}" data-height="{plot_h}" '
             f'data-left="{LEFT}" data-right="{WIDTH - RIGHT}"{" hidden" if hidden else ""}>'
             f'<title id="chart-{escape(key)}">{escape(label)} ({escape(series.unit)}) by year, '
             "one line per country</title>", '<g class="y-axis">']
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text class="tick" x="{LEFT - 8}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick_label(tick)}</text>')
    parts.append("</g>")
    step = 1 if span <= 12 else math.ceil(span / 10)
    for year in range(first, last + 1, step):
        parts.append(f'<text class="tick" x="{x_of(year):.1f}" y="{HEIGHT - 12}" '
                     f'text-anchor="middle">{year}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
                 f'y2="{TOP + plot_h}"/>')
    for country, points in series.lines.items():
        colour = colours.get(country, PALETTE[0])
        coords = " ".join(f"{x_of(p.year):.1f},{y_of(p.value):.1f}" for p in points)
        off = "" if country in shown else " off"
        parts.append(f'<g class="series{off}" data-country="{escape(country)}" '
                     f'style="color:{colour}"><polyline points="{coords}"/>')
        for p in points:
            conflict = ' class="conflict"' if p.conflict else ""
            parts.append(
                f'<a class="point" href="#f-{escape(p.figure_id)}" '
                f'data-country="{escape(country)}"><circle cx="{x_of(p.year):.1f}" '
                f'cy="{y_of(p.value):.1f}" r="4.5" data-value="{format_cell(p.value)}" '
                f'data-year="{p.year}"{conflict}><title>'
                f"{escape(point_title(p, names.get(country, country)))}</title></circle></a>")
        parts.append("</g>")
    if not series.lines:
        parts.append(f'<text class="empty" x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" '
                     'text-anchor="middle">no totals in the panel yet</text>')
    parts.append("</svg>")
    return "".join(parts)
