"""The landing page of a published dataset: output/<dataset>/index.html.

One self-contained HTML file (inline CSS and script, charts as inline SVG drawn here): nothing
loads from the internet, and a Content-Security-Policy says so to the browser. It is derived
from catalog.json and the latest version, like CHANGELOG.md, and remade after each publish.
Links are relative, so the page works from any host and from a file:// URL. Every text that
comes from data is escaped.

Like a grapher page of Our World in Data it leads with the series: line charts of the panel's
totals (site_series.py, drawn by site_charts.py) with a country picker, then one country at a
time as a table by year with its sources and sentences; then the quality statement, the
citation, the downloads and the rest.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from tipfigures import DATASET_NAME, __version__
from tipfigures.changelog import changelog_entry
from tipfigures.package import format_cell, read_descriptor, read_tables
from tipfigures.site_assets import SCRIPT, STYLE
from tipfigures.site_charts import colours_for, line_chart
from tipfigures.site_series import (
    CHART_INDICATORS,
    Series,
    chart_series,
    country_names,
    has_panel,
    panel_by_country,
    panel_totals,
)

Tables = dict[str, list[dict[str, Any]]]

INDEX = "index.html"
PREVIEW_ROWS = 5
FIGURE_LIMIT = 1000  # beyond this the page points to the data instead of listing every figure
CHANGE_LINES = 12
DEFAULT_COUNTRIES = 6  # countries picked when the page opens: those with the most points
RESOURCE_NOTES = {
    "figures": "one row per number found in a text, with its sentence and offsets",
    "observations": "the country-year panel: one row per country, year, indicator, unit, breakdown",
    "observation_candidates": "every figure that was a candidate for a panel row",
    "sources": "one row per source text, with its SHA-256",
    "events": "one row per dated statement",
    "tier_placements": "one row per country, year and TIP tier",
    "indicators": "the code list of indicators, with UNODC and SDG labels",
}
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")


def write_landing_page(dataset_folder: Path, tables: Tables | None = None) -> Path:
    """Write index.html for the dataset in `dataset_folder` (holding catalog.json); return it.

    `tables` replaces the latest version's tables (to try the page on other data)."""
    folder = Path(dataset_folder)
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    page = render_page(folder, catalog, tables)
    target = folder / INDEX
    temporary = folder / f".tmp-{INDEX}"  # a name publishing's leftover cleaning knows
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(page)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o644)  # a web server must be able to read it
    os.replace(temporary, target)
    return target


# ---------------------------------------------------------------------------------------------
# Small helpers


def e(value: Any) -> str:
    """Escaped text of a value ('' for None)."""
    return escape(format_cell(value) if not isinstance(value, str) else value, quote=True)


def href(path: str) -> str:
    """A relative link to a file of the store, each part percent-encoded."""
    return escape("/".join(quote(part, safe="") for part in path.split("/")), quote=True)


def external(url: Any) -> str | None:
    """An http(s) URL safe to link to, else None (no javascript: or data: links from data)."""
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return escape(url, quote=True)
    return None


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else format_cell(value)


def _compact(value: int) -> str:
    for power, suffix in ((9, "G"), (6, "M"), (3, "k")):
        if value >= 10 ** power:
            return f"{value // 10 ** power}{suffix}"
    return str(value)


def size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


# ---------------------------------------------------------------------------------------------
# The page

def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


# ---------------------------------------------------------------------------------------------
# The page


def render_page(folder: Path, catalog: dict[str, Any], tables: Tables | None = None) -> str:
    latest = catalog.get("latest")
    entries = catalog.get("versions", [])
    if not latest:
        return _document(catalog.get("name", DATASET_NAME), "<p>No version published yet.</p>")
    version_folder = folder / latest
    descriptor = read_descriptor(version_folder)
    tables = tables if tables is not None else read_tables(version_folder)
    entry = next((x for x in entries if x.get("version") == latest), {})
    name = descriptor.get("name", DATASET_NAME)
    names = country_names(tables.get("sources", []))
    series = chart_series(tables)
    countries = sorted({p.country_code for s in series.values() for x in s for p in x.points}
                       | set(panel_by_country(tables)))
    colours = colours_for(countries)
    shown = {row["figure_id"] for row in tables.get("figures", [])[:FIGURE_LIMIT]} | {
        row["figure_id"] for rows in panel_by_country(tables).values() for row in rows}
    offsets = highlight_offsets(tables, shown)  # of the figures the page quotes
    sections = [
        _header(descriptor, entry, tables),
        _nav(),
        "<main>",
        _charts(tables, series, names, colours),
        _countries(tables, names, colours, offsets),
        _downloads(descriptor, latest, tables, entry),
        _quality(descriptor),
        _cite(descriptor),
        _about(descriptor, tables),
        _figures(tables, offsets),
        _resources(descriptor, tables),
        _versions(folder, entries, latest),
        "</main>",
        _footer(descriptor),
    ]
    title = f"{descriptor.get('title', name)} · {name} {latest}"
    return _document(title, "\n".join(sections))


def _document(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="tipfigures {escape(__version__)}">
<title>{escape(title)}</title>
<link rel="icon" href="data:,">
<style>{STYLE}</style>
</head>
<body>
{body}
<script>{SCRIPT}</script>
</body>
</html>
"""


def _header(descriptor: dict[str, Any], entry: dict[str, Any], tables: Tables) -> str:
    version = descriptor.get("version", "")
    created = str(descriptor.get("created", ""))[:10]
    licenses = ", ".join(e(lic.get("title") or lic.get("name")) for lic in
                         descriptor.get("licenses", []))
    figures, sources = len(tables.get("figures", [])), len(tables.get("sources", []))
    countries = len({r.get("country_code") for r in tables.get("sources", [])})
    totals = panel_totals(tables)
    years = sorted({int(r["year"]) for r in totals})
    span = f", {years[0]}–{years[-1]}" if years else ""
    panel = (f"<span>{plural(len(totals), 'country-year total')}{span}</span>" if totals
             else "")
    archive = entry.get("zip") or {}
    zip_link = (f'<a class="button" href="{href(archive["path"])}" download '
                f'data-sha256="{e(archive.get("sha256"))}">Download all (zip, '
                f'{size(int(archive.get("bytes", 0)))})</a>' if archive.get("path") else
                '<a class="button" href="#download">Download CSV or Parquet</a>')
    return f"""<header class="top">
<div class="wrap">
<p class="eyebrow">{e(descriptor.get("name", DATASET_NAME))} · open data</p>
<h1>{e(descriptor.get("title", ""))}</h1>
<p class="lede">{e(descriptor.get("description", ""))}</p>
<p class="facts"><span class="badge" id="latest-version">Latest version
<strong>{e(version)}</strong></span> <span>published <time datetime="{e(created)}">{e(created)}
</time></span> <span>{plural(figures, "figure")} from {plural(sources, "source")} about
{plural(countries, "country")}</span> {panel} <span>{licenses}</span></p>
<p>{zip_link}
<a class="button ghost" href="{href(f"{version}/datapackage.json")}">datapackage.json</a>
<a class="button ghost" href="#cite">How to cite</a></p>
</div>
</header>"""


def _nav() -> str:
    items = [("charts", "Charts"), ("countries", "Countries"), ("download", "Download"),
             ("quality", "Quality"), ("cite", "Cite"), ("about", "Sources"),
             ("figures", "Figures"), ("resources", "Resources"), ("versions", "Versions")]
    links = "".join(f'<a href="#{key}">{label}</a>' for key, label in items)
    return f'<nav class="wrap">{links}</nav>'


# ---------------------------------------------------------------------------------------------
# Charts of the panel


def _labels(tables: Tables) -> dict[str, str]:
    return {r["indicator"]: r.get("label") or r["indicator"] for r in tables.get("indicators", [])}


def _default_countries(series: dict[str, list[Series]]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for charts in series.values():
        for chart in charts:
            for country, points in chart.lines.items():
                counts[country] += len(points)
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return sorted(ranked[:DEFAULT_COUNTRIES])


def _charts(tables: Tables, series: dict[str, list[Series]], names: dict[str, str],
            colours: dict[str, str]) -> str:
    if not has_panel(tables):
        return ('<section id="charts" class="wrap"><h2>Series by country and year</h2>'
                "<p>This version has no country-year panel yet, so there is nothing to chart: "
                "its observations are figures, not one total per country and year.</p>"
                "</section>")
    labels = _labels(tables)
    charted = sorted({c for charts in series.values() for s in charts for c in s.lines})
    picked = set(_default_countries(series))
    years_seen = [p.year for charts in series.values() for s in charts for p in s.points]
    years = (min(years_seen), max(years_seen)) if years_seen else (0, 0)
    boxes = "".join(
        f'<label><input type="checkbox" name="country" value="{e(code)}"'
        f'{" checked" if code in picked else ""}><i style="background:{colours[code]}"></i>'
        f"{e(names.get(code, code))}</label>" for code in charted)
    figures = []
    for indicator in CHART_INDICATORS:
        charts = series.get(indicator) or [Series(indicator, "persons")]
        label = labels.get(indicator, indicator)
        switch = ""
        if len(charts) > 1:
            switch = '<span class="units" role="group" aria-label="unit">' + "".join(
                f'<button type="button" data-unit="{e(s.unit)}" aria-pressed='
                f'"{"true" if i == 0 else "false"}">{e(s.unit)}</button>'
                for i, s in enumerate(charts)) + "</span>"
        elif charts[0].lines:
            switch = f'<span class="sub">{e(charts[0].unit)}</span>'
        svgs = "".join(line_chart(s, label, years, colours, names, hidden=i > 0,
                                  shown=picked) for i, s in enumerate(charts))
        figures.append(f'<figure class="panel" data-indicator="{e(indicator)}"><figcaption>'
                       f"{e(label)} {switch}</figcaption>{svgs}</figure>")
    return f"""<section id="charts" class="wrap">
<h2>Series by country and year</h2>
<p>The panel's national totals as the reports state them, one line per country: never a
single case, a part of a total or an estimate. Where reports of different years give a value
for the same country and year, the latest report's is shown (a dashed ring marks a
disagreement; the country view lists it). Indicators counted in two units, such as cases and
persons, are charted one unit at a time. Each point links to its sentence.</p>
<div class="picker" id="picker" role="group" aria-label="countries">
<strong><span id="picked-count">{len(picked)}</span> of {len(charted)} countries</strong>
{boxes}
<button type="button" data-pick="all">all</button>
<button type="button" data-pick="none">none</button></div>
<div class="panels">{"".join(figures)}</div>
</section>"""


# ---------------------------------------------------------------------------------------------
# One country at a time


def _countries(tables: Tables, names: dict[str, str], colours: dict[str, str],
               offsets: dict[str, int | None]) -> str:
    by_country = panel_by_country(tables)
    if not by_country:
        return ""
    labels = _labels(tables)
    figures = {r["figure_id"]: r for r in tables.get("figures", [])}
    sources = defaultdict(list)
    for row in tables.get("sources", []):
        sources[row.get("country_code")].append(row)
    first = max(by_country, key=lambda code: (len(by_country[code]), code))  # most totals
    options = "".join(f'<option value="{e(code)}"{" selected" if code == first else ""}>'
                      f"{e(names.get(code, code))}</option>" for code in by_country)
    views = [_country_view(code, rows, names.get(code, code), colours.get(code, ""), labels,
                           figures, offsets, sources.get(code, []))
             for code, rows in by_country.items()]
    return f"""<section id="countries" class="wrap">
<h2>One country: its panel by year</h2>
<p class="country-pick"><label for="country-view"><strong>Country</strong></label>
<select id="country-view">{options}</select>
<span class="sub">the panel's totals by year, the reports they come from, and each figure in
its sentence</span></p>
{"".join(views)}
</section>"""


def _country_view(code: str, rows: list[dict[str, Any]], name: str, colour: str,
                  labels: dict[str, str], figures: dict[str, dict[str, Any]],
                  offsets: dict[str, int | None], sources: list[dict[str, Any]]) -> str:
    years = sorted({int(r["year"]) for r in rows})
    keyed: dict[tuple[str, str], dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        keyed[(row["indicator"], row.get("unit") or "")][int(row["year"])] = row
    order = list(labels)
    head = "".join(f"<th class=\"num\">{y}</th>" for y in years)
    body = []
    for (indicator, unit), cells in sorted(keyed.items(), key=lambda item: (
            order.index(item[0][0]) if item[0][0] in order else len(order), item[0][1])):
        tds = []
        for year in years:
            row = cells.get(year)
            if row is None:
                tds.append('<td class="num empty">–</td>')
                continue
            mark = ""
            if row.get("conflict"):
                mark = (f'<sup class="conflict" title="{e(row.get("source_count"))} sources '
                        'give a value; they disagree">≠</sup>')
            tds.append(f'<td class="num"><a href="#f-{e(row["figure_id"])}" title="'
                       f'{e(row.get("qualifier") or "")} · source {e(row.get("source_id"))}">'
                       f'{e(number(row["value"]))}</a>{mark}</td>')
        body.append(f"<tr><th scope=\"row\">{e(labels.get(indicator, indicator))} "
                    f"<span class=\"sub\">{e(unit)}</span></th>{''.join(tds)}</tr>")
    items = []
    for row in sorted(rows, key=lambda r: (r["year"], r["indicator"])):
        figure = figures.get(row["figure_id"]) or {}
        sentence, text = figure.get("sentence") or "", figure.get("text") or ""
        at = offsets.get(row["figure_id"])
        quoted = (f"{e(sentence[:at])}<mark>{e(text)}</mark>{e(sentence[at + len(text):])}"
                  if at is not None else f"{e(sentence)} <mark>{e(text)}</mark>")
        items.append(
            f'<li id="f-{e(row["figure_id"])}"><div class="what"><span class="value">'
            f'{e(number(row["value"]))}</span> <span class="unit">{e(row.get("unit"))}</span> '
            f'<span class="chip">{e(labels.get(row["indicator"], row["indicator"]))}</span> '
            f'<span class="sub">{e(row["year"])} · {e(row.get("source_id"))}'
            f'{" · sources disagree" if row.get("conflict") else ""}</span></div>'
            f"<blockquote>{quoted}</blockquote></li>")
    listed = "".join(
        f'<li>{_source_link(s)} <span class="sub">{e(s.get("reporting_period"))}</span></li>'
        for s in sorted(sources, key=lambda s: (s.get("reporting_period") or 0,
                                                s["source_id"])))
    return f"""<section class="country" id="country-{e(code)}" data-country="{e(code)}">
<h3><i class="swatch" style="background:{e(colour)}"></i>{e(name)} <span class="sub">{e(code)}
</span></h3>
<div class="scroll"><table class="data panel-table"><thead><tr><th>Indicator</th>{head}</tr>
</thead><tbody>{"".join(body)}</tbody></table></div>
<details><summary>{plural(len(sources), "source")} of {e(name)}</summary><ul>{listed}</ul>
</details>
<h4>The figures in their sentences</h4>
<ol class="sentences">{"".join(items)}</ol>
</section>"""


def _source_link(row: dict[str, Any]) -> str:
    url = external(row.get("url"))
    return f'<a href="{url}">{e(row.get("title"))}</a>' if url else e(row.get("title"))


# ---------------------------------------------------------------------------------------------
# Quality and citation


def _quality(descriptor: dict[str, Any]) -> str:
    quality = descriptor.get("quality")
    if not quality:
        return ('<section id="quality" class="wrap"><h2>How good the figures are</h2><p>This '
                "version was published before releases carried a measured quality statement; "
                "see docs/quality.md.</p></section>")
    evaluated = quality.get("evaluated_on") or {}
    measures = "".join(
        f'<dt>{e(m.get("label"))}</dt><dd data-measure="{e(m.get("name"))}">'
        f'{percent(float(m.get("value", 0)))} <span class="sub">over {e(m.get("over"))}</span>'
        "</dd>" for m in quality.get("measures", []))
    texts = ", ".join(e(t) for t in evaluated.get("texts", []))
    scored = (f"<p>Measured when this version was built, on the held-out gold "
              f"(<code>{e(evaluated.get('gold_set'))}</code>: {texts}), texts annotated by hand "
              "by someone who did not write the extractor. A found figure counts when its span "
              "and value equal the gold's; the accuracies are over those matched figures.</p>"
              f'<dl class="quality">{measures}</dl>' if measures else
              "<p>No held-out gold was found when this version was built: not measured.</p>")
    return f"""<section id="quality" class="wrap">
<h2>How the figures were made, and how good they are</h2>
<p>{e(quality.get("method"))}</p>
<p>Extractor version <code>{e(quality.get("extractor_version"))}</code>.</p>
{scored}
</section>"""


def _cite(descriptor: dict[str, Any]) -> str:
    citation = descriptor.get("citation")
    if not citation:
        return ""
    where = ("" if citation.get("url") else
             ' <span class="sub">(this page: <span class="page-url">its address</span>)</span>')
    return f"""<section id="cite" class="wrap">
<h2>How to cite</h2>
<blockquote class="cite" id="citation-text">{e(citation.get("text"))}{where}</blockquote>
<p class="sub">Dataset {e(citation.get("name"))}, version {e(citation.get("version"))},
{e(citation.get("date"))}; licence {e(citation.get("license"))}; source texts published by
{e("; ".join(citation.get("publishers", [])))}.</p>
<details><summary>BibTeX</summary><pre><code>{e(citation.get("bibtex"))}</code></pre></details>
</section>"""


# ---------------------------------------------------------------------------------------------
# Sources, downloads


def _about(descriptor: dict[str, Any], tables: Tables) -> str:
    counts: dict[str, int] = defaultdict(int)
    for row in tables.get("figures", []):
        counts[row.get("source_id")] += 1
    rows = []
    for row in tables.get("sources", []):
        rows.append(f"<tr><td>{_source_link(row)}<div class=\"sub\">{e(row.get('publisher'))}"
                    f"</div></td><td>{e(row.get('country_code'))}</td>"
                    f"<td>{e(row.get('reporting_period'))}</td>"
                    f"<td>{e(row.get('license'))}</td><td><time>{e(row.get('retrieved'))}</time></td>"
                    f"<td class=\"num\">{counts.get(row.get('source_id'), 0)}</td></tr>")
    extractor = (descriptor.get("tipfigures") or {}).get("extractor_version")
    corrections = len((descriptor.get("tipfigures") or {}).get("corrections") or {})
    made = (f"Figures were found by the rule-based extractor (version {e(extractor)})"
            if extractor else "Figures were found by the rule-based extractor")
    sources = tables.get("sources", [])
    return f"""<section id="about" class="wrap">
<h2>Where the numbers come from</h2>
<p>Narrative reports on human trafficking — U.S. State Department human-rights and Trafficking
in Persons report narratives, Wikipedia country articles — give their numbers in prose:
investigations, prosecutions, convictions, sentences, victims identified and assisted, money.
This dataset lifts those numbers out of the text into tables, and keeps each one tied to the
words it came from.</p>
<p>{made}, with {plural(corrections, "correction file")} applied on top. Every figure
records its source, the character offsets <code>start</code> and <code>end</code> of its text
in that source's snapshot (<code>figures.text == text[start:end]</code>, checked before
every publish), and the sentence around it. Each source snapshot is identified by its
SHA-256, so anyone can check a number against the exact text it was read from.</p>
<details id="sources-table"><summary>{plural(len(sources), "source")} about
{plural(len({s.get("country_code") for s in sources}), "country")}</summary>
<div class="scroll"><table class="data">
<thead><tr><th>Source</th><th>Country</th><th>Reporting year</th><th>License</th>
<th>Retrieved</th><th class="num">Figures</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div></details>
</section>"""


def _downloads(descriptor: dict[str, Any], version: str, tables: Tables,
               entry: dict[str, Any]) -> str:
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    rows = []
    for name, resource in by_name.items():
        if resource.get("format") != "csv":
            continue
        cells = []
        for item in (resource, by_name.get(f"{name}-parquet")):
            if item is None:
                cells.append("<td>—</td>")
                continue
            path = f"{version}/{item['path']}"
            digest = str(item.get("hash", "")).removeprefix("sha256:")
            cells.append(f'<td><a class="file" href="{href(path)}" download '
                         f'data-sha256="{e(digest)}">{e(path.rsplit("/", 1)[-1])}</a> '
                         f'<span class="sub" title="sha256 {e(digest)}">'
                         f'{size(int(item.get("bytes", 0)))}</span></td>')
        note = RESOURCE_NOTES.get(name, "")
        rows.append(f"<tr><th scope=\"row\">{e(name)}<div class=\"sub\">{e(note)}</div></th>"
                    f"<td class=\"num\">{len(tables.get(name, [])):,}</td>{''.join(cells)}</tr>")
    here = '<span class="base-url">BASE_URL</span>'  # the script puts the page's folder here
    meta = " · ".join(f'<a href="{href(path)}">{e(label)}</a>' for path, label in (
        (f"{version}/datapackage.json", "datapackage.json"),
        (f"{version}/changes.json", "changes.json"),
        ("catalog.json", "catalog.json"), ("CHANGELOG.md", "CHANGELOG.md")))
    archive = entry.get("zip") or {}
    whole = ""
    if archive.get("path"):
        whole = (f'<p class="whole"><a class="file zip" href="{href(archive["path"])}" download '
                 f'data-sha256="{e(archive.get("sha256"))}">{e(archive["path"].rsplit("/")[-1])}'
                 f'</a> <span class="sub">{size(int(archive.get("bytes", 0)))}, the whole '
                 f'version in one file; sha256 <code>{e(archive.get("sha256"))}</code> (also in '
                 "catalog.json)</span></p>")
    return f"""<section id="download" class="wrap">
<h2>Download version {e(version)}</h2>
{whole}
<p>Each resource as CSV (UTF-8, a header row) and as Parquet (typed columns). The sizes and
SHA-256 hashes are in <code>datapackage.json</code>, a
<a href="https://datapackage.org/">Frictionless Data Package</a> that also holds each table's
schema.</p>
<div class="scroll"><table class="data downloads">
<thead><tr><th>Resource</th><th class="num">Rows</th><th>CSV</th><th>Parquet</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
<p class="meta">{meta}</p>
<details><summary>Download and verify from the command line, or read it in Python</summary>
<p class="sub base-url-note">BASE_URL is the folder of this page.</p>
<pre><code>tipfigures download --from {here} --version {e(version)}{" --zip" if whole else ""}
frictionless validate trafficking-figures/{e(version)}/datapackage.json</code></pre>
<pre><code>import pandas as pd
figures = pd.read_parquet("{here}/{e(version)}/data/figures.parquet")</code></pre>
</details>
</section>"""


# ---------------------------------------------------------------------------------------------
# Figures in their sentences


def highlight_offsets(tables: dict[str, list],
                      figure_ids: set[str] | None = None) -> dict[str, int | None]:
    """Where each figure's text starts in its sentence (None when it cannot be told); only of
    the figures `figure_ids` when given (the page quotes a few of 100,000s).

    Offsets are into the source text, sentences are stripped slices of it: every row with the
    same sentence (figures, events, tier placements) must agree on where the sentence starts.
    """
    figures = [row for row in tables.get("figures", [])
               if figure_ids is None or row["figure_id"] in figure_ids]
    wanted = {(row["source_id"], row.get("sentence")) for row in figures}
    anchors: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for name in ("figures", "events", "tier_placements"):
        for row in tables.get(name, []):
            key = (row["source_id"], row.get("sentence"))
            if key[1] and row.get("text") and row.get("start") is not None and \
                    (figure_ids is None or key in wanted):
                anchors[key].append((row["start"], row["text"]))
    starts: dict[tuple[str, str], int | None] = {}
    for key, items in anchors.items():
        sentence = key[1]
        common: set[int] | None = None
        for start, text in items:
            found = {start - i for i in _find_all(sentence, text)}
            common = found if common is None else common & found
        starts[key] = next(iter(common)) if common and len(common) == 1 else None
    offsets: dict[str, int | None] = {}
    for row in figures:
        sentence, text = row.get("sentence") or "", row.get("text") or ""
        start = starts.get((row["source_id"], sentence))
        at = row["start"] - start if start is not None else None
        if at is None or sentence[at:at + len(text)] != text:
            found = _find_all(sentence, text)
            at = found[0] if len(found) == 1 else None
        offsets[row["figure_id"]] = at
    return offsets


def _find_all(haystack: str, needle: str) -> list[int]:
    """Where `needle` occurs in `haystack` as a whole token ("5" is not in "152"), else at all."""
    found, at = [], haystack.find(needle)
    while needle and at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)

    def whole(i: int) -> bool:
        before = haystack[i - 1] if i > 0 else " "
        after = haystack[i + len(needle)] if i + len(needle) < len(haystack) else " "
        return not (needle[0].isalnum() and before.isalnum()) and \
            not (needle[-1].isalnum() and after.isalnum())

    return [i for i in found if whole(i)] or found


def _figures(tables: dict[str, list], offsets: dict[str, int | None]) -> str:
    figures = tables.get("figures", [])
    sources = {r["source_id"]: r for r in tables.get("sources", [])}
    groups: dict[str, list[str]] = defaultdict(list)
    for row in figures[:FIGURE_LIMIT]:
        sentence, text = row.get("sentence") or "", row.get("text") or ""
        at = offsets.get(row["figure_id"])
        if at is None:
            quoted = f"{e(sentence)} <mark>{e(text)}</mark>"
        else:
            quoted = (f"{e(sentence[:at])}<mark>{e(text)}</mark>"
                      f"{e(sentence[at + len(text):])}")
        value = number(row.get("value"))
        if row.get("value_max") is not None:
            value += f"–{number(row['value_max'])}"
        meta = " · ".join(e(x) for x in (row.get("country_code"), row.get("period"),
                                         row.get("qualifier")) if x)
        # the filter searches this and the item's text (the sentence is not repeated here)
        search = " ".join(format_cell(row.get(k)) for k in (
            "indicator", "unit", "country_code", "period", "source_id"))
        groups[row["source_id"]].append(
            f'<li data-search="{e(search.lower())}" data-figure="{e(row["figure_id"])}">'
            f'<div class="what"><span class="value">{e(value)}</span> '
            f'<span class="unit">{e(row.get("unit") or "")}</span> '
            f'<span class="chip">{e(row.get("indicator") or "")}</span> '
            f'<span class="sub">{meta}</span></div>'
            f'<blockquote>{quoted}</blockquote></li>')
    blocks = []
    for index, (source_id, items) in enumerate(groups.items()):
        title = (sources.get(source_id) or {}).get("title") or source_id
        blocks.append(f'<details class="group"{" open" if index == 0 else ""}><summary>'
                      f'<strong>{e(title)}</strong> <span class="sub">'
                      f'{plural(len(items), "figure")}</span></summary>'
                      f'<ol class="figures">{"".join(items)}</ol></details>')
    more = ""
    if len(figures) > FIGURE_LIMIT:
        more = (f"<p class=\"sub\">The first {FIGURE_LIMIT:,} of {len(figures):,} figures are "
                "listed; download the figures resource for all of them.</p>")
    shown = min(len(figures), FIGURE_LIMIT)
    return f"""<section id="figures" class="wrap">
<h2>Every figure, in its sentence</h2>
<p>Each figure as the source wrote it, highlighted in its sentence, with the value, unit and
indicator read from it; grouped by source (open a source to see its figures, or filter).</p>
<p><label>Filter <input id="figure-filter" type="search" placeholder="convictions, RUS, 2009…"
autocomplete="off"></label> <span class="sub"><span id="figure-count">{shown}</span> shown</span>
</p>
<div id="figure-list">{"".join(blocks)}</div>{more}
</section>"""


# ---------------------------------------------------------------------------------------------
# Resources: schema and preview


def _resources(descriptor: dict[str, Any], tables: dict[str, list]) -> str:
    blocks = []
    for resource in descriptor.get("resources", []):
        if resource.get("format") != "csv":
            continue
        name, schema = resource["name"], resource.get("schema", {})
        fields = schema.get("fields", [])
        key = schema.get("primaryKey") or []
        key_text = ", ".join(key) if isinstance(key, list) else str(key)
        schema_rows = "".join(
            f"<tr><td><code>{e(f['name'])}</code></td><td>{e(f.get('type'))}</td>"
            f"<td>{'yes' if (f.get('constraints') or {}).get('required') else ''}</td>"
            f"<td>{e(f.get('description') or '')}</td></tr>" for f in fields)
        rows = tables.get(name, [])
        head = "".join(f"<th>{e(f['name'])}</th>" for f in fields)
        body = "".join("<tr>" + "".join(
            f'<td title="{e(row.get(f["name"]))}">{e(row.get(f["name"]))}</td>' for f in fields)
            + "</tr>" for row in rows[:PREVIEW_ROWS])
        blocks.append(f"""<details class="resource" id="resource-{e(name)}">
<summary><strong>{e(name)}</strong> <span class="sub">{plural(len(rows), "row")},
{plural(len(fields), "field")}; primary key {e(key_text)}</span></summary>
<h4>Schema</h4>
<div class="scroll"><table class="data schema"><thead><tr><th>Field</th><th>Type</th>
<th>Required</th><th>Description</th></tr></thead><tbody>{schema_rows}</tbody></table></div>
<h4>First {min(PREVIEW_ROWS, len(rows))} rows</h4>
<div class="scroll"><table class="data preview"><thead><tr>{head}</tr></thead>
<tbody>{body}</tbody></table></div>
</details>""")
    return f"""<section id="resources" class="wrap">
<h2>Resources</h2>
<p>The tables of the package, each with its Table Schema and a preview.</p>
{"".join(blocks)}
</section>"""


# ---------------------------------------------------------------------------------------------
# Versions


def _versions(folder: Path, entries: list[dict[str, Any]], latest: str) -> str:
    rows = []
    for entry in reversed(entries):
        version = str(entry.get("version", ""))
        changes_path = folder / version / "changes.json"
        try:
            changes = json.loads(changes_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            changes = {}
        lines = [line.removeprefix("- ") for line in changelog_entry(changes, entry)]
        listed = "".join(f"<li>{e(line)}</li>" for line in lines[:CHANGE_LINES])
        if len(lines) > CHANGE_LINES:
            listed += (f'<li>… and {len(lines) - CHANGE_LINES} more in '
                       f'<a href="CHANGELOG.md">CHANGELOG.md</a></li>')
        mark = ' <span class="badge small">latest</span>' if version == latest else ""
        rows.append(
            f'<tr class="version" data-version="{e(version)}"><th scope="row">{e(version)}{mark}'
            f'</th><td><time>{e(str(entry.get("created", ""))[:10])}</time></td>'
            f'<td>{e(entry.get("bump") or "")}</td>'
            f'<td><strong>{e(entry.get("summary", ""))}</strong><ul>{listed}</ul></td>'
            f'<td><a href="{href(f"{version}/datapackage.json")}">datapackage.json</a><br>'
            f'<a href="{href(f"{version}/changes.json")}">changes.json</a></td></tr>')
    return f"""<section id="versions" class="wrap">
<h2>Versions</h2>
<p>Versions follow the Data Package Version recipe: MAJOR when fields are removed, renamed or
retyped or a primary key changes; MINOR when rows or fields are added or removed; PATCH when
only values are corrected.
A published version never changes.</p>
<div class="scroll"><table class="data versions"><thead><tr><th>Version</th><th>Date</th>
<th>Change</th><th>Summary</th><th>Files</th></tr></thead><tbody>{"".join(rows)}</tbody>
</table></div>
</section>"""


def _footer(descriptor: dict[str, Any]) -> str:
    return f"""<footer class="wrap">
<p>Made with tipfigures {e(__version__)} from
<code>{e(descriptor.get("name", DATASET_NAME))} {e(descriptor.get("version", ""))}</code>. This
page is self-contained: it loads nothing from the internet.</p>
</footer>"""
